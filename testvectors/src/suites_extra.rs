//! Suites of the symmetric families beyond SHA-2 (HMAC, HKDF, AEADs, Xoodyak).

use crate::suites::Suite;

/// The suites of this module, in report order.
///
/// # Errors
/// A data file that is missing or malformed.
pub fn all() -> Result<Vec<Suite>, String> {
    Ok(Vec::new())
}
