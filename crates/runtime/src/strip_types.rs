//! `module.stripTypeScriptTypes` in strip mode: TypeScript syntax is replaced by spaces (one
//! per byte, line breaks kept), so every position in the output is the input's. Syntax that
//! would need code generated (enums, namespaces with values, parameter properties...) is
//! refused, as Node refuses it.

use oxc::allocator::Allocator;
use oxc::ast::ast::*;
use oxc::ast_visit::{walk, Visit};
use oxc::parser::Parser;
use oxc::span::{GetSpan, SourceType, Span};
use oxc::syntax::scope::ScopeFlags;

#[derive(Debug, PartialEq)]
pub enum StripError {
    /// Not TypeScript (ERR_INVALID_TYPESCRIPT_SYNTAX).
    Invalid(String),
    /// TypeScript that strip mode cannot express (ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX).
    Unsupported(String),
}

pub fn strip(source: &str) -> Result<String, StripError> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::ts().with_module(true)).parse();
    if let Some(first) = parsed.diagnostics.errors().next() {
        return Err(StripError::Invalid(first.message.to_string()));
    }
    let mut stripper = Stripper { source, blanks: Vec::new(), semicolons: Vec::new(), error: None };
    stripper.visit_program(&parsed.program);
    if let Some(message) = stripper.error {
        return Err(StripError::Unsupported(message));
    }
    // Each blanked character becomes whitespace of its UTF-8 length (and so of its UTF-16
    // length), as Node's stripper does: offsets and columns both stay.
    let mut blanks = stripper.blanks;
    blanks.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(source.len());
    let mut semicolons = stripper.semicolons;
    semicolons.sort_unstable();
    let mut at = 0usize;
    for span in blanks {
        let (start, end) = (span.start as usize, span.end as usize);
        if end <= at {
            continue;
        }
        let start = start.max(at);
        out.push_str(&source[at..start]);
        for (i, c) in source[start..end].char_indices() {
            match c {
                '\n' | '\r' => out.push(c),
                _ if semicolons.binary_search(&((start + i) as u32)).is_ok() => out.push(';'),
                _ => out.push_str(match c.len_utf8() {
                    1 => " ",
                    2 => "\u{a0}",
                    3 => "\u{2002}",
                    _ => " \u{feff}",
                }),
            }
        }
        at = end;
    }
    out.push_str(&source[at..]);
    Ok(out)
}

struct Stripper<'s> {
    source: &'s str,
    blanks: Vec<Span>,
    /// Blanked positions that get a `;`, where removing `as T` would join two lines.
    semicolons: Vec<u32>,
    error: Option<String>,
}

impl Stripper<'_> {
    fn blank(&mut self, span: Span) {
        self.blanks.push(span);
    }

    fn refuse(&mut self, message: &str) {
        self.error.get_or_insert_with(|| message.to_string());
    }

    /// Blanks a statement or class member and the `;` right after it.
    fn blank_with_semicolon(&mut self, span: Span) {
        let rest = &self.source[span.end as usize..];
        let end = match rest.trim_start_matches([' ', '\t']).strip_prefix(';') {
            Some(after) => self.source.len() - after.len(),
            None => span.end as usize,
        };
        self.blank(Span::new(span.start, end as u32));
    }

    /// Blanks `span` and a `,` that follows it (a removed list item).
    fn blank_with_comma(&mut self, span: Span) {
        let rest = &self.source[span.end as usize..];
        let end = match rest.trim_start().strip_prefix(',') {
            Some(after) => self.source.len() - after.len(),
            None => span.end as usize,
        };
        self.blank(Span::new(span.start, end as u32));
    }

    /// Blanks the first whole-word `word` in `[from, to)`.
    fn blank_word(&mut self, from: u32, to: u32, word: &str) {
        let text = &self.source[from as usize..to as usize];
        let mut search = 0;
        while let Some(i) = text[search..].find(word) {
            let at = search + i;
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
            if !is_word(before) && !is_word(after) {
                let start = from + at as u32;
                self.blank(Span::new(start, start + word.len() as u32));
                return;
            }
            search = at + word.len();
        }
    }

    /// Blanks the first `mark` (`?` or `!`) in `[from, to)`.
    fn blank_mark(&mut self, from: u32, to: u32, mark: char) {
        if let Some(i) = self.source[from as usize..to as usize].find(mark) {
            let at = from + i as u32;
            self.blank(Span::new(at, at + 1));
        }
    }

    /// Where a member's modifiers start: after its decorators.
    fn modifiers_start(&self, span: Span, decorators: &[Decorator]) -> u32 {
        decorators.last().map_or(span.start, |d| d.span.end)
    }

    fn blank_modifiers(&mut self, from: u32, to: u32, words: &[(&str, bool)]) {
        for (word, present) in words {
            if *present {
                self.blank_word(from, to, word);
            }
        }
    }

    /// `expr as T` / `expr satisfies T`: the type goes; a `;` keeps the next line apart
    /// when it starts with something that would continue the expression.
    fn blank_type_tail(&mut self, expression_end: u32, end: u32) {
        self.blank(Span::new(expression_end, end));
        let rest = &self.source[end as usize..];
        let same_line = rest.trim_start_matches([' ', '\t']);
        if same_line.starts_with(['\n', '\r']) {
            let next = same_line.trim_start();
            if next.starts_with(['(', '[', '`', '+', '-', '/']) {
                // In place of the `as`/`satisfies` keyword.
                let gap = self.source[expression_end as usize..end as usize].len() - self.source[expression_end as usize..end as usize].trim_start().len();
                self.semicolons.push(expression_end + gap as u32);
            }
        }
    }
}

/// Whether a namespace body holds types only (then it goes entirely).
fn is_type_only(statement: &Statement) -> bool {
    match statement {
        Statement::ExportDeclaration(e) => declaration_is_type(&e.declaration),
        _ => statement.as_declaration().is_some_and(declaration_is_type),
    }
}

fn namespace_type_only(body: &TSNamespaceDeclarationBody) -> bool {
    match body {
        TSNamespaceDeclarationBody::TSModuleBlock(block) => block.body.iter().all(is_type_only),
        TSNamespaceDeclarationBody::TSNamespaceDeclaration(inner) => inner.declare || namespace_type_only(&inner.body),
    }
}

/// Declarations that are types only.
fn declaration_is_type(declaration: &Declaration) -> bool {
    match declaration {
        Declaration::TSInterfaceDeclaration(_) | Declaration::TSTypeAliasDeclaration(_) => true,
        Declaration::VariableDeclaration(v) => v.declare,
        Declaration::FunctionDeclaration(f) => f.declare || f.body.is_none(),
        Declaration::ClassDeclaration(c) => c.declare,
        Declaration::TSEnumDeclaration(e) => e.declare,
        Declaration::TSExternalModuleDeclaration(m) => m.declare || m.body.is_none(),
        Declaration::TSGlobalDeclaration(_) => true,
        Declaration::TSNamespaceDeclaration(n) => n.declare || namespace_type_only(&n.body),
        _ => false,
    }
}

impl<'a> Visit<'a> for Stripper<'_> {
    fn visit_statement(&mut self, it: &Statement<'a>) {
        match it {
            Statement::TSImportEqualsDeclaration(_) => self.refuse("TypeScript import equals declaration is not supported in strip-only mode"),
            Statement::TSExportAssignment(_) => self.refuse("TypeScript export assignment is not supported in strip-only mode"),
            Statement::TSNamespaceExportDeclaration(d) => self.blank_with_semicolon(d.span),
            Statement::ExportDeclaration(e) if declaration_is_type(&e.declaration) => self.blank_with_semicolon(e.span),
            Statement::ExportDefaultDeclaration(e) if matches!(e.declaration, ExportDefaultDeclarationKind::TSInterfaceDeclaration(_)) => self.blank(e.span),
            Statement::ExportNamedDeclaration(e) if e.export_kind.is_type() => self.blank_with_semicolon(e.span),
            Statement::ExportFromDeclaration(e) if e.export_kind.is_type() => self.blank_with_semicolon(e.span),
            Statement::ImportDeclaration(i) if i.import_kind.is_type() => self.blank_with_semicolon(i.span),
            _ => match it.as_declaration() {
                Some(declaration) if declaration_is_type(declaration) => self.blank_with_semicolon(it.span()),
                _ => walk::walk_statement(self, it),
            },
        }
    }

    fn visit_ts_enum_declaration(&mut self, _: &TSEnumDeclaration<'a>) {
        self.refuse("TypeScript enum is not supported in strip-only mode");
    }

    fn visit_ts_namespace_declaration(&mut self, _: &TSNamespaceDeclaration<'a>) {
        self.refuse("TypeScript namespace declaration is not supported in strip-only mode");
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        for specifier in it.specifiers.iter().flatten() {
            if let ImportDeclarationSpecifier::ImportSpecifier(s) = specifier {
                if s.import_kind.is_type() {
                    self.blank_with_comma(s.span);
                }
            }
        }
    }

    fn visit_export_named_declaration(&mut self, it: &ExportNamedDeclaration<'a>) {
        for s in &it.specifiers {
            if s.export_kind.is_type() {
                self.blank_with_comma(s.span);
            }
        }
    }

    fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
        for s in &it.specifiers {
            if s.export_kind.is_type() {
                self.blank_with_comma(s.span);
            }
        }
    }

    fn visit_ts_type_annotation(&mut self, it: &TSTypeAnnotation<'a>) {
        self.blank(it.span);
    }

    fn visit_ts_type_parameter_declaration(&mut self, it: &TSTypeParameterDeclaration<'a>) {
        self.blank(it.span);
    }

    fn visit_ts_type_parameter_instantiation(&mut self, it: &TSTypeParameterInstantiation<'a>) {
        self.blank(it.span);
    }

    fn visit_ts_this_parameter(&mut self, it: &TSThisParameter<'a>) {
        self.blank_with_comma(it.span);
    }

    fn visit_ts_as_expression(&mut self, it: &TSAsExpression<'a>) {
        self.visit_expression(&it.expression);
        self.blank_type_tail(it.expression.span().end, it.span.end);
    }

    fn visit_ts_satisfies_expression(&mut self, it: &TSSatisfiesExpression<'a>) {
        self.visit_expression(&it.expression);
        self.blank_type_tail(it.expression.span().end, it.span.end);
    }

    fn visit_ts_non_null_expression(&mut self, it: &TSNonNullExpression<'a>) {
        self.visit_expression(&it.expression);
        self.blank_mark(it.expression.span().end, it.span.end, '!');
    }

    fn visit_ts_type_assertion(&mut self, _: &TSTypeAssertion<'a>) {
        self.refuse("The angle-bracket syntax for type assertions, `<T>expr`, is not supported in type strip mode. Instead, use the 'as' syntax: `expr as T`.");
    }

    fn visit_formal_parameter(&mut self, it: &FormalParameter<'a>) {
        if it.accessibility.is_some() || it.readonly || it.r#override {
            self.refuse("TypeScript parameter property is not supported in strip-only mode");
            return;
        }
        if it.optional {
            let end = it.type_annotation.as_ref().map_or(it.span.end, |t| t.span.start);
            self.blank_mark(it.pattern.span().end, end, '?');
        }
        walk::walk_formal_parameter(self, it);
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        if it.definite {
            let end = it.type_annotation.as_ref().map_or(it.span.end, |t| t.span.start);
            self.blank_mark(it.id.span().end, end, '!');
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        if it.declare || it.body.is_none() {
            self.blank_with_semicolon(it.span);
            return;
        }
        walk::walk_function(self, it, flags);
    }

    fn visit_class(&mut self, it: &Class<'a>) {
        if it.declare {
            self.blank_with_semicolon(it.span);
            return;
        }
        let keyword_end = it.id.as_ref().map_or(it.body.span.start, |id| id.span.start);
        if it.r#abstract {
            self.blank_word(self.modifiers_start(it.span, &it.decorators), keyword_end, "abstract");
        }
        if let (Some(first), Some(last)) = (it.implements.first(), it.implements.last()) {
            let before = &self.source[..first.span.start as usize];
            if let Some(keyword) = before.rfind("implements") {
                self.blank(Span::new(keyword as u32, last.span.end));
            }
        }
        walk::walk_class(self, it);
    }

    fn visit_method_definition(&mut self, it: &MethodDefinition<'a>) {
        if it.r#type.is_abstract() || it.value.body.is_none() {
            self.blank_with_semicolon(it.span);
            return;
        }
        let (from, to) = (self.modifiers_start(it.span, &it.decorators), it.key.span().start);
        self.blank_modifiers(from, to, &[(accessibility_word(it.accessibility), it.accessibility.is_some()), ("override", it.r#override)]);
        if it.optional {
            self.blank_mark(it.key.span().end, it.value.span.end, '?');
        }
        walk::walk_method_definition(self, it);
    }

    fn visit_property_definition(&mut self, it: &PropertyDefinition<'a>) {
        if it.r#type.is_abstract() || it.declare {
            self.blank_with_semicolon(it.span);
            return;
        }
        let (from, to) = (self.modifiers_start(it.span, &it.decorators), it.key.span().start);
        self.blank_modifiers(
            from,
            to,
            &[(accessibility_word(it.accessibility), it.accessibility.is_some()), ("readonly", it.readonly), ("override", it.r#override)],
        );
        let mark_end = it.type_annotation.as_ref().map(|t| t.span.start).or(it.value.as_ref().map(|v| v.span().start)).unwrap_or(it.span.end);
        if it.optional {
            self.blank_mark(it.key.span().end, mark_end, '?');
        }
        if it.definite {
            self.blank_mark(it.key.span().end, mark_end, '!');
        }
        walk::walk_property_definition(self, it);
    }

    fn visit_accessor_property(&mut self, it: &AccessorProperty<'a>) {
        let (from, to) = (self.modifiers_start(it.span, &it.decorators), it.key.span().start);
        self.blank_modifiers(from, to, &[(accessibility_word(it.accessibility), it.accessibility.is_some()), ("override", it.r#override)]);
        walk::walk_accessor_property(self, it);
    }

    fn visit_ts_index_signature(&mut self, it: &TSIndexSignature<'a>) {
        self.blank_with_semicolon(it.span);
    }
}

fn accessibility_word(accessibility: Option<TSAccessibility>) -> &'static str {
    match accessibility {
        Some(TSAccessibility::Private) => "private",
        Some(TSAccessibility::Protected) => "protected",
        _ => "public",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(source: &str) -> String {
        strip(source).expect("strips")
    }

    #[test]
    fn types_become_spaces_of_the_same_width() {
        assert_eq!(ok("const a: number = 1;"), "const a         = 1;");
        assert_eq!(ok("function f<T>(x: T, y?: string): T { return x as T; }"), "function f   (x   , y         )    { return x     ; }");
        assert_eq!(ok("let a: \"é\" = 1;"), "let a   \u{a0}  = 1;");
        assert_eq!(ok("function f(this: Foo, a: number) {}"), "function f(           a        ) {}");
        assert_eq!(ok("import { type B, C } from \"b\";"), "import {         C } from \"b\";");
        assert_eq!(ok("let a = b as any\n[1].map(x => x)"), "let a = b ;     \n[1].map(x => x)");
        assert_eq!(
            ok("abstract class Q<T> extends R<T> implements S, U { }"),
            "         class Q    extends R                    { }"
        );
    }

    #[test]
    fn syntax_that_needs_code_is_refused() {
        assert_eq!(strip("enum E { A }"), Err(StripError::Unsupported("TypeScript enum is not supported in strip-only mode".into())));
        assert!(matches!(strip("class C { constructor(public y: string) {} }"), Err(StripError::Unsupported(_))));
        assert!(matches!(strip("let x: = 1"), Err(StripError::Invalid(_))));
    }
}
