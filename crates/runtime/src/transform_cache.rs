//! Transform results of large sources kept on disk, keyed by a hash of the source and of
//! this build's transform code. Rewriting a big bundle is costly (typescript.js, 9 MB:
//! ~150 ms) while reading the result back is not (~10 ms). Small sources are cheaper to
//! transform again than to look up. Best effort: a missing, unreadable or damaged entry is
//! recomputed, and a cache that can't be written is skipped.
//!
//! Where: `$FERRO_CACHE_DIR/transformed`, else `$XDG_CACHE_HOME/ferro/transformed`, else
//! `~/.cache/ferro/transformed` (the package manager's cache folder).

use crate::esm::{EsmModule, Import, RewrittenScript};
use crate::sources::ColumnShift;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Sources below this size are transformed every time.
const MIN_SOURCE_LEN: usize = 64 * 1024;

/// Identifies the transform code of this build (see build.rs), so a new ferro never reads
/// an older one's results.
const BUILD_ID: &str = env!("FERRO_TRANSFORM_BUILD_ID");

const MAGIC: &[u8] = b"ferro-transformed\n";

/// `compute()`'s result for `source`, from the cache when a previous run stored it.
/// `kind` separates transforms of the same source (a script, a module, a module in a cycle).
pub fn cached<T: Cacheable>(kind: &str, source: &str, compute: impl FnOnce() -> T) -> T {
    match cached_ok(kind, source, || Ok::<T, std::convert::Infallible>(compute())) {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

/// Like [`cached`] for a transform that may fail; failures are not stored.
pub fn cached_ok<T: Cacheable, E>(kind: &str, source: &str, compute: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    if source.len() < MIN_SOURCE_LEN {
        return compute();
    }
    let Some(dir) = cache_dir() else { return compute() };
    let path = dir.join(entry_name(kind, source));
    if let Some(value) = std::fs::read(&path).ok().and_then(|bytes| decode(&bytes)) {
        return Ok(value);
    }
    let value = compute()?;
    let mut out = MAGIC.to_vec();
    value.encode(&mut out);
    store(&dir, &path, &out);
    Ok(value)
}

fn cache_dir() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = non_empty("FERRO_CACHE_DIR")
        .or_else(|| non_empty("XDG_CACHE_HOME").map(|x| x.join("ferro")))
        .or_else(|| non_empty("HOME").map(|h| h.join(".cache").join("ferro")))?;
    Some(base.join("transformed"))
}

fn entry_name(kind: &str, source: &str) -> String {
    let mut hash = Sha256::new();
    for part in [BUILD_ID, kind, source] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the entry under a temporary name, then renames it: a concurrent reader sees the
/// whole entry or none.
fn store(dir: &std::path::Path, path: &std::path::Path, bytes: &[u8]) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let temporary = path.with_extension(format!("{}.tmp", std::process::id()));
    if std::fs::write(&temporary, bytes).is_ok() && std::fs::rename(&temporary, path).is_ok() {
        return;
    }
    let _ = std::fs::remove_file(&temporary);
}

fn decode<T: Cacheable>(bytes: &[u8]) -> Option<T> {
    let mut input = Reader(bytes.strip_prefix(MAGIC)?);
    let value = T::decode(&mut input)?;
    input.0.is_empty().then_some(value)
}

/// A transform result that can be stored: lengths and numbers as little-endian u64s.
pub trait Cacheable: Sized {
    fn encode(&self, out: &mut Vec<u8>);
    fn decode(input: &mut Reader) -> Option<Self>;
}

pub struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn number(&mut self) -> Option<u64> {
        let (head, rest) = self.0.split_first_chunk::<8>()?;
        self.0 = rest;
        Some(u64::from_le_bytes(*head))
    }

    fn string(&mut self) -> Option<String> {
        let len = usize::try_from(self.number()?).ok()?;
        if len > self.0.len() {
            return None;
        }
        let (text, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8(text.to_vec()).ok()
    }

    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let count = self.number()?;
        (0..count).map(|_| item(self)).collect()
    }
}

fn put_number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_string(out: &mut Vec<u8>, s: &str) {
    put_number(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_list<T>(out: &mut Vec<u8>, items: &[T], mut put: impl FnMut(&mut Vec<u8>, &T)) {
    put_number(out, items.len() as u64);
    for item in items {
        put(out, item);
    }
}

fn put_shift(out: &mut Vec<u8>, shift: &ColumnShift) {
    put_number(out, shift.line as u64);
    put_number(out, shift.column as u64);
    put_number(out, shift.shift as i64 as u64);
}

fn read_shift(input: &mut Reader) -> Option<ColumnShift> {
    Some(ColumnShift {
        line: u32::try_from(input.number()?).ok()?,
        column: u32::try_from(input.number()?).ok()?,
        shift: i32::try_from(input.number()? as i64).ok()?,
    })
}

impl Cacheable for Option<RewrittenScript> {
    fn encode(&self, out: &mut Vec<u8>) {
        let Some(script) = self else { return put_number(out, 0) };
        put_number(out, 1);
        put_string(out, &script.code);
        put_list(out, &script.shifts, put_shift);
        put_number(out, script.uses_import as u64);
    }

    fn decode(input: &mut Reader) -> Option<Self> {
        if input.number()? == 0 {
            return Some(None);
        }
        let code = input.string()?;
        let shifts = input.list(read_shift)?;
        let uses_import = input.number()? != 0;
        Some(Some(RewrittenScript { code, shifts, uses_import }))
    }
}

impl Cacheable for EsmModule {
    fn encode(&self, out: &mut Vec<u8>) {
        put_string(out, &self.code);
        put_number(out, self.header_len as u64);
        put_list(out, &self.requests, |out, (specifier, kind)| {
            put_string(out, specifier);
            put_string(out, kind);
        });
        put_list(out, &self.imports, |out, import| {
            put_number(out, import.request as u64);
            put_string(out, &import.name);
            for n in [import.line, import.column, import.width] {
                put_number(out, n as u64);
            }
        });
        put_list(out, &self.exports, |out, name| put_string(out, name));
        put_list(out, &self.star_exports, |out, request| put_number(out, *request as u64));
        for flag in [self.has_top_level_await, self.async_generator, self.generator] {
            put_number(out, flag as u64);
        }
        put_list(out, &self.shifts, put_shift);
    }

    fn decode(input: &mut Reader) -> Option<Self> {
        Some(EsmModule {
            code: input.string()?,
            header_len: usize::try_from(input.number()?).ok()?,
            requests: input.list(|input| Some((input.string()?, input.string()?)))?,
            imports: input.list(|input| {
                Some(Import {
                    request: usize::try_from(input.number()?).ok()?,
                    name: input.string()?,
                    line: usize::try_from(input.number()?).ok()?,
                    column: usize::try_from(input.number()?).ok()?,
                    width: usize::try_from(input.number()?).ok()?,
                })
            })?,
            exports: input.list(Reader::string)?,
            star_exports: input.list(|input| usize::try_from(input.number()?).ok())?,
            has_top_level_await: input.number()? != 0,
            async_generator: input.number()? != 0,
            generator: input.number()? != 0,
            shifts: input.list(read_shift)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damage_is_refused() {
        let script = Some(RewrittenScript {
            code: "a\u{e9}".to_string(),
            shifts: vec![ColumnShift { line: 3, column: 4, shift: -5 }],
            uses_import: true,
        });
        let mut bytes = MAGIC.to_vec();
        script.encode(&mut bytes);
        let back: Option<RewrittenScript> = decode(&bytes).expect("decodes");
        let back = back.expect("a script");
        assert_eq!((back.code.as_str(), back.uses_import), ("a\u{e9}", true));
        assert_eq!((back.shifts[0].line, back.shifts[0].column, back.shifts[0].shift), (3, 4, -5));
        assert!(decode::<Option<RewrittenScript>>(&bytes[..bytes.len() - 1]).is_none(), "truncated");
        assert!(decode::<Option<RewrittenScript>>(&bytes[1..]).is_none(), "no magic");
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode::<Option<RewrittenScript>>(&longer).is_none(), "trailing bytes");
    }

    #[test]
    fn large_sources_are_computed_once() {
        let dir = std::env::temp_dir().join(format!("ferro-transform-cache-{}", std::process::id()));
        std::env::set_var("FERRO_CACHE_DIR", &dir);
        let source = format!("await 1;\n{}", "x;\n".repeat(MIN_SOURCE_LEN));
        let mut runs = 0;
        let mut transform = || {
            runs += 1;
            crate::esm::rewrite_script(&source)
        };
        let first = cached("script", &source, &mut transform);
        let second = cached("script", &source, &mut transform);
        assert_eq!(runs, 1);
        assert_eq!(first.map(|s| s.code), second.map(|s| s.code));
        let small = cached("script", "await 1;", || None::<RewrittenScript>);
        assert!(small.is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
