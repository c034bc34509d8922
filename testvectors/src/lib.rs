//! Conformance runners for wasmcrypt.

pub mod rsp;
pub mod engines;
pub mod guest;
