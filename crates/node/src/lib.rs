//! Node's built-in modules for ferro. Each module is `js/<name>.js` (its public API, in
//! JavaScript) plus, when it needs native code, `src/<name>.rs` (its ops, reached from JS
//! through `internalBinding('<name>')`). Built-in JS is embedded in the binary and compiled
//! on first `require`.

pub mod buffer;
pub mod child_process;
pub mod crypto;
pub mod dgram;
pub mod dns;
pub mod fs;
pub mod http;
pub mod module;
pub mod napi;
pub mod net;
pub mod os;
pub mod process;
pub mod signals;
pub mod sqlite;
pub mod stream_handle;
pub mod tls;
pub mod tty;
pub mod url;
pub mod util;
pub mod uv;
pub mod vm;
pub mod worker;
pub mod zlib;

use jsc::{Args, Context, Ctx, JsResult, Object, Value};
use runtime::{EventLoop, Hooks};
use std::time::Instant;

mod builtins {
    include!(concat!(env!("OUT_DIR"), "/builtins.rs"));
}

/// The Node version whose API ferro implements.
pub const NODE_VERSION: &str = "v24.19.0";

/// What the program to run is.
pub enum Entry {
    File(String),
    Eval(String),
    Print(String),
    Stdin(String),
    /// The interactive REPL.
    Repl,
    /// `-c`: check a file's syntax without running it.
    Check(String),
    /// `-c` with the program on stdin.
    CheckStdin(String),
    /// A worker thread's program, described by `worker::workerInit()`.
    Worker,
}

pub struct StartOptions {
    /// argv[0] as the shell passed it.
    pub argv0: String,
    pub exec_path: String,
    /// `--input-type`: Some(true) module, Some(false) commonjs, None to detect from syntax.
    pub input_module: Option<bool>,
    pub exec_argv: Vec<String>,
    /// NODE_OPTIONS's words (in effect, not in execArgv).
    pub node_options: Vec<String>,
    pub entry: Entry,
    /// Arguments after the script name (or after `-e CODE`).
    pub args: Vec<String>,
    /// What the main program's JS applies before it runs: name, value, name, value...
    /// (`require`, `import`, `condition`, `title`).
    pub js_options: Vec<String>,
}

/// The built-in sources: embedded at build time, or, for development, read from the
/// folder named by `FERRO_BUILTINS_DIR` (a `crates/node/js` checkout) so that editing
/// built-in JavaScript needs no rebuild.
fn sources() -> &'static [(&'static str, &'static str)] {
    static DEV: std::sync::OnceLock<Option<Vec<(&'static str, &'static str)>>> = std::sync::OnceLock::new();
    let dev = DEV.get_or_init(|| {
        let dir = std::env::var_os("FERRO_BUILTINS_DIR")?;
        let mut out = Vec::new();
        read_builtins_dir(std::path::Path::new(&dir), "", &mut out);
        Some(out)
    });
    dev.as_deref().unwrap_or(builtins::SOURCES)
}

fn read_builtins_dir(dir: &std::path::Path, prefix: &str, out: &mut Vec<(&'static str, &'static str)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let (path, name) = (entry.path(), entry.file_name().to_string_lossy().into_owned());
        if path.is_dir() {
            read_builtins_dir(&path, &format!("{prefix}{name}/"), out);
        } else if let (Some(stem), Ok(text)) = (name.strip_suffix(".js"), std::fs::read_to_string(&path)) {
            // Leaked: built-in sources live as long as the process, like the embedded ones.
            out.push((Box::leak(format!("{prefix}{stem}").into_boxed_str()), Box::leak(text.into_boxed_str())));
        }
    }
}

fn builtin_source(id: &str) -> Option<&'static str> {
    sources().iter().find(|(name, _)| *name == id).map(|(_, src)| *src)
}

/// Compiles a built-in into `function (exports, require, module, internalBinding)`.
fn compile_builtin(args: &Args) -> JsResult<Value> {
    let id = args.string(0)?;
    let Some(source) = builtin_source(&id) else {
        return Ok(args.ctx.undefined());
    };
    let wrapped = format!("(function (exports, require, module, internalBinding) {{{source}\n}})");
    args.ctx.eval(&wrapped, &format!("node:{id}"), 1)
}

/// Names of the public built-in modules (those not under `internal/`).
fn builtin_ids(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let ids = sources().iter().filter(|(name, _)| !name.starts_with("internal/")).map(|(name, _)| Ok(ctx.string(name)));
    Ok(ctx.array_from(ids)?.value())
}

fn internal_binding(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let name = args.string(0)?;
    let binding = match name.as_str() {
        "builtins" => {
            let b = ctx.object();
            b.set_function("compileBuiltin", compile_builtin)?;
            b.set_function("builtinIds", builtin_ids)?;
            b
        }
        "buffer" => buffer::binding(ctx)?,
        "child_process" => child_process::binding(ctx)?,
        "crypto" => crypto::binding(ctx)?,
        "dgram" => dgram::binding(ctx)?,
        "napi" => napi::binding(ctx)?,
        "dns" => dns::binding(ctx)?,
        "fs" => fs::binding(ctx)?,
        "module" => module::binding(ctx)?,
        "net" => net::binding(ctx)?,
        "http" => http::binding(ctx)?,
        "os" => os::binding(ctx)?,
        "process" => process::binding(ctx)?,
        "signals" => signals::binding(ctx)?,
        "sqlite" => sqlite::binding(ctx)?,
        "tty" => tty::binding(ctx)?,
        "url" => url::binding(ctx)?,
        "util" => util::binding(ctx)?,
        "uv" => uv::binding(ctx)?,
        "vm" => vm::binding(ctx)?,
        "tls" => tls::binding(ctx)?,
        "zlib" => zlib::binding(ctx)?,
        "worker" => worker::binding(ctx)?,
        "errors" => {
            let b = ctx.object();
            b.set_function("sourceLine", source_line)?;
            b
        }
        _ => return Err(ctx.error(&format!("No such binding: {name}"))),
    };
    Ok(binding.value())
}

/// `sourceLine(url, line)`: a line of a program's script or of a built-in (`node:fs`), for
/// the banner of an uncaught error.
fn source_line(args: &Args) -> JsResult<Value> {
    let (url, line) = (args.string(0)?, args.number(1)? as usize);
    // A built-in's source is registered on the first look at it.
    let builtin_line = || {
        let source = builtin_source(url.strip_prefix("node:")?)?;
        runtime::sources::register(&url, std::rc::Rc::from(source));
        runtime::sources::line(&url, line)
    };
    let text = runtime::sources::line(&url, line).or_else(builtin_line);
    Ok(text.map_or_else(|| args.ctx.undefined(), |l| args.ctx.string(&l)))
}

fn hook(hooks: Object, name: &str) -> JsResult<jsc::Protected> {
    Ok(hooks.get(name)?.protect())
}

/// Runs a program to completion and returns the process exit code.
pub fn start(options: StartOptions) -> i32 {
    let is_worker = matches!(options.entry, Entry::Worker);
    if !is_worker {
        signals::install_process_defaults();
    }
    let context = Context::new();
    let ctx = context.ctx();
    let code = match run(ctx, options) {
        Ok(code) => code,
        Err(e) => {
            // Only a failure of ferro's own bootstrap code gets here.
            eprintln!("ferro: internal error: {}", e.to_string().unwrap_or_default());
            70
        }
    };
    if is_worker {
        drop(context);
    } else {
        // The process exits next: tearing the VM down would only cost time (~0.5 ms).
        std::mem::forget(context);
    }
    code
}

fn run(ctx: Ctx, options: StartOptions) -> JsResult<i32> {
    let started = Instant::now();
    let script_path = match &options.entry {
        Entry::File(path) => Some(path.clone()),
        _ => None,
    };
    let mut argv = vec![options.exec_path.clone()];
    argv.extend(script_path);
    argv.extend(options.args.iter().cloned());
    process::set_startup(process::Startup {
        argv0: options.argv0.clone(),
        argv,
        exec_argv: options.exec_argv.clone(),
        node_options: options.node_options.clone(),
        exec_path: options.exec_path.clone(),
        started,
    });

    let mut event_loop = EventLoop::new(ctx)?;
    let bootstrap_src = builtin_source("internal/bootstrap").expect("bootstrap is embedded");
    let wrapped = format!("(function (internalBinding, loopBinding) {{{bootstrap_src}\n}})");
    let bootstrap = ctx.eval(&wrapped, "node:internal/bootstrap", 1)?.expect_object()?;
    let binding_fn = ctx.function("internalBinding", internal_binding);
    let loop_binding = ctx.object();
    loop_binding.set("info", event_loop.info_array()?.value())?;
    loop_binding.set_function("now", runtime::event_loop::now_op)?;
    loop_binding.set_function("trackAsyncContext", runtime::event_loop::track_async_context_op)?;
    let hooks = bootstrap.call(None, &[binding_fn.value(), loop_binding.value()])?.expect_object()?;
    event_loop.set_hooks(Hooks {
        run_next_timer: hook(hooks, "runNextTimer")?,
        begin_immediates: hook(hooks, "beginImmediates")?,
        run_next_immediate: hook(hooks, "runNextImmediate")?,
        process_ticks: hook(hooks, "processTicks")?,
        process_rejections: hook(hooks, "processRejections")?,
        on_uncaught: hook(hooks, "onUncaughtException")?,
        before_exit: hook(hooks, "emitBeforeExit")?,
    });

    let (kind, payload) = match options.entry {
        Entry::File(path) => ("file", path),
        Entry::Eval(code) if options.input_module == Some(true) => ("eval-module", code),
        Entry::Stdin(code) if options.input_module == Some(true) => ("stdin-module", code),
        Entry::Eval(code) if options.input_module == Some(false) => ("eval-commonjs", code),
        Entry::Stdin(code) if options.input_module == Some(false) => ("stdin-commonjs", code),
        Entry::Print(code) if options.input_module == Some(true) => ("print-module", code),
        Entry::Eval(code) => ("eval", code),
        Entry::Print(code) => ("print", code),
        Entry::Stdin(code) => ("stdin", code),
        Entry::Repl => ("repl", String::new()),
        Entry::Check(path) => ("check", path),
        Entry::CheckStdin(code) => ("check-stdin", code),
        Entry::Worker => ("worker", String::new()),
    };
    let run_main = hooks.get("runMain")?;
    event_loop.update_time();
    // Node treats an empty NODE_CHANNEL_FD as unset.
    let has_ipc_channel = std::env::var_os("NODE_CHANNEL_FD").is_some_and(|fd| !fd.is_empty());
    let js_options = ctx.array_from(options.js_options.iter().map(|s| Ok(ctx.string(s))))?.value();
    let main_args = [ctx.string(kind), ctx.string(&payload), js_options, ctx.boolean(has_ipc_channel)];
    event_loop.call(run_main, &main_args);
    event_loop.run();
    let code = hooks.get("emitExit")?.expect_object()?.call(None, &[])?;
    Ok(code.to_number()? as i32)
}
