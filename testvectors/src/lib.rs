//! Conformance runners for wasmcrypt.

pub mod rsp;
