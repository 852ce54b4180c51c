//! The engine alone: load the system JavaScriptCore, create one context, evaluate `0`.
//! bench/run.sh times it beside `node -e 0`: the floor under `ferro -e 0`.

fn main() {
    let context = jsc::Context::new();
    context.ctx().eval("0", "bare_context", 1).expect("0 evaluates");
    // Left to process exit, as ferro leaves its main context.
    std::mem::forget(context);
}
