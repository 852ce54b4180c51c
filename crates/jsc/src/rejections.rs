//! Promise rejection tracking as the engine sees it, including a handler added to a promise
//! that was rejected without one (Node's 'rejectionHandled'), which the C API's
//! unhandled-rejection callback never reports.
//!
//! JSC asks its global object's method table (`GlobalObjectMethodTable`, a struct of
//! function pointers the global object points to) for a `promiseRejectionTracker`; API
//! contexts leave that slot empty. This gives the context's global object a copy of its
//! table with the slot filled. Layout facts (2.50, confirmed by disassembly): the table
//! pointer is at offset 0xd48 of `JSGlobalObject` (a JSContextRef is one), the tracker is
//! slot 10, and the table has 22 slots; each is checked before use.

use crate::sys::*;
use crate::{Ctx, Value};
use std::cell::Cell;
use std::ffi::c_void;
use std::sync::OnceLock;

const METHOD_TABLE_OFFSET: usize = 0xd48;
const TABLE_SLOTS: usize = 22;
const TRACKER_SLOT: usize = 10;
/// Slots the API's table fills, which must point into the engine's library.
const FILLED_SLOTS: [usize; 4] = [0, 1, 2, 4];

/// What happened to a rejected promise.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rejection {
    /// Rejected with no handler.
    Unhandled,
    /// A handler was added after a rejection without one.
    Handled,
}

pub type RejectionTracker = fn(promise: Value, event: Rejection);

thread_local! {
    static TRACKER: Cell<Option<RejectionTracker>> = const { Cell::new(None) };
}

/// The engine's table and the copy with the tracker, shared by every context: (original, copy).
static TABLES: OnceLock<Option<(usize, Box<[usize; TABLE_SLOTS]>)>> = OnceLock::new();

/// `JSPromiseRejectionOperation`: 0 reject, 1 handle.
unsafe extern "C" fn track(global: *mut c_void, promise: *mut c_void, operation: u32) {
    if let Some(tracker) = TRACKER.with(|t| t.get()) {
        let ctx = Ctx::from_raw(global as JSContextRef);
        let event = if operation == 0 { Rejection::Unhandled } else { Rejection::Handled };
        tracker(Value::from_raw(ctx, promise as JSValueRef), event);
    }
}

/// The address range the engine library is loaded at (its loadable segments), found once:
/// `dladdr` per address scans the library's symbol table, which showed at startup.
fn engine_range() -> (usize, usize) {
    static RANGE: OnceLock<(usize, usize)> = OnceLock::new();
    *RANGE.get_or_init(|| unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if libc::dladdr(JSContextGetGlobalObject as *const c_void, &mut info) == 0 {
            return (0, 0);
        }
        let mut range = (info.dli_fbase as usize, 0usize);
        unsafe extern "C" fn visit(object: *mut libc::dl_phdr_info, _: usize, range: *mut c_void) -> libc::c_int {
            let (object, range) = unsafe { (&*object, &mut *(range as *mut (usize, usize))) };
            if object.dlpi_addr as usize != range.0 {
                return 0;
            }
            let headers = unsafe { std::slice::from_raw_parts(object.dlpi_phdr, object.dlpi_phnum as usize) };
            for header in headers.iter().filter(|h| h.p_type == libc::PT_LOAD) {
                range.1 = range.1.max(object.dlpi_addr as usize + (header.p_vaddr + header.p_memsz) as usize);
            }
            1
        }
        libc::dl_iterate_phdr(Some(visit), &mut range as *mut (usize, usize) as *mut c_void);
        range
    })
}

/// Whether `address` lies in the engine library.
fn in_engine(address: usize) -> bool {
    let (start, end) = engine_range();
    address != 0 && address >= start && address < end
}

impl Ctx {
    /// Reports this thread's promise rejections to `tracker` instead of the C API's
    /// unhandled-rejection callback. Returns false, changing nothing, when the engine's
    /// layout is not the known one.
    pub fn track_rejections(self, tracker: RejectionTracker) -> bool {
        unsafe {
            let slot = (self.0 as *mut u8).add(METHOD_TABLE_OFFSET) as *mut *const usize;
            let original = *slot;
            let tables = TABLES.get_or_init(|| {
                if !in_engine(original as usize) || *original.add(TRACKER_SLOT) != 0 {
                    return None;
                }
                if !FILLED_SLOTS.iter().all(|&i| in_engine(*original.add(i))) {
                    return None;
                }
                let mut copy = Box::new([0usize; TABLE_SLOTS]);
                copy.copy_from_slice(std::slice::from_raw_parts(original, TABLE_SLOTS));
                copy[TRACKER_SLOT] = track as *const () as usize;
                Some((original as usize, copy))
            });
            match tables {
                Some((engine_table, copy)) if *engine_table == original as usize => {
                    TRACKER.with(|t| t.set(Some(tracker)));
                    *slot = copy.as_ptr();
                    true
                }
                _ => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rejection;
    use crate::{Context, Value};
    use std::cell::RefCell;

    thread_local! {
        static SEEN: RefCell<Vec<(String, Rejection)>> = const { RefCell::new(Vec::new()) };
    }

    fn record(promise: Value, event: Rejection) {
        let reason = promise.promise_state().map(|(_, r)| r.to_string().unwrap()).unwrap_or_default();
        SEEN.with(|s| s.borrow_mut().push((reason, event)));
    }

    #[test]
    fn rejections_and_late_handlers_are_reported() {
        let context = Context::new();
        let ctx = context.ctx();
        assert!(ctx.track_rejections(record));
        ctx.eval("globalThis.late = Promise.reject('late'); Promise.reject('caught').catch(() => {}); Promise.resolve(1).then(() => {})", "", 1).unwrap();
        ctx.eval("late.catch(() => {})", "", 1).unwrap();
        let seen = SEEN.with(|s| s.take());
        assert_eq!(
            seen,
            [
                ("late".to_string(), Rejection::Unhandled),
                ("caught".to_string(), Rejection::Unhandled),
                ("caught".to_string(), Rejection::Handled),
                ("late".to_string(), Rejection::Handled),
            ]
        );
    }
}
