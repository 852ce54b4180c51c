//! Brotli on Google's C library (vendored by brotlic-sys), the library Node embeds, so
//! compressed bytes match Node's for the same parameters. Each state owns its C instance
//! and the dictionary the instance points into.

use brotlic_sys as sys;
use std::alloc::{alloc, dealloc, Layout};
use std::ffi::c_void;
use std::ptr;
use std::sync::Mutex;

/// Blocks at least this big are kept for the next instance when freed.
const KEPT_BLOCK_MIN: usize = 256 << 10;
/// At most this much memory is kept.
const KEPT_BYTES_MAX: usize = 64 << 20;
/// Each block starts with its total size; the rest starts on a cache line, as the library's
/// tables are laid out for.
const HEADER: usize = 64;

/// Large blocks the library freed (ring buffers and hash tables, megabytes each at the usual
/// qualities), as (total size, address). A stream with the same settings asks for the same
/// sizes, so a server compressing response after response reuses memory already mapped
/// instead of faulting in fresh pages for each.
struct KeptBlocks {
    blocks: Vec<(usize, usize)>,
    bytes: usize,
}

static KEPT: Mutex<KeptBlocks> = Mutex::new(KeptBlocks { blocks: Vec::new(), bytes: 0 });

fn block_layout(total: usize) -> Option<Layout> {
    Layout::from_size_align(total, HEADER).ok()
}

/// The library's allocator (brotli_alloc_func): a kept block of the exact size, or a new one.
extern "C" fn brotli_alloc(_opaque: *mut c_void, size: usize) -> *mut c_void {
    let Some(total) = size.checked_add(HEADER) else { return ptr::null_mut() };
    if size >= KEPT_BLOCK_MIN {
        let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = kept.blocks.iter().position(|&(t, _)| t == total) {
            let (_, base) = kept.blocks.swap_remove(i);
            kept.bytes -= total;
            return (base + HEADER) as *mut c_void;
        }
    }
    let Some(layout) = block_layout(total) else { return ptr::null_mut() };
    // SAFETY: layout has a non-zero size; the header is written inside the allocation.
    unsafe {
        let base = alloc(layout);
        if base.is_null() {
            return ptr::null_mut();
        }
        (base as *mut usize).write(total);
        base.add(HEADER) as *mut c_void
    }
}

/// The library's deallocator (brotli_free_func): keeps large blocks while there is room.
extern "C" fn brotli_free(_opaque: *mut c_void, address: *mut c_void) {
    if address.is_null() {
        return;
    }
    // SAFETY: `address` came from brotli_alloc, HEADER bytes past the start of its block.
    let base = unsafe { (address as *mut u8).sub(HEADER) };
    let total = unsafe { (base as *const usize).read() };
    if total - HEADER >= KEPT_BLOCK_MIN {
        let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
        if kept.bytes + total <= KEPT_BYTES_MAX {
            kept.blocks.push((total, base as usize));
            kept.bytes += total;
            return;
        }
    }
    if let Some(layout) = block_layout(total) {
        // SAFETY: base was allocated by brotli_alloc with this layout.
        unsafe { dealloc(base, layout) };
    }
}

/// Node's BROTLI_PARAM_* numbers are the C library's parameter numbers, so a pair JS
/// collected goes to the library unchanged.
pub type Param = (u32, u32);

/// Why a new state could not be made: the library refused a parameter or the dictionary.
pub struct InitFailed;

pub struct Encoder {
    state: *mut sys::BrotliEncoderState,
    prepared: *mut sys::BrotliEncoderPreparedDictionary,
    params: Vec<Param>,
    /// The prepared dictionary points into these bytes.
    dictionary: Vec<u8>,
}

// The C state has no thread affinity; the engine using it is behind a mutex.
unsafe impl Send for Encoder {}

impl Encoder {
    pub fn new(params: Vec<Param>, dictionary: Vec<u8>) -> Result<Encoder, InitFailed> {
        let state = unsafe { sys::BrotliEncoderCreateInstance(Some(brotli_alloc), Some(brotli_free), ptr::null_mut()) };
        if state.is_null() {
            return Err(InitFailed);
        }
        let mut encoder = Encoder { state, prepared: ptr::null_mut(), params, dictionary };
        for &(key, value) in &encoder.params {
            if unsafe { sys::BrotliEncoderSetParameter(state, key as _, value) } == 0 {
                return Err(InitFailed);
            }
        }
        if !encoder.dictionary.is_empty() {
            encoder.prepared = unsafe {
                sys::BrotliEncoderPrepareDictionary(
                    sys::BrotliSharedDictionaryType_BROTLI_SHARED_DICTIONARY_RAW,
                    encoder.dictionary.len(),
                    encoder.dictionary.as_ptr(),
                    11,
                    None,
                    None,
                    ptr::null_mut(),
                )
            };
            if encoder.prepared.is_null()
                || unsafe { sys::BrotliEncoderAttachPreparedDictionary(state, encoder.prepared) } == 0
            {
                return Err(InitFailed);
            }
        }
        Ok(encoder)
    }

    /// A fresh encoder with the same parameters and dictionary (`reset()`).
    pub fn renewed(&mut self) -> Result<Encoder, InitFailed> {
        Encoder::new(std::mem::take(&mut self.params), std::mem::take(&mut self.dictionary))
    }

    /// One BrotliEncoderCompressStream call with `op` (Node's flush value: 0 process,
    /// 1 flush, 2 finish, 3 emit metadata); returns (consumed, produced), or None when
    /// the library reports an error.
    pub fn step(&mut self, input: &[u8], output: &mut [u8], op: i32) -> Option<(usize, usize)> {
        let (mut avail_in, mut next_in) = (input.len(), input.as_ptr());
        let (mut avail_out, mut next_out) = (output.len(), output.as_mut_ptr());
        let ok = unsafe {
            sys::BrotliEncoderCompressStream(
                self.state,
                op as _,
                &mut avail_in,
                &mut next_in,
                &mut avail_out,
                &mut next_out,
                ptr::null_mut(),
            )
        };
        (ok != 0).then(|| (input.len() - avail_in, output.len() - avail_out))
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        unsafe {
            sys::BrotliEncoderDestroyInstance(self.state);
            if !self.prepared.is_null() {
                sys::BrotliEncoderDestroyPreparedDictionary(self.prepared);
            }
        }
    }
}

pub struct Decoder {
    state: *mut sys::BrotliDecoderState,
    params: Vec<Param>,
    /// The attached dictionary points into these bytes.
    dictionary: Vec<u8>,
}

unsafe impl Send for Decoder {}

/// What one decoder call did.
pub enum Decoded {
    /// (consumed, produced); `needs_input` when the stream is not finished and all input
    /// was taken.
    Progress { consumed: usize, produced: usize, needs_input: bool },
    /// The library's (negative) error code.
    Error(i32),
}

impl Decoder {
    pub fn new(params: Vec<Param>, dictionary: Vec<u8>) -> Result<Decoder, InitFailed> {
        let state = unsafe { sys::BrotliDecoderCreateInstance(Some(brotli_alloc), Some(brotli_free), ptr::null_mut()) };
        if state.is_null() {
            return Err(InitFailed);
        }
        let decoder = Decoder { state, params, dictionary };
        for &(key, value) in &decoder.params {
            if unsafe { sys::BrotliDecoderSetParameter(state, key as _, value) } == 0 {
                return Err(InitFailed);
            }
        }
        if !decoder.dictionary.is_empty()
            && unsafe {
                sys::BrotliDecoderAttachDictionary(
                    state,
                    sys::BrotliSharedDictionaryType_BROTLI_SHARED_DICTIONARY_RAW,
                    decoder.dictionary.len(),
                    decoder.dictionary.as_ptr(),
                )
            } == 0
        {
            return Err(InitFailed);
        }
        Ok(decoder)
    }

    pub fn renewed(&mut self) -> Result<Decoder, InitFailed> {
        Decoder::new(std::mem::take(&mut self.params), std::mem::take(&mut self.dictionary))
    }

    pub fn step(&mut self, input: &[u8], output: &mut [u8]) -> Decoded {
        let (mut avail_in, mut next_in) = (input.len(), input.as_ptr());
        let (mut avail_out, mut next_out) = (output.len(), output.as_mut_ptr());
        let result = unsafe {
            sys::BrotliDecoderDecompressStream(
                self.state,
                &mut avail_in,
                &mut next_in,
                &mut avail_out,
                &mut next_out,
                ptr::null_mut(),
            )
        };
        if result == sys::BrotliDecoderResult_BROTLI_DECODER_RESULT_ERROR {
            return Decoded::Error(unsafe { sys::BrotliDecoderGetErrorCode(self.state) } as i32);
        }
        Decoded::Progress {
            consumed: input.len() - avail_in,
            produced: output.len() - avail_out,
            needs_input: result == sys::BrotliDecoderResult_BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT,
        }
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        unsafe { sys::BrotliDecoderDestroyInstance(self.state) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compress(input: &[u8], params: Vec<Param>, dictionary: &[u8]) -> Vec<u8> {
        let mut encoder = Encoder::new(params, dictionary.to_vec()).ok().unwrap();
        let mut out = vec![0; input.len() + 1024];
        let (consumed, produced) = encoder.step(input, &mut out, 2).unwrap();
        assert_eq!(consumed, input.len());
        out.truncate(produced);
        out
    }

    fn decompress(input: &[u8], dictionary: &[u8]) -> Vec<u8> {
        let mut decoder = Decoder::new(Vec::new(), dictionary.to_vec()).ok().unwrap();
        let mut out = vec![0; 1 << 16];
        match decoder.step(input, &mut out) {
            Decoded::Progress { produced, needs_input: false, .. } => out[..produced].to_vec(),
            _ => panic!("not decoded"),
        }
    }

    #[test]
    fn round_trips_with_quality_and_dictionary() {
        let text = b"the quick brown fox jumps over the lazy dog, again and again and again".repeat(20);
        let dictionary = b"the quick brown fox jumps over the lazy dog";
        for quality in [0, 4, 11] {
            assert_eq!(decompress(&compress(&text, vec![(1, quality)], b""), b""), text);
            assert_eq!(decompress(&compress(&text, vec![(1, quality)], dictionary), dictionary), text);
        }
    }

    #[test]
    fn large_blocks_are_kept_and_reused() {
        let text: Vec<u8> = (0..2_000_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let first = compress(&text, vec![(1, 4)], b"");
        let kept = KEPT.lock().unwrap().bytes;
        assert!(kept > 0 && kept <= KEPT_BYTES_MAX);
        // The same settings take the kept blocks (other tests may run alongside, so the
        // bytes are not compared) and give the same output.
        assert_eq!(compress(&text, vec![(1, 4)], b""), first);
        assert_eq!(decompress_all(&first), text);
    }

    fn decompress_all(input: &[u8]) -> Vec<u8> {
        let mut decoder = Decoder::new(Vec::new(), Vec::new()).ok().unwrap();
        let mut out = vec![0; 4 << 20];
        match decoder.step(input, &mut out) {
            Decoded::Progress { produced, needs_input: false, .. } => out[..produced].to_vec(),
            _ => panic!("not decoded"),
        }
    }

    #[test]
    fn rejects_bad_parameters_and_corrupt_input() {
        assert!(Encoder::new(vec![(77, 1)], Vec::new()).is_err());
        let mut decoder = Decoder::new(Vec::new(), Vec::new()).ok().unwrap();
        assert!(matches!(decoder.step(&[0xff; 16], &mut [0; 64]), Decoded::Error(code) if code < 0));
    }
}
