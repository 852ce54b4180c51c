//! The bytes of typed arrays, DataViews and ArrayBuffers read straight from the engine's
//! objects.
//!
//! Through the C API, finding a view's bytes takes four calls, each taking the engine
//! lock, and the first call on a small array also moves its contents into a new
//! ArrayBuffer. A `JSArrayBufferView` (2.50, x86-64) holds after its object header the
//! pointer to its first byte (word 2), its length in elements (word 3, bytes for a
//! DataView) and, at byte 40, its mode. Views of resizable or growable buffers work out
//! their length on each access, so only the modes of fixed-length views are read here;
//! a detached view holds a null pointer and length 0. A small array made without a buffer
//! keeps its contents in the heap's own storage until its buffer is asked for, which moves
//! them; its first read goes through the C API, which moves them right away, so that the
//! bytes an op is handed stay where they are for the life of the view (as they always
//! did). Which cell types are views, their element sizes, the fixed-length modes and the
//! modes whose contents move are learnt once per process from sample views
//! whose contents are known, and checked against the C API; when a check fails, or for
//! any other object, the C API is used.
//!
//! A `JSArrayBuffer` holds its `ArrayBuffer` at word 2, whose contents start at its word 2:
//! data pointer, then at word 6 the size and at word 8 a flag set for resizable and
//! growable buffers (whose size is read through the C API).

use crate::sys::*;
use crate::{Ctx, Object, Value};
use std::sync::OnceLock;

const WORD_VECTOR: usize = 2;
const WORD_LENGTH: usize = 3;
const MODE_OFFSET: usize = 40;
/// Byte 5 of a cell header is its JSType.
const TYPE_OFFSET: usize = 5;
const NOT_A_VIEW: u8 = u8::MAX;
const WORD_BUFFER_IMPL: usize = 2;
const BUFFER_WORD_DATA: usize = 2;
const BUFFER_WORD_SIZE: usize = 6;
const BUFFER_WORD_RESIZABLE: usize = 8;

struct Layout {
    /// log2 of the element size of each view cell type; `NOT_A_VIEW` for other types.
    element_shift: [u8; 256],
    /// The modes of fixed-length views.
    fixed_length_mode: [bool; 256],
    /// The cell type of ArrayBuffers and SharedArrayBuffers.
    buffer_type: u8,
}

static LAYOUT: OnceLock<Option<Layout>> = OnceLock::new();

/// The start and byte length of a fixed-length view's or buffer's bytes; `None` for anything
/// else (other objects, resizable buffers and their views, or an engine whose layout is not
/// this one).
pub(crate) fn view_bytes(ctx: Ctx, raw: JSValueRef) -> Option<(*mut u8, usize)> {
    if !crate::encoding::known(ctx) || !crate::encoding::is_cell(raw as u64) {
        return None;
    }
    let layout = LAYOUT.get_or_init(|| unsafe { learn(ctx) }).as_ref()?;
    unsafe { read(layout, raw) }
}

unsafe fn read(layout: &Layout, raw: JSValueRef) -> Option<(*mut u8, usize)> {
    let cell = raw as *const u8;
    let words = raw as *const usize;
    let cell_type = *cell.add(TYPE_OFFSET);
    if cell_type == layout.buffer_type {
        let buffer = *words.add(WORD_BUFFER_IMPL) as *const usize;
        if buffer.is_null() || *(buffer.add(BUFFER_WORD_RESIZABLE) as *const u8) != 0 {
            return None;
        }
        return Some((*buffer.add(BUFFER_WORD_DATA) as *mut u8, *buffer.add(BUFFER_WORD_SIZE)));
    }
    let shift = layout.element_shift[cell_type as usize];
    if shift == NOT_A_VIEW || !layout.fixed_length_mode[*cell.add(MODE_OFFSET) as usize] {
        return None;
    }
    Some((*words.add(WORD_VECTOR) as *mut u8, *words.add(WORD_LENGTH) << shift))
}

/// Sample views over memory whose byte at buffer index `i` is `(i * 13 + seed) & 255`:
/// `[view, byteOffset, byteLength, seed, bytesPerElement]` for fixed-length views (small
/// ones made without a buffer among them), then detached views, views that must not be
/// read directly, objects that are neither views nor buffers, `[buffer, seed]` for
/// fixed-size buffers, and last detached and resizable buffers.
const SAMPLES: &str = r#"(() => {
  const byte = (i, seed) => (i * 13 + seed) & 255;
  const filled = (n, seed) => { const b = new ArrayBuffer(n); const u = new Uint8Array(b); for (let i = 0; i < n; i++) u[i] = byte(i, seed); return b; };
  const fixed = [];
  const small = new Uint8Array(8); for (let i = 0; i < 8; i++) small[i] = byte(i, 1);
  const big = new Uint8Array(3000); for (let i = 0; i < 3000; i++) big[i] = byte(i, 2);
  const words = new Int32Array(3); for (let k = 0; k < 3; k++) words[k] = byte(4 * k, 3) | byte(4 * k + 1, 3) << 8 | byte(4 * k + 2, 3) << 16 | byte(4 * k + 3, 3) << 24;
  fixed.push([small, 0, 8, 1, 1], [big, 0, 3000, 2, 1], [words, 0, 12, 3, 4]);
  const kinds = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
    'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
  kinds.forEach((name, seed) => {
    const C = globalThis[name];
    if (typeof C === 'function') fixed.push([new C(filled(64, seed + 4), 8, 3), 8, 3 * C.BYTES_PER_ELEMENT, seed + 4, C.BYTES_PER_ELEMENT]);
  });
  fixed.push([new DataView(filled(64, 20), 3, 21), 3, 21, 20, 1]);
  fixed.push([new Uint8Array(new SharedArrayBuffer(16)), 0, 16, 0, 1]);
  new Uint8Array(fixed[fixed.length - 1][0].buffer).forEach((_, i, u) => { u[i] = byte(i, 0); });
  const detached = [];
  if (typeof ArrayBuffer.prototype.transfer === 'function') {
    const b = filled(16, 21);
    detached.push(new Uint8Array(b, 4), new DataView(b, 2));
    b.transfer();
  }
  const resizable = [];
  try {
    const r = () => new ArrayBuffer(8, { maxByteLength: 16 });
    resizable.push(new Uint8Array(r()), new Uint8Array(r(), 2, 3), new Float64Array(r()), new DataView(r()), new DataView(r(), 1, 2));
    resizable.push(new Uint8Array(new SharedArrayBuffer(8, { maxByteLength: 16 })));
  } catch {}
  const others = [{}, [], function () {}, 'a string', Symbol(), 12n, new Proxy(new Uint8Array(2), {}), new Map(),
    Object.create(Uint8Array.prototype), Object.create(ArrayBuffer.prototype), new Date(0)];
  const shared = new SharedArrayBuffer(24);
  new Uint8Array(shared).forEach((_, i, u) => { u[i] = byte(i, 22); });
  const buffers = [[filled(40, 23), 23], [shared, 22], [filled(0, 0), 0]];
  const detachedBuffer = filled(8, 0);
  const otherBuffers = [detachedBuffer];
  if (typeof detachedBuffer.transfer === 'function') detachedBuffer.transfer();
  try {
    otherBuffers.push(new ArrayBuffer(8, { maxByteLength: 16 }), new SharedArrayBuffer(8, { maxByteLength: 16 }));
  } catch {}
  return [fixed, detached, resizable, others, buffers, otherBuffers];
})()"#;

fn item(array: Object, i: u32) -> Option<Value> {
    array.get_index(i).ok()
}

fn list(array: Object) -> Option<Vec<Value>> {
    let len = array.get("length").ok()?.to_number().ok()? as u32;
    (0..len).map(|i| item(array, i)).collect()
}

unsafe fn cell_byte(value: Value, offset: usize) -> Option<u8> {
    crate::encoding::is_cell(value.raw as u64).then(|| *(value.raw as *const u8).add(offset))
}

/// Learns the layout from the samples; `None` if any of them reads otherwise than expected.
unsafe fn learn(ctx: Ctx) -> Option<Layout> {
    let samples = ctx.eval(SAMPLES, "", 1).ok()?.as_object()?;
    let group = |i| item(samples, i).and_then(|v| v.as_object()).and_then(list);
    let (fixed, detached, resizable, others) = (group(0)?, group(1)?, group(2)?, group(3)?);
    let (buffers, other_buffers) = (group(4)?, group(5)?);
    let buffer_type = cell_byte(item(buffers.first()?.as_object()?, 0)?, TYPE_OFFSET)?;
    let mut layout = Layout { element_shift: [NOT_A_VIEW; 256], fixed_length_mode: [false; 256], buffer_type };
    let mut moving_modes = Vec::new();
    for entry in &fixed {
        let entry = list(entry.as_object()?)?;
        let number = |i: usize| entry.get(i).and_then(|v| v.to_number().ok()).map(|n| n as usize);
        let (view, offset, len, seed, size) = (*entry.first()?, number(1)?, number(2)?, number(3)?, number(4)?);
        let cell_type = cell_byte(view, TYPE_OFFSET)? as usize;
        let shift = size.trailing_zeros() as u8;
        if !size.is_power_of_two() || ![NOT_A_VIEW, shift].contains(&layout.element_shift[cell_type]) {
            return None;
        }
        layout.element_shift[cell_type] = shift;
        let mode = cell_byte(view, MODE_OFFSET)? as usize;
        layout.fixed_length_mode[mode] = true;
        let expected: Vec<u8> = (offset..offset + len).map(|i| ((i * 13 + seed) & 255) as u8).collect();
        if !reads_as(&layout, view, &expected) {
            return None;
        }
        let start_before = read(&layout, view.raw)?.0;
        // The C API agrees. On a small array made without a buffer it first moves the
        // contents into a new ArrayBuffer (another mode): the pointer it then hands out
        // stays valid as long as the view, which ops holding a view across calls rely on.
        // Modes whose contents move that way are left to the C API.
        if JSValueGetTypedArrayType(ctx.0, view.raw, std::ptr::null_mut()) != kJSTypedArrayTypeNone {
            let object = view.raw as JSObjectRef;
            let start = JSObjectGetTypedArrayBytesPtr(ctx.0, object, std::ptr::null_mut()) as *mut u8;
            let start = start.add(JSObjectGetTypedArrayByteOffset(ctx.0, object, std::ptr::null_mut()));
            let api_len = JSObjectGetTypedArrayByteLength(ctx.0, object, std::ptr::null_mut());
            layout.fixed_length_mode[cell_byte(view, MODE_OFFSET)? as usize] = true;
            if read(&layout, view.raw) != Some((start, api_len)) || !reads_as(&layout, view, &expected) {
                return None;
            }
            if start != start_before {
                moving_modes.push(mode);
            }
        }
    }
    for mode in moving_modes {
        layout.fixed_length_mode[mode] = false;
    }
    if layout.element_shift[buffer_type as usize] != NOT_A_VIEW {
        return None;
    }
    for entry in &buffers {
        let entry = list(entry.as_object()?)?;
        let (buffer, seed) = (*entry.first()?, entry.get(1)?.to_number().ok()? as usize);
        let object = buffer.raw as JSObjectRef;
        let api_len = JSObjectGetArrayBufferByteLength(ctx.0, object, std::ptr::null_mut());
        let api_start = JSObjectGetArrayBufferBytesPtr(ctx.0, object, std::ptr::null_mut()) as *mut u8;
        let expected: Vec<u8> = (0..api_len).map(|i| ((i * 13 + seed) & 255) as u8).collect();
        let read_len = read(&layout, buffer.raw).filter(|&(start, _)| start == api_start)?.1;
        if cell_byte(buffer, TYPE_OFFSET)? != buffer_type || read_len != api_len || (api_len > 0 && !reads_as(&layout, buffer, &expected)) {
            return None;
        }
    }
    // Memory the engine did not allocate is read where it is.
    let outside = vec![5u8; 24];
    let outside_start = outside.as_ptr() as *mut u8;
    let wrapped = ctx.uint8_array(outside).ok()?;
    let outside_buffer = vec![6u8; 12];
    let outside_buffer_start = outside_buffer.as_ptr() as *mut u8;
    let wrapped_buffer = ctx.array_buffer(outside_buffer).ok()?;
    let (detached_buffer, resizable_buffers) = other_buffers.split_first()?;
    let all_known = read(&layout, wrapped.raw as JSValueRef) == Some((outside_start, 24))
        && read(&layout, wrapped_buffer.raw as JSValueRef) == Some((outside_buffer_start, 12))
        && detached.iter().all(|v| read(&layout, v.raw).is_some_and(|(_, len)| len == 0))
        && read(&layout, detached_buffer.raw).is_some_and(|(_, len)| len == 0 || !has_transfer(ctx))
        && resizable.iter().chain(resizable_buffers).all(|v| read(&layout, v.raw).is_none())
        && others.iter().all(|v| cell_byte(*v, TYPE_OFFSET).is_none_or(|t| t != buffer_type && layout.element_shift[t as usize] == NOT_A_VIEW));
    all_known.then_some(layout)
}

fn has_transfer(ctx: Ctx) -> bool {
    ctx.eval("typeof ArrayBuffer.prototype.transfer === 'function'", "", 1).is_ok_and(|v| v.to_boolean())
}

unsafe fn reads_as(layout: &Layout, view: Value, expected: &[u8]) -> bool {
    match read(layout, view.raw) {
        Some((start, len)) => len == expected.len() && !start.is_null() && std::slice::from_raw_parts(start, len) == expected,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Context;

    fn eval(ctx: Ctx, src: &str) -> Value {
        ctx.eval(src, "views-test.js", 1).unwrap_or_else(|e| panic!("threw: {}", e.to_string().unwrap()))
    }

    #[test]
    fn the_layout_is_learnt_on_this_engine() {
        let context = Context::new();
        let ctx = context.ctx();
        assert!(view_bytes(ctx, eval(ctx, "new Uint8Array(new ArrayBuffer(4))").raw).is_some());
        assert!(LAYOUT.get().unwrap().is_some());
        // A small array is read directly once the C API has given it a buffer.
        let small = eval(ctx, "new Uint8Array(4)");
        assert!(view_bytes(ctx, small.raw).is_none());
        assert_eq!(small.bytes().map(|b| b.len()), Some(4));
        assert!(view_bytes(ctx, small.raw).is_some());
    }

    #[test]
    fn views_read_their_own_bytes() {
        let context = Context::new();
        let ctx = context.ctx();
        eval(ctx, "globalThis.b = new ArrayBuffer(16); new Uint8Array(b).forEach((_, i, u) => { u[i] = i })");
        let cases: [(&str, &[u8]); 9] = [
            ("new Uint8Array([1, 2, 3])", &[1, 2, 3]),
            ("new Uint8Array(b, 3, 4)", &[3, 4, 5, 6]),
            ("new Uint8Array(b).subarray(10)", &[10, 11, 12, 13, 14, 15]),
            ("new Uint8Array(b).subarray(2, 2)", &[]),
            ("new Uint16Array(b, 4, 2)", &[4, 5, 6, 7]),
            ("new Float64Array(b, 8)", &[8, 9, 10, 11, 12, 13, 14, 15]),
            ("new DataView(b, 1, 3)", &[1, 2, 3]),
            ("Object.setPrototypeOf(new Uint8Array(b, 15), Object.create(Uint8Array.prototype))", &[15]),
            ("new Uint8Array(0)", &[]),
        ];
        for (source, expected) in cases {
            assert_eq!(eval(ctx, source).bytes().as_deref(), Some(expected), "{source}");
        }
        // Writes go to the engine's memory.
        let view = eval(ctx, "globalThis.v = new Uint8Array(4); v");
        view.bytes().unwrap().copy_from_slice(&[9, 8, 7, 6]);
        assert_eq!(eval(ctx, "v.join()").to_string().unwrap(), "9,8,7,6");
    }

    #[test]
    fn the_bytes_of_a_small_array_stay_put() {
        let context = Context::new();
        let ctx = context.ctx();
        let small = eval(ctx, "globalThis.small = new Uint8Array([1, 2, 3]); small");
        let start = small.bytes().unwrap().as_ptr();
        eval(ctx, "small.buffer; small.subarray(1).buffer");
        assert_eq!(small.bytes().unwrap().as_ptr(), start);
        assert_eq!(small.bytes().as_deref(), Some(&[1, 2, 3][..]));
    }

    #[test]
    fn detached_resizable_and_other_values() {
        let context = Context::new();
        let ctx = context.ctx();
        let detached = eval(ctx, "const d = new ArrayBuffer(8); const dv = new Uint8Array(d, 2); d.transfer(); dv");
        assert_eq!(detached.bytes().map(|b| b.len()), Some(0));
        // Views of resizable buffers go through the C API, which tracks their length.
        let growing = eval(ctx, "globalThis.r = new ArrayBuffer(4, { maxByteLength: 8 }); globalThis.rv = new Uint8Array(r); rv");
        assert_eq!(growing.bytes().map(|b| b.len()), Some(4));
        eval(ctx, "r.resize(6); rv[5] = 1");
        assert_eq!(growing.bytes().as_deref(), Some(&[0, 0, 0, 0, 0, 1][..]));
        let growing_buffer = eval(ctx, "r");
        assert_eq!(growing_buffer.bytes().map(|b| b.len()), Some(6));
        eval(ctx, "r.resize(2)");
        assert_eq!(growing_buffer.bytes().map(|b| b.len()), Some(2));
        assert_eq!(eval(ctx, "const ab = new ArrayBuffer(3); new Uint8Array(ab)[2] = 7; ab").bytes().as_deref(), Some(&[0, 0, 7][..]));
        assert_eq!(eval(ctx, "new ArrayBuffer(0)").bytes().map(|b| b.len()), Some(0));
        let detached_buffer = eval(ctx, "const gone = new ArrayBuffer(8); gone.transfer(); gone");
        assert_eq!(detached_buffer.bytes().map(|b| b.len()), Some(0));
        let shared = eval(ctx, "globalThis.sab = new SharedArrayBuffer(4); new Uint8Array(sab)[1] = 5; sab");
        assert_eq!(shared.bytes().as_deref(), Some(&[0, 5, 0, 0][..]));
        let growable = eval(ctx, "globalThis.gsab = new SharedArrayBuffer(2, { maxByteLength: 8 }); gsab.grow(3); gsab");
        assert_eq!(growable.bytes().map(|b| b.len()), Some(3));
        for source in ["({})", "[1, 2]", "'abc'", "12", "undefined", "new Proxy(new Uint8Array(2), {})", "Object.create(Uint8Array.prototype)"] {
            assert!(eval(ctx, source).bytes().is_none(), "{source}");
        }
    }
}
