#![forbid(unsafe_code)]

// ferro: rewritten as madler zlib's deflate_fast (levels 1-3 in Chromium's zlib, which Node
// bundles): greedy matching, the strings inside a match are inserted in the hash table only
// when the match is no longer than max_lazy (max_insert_length), and nothing is inserted after
// a longer match. `match_length` persists like zlib's s->match_length (deflate_slow starts
// from it after a params() change).

use super::flush_block;
use crate::{
    deflate::{
        fill_window, hash_calc, longest_match::longest_match, BlockState, DeflateStream,
        MIN_LOOKAHEAD, STD_MIN_MATCH,
    },
    DeflateFlush,
};

pub fn deflate_fast(stream: &mut DeflateStream, flush: DeflateFlush) -> BlockState {
    loop {
        // Make sure that we always have enough lookahead, except at the end of the input: we
        // need STD_MAX_MATCH bytes for the next match, plus STD_MIN_MATCH bytes to insert the
        // string following the next match.
        if stream.state.lookahead < MIN_LOOKAHEAD {
            fill_window(stream);
            if stream.state.lookahead < MIN_LOOKAHEAD && flush == DeflateFlush::NoFlush {
                return BlockState::NeedMore;
            }
            if stream.state.lookahead == 0 {
                break; // flush the current block
            }
        }

        let state = &mut stream.state;

        if state.lookahead >= STD_MIN_MATCH {
            let hash_head = hash_calc::insert_string(state, state.strstart);
            // Position 0 is never matched (it would match the string against itself at the start).
            if hash_head != 0 && state.strstart - hash_head as usize <= state.max_dist() {
                let (len, start) = longest_match(state, hash_head);
                state.match_length = len as u16;
                state.match_start = start;
            }
        }

        let bflush;
        let match_len = state.match_length as usize;
        if match_len >= STD_MIN_MATCH {
            bflush = state.tally_dist(
                state.strstart - state.match_start as usize,
                match_len - STD_MIN_MATCH,
            );
            state.lookahead -= match_len;

            if match_len <= state.max_insert_length() && state.lookahead >= STD_MIN_MATCH {
                // The string at strstart is already in the table.
                hash_calc::insert_strings(state, state.strstart + 1, match_len - 1);
            }
            state.strstart += match_len;
            state.match_length = 0;
        } else {
            let lc = state.window.filled()[state.strstart];
            bflush = state.tally_lit(lc);
            state.lookahead -= 1;
            state.strstart += 1;
        }
        if bflush {
            flush_block!(stream, false);
        }
    }

    stream.state.insert = Ord::min(stream.state.strstart, STD_MIN_MATCH - 1);

    if flush == DeflateFlush::Finish {
        flush_block!(stream, true);
        return BlockState::FinishDone;
    }

    if !stream.state.sym_buf.is_empty() {
        flush_block!(stream, false);
    }

    BlockState::BlockDone
}
