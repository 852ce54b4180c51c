// ferro: rewritten with madler zlib's semantics (which Chromium's zlib, bundled by Node, keeps):
// walk the chain from `cur_match` while candidates are within the window and the chain
// budget lasts, take a candidate only when it is strictly longer than the best so far (so the
// nearest wins ties), stop at `nice_match`, and start from `prev_length`.

use crate::deflate::{State, MIN_LOOKAHEAD, STD_MAX_MATCH};

/// Returns (length, start) of the longest match for the string at `strstart`, starting the
/// search at `cur_match`; the length is capped at the lookahead, and the start is
/// `state.match_start` when nothing longer than `prev_length` was found.
#[inline(always)]
pub fn longest_match(state: &State, mut cur_match: u16) -> (usize, u16) {
    let strstart = state.strstart;
    let window = state.window.filled();
    let w_mask = state.w_mask();
    let prev = &state.prev.as_slice()[..=w_mask];
    let limit = strstart.saturating_sub(state.max_dist());

    let mut best_len = state.prev_length as usize;
    let mut match_start = state.match_start;
    let mut chain_length = state.max_chain_length;
    if best_len >= state.good_match as usize {
        chain_length >>= 2;
    }
    let nice_match = Ord::min(state.nice_match as usize, state.lookahead);

    // The window always holds MIN_LOOKAHEAD bytes from strstart on, and every candidate is
    // before strstart (the bytes may be stale beyond the lookahead, as in zlib; the result is
    // capped at the lookahead).
    assert!(strstart + MIN_LOOKAHEAD <= window.len());
    let scan = &window[strstart..strstart + STD_MAX_MATCH];
    // zlib first checks the bytes at best_len-1 and best_len; any bytes up to best_len will do
    // (a candidate is taken only if it matches all of them), so this checks the 4 bytes ending
    // at best_len when there are that many, and the 2 bytes otherwise.
    let end_word = |pos: usize, best_len: usize| -> u32 {
        debug_assert!(pos + best_len < strstart + MIN_LOOKAHEAD);
        // SAFETY: callers pass strstart or a candidate (< strstart), and best_len <=
        // STD_MAX_MATCH, so pos + best_len < strstart + MIN_LOOKAHEAD <= window.len().
        unsafe {
            if best_len >= 3 {
                let p = window.as_ptr().add(pos + best_len - 3);
                u32::from_ne_bytes(core::ptr::read_unaligned(p.cast::<[u8; 4]>()))
            } else {
                let p = window.as_ptr().add(pos + best_len - 1);
                u16::from_ne_bytes(core::ptr::read_unaligned(p.cast::<[u8; 2]>())) as u32
            }
        }
    };
    let mut scan_end = if best_len > 0 { end_word(strstart, best_len) } else { 0 };
    loop {
        let m = cur_match as usize;
        // With best_len 0, zlib's quick check looks at the byte before the strings (a
        // candidate must also match the first two bytes).
        let quick_reject = if best_len == 0 {
            window[m - 1] != window[strstart - 1] || window[m..m + 2] != scan[..2]
        } else {
            end_word(m, best_len) != scan_end
        };
        if !quick_reject {
            let len = common_prefix_len(scan, &window[m..m + STD_MAX_MATCH]);
            if len > best_len {
                match_start = cur_match;
                best_len = len;
                if len >= nice_match {
                    break;
                }
                scan_end = end_word(strstart, best_len);
            }
        }
        cur_match = prev[cur_match as usize & w_mask];
        chain_length = chain_length.wrapping_sub(1);
        if cur_match as usize <= limit || chain_length == 0 {
            break;
        }
    }

    (Ord::min(best_len, state.lookahead), match_start)
}

/// How many leading bytes `a` and `b` (both STD_MAX_MATCH long) have in common.
#[inline(always)]
fn common_prefix_len(a: &[u8], b: &[u8]) -> usize {
    let (a, b) = (&a[..STD_MAX_MATCH], &b[..STD_MAX_MATCH]);
    // 8 bytes at a time: the first differing bit of the xor gives the first differing byte.
    let mut i = 0;
    while i + 8 <= STD_MAX_MATCH {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().unwrap());
        let y = u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        if x != y {
            return i + ((x ^ y).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < STD_MAX_MATCH && a[i] == b[i] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefix() {
        let a = [7u8; STD_MAX_MATCH];
        let mut b = a;
        assert_eq!(common_prefix_len(&a, &b), STD_MAX_MATCH);
        b[13] = 0;
        assert_eq!(common_prefix_len(&a, &b), 13);
        b[0] = 0;
        assert_eq!(common_prefix_len(&a, &b), 0);
        let mut c = a;
        c[257] = 1;
        assert_eq!(common_prefix_len(&a, &c), 257);
    }
}
