//! The ABI table against the witx 0.10 functions lowered to core Wasm.
//!
//! The expected rows below are written out as data from the lowering of the witx files
//! (`wasi_ephemeral_crypto_*.witx`, 78 functions: strings become ptr/len pairs, `u64`/`version`/
//! `timestamp` become i64, every Output one extra i32 out-pointer). Parameter names are kept
//! so a mismatch is easy to read.

use wasmcrypt_core::abi::{self, ValType};

const I32: ValType = ValType::I32;
const I64: ValType = ValType::I64;

/// (module, function, [(parameter, type)]), in witx order.
type Row = (
    &'static str,
    &'static str,
    &'static [(&'static str, ValType)],
);

const WITX: &[Row] = &[
    (
        "wasi_ephemeral_crypto_common",
        "options_open",
        &[("algorithm_type", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "options_close",
        &[("handle", I32)],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "options_set",
        &[
            ("handle", I32),
            ("name_ptr", I32),
            ("name_len", I32),
            ("value", I32),
            ("value_len", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "options_set_u64",
        &[
            ("handle", I32),
            ("name_ptr", I32),
            ("name_len", I32),
            ("value", I64),
        ],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "options_set_guest_buffer",
        &[
            ("handle", I32),
            ("name_ptr", I32),
            ("name_len", I32),
            ("buffer", I32),
            ("buffer_len", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "array_output_len",
        &[("array_output", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "array_output_pull",
        &[
            ("array_output", I32),
            ("buf", I32),
            ("buf_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "secrets_manager_open",
        &[("options", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "secrets_manager_close",
        &[("secrets_manager", I32)],
    ),
    (
        "wasi_ephemeral_crypto_common",
        "secrets_manager_invalidate",
        &[
            ("secrets_manager", I32),
            ("key_id", I32),
            ("key_id_len", I32),
            ("key_version", I64),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_generate",
        &[
            ("algorithm_type", I32),
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("options", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_import",
        &[
            ("algorithm_type", I32),
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("encoded", I32),
            ("encoded_len", I32),
            ("encoding", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_generate_managed",
        &[
            ("secrets_manager", I32),
            ("algorithm_type", I32),
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("options", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_store_managed",
        &[
            ("secrets_manager", I32),
            ("kp", I32),
            ("kp_id", I32),
            ("kp_id_max_len", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_replace_managed",
        &[
            ("secrets_manager", I32),
            ("kp_old", I32),
            ("kp_new", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_id",
        &[
            ("kp", I32),
            ("kp_id", I32),
            ("kp_id_max_len", I32),
            ("out_0", I32),
            ("out_1", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_from_id",
        &[
            ("secrets_manager", I32),
            ("kp_id", I32),
            ("kp_id_len", I32),
            ("kp_version", I64),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_from_pk_and_sk",
        &[("publickey", I32), ("secretkey", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_export",
        &[("kp", I32), ("encoding", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_publickey",
        &[("kp", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_secretkey",
        &[("kp", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "keypair_close",
        &[("kp", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "publickey_import",
        &[
            ("algorithm_type", I32),
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("encoded", I32),
            ("encoded_len", I32),
            ("encoding", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "publickey_export",
        &[("pk", I32), ("encoding", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "publickey_verify",
        &[("pk", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "publickey_from_secretkey",
        &[("sk", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "publickey_close",
        &[("pk", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "secretkey_import",
        &[
            ("algorithm_type", I32),
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("encoded", I32),
            ("encoded_len", I32),
            ("encoding", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "secretkey_export",
        &[("sk", I32), ("encoding", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_asymmetric_common",
        "secretkey_close",
        &[("sk", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_generate",
        &[
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("options", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_import",
        &[
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("raw", I32),
            ("raw_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_export",
        &[("symmetric_key", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_close",
        &[("symmetric_key", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_generate_managed",
        &[
            ("secrets_manager", I32),
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("options", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_store_managed",
        &[
            ("secrets_manager", I32),
            ("symmetric_key", I32),
            ("symmetric_key_id", I32),
            ("symmetric_key_id_max_len", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_replace_managed",
        &[
            ("secrets_manager", I32),
            ("symmetric_key_old", I32),
            ("symmetric_key_new", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_id",
        &[
            ("symmetric_key", I32),
            ("symmetric_key_id", I32),
            ("symmetric_key_id_max_len", I32),
            ("out_0", I32),
            ("out_1", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_key_from_id",
        &[
            ("secrets_manager", I32),
            ("symmetric_key_id", I32),
            ("symmetric_key_id_len", I32),
            ("symmetric_key_version", I64),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_open",
        &[
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("key", I32),
            ("options", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_options_get",
        &[
            ("handle", I32),
            ("name_ptr", I32),
            ("name_len", I32),
            ("value", I32),
            ("value_max_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_options_get_u64",
        &[
            ("handle", I32),
            ("name_ptr", I32),
            ("name_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_clone",
        &[("handle", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_close",
        &[("handle", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_absorb",
        &[("handle", I32), ("data", I32), ("data_len", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_squeeze",
        &[("handle", I32), ("out", I32), ("out_len", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_squeeze_tag",
        &[("handle", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_squeeze_key",
        &[
            ("handle", I32),
            ("alg_str_ptr", I32),
            ("alg_str_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_max_tag_len",
        &[("handle", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_encrypt",
        &[
            ("handle", I32),
            ("out", I32),
            ("out_len", I32),
            ("data", I32),
            ("data_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_encrypt_detached",
        &[
            ("handle", I32),
            ("out", I32),
            ("out_len", I32),
            ("data", I32),
            ("data_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_decrypt",
        &[
            ("handle", I32),
            ("out", I32),
            ("out_len", I32),
            ("data", I32),
            ("data_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_decrypt_detached",
        &[
            ("handle", I32),
            ("out", I32),
            ("out_len", I32),
            ("data", I32),
            ("data_len", I32),
            ("raw_tag", I32),
            ("raw_tag_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_state_ratchet",
        &[("handle", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_tag_len",
        &[("symmetric_tag", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_tag_pull",
        &[
            ("symmetric_tag", I32),
            ("buf", I32),
            ("buf_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_tag_verify",
        &[
            ("symmetric_tag", I32),
            ("expected_raw_tag_ptr", I32),
            ("expected_raw_tag_len", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_symmetric",
        "symmetric_tag_close",
        &[("symmetric_tag", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_export",
        &[("signature", I32), ("encoding", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_import",
        &[
            ("algorithm_ptr", I32),
            ("algorithm_len", I32),
            ("encoded", I32),
            ("encoded_len", I32),
            ("encoding", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_state_open",
        &[("kp", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_state_update",
        &[("state", I32), ("input", I32), ("input_len", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_state_sign",
        &[("state", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_state_close",
        &[("state", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_verification_state_open",
        &[("kp", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_verification_state_update",
        &[("state", I32), ("input", I32), ("input_len", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_verification_state_verify",
        &[("state", I32), ("signature", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_verification_state_close",
        &[("state", I32)],
    ),
    (
        "wasi_ephemeral_crypto_signatures",
        "signature_close",
        &[("signature", I32)],
    ),
    (
        "wasi_ephemeral_crypto_kx",
        "kx_dh",
        &[("pk", I32), ("sk", I32), ("out_0", I32)],
    ),
    (
        "wasi_ephemeral_crypto_kx",
        "kx_encapsulate",
        &[("pk", I32), ("out_0", I32), ("out_1", I32)],
    ),
    (
        "wasi_ephemeral_crypto_kx",
        "kx_decapsulate",
        &[
            ("sk", I32),
            ("encapsulated_secret", I32),
            ("encapsulated_secret_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_external_secrets",
        "external_secret_store",
        &[
            ("secrets_manager", I32),
            ("secret", I32),
            ("secret_len", I32),
            ("expiration", I64),
            ("secret_id", I32),
            ("secret_id_max_len", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_external_secrets",
        "external_secret_replace",
        &[
            ("secrets_manager", I32),
            ("secret", I32),
            ("secret_len", I32),
            ("expiration", I64),
            ("secret_id", I32),
            ("secret_id_len", I32),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_external_secrets",
        "external_secret_from_id",
        &[
            ("secrets_manager", I32),
            ("secret_id", I32),
            ("secret_id_len", I32),
            ("secret_version", I64),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_external_secrets",
        "external_secret_invalidate",
        &[
            ("secrets_manager", I32),
            ("secret_id", I32),
            ("secret_id_len", I32),
            ("secret_version", I64),
        ],
    ),
    (
        "wasi_ephemeral_crypto_external_secrets",
        "external_secret_encapsulate",
        &[
            ("secrets_manager", I32),
            ("secret", I32),
            ("secret_len", I32),
            ("expiration", I64),
            ("out_0", I32),
        ],
    ),
    (
        "wasi_ephemeral_crypto_external_secrets",
        "external_secret_decapsulate",
        &[
            ("secrets_manager", I32),
            ("encrypted_secret", I32),
            ("encrypted_secret_len", I32),
            ("out_0", I32),
        ],
    ),
];

#[test]
fn table_matches_witx() {
    assert_eq!(WITX.len(), 78);
    assert_eq!(
        abi::FUNCTIONS.len(),
        WITX.len(),
        "one table entry per witx function"
    );
    for (module, name, params) in WITX {
        let f = abi::find(module, name).unwrap_or_else(|| panic!("{module}::{name} missing"));
        let want: Vec<ValType> = params.iter().map(|(_, t)| *t).collect();
        assert_eq!(f.params, want.as_slice(), "{module}::{name} parameters");
    }
}

#[test]
fn no_extra_entries() {
    for f in abi::FUNCTIONS {
        assert!(
            WITX.iter().any(|(m, n, _)| *m == f.module && *n == f.name),
            "{}::{} is not a witx function",
            f.module,
            f.name
        );
    }
}
