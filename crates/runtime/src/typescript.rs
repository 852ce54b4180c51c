//! TypeScript and JSX to JavaScript with oxc: types stripped, enums, namespaces and
//! parameter properties transformed, JSX compiled for the automatic React runtime
//! (`react/jsx-runtime`). The position mappings let stack traces name original lines.

use crate::esm::{line_col, SyntaxError};
use oxc::allocator::Allocator;
use oxc::codegen::{Codegen, CodegenOptions};
use oxc::parser::Parser;
use oxc::semantic::SemanticBuilder;
use oxc::span::SourceType;
use oxc::transformer::{TransformOptions, Transformer};
use std::path::Path;

/// Generated (line, column) → original (line, column), 0-based, sorted by generated position.
pub type Mappings = Vec<(u32, u32, u32, u32)>;

pub struct Transpiled {
    pub code: String,
    pub mappings: Mappings,
    /// The source map as a `data:` URL (for `module.stripTypeScriptTypes`).
    pub source_map_url: Option<String>,
}

/// Whether a file needs transpiling before it can run.
pub fn needs_transpile(filename: &str) -> bool {
    [".ts", ".mts", ".cts", ".tsx", ".jsx"].iter().any(|ext| filename.ends_with(ext))
}

fn first_error(source: &str, diagnostics: &oxc::diagnostics::Diagnostics) -> SyntaxError {
    let first = diagnostics.errors().next().expect("an error");
    let offset = first.labels.first().map_or(0, |l| l.offset() as u32);
    let (line, column) = line_col(source, offset);
    SyntaxError { message: first.message.to_string(), line, column }
}

pub fn transpile(source: &str, filename: &str) -> Result<Transpiled, SyntaxError> {
    let allocator = Allocator::default();
    let path = Path::new(filename);
    let source_type = SourceType::from_path(path).unwrap_or_default();
    let parsed = Parser::new(&allocator, source, source_type).parse();
    if parsed.diagnostics.has_errors() {
        return Err(first_error(source, &parsed.diagnostics));
    }
    let mut program = parsed.program;
    let scoping = SemanticBuilder::new().with_excess_capacity(2.0).build(&program).semantic.into_scoping();
    let options = TransformOptions::default();
    let transformed = Transformer::new(&allocator, path, &options).build_with_scoping(scoping, &mut program);
    if transformed.diagnostics.has_errors() {
        return Err(first_error(source, &transformed.diagnostics));
    }
    let generated = Codegen::new()
        .with_options(CodegenOptions { source_map_path: Some(path.to_path_buf()), ..CodegenOptions::default() })
        .build(&program);
    let mut mappings: Mappings = generated
        .map
        .as_ref()
        .map(|map| map.get_tokens().map(|t| (t.get_dst_line(), t.get_dst_col(), t.get_src_line(), t.get_src_col())).collect())
        .unwrap_or_default();
    mappings.sort_unstable();
    let source_map_url = generated.map.map(|map| map.to_data_url());
    Ok(Transpiled { code: generated.code, mappings, source_map_url })
}

/// The original position of a generated one (0-based), from the nearest mapping at or
/// before it on the same line.
pub fn original_position(mappings: &Mappings, line: u32, column: u32) -> Option<(u32, u32)> {
    let index = mappings.partition_point(|&(l, c, _, _)| (l, c) <= (line, column));
    let &(l, _, src_line, src_col) = mappings.get(index.checked_sub(1)?)?;
    (l == line).then_some((src_line, src_col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_types_and_transforms_enums() {
        let out = transpile("enum E { A, B }\nconst x: number = E.B;\ninterface I { a: string }\nexport { x };\n", "a.ts").unwrap();
        assert!(out.code.contains("E[E[\"B\"] = 1] = \"B\""));
        assert!(!out.code.contains("interface"));
        let (line, _) = original_position(&out.mappings, out.code.lines().position(|l| l.contains("const x")).unwrap() as u32, 6).unwrap();
        assert_eq!(line, 1);
    }

    #[test]
    fn compiles_jsx_for_the_automatic_runtime() {
        let out = transpile("export const App = () => <div id=\"a\">hi</div>;\n", "a.tsx").unwrap();
        assert!(out.code.contains("react/jsx-runtime"));
        assert!(transpile("let x: = 1", "b.ts").is_err());
    }
}
