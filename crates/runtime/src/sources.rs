//! The source text of every script the runtime compiled, by URL, so that errors can show
//! the offending line as Node does.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

thread_local! {
    static SOURCES: RefCell<HashMap<String, Rc<str>>> = RefCell::new(HashMap::new());
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
