//! wasm3 binding placeholder: the binding over wasm3 C API arrives with its own issue.
#![no_std]
#![forbid(unsafe_code)]
