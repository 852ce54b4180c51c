//! Engine introspection that util.inspect and util.types need and JS cannot do itself.

use jsc::{Args, Ctx, JsResult, Object, PromiseState, Value};

/// `[state, result]` of a native promise (0 pending, 1 fulfilled, 2 rejected), else undefined.
fn get_promise_details(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    match args.get(0).promise_state() {
        None => Ok(ctx.undefined()),
        Some((PromiseState::Pending, _)) => Ok(ctx.array(&[ctx.number(0.0)])?.value()),
        Some((state, result)) => {
            let code = if state == PromiseState::Fulfilled { 1.0 } else { 2.0 };
            Ok(ctx.array(&[ctx.number(code), result])?.value())
        }
    }
}

/// Undefined for anything but a Proxy; else its target, or `[target, handler]` when the
/// second argument is true (handler undefined if the engine's layout is not the expected one).
fn get_proxy_details(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let value = args.get(0);
    let Some(target) = value.proxy_target() else {
        return Ok(ctx.undefined());
    };
    if !args.get(1).to_boolean() {
        return Ok(target);
    }
    let handler = value.proxy_handler().unwrap_or_else(|| ctx.undefined());
    Ok(ctx.array(&[target, handler])?.value())
}

/// The JSType byte of an object (0 for primitives), compared in JS with the bytes of
/// sample objects from `cellTypeSamples`.
fn get_cell_type(args: &Args) -> JsResult<Value> {
    Ok(args.ctx.number(args.get(0).cell_type().unwrap_or(0) as f64))
}

/// `gc()` under --expose-gc: a full collection, finished before it returns.
fn collect_garbage(args: &Args) -> JsResult<Value> {
    args.ctx.collect_garbage_now();
    Ok(args.ctx.undefined())
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("getCellType", get_cell_type)?;
    b.set_function("collectGarbage", collect_garbage)?;
    b.set_function("getPromiseDetails", get_promise_details)?;
    b.set_function("getProxyDetails", get_proxy_details)?;
    Ok(b)
}
