//! Node-API: native addons (`.node` files) built against node_api.h load with
//! `process.dlopen`. The `napi_*` functions below are exported from the ferro binary (see
//! crates/cli/build.rs), so an addon's undefined symbols resolve to them when it is loaded.
//!
//! A `napi_value` is a JSC value pointer: the engine scans the native stack, so values an
//! addon holds in locals during a call stay alive, as handle scopes keep them in V8; values
//! kept longer go through references. What the C API cannot do is done by the helpers of
//! js/internal/napi.js. Finalizers run after the collection that found their object dead,
//! as a macrotask, never inside the collector.

#![allow(non_camel_case_types, clippy::missing_safety_doc)]

use jsc::{Args, Ctx, JsResult, Object, Protected, Value};
use std::cell::RefCell;
use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr;

pub type napi_env = *mut Env;
pub type napi_value = jsc::sys::JSValueRef;
pub type napi_status = i32;
pub type napi_callback_info = *const CallbackInfo;
pub type napi_callback = Option<unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value>;
pub type napi_finalize = Option<unsafe extern "C" fn(napi_env, *mut c_void, *mut c_void)>;
pub type napi_ref = *mut Reference;
pub type napi_deferred = *mut jsc::Deferred;
pub type napi_handle_scope = *mut c_void;
pub type napi_async_work = *mut AsyncWork;

const OK: napi_status = 0;
const INVALID_ARG: napi_status = 1;
const OBJECT_EXPECTED: napi_status = 2;
const STRING_EXPECTED: napi_status = 3;
const NAME_EXPECTED: napi_status = 4;
const FUNCTION_EXPECTED: napi_status = 5;
const NUMBER_EXPECTED: napi_status = 6;
const BOOLEAN_EXPECTED: napi_status = 7;
const ARRAY_EXPECTED: napi_status = 8;
const GENERIC_FAILURE: napi_status = 9;
const PENDING_EXCEPTION: napi_status = 10;
const CANCELLED: napi_status = 11;
const BIGINT_EXPECTED: napi_status = 17;
const DATE_EXPECTED: napi_status = 18;
const ARRAYBUFFER_EXPECTED: napi_status = 19;
const DETACHABLE_ARRAYBUFFER_EXPECTED: napi_status = 20;

/// napi_get_last_error_info's messages, indexed by status.
const MESSAGES: [&CStr; 24] = [
    c"",
    c"Invalid argument",
    c"An object was expected",
    c"A string was expected",
    c"A string or symbol was expected",
    c"A function was expected",
    c"A number was expected",
    c"A boolean was expected",
    c"An array was expected",
    c"Unknown failure",
    c"An exception is pending",
    c"The async work item was cancelled",
    c"napi_escape_handle already called on scope",
    c"Invalid handle scope usage",
    c"Invalid callback scope usage",
    c"Thread-safe function queue is full",
    c"Thread-safe function handle is closing",
    c"A bigint was expected",
    c"A date was expected",
    c"An arraybuffer was expected",
    c"A detachable arraybuffer was expected",
    c"Main thread would deadlock",
    c"External buffers are not allowed",
    c"Cannot run JavaScript",
];

const NAPI_VERSION: u32 = 10;
const AUTO_LENGTH: usize = usize::MAX;

#[repr(C)]
pub struct napi_extended_error_info {
    error_message: *const c_char,
    engine_reserved: *mut c_void,
    engine_error_code: u32,
    error_code: napi_status,
}

#[repr(C)]
pub struct napi_property_descriptor {
    utf8name: *const c_char,
    name: napi_value,
    method: napi_callback,
    getter: napi_callback,
    setter: napi_callback,
    value: napi_value,
    attributes: i32,
    data: *mut c_void,
}

const WRITABLE: i32 = 1;
const ENUMERABLE: i32 = 2;
const CONFIGURABLE: i32 = 4;
const STATIC: i32 = 1 << 10;

#[repr(C)]
pub struct napi_module {
    nm_version: i32,
    nm_flags: u32,
    nm_filename: *const c_char,
    nm_register_func: Option<unsafe extern "C" fn(napi_env, napi_value) -> napi_value>,
    nm_modname: *const c_char,
    nm_priv: *mut c_void,
    reserved: [*mut c_void; 4],
}

#[repr(C)]
pub struct napi_node_version {
    major: u32,
    minor: u32,
    patch: u32,
    release: *const c_char,
}

/// One loaded addon's environment.
pub struct Env {
    ctx: Ctx,
    helpers: Protected,
    filename: CString,
    pending_exception: Option<Protected>,
    last_error: napi_extended_error_info,
    instance_data: Option<Finalizer>,
}

/// What `napi_get_cb_info` reads during a call into the addon.
pub struct CallbackInfo {
    this: Value,
    args: Vec<Value>,
    new_target: Option<Value>,
    data: *mut c_void,
}

/// A native finalizer to run later with its data.
struct Finalizer {
    env: napi_env,
    callback: napi_finalize,
    data: *mut c_void,
    hint: *mut c_void,
}

impl Finalizer {
    fn run(self) {
        if let Some(callback) = self.callback {
            unsafe { callback(self.env, self.data, self.hint) };
        }
    }
}

/// The JS-side holder of a finalizer: when the engine collects it, the finalizer is
/// queued to run as a macrotask.
struct FinalizeOnCollect(RefCell<Option<Finalizer>>);

impl Drop for FinalizeOnCollect {
    fn drop(&mut self) {
        if let Some(finalizer) = self.0.borrow_mut().take() {
            runtime::event_loop::complete_local(move |_| {
                finalizer.run();
                Ok(())
            });
        }
    }
}

/// The data of a `napi_create_external` value.
struct External {
    data: *mut c_void,
    _finalizer: FinalizeOnCollect,
}

/// napi_ref: strong while its count is above zero; weak (through a JS WeakRef for
/// objects) at zero.
pub struct Reference {
    count: u32,
    strong: Option<Protected>,
    weak: Option<Protected>,
}

thread_local! {
    /// The module an addon registered with `napi_module_register` while being loaded.
    static REGISTERED: RefCell<Option<*const napi_module>> = const { RefCell::new(None) };
    /// Whether an addon loading now registered through `node_module_register`.
    static V8_ADDON_REGISTERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Modules registered that way, by library handle.
    static LOADED: RefCell<std::collections::HashMap<usize, *const napi_module>> = RefCell::new(std::collections::HashMap::new());
}

// ---- helpers ----

unsafe fn value(env: &Env, raw: napi_value) -> Value {
    Value::from_raw(env.ctx, raw)
}

impl Env {
    fn set_status(&mut self, status: napi_status) -> napi_status {
        self.last_error.error_code = status;
        self.last_error.error_message = if status == OK { ptr::null() } else { MESSAGES[status as usize].as_ptr() };
        status
    }

    fn helper(&self, name: &str) -> JsResult<Object> {
        self.helpers.object().expect("napi helpers").get(name)?.expect_object()
    }

    fn call_helper(&self, name: &str, args: &[Value]) -> JsResult<Value> {
        self.helper(name)?.call(None, args)
    }

    /// The status for a JS result: a thrown value becomes the pending exception.
    fn js<T>(&mut self, result: JsResult<T>, out: impl FnOnce(T)) -> napi_status {
        match result {
            Ok(v) => {
                out(v);
                self.set_status(OK)
            }
            Err(e) => {
                self.pending_exception = Some(e.protect());
                self.set_status(PENDING_EXCEPTION)
            }
        }
    }
}

macro_rules! env {
    ($env:expr) => {
        match unsafe { $env.as_mut() } {
            Some(env) => env,
            None => return INVALID_ARG,
        }
    };
}

macro_rules! arg {
    ($env:expr, $ptr:expr) => {
        if $ptr.is_null() {
            return $env.set_status(INVALID_ARG);
        }
    };
}

unsafe fn write<T>(out: *mut T, v: T) {
    if !out.is_null() {
        *out = v;
    }
}

unsafe fn c_str(s: *const c_char, len: usize) -> Option<Vec<u8>> {
    if s.is_null() {
        return if len == 0 || len == AUTO_LENGTH { Some(Vec::new()) } else { None };
    }
    let bytes = if len == AUTO_LENGTH { CStr::from_ptr(s).to_bytes() } else { std::slice::from_raw_parts(s as *const u8, len) };
    Some(bytes.to_vec())
}

/// A JS function that calls an addon callback.
fn make_function(env: napi_env, name: &str, cb: unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value, data: *mut c_void, constructor: bool) -> Object {
    let ctx = unsafe { (*env).ctx };
    ctx.closure(
        name,
        Box::new(move |args: &Args| {
            let all: Vec<Value> = (0..args.len()).map(|i| args.get(i)).collect();
            let (new_target, rest) = if constructor && !all.is_empty() { (Some(all[0]).filter(|t| !t.is_undefined()), all[1..].to_vec()) } else { (None, all) };
            call_into_addon(env, cb, CallbackInfo { this: args.this, args: rest, new_target, data })
        }),
    )
}

fn call_into_addon(env: napi_env, cb: unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value, info: CallbackInfo) -> JsResult<Value> {
    let e = unsafe { &mut *env };
    let ctx = e.ctx;
    let result = unsafe { cb(env, &info) };
    if let Some(exception) = e.pending_exception.take() {
        return Err(exception.value());
    }
    Ok(if result.is_null() { ctx.undefined() } else { unsafe { Value::from_raw(ctx, result) } })
}

fn key_of(env: &Env, name: *const c_char) -> Option<Value> {
    let bytes = unsafe { c_str(name, AUTO_LENGTH)? };
    Some(env.ctx.string(&String::from_utf8_lossy(&bytes)))
}

// ---- loading ----

/// `dlopen(module, filename, helpers, flags)`: loads an addon and fills `module.exports`.
fn dlopen(args: &Args) -> JsResult<Value> {
    let ctx = args.ctx;
    let (module, filename, helpers) = (args.get(0).expect_object()?, args.string(1)?, args.get(2));
    // Node's default is RTLD_LAZY. Deep binding keeps an addon's own copies of libraries
    // ferro also loads (sharp's libvips carries GLib, which the engine links) apart.
    let flags = if args.get(3).is_number() { args.number(3)? as i32 } else { libc::RTLD_LAZY | libc::RTLD_DEEPBIND };
    let path = CString::new(filename.clone()).map_err(|_| ctx.error("invalid path"))?;
    V8_ADDON_REGISTERED.with(|r| r.set(false));
    let handle = unsafe { libc::dlopen(path.as_ptr(), flags) };
    if handle.is_null() {
        let message = unsafe { CStr::from_ptr(libc::dlerror()) }.to_string_lossy().into_owned();
        let err = ctx.error(&message).expect_object()?;
        err.set("code", ctx.string("ERR_DLOPEN_FAILED"))?;
        return Err(err.value());
    }
    // A library loaded before does not run its constructors again: its module is remembered.
    let registered = REGISTERED.with(|r| r.borrow_mut().take());
    if let Some(m) = registered {
        LOADED.with(|l| l.borrow_mut().insert(handle as usize, m));
    }
    let init: Option<unsafe extern "C" fn(napi_env, napi_value) -> napi_value> = match LOADED.with(|l| l.borrow().get(&(handle as usize)).copied()) {
        Some(m) => unsafe { (*m).nm_register_func },
        None => {
            let symbol = unsafe { libc::dlsym(handle, c"napi_register_module_v1".as_ptr()) };
            (!symbol.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, unsafe extern "C" fn(napi_env, napi_value) -> napi_value>(symbol) })
        }
    };
    let Some(init) = init else {
        let message = if V8_ADDON_REGISTERED.with(|r| r.get()) {
            format!("The module '{filename}' was built against Node's V8 API (node.h or NAN), which ferro does not provide. Only Node-API addons can be loaded.")
        } else {
            format!("Module did not self-register: '{filename}'.")
        };
        let err = ctx.error(&message).expect_object()?;
        err.set("code", ctx.string("ERR_DLOPEN_FAILED"))?;
        return Err(err.value());
    };
    let env = Box::into_raw(Box::new(Env {
        ctx,
        helpers: helpers.protect(),
        filename: CString::new(format!("file://{filename}")).unwrap_or_default(),
        pending_exception: None,
        last_error: napi_extended_error_info { error_message: ptr::null(), engine_reserved: ptr::null_mut(), engine_error_code: 0, error_code: OK },
        instance_data: None,
    }));
    let exports = module.get("exports")?;
    let returned = unsafe { init(env, exports.raw()) };
    if let Some(exception) = unsafe { (*env).pending_exception.take() } {
        return Err(exception.value());
    }
    if !returned.is_null() && returned != exports.raw() {
        module.set("exports", unsafe { Value::from_raw(ctx, returned) })?;
    }
    Ok(ctx.undefined())
}

pub fn binding(ctx: Ctx) -> JsResult<Object> {
    let b = ctx.object();
    b.set_function("dlopen", dlopen)?;
    Ok(b)
}

#[no_mangle]
pub unsafe extern "C" fn napi_module_register(module: *mut napi_module) {
    REGISTERED.with(|r| *r.borrow_mut() = Some(module));
}

/// Where addons built against Node's V8 API (node.h, NAN) register: ferro has no V8 to
/// give them, so loading one fails with an error saying so, instead of the dynamic
/// linker ending the process on the missing symbol.
#[no_mangle]
pub unsafe extern "C" fn node_module_register(_module: *mut c_void) {
    V8_ADDON_REGISTERED.with(|r| r.set(true));
}

// ---- errors and exceptions ----

#[no_mangle]
pub unsafe extern "C" fn napi_get_last_error_info(env: napi_env, result: *mut *const napi_extended_error_info) -> napi_status {
    let env = env!(env);
    arg!(env, result);
    *result = &env.last_error;
    OK
}

#[no_mangle]
pub unsafe extern "C" fn napi_throw(env: napi_env, error: napi_value) -> napi_status {
    let env = env!(env);
    arg!(env, error);
    env.pending_exception = Some(value(env, error).protect());
    env.set_status(OK)
}

unsafe fn throw_new(env: napi_env, kind: &str, code: *const c_char, msg: *const c_char) -> napi_status {
    let env = env!(env);
    arg!(env, msg);
    let message = String::from_utf8_lossy(&c_str(msg, AUTO_LENGTH).unwrap_or_default()).into_owned();
    let code = if code.is_null() { env.ctx.undefined() } else { key_of(env, code).unwrap_or(env.ctx.undefined()) };
    let ctx = env.ctx;
    let error = ctx.global().get(kind).and_then(|k| env.call_helper("makeError", &[k, code, ctx.string(&message)]));
    match error {
        Ok(e) | Err(e) => env.pending_exception = Some(e.protect()),
    }
    env.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_throw_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status {
    throw_new(env, "Error", code, msg)
}

#[no_mangle]
pub unsafe extern "C" fn napi_throw_type_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status {
    throw_new(env, "TypeError", code, msg)
}

#[no_mangle]
pub unsafe extern "C" fn napi_throw_range_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status {
    throw_new(env, "RangeError", code, msg)
}

#[no_mangle]
pub unsafe extern "C" fn node_api_throw_syntax_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status {
    throw_new(env, "SyntaxError", code, msg)
}

unsafe fn create_error(env: napi_env, kind: &str, code: napi_value, msg: napi_value, result: *mut napi_value) -> napi_status {
    let env = env!(env);
    arg!(env, msg);
    arg!(env, result);
    let message = value(env, msg);
    if !message.is_string() {
        return env.set_status(STRING_EXPECTED);
    }
    let code = if code.is_null() { env.ctx.undefined() } else { value(env, code) };
    if !code.is_undefined() && !code.is_string() {
        return env.set_status(STRING_EXPECTED);
    }
    let ctx = env.ctx;
    let made = ctx.global().get(kind).and_then(|k| env.call_helper("makeError", &[k, code, message]));
    env.js(made, |e| *result = e.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_error(env: napi_env, code: napi_value, msg: napi_value, result: *mut napi_value) -> napi_status {
    create_error(env, "Error", code, msg, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_type_error(env: napi_env, code: napi_value, msg: napi_value, result: *mut napi_value) -> napi_status {
    create_error(env, "TypeError", code, msg, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_range_error(env: napi_env, code: napi_value, msg: napi_value, result: *mut napi_value) -> napi_status {
    create_error(env, "RangeError", code, msg, result)
}

#[no_mangle]
pub unsafe extern "C" fn node_api_create_syntax_error(env: napi_env, code: napi_value, msg: napi_value, result: *mut napi_value) -> napi_status {
    create_error(env, "SyntaxError", code, msg, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_error(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    predicate(env, v, result, "isError")
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_exception_pending(env: napi_env, result: *mut bool) -> napi_status {
    let env = env!(env);
    arg!(env, result);
    *result = env.pending_exception.is_some();
    env.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_and_clear_last_exception(env: napi_env, result: *mut napi_value) -> napi_status {
    let env = env!(env);
    arg!(env, result);
    *result = match env.pending_exception.take() {
        Some(e) => e.value().raw(),
        None => env.ctx.undefined().raw(),
    };
    env.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_fatal_error(location: *const c_char, location_len: usize, message: *const c_char, message_len: usize) -> ! {
    let location = c_str(location, location_len).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let message = c_str(message, message_len).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    if location.is_empty() {
        eprintln!("FATAL ERROR: {message}");
    } else {
        eprintln!("FATAL ERROR: {location} {message}");
    }
    std::process::abort();
}

#[no_mangle]
pub unsafe extern "C" fn napi_fatal_exception(env: napi_env, err: napi_value) -> napi_status {
    let env = env!(env);
    arg!(env, err);
    let error = value(env, err);
    let outcome = env.call_helper("fatalException", &[error]);
    env.js(outcome, |_| {})
}

// ---- singletons and primitives ----

unsafe fn put(env: napi_env, result: *mut napi_value, make: impl FnOnce(Ctx) -> Value) -> napi_status {
    let env = env!(env);
    arg!(env, result);
    *result = make(env.ctx).raw();
    env.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_undefined(env: napi_env, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.undefined())
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_null(env: napi_env, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.null())
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_global(env: napi_env, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.global().value())
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_boolean(env: napi_env, b: bool, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.boolean(b))
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_object(env: napi_env, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.object().value())
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_array(env: napi_env, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.array(&[]).map_or(ctx.undefined(), |a| a.value()))
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_array_with_length(env: napi_env, length: usize, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| {
        let array = ctx.array(&[]).map_or(ctx.undefined(), |a| a.value());
        if let Some(a) = array.as_object() {
            let _ = a.set("length", ctx.number(length.min(u32::MAX as usize) as f64));
        }
        array
    })
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_double(env: napi_env, v: f64, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.number(v))
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_int32(env: napi_env, v: i32, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.number(v as f64))
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_uint32(env: napi_env, v: u32, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.number(v as f64))
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_int64(env: napi_env, v: i64, result: *mut napi_value) -> napi_status {
    put(env, result, |ctx| ctx.number(v as f64))
}

unsafe fn create_string(env: napi_env, text: Option<String>, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    let Some(text) = text else { return e.set_status(INVALID_ARG) };
    put(env, result, |ctx| ctx.string(&text))
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_string_utf8(env: napi_env, s: *const c_char, length: usize, result: *mut napi_value) -> napi_status {
    create_string(env, c_str(s, length).map(|b| String::from_utf8_lossy(&b).into_owned()), result)
}

#[no_mangle]
pub unsafe extern "C" fn node_api_create_property_key_utf8(env: napi_env, s: *const c_char, length: usize, result: *mut napi_value) -> napi_status {
    napi_create_string_utf8(env, s, length, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_string_latin1(env: napi_env, s: *const c_char, length: usize, result: *mut napi_value) -> napi_status {
    create_string(env, c_str(s, length).map(|b| b.iter().map(|&c| c as char).collect()), result)
}

#[no_mangle]
pub unsafe extern "C" fn node_api_create_property_key_latin1(env: napi_env, s: *const c_char, length: usize, result: *mut napi_value) -> napi_status {
    napi_create_string_latin1(env, s, length, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_string_utf16(env: napi_env, s: *const u16, length: usize, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    if s.is_null() && length != 0 && length != AUTO_LENGTH {
        return e.set_status(INVALID_ARG);
    }
    let units: &[u16] = if s.is_null() {
        &[]
    } else if length == AUTO_LENGTH {
        let mut n = 0;
        while *s.add(n) != 0 {
            n += 1;
        }
        std::slice::from_raw_parts(s, n)
    } else {
        std::slice::from_raw_parts(s, length)
    };
    *result = e.ctx.string_utf16(units).raw();
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn node_api_create_property_key_utf16(env: napi_env, s: *const u16, length: usize, result: *mut napi_value) -> napi_status {
    napi_create_string_utf16(env, s, length, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_symbol(env: napi_env, description: napi_value, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let description = if description.is_null() { e.ctx.undefined() } else { value(e, description) };
    if !description.is_undefined() && !description.is_string() {
        return e.set_status(STRING_EXPECTED);
    }
    let made = e.call_helper("symbol", &[description]);
    e.js(made, |s| *result = s.raw())
}

#[no_mangle]
pub unsafe extern "C" fn node_api_symbol_for(env: napi_env, s: *const c_char, length: usize, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let Some(text) = c_str(s, length) else { return e.set_status(INVALID_ARG) };
    let description = e.ctx.string(&String::from_utf8_lossy(&text));
    let made = e.call_helper("symbolFor", &[description]);
    e.js(made, |s| *result = s.raw())
}

// ---- reading primitives ----

unsafe fn number_of(env: napi_env, v: napi_value) -> Result<f64, napi_status> {
    let e = env.as_mut().ok_or(INVALID_ARG)?;
    if v.is_null() {
        return Err(e.set_status(INVALID_ARG));
    }
    let n = value(e, v);
    if !n.is_number() {
        return Err(e.set_status(NUMBER_EXPECTED));
    }
    n.to_number().map_err(|_| e.set_status(NUMBER_EXPECTED))
}

unsafe fn read_number<T>(env: napi_env, v: napi_value, result: *mut T, convert: impl FnOnce(f64) -> T) -> napi_status {
    if result.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    match number_of(env, v) {
        Ok(n) => {
            *result = convert(n);
            (*env).set_status(OK)
        }
        Err(status) => status,
    }
}

/// ECMAScript ToInt32/ToUint32 wrapping.
fn wrap_u32(n: f64) -> u32 {
    if !n.is_finite() {
        return 0;
    }
    (n.trunc().rem_euclid(4294967296.0)) as u32
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_double(env: napi_env, v: napi_value, result: *mut f64) -> napi_status {
    read_number(env, v, result, |n| n)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_int32(env: napi_env, v: napi_value, result: *mut i32) -> napi_status {
    read_number(env, v, result, |n| wrap_u32(n) as i32)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_uint32(env: napi_env, v: napi_value, result: *mut u32) -> napi_status {
    read_number(env, v, result, wrap_u32)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_int64(env: napi_env, v: napi_value, result: *mut i64) -> napi_status {
    // Non-finite numbers give 0; the rest saturate, as `as` does.
    read_number(env, v, result, |n| if n.is_finite() { n as i64 } else { 0 })
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_bool(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    let b = value(e, v);
    if !b.is_boolean() {
        return e.set_status(BOOLEAN_EXPECTED);
    }
    *result = b.to_boolean();
    e.set_status(OK)
}

/// Copies a string into a caller's buffer of `bufsize` units (NUL-terminated), or gives
/// its length when `buf` is null.
unsafe fn copy_string<T: Copy + Default>(env: napi_env, v: napi_value, buf: *mut T, bufsize: usize, result: *mut usize, encode: impl FnOnce(&[u16]) -> Vec<T>, whole_units: impl Fn(&[T], usize) -> usize) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    let s = value(e, v);
    if !s.is_string() {
        return e.set_status(STRING_EXPECTED);
    }
    let Ok(js) = s.to_js_string() else { return e.set_status(STRING_EXPECTED) };
    let encoded = encode(js.utf16());
    if buf.is_null() {
        arg!(e, result);
        *result = encoded.len();
        return e.set_status(OK);
    }
    if bufsize == 0 {
        write(result, 0);
        return e.set_status(OK);
    }
    let n = whole_units(&encoded, bufsize - 1);
    ptr::copy_nonoverlapping(encoded.as_ptr(), buf, n);
    *buf.add(n) = T::default();
    write(result, n);
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_string_utf8(env: napi_env, v: napi_value, buf: *mut c_char, bufsize: usize, result: *mut usize) -> napi_status {
    copy_string(
        env,
        v,
        buf as *mut u8,
        bufsize,
        result,
        |units| String::from_utf16_lossy(units).into_bytes(),
        // Never split a character.
        |bytes, room| {
            let mut n = room.min(bytes.len());
            while n > 0 && n < bytes.len() && (bytes[n] & 0xC0) == 0x80 {
                n -= 1;
            }
            n
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_string_latin1(env: napi_env, v: napi_value, buf: *mut c_char, bufsize: usize, result: *mut usize) -> napi_status {
    copy_string(env, v, buf as *mut u8, bufsize, result, |units| units.iter().map(|&u| u as u8).collect(), |b, room| room.min(b.len()))
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_string_utf16(env: napi_env, v: napi_value, buf: *mut u16, bufsize: usize, result: *mut usize) -> napi_status {
    copy_string(env, v, buf, bufsize, result, |units| units.to_vec(), |u, room| room.min(u.len()))
}

// ---- types and coercion ----

#[no_mangle]
pub unsafe extern "C" fn napi_typeof(env: napi_env, v: napi_value, result: *mut i32) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    let x = value(e, v);
    *result = if x.is_undefined() {
        0
    } else if x.is_null() {
        1
    } else if x.is_boolean() {
        2
    } else if x.is_number() {
        3
    } else if x.is_string() {
        4
    } else if x.is_symbol() {
        5
    } else if x.is_bigint() {
        9
    } else if x.wrapped::<External>().is_some() {
        8
    } else if x.is_function() {
        7
    } else {
        6
    };
    e.set_status(OK)
}

unsafe fn coerce(env: napi_env, v: napi_value, result: *mut napi_value, helper: &str) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    let made = e.call_helper(helper, &[value(e, v)]);
    e.js(made, |r| *result = r.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_coerce_to_bool(env: napi_env, v: napi_value, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    *result = e.ctx.boolean(value(e, v).to_boolean()).raw();
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_coerce_to_number(env: napi_env, v: napi_value, result: *mut napi_value) -> napi_status {
    coerce(env, v, result, "coerceToNumber")
}

#[no_mangle]
pub unsafe extern "C" fn napi_coerce_to_string(env: napi_env, v: napi_value, result: *mut napi_value) -> napi_status {
    coerce(env, v, result, "coerceToString")
}

#[no_mangle]
pub unsafe extern "C" fn napi_coerce_to_object(env: napi_env, v: napi_value, result: *mut napi_value) -> napi_status {
    coerce(env, v, result, "coerceToObject")
}

#[no_mangle]
pub unsafe extern "C" fn napi_strict_equals(env: napi_env, a: napi_value, b: napi_value, result: *mut bool) -> napi_status {
    let e = env!(env);
    arg!(e, a);
    arg!(e, b);
    arg!(e, result);
    *result = value(e, a).strict_equals(value(e, b));
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_instanceof(env: napi_env, object: napi_value, constructor: napi_value, result: *mut bool) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    arg!(e, constructor);
    arg!(e, result);
    if !value(e, constructor).is_function() {
        return e.set_status(FUNCTION_EXPECTED);
    }
    let outcome = e.call_helper("instanceOf", &[value(e, object), value(e, constructor)]);
    e.js(outcome, |r| *result = r.to_boolean())
}

unsafe fn predicate(env: napi_env, v: napi_value, result: *mut bool, helper: &str) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    let outcome = e.call_helper(helper, &[value(e, v)]);
    e.js(outcome, |r| *result = r.to_boolean())
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_array(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    *result = value(e, v).is_array();
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_date(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    predicate(env, v, result, "isDate")
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_promise(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    predicate(env, v, result, "isPromise")
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_arraybuffer(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    predicate(env, v, result, "isArrayBuffer")
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_typedarray(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    predicate(env, v, result, "isTypedArray")
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_dataview(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    predicate(env, v, result, "isDataView")
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_buffer(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    predicate(env, v, result, "isBuffer")
}

#[no_mangle]
pub unsafe extern "C" fn napi_is_detached_arraybuffer(env: napi_env, v: napi_value, result: *mut bool) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    let x = value(e, v);
    let is_buffer = e.call_helper("isArrayBuffer", &[x]).map(|b| b.to_boolean()).unwrap_or(false);
    let detached = is_buffer && e.call_helper("isDetached", &[x]).map(|b| b.to_boolean()).unwrap_or(false);
    *result = detached;
    e.set_status(OK)
}

// ---- objects and properties ----

unsafe fn object_call(env: napi_env, object: napi_value, key: Option<Value>, extra: &[Value], helper: &str, out: impl FnOnce(Value)) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    let Some(key) = key else { return e.set_status(INVALID_ARG) };
    let target = value(e, object);
    if !target.is_object() && !target.is_function() {
        return e.set_status(OBJECT_EXPECTED);
    }
    let mut args = vec![target, key];
    args.extend_from_slice(extra);
    let outcome = e.call_helper(helper, &args);
    e.js(outcome, out)
}

unsafe fn raw_key(env: napi_env, key: napi_value) -> Option<Value> {
    (!key.is_null()).then(|| value(&*env, key))
}

unsafe fn named_key(env: napi_env, name: *const c_char) -> Option<Value> {
    key_of(&*env, name)
}

unsafe fn index_key(env: napi_env, index: u32) -> Option<Value> {
    Some((*env).ctx.number(index as f64))
}

#[no_mangle]
pub unsafe extern "C" fn napi_set_property(env: napi_env, object: napi_value, key: napi_value, v: napi_value) -> napi_status {
    if env.is_null() || v.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, raw_key(env, key), &[value(&*env, v)], "setProperty", |_| {})
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_property(env: napi_env, object: napi_value, key: napi_value, result: *mut napi_value) -> napi_status {
    if env.is_null() || result.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, raw_key(env, key), &[], "getProperty", |r| *result = r.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_has_property(env: napi_env, object: napi_value, key: napi_value, result: *mut bool) -> napi_status {
    if env.is_null() || result.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, raw_key(env, key), &[], "hasProperty", |r| *result = r.to_boolean())
}

#[no_mangle]
pub unsafe extern "C" fn napi_has_own_property(env: napi_env, object: napi_value, key: napi_value, result: *mut bool) -> napi_status {
    if env.is_null() || result.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    let k = raw_key(env, key);
    if let Some(k) = k {
        if !k.is_string() && !k.is_symbol() {
            return (*env).set_status(NAME_EXPECTED);
        }
    }
    object_call(env, object, k, &[], "hasOwnProperty", |r| *result = r.to_boolean())
}

#[no_mangle]
pub unsafe extern "C" fn napi_delete_property(env: napi_env, object: napi_value, key: napi_value, result: *mut bool) -> napi_status {
    object_call(env, object, raw_key(env, key), &[], "deleteProperty", |r| write(result, r.to_boolean()))
}

#[no_mangle]
pub unsafe extern "C" fn napi_set_named_property(env: napi_env, object: napi_value, name: *const c_char, v: napi_value) -> napi_status {
    if env.is_null() || v.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, named_key(env, name), &[value(&*env, v)], "setProperty", |_| {})
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_named_property(env: napi_env, object: napi_value, name: *const c_char, result: *mut napi_value) -> napi_status {
    if env.is_null() || result.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, named_key(env, name), &[], "getProperty", |r| *result = r.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_has_named_property(env: napi_env, object: napi_value, name: *const c_char, result: *mut bool) -> napi_status {
    if env.is_null() || result.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, named_key(env, name), &[], "hasProperty", |r| *result = r.to_boolean())
}

#[no_mangle]
pub unsafe extern "C" fn napi_set_element(env: napi_env, object: napi_value, index: u32, v: napi_value) -> napi_status {
    if env.is_null() || v.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, index_key(env, index), &[value(&*env, v)], "setProperty", |_| {})
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_element(env: napi_env, object: napi_value, index: u32, result: *mut napi_value) -> napi_status {
    if env.is_null() || result.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, index_key(env, index), &[], "getProperty", |r| *result = r.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_has_element(env: napi_env, object: napi_value, index: u32, result: *mut bool) -> napi_status {
    if env.is_null() || result.is_null() {
        return env.as_mut().map_or(INVALID_ARG, |e| e.set_status(INVALID_ARG));
    }
    object_call(env, object, index_key(env, index), &[], "hasProperty", |r| *result = r.to_boolean())
}

#[no_mangle]
pub unsafe extern "C" fn napi_delete_element(env: napi_env, object: napi_value, index: u32, result: *mut bool) -> napi_status {
    object_call(env, object, index_key(env, index), &[], "deleteProperty", |r| write(result, r.to_boolean()))
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_array_length(env: napi_env, v: napi_value, result: *mut u32) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    let array = value(e, v);
    if !array.is_array() {
        return e.set_status(ARRAY_EXPECTED);
    }
    let length = array.expect_object().and_then(|a| a.get("length")).and_then(|l| l.to_number());
    e.js(length, |n| *result = n as u32)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_prototype(env: napi_env, object: napi_value, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    arg!(e, result);
    let Some(o) = value(e, object).as_object() else { return e.set_status(OBJECT_EXPECTED) };
    *result = o.prototype().raw();
    e.set_status(OK)
}

unsafe fn property_names(env: napi_env, object: napi_value, own_only: bool, filter: i32, numbers_to_strings: bool, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    arg!(e, result);
    let target = value(e, object);
    if !target.is_object() && !target.is_function() {
        return e.set_status(OBJECT_EXPECTED);
    }
    let ctx = e.ctx;
    let names = e.call_helper("propertyNames", &[target, ctx.boolean(own_only), ctx.number(filter as f64), ctx.boolean(numbers_to_strings)]);
    e.js(names, |n| *result = n.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_property_names(env: napi_env, object: napi_value, result: *mut napi_value) -> napi_status {
    // for-in order: enumerable string keys, inherited ones too, indices as strings.
    property_names(env, object, false, 2 | 16, true, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_all_property_names(env: napi_env, object: napi_value, mode: i32, filter: i32, conversion: i32, result: *mut napi_value) -> napi_status {
    property_names(env, object, mode == 1, filter, conversion == 1, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_object_freeze(env: napi_env, object: napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    let outcome = e.call_helper("freeze", &[value(e, object)]);
    e.js(outcome, |_| {})
}

#[no_mangle]
pub unsafe extern "C" fn napi_object_seal(env: napi_env, object: napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    let outcome = e.call_helper("seal", &[value(e, object)]);
    e.js(outcome, |_| {})
}

/// The JS descriptor of a napi_property_descriptor.
unsafe fn descriptor(env: napi_env, p: &napi_property_descriptor) -> Result<(Value, Object), napi_status> {
    let e = &mut *env;
    let ctx = e.ctx;
    let key = if !p.utf8name.is_null() {
        key_of(e, p.utf8name).ok_or(INVALID_ARG)?
    } else if !p.name.is_null() {
        value(e, p.name)
    } else {
        return Err(e.set_status(NAME_EXPECTED));
    };
    let name = key.to_string().unwrap_or_default();
    let d = ctx.object();
    let flag = |bit: i32| ctx.boolean(p.attributes & bit != 0);
    let set = |k: &str, v: Value| d.set(k, v).map_err(|_| GENERIC_FAILURE);
    if p.getter.is_some() || p.setter.is_some() {
        if let Some(getter) = p.getter {
            set("get", make_function(env, &name, getter, p.data, false).value())?;
        }
        if let Some(setter) = p.setter {
            set("set", make_function(env, &name, setter, p.data, false).value())?;
        }
    } else if let Some(method) = p.method {
        set("value", make_function(env, &name, method, p.data, false).value())?;
        set("writable", flag(WRITABLE))?;
    } else {
        set("value", if p.value.is_null() { ctx.undefined() } else { value(e, p.value) })?;
        set("writable", flag(WRITABLE))?;
    }
    set("enumerable", flag(ENUMERABLE))?;
    set("configurable", flag(CONFIGURABLE))?;
    Ok((key, d))
}

unsafe fn define(env: napi_env, target: Value, props: &[napi_property_descriptor], want_static: Option<bool>) -> napi_status {
    for p in props {
        if let Some(want) = want_static {
            if (p.attributes & STATIC != 0) != want {
                continue;
            }
        }
        let (key, d) = match descriptor(env, p) {
            Ok(x) => x,
            Err(status) => return (*env).set_status(status),
        };
        let outcome = (*env).call_helper("defineProperty", &[target, key, d.value()]);
        if (*env).js(outcome, |_| {}) != OK {
            return PENDING_EXCEPTION;
        }
    }
    (*env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_define_properties(env: napi_env, object: napi_value, count: usize, properties: *const napi_property_descriptor) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    if count > 0 && properties.is_null() {
        return e.set_status(INVALID_ARG);
    }
    let target = value(e, object);
    if !target.is_object() && !target.is_function() {
        return e.set_status(OBJECT_EXPECTED);
    }
    let props = if count == 0 { &[][..] } else { std::slice::from_raw_parts(properties, count) };
    define(env, target, props, None)
}

// ---- functions and classes ----

#[no_mangle]
pub unsafe extern "C" fn napi_create_function(env: napi_env, name: *const c_char, length: usize, cb: napi_callback, data: *mut c_void, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let Some(cb) = cb else { return e.set_status(INVALID_ARG) };
    let name = c_str(name, length).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    *result = make_function(env, &name, cb, data, false).value().raw();
    (*env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_define_class(
    env: napi_env,
    name: *const c_char,
    length: usize,
    constructor: napi_callback,
    data: *mut c_void,
    count: usize,
    properties: *const napi_property_descriptor,
    result: *mut napi_value,
) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let Some(constructor) = constructor else { return e.set_status(INVALID_ARG) };
    if count > 0 && properties.is_null() {
        return e.set_status(INVALID_ARG);
    }
    let name = c_str(name, length).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let construct = make_function(env, &name, constructor, data, true);
    let ctx = e.ctx;
    let class = match e.call_helper("makeClass", &[ctx.string(&name), construct.value()]) {
        Ok(c) => c,
        Err(err) => return e.js::<()>(Err(err), |_| {}),
    };
    let props = if count == 0 { &[][..] } else { std::slice::from_raw_parts(properties, count) };
    let prototype = match class.expect_object().and_then(|c| c.get("prototype")) {
        Ok(p) => p,
        Err(err) => return e.js::<()>(Err(err), |_| {}),
    };
    let status = define(env, prototype, props, Some(false));
    if status != OK {
        return status;
    }
    let status = define(env, class, props, Some(true));
    if status != OK {
        return status;
    }
    *result = class.raw();
    (*env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_cb_info(env: napi_env, info: napi_callback_info, argc: *mut usize, argv: *mut napi_value, this_arg: *mut napi_value, data: *mut *mut c_void) -> napi_status {
    let e = env!(env);
    arg!(e, info);
    let info = &*info;
    if !argv.is_null() {
        arg!(e, argc);
        let room = *argc;
        for i in 0..room {
            *argv.add(i) = info.args.get(i).copied().unwrap_or(e.ctx.undefined()).raw();
        }
    }
    write(argc, info.args.len());
    write(this_arg, info.this.raw());
    write(data, info.data);
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_new_target(env: napi_env, info: napi_callback_info, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, info);
    arg!(e, result);
    *result = (*info).new_target.map_or(ptr::null(), |t| t.raw());
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_call_function(env: napi_env, recv: napi_value, func: napi_value, argc: usize, argv: *const napi_value, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, recv);
    arg!(e, func);
    if argc > 0 && argv.is_null() {
        return e.set_status(INVALID_ARG);
    }
    if e.pending_exception.is_some() {
        return e.set_status(PENDING_EXCEPTION);
    }
    let Some(f) = value(e, func).as_object().filter(|f| f.is_function()) else { return e.set_status(FUNCTION_EXPECTED) };
    let args: Vec<Value> = (0..argc).map(|i| value(e, *argv.add(i))).collect();
    let outcome = f.call(Some(value(e, recv)), &args);
    e.js(outcome, |r| write(result, r.raw()))
}

#[no_mangle]
pub unsafe extern "C" fn napi_new_instance(env: napi_env, constructor: napi_value, argc: usize, argv: *const napi_value, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, constructor);
    arg!(e, result);
    if argc > 0 && argv.is_null() {
        return e.set_status(INVALID_ARG);
    }
    let Some(c) = value(e, constructor).as_object().filter(|f| f.is_function()) else { return e.set_status(FUNCTION_EXPECTED) };
    let args: Vec<Value> = (0..argc).map(|i| value(e, *argv.add(i))).collect();
    let outcome = c.construct(&args);
    e.js(outcome, |r| *result = r.value().raw())
}

// ---- wrapping, externals, references ----

fn holder(env: napi_env, data: *mut c_void, finalize: napi_finalize, hint: *mut c_void) -> FinalizeOnCollect {
    FinalizeOnCollect(RefCell::new(finalize.map(|_| Finalizer { env, callback: finalize, data, hint })))
}

/// Native data attached to a JS object by napi_wrap.
struct Wrapped {
    data: *mut c_void,
    finalizer: FinalizeOnCollect,
}

unsafe fn wraps(e: &Env) -> JsResult<Object> {
    e.helper("wraps")
}

unsafe fn wrapped_of(e: &Env, object: Value) -> Option<Value> {
    let map = wraps(e).ok()?;
    let holder = map.get("get").ok()?.expect_object().ok()?.call(Some(map.value()), &[object]).ok()?;
    holder.wrapped::<Wrapped>().map(|_| holder)
}

#[no_mangle]
pub unsafe extern "C" fn napi_wrap(env: napi_env, js_object: napi_value, native: *mut c_void, finalize: napi_finalize, hint: *mut c_void, result: *mut napi_ref) -> napi_status {
    let e = env!(env);
    arg!(e, js_object);
    let object = value(e, js_object);
    if !object.is_object() && !object.is_function() {
        return e.set_status(OBJECT_EXPECTED);
    }
    if wrapped_of(e, object).is_some() {
        return e.set_status(INVALID_ARG);
    }
    let holder = e.ctx.wrap(Wrapped { data: native, finalizer: holder(env, native, finalize, hint) });
    let stored = wraps(e).and_then(|map| map.get("set")?.expect_object()?.call(Some(map.value()), &[object, holder.value()]));
    if e.js(stored, |_| {}) != OK {
        return PENDING_EXCEPTION;
    }
    if !result.is_null() {
        return napi_create_reference(env, js_object, 0, result);
    }
    (*env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_unwrap(env: napi_env, js_object: napi_value, result: *mut *mut c_void) -> napi_status {
    let e = env!(env);
    arg!(e, js_object);
    arg!(e, result);
    match wrapped_of(e, value(e, js_object)).and_then(|h| h.wrapped::<Wrapped>().map(|w| w.data)) {
        Some(data) => {
            *result = data;
            e.set_status(OK)
        }
        None => e.set_status(INVALID_ARG),
    }
}

#[no_mangle]
pub unsafe extern "C" fn napi_remove_wrap(env: napi_env, js_object: napi_value, result: *mut *mut c_void) -> napi_status {
    let e = env!(env);
    arg!(e, js_object);
    let object = value(e, js_object);
    let Some(holder) = wrapped_of(e, object) else { return e.set_status(INVALID_ARG) };
    let wrapped = holder.wrapped::<Wrapped>().expect("wrap holder");
    // The finalizer is not called once the wrap is removed.
    wrapped.finalizer.0.borrow_mut().take();
    write(result, wrapped.data);
    let removed = wraps(e).and_then(|map| map.get("delete")?.expect_object()?.call(Some(map.value()), &[object]));
    e.js(removed, |_| {})
}

#[no_mangle]
pub unsafe extern "C" fn napi_add_finalizer(env: napi_env, js_object: napi_value, data: *mut c_void, finalize: napi_finalize, hint: *mut c_void, result: *mut napi_ref) -> napi_status {
    let e = env!(env);
    arg!(e, js_object);
    if finalize.is_none() {
        return e.set_status(INVALID_ARG);
    }
    let Some(object) = value(e, js_object).as_object() else { return e.set_status(OBJECT_EXPECTED) };
    // A hidden symbol-keyed holder dies with the object.
    let holder = e.ctx.wrap(holder(env, data, finalize, hint));
    let attached = e.call_helper("attachFinalizer", &[object.value(), holder.value()]);
    if e.js(attached, |_| {}) != OK {
        return PENDING_EXCEPTION;
    }
    if !result.is_null() {
        return napi_create_reference(env, js_object, 0, result);
    }
    (*env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn node_api_post_finalizer(env: napi_env, finalize: napi_finalize, data: *mut c_void, hint: *mut c_void) -> napi_status {
    let e = env!(env);
    if finalize.is_none() {
        return e.set_status(INVALID_ARG);
    }
    let finalizer = Finalizer { env, callback: finalize, data, hint };
    runtime::event_loop::complete_local(move |_| {
        finalizer.run();
        Ok(())
    });
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_external(env: napi_env, data: *mut c_void, finalize: napi_finalize, hint: *mut c_void, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let external = e.ctx.wrap(External { data, _finalizer: holder(env, data, finalize, hint) });
    *result = external.value().raw();
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_external(env: napi_env, v: napi_value, result: *mut *mut c_void) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    match value(e, v).wrapped::<External>() {
        Some(external) => {
            *result = external.data;
            e.set_status(OK)
        }
        None => e.set_status(INVALID_ARG),
    }
}

#[no_mangle]
pub unsafe extern "C" fn napi_type_tag_object(env: napi_env, object: napi_value, tag: *const [u64; 2]) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    arg!(e, tag);
    let target = value(e, object);
    if !target.is_object() && !target.is_function() {
        return e.set_status(OBJECT_EXPECTED);
    }
    let text = format!("{:016x}{:016x}", (*tag)[0], (*tag)[1]);
    let ctx = e.ctx;
    let outcome = e.helper("tags").and_then(|map| {
        let has = map.get("has")?.expect_object()?.call(Some(map.value()), &[target])?;
        if has.to_boolean() {
            return Ok(false);
        }
        map.get("set")?.expect_object()?.call(Some(map.value()), &[target, ctx.string(&text)])?;
        Ok(true)
    });
    match outcome {
        Ok(true) => e.set_status(OK),
        Ok(false) => e.set_status(INVALID_ARG),
        Err(err) => e.js::<()>(Err(err), |_| {}),
    }
}

#[no_mangle]
pub unsafe extern "C" fn napi_check_object_type_tag(env: napi_env, object: napi_value, tag: *const [u64; 2], result: *mut bool) -> napi_status {
    let e = env!(env);
    arg!(e, object);
    arg!(e, tag);
    arg!(e, result);
    let text = format!("{:016x}{:016x}", (*tag)[0], (*tag)[1]);
    let target = value(e, object);
    let found = e.helper("tags").and_then(|map| map.get("get")?.expect_object()?.call(Some(map.value()), &[target]));
    e.js(found, |v| *result = v.is_string() && v.to_string().is_ok_and(|s| s == text))
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_reference(env: napi_env, v: napi_value, initial_refcount: u32, result: *mut napi_ref) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    let target = value(e, v);
    let mut reference = Box::new(Reference { count: initial_refcount, strong: None, weak: None });
    if initial_refcount > 0 || !(target.is_object() || target.is_function()) {
        reference.strong = Some(target.protect());
    } else {
        match make_weak(e, target) {
            Ok(w) => reference.weak = Some(w),
            Err(status) => return status,
        }
    }
    *result = Box::into_raw(reference);
    e.set_status(OK)
}

unsafe fn make_weak(e: &mut Env, target: Value) -> Result<Protected, napi_status> {
    let weak = e.ctx.global().get("WeakRef").and_then(|w| w.expect_object()?.construct(&[target]));
    match weak {
        Ok(w) => Ok(w.value().protect()),
        Err(err) => Err(e.js::<()>(Err(err), |_| {})),
    }
}

#[no_mangle]
pub unsafe extern "C" fn napi_delete_reference(env: napi_env, reference: napi_ref) -> napi_status {
    let e = env!(env);
    arg!(e, reference);
    drop(Box::from_raw(reference));
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_reference_ref(env: napi_env, reference: napi_ref, result: *mut u32) -> napi_status {
    let e = env!(env);
    arg!(e, reference);
    let r = &mut *reference;
    if r.count == 0 {
        if let Some(weak) = r.weak.take() {
            let target = weak.object().and_then(|w| w.get("deref").ok()?.as_object()?.call(Some(w.value()), &[]).ok());
            r.strong = target.filter(|t| !t.is_undefined()).map(|t| t.protect());
        }
    }
    r.count += 1;
    write(result, r.count);
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_reference_unref(env: napi_env, reference: napi_ref, result: *mut u32) -> napi_status {
    let e = env!(env);
    arg!(e, reference);
    let r = &mut *reference;
    if r.count == 0 {
        return e.set_status(GENERIC_FAILURE);
    }
    r.count -= 1;
    if r.count == 0 {
        if let Some(strong) = r.strong.take() {
            let target = strong.value();
            if target.is_object() || target.is_function() {
                match make_weak(e, target) {
                    Ok(w) => r.weak = Some(w),
                    Err(status) => return status,
                }
            } else {
                r.strong = Some(strong);
            }
        }
    }
    write(result, r.count);
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_reference_value(env: napi_env, reference: napi_ref, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, reference);
    arg!(e, result);
    let r = &*reference;
    *result = if let Some(strong) = &r.strong {
        strong.value().raw()
    } else if let Some(weak) = &r.weak {
        let target = weak.object().and_then(|w| w.get("deref").ok()?.as_object()?.call(Some(w.value()), &[]).ok());
        target.filter(|t| !t.is_undefined()).map_or(ptr::null(), |t| t.raw())
    } else {
        ptr::null()
    };
    e.set_status(OK)
}

// ---- scopes (values live while the native stack holds them) ----

#[no_mangle]
pub unsafe extern "C" fn napi_open_handle_scope(env: napi_env, result: *mut napi_handle_scope) -> napi_status {
    let e = env!(env);
    write(result, ptr::NonNull::dangling().as_ptr());
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_close_handle_scope(env: napi_env, _scope: napi_handle_scope) -> napi_status {
    env!(env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_open_escapable_handle_scope(env: napi_env, result: *mut napi_handle_scope) -> napi_status {
    napi_open_handle_scope(env, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_close_escapable_handle_scope(env: napi_env, _scope: napi_handle_scope) -> napi_status {
    env!(env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_escape_handle(env: napi_env, _scope: napi_handle_scope, escapee: napi_value, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, escapee);
    arg!(e, result);
    *result = escapee;
    e.set_status(OK)
}

// ---- buffers, array buffers, typed arrays ----

unsafe fn bytes_of(v: Value) -> Option<(*mut u8, usize)> {
    v.bytes().map(|b| (b.as_mut_ptr(), b.len()))
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_arraybuffer(env: napi_env, length: usize, data: *mut *mut c_void, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let made = e.ctx.array_buffer(vec![0; length]);
    e.js(made, |buffer| {
        if let Some((ptr, _)) = bytes_of(buffer.value()) {
            write(data, ptr as *mut c_void);
        }
        *result = buffer.value().raw();
    })
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_external_arraybuffer(env: napi_env, data: *mut c_void, length: usize, finalize: napi_finalize, hint: *mut c_void, result: *mut napi_value) -> napi_status {
    // The engine owns its buffers: the bytes are copied and the addon's are finalized now.
    let e = env!(env);
    arg!(e, result);
    let bytes = if data.is_null() { vec![0; length] } else { std::slice::from_raw_parts(data as *const u8, length).to_vec() };
    let made = e.ctx.array_buffer(bytes);
    let status = e.js(made, |b| *result = b.value().raw());
    // Dropping the holder queues the addon's finalizer.
    drop(holder(env, data, finalize, hint));
    status
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_arraybuffer_info(env: napi_env, v: napi_value, data: *mut *mut c_void, length: *mut usize) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    let buffer = value(e, v);
    if !e.call_helper("isArrayBuffer", &[buffer]).is_ok_and(|b| b.to_boolean()) {
        return e.set_status(ARRAYBUFFER_EXPECTED);
    }
    let (ptr, len) = bytes_of(buffer).unwrap_or((ptr::null_mut(), 0));
    write(data, ptr as *mut c_void);
    write(length, len);
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_detach_arraybuffer(env: napi_env, v: napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    let buffer = value(e, v);
    if !e.call_helper("isArrayBuffer", &[buffer]).is_ok_and(|b| b.to_boolean()) {
        return e.set_status(ARRAYBUFFER_EXPECTED);
    }
    match e.call_helper("detach", &[buffer]) {
        Ok(_) => e.set_status(OK),
        Err(_) => e.set_status(DETACHABLE_ARRAYBUFFER_EXPECTED),
    }
}

unsafe fn new_buffer(env: napi_env, bytes: Vec<u8>, data: *mut *mut c_void, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let made = e.ctx.uint8_array(bytes).and_then(|u8| e.call_helper("toBuffer", &[u8.value()]));
    e.js(made, |buffer| {
        if let Some((ptr, _)) = bytes_of(buffer) {
            write(data, ptr as *mut c_void);
        }
        *result = buffer.raw();
    })
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_buffer(env: napi_env, length: usize, data: *mut *mut c_void, result: *mut napi_value) -> napi_status {
    new_buffer(env, vec![0; length], data, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_buffer_copy(env: napi_env, length: usize, source: *const c_void, data: *mut *mut c_void, result: *mut napi_value) -> napi_status {
    let bytes = if source.is_null() { vec![0; length] } else { std::slice::from_raw_parts(source as *const u8, length).to_vec() };
    new_buffer(env, bytes, data, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_external_buffer(env: napi_env, length: usize, data: *mut c_void, finalize: napi_finalize, hint: *mut c_void, result: *mut napi_value) -> napi_status {
    // Copied, as for external array buffers; the addon's memory is released right away.
    let status = napi_create_buffer_copy(env, length, data, ptr::null_mut(), result);
    drop(holder(env, data, finalize, hint));
    status
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_buffer_info(env: napi_env, v: napi_value, data: *mut *mut c_void, length: *mut usize) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    let Some((ptr, len)) = bytes_of(value(e, v)) else { return e.set_status(INVALID_ARG) };
    write(data, ptr as *mut c_void);
    write(length, len);
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_typedarray(env: napi_env, kind: i32, length: usize, arraybuffer: napi_value, byte_offset: usize, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, arraybuffer);
    arg!(e, result);
    let ctx = e.ctx;
    let args = [ctx.number(kind as f64), value(e, arraybuffer), ctx.number(byte_offset as f64), ctx.number(length as f64)];
    let made = e.call_helper("makeTypedArray", &args);
    e.js(made, |a| *result = a.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_typedarray_info(env: napi_env, v: napi_value, kind: *mut i32, length: *mut usize, data: *mut *mut c_void, arraybuffer: *mut napi_value, byte_offset: *mut usize) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    let array = value(e, v);
    if !e.call_helper("isTypedArray", &[array]).is_ok_and(|b| b.to_boolean()) {
        return e.set_status(INVALID_ARG);
    }
    let info = (|| -> JsResult<(i32, usize, usize, Value)> {
        let o = array.expect_object()?;
        let kind = e.call_helper("typedArrayType", &[array])?.to_number()? as i32;
        Ok((kind, o.get("length")?.to_number()? as usize, o.get("byteOffset")?.to_number()? as usize, o.get("buffer")?))
    })();
    let (ptr, _) = bytes_of(array).unwrap_or((ptr::null_mut(), 0));
    e.js(info, |(k, len, offset, buffer)| {
        write(kind, k);
        write(length, len);
        write(data, ptr as *mut c_void);
        write(arraybuffer, buffer.raw());
        write(byte_offset, offset);
    })
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_dataview(env: napi_env, length: usize, arraybuffer: napi_value, byte_offset: usize, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, arraybuffer);
    arg!(e, result);
    let ctx = e.ctx;
    let made = e.call_helper("makeDataView", &[value(e, arraybuffer), ctx.number(byte_offset as f64), ctx.number(length as f64)]);
    e.js(made, |d| *result = d.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_dataview_info(env: napi_env, v: napi_value, length: *mut usize, data: *mut *mut c_void, arraybuffer: *mut napi_value, byte_offset: *mut usize) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    let view = value(e, v);
    let info = (|| -> JsResult<(usize, usize, Value)> {
        let o = view.expect_object()?;
        Ok((o.get("byteLength")?.to_number()? as usize, o.get("byteOffset")?.to_number()? as usize, o.get("buffer")?))
    })();
    let (ptr, _) = bytes_of(view).unwrap_or((ptr::null_mut(), 0));
    e.js(info, |(len, offset, buffer)| {
        write(length, len);
        write(data, ptr as *mut c_void);
        write(arraybuffer, buffer.raw());
        write(byte_offset, offset);
    })
}

// ---- dates, bigints ----

#[no_mangle]
pub unsafe extern "C" fn napi_create_date(env: napi_env, time: f64, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let made = e.call_helper("makeDate", &[e.ctx.number(time)]);
    e.js(made, |d| *result = d.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_date_value(env: napi_env, v: napi_value, result: *mut f64) -> napi_status {
    let e = env!(env);
    arg!(e, v);
    arg!(e, result);
    let date = value(e, v);
    if !e.call_helper("isDate", &[date]).is_ok_and(|b| b.to_boolean()) {
        return e.set_status(DATE_EXPECTED);
    }
    let time = e.call_helper("dateValue", &[date]).and_then(|t| t.to_number());
    e.js(time, |t| *result = t)
}

unsafe fn make_bigint(env: napi_env, text: String, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    let made = e.call_helper("bigint", &[e.ctx.string(&text)]);
    e.js(made, |b| *result = b.raw())
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_bigint_int64(env: napi_env, v: i64, result: *mut napi_value) -> napi_status {
    make_bigint(env, v.to_string(), result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_bigint_uint64(env: napi_env, v: u64, result: *mut napi_value) -> napi_status {
    make_bigint(env, v.to_string(), result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_bigint_words(env: napi_env, sign_bit: i32, word_count: usize, words: *const u64, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    if word_count > 0 && words.is_null() {
        return e.set_status(INVALID_ARG);
    }
    let ctx = e.ctx;
    let made = ctx
        .array_from((0..word_count).map(|i| e.call_helper("bigint", &[ctx.string(&(*words.add(i)).to_string())])))
        .and_then(|words| e.call_helper("bigintFromWords", &[ctx.number((sign_bit != 0) as i32 as f64), words.value()]));
    e.js(made, |b| *result = b.raw())
}

unsafe fn bigint_words(env: napi_env, v: napi_value) -> Result<(bool, Vec<u64>), napi_status> {
    let e = env.as_mut().ok_or(INVALID_ARG)?;
    if v.is_null() {
        return Err(e.set_status(INVALID_ARG));
    }
    let big = value(e, v);
    if !big.is_bigint() {
        return Err(e.set_status(BIGINT_EXPECTED));
    }
    let parts = (|| -> JsResult<(bool, Vec<u64>)> {
        let pair = e.call_helper("bigintToWords", &[big])?.expect_object()?;
        let sign = pair.get_index(0)?.to_number()? != 0.0;
        let words = pair.get_index(1)?.expect_object()?;
        let n = words.get("length")?.to_number()? as u32;
        let mut out = Vec::new();
        for i in 0..n {
            let text = e.call_helper("bigintToString", &[words.get_index(i)?])?.to_string()?;
            out.push(text.parse::<u64>().unwrap_or(0));
        }
        Ok((sign, out))
    })();
    parts.map_err(|_| e.set_status(GENERIC_FAILURE))
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_bigint_int64(env: napi_env, v: napi_value, result: *mut i64, lossless: *mut bool) -> napi_status {
    match bigint_words(env, v) {
        Ok((negative, words)) => {
            let low = words.first().copied().unwrap_or(0);
            let r = if negative { (low as i64).wrapping_neg() } else { low as i64 };
            write(result, r);
            let fits = words.len() <= 1 && if negative { low <= 1 << 63 } else { low < 1 << 63 };
            write(lossless, fits);
            (*env).set_status(OK)
        }
        Err(status) => status,
    }
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_bigint_uint64(env: napi_env, v: napi_value, result: *mut u64, lossless: *mut bool) -> napi_status {
    match bigint_words(env, v) {
        Ok((negative, words)) => {
            let low = words.first().copied().unwrap_or(0);
            write(result, if negative { low.wrapping_neg() } else { low });
            write(lossless, words.len() <= 1 && (!negative || low == 0));
            (*env).set_status(OK)
        }
        Err(status) => status,
    }
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_value_bigint_words(env: napi_env, v: napi_value, sign_bit: *mut i32, word_count: *mut usize, words: *mut u64) -> napi_status {
    match bigint_words(env, v) {
        Ok((negative, list)) => {
            if word_count.is_null() {
                return (*env).set_status(INVALID_ARG);
            }
            if words.is_null() {
                *word_count = list.len();
            } else {
                let n = (*word_count).min(list.len());
                ptr::copy_nonoverlapping(list.as_ptr(), words, n);
                write(sign_bit, negative as i32);
                *word_count = n;
            }
            (*env).set_status(OK)
        }
        Err(status) => status,
    }
}

// ---- promises, scripts ----

#[no_mangle]
pub unsafe extern "C" fn napi_create_promise(env: napi_env, deferred: *mut napi_deferred, promise: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, deferred);
    arg!(e, promise);
    let made = e.ctx.deferred_promise();
    e.js(made, |(p, d)| {
        *promise = p.value().raw();
        *deferred = Box::into_raw(Box::new(d));
    })
}

unsafe fn settle(env: napi_env, deferred: napi_deferred, v: napi_value, fulfil: bool) -> napi_status {
    let e = env!(env);
    arg!(e, deferred);
    arg!(e, v);
    let d = Box::from_raw(deferred);
    let settle = if fulfil { &d.resolve } else { &d.reject };
    let outcome = settle.object().expect("promise function").call(None, &[value(e, v)]);
    e.js(outcome, |_| {})
}

#[no_mangle]
pub unsafe extern "C" fn napi_resolve_deferred(env: napi_env, deferred: napi_deferred, resolution: napi_value) -> napi_status {
    settle(env, deferred, resolution, true)
}

#[no_mangle]
pub unsafe extern "C" fn napi_reject_deferred(env: napi_env, deferred: napi_deferred, rejection: napi_value) -> napi_status {
    settle(env, deferred, rejection, false)
}

#[no_mangle]
pub unsafe extern "C" fn napi_run_script(env: napi_env, script: napi_value, result: *mut napi_value) -> napi_status {
    let e = env!(env);
    arg!(e, script);
    arg!(e, result);
    let source = value(e, script);
    if !source.is_string() {
        return e.set_status(STRING_EXPECTED);
    }
    let outcome = source.to_string().and_then(|s| e.ctx.eval(&s, "", 1));
    e.js(outcome, |r| *result = r.raw())
}

// ---- environment ----

#[no_mangle]
pub unsafe extern "C" fn napi_get_version(env: napi_env, result: *mut u32) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    *result = NAPI_VERSION;
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_node_version(env: napi_env, result: *mut *const napi_node_version) -> napi_status {
    static VERSION: std::sync::OnceLock<(napi_node_version_cell, CString)> = std::sync::OnceLock::new();
    let e = env!(env);
    arg!(e, result);
    let (cell, _) = VERSION.get_or_init(|| {
        let mut parts = crate::NODE_VERSION.trim_start_matches('v').split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let release = CString::new("node").unwrap_or_default();
        let version = napi_node_version { major: parts.next().unwrap_or(0), minor: parts.next().unwrap_or(0), patch: parts.next().unwrap_or(0), release: release.as_ptr() };
        (napi_node_version_cell(version), release)
    });
    *result = &cell.0;
    e.set_status(OK)
}

/// The version struct, shared read-only between threads.
struct napi_node_version_cell(napi_node_version);
unsafe impl Send for napi_node_version_cell {}
unsafe impl Sync for napi_node_version_cell {}

#[no_mangle]
pub unsafe extern "C" fn node_api_get_module_file_name(env: napi_env, result: *mut *const c_char) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    *result = e.filename.as_ptr();
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_set_instance_data(env: napi_env, data: *mut c_void, finalize: napi_finalize, hint: *mut c_void) -> napi_status {
    let e = env!(env);
    e.instance_data = Some(Finalizer { env, callback: finalize, data, hint });
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_instance_data(env: napi_env, data: *mut *mut c_void) -> napi_status {
    let e = env!(env);
    arg!(e, data);
    *data = e.instance_data.as_ref().map_or(ptr::null_mut(), |d| d.data);
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_adjust_external_memory(env: napi_env, change: i64, result: *mut i64) -> napi_status {
    let e = env!(env);
    thread_local!(static EXTERNAL: std::cell::Cell<i64> = const { std::cell::Cell::new(0) });
    let total = EXTERNAL.with(|t| {
        t.set((t.get() + change).max(0));
        t.get()
    });
    write(result, total);
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_add_env_cleanup_hook(env: napi_env, _fun: Option<unsafe extern "C" fn(*mut c_void)>, _arg: *mut c_void) -> napi_status {
    // The process exits without tearing environments down, so there is nothing to hook.
    env!(env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_remove_env_cleanup_hook(env: napi_env, _fun: Option<unsafe extern "C" fn(*mut c_void)>, _arg: *mut c_void) -> napi_status {
    env!(env).set_status(OK)
}

// ---- async work on the thread pool ----

pub struct AsyncWork {
    env: napi_env,
    execute: Option<unsafe extern "C" fn(napi_env, *mut c_void)>,
    complete: Option<unsafe extern "C" fn(napi_env, napi_status, *mut c_void)>,
    data: *mut c_void,
    state: std::sync::Arc<std::sync::atomic::AtomicU8>,
}

const WORK_IDLE: u8 = 0;
const WORK_QUEUED: u8 = 1;
const WORK_RUNNING: u8 = 2;
const WORK_CANCELLED: u8 = 3;

/// A raw pointer the addon promises is safe to use from the pool thread.
struct SendPtr(*mut c_void, napi_env);
unsafe impl Send for SendPtr {}

#[no_mangle]
pub unsafe extern "C" fn napi_create_async_work(
    env: napi_env,
    _resource: napi_value,
    _resource_name: napi_value,
    execute: Option<unsafe extern "C" fn(napi_env, *mut c_void)>,
    complete: Option<unsafe extern "C" fn(napi_env, napi_status, *mut c_void)>,
    data: *mut c_void,
    result: *mut napi_async_work,
) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    if execute.is_none() {
        return e.set_status(INVALID_ARG);
    }
    let state = std::sync::Arc::new(std::sync::atomic::AtomicU8::new(WORK_IDLE));
    *result = Box::into_raw(Box::new(AsyncWork { env, execute, complete, data, state }));
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_delete_async_work(env: napi_env, work: napi_async_work) -> napi_status {
    let e = env!(env);
    arg!(e, work);
    drop(Box::from_raw(work));
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_queue_async_work(env: napi_env, work: napi_async_work) -> napi_status {
    use std::sync::atomic::Ordering;
    let e = env!(env);
    arg!(e, work);
    let w = &*work;
    w.state.store(WORK_QUEUED, Ordering::SeqCst);
    let (execute, complete, state) = (w.execute, w.complete, w.state.clone());
    let job = SendPtr(w.data, w.env);
    let done = SendPtr(w.data, w.env);
    runtime::event_loop::spawn_blocking(
        move || {
            let job = job;
            if state.compare_exchange(WORK_QUEUED, WORK_RUNNING, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
                if let Some(execute) = execute {
                    unsafe { execute(job.1, job.0) };
                }
                OK
            } else {
                CANCELLED
            }
        },
        move |_, status| {
            if let Some(complete) = complete {
                unsafe { complete(done.1, status, done.0) };
                if let Some(exception) = unsafe { (*done.1).pending_exception.take() } {
                    return Err(exception.value());
                }
            }
            Ok(())
        },
    );
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_cancel_async_work(env: napi_env, work: napi_async_work) -> napi_status {
    use std::sync::atomic::Ordering;
    let e = env!(env);
    arg!(e, work);
    match (*work).state.compare_exchange(WORK_QUEUED, WORK_CANCELLED, Ordering::SeqCst, Ordering::SeqCst) {
        Ok(_) => e.set_status(OK),
        Err(_) => e.set_status(GENERIC_FAILURE),
    }
}

// ---- thread-safe functions: calls from any thread, run on the loop ----

pub type napi_threadsafe_function = *const Tsfn;
type CallJs = Option<unsafe extern "C" fn(napi_env, napi_value, *mut c_void, *mut c_void)>;

const QUEUE_FULL: napi_status = 15;
const CLOSING: napi_status = 16;

/// The loop-thread side of a thread-safe function (only touched on that thread).
struct TsfnLoopSide {
    env: napi_env,
    func: Option<Protected>,
    call_js: CallJs,
    finalize: Option<Finalizer>,
    referenced: bool,
}

#[derive(Default)]
struct TsfnState {
    threads: usize,
    queued: usize,
    closing: bool,
    finalized: bool,
}

pub struct Tsfn {
    loop_side: RefCell<TsfnLoopSide>,
    context: *mut c_void,
    max_queue: usize,
    state: std::sync::Mutex<TsfnState>,
    space: std::sync::Condvar,
    completions: std::sync::Arc<runtime::event_loop::CompletionQueue>,
}

// Threads other than the loop's only use `state`, `space`, `completions` and `context`.
unsafe impl Send for Tsfn {}
unsafe impl Sync for Tsfn {}

/// A thread-safe function handle as the addon holds it (an `Arc` turned into a pointer).
struct TsfnPtr(*const Tsfn);
unsafe impl Send for TsfnPtr {}

impl Tsfn {
    /// Runs on the loop: one queued call, then finalization once closing and drained.
    fn deliver(&self, data: *mut c_void) -> JsResult<()> {
        let (env, func, call_js) = {
            let side = self.loop_side.borrow();
            (side.env, side.func.as_ref().map(|f| f.value()), side.call_js)
        };
        let finalize_now = {
            let mut state = self.state.lock().unwrap();
            state.queued -= 1;
            self.space.notify_one();
            state.closing && state.queued == 0 && !state.finalized
        };
        let e = unsafe { &mut *env };
        let outcome = match call_js {
            Some(call_js) => {
                unsafe { call_js(env, func.map_or(ptr::null(), |f| f.raw()), self.context, data) };
                match e.pending_exception.take() {
                    Some(exception) => Err(exception.value()),
                    None => Ok(()),
                }
            }
            None => match func.and_then(|f| f.as_object()) {
                Some(f) => f.call(None, &[]).map(drop),
                None => Ok(()),
            },
        };
        if finalize_now {
            self.finalize();
        }
        outcome
    }

    fn finalize(&self) {
        {
            let mut state = self.state.lock().unwrap();
            if state.finalized {
                return;
            }
            state.finalized = true;
        }
        let mut side = self.loop_side.borrow_mut();
        if side.referenced {
            side.referenced = false;
            runtime::event_loop::unref_handle();
        }
        side.func = None;
        if let Some(finalizer) = side.finalize.take() {
            drop(side);
            finalizer.run();
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn napi_create_threadsafe_function(
    env: napi_env,
    func: napi_value,
    _async_resource: napi_value,
    _async_resource_name: napi_value,
    max_queue_size: usize,
    initial_thread_count: usize,
    thread_finalize_data: *mut c_void,
    thread_finalize_cb: napi_finalize,
    context: *mut c_void,
    call_js_cb: CallJs,
    result: *mut napi_threadsafe_function,
) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    if initial_thread_count == 0 || (func.is_null() && call_js_cb.is_none()) {
        return e.set_status(INVALID_ARG);
    }
    let func = if func.is_null() { None } else { Some(value(e, func)) };
    if func.is_some_and(|f| !f.is_function()) {
        return e.set_status(FUNCTION_EXPECTED);
    }
    runtime::event_loop::ref_handle();
    let tsfn = std::sync::Arc::new(Tsfn {
        loop_side: RefCell::new(TsfnLoopSide {
            env,
            func: func.map(|f| f.protect()),
            call_js: call_js_cb,
            finalize: Some(Finalizer { env, callback: thread_finalize_cb, data: thread_finalize_data, hint: context }),
            referenced: true,
        }),
        context,
        max_queue: max_queue_size,
        state: std::sync::Mutex::new(TsfnState { threads: initial_thread_count, ..Default::default() }),
        space: std::sync::Condvar::new(),
        completions: runtime::event_loop::completions(),
    });
    *result = std::sync::Arc::into_raw(tsfn);
    e.set_status(OK)
}

unsafe fn tsfn_ref<'a>(tsfn: napi_threadsafe_function) -> Option<&'a Tsfn> {
    tsfn.as_ref()
}

#[no_mangle]
pub unsafe extern "C" fn napi_call_threadsafe_function(tsfn: napi_threadsafe_function, data: *mut c_void, is_blocking: i32) -> napi_status {
    let Some(t) = tsfn_ref(tsfn) else { return INVALID_ARG };
    {
        let mut state = t.state.lock().unwrap();
        while t.max_queue > 0 && state.queued >= t.max_queue && !state.closing {
            if is_blocking == 0 {
                return QUEUE_FULL;
            }
            state = t.space.wait(state).unwrap();
        }
        if state.closing {
            return CLOSING;
        }
        state.queued += 1;
    }
    // The queued call holds its own count on the function.
    std::sync::Arc::increment_strong_count(tsfn);
    let (handle, payload) = (TsfnPtr(tsfn), SendPtr(data, ptr::null_mut()));
    t.completions.push(Box::new(move |_| {
        let (handle, payload) = (handle, payload);
        let tsfn = std::sync::Arc::from_raw(handle.0);
        tsfn.deliver(payload.0)
    }));
    OK
}

#[no_mangle]
pub unsafe extern "C" fn napi_acquire_threadsafe_function(tsfn: napi_threadsafe_function) -> napi_status {
    let Some(t) = tsfn_ref(tsfn) else { return INVALID_ARG };
    let mut state = t.state.lock().unwrap();
    if state.closing {
        return CLOSING;
    }
    state.threads += 1;
    OK
}

#[no_mangle]
pub unsafe extern "C" fn napi_release_threadsafe_function(tsfn: napi_threadsafe_function, mode: i32) -> napi_status {
    let Some(t) = tsfn_ref(tsfn) else { return INVALID_ARG };
    let finalize_now = {
        let mut state = t.state.lock().unwrap();
        if state.threads == 0 {
            return INVALID_ARG;
        }
        state.threads -= 1;
        if state.threads == 0 || mode == 1 {
            state.closing = true;
            t.space.notify_all();
        }
        state.closing && state.queued == 0 && !state.finalized
    };
    if finalize_now {
        // Finalization runs on the loop, whichever thread released last. The function's
        // memory is never freed: an addon may still hold the pointer.
        std::sync::Arc::increment_strong_count(tsfn);
        let handle = TsfnPtr(tsfn);
        t.completions.push(Box::new(move |_| {
            let handle = handle;
            let tsfn = std::sync::Arc::from_raw(handle.0);
            tsfn.finalize();
            Ok(())
        }));
    }
    OK
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_threadsafe_function_context(tsfn: napi_threadsafe_function, result: *mut *mut c_void) -> napi_status {
    let Some(t) = tsfn_ref(tsfn) else { return INVALID_ARG };
    if result.is_null() {
        return INVALID_ARG;
    }
    *result = t.context;
    OK
}

#[no_mangle]
pub unsafe extern "C" fn napi_ref_threadsafe_function(env: napi_env, tsfn: napi_threadsafe_function) -> napi_status {
    let e = env!(env);
    let Some(t) = tsfn_ref(tsfn) else { return e.set_status(INVALID_ARG) };
    let mut side = t.loop_side.borrow_mut();
    if !side.referenced && !t.state.lock().unwrap().finalized {
        side.referenced = true;
        runtime::event_loop::ref_handle();
    }
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_unref_threadsafe_function(env: napi_env, tsfn: napi_threadsafe_function) -> napi_status {
    let e = env!(env);
    let Some(t) = tsfn_ref(tsfn) else { return e.set_status(INVALID_ARG) };
    let mut side = t.loop_side.borrow_mut();
    if side.referenced {
        side.referenced = false;
        runtime::event_loop::unref_handle();
    }
    e.set_status(OK)
}

// ---- async context and callback scopes (the loop runs callbacks at its own turns) ----

#[no_mangle]
pub unsafe extern "C" fn napi_async_init(env: napi_env, _resource: napi_value, _name: napi_value, result: *mut *mut c_void) -> napi_status {
    let e = env!(env);
    arg!(e, result);
    *result = ptr::NonNull::dangling().as_ptr();
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_async_destroy(env: napi_env, _context: *mut c_void) -> napi_status {
    env!(env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_make_callback(env: napi_env, _context: *mut c_void, recv: napi_value, func: napi_value, argc: usize, argv: *const napi_value, result: *mut napi_value) -> napi_status {
    napi_call_function(env, recv, func, argc, argv, result)
}

#[no_mangle]
pub unsafe extern "C" fn napi_open_callback_scope(env: napi_env, _resource: napi_value, _context: *mut c_void, result: *mut *mut c_void) -> napi_status {
    let e = env!(env);
    write(result, ptr::NonNull::dangling().as_ptr());
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_close_callback_scope(env: napi_env, _scope: *mut c_void) -> napi_status {
    env!(env).set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_add_async_cleanup_hook(env: napi_env, _hook: *mut c_void, _arg: *mut c_void, result: *mut *mut c_void) -> napi_status {
    let e = env!(env);
    write(result, ptr::NonNull::dangling().as_ptr());
    e.set_status(OK)
}

#[no_mangle]
pub unsafe extern "C" fn napi_remove_async_cleanup_hook(_handle: *mut c_void) -> napi_status {
    OK
}

#[no_mangle]
pub unsafe extern "C" fn napi_get_uv_event_loop(env: napi_env, result: *mut *mut c_void) -> napi_status {
    // ferro's loop is not libuv's: addons get a token, and uv_* symbols do not resolve.
    let e = env!(env);
    arg!(e, result);
    *result = ptr::NonNull::dangling().as_ptr();
    e.set_status(OK)
}
