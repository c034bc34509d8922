//! Conformance runners for wasmcrypt.

pub mod aead_files;
pub mod engines;
pub mod guest;
pub mod kv;
pub mod native;
pub mod report;
pub mod rsp;
pub mod suites;
pub mod suites_aead;
pub mod suites_asym;
pub mod suites_extra;
pub mod suites_kem;
pub mod suites_rsa;
