//! Raw declarations of the JavaScriptCore C API (JSBase.h, JSContextRef.h, JSObjectRef.h,
//! JSStringRef.h, JSTypedArray.h, JSValueRef.h) plus the private exports ferro relies on.
#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals, dead_code)]

use std::os::raw::{c_char, c_int, c_uint, c_void};

#[repr(C)]
pub struct OpaqueJSContextGroup(c_void);
#[repr(C)]
pub struct OpaqueJSContext(c_void);
#[repr(C)]
pub struct OpaqueJSString(c_void);
#[repr(C)]
pub struct OpaqueJSClass(c_void);
#[repr(C)]
pub struct OpaqueJSValue(c_void);
#[repr(C)]
pub struct OpaqueJSPropertyNameArray(c_void);
#[repr(C)]
pub struct OpaqueJSPropertyNameAccumulator(c_void);
#[repr(C)]
pub struct OpaqueJSScript(c_void);

pub type JSContextGroupRef = *const OpaqueJSContextGroup;
pub type JSContextRef = *const OpaqueJSContext;
pub type JSGlobalContextRef = *mut OpaqueJSContext;
pub type JSStringRef = *mut OpaqueJSString;
pub type JSClassRef = *mut OpaqueJSClass;
pub type JSValueRef = *const OpaqueJSValue;
pub type JSObjectRef = *mut OpaqueJSValue;
pub type JSPropertyNameArrayRef = *mut OpaqueJSPropertyNameArray;
pub type JSPropertyNameAccumulatorRef = *mut OpaqueJSPropertyNameAccumulator;
pub type JSScriptRef = *mut OpaqueJSScript;
pub type JSChar = u16;

pub type JSType = c_uint;
pub const kJSTypeUndefined: JSType = 0;
pub const kJSTypeNull: JSType = 1;
pub const kJSTypeBoolean: JSType = 2;
pub const kJSTypeNumber: JSType = 3;
pub const kJSTypeString: JSType = 4;
pub const kJSTypeObject: JSType = 5;
pub const kJSTypeSymbol: JSType = 6;
pub const kJSTypeBigInt: JSType = 7;

pub type JSTypedArrayType = c_uint;
pub const kJSTypedArrayTypeInt8Array: JSTypedArrayType = 0;
pub const kJSTypedArrayTypeUint8Array: JSTypedArrayType = 3;
pub const kJSTypedArrayTypeFloat64Array: JSTypedArrayType = 8;
pub const kJSTypedArrayTypeArrayBuffer: JSTypedArrayType = 9;
pub const kJSTypedArrayTypeNone: JSTypedArrayType = 10;

pub type JSPropertyAttributes = c_uint;
pub const kJSPropertyAttributeNone: JSPropertyAttributes = 0;
pub const kJSPropertyAttributeReadOnly: JSPropertyAttributes = 1 << 1;
pub const kJSPropertyAttributeDontEnum: JSPropertyAttributes = 1 << 2;
pub const kJSPropertyAttributeDontDelete: JSPropertyAttributes = 1 << 3;

pub type JSClassAttributes = c_uint;
pub const kJSClassAttributeNone: JSClassAttributes = 0;
pub const kJSClassAttributeNoAutomaticPrototype: JSClassAttributes = 1 << 1;

pub type JSObjectInitializeCallback = Option<unsafe extern "C" fn(JSContextRef, JSObjectRef)>;
pub type JSObjectFinalizeCallback = Option<unsafe extern "C" fn(JSObjectRef)>;
pub type JSObjectCallAsFunctionCallback = Option<
    unsafe extern "C" fn(
        ctx: JSContextRef,
        function: JSObjectRef,
        this: JSObjectRef,
        argc: usize,
        argv: *const JSValueRef,
        exception: *mut JSValueRef,
    ) -> JSValueRef,
>;
pub type JSObjectCallAsConstructorCallback = Option<
    unsafe extern "C" fn(
        ctx: JSContextRef,
        constructor: JSObjectRef,
        argc: usize,
        argv: *const JSValueRef,
        exception: *mut JSValueRef,
    ) -> JSObjectRef,
>;
pub type JSTypedArrayBytesDeallocator = Option<unsafe extern "C" fn(bytes: *mut c_void, context: *mut c_void)>;
type Unused = Option<unsafe extern "C" fn()>;
pub type JSObjectHasPropertyCallback = Option<unsafe extern "C" fn(ctx: JSContextRef, o: JSObjectRef, name: JSStringRef) -> bool>;
pub type JSObjectGetPropertyCallback = Option<
    unsafe extern "C" fn(ctx: JSContextRef, o: JSObjectRef, name: JSStringRef, exception: *mut JSValueRef) -> JSValueRef,
>;
pub type JSObjectSetPropertyCallback = Option<
    unsafe extern "C" fn(ctx: JSContextRef, o: JSObjectRef, name: JSStringRef, v: JSValueRef, exception: *mut JSValueRef) -> bool,
>;
pub type JSObjectDeletePropertyCallback =
    Option<unsafe extern "C" fn(ctx: JSContextRef, o: JSObjectRef, name: JSStringRef, exception: *mut JSValueRef) -> bool>;
pub type JSObjectGetPropertyNamesCallback =
    Option<unsafe extern "C" fn(ctx: JSContextRef, o: JSObjectRef, names: JSPropertyNameAccumulatorRef)>;

#[repr(C)]
pub struct JSClassDefinition {
    pub version: c_int,
    pub attributes: JSClassAttributes,
    pub className: *const c_char,
    pub parentClass: JSClassRef,
    pub staticValues: *const c_void,
    pub staticFunctions: *const c_void,
    pub initialize: JSObjectInitializeCallback,
    pub finalize: JSObjectFinalizeCallback,
    pub hasProperty: JSObjectHasPropertyCallback,
    pub getProperty: JSObjectGetPropertyCallback,
    pub setProperty: JSObjectSetPropertyCallback,
    pub deleteProperty: JSObjectDeletePropertyCallback,
    pub getPropertyNames: JSObjectGetPropertyNamesCallback,
    pub callAsFunction: JSObjectCallAsFunctionCallback,
    pub callAsConstructor: JSObjectCallAsConstructorCallback,
    pub hasInstance: Unused,
    pub convertToType: Unused,
}

impl JSClassDefinition {
    pub const EMPTY: JSClassDefinition = JSClassDefinition {
        version: 0,
        attributes: kJSClassAttributeNone,
        className: std::ptr::null(),
        parentClass: std::ptr::null_mut(),
        staticValues: std::ptr::null(),
        staticFunctions: std::ptr::null(),
        initialize: None,
        finalize: None,
        hasProperty: None,
        getProperty: None,
        setProperty: None,
        deleteProperty: None,
        getPropertyNames: None,
        callAsFunction: None,
        callAsConstructor: None,
        hasInstance: None,
        convertToType: None,
    };
}

#[link(name = "javascriptcoregtk-4.1")]
extern "C" {
    // JSBase.h
    pub fn JSEvaluateScript(
        ctx: JSContextRef,
        script: JSStringRef,
        this: JSObjectRef,
        source_url: JSStringRef,
        starting_line: c_int,
        exception: *mut JSValueRef,
    ) -> JSValueRef;
    pub fn JSCheckScriptSyntax(
        ctx: JSContextRef,
        script: JSStringRef,
        source_url: JSStringRef,
        starting_line: c_int,
        exception: *mut JSValueRef,
    ) -> bool;
    pub fn JSGarbageCollect(ctx: JSContextRef);

    // JSContextRef.h
    pub fn JSContextGroupCreate() -> JSContextGroupRef;
    pub fn JSContextGroupRelease(group: JSContextGroupRef);
    pub fn JSGlobalContextCreateInGroup(group: JSContextGroupRef, global_class: JSClassRef) -> JSGlobalContextRef;
    pub fn JSGlobalContextRelease(ctx: JSGlobalContextRef);
    pub fn JSContextGetGlobalObject(ctx: JSContextRef) -> JSObjectRef;
    pub fn JSContextGetGlobalContext(ctx: JSContextRef) -> JSGlobalContextRef;
    pub fn JSContextGetGroup(ctx: JSContextRef) -> JSContextGroupRef;
    // JSContextRefPrivate.h: the watchdog, the only way to stop JS that never yields.
    pub fn JSContextGroupSetExecutionTimeLimit(
        group: JSContextGroupRef,
        limit: f64,
        callback: Option<unsafe extern "C" fn(ctx: JSContextRef, context: *mut c_void) -> bool>,
        context: *mut c_void,
    );

    // JSValueRef.h
    pub fn JSValueGetType(ctx: JSContextRef, v: JSValueRef) -> JSType;
    pub fn JSValueIsUndefined(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueIsNull(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueIsBoolean(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueIsNumber(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueIsString(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueIsObject(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueIsArray(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueIsObjectOfClass(ctx: JSContextRef, v: JSValueRef, class: JSClassRef) -> bool;
    pub fn JSValueIsStrictEqual(ctx: JSContextRef, a: JSValueRef, b: JSValueRef) -> bool;
    pub fn JSValueGetTypedArrayType(ctx: JSContextRef, v: JSValueRef, exception: *mut JSValueRef) -> JSTypedArrayType;
    pub fn JSValueMakeUndefined(ctx: JSContextRef) -> JSValueRef;
    pub fn JSValueMakeNull(ctx: JSContextRef) -> JSValueRef;
    pub fn JSValueMakeBoolean(ctx: JSContextRef, b: bool) -> JSValueRef;
    pub fn JSValueMakeNumber(ctx: JSContextRef, n: f64) -> JSValueRef;
    pub fn JSValueMakeString(ctx: JSContextRef, s: JSStringRef) -> JSValueRef;
    pub fn JSValueMakeFromJSONString(ctx: JSContextRef, s: JSStringRef) -> JSValueRef;
    pub fn JSValueCreateJSONString(ctx: JSContextRef, v: JSValueRef, indent: c_uint, exception: *mut JSValueRef) -> JSStringRef;
    pub fn JSValueToBoolean(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueToNumber(ctx: JSContextRef, v: JSValueRef, exception: *mut JSValueRef) -> f64;
    pub fn JSValueToStringCopy(ctx: JSContextRef, v: JSValueRef, exception: *mut JSValueRef) -> JSStringRef;
    pub fn JSValueToObject(ctx: JSContextRef, v: JSValueRef, exception: *mut JSValueRef) -> JSObjectRef;
    pub fn JSValueProtect(ctx: JSContextRef, v: JSValueRef);
    pub fn JSValueUnprotect(ctx: JSContextRef, v: JSValueRef);

    // JSObjectRef.h
    pub fn JSClassCreate(definition: *const JSClassDefinition) -> JSClassRef;
    pub fn JSClassRelease(class: JSClassRef);
    pub fn JSObjectMake(ctx: JSContextRef, class: JSClassRef, data: *mut c_void) -> JSObjectRef;
    pub fn JSObjectMakeFunctionWithCallback(
        ctx: JSContextRef,
        name: JSStringRef,
        callback: JSObjectCallAsFunctionCallback,
    ) -> JSObjectRef;
    pub fn JSObjectMakeArray(ctx: JSContextRef, argc: usize, argv: *const JSValueRef, exception: *mut JSValueRef) -> JSObjectRef;
    pub fn JSObjectMakeError(ctx: JSContextRef, argc: usize, argv: *const JSValueRef, exception: *mut JSValueRef) -> JSObjectRef;
    pub fn JSObjectMakeDeferredPromise(
        ctx: JSContextRef,
        resolve: *mut JSObjectRef,
        reject: *mut JSObjectRef,
        exception: *mut JSValueRef,
    ) -> JSObjectRef;
    pub fn JSObjectGetPrototype(ctx: JSContextRef, o: JSObjectRef) -> JSValueRef;
    pub fn JSObjectSetPrototype(ctx: JSContextRef, o: JSObjectRef, proto: JSValueRef);
    pub fn JSObjectHasProperty(ctx: JSContextRef, o: JSObjectRef, name: JSStringRef) -> bool;
    pub fn JSObjectGetProperty(ctx: JSContextRef, o: JSObjectRef, name: JSStringRef, exception: *mut JSValueRef) -> JSValueRef;
    pub fn JSObjectSetProperty(
        ctx: JSContextRef,
        o: JSObjectRef,
        name: JSStringRef,
        v: JSValueRef,
        attributes: JSPropertyAttributes,
        exception: *mut JSValueRef,
    );
    pub fn JSObjectDeleteProperty(ctx: JSContextRef, o: JSObjectRef, name: JSStringRef, exception: *mut JSValueRef) -> bool;
    pub fn JSObjectGetPropertyAtIndex(ctx: JSContextRef, o: JSObjectRef, index: c_uint, exception: *mut JSValueRef) -> JSValueRef;
    pub fn JSObjectSetPropertyAtIndex(ctx: JSContextRef, o: JSObjectRef, index: c_uint, v: JSValueRef, exception: *mut JSValueRef);
    pub fn JSObjectGetPrivate(o: JSObjectRef) -> *mut c_void;
    pub fn JSObjectSetPrivate(o: JSObjectRef, data: *mut c_void) -> bool;
    pub fn JSObjectIsFunction(ctx: JSContextRef, o: JSObjectRef) -> bool;
    pub fn JSObjectCallAsFunction(
        ctx: JSContextRef,
        f: JSObjectRef,
        this: JSObjectRef,
        argc: usize,
        argv: *const JSValueRef,
        exception: *mut JSValueRef,
    ) -> JSValueRef;
    pub fn JSObjectCallAsConstructor(
        ctx: JSContextRef,
        f: JSObjectRef,
        argc: usize,
        argv: *const JSValueRef,
        exception: *mut JSValueRef,
    ) -> JSObjectRef;
    pub fn JSObjectCopyPropertyNames(ctx: JSContextRef, o: JSObjectRef) -> JSPropertyNameArrayRef;
    pub fn JSPropertyNameArrayRelease(names: JSPropertyNameArrayRef);
    pub fn JSPropertyNameArrayGetCount(names: JSPropertyNameArrayRef) -> usize;
    pub fn JSPropertyNameArrayGetNameAtIndex(names: JSPropertyNameArrayRef, index: usize) -> JSStringRef;

    // JSStringRef.h
    pub fn JSStringCreateWithCharacters(chars: *const JSChar, len: usize) -> JSStringRef;
    pub fn JSStringCreateWithUTF8CString(s: *const c_char) -> JSStringRef;
    pub fn JSStringRelease(s: JSStringRef);
    pub fn JSStringGetLength(s: JSStringRef) -> usize;
    pub fn JSStringGetCharactersPtr(s: JSStringRef) -> *const JSChar;
    pub fn JSStringGetUTF8CString(s: JSStringRef, buffer: *mut c_char, buffer_size: usize) -> usize;

    // JSTypedArray.h
    pub fn JSObjectMakeTypedArray(ctx: JSContextRef, kind: JSTypedArrayType, len: usize, exception: *mut JSValueRef) -> JSObjectRef;
    pub fn JSObjectMakeTypedArrayWithBytesNoCopy(
        ctx: JSContextRef,
        kind: JSTypedArrayType,
        bytes: *mut c_void,
        byte_len: usize,
        dealloc: JSTypedArrayBytesDeallocator,
        dealloc_ctx: *mut c_void,
        exception: *mut JSValueRef,
    ) -> JSObjectRef;
    pub fn JSObjectGetTypedArrayBytesPtr(ctx: JSContextRef, o: JSObjectRef, exception: *mut JSValueRef) -> *mut c_void;
    pub fn JSObjectGetTypedArrayByteLength(ctx: JSContextRef, o: JSObjectRef, exception: *mut JSValueRef) -> usize;
    pub fn JSObjectGetTypedArrayByteOffset(ctx: JSContextRef, o: JSObjectRef, exception: *mut JSValueRef) -> usize;
    pub fn JSObjectMakeArrayBufferWithBytesNoCopy(
        ctx: JSContextRef,
        bytes: *mut c_void,
        byte_len: usize,
        dealloc: JSTypedArrayBytesDeallocator,
        dealloc_ctx: *mut c_void,
        exception: *mut JSValueRef,
    ) -> JSObjectRef;
    pub fn JSObjectGetArrayBufferBytesPtr(ctx: JSContextRef, o: JSObjectRef, exception: *mut JSValueRef) -> *mut c_void;
    pub fn JSObjectGetArrayBufferByteLength(ctx: JSContextRef, o: JSObjectRef, exception: *mut JSValueRef) -> usize;

    // Exported but absent from the public headers (prototypes from WebKit's source).
    pub fn JSLock(ctx: JSContextRef);
    pub fn JSUnlock(ctx: JSContextRef);
    pub fn JSGlobalContextSetUnhandledRejectionCallback(ctx: JSGlobalContextRef, function: JSObjectRef, exception: *mut JSValueRef);
    pub fn JSObjectGetProxyTarget(o: JSObjectRef) -> JSObjectRef;
    pub fn JSGetMemoryUsageStatistics(ctx: JSContextRef) -> JSObjectRef;
    pub fn JSValueIsBigInt(ctx: JSContextRef, v: JSValueRef) -> bool;
    pub fn JSValueIsSymbol(ctx: JSContextRef, v: JSValueRef) -> bool;

    // JSC::Options, for engine features off by default in this embedding.
    #[link_name = "_ZN3JSC7Options10initializeEv"]
    pub fn JSC_Options_initialize();
    #[link_name = "_ZN3JSC7Options10setOptionsEPKc"]
    pub fn JSC_Options_setOptions(options: *const c_char) -> bool;

    // C++ members of JSC::JSPromise. Their VM& argument is unused (checked by disassembly of
    // the 2.50 build); they read the promise's internal fields.
    #[link_name = "_ZNK3JSC9JSPromise6statusERNS_2VME"]
    pub fn JSC_JSPromise_status(promise: *const c_void, vm: *mut c_void) -> c_uint;
    #[link_name = "_ZNK3JSC9JSPromise6resultERNS_2VME"]
    pub fn JSC_JSPromise_result(promise: *const c_void, vm: *mut c_void) -> JSValueRef;

    // The signal JSC suspends its threads with for GC (SIGUSR1 unless configured before
    // the engine starts).
    pub fn JSConfigureSignalForGC(signal: c_int);

    // node:vm contexts: property forwarding from a global object and its time limit.
    pub fn JSPropertyNameAccumulatorAddName(names: JSPropertyNameAccumulatorRef, name: JSStringRef);
    pub fn JSContextGroupClearExecutionTimeLimit(group: JSContextGroupRef);
    pub fn JSGlobalContextRetain(ctx: JSGlobalContextRef) -> JSGlobalContextRef;

    // Worker heap limits: the size of a VM's heap (its `JSC::Heap` sits at a fixed offset
    // in the VM, checked against JSGetMemoryUsageStatistics before use) and a full GC.
    #[link_name = "_ZN3JSC4Heap4sizeEv"]
    pub fn JSC_Heap_size(heap: *mut c_void) -> usize;
    #[link_name = "_ZN3JSC4Heap15extraMemorySizeEv"]
    pub fn JSC_Heap_extraMemorySize(heap: *mut c_void) -> usize;
    pub fn JSSynchronousGarbageCollectForDebugging(ctx: JSContextRef);

    // Draining the microtask queue inside one VM entry (see Ctx::drain_microtasks).
    #[link_name = "_ZN3JSC12VMEntryScope9setUpSlowEv"]
    pub fn JSC_VMEntryScope_setUpSlow(scope: *mut c_void);
    #[link_name = "_ZN3JSC12VMEntryScope12tearDownSlowEv"]
    pub fn JSC_VMEntryScope_tearDownSlow(scope: *mut c_void);
    #[link_name = "_ZN3JSC2VM15drainMicrotasksEv"]
    pub fn JSC_VM_drainMicrotasks(vm: *mut c_void);
}

// GLib main contexts: the engine's run loop for a thread (the GTK port's RunLoop) runs on the
// thread-default context it finds when it is made.
unsafe extern "C" {
    pub fn g_main_context_new() -> *mut c_void;
    pub fn g_main_context_push_thread_default(context: *mut c_void);
    pub fn g_main_context_iteration(context: *mut c_void, may_block: c_int) -> c_int;
    /// Makes the calling thread's run loop the main one (which the engine's memory-pressure
    /// handling, reached from its full-collection timer, expects to exist).
    #[link_name = "_ZN3WTF7RunLoop14initializeMainEv"]
    pub fn WTF_RunLoop_initializeMain();
}
