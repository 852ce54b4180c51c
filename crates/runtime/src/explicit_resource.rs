//! `using` and `await using` declarations (explicit resource management, ES2026), which
//! the engine cannot parse, lowered to `try` blocks around a disposal scope made by
//! `__ferro_using()` (js/internal/disposable_stack.js):
//!
//! ```text
//! { A; using x = e; B }      →  { const __ferro_u=__ferro_using();try{ A; const x = __ferro_u.u(e); B }catch(…){…}finally{__ferro_u.d()} }
//! for (using x of xs) S      →  for (const x of xs) {const __ferro_u=__ferro_using();try{__ferro_u.u(x);S}catch(…){…}finally{…}}
//! for (using x = e;;) S     →  the whole statement wrapped the same way
//! ```
//!
//! With `await using` (`__ferro_u.a(e)`), the `finally` awaits, in the user's function,
//! each value `__ferro_u.n()` hands out, as the spec's DisposeResources does. Like the
//! loader's other rewrites, this splices text into the source: lines never move, and
//! columns after an insertion are recorded as shifts. A module's own top-level `using`s
//! are disposed by a `try` the ES module header opens (see [`module_scope`]), because
//! that scope must also hold the export getters.

use crate::esm::Edit;
use crate::sources::ColumnShift;
use oxc::allocator::Allocator;
use oxc::ast::ast::*;
use oxc::ast_visit::{walk, Visit};
use oxc::parser::Parser;
use oxc::span::{GetSpan, SourceType};
use oxc::syntax::scope::ScopeFlags;

const OPEN: &str = "const __ferro_u=__ferro_using();try{";
const CLOSE_SYNC: &str = "}catch(__ferro_e){__ferro_u.e(__ferro_e)}finally{__ferro_u.d()}";
const CLOSE_ASYNC: &str = "}catch(__ferro_e){__ferro_u.e(__ferro_e)}finally{for(let __ferro_r;(__ferro_r=__ferro_u.n())!==__ferro_u;)try{await __ferro_r}catch(__ferro_x){__ferro_u.e(__ferro_x)}__ferro_u.d()}";

fn close(is_async: bool) -> &'static str {
    if is_async {
        CLOSE_ASYNC
    } else {
        CLOSE_SYNC
    }
}

pub struct Lowered {
    pub code: String,
    /// How columns moved (see crate::sources).
    pub shifts: Vec<ColumnShift>,
    /// For a module with `using` declarations at its top level: whether any is `await using`.
    pub top_level: Option<bool>,
}

/// Lowers the `using` declarations of a script (CommonJS or `-e` code) or module; `None`
/// when it has none (or does not parse: the engine then reports the error).
pub fn lower(source: &str, module: bool) -> Option<Lowered> {
    if !has_using_declaration(source) {
        return None;
    }
    let allocator = Allocator::default();
    let source_type = if module { SourceType::mjs() } else { SourceType::cjs() };
    let parsed = Parser::new(&allocator, source, source_type).parse();
    if parsed.diagnostics.has_errors() {
        return None;
    }
    let mut lowering = Lowering { module, edits: Vec::new(), top_level: None, label_start: None };
    lowering.visit_program(&parsed.program);
    if lowering.edits.is_empty() {
        return None;
    }
    let (code, shifts) = crate::esm::apply(source, lowering.edits);
    Some(Lowered { code, shifts, top_level: lowering.top_level })
}

/// What the ES module wrapper puts around the header and body for the module's top-level
/// `using`s: (before, after). Top-level awaits are `yield`s unless the wrapper is an async
/// generator.
pub fn module_scope(top_level: Option<bool>, async_generator: bool) -> (&'static str, String) {
    match top_level {
        None => ("", String::new()),
        Some(false) => (OPEN, CLOSE_SYNC.to_string()),
        Some(true) if async_generator => (OPEN, CLOSE_ASYNC.to_string()),
        Some(true) => (OPEN, CLOSE_ASYNC.replace("await __ferro_r", "yield __ferro_r")),
    }
}

/// The shifts of two rewrites in a row as one list: `first` maps the middle text's columns
/// to the source's, `second` the final text's to the middle's.
pub fn compose_shifts(first: &[ColumnShift], second: &[ColumnShift]) -> Vec<ColumnShift> {
    if first.is_empty() {
        return second.to_vec();
    }
    if second.is_empty() {
        return first.to_vec();
    }
    // The shift in effect at `column` of `line` in a list.
    let shift_at = |shifts: &[ColumnShift], line: u32, column: u32| -> i32 {
        let index = shifts.partition_point(|s| (s.line, s.column) <= (line, column));
        index.checked_sub(1).map(|i| shifts[i]).filter(|s| s.line == line).map_or(0, |s| s.shift)
    };
    // Breakpoints in final columns: the second's, and the first's carried through it.
    let mut points: Vec<(u32, u32)> = second.iter().map(|s| (s.line, s.column)).collect();
    for s in first {
        let on_line = second.iter().filter(|t| t.line == s.line);
        let moved = on_line.filter(|t| (t.column as i64 - t.shift as i64) <= s.column as i64).last().map_or(0, |t| t.shift);
        points.push((s.line, (s.column as i64 + moved as i64).max(0) as u32));
    }
    points.sort_unstable();
    points.dedup();
    points
        .into_iter()
        .map(|(line, column)| {
            let middle = column as i64 - shift_at(second, line, column) as i64;
            let original = middle - shift_at(first, line, middle.max(0) as u32) as i64;
            ColumnShift { line, column, shift: (column as i64 - original) as i32 }
        })
        .collect()
}

fn is_using(declaration: &VariableDeclaration) -> bool {
    matches!(declaration.kind, VariableDeclarationKind::Using | VariableDeclarationKind::AwaitUsing)
}

/// Whether statements declare `using`s directly: `Some(any is await using)`.
fn usings<'a, 'b>(statements: impl IntoIterator<Item = &'b Statement<'a>>) -> Option<bool>
where
    'a: 'b,
{
    statements.into_iter().fold(None, |found, statement| match statement {
        Statement::VariableDeclaration(d) if is_using(d) => {
            Some(found.unwrap_or(false) || d.kind == VariableDeclarationKind::AwaitUsing)
        }
        _ => found,
    })
}

struct Lowering {
    module: bool,
    edits: Vec<Edit>,
    top_level: Option<bool>,
    /// Where the labels in front of the statement being visited start.
    label_start: Option<u32>,
}

impl Lowering {
    fn insert(&mut self, at: u32, text: &str) {
        self.edits.push(Edit { start: at, end: at, text: text.to_string() });
    }

    /// `using x = e, y = f` → `const x = __ferro_u.u(e), y = __ferro_u.u(f)`.
    fn declaration(&mut self, declaration: &VariableDeclaration) {
        let Some(first) = declaration.declarations.first() else { return };
        self.edits.push(Edit { start: declaration.span.start, end: first.span.start, text: "const ".into() });
        let add = if declaration.kind == VariableDeclarationKind::AwaitUsing { "__ferro_u.a" } else { "__ferro_u.u" };
        for declarator in &declaration.declarations {
            if let Some(init) = &declarator.init {
                let span = init.span();
                // Apart, so that the engine's position for the call (its `(`) maps to the value.
                self.insert(span.start, add);
                self.insert(span.start, "(");
                self.insert(span.end, ")");
            }
        }
    }

    /// Lowers the `using`s among `statements`, whose scope runs from `open` to `close`.
    fn scope<'a>(&mut self, statements: &[Statement<'a>], open: u32, end: u32, is_async: bool) {
        self.insert(open, OPEN);
        for statement in statements {
            if let Statement::VariableDeclaration(d) = statement {
                if is_using(d) {
                    self.declaration(d);
                }
            }
        }
        for statement in statements {
            self.visit_statement(statement);
        }
        self.insert(end, close(is_async));
    }

    /// A statement that holds its own `using` scope, wrapped in a block of its own.
    fn wrapped(&mut self, start: u32, end: u32, is_async: bool, visit: impl FnOnce(&mut Self)) {
        self.insert(start, &format!("{{{OPEN}"));
        visit(self);
        self.insert(end, &format!("{}}}", close(is_async)));
    }
}

impl<'a> Visit<'a> for Lowering {
    fn visit_program(&mut self, it: &Program<'a>) {
        let (Some(is_async), Some(first), Some(last)) = (usings(&it.body), it.body.first(), it.body.last()) else {
            walk::walk_program(self, it);
            return;
        };
        if self.module {
            self.top_level = Some(is_async);
            for statement in &it.body {
                match statement {
                    Statement::VariableDeclaration(d) if is_using(d) => self.declaration(d),
                    _ => {}
                }
                self.visit_statement(statement);
            }
        } else {
            self.scope(&it.body, first.span().start, last.span().end, is_async);
        }
    }

    fn visit_block_statement(&mut self, it: &BlockStatement<'a>) {
        match usings(&it.body) {
            Some(is_async) => self.scope(&it.body, it.span.start + 1, it.span.end - 1, is_async),
            None => walk::walk_block_statement(self, it),
        }
    }

    fn visit_function_body(&mut self, it: &FunctionBody<'a>) {
        match (usings(&it.statements), it.statements.first()) {
            (Some(is_async), Some(first)) => self.scope(&it.statements, first.span().start, it.span.end - 1, is_async),
            _ => walk::walk_function_body(self, it),
        }
    }

    fn visit_static_block(&mut self, it: &StaticBlock<'a>) {
        match (usings(&it.body), it.body.first()) {
            (Some(is_async), Some(first)) => self.scope(&it.body, first.span().start, it.span.end - 1, is_async),
            _ => walk::walk_static_block(self, it),
        }
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        let start = self.label_start.take().unwrap_or(it.span.start);
        let Some(ForStatementInit::VariableDeclaration(d)) = &it.init else {
            walk::walk_for_statement(self, it);
            return;
        };
        if !is_using(d) {
            walk::walk_for_statement(self, it);
            return;
        }
        let is_async = d.kind == VariableDeclarationKind::AwaitUsing;
        self.wrapped(start, it.span.end, is_async, |s| {
            s.declaration(d);
            walk::walk_for_statement(s, it);
        });
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        self.label_start = None;
        let ForStatementLeft::VariableDeclaration(d) = &it.left else {
            walk::walk_for_of_statement(self, it);
            return;
        };
        let binding = d.declarations.first().and_then(|b| b.id.get_binding_identifier());
        let (true, Some(binding)) = (is_using(d), binding) else {
            walk::walk_for_of_statement(self, it);
            return;
        };
        let is_async = d.kind == VariableDeclarationKind::AwaitUsing;
        self.edits.push(Edit { start: d.span.start, end: d.declarations[0].span.start, text: "const ".into() });
        self.visit_expression(&it.right);
        let add = if is_async { "a" } else { "u" };
        let body = it.body.span();
        self.insert(body.start, &format!("{{{OPEN}__ferro_u.{add}({});", binding.name));
        self.visit_statement(&it.body);
        self.insert(body.end, &format!("{}}}", close(is_async)));
    }

    fn visit_labeled_statement(&mut self, it: &LabeledStatement<'a>) {
        let outermost = self.label_start.unwrap_or(it.span.start);
        self.visit_label_identifier(&it.label);
        // Only the labelled statement itself sits behind the labels.
        let labels_kept = matches!(it.body, Statement::LabeledStatement(_) | Statement::ForStatement(_));
        self.label_start = labels_kept.then_some(outermost);
        self.visit_statement(&it.body);
        self.label_start = None;
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        let labels = self.label_start.take();
        walk::walk_function(self, it, flags);
        self.label_start = labels;
    }
}

/// `using name =` or `using name of` (no line break after `using`, as the grammar says):
/// a quick test before parsing, since "using" is a common word in comments.
fn has_using_declaration(source: &str) -> bool {
    crate::esm::has_keyword(source, "using", |rest| {
        let rest = rest.trim_start_matches([' ', '\t']);
        let name_len = rest.bytes().take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 || b == b'\\').count();
        let after = rest[name_len..].trim_start();
        name_len > 0 && (after.starts_with('=') && !after.starts_with("==") || after.starts_with("of"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(source: &str) -> String {
        lower(source, false).expect("lowered").code
    }

    #[test]
    fn parses_only_sources_that_may_declare_using() {
        assert!(!has_using_declaration("// using the cache, then using\n// it again == fine"));
        assert!(has_using_declaration("{ using res = open(); }"));
        assert!(has_using_declaration("for (await using x of list) {}"));
        assert!(!has_using_declaration("using\nx = 1"));
        assert!(lower("// using the cache\nconst using = 1;", false).is_none());
    }

    #[test]
    fn wraps_blocks_and_keeps_lines() {
        let out = lowered("{\n  using a = f();\n  g(a);\n}\n");
        assert_eq!(out.lines().count(), 4);
        assert!(out.starts_with("{const __ferro_u=__ferro_using();try{\n  const a = __ferro_u.u(f());\n"));
        assert!(out.contains("g(a);\n}catch(__ferro_e)"));
        assert!(lower("const using = 1; using + 1; // using", false).is_none());
    }

    #[test]
    fn lowers_functions_loops_and_await_using() {
        let out = lowered("async function f() { 'use strict'; await using a = x, b = y; }");
        assert!(out.contains("'use strict'; const __ferro_u=__ferro_using();try{const a = __ferro_u.a(x), b = __ferro_u.a(y);"));
        assert!(out.contains("await __ferro_r"));
        let out = lowered("for (using x of xs) f(x);");
        assert_eq!(out, format!("for (const x of xs) {{{OPEN}__ferro_u.u(x);f(x);{CLOSE_SYNC}}}"));
        let out = lowered("L: for (using x = a; ;) continue L;");
        assert!(out.starts_with(&format!("{{{OPEN}L: for (const x = __ferro_u.u(a);")));
    }

    #[test]
    fn module_top_level_is_left_to_the_module_wrapper() {
        let out = lower("import x from './x.js';\nawait using a = x;\nexport { a };\n", true).unwrap();
        assert_eq!(out.top_level, Some(true));
        assert!(out.code.contains("\nconst a = __ferro_u.a(x);\n"));
        assert!(!out.code.contains("try{"));
    }

    #[test]
    fn composes_column_shifts() {
        // `ab` → `aXXb` (first), then `aXXb` → `aXXYb` (second).
        let first = [ColumnShift { line: 0, column: 3, shift: 2 }];
        let second = [ColumnShift { line: 0, column: 4, shift: 1 }];
        // `b`, at 4 in the end, was at 1.
        assert_eq!(compose_shifts(&first, &second), vec![ColumnShift { line: 0, column: 4, shift: 3 }]);
    }
}
