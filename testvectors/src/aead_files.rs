//! Readers for the AEAD vector files in `data/aead/` (NIST CAVP GCM `.rsp`, the pyca
//! ChaCha20-Poly1305 `Key = value` files), shared by the tests and the report.

use crate::rsp::{Schema, decode_hex};

/// Section parameters of the CAVP GCM files.
pub const GCM_SECTION_KEYS: &[&str] = &["Keylen", "IVlen", "PTlen", "AADlen", "Taglen"];
/// Keys of the CAVP GCM files (`FAIL` as read by [`gcm_text`]).
pub const GCM_SCHEMA: Schema<'static> = Schema {
    section_keys: GCM_SECTION_KEYS,
    record_keys: &["Count", "Key", "IV", "PT", "AAD", "CT", "Tag", "FAIL"],
};

/// The decrypt files mark a failing case with a bare `FAIL` line, which `rsp` (`Key = value`
/// lines only) does not take: it is read as the record key `FAIL = ` (nothing else changes,
/// line numbers included). Any other line goes to the strict `rsp` parser as it is.
pub fn gcm_text(path: &str) -> Result<String, String> {
    Ok(std::fs::read_to_string(path)
        .map_err(|e| format!("{path}: {e}"))?
        .split('\n')
        .map(|l| {
            if l.trim_end_matches('\r') == "FAIL" {
                "FAIL ="
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// One record of the `Key = value` files of `ciphers/ChaCha20Poly1305/`: (key, raw value,
/// line) in file order.
pub type KvRecord = Vec<(String, String, usize)>;

/// A strict reader for those files: `#` comments, records separated by blank lines,
/// `KEY= value` or `Key = value` lines. Unknown or repeated keys and lines without `=` are
/// errors; values are decoded by [`bytes`] and [`count`].
///
/// # Errors
/// A line without `=`, an unknown or repeated key.
pub fn parse_kv(text: &str, allowed: &[&str]) -> Result<Vec<KvRecord>, String> {
    let mut records = Vec::new();
    let mut rec: KvRecord = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r').trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !rec.is_empty() {
                records.push(std::mem::take(&mut rec));
            }
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("line {n}: no `=` in {line:?}"))?;
        let (k, v) = (k.trim(), v.trim());
        if !allowed.contains(&k) {
            return Err(format!("line {n}: unknown key {k:?}"));
        }
        if rec.iter().any(|(key, _, _)| key == k) {
            return Err(format!("line {n}: repeated key {k:?}"));
        }
        rec.push((k.to_owned(), v.to_owned(), n));
    }
    if !rec.is_empty() {
        records.push(rec);
    }
    Ok(records)
}

/// A raw value.
pub fn raw<'a>(rec: &'a KvRecord, key: &str) -> Option<&'a str> {
    rec.iter()
        .find(|(k, _, _)| k == key)
        .map(|(_, v, _)| v.as_str())
}

/// A value as bytes: hex, or a `"quoted"` ASCII string taken byte for byte.
///
/// # Errors
/// A missing key, bad quoting or bad hex.
pub fn bytes(rec: &KvRecord, key: &str) -> Result<Vec<u8>, String> {
    let line = rec.first().map_or(0, |r| r.2);
    let v = raw(rec, key).ok_or_else(|| format!("record at line {line}: no {key}"))?;
    match v.strip_prefix('"') {
        Some(q) => {
            let s = q
                .strip_suffix('"')
                .ok_or_else(|| format!("record at line {line}: {key}: unterminated quote"))?;
            if s.contains('"') || s.contains('\\') || !s.is_ascii() {
                return Err(format!("record at line {line}: {key}: unexpected quoting"));
            }
            Ok(s.as_bytes().to_vec())
        }
        None => decode_hex(v).map_err(|e| format!("record at line {line}: {key}: {e}")),
    }
}
