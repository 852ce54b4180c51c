//! AsyncLocalStorage through `await`. JSC has no promise hook, so code that awaits is
//! rewritten to put its async context back when it resumes (node:async_hooks keeps the
//! context; `.then` reactions are wrapped in JS):
//!
//! ```text
//! await E                  →  __ferro_restore(__ferro_ctx(), await E)
//! try {…await…} catch {C}  →  {const __ferro_try_ctx = __ferro_ctx(); try {…} catch {__ferro_restore(__ferro_try_ctx); C}}
//! for await (…) B          →  {const __ferro_loop_ctx = __ferro_ctx(); for await (…) {__ferro_restore(__ferro_loop_ctx); B} __ferro_restore(__ferro_loop_ctx);}
//! ```
//!
//! A rejected `await` skips the call around it, hence the context kept for `catch` and
//! `finally`. Insertions only: the code keeps its lines; columns after an insertion on the
//! same line move.

use crate::esm::Edit;
use oxc::ast::ast::*;
use oxc::ast_visit::{walk, Visit};
use oxc::span::GetSpan;
use oxc::syntax::scope::ScopeFlags;

const CAPTURE: &str = "__ferro_ctx";

/// The edits for every `await` of a parsed program.
pub(crate) fn edits(program: &Program) -> Vec<Edit> {
    let mut scan = AwaitScan { edits: Vec::new(), awaits: vec![0], label_start: None };
    scan.visit_program(program);
    scan.edits
}

struct AwaitScan {
    edits: Vec<Edit>,
    /// Awaits seen so far in each enclosing function, innermost last.
    awaits: Vec<usize>,
    /// Where the labels in front of the statement being visited start.
    label_start: Option<u32>,
}

impl AwaitScan {
    fn insert(&mut self, at: u32, text: String) {
        self.edits.push(Edit { start: at, end: at, text });
    }

    fn awaits_here(&self) -> usize {
        *self.awaits.last().expect("function stack")
    }

    fn count_await(&mut self) {
        *self.awaits.last_mut().expect("function stack") += 1;
    }

    /// Restores `name` at the start of a block's body.
    fn restore_in_block(&mut self, block: &BlockStatement, name: &str) {
        self.insert(block.span.start + 1, format!("__ferro_restore({name});"));
    }

    fn in_function(&mut self, visit: impl FnOnce(&mut Self)) {
        let labels = self.label_start.take();
        self.awaits.push(0);
        visit(self);
        self.awaits.pop();
        self.label_start = labels;
    }
}

impl<'a> Visit<'a> for AwaitScan {
    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.in_function(|s| walk::walk_function(s, it, flags));
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.in_function(|s| walk::walk_arrow_function_expression(s, it));
    }

    fn visit_await_expression(&mut self, it: &AwaitExpression<'a>) {
        self.count_await();
        self.insert(it.span.start, format!("__ferro_restore({CAPTURE}(), "));
        walk::walk_await_expression(self, it);
        self.insert(it.span.end, ")".into());
    }

    fn visit_labeled_statement(&mut self, it: &LabeledStatement<'a>) {
        let outermost = self.label_start.unwrap_or(it.span.start);
        self.label_start = Some(outermost);
        self.visit_label_identifier(&it.label);
        // Only the labelled statement itself sits behind the labels.
        if !matches!(it.body, Statement::LabeledStatement(_) | Statement::ForOfStatement(_)) {
            self.label_start = None;
        }
        self.visit_statement(&it.body);
        self.label_start = None;
    }

    fn visit_try_statement(&mut self, it: &TryStatement<'a>) {
        let before = self.awaits_here();
        self.visit_block_statement(&it.block);
        let awaited = self.awaits_here() > before;
        if let Some(handler) = &it.handler {
            if awaited {
                self.restore_in_block(&handler.body, "__ferro_try_ctx");
            }
            self.visit_catch_clause(handler);
        }
        if let Some(finalizer) = &it.finalizer {
            if awaited {
                self.restore_in_block(finalizer, "__ferro_try_ctx");
            }
            self.visit_block_statement(finalizer);
        }
        if awaited && (it.handler.is_some() || it.finalizer.is_some()) {
            self.insert(it.span.start, format!("{{const __ferro_try_ctx = {CAPTURE}();"));
            self.insert(it.span.end, "}".into());
        }
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        let start = self.label_start.take().unwrap_or(it.span.start);
        if !it.r#await {
            walk::walk_for_of_statement(self, it);
            return;
        }
        self.count_await();
        self.insert(start, format!("{{const __ferro_loop_ctx = {CAPTURE}();"));
        self.visit_for_statement_left(&it.left);
        self.visit_expression(&it.right);
        match &it.body {
            Statement::BlockStatement(block) => self.restore_in_block(block, "__ferro_loop_ctx"),
            body => {
                self.insert(body.span().start, "{__ferro_restore(__ferro_loop_ctx);".into());
                self.insert(body.span().end, "}".into());
            }
        }
        self.visit_statement(&it.body);
        self.insert(it.span.end, "__ferro_restore(__ferro_loop_ctx);}".into());
    }
}

#[cfg(test)]
mod tests {
    use crate::esm::rewrite_script;

    /// The source with this module's edits only (the script rewrite makes others too).
    fn rewrite(source: &str) -> String {
        let allocator = oxc::allocator::Allocator::default();
        let parsed = oxc::parser::Parser::new(&allocator, source, oxc::span::SourceType::cjs()).parse();
        crate::esm::apply(source, super::edits(&parsed.program)).0
    }

    #[test]
    fn awaits_restore_their_context() {
        assert_eq!(rewrite("async () => a + await b;"), "async () => a + __ferro_restore(__ferro_ctx(), await b);");
        assert_eq!(
            rewrite("async function f() { await await g(); }"),
            "async function f() { __ferro_restore(__ferro_ctx(), await __ferro_restore(__ferro_ctx(), await g())); }"
        );
        assert!(rewrite_script("function f() { return 'await'; }").is_none());
    }

    #[test]
    fn catch_and_finally_after_awaits_get_the_try_context() {
        assert_eq!(
            rewrite("async () => { try { await x; } catch (e) { c(); } finally { f(); } try { y; } catch {} }"),
            "async () => { {const __ferro_try_ctx = __ferro_ctx();try { __ferro_restore(__ferro_ctx(), await x); } \
             catch (e) {__ferro_restore(__ferro_try_ctx); c(); } finally {__ferro_restore(__ferro_try_ctx); f(); }} try { y; } catch {} }"
        );
        // An await inside a nested function does not make the outer try async.
        assert_eq!(
            rewrite("async () => { try { async () => await x; } catch {} }"),
            "async () => { try { async () => __ferro_restore(__ferro_ctx(), await x); } catch {} }"
        );
    }

    #[test]
    fn for_await_keeps_its_labels_on_the_loop() {
        assert_eq!(
            rewrite("async () => { a: b: for await (const x of y) s(x); }"),
            "async () => { {const __ferro_loop_ctx = __ferro_ctx();a: b: for await (const x of y) \
             {__ferro_restore(__ferro_loop_ctx);s(x);}__ferro_restore(__ferro_loop_ctx);} }"
        );
    }

    #[test]
    fn stack_columns_map_back_through_the_insertions() {
        let source = "async function f() {\n  await g(); throw new Error('x');\n}";
        let out = rewrite_script(source).expect("rewritten");
        crate::sources::register_shifts("test:shifts", out.shifts);
        let thrown_at = out.code.lines().nth(1).unwrap().find("throw").unwrap() + 1;
        assert_eq!(crate::sources::original_position("test:shifts", 2, thrown_at), Some((2, 14)));
        assert_eq!(crate::sources::original_position("test:shifts", 2, 3), Some((2, 3)));
    }
}
