use super::*;
use std::rc::Rc;

fn eval(ctx: Ctx, src: &str) -> Value {
    ctx.eval(src, "test.js", 1).unwrap_or_else(|e| panic!("threw: {}", e.to_string().unwrap()))
}

#[test]
fn evaluates_and_converts_values() {
    let context = Context::new();
    let ctx = context.ctx();
    assert_eq!(eval(ctx, "1 + 2").to_number().unwrap(), 3.0);
    assert_eq!(eval(ctx, "'a' + 'é' + '😀'").to_string().unwrap(), "aé😀");
    assert!(eval(ctx, "undefined").is_undefined());
    assert!(eval(ctx, "null").is_null());
    assert!(eval(ctx, "[1]").is_array());
    assert!(eval(ctx, "10n").is_bigint());
    assert!(eval(ctx, "Symbol()").is_symbol());
    assert!(eval(ctx, "(function () {})").is_function());
    assert_eq!(eval(ctx, "({a: [1, 'x']})").to_json(0).unwrap().unwrap(), r#"{"a":[1,"x"]}"#);
    assert_eq!(ctx.parse_json("[1,2]").unwrap().expect_object().unwrap().get_index(1).unwrap().to_number().unwrap(), 2.0);
    assert!(ctx.parse_json("{").is_none());
}

#[test]
fn strings_convert_to_utf8_with_lone_surrogates_replaced() {
    let context = Context::new();
    let ctx = context.ctx();
    let cases = [
        ("'plain ascii'", "plain ascii".to_string()),
        ("'caf\\xe9 \\xff'", "café ÿ".to_string()),
        ("'a\\0b'", "a\0b".to_string()),
        ("'\\ud83d\\ude00 two \\u4e2d'", "😀 two 中".to_string()),
        ("'x\\ud800y'", "x\u{fffd}y".to_string()),
        ("'\\udc00'", "\u{fffd}".to_string()),
        ("'\\xe9'.repeat(100000)", "é".repeat(100000)),
    ];
    for (source, expected) in cases {
        assert_eq!(eval(ctx, source).to_string().unwrap(), expected, "{source}");
    }
    assert_eq!(eval(ctx, "({ 'k\\xe9': 1, '\\ud83d\\ude00': 2 })").expect_object().unwrap().keys(), ["ké", "😀"]);
}

#[test]
fn exceptions_are_results() {
    let context = Context::new();
    let ctx = context.ctx();
    let err = ctx.eval("throw new TypeError('bad')", "t.js", 1).unwrap_err();
    assert_eq!(err.to_string().unwrap(), "TypeError: bad");
    let err = ctx.eval("let x = ;", "t.js", 1).unwrap_err();
    assert!(err.to_string().unwrap().starts_with("SyntaxError"));
    assert!(ctx.check_syntax("let = ", "t.js").is_err());
    assert!(ctx.check_syntax("let a = 1", "t.js").is_ok());
    let f = eval(ctx, "(function () { throw 42 })").expect_object().unwrap();
    assert_eq!(f.call(None, &[]).unwrap_err().to_number().unwrap(), 42.0);
}

#[test]
fn objects_properties_and_calls() {
    let context = Context::new();
    let ctx = context.ctx();
    let o = ctx.object();
    o.set("a", ctx.number(1.0)).unwrap();
    o.define("hidden", ctx.boolean(true), false).unwrap();
    assert_eq!(o.keys(), vec!["a".to_string()]);
    assert!(o.has("hidden"));
    assert!(o.delete("a").unwrap());
    assert!(!o.has("a"));
    let arr = ctx.array(&[ctx.number(1.0), ctx.string("b")]).unwrap();
    assert_eq!(arr.get("length").unwrap().to_number().unwrap(), 2.0);
    let add = eval(ctx, "(function (a, b) { return this.base + a + b })").expect_object().unwrap();
    let this = eval(ctx, "({base: 100})");
    assert_eq!(add.call(Some(this), &[ctx.number(1.0), ctx.number(2.0)]).unwrap().to_number().unwrap(), 103.0);
    let date = eval(ctx, "Date").expect_object().unwrap().construct(&[ctx.number(0.0)]).unwrap();
    assert_eq!(date.value().to_json(0).unwrap().unwrap(), "\"1970-01-01T00:00:00.000Z\"");
}

#[test]
fn native_functions_receive_arguments_and_throw() {
    let context = Context::new();
    let ctx = context.ctx();
    fn sum(args: &Args) -> JsResult<Value> {
        let mut total = 0.0;
        for i in 0..args.len() {
            total += args.number(i)?;
        }
        Ok(args.ctx.number(total))
    }
    fn fail(args: &Args) -> JsResult<Value> {
        Err(args.ctx.error("nope"))
    }
    ctx.global().set_function("sum", sum).unwrap();
    ctx.global().set_function("fail", fail).unwrap();
    assert_eq!(eval(ctx, "sum(1, 2, 3)").to_number().unwrap(), 6.0);
    assert_eq!(eval(ctx, "sum.name + sum.call(null, 4)").to_string().unwrap(), "sum4");
    assert_eq!(eval(ctx, "try { fail() } catch (e) { e.message }").to_string().unwrap(), "nope");
}

#[test]
fn closures_carry_data_and_are_finalized() {
    let context = Context::new();
    let ctx = context.ctx();
    let dropped = Rc::new(std::cell::Cell::new(0));
    struct DropCount(Rc<std::cell::Cell<i32>>);
    impl Drop for DropCount {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    for _ in 0..50 {
        let counter = DropCount(dropped.clone());
        let f = ctx.closure(
            "count",
            Box::new(move |a: &Args| Ok(a.ctx.number(counter.0.get() as f64 + a.number(0)?))),
        );
        assert_eq!(f.call(None, &[ctx.number(1.0)]).unwrap().to_number().unwrap(), 1.0);
        assert_eq!(f.get("name").unwrap().to_string().unwrap(), "count");
    }
    for _ in 0..5 {
        eval(ctx, "for (let i = 0; i < 10000; i++) ({ i })");
        ctx.garbage_collect();
    }
    // Conservative scanning may keep a few alive; most must be gone.
    assert!(dropped.get() > 0, "no closure was finalized");
}

#[test]
fn wrapped_rust_data() {
    let context = Context::new();
    let ctx = context.ctx();
    let obj = ctx.wrap(vec![1u32, 2, 3]);
    assert_eq!(obj.value().wrapped::<Vec<u32>>().unwrap().len(), 3);
    assert!(obj.value().wrapped::<String>().is_none());
    assert!(ctx.object().value().wrapped::<Vec<u32>>().is_none());
}

#[test]
fn protected_values_survive_garbage_collection() {
    let context = Context::new();
    let ctx = context.ctx();
    let held: Vec<Protected> = (0..100).map(|i| eval(ctx, &format!("({{ n: {i}, s: 'v' + {i} }})")).protect()).collect();
    for _ in 0..3 {
        eval(ctx, "var junk = []; for (let i = 0; i < 100000; i++) junk.push({ i }); junk = null");
        ctx.garbage_collect();
    }
    for (i, p) in held.iter().enumerate() {
        let o = p.object().unwrap();
        assert_eq!(o.get("n").unwrap().to_number().unwrap(), i as f64);
        assert_eq!(o.get("s").unwrap().to_string().unwrap(), format!("v{i}"));
    }
}

#[test]
fn typed_arrays_share_memory_without_copies() {
    let context = Context::new();
    let ctx = context.ctx();
    let arr = ctx.uint8_array(vec![1, 2, 3]).unwrap();
    ctx.global().set("u8", arr.value()).unwrap();
    assert_eq!(eval(ctx, "u8[0] = 9; u8.length + u8[1]").to_number().unwrap(), 5.0);
    assert_eq!(arr.value().bytes().unwrap(), &[9, 2, 3]);
    let view = eval(ctx, "new Uint8Array(u8.buffer, 1, 2)");
    assert_eq!(view.bytes().unwrap(), &[2, 3]);
    let ab = ctx.array_buffer(vec![7; 4]).unwrap();
    ctx.global().set("ab", ab.value()).unwrap();
    assert_eq!(eval(ctx, "new Uint8Array(ab)[3] + ab.byteLength").to_number().unwrap(), 11.0);
    assert!(ctx.number(1.0).bytes().is_none());
    let cells: &'static [std::cell::Cell<f64>] = Box::leak(vec![std::cell::Cell::new(0.0); 2].into_boxed_slice());
    ctx.global().set("shared", ctx.shared_f64_array(cells).unwrap().value()).unwrap();
    eval(ctx, "shared[1] = 2.5");
    assert_eq!(cells[1].get(), 2.5);
}

#[test]
fn promise_state_and_deferred() {
    let context = Context::new();
    let ctx = context.ctx();
    let (p, deferred) = ctx.deferred_promise().unwrap();
    assert_eq!(p.value().promise_state().unwrap().0, PromiseState::Pending);
    deferred.resolve.object().unwrap().call(None, &[ctx.number(5.0)]).unwrap();
    let (state, result) = p.value().promise_state().unwrap();
    assert_eq!(state, PromiseState::Fulfilled);
    assert_eq!(result.to_number().unwrap(), 5.0);
    let rejected = eval(ctx, "const r = Promise.reject(3); r.catch(() => {}); r");
    assert_eq!(rejected.promise_state().unwrap().0, PromiseState::Rejected);
    assert!(eval(ctx, "(class P extends Promise {}).resolve(1)").promise_state().is_some());
    assert!(eval(ctx, "({ then() {} })").promise_state().is_none());
    assert!(ctx.number(1.0).promise_state().is_none());
}

#[test]
fn proxy_target() {
    let context = Context::new();
    let ctx = context.ctx();
    let proxy = eval(ctx, "globalThis.t = {a: 1}; new Proxy(t, {})");
    assert!(proxy.proxy_target().unwrap().strict_equals(eval(ctx, "t")));
    assert!(eval(ctx, "t").proxy_target().is_none());
    assert!(eval(ctx, "globalThis").proxy_target().is_none());
    let handler = eval(ctx, "globalThis.h = {}; new Proxy(() => {}, h)").proxy_handler().unwrap();
    assert!(handler.strict_equals(eval(ctx, "h")));
    let revoked = eval(ctx, "const r = Proxy.revocable({}, {}); r.revoke(); r.proxy");
    assert!(revoked.proxy_target().unwrap().is_null());
    assert!(eval(ctx, "typeof SharedArrayBuffer").to_string().unwrap() == "function");
}

#[test]
fn lock_defers_microtasks_until_outermost_unlock() {
    let context = Context::new();
    let ctx = context.ctx();
    eval(ctx, "globalThis.log = []");
    let f = eval(ctx, "(function () { Promise.resolve().then(() => log.push('micro')); log.push('sync') })")
        .expect_object()
        .unwrap();
    let tick = eval(ctx, "(function () { log.push('tick') })").expect_object().unwrap();
    ctx.lock();
    f.call(None, &[]).unwrap();
    tick.call(None, &[]).unwrap();
    ctx.unlock();
    assert_eq!(eval(ctx, "log.join()").to_string().unwrap(), "sync,tick,micro");
}

#[test]
fn unhandled_rejections_are_reported() {
    let context = Context::new();
    let ctx = context.ctx();
    let seen = Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = seen.clone();
    let cb = ctx.closure("onUnhandled", Box::new(move |a: &Args| {
        sink.borrow_mut().push(a.get(1).to_string()?);
        Ok(a.ctx.undefined())
    }));
    ctx.set_unhandled_rejection_callback(cb).unwrap();
    eval(ctx, "Promise.reject('lost'); Promise.reject('kept').catch(() => {})");
    assert_eq!(*seen.borrow(), vec!["lost".to_string()]);
}

#[test]
fn vm_globals_forward_to_their_sandbox_and_survive_garbage_collection() {
    let context = Context::new();
    let ctx = context.ctx();
    let sandbox = eval(ctx, "({ a: 1 })").expect_object().unwrap();
    let global = ctx.new_vm_global(Some(sandbox)).unwrap();
    let inner = global.value().vm_global_context().expect("a vm global");
    assert!(eval(ctx, "({})").vm_global_context().is_none());
    // Reads and writes reach the sandbox; built-ins are the new context's own.
    assert_eq!(eval(inner, "x = a + 1").to_number().unwrap(), 2.0);
    assert_eq!(sandbox.get("x").unwrap().to_number().unwrap(), 2.0);
    assert!(!eval(inner, "Object").strict_equals(eval(ctx, "Object")));
    assert!(eval(inner, "delete a").to_boolean());
    assert!(!sandbox.has("a"));
    // Declared variables land on the sandbox and follow it between runs.
    global.sync_vm_global(true).unwrap();
    eval(inner, "var v = 1");
    global.sync_vm_global(false).unwrap();
    assert_eq!(sandbox.get("v").unwrap().to_number().unwrap(), 1.0);
    sandbox.set("v", ctx.number(5.0)).unwrap();
    global.sync_vm_global(true).unwrap();
    assert_eq!(eval(inner, "v").to_number().unwrap(), 5.0);

    // (JSC collects and finalizes lazily, so that unreachable globals release their
    // contexts is not asserted here: no number of JSGarbageCollect calls guarantees it.)
    for _ in 0..20 {
        let sandbox = ctx.object();
        ctx.new_vm_global(Some(sandbox)).unwrap();
    }
    ctx.garbage_collect();
    // The live one still works.
    assert_eq!(eval(inner, "typeof x").to_string().unwrap(), "number");
}

#[test]
fn time_limited_runs_report_the_timeout() {
    let context = Context::new();
    let ctx = context.ctx();
    ctx.enable_time_limits();
    let (result, timed_out) = ctx.run_with_time_limit(0.05, || ctx.eval("for (;;) {}", "t.js", 1));
    assert!(result.is_err() && timed_out);
    let (result, timed_out) = ctx.run_with_time_limit(1.0, || ctx.eval("1 + 1", "t.js", 1));
    assert_eq!(result.unwrap().to_number().unwrap(), 2.0);
    assert!(!timed_out);
}
