//! The source text of every script the runtime compiled, by URL, so that errors can show
//! the offending line as Node does, and how positions in the compiled code map back to
//! the file: through the loader's insertions, then the transpiler's mappings.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// After an edit on a line (0-based) ends at UTF-16 `column` of the compiled code, later
/// columns on that line are `shift` more than the file's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnShift {
    pub line: u32,
    pub column: u32,
    pub shift: i32,
}

#[derive(Default)]
struct PositionMap {
    shifts: Vec<ColumnShift>,
    transpiled: crate::typescript::Mappings,
}

thread_local! {
    static SOURCES: RefCell<HashMap<String, Source>> = RefCell::new(HashMap::new());
    static MAPS: RefCell<HashMap<String, PositionMap>> = RefCell::new(HashMap::new());
}

/// Records how a transpiled script's positions map back to its original source.
pub fn register_mappings(url: &str, mappings: crate::typescript::Mappings) {
    MAPS.with(|m| m.borrow_mut().entry(url.to_string()).or_default().transpiled = mappings);
}

/// Records the column shifts of the loader's edits to a script (applied after transpiling).
pub fn register_shifts(url: &str, shifts: Vec<ColumnShift>) {
    MAPS.with(|m| {
        let mut maps = m.borrow_mut();
        match maps.get_mut(url) {
            Some(map) => map.shifts = shifts,
            None if shifts.is_empty() => {}
            None => drop(maps.insert(url.to_string(), PositionMap { shifts, ..Default::default() })),
        }
    })
}

/// Whether positions in `url` need mapping back.
pub fn has_mappings(url: &str) -> bool {
    MAPS.with(|m| m.borrow().contains_key(url))
}

/// The original 1-based (line, column) of a position in a compiled script.
pub fn original_position(url: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    MAPS.with(|m| {
        let maps = m.borrow();
        let map = maps.get(url)?;
        let (line, mut column) = (line.checked_sub(1)? as u32, column.saturating_sub(1) as u32);
        let index = map.shifts.partition_point(|s| (s.line, s.column) <= (line, column));
        if let Some(s) = index.checked_sub(1).map(|i| map.shifts[i]).filter(|s| s.line == line) {
            column = (column as i64 - s.shift as i64).max(0) as u32;
        }
        if map.transpiled.is_empty() {
            return Some((line as usize + 1, column as usize + 1));
        }
        let (l, c) = crate::typescript::original_position(&map.transpiled, line, column)?;
        Some((l as usize + 1, c as usize + 1))
    })
}

pub fn register(url: &str, source: Rc<str>) {
    SOURCES.with(|s| s.borrow_mut().insert(url.to_string(), Source { text: source, line_starts: OnceCell::new() }));
}

/// A script's text, and where its lines start, found on the first lookup: a stack trace
/// reads a line per frame, which a scan from the top would make cost the file's length.
struct Source {
    text: Rc<str>,
    line_starts: OnceCell<Vec<usize>>,
}

/// Line `line` (1-based) of the script registered as `url`, without its line break.
pub fn line(url: &str, line: usize) -> Option<String> {
    SOURCES.with(|s| {
        let sources = s.borrow();
        let source = sources.get(url)?;
        let text = &*source.text;
        let starts = source.line_starts.get_or_init(|| {
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
        });
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(text.len(), |next| next - 1);
        // After a final line break there is no further line, as for `str::lines`.
        if start >= text.len() {
            return None;
        }
        Some(text[start..end].strip_suffix('\r').unwrap_or(&text[start..end]).to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_str_lines_reads_them() {
        for text in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\nx\n\n", "é\nü\r\n"] {
            register("test:lines", Rc::from(text));
            let expected: Vec<&str> = text.lines().collect();
            for n in 0..expected.len() + 2 {
                assert_eq!(line("test:lines", n), n.checked_sub(1).and_then(|i| expected.get(i)).map(|l| l.to_string()), "{text:?} line {n}");
            }
        }
    }
}
