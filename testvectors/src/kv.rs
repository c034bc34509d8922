//! A strict parser for the pyca `Key = value` vector files (RFC 4231, RFC 5869, …).

use std::collections::BTreeMap;

/// One record of a `Key = value` file.
pub type Record = BTreeMap<String, String>;

/// A strict parser for the pyca `Key = value` files: `#` lines are comments, blank lines are
/// ignored (RFC 5869's file has them inside records), a record starts at `first` and must hold
/// exactly `keys` (each once) before the next one starts or the file ends. Anything else (an
/// unknown key, a repeat, a line without `=`, a value before the first record) is an error.
///
/// # Errors
/// Any deviation named above, with its line.
pub fn parse(text: &str, first: &str, keys: &[&str]) -> Result<Vec<Record>, String> {
    let mut records: Vec<Record> = Vec::new();
    let complete = |r: &Record| r.len() == keys.len();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: not `Key = value`: {line:?}", n + 1))?;
        let (k, v) = (k.trim(), v.trim());
        if !keys.contains(&k) {
            return Err(format!("line {}: unknown key {k:?}", n + 1));
        }
        if k == first {
            if let Some(last) = records.last()
                && !complete(last)
            {
                return Err(format!("line {}: previous record incomplete", n + 1));
            }
            records.push(Record::new());
        }
        let r = records
            .last_mut()
            .ok_or_else(|| format!("line {}: {k} before the first {first}", n + 1))?;
        if r.insert(k.to_owned(), v.to_owned()).is_some() {
            return Err(format!("line {}: repeated key {k}", n + 1));
        }
    }
    if let Some(last) = records.last()
        && !complete(last)
    {
        return Err("last record incomplete".to_owned());
    }
    Ok(records)
}
