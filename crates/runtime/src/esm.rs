//! ES modules for an engine without a module API: each module's source is rewritten, by
//! splicing edits into the original text (so lines stay where they were), into a function
//! the JS loader calls with the module's namespace handle and its requests' namespaces:
//!
//! ```text
//! (function (__ferro_m, __ferro_meta, __ferro_import, __ferro_r0, __ferro_r1) {"use strict";
//!   __ferro_m.e({ x: () => x, default: () => __ferro_default });
//!   ...module body...
//! })
//! ```
//!
//! `__ferro_m.e` hands over the export getters (live bindings, hoisted functions already
//! initialised, `let`/`const` in their temporal dead zone). `__ferro_rN` are the namespaces
//! of the requested modules; references to imported bindings become member reads of them.
//!
//! A module in an import cycle needs its getters before its body runs, since the other
//! modules of the cycle may run first; so does one with top-level `await`, whose body the
//! loader resumes after each await. Those become generators the loader drives in two steps,
//! as the spec's module records do: linking runs them up to a `yield` after the getters,
//! evaluation resumes them. Top-level `await` makes the generator async. The rest stay
//! plain functions, run once at evaluation: the engine compiles those several times faster.

use oxc::allocator::Allocator;
use oxc::ast::ast::*;
use oxc::ast::AstKind;
use oxc::ast_visit::{walk, Visit};
use oxc::parser::Parser;
use oxc::semantic::SemanticBuilder;
use oxc::span::{GetSpan, SourceType, Span};
use oxc::syntax::scope::ScopeFlags;

pub use crate::sources::ColumnShift;

/// The rewritten module and what the loader needs to link it.
#[derive(Debug, Default)]
pub struct EsmModule {
    pub code: String,
    /// Length of the header put in front of the module's first line.
    pub header_len: usize,
    /// Module requests in source order: (specifier, import attribute `type` or "").
    pub requests: Vec<(String, String)>,
    /// Names imported from each request, with where they are named (for link errors).
    pub imports: Vec<Import>,
    /// Local names exported, in source order.
    pub exports: Vec<String>,
    /// `export * from` requests.
    pub star_exports: Vec<usize>,
    pub has_top_level_await: bool,
    /// Top-level `for await` needs a real async generator; otherwise top-level `await`s
    /// become `yield`s of a coroutine the loader drives, so the body starts synchronously.
    pub async_generator: bool,
    /// Whether `code` is a generator (see the module docs).
    pub generator: bool,
    /// How the body's columns moved (the header not included).
    pub shifts: Vec<ColumnShift>,
}

/// A name imported (or re-exported) from a request: the request's index, the name, and
/// its 1-based line and column and width in UTF-16 units in the source.
#[derive(Debug, PartialEq)]
pub struct Import {
    pub request: usize,
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

/// A syntax error, with its 1-based line and column.
#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

pub(crate) struct Edit {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

pub fn line_col(source: &str, offset: u32) -> (usize, usize) {
    let before = &source[..(offset as usize).min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.encode_utf16().count()) + 1;
    (line, col)
}

fn module_export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::IdentifierName(n) => n.name.to_string(),
        ModuleExportName::IdentifierReference(n) => n.name.to_string(),
        ModuleExportName::StringLiteral(s) => s.value.to_string(),
    }
}

fn import_at(source: &str, request: usize, name: String, span: Span) -> Import {
    let (line, column) = line_col(source, span.start);
    let width = source.get(span.start as usize..span.end as usize).map_or(0, |text| text.encode_utf16().count());
    Import { request, name, line, column, width }
}

fn import_type(with: &Option<oxc::allocator::Box<WithClause>>) -> String {
    with.as_ref()
        .and_then(|w| {
            w.with_entries.iter().find_map(|e| {
                let key = match &e.key {
                    ImportAttributeKey::Identifier(i) => i.name.to_string(),
                    ImportAttributeKey::StringLiteral(s) => s.value.to_string(),
                };
                (key == "type").then(|| e.value.value.to_string())
            })
        })
        .unwrap_or_default()
}

/// Replaces a span by spaces, keeping its line breaks so that lines do not move.
fn blank(source: &str, span: Span) -> String {
    source[span.start as usize..span.end as usize].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect()
}

fn js_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Finds `import(...)`, `import.meta`, top-level `await` and `catch (name)` clauses
/// anywhere in the program.
#[derive(Default)]
struct Scan {
    dynamic_imports: Vec<Span>,
    /// Where each `catch (name) {` body starts, after its brace, and the name.
    catch_bindings: Vec<(u32, String)>,
    /// The bodies of async functions (see `async_body_edits`).
    async_bodies: Vec<AsyncBody>,
    import_metas: Vec<Span>,
    function_depth: usize,
    top_level_await: bool,
    top_level_awaits: Vec<Span>,
    top_level_for_await: bool,
}

impl<'a> Visit<'a> for Scan {
    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        // Only the keyword is replaced; the arguments stay and are visited.
        self.dynamic_imports.push(Span::new(it.span.start, it.span.start + 6));
        walk::walk_import_expression(self, it);
    }

    fn visit_catch_clause(&mut self, it: &CatchClause<'a>) {
        if let Some(BindingPattern::BindingIdentifier(name)) = it.param.as_ref().map(|p| &p.pattern) {
            self.catch_bindings.push((it.body.span.start + 1, name.name.to_string()));
        }
        walk::walk_catch_clause(self, it);
    }

    fn visit_import_meta(&mut self, it: &ImportMeta) {
        self.import_metas.push(it.span);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        if let (true, false, Some(body)) = (it.r#async, it.generator, &it.body) {
            self.async_bodies.push(AsyncBody::block(body));
        }
        self.function_depth += 1;
        walk::walk_function(self, it, flags);
        self.function_depth -= 1;
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        if it.r#async {
            self.async_bodies.push(match &it.body {
                ArrowFunctionBody::FunctionBody(body) => AsyncBody::block(body),
                expression => {
                    let span = expression.span();
                    AsyncBody { open: span.start, close: span.end, expression: true }
                }
            });
        }
        self.function_depth += 1;
        walk::walk_arrow_function_expression(self, it);
        self.function_depth -= 1;
    }

    fn visit_await_expression(&mut self, it: &AwaitExpression<'a>) {
        if self.function_depth == 0 {
            self.top_level_await = true;
            self.top_level_awaits.push(it.span);
        }
        walk::walk_await_expression(self, it);
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        if it.r#await && self.function_depth == 0 {
            self.top_level_await = true;
            self.top_level_for_await = true;
        }
        walk::walk_for_of_statement(self, it);
    }
}

fn parse_error(source: &str, diagnostics: &oxc::diagnostics::Diagnostics) -> SyntaxError {
    let first = diagnostics.errors().next().expect("an error");
    let offset = first.labels.first().map_or(0, |l| l.offset() as u32);
    let (line, column) = line_col(source, offset);
    SyntaxError { message: first.message.to_string(), line, column }
}

/// Whether a script has ESM syntax (`import`/`export` statements, `import.meta`), for
/// Node's detection of ESM in `.js` files without a package `type`.
pub fn has_module_syntax(source: &str) -> bool {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::mjs()).parse();
    if parsed.diagnostics.has_errors() {
        return false;
    }
    let program = parsed.program;
    let statements = program.body.iter().any(|s| s.is_module_declaration());
    if statements {
        return true;
    }
    let mut scan = Scan::default();
    scan.visit_program(&program);
    !scan.import_metas.is_empty() || scan.top_level_await
}

/// A script (CommonJS module or `-e` code) rewritten for the loader.
pub struct RewrittenScript {
    pub code: String,
    pub shifts: Vec<ColumnShift>,
    /// Whether it calls `import()`, which then needs `__ferro_import` in scope.
    pub uses_import: bool,
}

/// Rewrites `import(` in a script so it reaches the loader, its `await`s so they keep the
/// async context (see crate::async_context), its `catch (e)` clauses (see `catch_edits`)
/// and its async functions' bodies (see `async_body_edits`); `None` when there is none of
/// these. The replacement of `import` keeps
/// the keyword's width.
pub fn rewrite_script(source: &str) -> Option<RewrittenScript> {
    // `using` declarations are lowered first; the rest rewrites the lowered code.
    let Some(lowered) = crate::explicit_resource::lower(source, false) else { return rewrite_lowered_script(source) };
    Some(match rewrite_lowered_script(&lowered.code) {
        Some(r) => RewrittenScript { shifts: crate::explicit_resource::compose_shifts(&lowered.shifts, &r.shifts), ..r },
        None => RewrittenScript { code: lowered.code, shifts: lowered.shifts, uses_import: false },
    })
}

/// Whether `source` holds `word` outside a longer identifier with `then(text after it)`:
/// a quick test before parsing, which may say yes wrongly (in a comment) but never no.
pub(crate) fn has_keyword(source: &str, word: &str, then: impl Fn(&str) -> bool) -> bool {
    // Only ASCII continues an identifier here: a non-ASCII neighbour may be whitespace.
    let continues_identifier = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'\\';
    let bytes = source.as_bytes();
    let mut from = 0;
    while let Some(i) = source[from..].find(word) {
        let (start, end) = (from + i, from + i + word.len());
        let alone = (start == 0 || !continues_identifier(bytes[start - 1]))
            && (end == bytes.len() || !continues_identifier(bytes[end]));
        if alone && then(&source[end..]) {
            return true;
        }
        from = end;
    }
    false
}

/// `import(` (maybe with a comment before the parenthesis), an `await`, a `catch (` or an
/// `async`: what the script rewrite acts on.
fn may_need_rewrite(source: &str) -> bool {
    has_keyword(source, "import", |rest| rest.trim_start().starts_with(['(', '/']))
        || has_keyword(source, "await", |_| true)
        || has_keyword(source, "catch", |rest| rest.trim_start().starts_with('('))
        || has_keyword(source, "async", |_| true)
}

/// `catch (e) {` gets a call of `__ferro_caught(e)` after its brace: an error the engine
/// threw (`null.x`) carries a stack in the engine's format until converted (see
/// internal/stack_trace.js), and the engine offers no hook where it makes one. The call is
/// guarded so that the function's source still runs where that global doesn't exist (a
/// browser given `fn.toString()`, a vm context).
fn catch_edits(scan: &Scan) -> impl Iterator<Item = Edit> + '_ {
    scan.catch_bindings.iter().map(|(at, name)| Edit {
        start: *at,
        end: *at,
        text: format!("typeof __ferro_caught === \"function\" && __ferro_caught({name});"),
    })
}

/// Where an async function's statements start (after its directives: `"use strict"` must
/// stay first) and end, or its expression when it is an arrow's body.
struct AsyncBody {
    open: u32,
    close: u32,
    expression: bool,
}

impl AsyncBody {
    fn block(body: &FunctionBody) -> AsyncBody {
        let open = body.directives.last().map_or(body.span.start + 1, |d| d.span.end);
        AsyncBody { open, close: body.span.end - 1, expression: false }
    }
}

const ASYNC_CATCH: &str =
    "} catch (__ferro_e) { typeof __ferro_caught === \"function\" && __ferro_caught(__ferro_e); throw __ferro_e; }";

/// An async function's body is wrapped in a `try` whose `catch` converts and rethrows:
/// an error the engine throws there (`null.x`) rejects the function's promise, and reaches
/// `.catch(e => …)` handlers with no catch clause of the program's own on the way (see
/// `catch_edits`). The opening edits go before any other edit at the same place, the
/// closing ones after: `(open, close)`.
fn async_body_edits(scan: &Scan) -> (Vec<Edit>, Vec<Edit>) {
    let insert = |at: u32, text: String| Edit { start: at, end: at, text };
    scan.async_bodies
        .iter()
        .map(|b| match b.expression {
            true => (insert(b.open, "{ try { return ".into()), insert(b.close, format!("; {ASYNC_CATCH} }}"))),
            false => (insert(b.open, "try {".into()), insert(b.close, ASYNC_CATCH.into())),
        })
        .unzip()
}

fn rewrite_lowered_script(source: &str) -> Option<RewrittenScript> {
    if !may_need_rewrite(source) {
        return None;
    }
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::cjs()).parse();
    if parsed.diagnostics.has_errors() {
        return None;
    }
    let mut scan = Scan::default();
    scan.visit_program(&parsed.program);
    let (mut edits, closing) = async_body_edits(&scan);
    edits.extend(crate::async_context::edits(&parsed.program));
    edits.extend(catch_edits(&scan));
    edits.extend(closing);
    if edits.is_empty() && scan.dynamic_imports.is_empty() {
        return None;
    }
    let uses_import = !scan.dynamic_imports.is_empty();
    edits.extend(scan.dynamic_imports.iter().map(|s| Edit { start: s.start, end: s.end, text: "__ferro_import".to_string() }));
    let (code, shifts) = apply(source, edits);
    Some(RewrittenScript { code, shifts, uses_import })
}

/// Splices the edits into the source. Also returns how columns moved, for errors to point
/// at the user's text (see crate::sources).
pub(crate) fn apply(source: &str, mut edits: Vec<Edit>) -> (String, Vec<ColumnShift>) {
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(source.len() + edits.len() * 16);
    let mut shifts = Vec::new();
    let mut at = 0usize;
    // Line and UTF-16 column of `at` in the output, and the shift so far on that line.
    let (mut line, mut column, mut shift) = (0u32, 0u32, 0i32);
    let mut splices = crate::function_source::capturing().then(Vec::new);
    let advance = |text: &str, line: &mut u32, column: &mut u32, shift: &mut i32| {
        let tail = match text.rfind('\n') {
            Some(last) => {
                *line += text.bytes().filter(|&b| b == b'\n').count() as u32;
                (*column, *shift) = (0, 0);
                &text[last + 1..]
            }
            None => text,
        };
        *column += if tail.is_ascii() { tail.len() as u32 } else { tail.encode_utf16().count() as u32 };
    };
    for e in edits {
        let (start, end) = (e.start as usize, e.end as usize);
        if start < at {
            continue;
        }
        out.push_str(&source[at..start]);
        advance(&source[at..start], &mut line, &mut column, &mut shift);
        if let Some(splices) = splices.as_mut() {
            let out_start = out.len();
            splices.push(crate::function_source::Splice { out_start, out_end: out_start + e.text.len(), src_start: start, src_end: end });
        }
        out.push_str(&e.text);
        let replaced = &source[start..end];
        if e.text.contains('\n') || replaced.contains('\n') {
            // Blanked spans keep their line breaks and widths.
            advance(&e.text, &mut line, &mut column, &mut shift);
        } else {
            let added = e.text.encode_utf16().count() as u32;
            let removed = replaced.encode_utf16().count() as u32;
            column += added;
            if added != removed {
                shift += added as i32 - removed as i32;
                shifts.push(ColumnShift { line, column, shift });
            }
        }
        at = end;
    }
    out.push_str(&source[at..]);
    if let Some(splices) = splices {
        crate::function_source::record(source, &out, splices);
    }
    (out, shifts)
}

/// Rewrites `source`; `in_cycle` asks for the generator form even without top-level await.
pub fn transform(source: &str, in_cycle: bool) -> Result<EsmModule, SyntaxError> {
    let lowered = crate::explicit_resource::lower(source, true);
    let source = lowered.as_ref().map_or(source, |l| l.code.as_str());
    let top_level_using = lowered.as_ref().and_then(|l| l.top_level);
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::mjs()).parse();
    if parsed.diagnostics.has_errors() {
        return Err(parse_error(source, &parsed.diagnostics));
    }
    let program = parsed.program;
    let semantic = SemanticBuilder::new().with_build_nodes(true).with_check_syntax_error(true).build(&program);
    if semantic.diagnostics.has_errors() {
        return Err(parse_error(source, &semantic.diagnostics));
    }
    let semantic = semantic.semantic;
    let scoping = semantic.scoping();
    let nodes = semantic.nodes();

    let mut module = EsmModule::default();
    let mut edits = Vec::new();
    // Export getters: (exported name, JS expression reading the binding).
    let mut getters: Vec<(String, String)> = Vec::new();
    let mut default_renames = Vec::new();

    let request = |module: &mut EsmModule, specifier: &str, kind: String| -> usize {
        if let Some(i) = module.requests.iter().position(|(s, k)| s == specifier && *k == kind) {
            return i;
        }
        module.requests.push((specifier.to_string(), kind));
        module.requests.len() - 1
    };

    for statement in &program.body {
        match statement {
            Statement::ImportDeclaration(decl) => {
                let r = request(&mut module, &decl.source.value, import_type(&decl.with_clause));
                edits.push(Edit { start: decl.span.start, end: decl.span.end, text: blank(source, decl.span) });
                let Some(specifiers) = &decl.specifiers else { continue };
                for spec in specifiers {
                    let (local, replacement) = match spec {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => {
                            let name = module_export_name(&s.imported);
                            module.imports.push(import_at(source, r, name.clone(), s.imported.span()));
                            (&s.local, format!("__ferro_r{r}[{}]", js_string(&name)))
                        }
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                            module.imports.push(import_at(source, r, "default".into(), s.local.span));
                            (&s.local, format!("__ferro_r{r}.default"))
                        }
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => (&s.local, format!("__ferro_r{r}")),
                    };
                    let Some(symbol) = local.symbol_id.get() else { continue };
                    for reference in scoping.get_resolved_references(symbol) {
                        let node = reference.node_id();
                        let span = nodes.kind(node).span();
                        let text = match nodes.parent_kind(node) {
                            AstKind::ObjectProperty(p) if p.shorthand => format!("{}: {replacement}", local.name),
                            AstKind::CallExpression(c) if c.callee.span() == span => format!("(0, {replacement})"),
                            AstKind::TaggedTemplateExpression(t) if t.tag.span() == span => format!("(0, {replacement})"),
                            AstKind::ExportSpecifier(_) => continue,
                            _ => replacement.clone(),
                        };
                        edits.push(Edit { start: span.start, end: span.end, text });
                    }
                }
            }
            Statement::ExportFromDeclaration(decl) => {
                let r = request(&mut module, &decl.source.value, import_type(&decl.with_clause));
                for spec in &decl.specifiers {
                    let (local, exported) = (module_export_name(&spec.local), module_export_name(&spec.exported));
                    module.imports.push(import_at(source, r, local.clone(), spec.local.span()));
                    let read = if local == "default" { format!("__ferro_r{r}.default") } else { format!("__ferro_r{r}[{}]", js_string(&local)) };
                    getters.push((exported, read));
                }
                edits.push(Edit { start: decl.span.start, end: decl.span.end, text: blank(source, decl.span) });
            }
            Statement::ExportDeclaration(decl) => {
                // `export ` goes; the declaration stays where it is.
                let keyword_end = decl.declaration.span().start;
                edits.push(Edit { start: decl.span.start, end: keyword_end, text: blank(source, Span::new(decl.span.start, keyword_end)) });
                for name in declared_names(&decl.declaration) {
                    getters.push((name.clone(), name));
                }
            }
            Statement::ExportNamedDeclaration(decl) => {
                for spec in &decl.specifiers {
                    let exported = module_export_name(&spec.exported);
                    let local = module_export_name(&spec.local);
                    // A re-exported import reads through the dependency's namespace.
                    let read = match &spec.local {
                        ModuleExportName::IdentifierReference(id) => import_read(id, scoping, &program).unwrap_or(local),
                        _ => local,
                    };
                    getters.push((exported, read));
                }
                edits.push(Edit { start: decl.span.start, end: decl.span.end, text: blank(source, decl.span) });
            }
            Statement::ExportDefaultDeclaration(decl) => {
                let keyword = Span::new(decl.span.start, decl.declaration.span().start);
                match &decl.declaration {
                    ExportDefaultDeclarationKind::FunctionDeclaration(f) => match &f.id {
                        Some(id) => {
                            edits.push(Edit { start: keyword.start, end: keyword.end, text: blank(source, keyword) });
                            getters.push(("default".into(), id.name.to_string()));
                        }
                        None => {
                            // An anonymous default function is hoisted and named "default".
                            edits.push(Edit { start: keyword.start, end: keyword.end, text: blank(source, keyword) });
                            let insert_at = function_name_insertion(source, f.span);
                            edits.push(Edit { start: insert_at, end: insert_at, text: " __ferro_default".into() });
                            default_renames.push("__ferro_default");
                            getters.push(("default".into(), "__ferro_default".into()));
                        }
                    },
                    ExportDefaultDeclarationKind::ClassDeclaration(c) => match &c.id {
                        Some(id) => {
                            edits.push(Edit { start: keyword.start, end: keyword.end, text: blank(source, keyword) });
                            getters.push(("default".into(), id.name.to_string()));
                        }
                        None => {
                            edits.push(Edit { start: keyword.start, end: keyword.end, text: "const __ferro_default = ".into() });
                            edits.push(Edit { start: decl.span.end, end: decl.span.end, text: ";".into() });
                            default_renames.push("__ferro_default");
                            getters.push(("default".into(), "__ferro_default".into()));
                        }
                    },
                    ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => {}
                    _ => {
                        edits.push(Edit { start: keyword.start, end: keyword.end, text: "const __ferro_default = ".into() });
                        getters.push(("default".into(), "__ferro_default".into()));
                        if is_anonymous_function_or_class(decl.declaration.span(), source) {
                            default_renames.push("__ferro_default");
                        }
                    }
                }
            }
            Statement::ExportAllDeclaration(decl) => {
                let r = request(&mut module, &decl.source.value, import_type(&decl.with_clause));
                match &decl.exported {
                    Some(name) => getters.push((module_export_name(name), format!("__ferro_r{r}"))),
                    None => module.star_exports.push(r),
                }
                edits.push(Edit { start: decl.span.start, end: decl.span.end, text: blank(source, decl.span) });
            }
            _ => {}
        }
    }

    let mut scan = Scan::default();
    scan.visit_program(&program);
    let (opening, closing) = async_body_edits(&scan);
    edits.extend(opening);
    edits.extend(crate::async_context::edits(&program));
    edits.extend(catch_edits(&scan));
    edits.extend(closing);
    for span in &scan.dynamic_imports {
        edits.push(Edit { start: span.start, end: span.end, text: "__ferro_import".into() });
    }
    for span in &scan.import_metas {
        edits.push(Edit { start: span.start, end: span.end, text: "__ferro_meta".into() });
    }
    module.has_top_level_await = scan.top_level_await || top_level_using == Some(true);
    module.async_generator = scan.top_level_for_await;
    if module.has_top_level_await && !module.async_generator {
        // `await x` → `(yield x)`: same precedence once parenthesised.
        for span in &scan.top_level_awaits {
            edits.push(Edit { start: span.start, end: span.start + 5, text: "(yield".into() });
            edits.push(Edit { start: span.end, end: span.end, text: ")".into() });
        }
    }

    module.exports = getters.iter().map(|(name, _)| name.clone()).collect();
    let params: String = (0..module.requests.len()).map(|i| format!(", __ferro_r{i}")).collect();
    let getter_list: Vec<String> = getters.iter().map(|(name, read)| format!("{}: () => {read}", js_string(name))).collect();
    let naming: String = if default_renames.is_empty() {
        String::new()
    } else {
        "__ferro_m.n(() => __ferro_default);".to_string()
    };
    let (using_open, using_close) = crate::explicit_resource::module_scope(top_level_using, module.async_generator);
    module.generator = in_cycle || module.has_top_level_await;
    let (keyword, first_step_end) = match (module.async_generator, module.generator) {
        (true, _) => ("async function*", "yield;"),
        (false, true) => ("function*", "yield;"),
        (false, false) => ("function", ""),
    };
    let header = format!(
        "({keyword} (__ferro_m, __ferro_meta, __ferro_import{params}) {{\"use strict\";{using_open}__ferro_m.e({{{}}});{first_step_end}",
        getter_list.join(", ")
    );
    module.header_len = header.encode_utf16().count();
    let (body, shifts) = apply(source, edits);
    module.shifts = match &lowered {
        Some(l) => crate::explicit_resource::compose_shifts(&l.shifts, &shifts),
        None => shifts,
    };
    module.code = format!("{header}{body}\n;{naming}{using_close}}})");
    Ok(module)
}

/// For `export { x }` where x is itself an import, the read goes through the namespace.
fn import_read(id: &IdentifierReference, scoping: &oxc::semantic::Scoping, program: &Program) -> Option<String> {
    let reference = id.reference_id.get()?;
    let symbol = scoping.get_reference(reference).symbol_id()?;
    let mut requests: Vec<(String, String)> = Vec::new();
    for statement in &program.body {
        match statement {
            Statement::ImportDeclaration(decl) => {
                let kind = import_type(&decl.with_clause);
                let r = match requests.iter().position(|(s, k)| *s == decl.source.value.as_str() && *k == kind) {
                    Some(i) => i,
                    None => {
                        requests.push((decl.source.value.to_string(), kind));
                        requests.len() - 1
                    }
                };
                for spec in decl.specifiers.iter().flatten() {
                    let (local, read) = match spec {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => (&s.local, format!("__ferro_r{r}[{}]", js_string(&module_export_name(&s.imported)))),
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => (&s.local, format!("__ferro_r{r}.default")),
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => (&s.local, format!("__ferro_r{r}")),
                    };
                    if local.symbol_id.get() == Some(symbol) {
                        return Some(read);
                    }
                }
            }
            Statement::ExportFromDeclaration(decl) => {
                let kind = import_type(&decl.with_clause);
                if !requests.iter().any(|(s, k)| *s == decl.source.value.as_str() && *k == kind) {
                    requests.push((decl.source.value.to_string(), kind));
                }
            }
            Statement::ExportAllDeclaration(decl) => {
                let kind = import_type(&decl.with_clause);
                if !requests.iter().any(|(s, k)| *s == decl.source.value.as_str() && *k == kind) {
                    requests.push((decl.source.value.to_string(), kind));
                }
            }
            _ => {}
        }
    }
    None
}

fn declared_names(declaration: &Declaration) -> Vec<String> {
    match declaration {
        Declaration::VariableDeclaration(v) => v
            .declarations
            .iter()
            .flat_map(|d| d.id.get_binding_identifiers().into_iter().map(|b| b.name.to_string()))
            .collect(),
        Declaration::FunctionDeclaration(f) => f.id.iter().map(|i| i.name.to_string()).collect(),
        Declaration::ClassDeclaration(c) => c.id.iter().map(|i| i.name.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Where a name goes in `function (` / `async function* (`: right after the keyword(s).
fn function_name_insertion(source: &str, span: Span) -> u32 {
    let text = &source[span.start as usize..span.end as usize];
    let keyword = text.find("function").unwrap_or(0) + "function".len();
    let after = &text[keyword..];
    let star = if after.trim_start().starts_with('*') { after.find('*').unwrap() + 1 } else { 0 };
    span.start + (keyword + star) as u32
}

fn is_anonymous_function_or_class(span: Span, source: &str) -> bool {
    let text = source[span.start as usize..span.end as usize].trim_start();
    text.starts_with("function") || text.starts_with("async") || text.starts_with("class") || text.starts_with('(')
}

/// What a CommonJS module exports, found statically as Node's cjs-module-lexer does for
/// the usual patterns: names from `exports.x =`, `module.exports.x =`,
/// `Object.defineProperty(exports, 'x', { value | get: function () { return id } })` and
/// `module.exports = { x, y: z }`; re-exports from `module.exports = require('m')`,
/// `...require('m')` spread into it, and TypeScript's `__exportStar(require('m'), exports)`
/// (also as `tslib.__exportStar`) and `__export(require('m'))`.
#[derive(Debug, Default, PartialEq)]
pub struct CjsExports {
    pub names: Vec<String>,
    pub reexports: Vec<String>,
}

pub fn cjs_exports(source: &str) -> CjsExports {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::cjs()).parse();
    if parsed.diagnostics.has_errors() {
        return CjsExports::default();
    }
    let mut found = CjsExports::default();
    found.visit_program(&parsed.program);
    let mut seen = std::collections::HashSet::new();
    found.names.retain(|n| seen.insert(n.clone()));
    found
}

fn is_exports_object(expr: &Expression) -> bool {
    match expr {
        Expression::Identifier(id) => id.name == "exports",
        Expression::StaticMemberExpression(m) => {
            m.property.name == "exports" && matches!(&m.object, Expression::Identifier(id) if id.name == "module")
        }
        _ => false,
    }
}

fn is_module_exports(target: &AssignmentTarget) -> bool {
    match target {
        AssignmentTarget::StaticMemberExpression(m) => {
            m.property.name == "exports" && matches!(&m.object, Expression::Identifier(id) if id.name == "module")
        }
        _ => false,
    }
}

/// `require('x')` → `x`.
fn required_specifier<'b>(expr: &'b Expression) -> Option<&'b str> {
    let Expression::CallExpression(call) = expr else { return None };
    let Expression::Identifier(callee) = &call.callee else { return None };
    if callee.name != "require" || call.arguments.len() != 1 {
        return None;
    }
    match &call.arguments[0] {
        Argument::StringLiteral(s) => Some(s.value.as_str()),
        _ => None,
    }
}

/// A property descriptor the lexer accepts: a `value`, or a getter function returning an
/// identifier or member expression.
fn is_detectable_descriptor(expr: &Expression) -> bool {
    let Expression::ObjectExpression(obj) = expr else { return false };
    obj.properties.iter().any(|p| {
        let ObjectPropertyKind::ObjectProperty(p) = p else { return false };
        match p.key.static_name().as_deref() {
            Some("value") => true,
            Some("get") if !p.method => match &p.value {
                Expression::FunctionExpression(f) => f.body.as_ref().is_some_and(|b| {
                    matches!(b.statements.as_slice(), [Statement::ReturnStatement(r)]
                        if matches!(r.argument, Some(Expression::Identifier(_)) | Some(Expression::StaticMemberExpression(_))))
                }),
                _ => false,
            },
            _ => false,
        }
    })
}

impl<'a> Visit<'a> for CjsExports {
    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        match &it.left {
            AssignmentTarget::StaticMemberExpression(m) if is_exports_object(&m.object) => {
                self.names.push(m.property.name.to_string());
            }
            AssignmentTarget::ComputedMemberExpression(m) if is_exports_object(&m.object) => {
                if let Expression::StringLiteral(s) = &m.expression {
                    self.names.push(s.value.to_string());
                }
            }
            target if is_module_exports(target) => {
                if let Some(specifier) = required_specifier(&it.right) {
                    self.reexports.push(specifier.to_string());
                }
                if let Expression::ObjectExpression(obj) = &it.right {
                    // Like the lexer, stop at the first property it cannot read.
                    for prop in &obj.properties {
                        match prop {
                            ObjectPropertyKind::ObjectProperty(p) => {
                                let simple_value = p.shorthand
                                    || matches!(
                                        p.value,
                                        Expression::Identifier(_)
                                            | Expression::StaticMemberExpression(_)
                                            | Expression::BooleanLiteral(_)
                                            | Expression::NullLiteral(_)
                                    );
                                match &p.key {
                                    PropertyKey::StaticIdentifier(id) if simple_value && !p.computed => {
                                        self.names.push(id.name.to_string());
                                    }
                                    _ => break,
                                }
                            }
                            ObjectPropertyKind::SpreadProperty(spread) => match required_specifier(&spread.argument) {
                                Some(specifier) => self.reexports.push(specifier.to_string()),
                                None => break,
                            },
                        }
                    }
                }
            }
            _ => {}
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let helper = match &it.callee {
            Expression::Identifier(id) => Some(id.name.as_str()),
            Expression::StaticMemberExpression(m) => Some(m.property.name.as_str()),
            _ => None,
        };
        if matches!(helper, Some("__exportStar" | "__export")) {
            if let Some(specifier) = it.arguments.first().and_then(|a| a.as_expression()).and_then(required_specifier) {
                self.reexports.push(specifier.to_string());
            }
        }
        let is_define = matches!(&it.callee, Expression::StaticMemberExpression(m)
            if m.property.name == "defineProperty" && matches!(&m.object, Expression::Identifier(id) if id.name == "Object"));
        if is_define && it.arguments.len() >= 3 {
            let target = it.arguments[0].as_expression();
            let descriptor = it.arguments[2].as_expression();
            if let (Some(target), Argument::StringLiteral(name), Some(descriptor)) = (target, &it.arguments[1], descriptor) {
                if is_exports_object(target) && is_detectable_descriptor(descriptor) {
                    self.names.push(name.value.to_string());
                }
            }
        }
        walk::walk_call_expression(self, it);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catch_clauses_with_a_name_hand_it_over_first() {
        let out = rewrite_script("try { a(); } catch (e) { b(e); }\ntry {} catch {}\ntry {} catch ({ message }) {}\nx.catch(f);").unwrap();
        let call = "typeof __ferro_caught === \"function\" && __ferro_caught(e);";
        assert_eq!(out.code, format!("try {{ a(); }} catch (e) {{{call} b(e); }}\ntry {{}} catch {{}}\ntry {{}} catch ({{ message }}) {{}}\nx.catch(f);"));
        let shift = &out.shifts[0];
        assert_eq!((shift.line, shift.shift), (0, call.len() as i32), "later columns of the line move by the insertion");
        assert!(rewrite_script("x.catch(f); const catcher = 1;").is_none());
        let module = transform("try { a(); } catch (err) { throw err; }\n", false).unwrap();
        assert!(module.code.contains("catch (err) {typeof __ferro_caught === \"function\" && __ferro_caught(err); throw err; }"));
    }

    #[test]
    fn async_bodies_rethrow_through_the_caught_hook() {
        let call = "typeof __ferro_caught === \"function\" && __ferro_caught(__ferro_e);";
        let catch = format!("}} catch (__ferro_e) {{ {call} throw __ferro_e; }}");
        let out = rewrite_script("async function f() {\n  'use strict';\n  return g();\n}\nfunction* h() {}\nasync function* i() {}\n").unwrap();
        assert_eq!(out.code, format!("async function f() {{\n  'use strict';try {{\n  return g();\n{catch}}}\nfunction* h() {{}}\nasync function* i() {{}}\n"));
        let out = rewrite_script("const a = async (x) => await x;\nconst b = async () => { };\nclass C { async m() {} }").unwrap();
        assert_eq!(
            out.code,
            format!(
                "const a = async (x) => {{ try {{ return __ferro_restore(__ferro_ctx(), await x); {catch} }};\nconst b = async () => {{try {{ {catch}}};\nclass C {{ async m() {{try {{{catch}}} }}"
            )
        );
        let module = transform("export default async () => ({ a: 1 });\n", false).unwrap();
        assert!(module.code.contains(&format!("async () => {{ try {{ return ({{ a: 1 }}); {catch} }}")), "{}", module.code);
        assert!(rewrite_script("const asyncish = 1;").is_none());
    }

    #[test]
    fn rewrites_imports_exports_and_keeps_lines() {
        let src = "import a, { b as c } from './x.js';\nexport const d = c + a;\nexport function f() { return c(); }\nexport default 5;\n";
        let m = transform(src, false).unwrap();
        assert_eq!(m.requests, vec![("./x.js".to_string(), String::new())]);
        assert_eq!(m.exports, vec!["d", "f", "default"]);
        let imports: Vec<(usize, &str, usize, usize, usize)> =
            m.imports.iter().map(|i| (i.request, i.name.as_str(), i.line, i.column, i.width)).collect();
        assert_eq!(imports, vec![(0, "default", 1, 8, 1), (0, "b", 1, 13, 1)]);
        assert!(m.code.contains("const d = __ferro_r0[\"b\"] + __ferro_r0.default;"));
        assert!(m.code.contains("return (0, __ferro_r0[\"b\"])();"));
        assert!(m.code.contains("const __ferro_default = 5;"));
        // Every line of the module stays on its line.
        assert!(m.code.lines().nth(1).unwrap().starts_with("       const d"));
        assert!(m.code.lines().nth(3).unwrap().contains("const __ferro_default = 5;"));
        assert!(!m.has_top_level_await);
        assert!(!m.generator && m.code.starts_with("(function (") && !m.code.contains("yield"));
        // In a cycle the getters come first, then the body waits for evaluation.
        let cyclic = transform(src, true).unwrap();
        assert!(cyclic.generator && cyclic.code.starts_with("(function* (") && cyclic.code.contains("});yield;"));
    }

    #[test]
    fn scripts_are_parsed_only_when_they_may_call_import_or_await() {
        assert!(!may_need_rewrite("// important: imports are reimported\nconst importer = 1; x.awaited = 2;"));
        assert!(may_need_rewrite("const m = import('./a.js');"));
        assert!(may_need_rewrite("const m = import /* why */ ('./a.js');"));
        assert!(may_need_rewrite("async function f() { return await g(); }"));
        assert!(may_need_rewrite("\u{a0}await x"));
        assert!(rewrite_script("const important = 'imports';").is_none());
        assert!(rewrite_script("f(import('./a.js'));").unwrap().uses_import);
    }

    #[test]
    fn star_exports_namespaces_meta_and_await() {
        let m = transform("export * from './a.js';\nexport * as ns from './b.js';\nconsole.log(import.meta.url, await import('./c.js'));", false).unwrap();
        assert_eq!(m.star_exports, vec![0]);
        assert_eq!(m.exports, vec!["ns"]);
        assert!(m.has_top_level_await);
        assert!(!m.async_generator);
        assert!(m.generator);
        assert!(m.code.starts_with("(function*"));
        assert!(m.code.contains("(yield __ferro_import('./c.js'))"));
        assert!(m.code.contains("__ferro_meta.url"));
        assert!(m.code.contains("__ferro_import('./c.js')"));
    }

    #[test]
    fn shorthand_properties_and_reexported_imports() {
        let m = transform("import { x } from './a.js';\nconst o = { x };\nexport { x as y };", false).unwrap();
        assert!(m.code.contains("{ x: __ferro_r0[\"x\"] }"));
        assert!(m.code.contains("\"y\": () => __ferro_r0[\"x\"]"));
    }

    #[test]
    fn finds_commonjs_exports() {
        let found = cjs_exports(
            "exports.a = 1; module.exports.b = 2; Object.defineProperty(exports, 'c', { value: 1 }); \
             Object.defineProperty(exports, 'g', { get() { return 1 } }); if (x) { exports['d'] = 3 }",
        );
        assert_eq!(found.names, vec!["a", "b", "c", "d"]);
        let found = cjs_exports("module.exports = { ...require('./more'), x, y: z, t: true, n: 1, after }");
        assert_eq!(found.names, vec!["x", "y", "t"]);
        assert_eq!(found.reexports, vec!["./more"]);
    }

    #[test]
    fn finds_typescript_star_reexports() {
        let src = "__exportStar(require(\"./types\"), exports);\ntslib_1.__exportStar(require('./more'), exports);\n__export(require('./old'));\nfoo(require('./not'));\n";
        assert_eq!(cjs_exports(src).reexports, ["./types", "./more", "./old"]);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = transform("let a = 1;\nlet = = 2;", false).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(has_module_syntax("export const a = 1"));
        assert!(!has_module_syntax("module.exports = 1"));
    }
}
