//! SharedArrayBuffers whose memory the engines of several threads see at once.
//!
//! The C API can only copy bytes or wrap memory as a plain ArrayBuffer, so this reaches
//! into JSC's exported C++ (2.50's layouts, confirmed by disassembly): an `ArrayBuffer`
//! hands out a reference to its `SharedArrayBufferContents` (`ArrayBuffer::shareWith`),
//! the reference crosses threads inside an `ArrayBufferContents` value, and the receiving
//! engine wraps it in a new `ArrayBuffer` and a `JSArrayBuffer` with its own
//! SharedArrayBuffer structure. Every layout read is checked against the C API first;
//! when a check fails the buffer is reported as not shareable instead of misread.

use crate::sys::*;
use crate::{Ctx, JsResult, Object, Value};
use std::ffi::c_void;
use std::ptr;

/// JSC's `ArrayBufferContents`: data, destructor, shared contents, memory handle, size,
/// maximum size, growable flag (56 bytes); zeroed is its empty state.
#[repr(C, align(8))]
struct Contents([usize; 8]);

const CONTENTS_DATA: usize = 0;
const CONTENTS_SHARED: usize = 2;
const CONTENTS_MEMORY_HANDLE: usize = 3;
const CONTENTS_SIZE: usize = 4;

/// Word offsets: `JSArrayBuffer::m_impl` follows the object header (cell + butterfly); an
/// `ArrayBuffer` starts with its refcount and incoming-cells word, then its contents.
const CELL_IMPL: usize = 2;
const BUFFER_CONTENTS: usize = 2;
/// Byte offset of `Structure::m_globalObject`, the realm `JSArrayBuffer::create` reads.
const STRUCTURE_GLOBAL_OBJECT: usize = 0x28;

unsafe extern "C" {
    #[link_name = "_ZN3JSC11ArrayBuffer9shareWithERNS_19ArrayBufferContentsE"]
    fn array_buffer_share_with(buffer: *mut c_void, out: *mut Contents) -> bool;
    #[link_name = "_ZN3JSC19ArrayBufferContents9shareWithERS0_"]
    fn contents_share_with(contents: *const Contents, out: *mut Contents);
    /// Returns `Ref<ArrayBuffer>` through the hidden result slot.
    #[link_name = "_ZN3JSC11ArrayBuffer6createEONS_19ArrayBufferContentsE"]
    fn array_buffer_create(result: *mut *mut c_void, contents: *mut Contents) -> *mut *mut c_void;
    #[link_name = "_ZN3JSC13JSArrayBuffer6createERNS_2VMEPNS_9StructureEON3WTF6RefPtrINS_11ArrayBufferENS5_12RawPtrTraitsIS7_EENS5_21DefaultRefDerefTraitsIS7_EEEE"]
    fn js_array_buffer_create(vm: *mut c_void, structure: *mut c_void, buffer: *mut *mut c_void) -> *mut c_void;
    /// Any structure the global object owns: structures live in one 4 GB-aligned region,
    /// and a cell's structure id is its structure's address within it.
    #[link_name = "_ZN3JSC11ProxyObject18structureForTargetEPNS_14JSGlobalObjectENS_7JSValueE"]
    fn proxy_structure_for_target(global: *const c_void, target: JSValueRef) -> *const c_void;
    /// `JSLockHolder` is one word (a reference to the VM); the C API takes this lock on
    /// every call, and the heap asserts it is held when it allocates.
    #[link_name = "_ZN3JSC12JSLockHolderC1EPNS_2VME"]
    fn lock_holder_new(holder: *mut *mut c_void, vm: *mut c_void);
    #[link_name = "_ZN3JSC12JSLockHolderD1Ev"]
    fn lock_holder_drop(holder: *mut *mut c_void);
}

/// The engine lock, held while engine internals that allocate are called outside any C
/// API call (which would take it): a collection needs the heap's owner to hold it.
pub(crate) struct VmLock(*mut c_void);

impl VmLock {
    pub(crate) fn hold(ctx: Ctx) -> VmLock {
        let mut lock: *mut c_void = ptr::null_mut();
        unsafe { lock_holder_new(&mut lock, JSContextGetGroup(ctx.0) as *mut c_void) };
        VmLock(lock)
    }
}

impl Drop for VmLock {
    fn drop(&mut self) {
        unsafe { lock_holder_drop(&mut self.0) };
    }
}

/// The memory of a SharedArrayBuffer, held while it travels to another thread (or the
/// same one). Each [`Ctx::shared_array_buffer`] makes a new SharedArrayBuffer over it.
pub struct SharedMemory(Contents);

// SAFETY: it holds references on JSC's thread-safe reference-counted shared contents.
unsafe impl Send for SharedMemory {}
unsafe impl Sync for SharedMemory {}

impl Value {
    /// The memory of a SharedArrayBuffer; `None` for anything else (or if this engine's
    /// layout is not the one this module knows).
    pub fn shared_memory(self) -> Option<SharedMemory> {
        let obj = self.as_object()?;
        unsafe {
            if JSValueGetTypedArrayType(self.ctx, self.raw, ptr::null_mut()) != kJSTypedArrayTypeArrayBuffer {
                return None;
            }
            let data = JSObjectGetArrayBufferBytesPtr(self.ctx, obj.raw, ptr::null_mut()) as usize;
            let size = JSObjectGetArrayBufferByteLength(self.ctx, obj.raw, ptr::null_mut());
            let buffer = *(obj.raw as *const *mut c_void).add(CELL_IMPL);
            let contents = (buffer as *const usize).add(BUFFER_CONTENTS);
            if buffer.is_null() || *contents.add(CONTENTS_DATA) != data || *contents.add(CONTENTS_SIZE) != size {
                return None;
            }
            let mut shared = Contents([0; 8]);
            // False for a buffer that is not shared.
            if !array_buffer_share_with(buffer, &mut shared) {
                return None;
            }
            Some(SharedMemory(shared))
        }
    }
}

impl Ctx {
    /// A new SharedArrayBuffer of this context over `memory`.
    pub fn shared_array_buffer(self, memory: &SharedMemory) -> JsResult<Object> {
        let structure = self.shared_array_buffer_structure()?;
        unsafe {
            let vm = JSContextGetGroup(self.0) as *mut c_void;
            let lock = VmLock::hold(self);
            let mut contents = Contents([0; 8]);
            contents_share_with(&memory.0, &mut contents);
            let mut buffer: *mut c_void = ptr::null_mut();
            array_buffer_create(&mut buffer, &mut contents);
            let cell = js_array_buffer_create(vm, structure, &mut buffer);
            // The heap now owns the buffer (the low bit of its first u32, its refcount, says
            // so); give back the creation reference (the count goes in steps of 2). Any other
            // value than one reference plus that bit: leaking one buffer beats a guess.
            let refcount = buffer as *mut u32;
            if *refcount == 3 {
                *refcount = 1;
            }
            drop(lock);
            Ok(Object { ctx: self.0, raw: cell as JSObjectRef })
        }
    }

    /// The structure of this context's SharedArrayBuffers, read from a sample one.
    fn shared_array_buffer_structure(self) -> JsResult<*mut c_void> {
        let sample = self.eval("new SharedArrayBuffer(0)", "", 1)?.expect_object()?;
        unsafe {
            let global = self.0 as *const c_void;
            let any_structure = proxy_structure_for_target(global, sample.raw as JSValueRef) as usize;
            let id = *(sample.raw as *const u32) & !1; // the low bit marks a nuked id
            let structure = ((any_structure & !0xFFFF_FFFF) | id as usize) as *mut c_void;
            if *((structure as *const u8).add(STRUCTURE_GLOBAL_OBJECT) as *const *const c_void) != global {
                return Err(self.error("SharedArrayBuffer cannot be shared between threads by this JavaScriptCore"));
            }
            Ok(structure)
        }
    }
}

impl Drop for SharedMemory {
    /// Gives back the references this value holds, unless one is the last (freeing the
    /// memory takes JSC's own allocator: leaking the rare last one is the safe choice).
    fn drop(&mut self) {
        for slot in [CONTENTS_SHARED, CONTENTS_MEMORY_HANDLE] {
            let object = self.0 .0[slot];
            if object == 0 {
                continue;
            }
            // Thread-safe reference counts are the object's first (atomic) u32.
            let count = unsafe { &*(object as *const std::sync::atomic::AtomicU32) };
            let _ = count.fetch_update(std::sync::atomic::Ordering::AcqRel, std::sync::atomic::Ordering::Acquire, |n| {
                (n > 1).then(|| n - 1)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Context, Ctx, Value};

    fn eval(ctx: Ctx, src: &str) -> Value {
        ctx.eval(src, "test.js", 1).unwrap_or_else(|e| panic!("threw: {}", e.to_string().unwrap()))
    }

    #[test]
    fn shared_array_buffers_share_memory_across_threads() {
        let context = Context::new();
        let ctx = context.ctx();
        let sab = eval(ctx, "globalThis.sab = new SharedArrayBuffer(16); new Int32Array(sab)[0] = 41; sab");
        assert!(eval(ctx, "new ArrayBuffer(8)").shared_memory().is_none());
        assert!(eval(ctx, "new Uint8Array(8)").shared_memory().is_none());
        let memory = sab.shared_memory().expect("a shareable SharedArrayBuffer");
        let seen = std::thread::spawn(move || {
            let context = Context::new();
            let ctx = context.ctx();
            let copy = ctx.shared_array_buffer(&memory).unwrap();
            ctx.global().set("copy", copy.value()).unwrap();
            let seen = eval(ctx, "copy instanceof SharedArrayBuffer && copy.byteLength === 16 && new Int32Array(copy)[0]");
            let seen = seen.to_number().unwrap();
            eval(ctx, "Atomics.add(new Int32Array(copy), 1, 7); copy = null");
            ctx.garbage_collect();
            drop(memory);
            seen
        })
        .join()
        .unwrap();
        assert_eq!(seen, 41.0);
        assert_eq!(eval(ctx, "new Int32Array(sab)[1]").to_number().unwrap(), 7.0);
        // A second SharedArrayBuffer over the same memory, in the same context.
        let again = sab.shared_memory().unwrap();
        ctx.global().set("again", ctx.shared_array_buffer(&again).unwrap().value()).unwrap();
        assert!(eval(ctx, "again !== sab && (new Uint8Array(again)[15] = 9, new Uint8Array(sab)[15] === 9)").to_boolean());
        ctx.garbage_collect();
    }
}
