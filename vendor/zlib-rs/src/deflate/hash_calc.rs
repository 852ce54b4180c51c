#![forbid(unsafe_code)]

// ferro: the whole file is rewritten. Node 24 bundles Chromium's zlib, which hashes the 4 bytes
// at a position with a multiplicative hash (instead of zlib-ng's hash) and masks the result
// to `hash_bits`; the head/prev chains are madler zlib's (always relink, even a repeated position).

use crate::deflate::State;

/// The hash of the 4 bytes at `pos` (read as a little-endian u32).
#[inline(always)]
pub fn hash_at(state: &State, pos: usize) -> usize {
    let bytes = &state.window.filled()[pos..pos + 4];
    let v = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    (v.wrapping_mul(66521).wrapping_add(66521) >> 16) as usize & state.hash_mask as usize
}

/// Inserts the string at `pos` in the hash table; returns the previous head of its chain.
#[inline(always)]
pub fn insert_string(state: &mut State, pos: usize) -> u16 {
    let h = hash_at(state, pos);
    let head = state.head.as_slice()[h];
    let w_mask = state.w_mask();
    state.prev.as_mut_slice()[pos & w_mask] = head;
    state.head.as_mut_slice()[h] = pos as u16;
    head
}

/// Inserts the `count` strings starting at `pos`.
#[inline(always)]
pub fn insert_strings(state: &mut State, pos: usize, count: usize) {
    for p in pos..pos + count {
        insert_string(state, p);
    }
}
