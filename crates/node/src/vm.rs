//! Ops behind node:vm: new contexts (optionally contextified over a sandbox object, see
//! the vm section of crates/jsc) and evaluating scripts in them, with a time limit.
//! Argument checking and Node's error shapes are in js/vm.js.

use jsc::{Args, Ctx, JsResult, Object, Value};
use std::cell::Cell;
use std::rc::Rc;

thread_local! {
    /// Whether the last `evaluate` was stopped by its time limit.
    static LAST_RUN_TIMED_OUT: Cell<bool> = const { Cell::new(false) };
}

/// makeContext(sandbox?) -> the global object of a new context; contextified over
/// `sandbox` when one is given.
fn make_context(args: &Args) -> JsResult<Value> {
    let sandbox = args.get(0).as_object();
    Ok(args.ctx.new_vm_global(sandbox)?.value())
}

/// The context to run in: the one of a vm global, or the caller's for anything else.
fn target_context(args: &Args, i: usize) -> Ctx {
    args.get(i).vm_global_context().unwrap_or(args.ctx)
}

/// evaluate(global | undefined, code, filename, firstLine, timeoutMs) -> completion value.
/// A timeout of 0 means none; whether it was reached is asked with `lastRunTimedOut()`.
fn evaluate(args: &Args) -> JsResult<Value> {
    let ctx = target_context(args, 0);
    let global = args.get(0).as_object();
    if let Some(global) = global {
        global.sync_vm_global(true)?;
    }
    let code = args.string(1)?;
    let filename = args.string(2)?;
    let line = args.number(3)? as i32;
    let timeout_ms = args.number(4)?;
    LAST_RUN_TIMED_OUT.with(|t| t.set(false));
    remember_source(&filename, line, &code);
    let result = if timeout_ms > 0.0 {
        let (result, timed_out) = ctx.run_with_time_limit(timeout_ms / 1000.0, || ctx.eval(&code, &filename, line));
        LAST_RUN_TIMED_OUT.with(|t| t.set(timed_out));
        if timed_out {
            // The engine's termination cannot be caught; js/vm.js throws Node's error.
            return Err(args.ctx.error("Script execution timed out"));
        }
        result
    } else {
        ctx.eval(&code, &filename, line)
    };
    if let Some(global) = global {
        global.sync_vm_global(false)?;
    }
    result
}

/// bypassingSandboxes(fn): calls fn with vm globals' own properties in reach, past their
/// sandboxes (to set a new context up).
fn bypassing_sandboxes(args: &Args) -> JsResult<Value> {
    let f = args.get(0).expect_object()?;
    args.ctx.bypassing_sandboxes(|| f.call(None, &[]))
}

/// Keeps the source for error banners (which show the line an error came from), with
/// blank lines standing for the line offset.
fn remember_source(filename: &str, first_line: i32, code: &str) {
    if !(1..=100_000).contains(&first_line) {
        return;
    }
    let mut text = "\n".repeat(first_line as usize - 1);
    text.push_str(code);
    runtime::sources::register(filename, Rc::from(text));
}

fn last_run_timed_out(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.boolean(LAST_RUN_TIMED_OUT.with(|t| t.get())))
}

/// checkSyntax(global | undefined, code, filename, firstLine): throws the SyntaxError (of
/// that context), if any.
fn check_syntax(args: &Args) -> JsResult<Value> {
    let ctx = target_context(args, 0);
    let code = args.string(1)?;
    let filename = args.string(2)?;
    let line = args.number(3)? as i32;
    remember_source(&filename, line, &code);
    ctx.check_syntax_at(&code, &filename, line)?;
    Ok(args.ctx.undefined())
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    ctx.enable_time_limits();
    let b = ctx.object();
    b.set_function("makeContext", make_context)?;
    b.set_function("evaluate", evaluate)?;
    b.set_function("lastRunTimedOut", last_run_timed_out)?;
    b.set_function("checkSyntax", check_syntax)?;
    b.set_function("bypassingSandboxes", bypassing_sandboxes)?;
    Ok(b)
}
