//! The source text of every script the runtime compiled, by URL, so that errors can show
//! the offending line as Node does.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

thread_local! {
    static SOURCES: RefCell<HashMap<String, Rc<str>>> = RefCell::new(HashMap::new());
    static MAPPINGS: RefCell<HashMap<String, crate::typescript::Mappings>> = RefCell::new(HashMap::new());
}

/// Records how a transpiled script's positions map back to its original source.
pub fn register_mappings(url: &str, mappings: crate::typescript::Mappings) {
    MAPPINGS.with(|m| m.borrow_mut().insert(url.to_string(), mappings));
}

/// The original 1-based (line, column) of a position in a transpiled script.
pub fn original_position(url: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    MAPPINGS.with(|m| {
        let maps = m.borrow();
        let mappings = maps.get(url)?;
        let (l, c) = crate::typescript::original_position(mappings, line.checked_sub(1)? as u32, column.saturating_sub(1) as u32)?;
        Some((l as usize + 1, c as usize + 1))
    })
}

pub fn register(url: &str, source: Rc<str>) {
    SOURCES.with(|s| s.borrow_mut().insert(url.to_string(), source));
}

/// Line `line` (1-based) of the script registered as `url`.
pub fn line(url: &str, line: usize) -> Option<String> {
    SOURCES.with(|s| {
        let sources = s.borrow();
        let text = sources.get(url)?;
        text.lines().nth(line.checked_sub(1)?).map(str::to_string)
    })
}
