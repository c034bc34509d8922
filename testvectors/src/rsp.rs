//! A small, strict parser for NIST CAVP response (`.rsp`) files.
//!
//! The format, as used by the CAVP SHA, HMAC, DRBG, … files:
//!
//! - `#` lines are comments;
//! - `[Key = value]` (or `[NAME]`) lines are section headers; consecutive header lines form one
//!   section's parameters, and the records below them belong to that section;
//! - records are runs of `Key = value` lines, separated by blank lines;
//! - line endings may be LF or CRLF.
//!
//! The parser is strict so that a changed or damaged file cannot silently skip cases: a key the
//! caller did not list in its [`Schema`], a repeated key, a record before the first section
//! header, a line that is neither comment, header, blank nor `Key = value`, or malformed hex is
//! an [`Error`], never ignored.

use std::fmt;

/// A parse or lookup error, with the 1-based line it refers to (0 if none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The 1-based line number in the file, or 0 when the error is not tied to a line.
    pub line: usize,
    /// What is wrong.
    pub msg: String,
}

impl Error {
    fn new(line: usize, msg: impl Into<String>) -> Self {
        Error {
            line,
            msg: msg.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.msg)
    }
}

impl std::error::Error for Error {}

/// The result type of this module.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// The keys a file may use. Anything else is an error.
#[derive(Clone, Copy, Debug)]
pub struct Schema<'a> {
    /// Keys allowed in `[Key = value]` section headers (`[NAME]` headers use the name as key).
    pub section_keys: &'a [&'a str],
    /// Keys allowed in records.
    pub record_keys: &'a [&'a str],
}

/// An ordered list of `key = value` pairs with unique keys, tagged with the line it starts at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    line: usize,
    pairs: Vec<(String, String)>,
}

impl Fields {
    /// The 1-based line of the first pair.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The keys, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    /// The raw value of `key`; an error if absent.
    pub fn get(&self, key: &str) -> Result<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| Error::new(self.line, format!("missing key {key:?}")))
    }

    /// The value of `key` as a decimal unsigned integer.
    pub fn uint(&self, key: &str) -> Result<u64> {
        let v = self.get(key)?;
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::new(
                self.line,
                format!("{key} = {v:?} is not a decimal integer"),
            ));
        }
        v.parse()
            .map_err(|e| Error::new(self.line, format!("{key} = {v:?}: {e}")))
    }

    /// The value of `key` decoded from hex.
    pub fn hex(&self, key: &str) -> Result<Vec<u8>> {
        decode_hex(self.get(key)?).map_err(|msg| Error::new(self.line, format!("{key}: {msg}")))
    }

    /// Errors unless the keys are exactly `keys`, in any order.
    pub fn require_exactly(&self, keys: &[&str]) -> Result<()> {
        let same = self.pairs.len() == keys.len() && keys.iter().all(|k| self.get(k).is_ok());
        if same {
            Ok(())
        } else {
            let have: Vec<&str> = self.keys().collect();
            Err(Error::new(
                self.line,
                format!("keys {have:?}, expected exactly {keys:?}"),
            ))
        }
    }

    /// The CAVP byte-oriented message convention: `len_key` is the length in **bits** (a
    /// multiple of 8), `msg_key` the hex message of exactly `len / 8` bytes, except that a
    /// zero-length message is written as the placeholder `00`.
    pub fn message(&self, len_key: &str, msg_key: &str) -> Result<Vec<u8>> {
        let bits = self.uint(len_key)?;
        if !bits.is_multiple_of(8) {
            return Err(Error::new(
                self.line,
                format!("{len_key} = {bits} is not a whole number of bytes"),
            ));
        }
        let bytes = usize::try_from(bits / 8)
            .map_err(|_| Error::new(self.line, format!("{len_key} = {bits} is too large")))?;
        let mut msg = self.hex(msg_key)?;
        if bytes == 0 {
            if msg != [0] {
                return Err(Error::new(
                    self.line,
                    format!("{len_key} = 0 but {msg_key} is not the placeholder 00"),
                ));
            }
            msg.clear();
        } else if msg.len() != bytes {
            return Err(Error::new(
                self.line,
                format!(
                    "{len_key} = {bits} bits but {msg_key} has {} bytes",
                    msg.len()
                ),
            ));
        }
        Ok(msg)
    }

    fn insert(&mut self, line: usize, key: &str, value: &str) -> Result<()> {
        if self.pairs.iter().any(|(k, _)| k == key) {
            return Err(Error::new(line, format!("repeated key {key:?}")));
        }
        if self.pairs.is_empty() {
            self.line = line;
        }
        self.pairs.push((key.to_owned(), value.to_owned()));
        Ok(())
    }
}

/// A section: its header parameters and its records, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// The header parameters (`[L = 32]` gives `L` = `32`; `[NAME]` gives `NAME` = ``).
    pub params: Fields,
    /// The records.
    pub records: Vec<Fields>,
}

/// Parses a whole `.rsp` file.
///
/// # Errors
/// Any deviation from the format described in the module documentation, or a key not in
/// `schema`.
pub fn parse(text: &str, schema: &Schema<'_>) -> Result<Vec<Section>> {
    let mut sections: Vec<Section> = Vec::new();
    let mut record = Fields::default();
    // Whether the last non-comment line was a header, so the next header joins its section.
    let mut in_header = false;

    for (idx, raw) in text.split('\n').enumerate() {
        let n = idx.saturating_add(1);
        let line = raw.strip_suffix('\r').unwrap_or(raw).trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            finish_record(&mut sections, &mut record);
            continue;
        }
        if let Some(inner) = line.strip_prefix('[') {
            let inner = inner
                .strip_suffix(']')
                .ok_or_else(|| Error::new(n, "section header without closing ]"))?;
            if !record.pairs.is_empty() {
                return Err(Error::new(n, "section header directly after a record line"));
            }
            let (key, value) = match inner.split_once('=') {
                Some((k, v)) => (k.trim(), v.trim()),
                None => (inner.trim(), ""),
            };
            check_key(n, key, schema.section_keys, "section")?;
            if !in_header {
                sections.push(Section::default());
            }
            in_header = true;
            if let Some(section) = sections.last_mut() {
                section.params.insert(n, key, value)?;
            }
            continue;
        }
        in_header = false;
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| Error::new(n, format!("not a `Key = value` line: {line:?}")))?;
        let (key, value) = (key.trim(), value.trim());
        check_key(n, key, schema.record_keys, "record")?;
        if sections.is_empty() {
            return Err(Error::new(n, "record before the first section header"));
        }
        record.insert(n, key, value)?;
    }
    finish_record(&mut sections, &mut record);
    Ok(sections)
}

fn finish_record(sections: &mut [Section], record: &mut Fields) {
    if record.pairs.is_empty() {
        return;
    }
    let done = core::mem::take(record);
    // A record is only ever started after a section exists (checked in `parse`).
    if let Some(section) = sections.last_mut() {
        section.records.push(done);
    }
}

fn check_key(line: usize, key: &str, allowed: &[&str], what: &str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::new(line, format!("empty {what} key")));
    }
    if !allowed.contains(&key) {
        return Err(Error::new(
            line,
            format!("unknown {what} key {key:?} (allowed: {allowed:?})"),
        ));
    }
    Ok(())
}

/// Decodes hex (either case, even length, no separators).
///
/// # Errors
/// An odd length or a non-hex character.
pub fn decode_hex(s: &str) -> core::result::Result<Vec<u8>, String> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(format!("odd hex length {}", b.len()));
    }
    b.chunks_exact(2)
        .enumerate()
        .map(|(i, pair)| match (nibble(pair[0]), nibble(pair[1])) {
            (Some(hi), Some(lo)) => Ok((hi << 4) | lo),
            _ => Err(format!(
                "non-hex characters {:?} at offset {}",
                String::from_utf8_lossy(pair),
                i * 2
            )),
        })
        .collect()
}
