//! The program's own text for functions in rewritten code. The engine's
//! `Function.prototype.toString` slices the code it compiled, which holds the loader's
//! insertions (`__ferro_restore(…)`, the `try` around async bodies, `__ferro_import`);
//! tools that send a function's text elsewhere (puppeteer's and playwright's `evaluate`)
//! need the text as written.
//!
//! Compiled texts are registered with the source they came from. Only when a function's
//! text holds an insertion is the rewrite run again, with `esm::apply` recording where each
//! edit went, and the text mapped back through those edits.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// Which rewrite made a compiled text from its source.
#[derive(Clone, Copy)]
pub enum Rewrite {
    Script,
    Module { in_cycle: bool },
}

/// One edit as applied: output bytes [out_start, out_end) stand for source bytes
/// [src_start, src_end).
pub(crate) struct Splice {
    pub out_start: usize,
    pub out_end: usize,
    pub src_start: usize,
    pub src_end: usize,
}

/// What one `apply` made: its input, its output and where the edits went.
pub(crate) struct Applied {
    source: String,
    output: String,
    splices: Vec<Splice>,
}

struct Compiled {
    source: Rc<str>,
    code: Rc<str>,
    rewrite: Rewrite,
    applied: OnceCell<Option<Applied>>,
}

/// Every insertion's text starts so; a function text without it is the program's.
const MARK: &str = "__ferro_";

thread_local! {
    static COMPILED: RefCell<Vec<Rc<Compiled>>> = const { RefCell::new(Vec::new()) };
    /// Set while a rewrite runs again: the last `apply` of it.
    static CAPTURE: RefCell<Option<Option<Applied>>> = const { RefCell::new(None) };
}

/// Records that `code` was compiled from `source` by `rewrite`.
pub fn register(source: &str, code: &str, rewrite: Rewrite) {
    if !code.contains(MARK) {
        return;
    }
    let compiled = Compiled { source: Rc::from(source), code: Rc::from(code), rewrite, applied: OnceCell::new() };
    COMPILED.with(|c| c.borrow_mut().push(Rc::new(compiled)));
}

/// Whether `esm::apply` should record its splices (a rewrite is being run again).
pub(crate) fn capturing() -> bool {
    CAPTURE.with(|c| c.borrow().is_some())
}

pub(crate) fn record(source: &str, output: &str, splices: Vec<Splice>) {
    CAPTURE.with(|c| {
        if let Some(last) = c.borrow_mut().as_mut() {
            *last = Some(Applied { source: source.to_string(), output: output.to_string(), splices });
        }
    });
}

/// The program's text for `text`, a function's text sliced from rewritten code; `None`
/// when it holds no insertion or its code is unknown.
pub fn original_text(text: &str) -> Option<String> {
    if !text.contains(MARK) {
        return None;
    }
    let compiled: Vec<Rc<Compiled>> = COMPILED.with(|c| c.borrow().iter().rev().cloned().collect());
    let inside = compiled.iter().filter(|c| c.code.contains(text)).find_map(|compiled| {
        let applied = compiled.applied.get_or_init(|| rerun(compiled)).as_ref()?;
        let start = applied.output.find(text)?;
        map_back(applied, start, start + text.len())
    });
    // A Function constructor's body: the engine's text wraps the whole rewritten code.
    inside.or_else(|| {
        let compiled = compiled.iter().find(|c| text.contains(&*c.code))?;
        Some(text.replacen(&*compiled.code, &compiled.source, 1))
    })
}

/// Runs the rewrite of `compiled` again, keeping its last `apply` when that read the
/// source itself (not the `using`-lowered text, whose edits are not recorded).
fn rerun(compiled: &Compiled) -> Option<Applied> {
    CAPTURE.with(|c| *c.borrow_mut() = Some(None));
    match compiled.rewrite {
        Rewrite::Script => drop(crate::esm::rewrite_script(&compiled.source)),
        Rewrite::Module { in_cycle } => drop(crate::esm::transform(&compiled.source, in_cycle)),
    }
    let applied = CAPTURE.with(|c| c.borrow_mut().take()).flatten()?;
    (applied.source == *compiled.source).then_some(applied)
}

/// The source text that output bytes [start, end) came from: text between edits is the
/// same on both sides, and each edit that starts inside the range gives back what it replaced.
fn map_back(applied: &Applied, start: usize, end: usize) -> Option<String> {
    let (source, output) = (&applied.source, &applied.output);
    // Source position of `start`: output position less what the edits before it added.
    let mut src_at = start as isize;
    for s in applied.splices.iter().take_while(|s| s.out_end <= start && s.out_start < start) {
        src_at -= (s.out_end - s.out_start) as isize - (s.src_end - s.src_start) as isize;
    }
    let mut src_at = usize::try_from(src_at).ok()?;
    let (mut at, mut text) = (start, String::with_capacity(end - start));
    for s in applied.splices.iter().filter(|s| s.out_start >= start && s.out_start < end) {
        let gap = s.out_start.checked_sub(at)?;
        text.push_str(source.get(src_at..src_at + gap)?);
        text.push_str(source.get(s.src_start..s.src_end)?);
        (at, src_at) = (s.out_end, s.src_end);
    }
    if at < end {
        text.push_str(source.get(src_at..src_at + (end - at))?);
    }
    debug_assert!(output.get(start..end).is_some());
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `function` sits in `source` right before `after`; the engine's text of it is the code
    /// from its first word to `after`.
    fn round_trip(source: &str, rewrite: Rewrite, function: &str, after: &str) {
        let code = match rewrite {
            Rewrite::Script => crate::esm::rewrite_script(source).expect("rewritten").code,
            Rewrite::Module { in_cycle } => crate::esm::transform(source, in_cycle).expect("module").code,
        };
        register(source, &code, rewrite);
        let first = function.split_whitespace().next().unwrap();
        let start = code.find(first).unwrap();
        let end = code.find(after).unwrap();
        let compiled_text = &code[start..end];
        assert!(compiled_text.contains(MARK), "{compiled_text}");
        assert_eq!(original_text(compiled_text).as_deref(), Some(function));
    }

    #[test]
    fn async_functions_read_back_as_written() {
        let f = "async function f(x) {\n  try { const v = await x; return v * 2; } catch (e) { throw e; }\n}";
        round_trip(&format!("const a = 1;\n{f}\nconst after = 1;"), Rewrite::Script, f, "\nconst after");
        let g = "async (x) => { for await (const y of x) { await y; } }";
        round_trip(&format!("export const g = {g};\nconst after = 1;"), Rewrite::Module { in_cycle: false }, g, ";\nconst after");
        let h = "async () => (await import('./x.js')).default";
        round_trip(&format!("const h = {h};\nconst after = 1;"), Rewrite::Script, h, ";\nconst after");
        assert_eq!(original_text("function h() { return 1; }"), None);
        // A Function constructor's body, inside the engine's header.
        let body = "try { return x.y; } catch (e) { return e.message; }";
        let code = crate::esm::rewrite_script(body).expect("rewritten").code;
        register(body, &code, Rewrite::Script);
        let text = format!("function anonymous(x\n) {{\n{code}\n}}");
        assert_eq!(original_text(&text), Some(format!("function anonymous(x\n) {{\n{body}\n}}")));
    }
}
