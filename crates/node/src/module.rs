//! Ops behind the CommonJS loader in js/module.js: reading and compiling user files.

use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use runtime::function_source::Rewrite;
use std::cell::RefCell;
use std::rc::Rc;

/// The CommonJS wrapper shares the first line with the module's code, so line numbers are
/// the user's; JS subtracts its length from columns on line 1 (JSC cannot start a script
/// at line 0).
const WRAPPER_HEAD: &str = "(function ferroModuleWrapper(exports, require, module, __filename, __dirname                ) {";
/// The same width, with a sixth parameter through which `import()` reaches the ES module
/// loader; used only by modules that call `import()`, so `arguments` stays Node's.
const WRAPPER_HEAD_WITH_IMPORT: &str = "(function ferroModuleWrapper(exports, require, module, __filename, __dirname, __ferro_import) {";

/// A SyntaxError with the 1-based position JSC's parser would not give us.
fn syntax_error(ctx: Ctx, e: runtime::esm::SyntaxError) -> Value {
    let make = || -> JsResult<Value> {
        let err = ctx.global().get("SyntaxError")?.expect_object()?.construct(&[ctx.string(&e.message)])?;
        err.set("line", ctx.number(e.line as f64))?;
        err.set("column", ctx.number(e.column as f64))?;
        Ok(err.value())
    };
    make().unwrap_or_else(|thrown| thrown)
}

/// The JavaScript to compile for a file: without its shebang, transpiled from TypeScript
/// or JSX when the extension says so (with the mappings back to the original kept).
fn javascript_of(ctx: Ctx, source: &str, filename: &str) -> JsResult<String> {
    let body = strip_shebang(source);
    runtime::sources::register(filename, Rc::from(body.as_str()));
    if !runtime::typescript::needs_transpile(filename) {
        return Ok(body);
    }
    let out = runtime::typescript::transpile(&body, filename).map_err(|e| syntax_error(ctx, e))?;
    runtime::sources::register_mappings(filename, out.mappings);
    Ok(out.code)
}

/// Compiles a CommonJS module body into its wrapper function.
fn compile_function(args: &Args) -> JsResult<Value> {
    let (source, filename) = (args.string(0)?, args.string(1)?);
    let body = javascript_of(args.ctx, &source, &filename)?;
    let rewritten = runtime::transform_cache::cached("script", &body, || runtime::esm::rewrite_script(&body));
    if let Some(r) = &rewritten {
        runtime::function_source::register(&body, &r.code, Rewrite::Script);
    }
    let wrapped = match &rewritten {
        Some(r) if r.uses_import => format!("{WRAPPER_HEAD_WITH_IMPORT}{}\n}})", r.code),
        Some(r) => format!("{WRAPPER_HEAD}{}\n}})", r.code),
        None => format!("{WRAPPER_HEAD}{body}\n}})"),
    };
    runtime::sources::register_shifts(&filename, rewritten.map(|r| r.shifts).unwrap_or_default());
    args.ctx.eval(&wrapped, &filename, 1)
}

/// Compiles an ES module (see runtime::esm) into its function and link data; a third
/// argument true asks for the generator form a module in an import cycle needs.
fn compile_module(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (source, filename, in_cycle) = (args.string(0)?, args.string(1)?, args.get(2).to_boolean());
    let body = javascript_of(ctx, &source, &filename)?;
    let kind = if in_cycle { "module in a cycle" } else { "module" };
    let mut module =
        runtime::transform_cache::cached_ok(kind, &body, || runtime::esm::transform(&body, in_cycle)).map_err(|e| syntax_error(ctx, e))?;
    runtime::sources::register_shifts(&filename, std::mem::take(&mut module.shifts));
    runtime::function_source::register(&body, &module.code, Rewrite::Module { in_cycle });
    let out = ctx.object();
    out.set("fn", ctx.eval(&module.code, &filename, 1)?)?;
    out.set("headerLength", ctx.number(module.header_len as f64))?;
    let requests = module.requests.iter().map(|(spec, kind)| ctx.array(&[ctx.string(spec), ctx.string(kind)]).map(|a| a.value()));
    out.set("requests", ctx.array_from(requests)?.value())?;
    let imports = module.imports.iter().map(|import| {
        let numbers = [import.line, import.column, import.width].map(|n| ctx.number(n as f64));
        ctx.array(&[ctx.number(import.request as f64), ctx.string(&import.name), numbers[0], numbers[1], numbers[2]]).map(|a| a.value())
    });
    out.set("imports", ctx.array_from(imports)?.value())?;
    let stars: Vec<Value> = module.star_exports.iter().map(|i| ctx.number(*i as f64)).collect();
    out.set("starExports", ctx.array(&stars)?.value())?;
    out.set("hasTopLevelAwait", ctx.boolean(module.has_top_level_await))?;
    out.set("asyncGenerator", ctx.boolean(module.async_generator))?;
    out.set("generator", ctx.boolean(module.generator))?;
    let exports = module.exports.iter().map(|name| ctx.string(name));
    out.set("exports", ctx.array_from(exports.map(Ok))?.value())?;
    Ok(out.value())
}

/// A Function constructor body as the script rewrite makes it (`import()` to the loader,
/// catch clauses converting engine errors, async context through `await`; see
/// internal/function_constructor.js) and whether it calls `import()`, as
/// `[code, usesImport]`; undefined when the rewrite leaves it alone.
fn rewrite_function_body(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let body = args.string(0)?;
    match runtime::esm::rewrite_script(&body) {
        Some(rewritten) => {
            runtime::function_source::register(&body, &rewritten.code, Rewrite::Script);
            Ok(ctx.array(&[ctx.string(&rewritten.code), ctx.boolean(rewritten.uses_import)])?.value())
        }
        None => Ok(ctx.undefined()),
    }
}

fn has_module_syntax(args: &Args) -> JsResult<Value> {
    let (source, filename) = (args.string(0)?, args.string(1).unwrap_or_default());
    let code = if runtime::typescript::needs_transpile(&filename) {
        runtime::typescript::transpile(&source, &filename).map(|t| t.code).unwrap_or_default()
    } else {
        source
    };
    Ok(args.ctx.boolean(runtime::esm::has_module_syntax(&code)))
}

/// `[names, reexports]` of a CommonJS module, for importing it from an ES module.
fn cjs_exports(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let found = runtime::esm::cjs_exports(&args.string(0)?);
    let strings = |list: &[String]| -> JsResult<Value> { Ok(ctx.array_from(list.iter().map(|n| Ok(ctx.string(n))))?.value()) };
    Ok(ctx.array(&[strings(&found.names)?, strings(&found.reexports)?])?.value())
}

/// `[line, column]` in the original source of a transpiled file, or undefined.
fn map_position(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (url, line, column) = (args.string(0)?, args.number(1)? as usize, args.number(2)? as usize);
    match runtime::sources::original_position(&url, line, column) {
        Some((l, c)) => Ok(ctx.array(&[ctx.number(l as f64), ctx.number(c as f64)])?.value()),
        None => Ok(ctx.undefined()),
    }
}

/// `stripTypeScript(code, mode, sourceUrl, sourceMap)` for `module.stripTypeScriptTypes`:
/// the code, or a SyntaxError with Node's code.
fn strip_typescript(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (code, mode, source_url) = (args.string(0)?, args.string(1)?, args.string(2)?);
    let fail = |code: &str, message: &str| -> Value {
        let err = syntax_error(ctx, runtime::esm::SyntaxError { message: message.to_string(), line: 0, column: 0 });
        if let Some(e) = err.as_object() {
            let _ = e.delete("line");
            let _ = e.delete("column");
            let _ = e.set("code", ctx.string(code));
        }
        err
    };
    if mode == "strip" {
        return match runtime::strip_types::strip(&code) {
            Ok(out) if source_url.is_empty() => Ok(ctx.string(&out)),
            Ok(out) => Ok(ctx.string(&format!("{out}\n\n//# sourceURL={source_url}"))),
            Err(runtime::strip_types::StripError::Invalid(m)) => Err(fail("ERR_INVALID_TYPESCRIPT_SYNTAX", &m)),
            Err(runtime::strip_types::StripError::Unsupported(m)) => Err(fail("ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX", &m)),
        };
    }
    let filename = if source_url.is_empty() { "input.ts" } else { source_url.as_str() };
    let out = runtime::typescript::transpile(&code, filename).map_err(|e| fail("ERR_INVALID_TYPESCRIPT_SYNTAX", &e.message))?;
    let tail = match (args.get(3).to_boolean(), out.source_map_url) {
        (true, Some(url)) => format!("\n\n//# sourceMappingURL={url}"),
        _ if !source_url.is_empty() => format!("\n\n//# sourceURL={source_url}"),
        _ => String::new(),
    };
    Ok(ctx.string(&format!("{}{tail}", out.code)))
}

/// Whether errors in a compiled file need their positions mapped back (see `mapPosition`).
fn has_mappings(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.boolean(runtime::sources::has_mappings(&args.string(0)?)))
}

/// Evaluates a script as global code (for `-e`, `-p` and stdin input).
fn run_script(args: &Args) -> JsResult<Value> {
    let (source, filename) = (args.string(0)?, args.string(1)?);
    let body = strip_shebang(&source);
    runtime::sources::register(&filename, Rc::from(body.as_str()));
    let rewritten = runtime::transform_cache::cached("script", &body, || runtime::esm::rewrite_script(&body));
    let body = match rewritten {
        Some(r) => {
            runtime::function_source::register(&body, &r.code, Rewrite::Script);
            runtime::sources::register_shifts(&filename, r.shifts);
            r.code
        }
        None => body,
    };
    args.ctx.eval(&body, &filename, 1)
}

/// A `#!` first line is a comment to Node; keep the line so numbering stays.
fn strip_shebang(source: &str) -> String {
    if source.starts_with("#!") {
        format!("//{}", &source[2..])
    } else {
        source.to_string()
    }
}

fn read_file_utf8(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Ok(args.ctx.string(text.strip_prefix('\u{feff}').unwrap_or(&text)))
        }
        Err(e) => Err(crate::uv::exception(args.ctx, &e, "open", Some(&path), None)),
    }
}

/// 0 for a file, 1 for a directory, a negative errno otherwise (like Node's internalModuleStat).
fn stat(args: &Args) -> JsResult<Value> {
    let kind = match std::fs::metadata(args.string(0)?) {
        Ok(m) if m.is_dir() => 1.0,
        Ok(_) => 0.0,
        Err(e) => -(e.raw_os_error().unwrap_or(libc::ENOENT) as f64),
    };
    Ok(args.ctx.number(kind))
}

thread_local! {
    /// Real paths of directories already resolved: most modules share a few folders, so a
    /// file's real path costs one lstat instead of a readlink per path component.
    static REAL_DIRS: std::cell::RefCell<std::collections::HashMap<std::path::PathBuf, std::path::PathBuf>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn real_path(path: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return std::fs::canonicalize(path);
    };
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() || name == ".." || name == "." {
        return std::fs::canonicalize(path);
    }
    let real_dir = match REAL_DIRS.with(|c| c.borrow().get(dir).cloned()) {
        Some(d) => d,
        None => {
            let d = std::fs::canonicalize(dir)?;
            REAL_DIRS.with(|c| c.borrow_mut().insert(dir.to_path_buf(), d.clone()));
            d
        }
    };
    Ok(real_dir.join(name))
}

fn realpath(args: &Args) -> JsResult<Value> {
    let path = args.string(0)?;
    match real_path(std::path::Path::new(&path)) {
        Ok(p) => Ok(args.ctx.string(&p.to_string_lossy())),
        Err(e) => Err(crate::uv::exception(args.ctx, &e, "realpath", Some(&path), None)),
    }
}

thread_local! {
    /// The engine's Function.prototype.toString, which the installed one calls.
    static ENGINE_FUNCTION_TO_STRING: RefCell<Option<Protected>> = const { RefCell::new(None) };
}

/// `installFunctionToString(global)`: gives the global's functions a toString that shows
/// the program's text where the loader rewrote it (see runtime::function_source). Being
/// native, it prints as `[native code]` as the engine's does.
fn install_function_to_string(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let prototype = args.get(0).expect_object()?.get("Function")?.expect_object()?.get("prototype")?.expect_object()?;
    let engine = prototype.get("toString")?;
    ENGINE_FUNCTION_TO_STRING.with(|f| f.borrow_mut().get_or_insert_with(|| engine.protect()).value());
    prototype.define("toString", ctx.function("toString", function_to_string).value(), true)?;
    Ok(ctx.undefined())
}

/// V8's text for a function without source, where the engine breaks it over three lines.
const ENGINE_NATIVE_BODY: &str = "{\n    [native code]\n}";

fn function_to_string(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    if !args.this.is_function() {
        let message = ctx.string("Function.prototype.toString requires that 'this' be a Function");
        return Err(ctx.global().get("TypeError")?.expect_object()?.construct(&[message])?.value());
    }
    let engine = ENGINE_FUNCTION_TO_STRING.with(|f| f.borrow().as_ref().map(Protected::value)).expect("installed");
    let text = engine.expect_object()?.call(Some(args.this), &[])?.to_string()?;
    if let Some(head) = text.strip_suffix(ENGINE_NATIVE_BODY) {
        return Ok(ctx.string(&format!("{head}{{ [native code] }}")));
    }
    Ok(ctx.string(&runtime::function_source::original_text(&text).unwrap_or(text)))
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("compileFunction", compile_function)?;
    b.set_function("runScript", run_script)?;
    b.set_function("compileModule", compile_module)?;
    b.set_function("hasModuleSyntax", has_module_syntax)?;
    b.set_function("rewriteFunctionBody", rewrite_function_body)?;
    b.set_function("installFunctionToString", install_function_to_string)?;
    b.set_function("cjsExports", cjs_exports)?;
    b.set_function("mapPosition", map_position)?;
    b.set_function("hasMappings", has_mappings)?;
    b.set_function("stripTypeScript", strip_typescript)?;
    b.set_function("readFileUtf8", read_file_utf8)?;
    b.set_function("stat", stat)?;
    b.set_function("realpath", realpath)?;
    b.set("wrapperHeadLength", ctx.number(WRAPPER_HEAD.encode_utf16().count() as f64))?;
    Ok(b)
}
