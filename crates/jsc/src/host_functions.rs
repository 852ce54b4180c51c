//! Native functions as the engine's own host functions.
//!
//! A C API callback function (`JSObjectMakeFunctionWithCallback`) drops the engine lock
//! around every call, so each C API call the op makes takes it again in full. A host
//! function made by `JSC::JSFunction::create` is called with the lock held and its
//! arguments in place on the engine's call frame. Layout facts (2.50, confirmed by
//! disassembly): a host function is `EncodedJSValue (JSGlobalObject*, CallFrame*)`; the
//! call frame holds the callee in register slot 3, the argument count including `this` in
//! slot 4, `this` in slot 5 and the arguments from slot 6; a JSValueRef is the encoded
//! value. A self-test at first use checks these through real calls; if it fails, functions
//! stay C API callbacks.
//!
//! The engine gives a host function no slot for data of ours, so each op gets an entry
//! point of its own (a trampoline from a fixed pool, which knows its op by its index);
//! past the pool, one shared entry point finds the op by its function object.

use crate::encoding::UNDEFINED;
use crate::sys::*;
use crate::strings::{latin1_impl, release_impl};
use crate::{dispatch, Ctx, NativeFn, Object, Value, NATIVE_FNS};
use std::ffi::c_void;
use std::collections::HashMap;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

const SLOT_CALLEE: usize = 3;
const SLOT_ARGUMENT_COUNT: usize = 4;
const SLOT_THIS: usize = 5;
const SLOT_FIRST_ARGUMENT: usize = 6;

type HostFunction = unsafe extern "C" fn(global: *const c_void, frame: *const u64) -> u64;

unsafe extern "C" {
    #[link_name = "_ZN3JSC10JSFunction6createERNS_2VMEPNS_14JSGlobalObjectEjRKN3WTF6StringENS5_11FunctionPtrILNS5_6PtrTagE1EFlS4_PNS_9CallFrameEELNS5_18FunctionAttributesE2EEENS_24ImplementationVisibilityENS_9IntrinsicESF_PKNS_6DOMJIT9SignatureE"]
    fn js_function_create(
        vm: *mut c_void,
        global: *const c_void,
        length: u32,
        name: *const *mut c_void,
        function: HostFunction,
        visibility: u32,
        intrinsic: u32,
        constructor: HostFunction,
        signature: *const c_void,
    ) -> *mut c_void;
    #[link_name = "_ZN3JSC29callHostFunctionAsConstructorEPNS_14JSGlobalObjectEPNS_9CallFrameE"]
    fn call_host_function_as_constructor(global: *const c_void, frame: *const u64) -> u64;
    #[link_name = "_ZN3JSC2VM14throwExceptionEPNS_14JSGlobalObjectENS_7JSValueE"]
    fn vm_throw_exception(vm: *mut c_void, global: *const c_void, value: JSValueRef) -> *mut c_void;
}

/// The entry point of host functions past the trampolines: finds the op by its function
/// object.
unsafe extern "C" fn call_host(global: *const c_void, frame: *const u64) -> u64 {
    let callee = *frame.add(SLOT_CALLEE) as usize;
    let op = NATIVE_FNS.with(|fns| fns.borrow().get(&callee).copied());
    run_op(global, frame, op)
}

/// How many ops get a trampoline of their own: more distinct ops than ferro has.
const TRAMPOLINE_ROWS: usize = 32;
const TRAMPOLINE_COLUMNS: usize = 32;

/// The op of each trampoline, assigned once per process (an op keeps its trampoline in
/// every context and thread).
static TRAMPOLINE_OPS: [AtomicUsize; TRAMPOLINE_ROWS * TRAMPOLINE_COLUMNS] =
    [const { AtomicUsize::new(0) }; TRAMPOLINE_ROWS * TRAMPOLINE_COLUMNS];
static TRAMPOLINE_OF_OP: Mutex<Option<HashMap<usize, usize>>> = Mutex::new(None);

/// The entry point of a host function whose op is the `ROW * 32 + COLUMN`th: the op is
/// one load away, with no lookup by function object.
unsafe extern "C" fn trampoline<const ROW: usize, const COLUMN: usize>(global: *const c_void, frame: *const u64) -> u64 {
    let op = TRAMPOLINE_OPS[ROW * TRAMPOLINE_COLUMNS + COLUMN].load(Ordering::Relaxed);
    // SAFETY: only `NativeFn`s are stored, before their trampoline is handed out.
    run_op(global, frame, Some(std::mem::transmute::<usize, NativeFn>(op)))
}

macro_rules! trampoline_row {
    ($row:literal) => {
        [
            trampoline::<$row, 0>, trampoline::<$row, 1>, trampoline::<$row, 2>, trampoline::<$row, 3>,
            trampoline::<$row, 4>, trampoline::<$row, 5>, trampoline::<$row, 6>, trampoline::<$row, 7>,
            trampoline::<$row, 8>, trampoline::<$row, 9>, trampoline::<$row, 10>, trampoline::<$row, 11>,
            trampoline::<$row, 12>, trampoline::<$row, 13>, trampoline::<$row, 14>, trampoline::<$row, 15>,
            trampoline::<$row, 16>, trampoline::<$row, 17>, trampoline::<$row, 18>, trampoline::<$row, 19>,
            trampoline::<$row, 20>, trampoline::<$row, 21>, trampoline::<$row, 22>, trampoline::<$row, 23>,
            trampoline::<$row, 24>, trampoline::<$row, 25>, trampoline::<$row, 26>, trampoline::<$row, 27>,
            trampoline::<$row, 28>, trampoline::<$row, 29>, trampoline::<$row, 30>, trampoline::<$row, 31>,
        ]
    };
}

static TRAMPOLINES: [[HostFunction; TRAMPOLINE_COLUMNS]; TRAMPOLINE_ROWS] = [
    trampoline_row!(0), trampoline_row!(1), trampoline_row!(2), trampoline_row!(3),
    trampoline_row!(4), trampoline_row!(5), trampoline_row!(6), trampoline_row!(7),
    trampoline_row!(8), trampoline_row!(9), trampoline_row!(10), trampoline_row!(11),
    trampoline_row!(12), trampoline_row!(13), trampoline_row!(14), trampoline_row!(15),
    trampoline_row!(16), trampoline_row!(17), trampoline_row!(18), trampoline_row!(19),
    trampoline_row!(20), trampoline_row!(21), trampoline_row!(22), trampoline_row!(23),
    trampoline_row!(24), trampoline_row!(25), trampoline_row!(26), trampoline_row!(27),
    trampoline_row!(28), trampoline_row!(29), trampoline_row!(30), trampoline_row!(31),
];

/// The trampoline running `op`, `None` once all are taken.
fn trampoline_for(op: NativeFn) -> Option<HostFunction> {
    let mut assigned = TRAMPOLINE_OF_OP.lock().unwrap_or_else(|e| e.into_inner());
    let assigned = assigned.get_or_insert_with(HashMap::new);
    let next = assigned.len();
    let index = *assigned.entry(op as usize).or_insert(next);
    if index == next {
        if next == TRAMPOLINE_OPS.len() {
            assigned.remove(&(op as usize));
            return None;
        }
        TRAMPOLINE_OPS[index].store(op as usize, Ordering::Relaxed);
    }
    Some(TRAMPOLINES[index / TRAMPOLINE_COLUMNS][index % TRAMPOLINE_COLUMNS])
}

/// Runs `op` on the arguments of the call frame, throwing what it throws.
unsafe fn run_op(global: *const c_void, frame: *const u64, op: Option<NativeFn>) -> u64 {
    let ctx = global as JSContextRef;
    let argc = (*frame.add(SLOT_ARGUMENT_COUNT) as u32).saturating_sub(1) as usize;
    let this = *frame.add(SLOT_THIS) as JSObjectRef;
    let argv = frame.add(SLOT_FIRST_ARGUMENT) as *const JSValueRef;
    let mut exception: JSValueRef = ptr::null();
    let result = match op {
        Some(op) => dispatch(ctx, this, argc, argv, &mut exception, op),
        None => dispatch(ctx, this, argc, argv, &mut exception, |a| Err(a.ctx.error("native function is gone"))),
    };
    if !exception.is_null() {
        vm_throw_exception(JSContextGetGroup(ctx) as *mut c_void, global, exception);
        return 0;
    }
    // A C API op may answer null, which callbacks turn into undefined.
    if result.is_null() {
        UNDEFINED
    } else {
        result as u64
    }
}

/// A host function running `op`, named `name` (ASCII, as op names are); `None` for an
/// empty name (the engine's shared empty string is not ours to release).
unsafe fn create(ctx: Ctx, name: &str, op: NativeFn) -> Option<Object> {
    if name.is_empty() {
        return None;
    }
    // A WTF::String is one pointer to its StringImpl.
    let name_impl = latin1_impl(name.as_bytes())?;
    let vm = JSContextGetGroup(ctx.0) as *mut c_void;
    let entry = trampoline_for(op);
    // Called before any JS runs (bindings), when nothing else holds the lock.
    let lock = crate::shared_memory::VmLock::hold(ctx);
    let function = js_function_create(
        vm,
        ctx.0 as *const c_void,
        0,
        &(name_impl as *mut c_void),
        entry.unwrap_or(call_host),
        0, // ImplementationVisibility::Public
        0, // NoIntrinsic
        call_host_function_as_constructor,
        ptr::null(),
    );
    drop(lock);
    // The function keeps its own reference to the name.
    release_impl(name_impl);
    if entry.is_none() {
        NATIVE_FNS.with(|fns| fns.borrow_mut().insert(function as usize, op));
    }
    Some(Object { ctx: ctx.0, raw: function as JSObjectRef })
}

/// Whether host functions behave as this module expects, checked once per process by
/// calls through a sample of them: arguments and `this` arrive, an error thrown by the op
/// is catchable, a null answer is undefined.
fn usable(ctx: Ctx) -> bool {
    static USABLE: OnceLock<bool> = OnceLock::new();
    *USABLE.get_or_init(|| {
        let probe = |ctx: Ctx| -> Option<bool> {
            let echo = unsafe {
                create(ctx, "echo", |a| {
                    let ok = a.len() == 2 && a.get(0).to_number()? == 41.0 && a.string(1)? == "x";
                    Ok(if ok { a.this } else { a.ctx.undefined() })
                })?
            };
            let thrower = unsafe { create(ctx, "thrower", |a| Err(a.ctx.string("thrown")))? };
            let nothing = unsafe { create(ctx, "nothing", |_| Ok(Value { ctx: ptr::null(), raw: ptr::null() }))? };
            let check = ctx.eval(
                "(function (echo, thrower, nothing) {
                   const o = {};
                   let caught = false;
                   try { thrower(); } catch (e) { caught = e === 'thrown'; }
                   return echo.call(o, 41, 'x') === o && caught && nothing() === undefined && echo.name === 'echo';
                 })",
                "",
                1,
            );
            let result = check.ok()?.as_object()?.call(None, &[echo.value(), thrower.value(), nothing.value()]).ok()?;
            Some(result.to_boolean())
        };
        probe(ctx).unwrap_or(false)
    })
}

impl Ctx {
    /// `f` as a host function when the engine allows it (see the module comment).
    pub(crate) fn host_function(self, name: &str, f: NativeFn) -> Option<Object> {
        if usable(self) {
            unsafe { create(self, name, f) }
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Context;

    #[test]
    fn ops_are_host_functions_on_this_engine() {
        let context = Context::new();
        let ctx = context.ctx();
        assert!(super::usable(ctx), "the host-function self-test failed: ops fall back to C API callbacks");
        let sum = ctx.function("sum", |a| {
            let mut total = 0.0;
            for i in 0..a.len() {
                total += a.get(i).to_number()?;
            }
            Ok(a.ctx.number(total))
        });
        let fail = ctx.function("fail", |a| Err(a.ctx.error("nope")));
        ctx.global().set("sum", sum.value()).unwrap();
        ctx.global().set("fail", fail.value()).unwrap();
        let out = ctx
            .eval("let caught; try { fail(); } catch (e) { caught = e.message; } [sum(1, 2, 3), sum(), sum.name, fail.name, caught, typeof new Function('return sum')()].join()", "", 1)
            .unwrap();
        assert_eq!(out.to_string().unwrap(), "6,0,sum,fail,nope,function");
        let not_constructor = ctx.eval("try { new sum(); 'constructed' } catch (e) { e instanceof TypeError }", "", 1).unwrap();
        assert!(not_constructor.to_boolean());
    }

    fn double(a: &crate::Args) -> crate::JsResult<crate::Value> {
        Ok(a.ctx.number(a.number(0)? * 2.0))
    }

    #[test]
    fn an_op_keeps_its_trampoline_across_functions_and_threads() {
        let entry = super::trampoline_for(double);
        assert!(entry.is_some());
        assert_eq!(entry.map(|f| f as usize), super::trampoline_for(double).map(|f| f as usize));
        let run = || {
            let context = Context::new();
            let ctx = context.ctx();
            ctx.global().set("twice", ctx.function("twice", double).value()).unwrap();
            ctx.global().set("again", ctx.function("again", double).value()).unwrap();
            let out = ctx.eval("[twice(4), again(-1.5), twice.name, again.name, twice === again].join()", "", 1).unwrap();
            out.to_string().unwrap()
        };
        assert_eq!(run(), "8,-3,twice,again,false");
        assert_eq!(std::thread::spawn(run).join().unwrap(), "8,-3,twice,again,false");
    }
}
