//! Safe types over the JavaScriptCore C API. All `unsafe` FFI of ferro lives in this crate.
//!
//! Lifetimes follow JSC's rules rather than Rust's: a [`Value`] stays alive while it is
//! reachable from the native stack (JSC scans the stack conservatively) or from JS.
//! Anything kept in a heap structure across calls must be held as a [`Protected`] handle.

pub mod sys;
mod host_functions;
mod rejections;
mod shared_memory;
mod encoding;
mod strings;
mod views;

pub use rejections::{Rejection, RejectionTracker};
pub use shared_memory::SharedMemory;
pub use strings::StringChars;

use std::any::TypeId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_void;
use std::ptr;
use sys::*;

/// Result of an operation that may throw: the error is the thrown JS value.
pub type JsResult<T> = Result<T, Value>;

/// An owned JS global context in its own context group (one per JS thread).
pub struct Context {
    raw: JSGlobalContextRef,
    group: JSContextGroupRef,
}

/// Engine options, applied once before the first context: SharedArrayBuffer (and so
/// Atomics.wait on it) is off in JSC unless asked for, and Node always has it; so is
/// explicit resource management (`Symbol.dispose`, DisposableStack, SuppressedError in
/// every context, vm ones included). JSC would
/// suspend threads for GC with SIGUSR1, which Node programs own: it gets a real-time
/// signal instead.
fn configure_engine() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| unsafe {
        JSConfigureSignalForGC(libc::SIGRTMAX() - 1);
        JSC_Options_initialize();
        JSC_Options_setOptions(c"useSharedArrayBuffer=true useExplicitResourceManagement=true".as_ptr());
    });
}

thread_local! {
    /// The GLib context of this thread's engine run loop (see `run_engine_timers`).
    static RUN_LOOP_CONTEXT: std::cell::Cell<*mut c_void> = const { std::cell::Cell::new(ptr::null_mut()) };
}

/// Gives the engine's run loop on this thread a GLib context of ferro's own, pushed as the
/// thread default before the engine makes its run loop (which adopts it), so that ferro can
/// run the engine's timers (`run_engine_timers`). Left alone, the run loop makes a private
/// context that nothing iterates.
fn adopt_run_loop_context() {
    static MAIN: std::sync::Once = std::sync::Once::new();
    RUN_LOOP_CONTEXT.with(|context| {
        if context.get().is_null() {
            unsafe {
                let own = sys::g_main_context_new();
                sys::g_main_context_push_thread_default(own);
                context.set(own);
                // The first thread to run JS is the process's main thread.
                MAIN.call_once(|| sys::WTF_RunLoop_initializeMain());
            }
        }
    });
}

/// Runs the engine's timers that are due on this thread: JSC settles FinalizationRegistry
/// callbacks and asynchronous WebAssembly compilation, and runs its collection timers, from
/// its run loop. Call outside the engine lock: a timer that finds it taken puts itself off.
pub fn run_engine_timers() {
    let context = RUN_LOOP_CONTEXT.with(|c| c.get());
    if !context.is_null() {
        unsafe { sys::g_main_context_iteration(context, 0) };
    }
}

impl Context {
    pub fn new() -> Context {
        configure_engine();
        adopt_run_loop_context();
        unsafe {
            let group = JSContextGroupCreate();
            let raw = JSGlobalContextCreateInGroup(group, ptr::null_mut());
            LIVE_CONTEXTS.with(|n| n.set(n.get() + 1));
            Context { raw, group }
        }
    }

    pub fn ctx(&self) -> Ctx {
        Ctx(self.raw)
    }
}

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

thread_local! {
    static TERMINATION_INTERVAL: std::cell::Cell<f64> = const { std::cell::Cell::new(0.01) };
}

thread_local! {
    /// Set by [`Ctx::terminate_when`]: a termination must end at the VM entry it stops,
    /// so this thread's calls into JS each enter the VM on their own.
    static TERMINATION_ARMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The heap budget the termination watchdog enforces, in bytes (0: none).
    static HEAP_LIMIT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static HEAP_LIMIT_REACHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Where `JSC::Heap` sits in `JSC::VM` (a JSContextGroupRef is the VM) in 2.50.
const VM_HEAP_OFFSET: usize = 0xc0;

/// Where `VM::entryScope` sits in `JSC::VM` in 2.50 (`VMEntryScope::setUpSlow` stores
/// itself there); checked by [`entry_scope_known`] before use.
const VM_ENTRY_SCOPE_OFFSET: usize = 0x1f540;

/// `JSC::VMEntryScope`: the VM, then the global object.
#[repr(C)]
struct EntryScope {
    vm: *mut c_void,
    global: *mut c_void,
}

thread_local! {
    /// The scope [`Ctx::in_entry_scope`] set up and is running the top level of.
    static OWN_ENTRY_SCOPE: std::cell::Cell<*mut EntryScope> = const { std::cell::Cell::new(ptr::null_mut()) };
}

unsafe fn entry_scope(ctx: JSContextRef) -> *const EntryScope {
    *((JSContextGetGroup(ctx) as *const u8).add(VM_ENTRY_SCOPE_OFFSET) as *const *const EntryScope)
}

/// Whether the entry-scope slot reads as expected: empty outside JS, and inside JS a scope
/// whose first word is the VM.
fn entry_scope_known(ctx: Ctx) -> bool {
    static KNOWN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *KNOWN.get_or_init(|| {
        if unsafe { !entry_scope(ctx.0).is_null() } {
            return false;
        }
        let probe = ctx.function("entryScopeProbe", |a| {
            // SAFETY: a slot of the VM, and the scope it points to while JS runs.
            let ok = unsafe {
                let scope = entry_scope(a.ctx.0);
                !scope.is_null() && (*scope).vm == JSContextGetGroup(a.ctx.0) as *mut c_void
            };
            Ok(a.ctx.boolean(ok))
        });
        probe.call(None, &[]).is_ok_and(|v| v.to_boolean()) && unsafe { entry_scope(ctx.0).is_null() }
    })
}

/// Bytes of JS objects in the heap; ArrayBuffer contents do not count, as in V8's heap limit.
unsafe fn heap_object_bytes(ctx: JSContextRef) -> usize {
    let heap = (JSContextGetGroup(ctx) as *mut u8).add(VM_HEAP_OFFSET) as *mut c_void;
    JSC_Heap_size(heap).saturating_sub(JSC_Heap_extraMemorySize(heap))
}

/// Whether the heap stays over its budget even after a full collection.
unsafe fn heap_over_limit(ctx: JSContextRef) -> bool {
    let limit = HEAP_LIMIT.with(|l| l.get());
    if limit == 0 || heap_object_bytes(ctx) <= limit {
        return false;
    }
    JSSynchronousGarbageCollectForDebugging(ctx);
    heap_object_bytes(ctx) > limit
}

unsafe extern "C" fn should_terminate(ctx: JSContextRef, flag: *mut c_void) -> bool {
    let stop = &*(flag as *const std::sync::atomic::AtomicBool);
    if stop.load(std::sync::atomic::Ordering::SeqCst) {
        return true;
    }
    if heap_over_limit(ctx) {
        HEAP_LIMIT_REACHED.with(|r| r.set(true));
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        return true;
    }
    // The watchdog checks again only when its time limit is set anew.
    let interval = TERMINATION_INTERVAL.with(|i| i.get());
    JSContextGroupSetExecutionTimeLimit(JSContextGetGroup(ctx), interval, Some(should_terminate), flag);
    false
}

thread_local! {
    /// How many contexts this thread has: handles kept in thread-locals are dropped at
    /// exit, after the context, and must not touch the engine then.
    static LIVE_CONTEXTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Drop for Context {
    fn drop(&mut self) {
        LIVE_CONTEXTS.with(|n| n.set(n.get().saturating_sub(1)));
        unsafe {
            JSGlobalContextRelease(self.raw);
            JSContextGroupRelease(self.group);
        }
    }
}

/// A borrowed context handle, passed to every operation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ctx(JSContextRef);

/// A JS value, valid while reachable from the stack or from JS.
#[derive(Clone, Copy, Debug)]
pub struct Value {
    ctx: JSContextRef,
    raw: JSValueRef,
}

/// A JS object (functions, arrays, promises... are objects).
#[derive(Clone, Copy, Debug)]
pub struct Object {
    ctx: JSContextRef,
    raw: JSObjectRef,
}

/// A GC root: the value stays alive until this handle is dropped.
pub struct Protected {
    ctx: JSContextRef,
    raw: JSValueRef,
}

/// An owned JSC string.
pub struct JsString(JSStringRef);

/// The arguments of a call from JS into a native function.
pub struct Args<'a> {
    pub ctx: Ctx,
    pub this: Value,
    argv: &'a [JSValueRef],
}

/// A native function callable from JS.
pub type NativeFn = fn(&Args) -> JsResult<Value>;
/// A native closure callable from JS, carrying its own Rust data.
pub type NativeClosure = Box<dyn Fn(&Args) -> JsResult<Value>>;

/// State of a promise as the engine holds it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PromiseState {
    Pending,
    Fulfilled,
    Rejected,
}

/// A JS array filled one value at a time (see [`Ctx::array_from`]); keep the builder in a
/// local variable, where the GC sees the array.
pub struct ArrayBuilder {
    array: Object,
    len: u32,
}

impl ArrayBuilder {
    pub fn new(ctx: Ctx) -> JsResult<ArrayBuilder> {
        Ok(ArrayBuilder { array: ctx.array(&[])?, len: 0 })
    }

    pub fn push(&mut self, value: Value) -> JsResult<()> {
        self.array.set_index(self.len, value)?;
        self.len += 1;
        Ok(())
    }

    pub fn value(&self) -> Value {
        self.array.value()
    }
}

/// The resolve/reject pair of a promise created from native code.
pub struct Deferred {
    pub resolve: Protected,
    pub reject: Protected,
}

fn exception_slot() -> JSValueRef {
    ptr::null()
}

impl JsString {
    pub fn new(s: &str) -> JsString {
        // ASCII text becomes an 8-bit JSC string, which the engine stores and lexes faster.
        if s.is_ascii() && !s.as_bytes().contains(&0) {
            let mut bytes = Vec::with_capacity(s.len() + 1);
            bytes.extend_from_slice(s.as_bytes());
            bytes.push(0);
            return JsString(unsafe { JSStringCreateWithUTF8CString(bytes.as_ptr() as *const std::os::raw::c_char) });
        }
        let utf16: Vec<u16> = s.encode_utf16().collect();
        JsString::from_utf16(&utf16)
    }

    pub fn from_utf16(chars: &[u16]) -> JsString {
        JsString(unsafe { JSStringCreateWithCharacters(chars.as_ptr(), chars.len()) })
    }

    pub fn utf16(&self) -> &[u16] {
        unsafe {
            let len = JSStringGetLength(self.0);
            if len == 0 {
                return &[];
            }
            std::slice::from_raw_parts(JSStringGetCharactersPtr(self.0), len)
        }
    }

    pub fn raw(&self) -> JSStringRef {
        self.0
    }
}

impl std::fmt::Display for JsString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&rust_string(self.0))
    }
}

/// A JSC string as Rust's, lone surrogates replaced by U+FFFD. JSC writes UTF-8 straight
/// from its 8-bit (Latin-1) strings, where reading UTF-16 would first widen a copy; its
/// conversion stops at a lone surrogate, which the count of UTF-16 units written reveals.
fn rust_string(raw: JSStringRef) -> String {
    let len = unsafe { JSStringGetLength(raw) };
    if len == 0 {
        return String::new();
    }
    let capacity = len * 3 + 1;
    let mut bytes: Vec<u8> = Vec::with_capacity(capacity);
    // SAFETY: JSC writes at most `capacity` bytes, NUL included, and returns that count.
    unsafe {
        let written = JSStringGetUTF8CString(raw, bytes.as_mut_ptr() as *mut std::os::raw::c_char, capacity);
        bytes.set_len(written.saturating_sub(1));
    }
    if utf16_units(&bytes) != len {
        return String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(JSStringGetCharactersPtr(raw), len) });
    }
    if bytes.capacity() > 2 * bytes.len() + 64 {
        bytes.shrink_to_fit();
    }
    // SAFETY: a conversion that covered every unit wrote well-formed UTF-8.
    unsafe { String::from_utf8_unchecked(bytes) }
}

/// How many UTF-16 units the UTF-8 `bytes` encode.
fn utf16_units(bytes: &[u8]) -> usize {
    bytes.iter().map(|&b| ((b & 0xC0) != 0x80) as usize + (b >= 0xF0) as usize).sum()
}

impl Drop for JsString {
    fn drop(&mut self) {
        unsafe { JSStringRelease(self.0) }
    }
}

/// Runs `f` with an exception slot and turns a thrown value into `Err`.
fn catch<T>(ctx: JSContextRef, f: impl FnOnce(*mut JSValueRef) -> T) -> JsResult<T> {
    let mut exc = exception_slot();
    let out = f(&mut exc);
    if exc.is_null() {
        Ok(out)
    } else {
        Err(Value { ctx, raw: exc })
    }
}

impl Ctx {
    /// Wraps a context pointer received from JSC (in a callback).
    ///
    /// # Safety
    /// `raw` must be a live JSC context.
    pub unsafe fn from_raw(raw: JSContextRef) -> Ctx {
        Ctx(raw)
    }

    pub fn raw(self) -> JSContextRef {
        self.0
    }

    pub fn global(self) -> Object {
        Object { ctx: self.0, raw: unsafe { JSContextGetGlobalObject(self.0) } }
    }

    pub fn undefined(self) -> Value {
        if encoding::known(self) {
            return self.encoded(encoding::UNDEFINED);
        }
        Value { ctx: self.0, raw: unsafe { JSValueMakeUndefined(self.0) } }
    }

    pub fn null(self) -> Value {
        if encoding::known(self) {
            return self.encoded(encoding::NULL);
        }
        Value { ctx: self.0, raw: unsafe { JSValueMakeNull(self.0) } }
    }

    pub fn boolean(self, b: bool) -> Value {
        if encoding::known(self) {
            return self.encoded(if b { encoding::TRUE } else { encoding::FALSE });
        }
        Value { ctx: self.0, raw: unsafe { JSValueMakeBoolean(self.0, b) } }
    }

    pub fn number(self, n: f64) -> Value {
        if encoding::known(self) {
            return self.encoded(encoding::encode_number(n));
        }
        Value { ctx: self.0, raw: unsafe { JSValueMakeNumber(self.0, n) } }
    }

    /// A value from its engine encoding (see the `encoding` module).
    fn encoded(self, raw: u64) -> Value {
        Value { ctx: self.0, raw: raw as JSValueRef }
    }

    pub fn string(self, s: &str) -> Value {
        self.js_string(&JsString::new(s))
    }

    pub fn string_utf16(self, chars: &[u16]) -> Value {
        self.js_string(&JsString::from_utf16(chars))
    }

    pub fn js_string(self, s: &JsString) -> Value {
        Value { ctx: self.0, raw: unsafe { JSValueMakeString(self.0, s.0) } }
    }

    pub fn object(self) -> Object {
        Object { ctx: self.0, raw: unsafe { JSObjectMake(self.0, ptr::null_mut(), ptr::null_mut()) } }
    }

    /// A JS array of the values `values` yields, each stored as soon as it is made. The GC
    /// scans the native stack but not Rust's heap: fresh values gathered in a Vec can be
    /// collected (their cells reused) while the next one is made, so pass a lazy
    /// iterator here rather than collecting one for [`Ctx::array`].
    pub fn array_from(self, values: impl IntoIterator<Item = JsResult<Value>>) -> JsResult<Object> {
        let mut array = ArrayBuilder::new(self)?;
        for value in values {
            array.push(value?)?;
        }
        Ok(array.array)
    }

    /// A JS array of `items` (which the caller keeps where the GC sees them).
    pub fn array(self, items: &[Value]) -> JsResult<Object> {
        let raws: Vec<JSValueRef> = items.iter().map(|v| v.raw).collect();
        let raw = catch(self.0, |e| unsafe { JSObjectMakeArray(self.0, raws.len(), raws.as_ptr(), e) })?;
        Ok(Object { ctx: self.0, raw })
    }

    /// A new `Error` with the given message.
    pub fn error(self, message: &str) -> Value {
        let msg = self.string(message);
        let raw = unsafe { JSObjectMakeError(self.0, 1, &msg.raw, ptr::null_mut()) };
        Value { ctx: self.0, raw: raw as JSValueRef }
    }

    /// Parses JSON; `None` when the text is not valid JSON.
    pub fn parse_json(self, text: &str) -> Option<Value> {
        let s = JsString::new(text);
        let raw = unsafe { JSValueMakeFromJSONString(self.0, s.0) };
        (!raw.is_null()).then_some(Value { ctx: self.0, raw })
    }

    /// Evaluates a script as global code.
    pub fn eval(self, source: &str, source_url: &str, starting_line: i32) -> JsResult<Value> {
        let src = JsString::new(source);
        self.eval_js_string(&src, source_url, starting_line)
    }

    pub fn eval_js_string(self, source: &JsString, source_url: &str, starting_line: i32) -> JsResult<Value> {
        let url = JsString::new(source_url);
        let raw = catch(self.0, |e| unsafe {
            JSEvaluateScript(self.0, source.0, ptr::null_mut(), url.0, starting_line, e)
        })?;
        Ok(Value { ctx: self.0, raw })
    }

    /// Checks a script for syntax errors without running it.
    pub fn check_syntax(self, source: &str, source_url: &str) -> JsResult<()> {
        let src = JsString::new(source);
        let url = JsString::new(source_url);
        catch(self.0, |e| unsafe { JSCheckScriptSyntax(self.0, src.0, url.0, 1, e) })?;
        Ok(())
    }

    /// A real JS function (its `name`, `call`, `bind` work) that runs `f`.
    pub fn function(self, name: &str, f: NativeFn) -> Object {
        if let Some(function) = self.host_function(name, f) {
            return function;
        }
        // The callback has no user-data slot: the Rust fn is found by the function's address.
        let name_s = JsString::new(name);
        let raw = unsafe { JSObjectMakeFunctionWithCallback(self.0, name_s.0, Some(call_native_fn)) };
        let obj = Object { ctx: self.0, raw };
        NATIVE_FNS.with(|fns| fns.borrow_mut().insert(raw as usize, f));
        obj
    }

    /// A callable object carrying a Rust closure, dropped when the object is collected.
    pub fn closure(self, name: &str, f: NativeClosure) -> Object {
        let class = class_for(TypeId::of::<NativeClosure>(), || {
            let mut def = JSClassDefinition::EMPTY;
            def.className = c"NativeClosure".as_ptr();
            def.callAsFunction = Some(call_native_closure);
            def.finalize = Some(finalize_boxed::<NativeClosure>);
            def
        });
        let data = Box::into_raw(Box::new(f)) as *mut c_void;
        let raw = unsafe { JSObjectMake(self.0, class, data) };
        let obj = Object { ctx: self.0, raw };
        // Named before the prototype switch: Function.prototype.name is read-only.
        let _ = obj.define("name", self.string(name), false);
        // Make it look like a function to JS code (`call`, `apply`, `bind`).
        if let Ok(proto) = self.global().get("Function").and_then(|f| f.expect_object()?.get("prototype")) {
            obj.set_prototype(proto);
        }
        obj
    }

    /// An object carrying Rust data of type `T`, dropped when the object is collected.
    pub fn wrap<T: 'static>(self, data: T) -> Object {
        let class = class_for(TypeId::of::<T>(), || {
            let mut def = JSClassDefinition::EMPTY;
            def.className = c"NativeObject".as_ptr();
            def.finalize = Some(finalize_boxed::<T>);
            def
        });
        let data = Box::into_raw(Box::new(data)) as *mut c_void;
        Object { ctx: self.0, raw: unsafe { JSObjectMake(self.0, class, data) } }
    }

    /// Makes running JS of this context's group stop (as an uncatchable termination) once
    /// `flag` is set, checking every `interval` seconds; the flag lives as long as the
    /// thread's context.
    pub fn terminate_when(self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>, interval: f64) {
        TERMINATION_INTERVAL.with(|i| i.set(interval));
        TERMINATION_ARMED.with(|a| a.set(true));
        let flag = std::sync::Arc::into_raw(flag) as *mut c_void;
        unsafe { JSContextGroupSetExecutionTimeLimit(JSContextGetGroup(self.0), interval, Some(should_terminate), flag) }
    }

    /// Has the termination watchdog (see [`Ctx::terminate_when`]) also stop JS, setting
    /// its flag, once the heap's objects take more than `bytes` after a full collection.
    /// Returns false, enforcing nothing, if this engine's layout is not the known one.
    pub fn limit_heap(self, bytes: usize) -> JsResult<bool> {
        let stats = self.memory_statistics();
        let reported = stats.get("heapSize")?.to_number()? - stats.get("extraMemorySize")?.to_number()?;
        let read = unsafe { heap_object_bytes(self.0) } as f64;
        // The statistics object itself was allocated in between: the two agree closely.
        if (read - reported).abs() > 1e6 {
            return Ok(false);
        }
        HEAP_LIMIT.with(|l| l.set(bytes));
        Ok(true)
    }

    /// Whether the watchdog stopped this thread's JS for going over its heap limit.
    pub fn heap_limit_reached(self) -> bool {
        HEAP_LIMIT_REACHED.with(|r| r.get())
    }

    /// A promise with its resolve and reject functions.
    pub fn deferred_promise(self) -> JsResult<(Object, Deferred)> {
        let mut resolve: JSObjectRef = ptr::null_mut();
        let mut reject: JSObjectRef = ptr::null_mut();
        let raw = catch(self.0, |e| unsafe { JSObjectMakeDeferredPromise(self.0, &mut resolve, &mut reject, e) })?;
        let protect = |o: JSObjectRef| Value { ctx: self.0, raw: o as JSValueRef }.protect();
        Ok((Object { ctx: self.0, raw }, Deferred { resolve: protect(resolve), reject: protect(reject) }))
    }

    /// A Uint8Array owning `bytes` without copying them.
    pub fn uint8_array(self, bytes: Vec<u8>) -> JsResult<Object> {
        let mut boxed = bytes.into_boxed_slice();
        let (ptr, len) = (boxed.as_mut_ptr(), boxed.len());
        let holder = Box::into_raw(Box::new(boxed)) as *mut c_void;
        let raw = catch(self.0, |e| unsafe {
            JSObjectMakeTypedArrayWithBytesNoCopy(
                self.0,
                kJSTypedArrayTypeUint8Array,
                ptr as *mut c_void,
                len,
                Some(free_boxed_bytes),
                holder,
                e,
            )
        })?;
        Ok(Object { ctx: self.0, raw })
    }

    /// An ArrayBuffer owning `bytes` without copying them.
    pub fn array_buffer(self, bytes: Vec<u8>) -> JsResult<Object> {
        let mut boxed = bytes.into_boxed_slice();
        let (ptr, len) = (boxed.as_mut_ptr(), boxed.len());
        let holder = Box::into_raw(Box::new(boxed)) as *mut c_void;
        let raw = catch(self.0, |e| unsafe {
            JSObjectMakeArrayBufferWithBytesNoCopy(self.0, ptr as *mut c_void, len, Some(free_boxed_bytes), holder, e)
        })?;
        Ok(Object { ctx: self.0, raw })
    }

    /// A Float64Array over memory that outlives the context, shared between Rust and JS.
    pub fn shared_f64_array(self, cells: &'static [std::cell::Cell<f64>]) -> JsResult<Object> {
        let raw = catch(self.0, |e| unsafe {
            JSObjectMakeTypedArrayWithBytesNoCopy(
                self.0,
                kJSTypedArrayTypeFloat64Array,
                cells.as_ptr() as *mut c_void,
                std::mem::size_of_val(cells),
                None,
                ptr::null_mut(),
                e,
            )
        })?;
        Ok(Object { ctx: self.0, raw })
    }

    /// The engine's heap statistics (`heapSize`, `heapCapacity`, `extraMemorySize`, ...).
    pub fn memory_statistics(self) -> Object {
        Object { ctx: self.0, raw: unsafe { JSGetMemoryUsageStatistics(self.0) } }
    }

    /// Runs a full garbage collection.
    pub fn garbage_collect(self) {
        unsafe { JSGarbageCollect(self.0) }
    }

    /// Collects the whole heap now, before returning (`JSGarbageCollect` only asks for a
    /// collection soon).
    pub fn collect_garbage_now(self) {
        unsafe { JSSynchronousGarbageCollectForDebugging(self.0) }
    }

    /// Takes the VM lock: microtasks are not drained until the matching `unlock`.
    pub fn lock(self) {
        unsafe { JSLock(self.0) }
    }

    /// Runs `f` inside one VM entry scope. Each call from Rust into JS otherwise enters the
    /// VM on its own, and every entry resets the VM's date cache (2 KB of writes on Linux):
    /// a macrotask that calls JS three times pays for three. Call under the lock, outside
    /// any JS frame; nested inside another scope, `f` just runs.
    pub fn in_entry_scope<R>(self, f: impl FnOnce() -> R) -> R {
        if !entry_scope_known(self) || TERMINATION_ARMED.with(|a| a.get()) || unsafe { !entry_scope(self.0).is_null() } {
            // Inside someone else's scope, possibly under a JS frame: no draining here.
            let outer = OWN_ENTRY_SCOPE.replace(ptr::null_mut());
            let result = f();
            OWN_ENTRY_SCOPE.set(outer);
            return result;
        }
        self.with_new_entry_scope(f)
    }

    /// Runs `f` in a VM entry scope of its own. Call when there is none.
    fn with_new_entry_scope<R>(self, f: impl FnOnce() -> R) -> R {
        let vm = unsafe { JSContextGetGroup(self.0) } as *mut c_void;
        let mut scope = EntryScope { vm, global: self.0 as *mut c_void };
        let scope_ptr = &mut scope as *mut EntryScope;
        // SAFETY: the scope lives on this frame until torn down below, as a C++ caller's would.
        unsafe { JSC_VMEntryScope_setUpSlow(scope_ptr as *mut c_void) };
        let outer = OWN_ENTRY_SCOPE.replace(scope_ptr);
        let result = f();
        OWN_ENTRY_SCOPE.set(outer);
        unsafe { JSC_VMEntryScope_tearDownSlow(scope_ptr as *mut c_void) };
        result
    }

    /// Runs the microtask queue dry inside one VM entry. Left to `unlock`, JSC enters the
    /// VM once per job, and each entry resets the VM's date cache, a third of the cost of
    /// an `await`. Call under the lock, outside any JS frame (at the top of
    /// [`Ctx::in_entry_scope`] counts).
    pub fn drain_microtasks(self) {
        if !entry_scope_known(self) {
            return;
        }
        let vm = unsafe { JSContextGetGroup(self.0) } as *mut c_void;
        let current = unsafe { entry_scope(self.0) };
        if !current.is_null() {
            if current == OWN_ENTRY_SCOPE.get() as *const EntryScope {
                unsafe { JSC_VM_drainMicrotasks(vm) };
            }
            return;
        }
        self.with_new_entry_scope(|| unsafe { JSC_VM_drainMicrotasks(vm) });
    }

    /// Releases the VM lock; releasing the outermost hold drains the microtask queue.
    pub fn unlock(self) {
        unsafe { JSUnlock(self.0) }
    }

    /// Calls `f(promise, reason)` for each rejected promise still unhandled once the
    /// microtask queue is exhausted.
    pub fn set_unhandled_rejection_callback(self, f: Object) -> JsResult<()> {
        catch(self.0, |e| unsafe { JSGlobalContextSetUnhandledRejectionCallback(JSContextGetGlobalContext(self.0), f.raw, e) })
    }
}

thread_local! {
    static CLASSES: RefCell<HashMap<TypeId, usize>> = RefCell::new(HashMap::new());
    static NATIVE_FNS: RefCell<HashMap<usize, NativeFn, std::hash::BuildHasherDefault<AddressHasher>>> = RefCell::default();
}

/// Hashes a function object's address, looked up on every native call: one multiply
/// instead of SipHash.
#[derive(Default)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        self.0 = (address as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(20);
    }
}

fn class_for(id: TypeId, def: impl FnOnce() -> JSClassDefinition) -> JSClassRef {
    CLASSES.with(|classes| {
        *classes.borrow_mut().entry(id).or_insert_with(|| {
            let d = def();
            unsafe { JSClassCreate(&d) as usize }
        }) as JSClassRef
    })
}

unsafe extern "C" fn finalize_boxed<T>(obj: JSObjectRef) {
    let data = JSObjectGetPrivate(obj) as *mut T;
    if !data.is_null() {
        drop(Box::from_raw(data));
    }
}

unsafe extern "C" fn free_boxed_bytes(_bytes: *mut c_void, holder: *mut c_void) {
    drop(Box::from_raw(holder as *mut Box<[u8]>));
}

/// Runs a native call, turning a Rust panic into a JS exception rather than unwinding into C.
unsafe fn dispatch(
    ctx: JSContextRef,
    this: JSObjectRef,
    argc: usize,
    argv: *const JSValueRef,
    exception: *mut JSValueRef,
    run: impl FnOnce(&Args) -> JsResult<Value>,
) -> JSValueRef {
    let args = Args {
        ctx: Ctx(ctx),
        this: Value { ctx, raw: if this.is_null() { JSValueMakeUndefined(ctx) } else { this as JSValueRef } },
        argv: if argc == 0 { &[] } else { std::slice::from_raw_parts(argv, argc) },
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&args))) {
        Ok(Ok(v)) => v.raw,
        Ok(Err(e)) => {
            *exception = e.raw;
            ptr::null()
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            *exception = Ctx(ctx).error(&format!("internal error in native code: {msg}")).raw;
            ptr::null()
        }
    }
}

unsafe extern "C" fn call_native_fn(
    ctx: JSContextRef,
    function: JSObjectRef,
    this: JSObjectRef,
    argc: usize,
    argv: *const JSValueRef,
    exception: *mut JSValueRef,
) -> JSValueRef {
    let f = NATIVE_FNS.with(|fns| fns.borrow().get(&(function as usize)).copied());
    match f {
        Some(f) => dispatch(ctx, this, argc, argv, exception, f),
        None => dispatch(ctx, this, argc, argv, exception, |a| Err(a.ctx.error("native function is gone"))),
    }
}

unsafe extern "C" fn call_native_closure(
    ctx: JSContextRef,
    function: JSObjectRef,
    this: JSObjectRef,
    argc: usize,
    argv: *const JSValueRef,
    exception: *mut JSValueRef,
) -> JSValueRef {
    let f = &*(JSObjectGetPrivate(function) as *const NativeClosure);
    dispatch(ctx, this, argc, argv, exception, |a| f(a))
}

impl<'a> Args<'a> {
    pub fn len(&self) -> usize {
        self.argv.len()
    }

    pub fn is_empty(&self) -> bool {
        self.argv.is_empty()
    }

    /// Argument `i`, or `undefined` when it was not passed.
    pub fn get(&self, i: usize) -> Value {
        match self.argv.get(i) {
            Some(raw) => Value { ctx: self.ctx.0, raw: *raw },
            None => self.ctx.undefined(),
        }
    }

    pub fn string(&self, i: usize) -> JsResult<String> {
        self.get(i).to_string()
    }

    pub fn number(&self, i: usize) -> JsResult<f64> {
        self.get(i).to_number()
    }
}

impl Value {
    pub fn raw(self) -> JSValueRef {
        self.raw
    }

    pub fn ctx(self) -> Ctx {
        Ctx(self.ctx)
    }

    /// # Safety
    /// `raw` must be a live value of the live context `ctx`.
    pub unsafe fn from_raw(ctx: Ctx, raw: JSValueRef) -> Value {
        Value { ctx: ctx.0, raw }
    }

    pub fn is_undefined(self) -> bool {
        if encoding::known(Ctx(self.ctx)) {
            return self.raw as u64 == encoding::UNDEFINED;
        }
        unsafe { JSValueIsUndefined(self.ctx, self.raw) }
    }
    pub fn is_null(self) -> bool {
        if encoding::known(Ctx(self.ctx)) {
            return self.raw as u64 == encoding::NULL;
        }
        unsafe { JSValueIsNull(self.ctx, self.raw) }
    }
    pub fn is_nullish(self) -> bool {
        self.is_undefined() || self.is_null()
    }
    pub fn is_boolean(self) -> bool {
        if encoding::known(Ctx(self.ctx)) {
            return matches!(self.raw as u64, encoding::TRUE | encoding::FALSE);
        }
        unsafe { JSValueIsBoolean(self.ctx, self.raw) }
    }
    pub fn is_number(self) -> bool {
        if encoding::known(Ctx(self.ctx)) {
            return encoding::decode_number(self.raw as u64).is_some();
        }
        unsafe { JSValueIsNumber(self.ctx, self.raw) }
    }
    pub fn is_string(self) -> bool {
        if let Some(is_string) = strings::is_string_cell(Ctx(self.ctx), self.raw) {
            return is_string;
        }
        unsafe { JSValueIsString(self.ctx, self.raw) }
    }
    pub fn is_symbol(self) -> bool {
        unsafe { JSValueIsSymbol(self.ctx, self.raw) }
    }
    pub fn is_bigint(self) -> bool {
        unsafe { JSValueIsBigInt(self.ctx, self.raw) }
    }
    pub fn is_object(self) -> bool {
        unsafe { JSValueIsObject(self.ctx, self.raw) }
    }
    pub fn is_array(self) -> bool {
        unsafe { JSValueIsArray(self.ctx, self.raw) }
    }
    pub fn is_function(self) -> bool {
        self.as_object().is_some_and(|o| unsafe { JSObjectIsFunction(self.ctx, o.raw) })
    }

    pub fn strict_equals(self, other: Value) -> bool {
        unsafe { JSValueIsStrictEqual(self.ctx, self.raw, other.raw) }
    }

    pub fn to_boolean(self) -> bool {
        unsafe { JSValueToBoolean(self.ctx, self.raw) }
    }

    pub fn to_number(self) -> JsResult<f64> {
        if encoding::known(Ctx(self.ctx)) {
            if let Some(n) = encoding::decode_number(self.raw as u64) {
                return Ok(n);
            }
        }
        catch(self.ctx, |e| unsafe { JSValueToNumber(self.ctx, self.raw, e) })
    }

    /// `String(value)` (throws for symbols, as JS does).
    pub fn to_js_string(self) -> JsResult<JsString> {
        let raw = catch(self.ctx, |e| unsafe { JSValueToStringCopy(self.ctx, self.raw, e) })?;
        Ok(JsString(raw))
    }

    pub fn to_string(self) -> JsResult<String> {
        if let Some(s) = self.rust_string_in_place() {
            return Ok(s);
        }
        Ok(rust_string(self.to_js_string()?.0))
    }

    /// `JSON.stringify(value)`; `None` for values JSON cannot represent.
    pub fn to_json(self, indent: u32) -> JsResult<Option<String>> {
        let raw = catch(self.ctx, |e| unsafe { JSValueCreateJSONString(self.ctx, self.raw, indent, e) })?;
        Ok((!raw.is_null()).then(|| JsString(raw).to_string()))
    }

    pub fn as_object(self) -> Option<Object> {
        self.is_object().then_some(Object { ctx: self.ctx, raw: self.raw as JSObjectRef })
    }

    /// The object, or a TypeError naming what was expected.
    pub fn expect_object(self) -> JsResult<Object> {
        self.as_object().ok_or_else(|| Ctx(self.ctx).error("expected an object"))
    }

    pub fn protect(self) -> Protected {
        unsafe { JSValueProtect(self.ctx, self.raw) };
        Protected { ctx: self.ctx, raw: self.raw }
    }

    /// The engine's state and result of a native promise; `None` for anything else.
    pub fn promise_state(self) -> Option<(PromiseState, Value)> {
        let obj = self.as_object()?;
        if !is_promise_cell(Ctx(self.ctx), obj) {
            return None;
        }
        unsafe {
            let cell = obj.raw as *const c_void;
            let state = match JSC_JSPromise_status(cell, ptr::null_mut()) {
                0 => PromiseState::Pending,
                1 => PromiseState::Fulfilled,
                _ => PromiseState::Rejected,
            };
            let result = JSC_JSPromise_result(cell, ptr::null_mut());
            Some((state, Value { ctx: self.ctx, raw: result }))
        }
    }

    /// The engine's cell type (JSType) of an object, for telling built-in kinds apart
    /// without calling into JS. Numbering varies between JSC versions: compare it with
    /// the type of a sample object, never with constants.
    pub fn cell_type(self) -> Option<u8> {
        self.as_object().map(cell_type)
    }

    /// The target of a Proxy (null once revoked); `None` when the value is not a Proxy.
    pub fn proxy_target(self) -> Option<Value> {
        let obj = self.as_object()?;
        if !is_proxy_cell(Ctx(self.ctx), obj) {
            return None;
        }
        let target = unsafe { JSObjectGetProxyTarget(obj.raw) };
        // A revoked proxy keeps its target in JSC; the spec (and Node) report null.
        let revoked = self.proxy_handler().is_some_and(|h| h.is_null());
        Some(if target.is_null() || revoked { Ctx(self.ctx).null() } else { Value { ctx: self.ctx, raw: target as JSValueRef } })
    }

    /// The handler of a Proxy. JSC's ProxyObject keeps its target and handler in the two
    /// words after the object header; the handler is read only when the first word is the
    /// target the API reports, so a different layout yields `None` rather than garbage.
    pub fn proxy_handler(self) -> Option<Value> {
        let obj = self.as_object()?;
        if !is_proxy_cell(Ctx(self.ctx), obj) {
            return None;
        }
        unsafe {
            let target = JSObjectGetProxyTarget(obj.raw);
            let words = obj.raw as *const *const c_void;
            if target.is_null() || *words.add(2) != target as *const c_void {
                return None;
            }
            Some(Value { ctx: self.ctx, raw: *words.add(3) as JSValueRef })
        }
    }

    /// The bytes viewed by a typed array or DataView (or held by an ArrayBuffer).
    ///
    /// The slice aliases JS memory: do not keep it across calls into JS.
    #[allow(non_upper_case_globals)]
    pub fn bytes(&self) -> Option<&mut [u8]> {
        if let Some((start, len)) = views::view_bytes(Ctx(self.ctx), self.raw) {
            // SAFETY: a live view's memory, `len` bytes from `start` (null only when empty).
            return Some(if len == 0 { &mut [] } else { unsafe { std::slice::from_raw_parts_mut(start, len) } });
        }
        let obj = self.as_object()?;
        unsafe {
            let kind = JSValueGetTypedArrayType(self.ctx, self.raw, ptr::null_mut());
            let (ptr, len) = match kind {
                kJSTypedArrayTypeNone => return None,
                kJSTypedArrayTypeArrayBuffer => (
                    JSObjectGetArrayBufferBytesPtr(self.ctx, obj.raw, ptr::null_mut()),
                    JSObjectGetArrayBufferByteLength(self.ctx, obj.raw, ptr::null_mut()),
                ),
                // The bytes pointer is the start of the buffer, not of the view.
                _ => (
                    (JSObjectGetTypedArrayBytesPtr(self.ctx, obj.raw, ptr::null_mut()) as *mut u8)
                        .add(JSObjectGetTypedArrayByteOffset(self.ctx, obj.raw, ptr::null_mut()))
                        as *mut c_void,
                    JSObjectGetTypedArrayByteLength(self.ctx, obj.raw, ptr::null_mut()),
                ),
            };
            if len == 0 || ptr.is_null() {
                return Some(&mut []);
            }
            Some(std::slice::from_raw_parts_mut(ptr as *mut u8, len))
        }
    }

    /// The Rust data of an object made by [`Ctx::wrap`] with the same `T`.
    pub fn wrapped<T: 'static>(&self) -> Option<&T> {
        let obj = self.as_object()?;
        let class = CLASSES.with(|c| c.borrow().get(&TypeId::of::<T>()).copied())? as JSClassRef;
        unsafe {
            if !JSValueIsObjectOfClass(self.ctx, self.raw, class) {
                return None;
            }
            (JSObjectGetPrivate(obj.raw) as *const T).as_ref()
        }
    }
}

thread_local! {
    static PROMISE_CELL_TYPE: std::cell::Cell<Option<u8>> = const { std::cell::Cell::new(None) };
    static PROXY_CELL_TYPE: std::cell::Cell<Option<u8>> = const { std::cell::Cell::new(None) };
}

/// Byte 5 of a JSC cell header is its JSType.
fn cell_type(o: Object) -> u8 {
    const JSTYPE_OFFSET: usize = 5;
    unsafe { *(o.raw as *const u8).add(JSTYPE_OFFSET) }
}

/// Whether `obj` has the JSType of `sample`, an object the engine made once per thread
/// (the enum's numbering varies between JSC versions, so it is learnt, not hard-coded).
fn same_cell_type(
    key: &'static std::thread::LocalKey<std::cell::Cell<Option<u8>>>,
    obj: Object,
    sample: impl FnOnce() -> Option<Object>,
) -> bool {
    let expected = key.with(|t| match t.get() {
        Some(v) => v,
        None => {
            let v = sample().map(cell_type).unwrap_or(0);
            t.set(Some(v));
            v
        }
    });
    expected != 0 && cell_type(obj) == expected
}

fn is_promise_cell(ctx: Ctx, obj: Object) -> bool {
    same_cell_type(&PROMISE_CELL_TYPE, obj, || ctx.deferred_promise().ok().map(|(p, _)| p))
}

/// Real Proxy objects only: the global object's own JSProxy wrapper has another JSType.
fn is_proxy_cell(ctx: Ctx, obj: Object) -> bool {
    same_cell_type(&PROXY_CELL_TYPE, obj, || ctx.eval("new Proxy({}, {})", "", 1).ok().and_then(|v| v.as_object()))
}

impl Object {
    pub fn value(self) -> Value {
        Value { ctx: self.ctx, raw: self.raw as JSValueRef }
    }

    pub fn raw(self) -> JSObjectRef {
        self.raw
    }

    pub fn get(self, name: &str) -> JsResult<Value> {
        let n = JsString::new(name);
        let raw = catch(self.ctx, |e| unsafe { JSObjectGetProperty(self.ctx, self.raw, n.0, e) })?;
        Ok(Value { ctx: self.ctx, raw })
    }

    pub fn set(self, name: &str, value: Value) -> JsResult<()> {
        let n = JsString::new(name);
        catch(self.ctx, |e| unsafe { JSObjectSetProperty(self.ctx, self.raw, n.0, value.raw, kJSPropertyAttributeNone, e) })
    }

    /// Defines a non-enumerable property, optionally read-only.
    pub fn define(self, name: &str, value: Value, writable: bool) -> JsResult<()> {
        let n = JsString::new(name);
        let mut attrs = kJSPropertyAttributeDontEnum;
        if !writable {
            attrs |= kJSPropertyAttributeReadOnly;
        }
        catch(self.ctx, |e| unsafe { JSObjectSetProperty(self.ctx, self.raw, n.0, value.raw, attrs, e) })
    }

    pub fn has(self, name: &str) -> bool {
        let n = JsString::new(name);
        unsafe { JSObjectHasProperty(self.ctx, self.raw, n.0) }
    }

    pub fn delete(self, name: &str) -> JsResult<bool> {
        let n = JsString::new(name);
        catch(self.ctx, |e| unsafe { JSObjectDeleteProperty(self.ctx, self.raw, n.0, e) })
    }

    pub fn get_index(self, index: u32) -> JsResult<Value> {
        let raw = catch(self.ctx, |e| unsafe { JSObjectGetPropertyAtIndex(self.ctx, self.raw, index, e) })?;
        Ok(Value { ctx: self.ctx, raw })
    }

    pub fn set_index(self, index: u32, value: Value) -> JsResult<()> {
        catch(self.ctx, |e| unsafe { JSObjectSetPropertyAtIndex(self.ctx, self.raw, index, value.raw, e) })
    }

    /// The enumerable own and inherited string keys, as `for...in` sees them.
    pub fn keys(self) -> Vec<String> {
        unsafe {
            let names = JSObjectCopyPropertyNames(self.ctx, self.raw);
            let n = JSPropertyNameArrayGetCount(names);
            let keys = (0..n)
                .map(|i| {
                    rust_string(JSPropertyNameArrayGetNameAtIndex(names, i))
                })
                .collect();
            JSPropertyNameArrayRelease(names);
            keys
        }
    }

    pub fn prototype(self) -> Value {
        Value { ctx: self.ctx, raw: unsafe { JSObjectGetPrototype(self.ctx, self.raw) } }
    }

    pub fn set_prototype(self, proto: Value) {
        unsafe { JSObjectSetPrototype(self.ctx, self.raw, proto.raw) }
    }

    pub fn is_function(self) -> bool {
        unsafe { JSObjectIsFunction(self.ctx, self.raw) }
    }

    pub fn call(self, this: Option<Value>, args: &[Value]) -> JsResult<Value> {
        let raws: Vec<JSValueRef> = args.iter().map(|v| v.raw).collect();
        let this_raw = this.and_then(|t| t.as_object()).map_or(ptr::null_mut(), |o| o.raw);
        let raw = catch(self.ctx, |e| unsafe {
            JSObjectCallAsFunction(self.ctx, self.raw, this_raw, raws.len(), raws.as_ptr(), e)
        })?;
        Ok(Value { ctx: self.ctx, raw })
    }

    pub fn construct(self, args: &[Value]) -> JsResult<Object> {
        let raws: Vec<JSValueRef> = args.iter().map(|v| v.raw).collect();
        let raw = catch(self.ctx, |e| unsafe { JSObjectCallAsConstructor(self.ctx, self.raw, raws.len(), raws.as_ptr(), e) })?;
        Ok(Object { ctx: self.ctx, raw })
    }

    /// Sets a native function property (non-enumerable, like built-in methods).
    pub fn set_function(self, name: &str, f: NativeFn) -> JsResult<()> {
        let func = Ctx(self.ctx).function(name, f);
        self.define(name, func.value(), true)
    }
}

impl Protected {
    pub fn value(&self) -> Value {
        Value { ctx: self.ctx, raw: self.raw }
    }

    pub fn object(&self) -> Option<Object> {
        self.value().as_object()
    }
}

impl Clone for Protected {
    fn clone(&self) -> Self {
        self.value().protect()
    }
}

impl Drop for Protected {
    fn drop(&mut self) {
        if LIVE_CONTEXTS.with(|n| n.get()) > 0 {
            unsafe { JSValueUnprotect(self.ctx, self.raw) }
        }
    }
}

#[cfg(test)]
mod tests;

// ===========================================================================
// node:vm contexts
//
// A vm context is a new global context in the caller's group (so values pass between
// contexts directly). Its global object is of a class whose callbacks forward named
// property reads, writes, deletes and enumeration to a sandbox object first, falling back
// to the global's own properties (the new context's built-ins) — Node's "contextified"
// globals. The context is released right after creation: its global object keeps it
// alive while JS can reach it (its own objects reference it), and is then collected.
// ===========================================================================

/// The private data of a vm global object.
struct VmGlobal {
    context: JSGlobalContextRef,
    /// Null when the global is not contextified. Not protected (which would root the
    /// sandbox, and with it the global, forever): an ephemeron from the global to the
    /// sandbox (see `SANDBOX_OF_VM_GLOBAL`) keeps it alive exactly as long as the global.
    sandbox: JSObjectRef,
    /// Names written to the global's own storage as well as to the sandbox (see
    /// `vm_global_set`); the engine cannot list declared variables, so they are recorded.
    stored_names: RefCell<std::collections::HashSet<String>>,
}

thread_local! {
    static VM_GLOBAL_CLASS: std::cell::Cell<JSClassRef> = const { std::cell::Cell::new(ptr::null_mut()) };
    /// A WeakMap from each vm global to its sandbox.
    static SANDBOX_OF_VM_GLOBAL: RefCell<Option<Protected>> = const { RefCell::new(None) };
    /// Set while ferro works on a vm global's own storage, past its sandbox.
    static VM_GLOBAL_BYPASS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Deadlines of the time-limited runs under way, innermost last.
    static VM_DEADLINES: RefCell<Vec<std::time::Instant>> = const { RefCell::new(Vec::new()) };
    static VM_TIMED_OUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn vm_global_class() -> JSClassRef {
    VM_GLOBAL_CLASS.with(|class| {
        if class.get().is_null() {
            let mut def = JSClassDefinition::EMPTY;
            def.className = c"Object".as_ptr();
            def.hasProperty = Some(vm_global_has);
            def.getProperty = Some(vm_global_get);
            def.setProperty = Some(vm_global_set);
            def.deleteProperty = Some(vm_global_delete);
            def.getPropertyNames = Some(vm_global_names);
            def.finalize = Some(finalize_boxed::<VmGlobal>);
            class.set(unsafe { JSClassCreate(&def) });
        }
        class.get()
    })
}

/// The sandbox the callbacks of `global` forward to, if any.
///
/// # Safety
/// `global` must be an object of the vm global class (the callbacks' `this`).
unsafe fn sandbox_of(global: JSObjectRef) -> Option<JSObjectRef> {
    if VM_GLOBAL_BYPASS.with(|b| b.get()) {
        return None;
    }
    let data = JSObjectGetPrivate(global) as *const VmGlobal;
    data.as_ref().map(|d| d.sandbox).filter(|s| !s.is_null())
}

/// The sandbox to read `name` from: none for the names the global stores itself, whose
/// own values are current while code runs (`Object::sync_vm_global`).
unsafe fn sandbox_for_read(global: JSObjectRef, name: JSStringRef) -> Option<JSObjectRef> {
    let sandbox = sandbox_of(global)?;
    let data = (JSObjectGetPrivate(global) as *const VmGlobal).as_ref()?;
    if !data.stored_names.borrow().is_empty() && data.stored_names.borrow().contains(&rust_string(name)) {
        return None;
    }
    Some(sandbox)
}

unsafe extern "C" fn vm_global_has(ctx: JSContextRef, global: JSObjectRef, name: JSStringRef) -> bool {
    sandbox_for_read(global, name).is_some_and(|sandbox| JSObjectHasProperty(ctx, sandbox, name))
}

unsafe extern "C" fn vm_global_get(
    ctx: JSContextRef,
    global: JSObjectRef,
    name: JSStringRef,
    exception: *mut JSValueRef,
) -> JSValueRef {
    match sandbox_for_read(global, name) {
        Some(sandbox) if JSObjectHasProperty(ctx, sandbox, name) => JSObjectGetProperty(ctx, sandbox, name, exception),
        // Null: not found here, look among the global's own properties.
        _ => ptr::null(),
    }
}

unsafe extern "C" fn vm_global_set(
    ctx: JSContextRef,
    global: JSObjectRef,
    name: JSStringRef,
    value: JSValueRef,
    exception: *mut JSValueRef,
) -> bool {
    let Some(sandbox) = sandbox_of(global) else { return false };
    JSObjectSetProperty(ctx, sandbox, name, value, kJSPropertyAttributeNone, exception);
    // A name the global has itself (a declared variable or function, which the engine
    // reads from there without asking `vm_global_get`) is written there too: false lets
    // the engine carry on with its own write.
    let global_has_it = Ctx(ctx).bypassing_sandboxes(|| JSObjectHasProperty(ctx, global, name));
    if !global_has_it {
        return true;
    }
    if let Some(data) = (JSObjectGetPrivate(global) as *const VmGlobal).as_ref() {
        let name = rust_string(name);
        if !data.stored_names.borrow().contains(&name) {
            data.stored_names.borrow_mut().insert(name);
        }
    }
    false
}

unsafe extern "C" fn vm_global_delete(
    ctx: JSContextRef,
    global: JSObjectRef,
    name: JSStringRef,
    exception: *mut JSValueRef,
) -> bool {
    match sandbox_of(global) {
        Some(sandbox) if JSObjectHasProperty(ctx, sandbox, name) => {
            let deleted = JSObjectDeleteProperty(ctx, sandbox, name, exception);
            // A name the global stores too goes from there as well (false: carry on).
            let stored = (JSObjectGetPrivate(global) as *const VmGlobal)
                .as_ref()
                .is_some_and(|d| d.stored_names.borrow().contains(&rust_string(name)));
            deleted && !stored
        }
        _ => false,
    }
}

unsafe extern "C" fn vm_global_names(ctx: JSContextRef, global: JSObjectRef, accumulator: JSPropertyNameAccumulatorRef) {
    let Some(sandbox) = sandbox_of(global) else { return };
    let names = JSObjectCopyPropertyNames(ctx, sandbox);
    for i in 0..JSPropertyNameArrayGetCount(names) {
        JSPropertyNameAccumulatorAddName(accumulator, JSPropertyNameArrayGetNameAtIndex(names, i));
    }
    JSPropertyNameArrayRelease(names);
}

impl Ctx {
    /// The global object of a new context in this context's group. With a sandbox, the
    /// global's named properties are the sandbox's first (see the section comment).
    pub fn new_vm_global(self, sandbox: Option<Object>) -> JsResult<Object> {
        let class = vm_global_class();
        unsafe {
            let context = JSGlobalContextCreateInGroup(JSContextGetGroup(self.0), class);
            let global = JSContextGetGlobalObject(context);
            let sandbox_raw = sandbox.map_or(ptr::null_mut(), |s| s.raw);
            JSObjectSetPrivate(global, Box::into_raw(Box::new(VmGlobal { context, sandbox: sandbox_raw, stored_names: RefCell::default() })) as *mut c_void);
            let global = Object { ctx: self.0, raw: global };
            let linked = match sandbox {
                Some(sandbox) => self.link_sandbox(global, sandbox),
                None => Ok(()),
            };
            JSGlobalContextRelease(context);
            linked.map(|_| global)
        }
    }

    /// Records the ephemeron global → sandbox.
    fn link_sandbox(self, global: Object, sandbox: Object) -> JsResult<()> {
        let map = SANDBOX_OF_VM_GLOBAL.with(|m| -> JsResult<Object> {
            let mut m = m.borrow_mut();
            if m.is_none() {
                *m = Some(self.eval("new WeakMap()", "", 1)?.protect());
            }
            Ok(m.as_ref().and_then(|p| p.object()).expect("a WeakMap"))
        })?;
        map.get("set")?.expect_object()?.call(Some(map.value()), &[global.value(), sandbox.value()])?;
        Ok(())
    }

    /// Runs `f` with the own properties of vm globals reachable past their sandboxes.
    pub fn bypassing_sandboxes<T>(self, f: impl FnOnce() -> T) -> T {
        let before = VM_GLOBAL_BYPASS.with(|b| b.replace(true));
        let out = f();
        VM_GLOBAL_BYPASS.with(|b| b.set(before));
        out
    }

    /// Runs `f`, terminating JS of this group still running `seconds` after the start.
    /// Returns `f`'s result and whether the limit was reached. Runs may nest.
    pub fn run_with_time_limit<T>(self, seconds: f64, f: impl FnOnce() -> T) -> (T, bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(seconds);
        VM_DEADLINES.with(|d| d.borrow_mut().push(deadline));
        VM_TIMED_OUT.with(|t| t.set(false));
        self.arm_time_limit();
        let out = f();
        let timed_out = VM_TIMED_OUT.with(|t| t.replace(false));
        VM_DEADLINES.with(|d| d.borrow_mut().pop());
        self.arm_time_limit();
        (out, timed_out)
    }

    /// Points the watchdog at the innermost deadline, or clears it when there is none.
    fn arm_time_limit(self) {
        let deadline = VM_DEADLINES.with(|d| d.borrow().last().copied());
        unsafe {
            let group = JSContextGetGroup(self.0);
            match deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(std::time::Instant::now()).as_secs_f64();
                    JSContextGroupSetExecutionTimeLimit(group, left.max(0.0001), Some(vm_time_limit_reached), ptr::null_mut());
                }
                None => JSContextGroupClearExecutionTimeLimit(group),
            }
        }
    }
}

unsafe extern "C" fn vm_time_limit_reached(ctx: JSContextRef, _: *mut c_void) -> bool {
    let deadline = VM_DEADLINES.with(|d| d.borrow().last().copied());
    match deadline {
        Some(deadline) if std::time::Instant::now() < deadline => {
            // Woken early (the watchdog counts CPU time): wait for the rest.
            Ctx(ctx).arm_time_limit();
            false
        }
        Some(_) => {
            VM_TIMED_OUT.with(|t| t.set(true));
            true
        }
        None => false,
    }
}

impl Object {
    /// Keeps a contextified global (made by [`Ctx::new_vm_global`]) and its sandbox in
    /// step for the names the global also stores itself (declared variables and functions,
    /// which the engine reads and, once declared, writes without asking the callbacks).
    /// Before code runs (`before_run`), the global takes the sandbox's values and drops the
    /// names the sandbox no longer has; after, the sandbox takes the values that changed.
    pub fn sync_vm_global(self, before_run: bool) -> JsResult<()> {
        let Some(data) = (unsafe { vm_global_data(self) }).filter(|d| !d.sandbox.is_null()) else {
            return Ok(());
        };
        let sandbox = Object { ctx: self.ctx, raw: data.sandbox };
        let names: Vec<String> = data.stored_names.borrow().iter().cloned().collect();
        Ctx(self.ctx).bypassing_sandboxes(|| {
            for name in names {
                let in_sandbox = sandbox.has(&name);
                if before_run && in_sandbox {
                    self.set(&name, sandbox.get(&name)?)?;
                } else if before_run {
                    if self.delete(&name)? {
                        data.stored_names.borrow_mut().remove(&name);
                    }
                } else {
                    let value = self.get(&name)?;
                    if !in_sandbox || !value.strict_equals(sandbox.get(&name)?) {
                        sandbox.set(&name, value)?;
                    }
                }
            }
            Ok(())
        })
    }
}

/// The private data of a vm global; `None` for any other object.
///
/// # Safety
/// The reference must not outlive the global.
unsafe fn vm_global_data<'a>(obj: Object) -> Option<&'a VmGlobal> {
    let class = VM_GLOBAL_CLASS.with(|c| c.get());
    if class.is_null() || !JSValueIsObjectOfClass(obj.ctx, obj.raw as JSValueRef, class) {
        return None;
    }
    (JSObjectGetPrivate(obj.raw) as *const VmGlobal).as_ref()
}

impl Value {
    /// The context of a global object made by [`Ctx::new_vm_global`]; `None` otherwise.
    pub fn vm_global_context(self) -> Option<Ctx> {
        let data = unsafe { vm_global_data(self.as_object()?) }?;
        Some(Ctx(data.context as JSContextRef))
    }
}

impl Ctx {
    /// Checks a script for syntax errors without running it, its first line numbered `line`.
    pub fn check_syntax_at(self, source: &str, source_url: &str, line: i32) -> JsResult<()> {
        let src = JsString::new(source);
        let url = JsString::new(source_url);
        catch(self.0, |e| unsafe { JSCheckScriptSyntax(self.0, src.0, url.0, line, e) })?;
        Ok(())
    }
}

impl Ctx {
    /// Gives this context's group the watchdog that time-limited runs need. The engine
    /// starts its clock only when JS is entered from outside: a watchdog made while JS is
    /// running counts from the next entry. Call before running JS (it also discards code
    /// compiled so far, which lacks the watchdog's checks).
    pub fn enable_time_limits(self) {
        unsafe {
            let group = JSContextGetGroup(self.0);
            if VM_DEADLINES.with(|d| d.borrow().is_empty()) {
                JSContextGroupSetExecutionTimeLimit(group, f64::INFINITY, None, ptr::null_mut());
                JSContextGroupClearExecutionTimeLimit(group);
            }
        }
    }
}
