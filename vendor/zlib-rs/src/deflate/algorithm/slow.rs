#![forbid(unsafe_code)]

// ferro: rewritten as madler zlib's deflate_slow (levels 4-9 in Chromium's zlib, which Node
// bundles): lazy matching where `match_length` persists between calls like zlib's
// s->match_length, and a 3-byte match further than TOO_FAR is dropped.

use super::flush_block;
use crate::{
    deflate::{
        fill_window, flush_block_only, hash_calc, longest_match::longest_match, BlockState,
        DeflateStream, Strategy, MIN_LOOKAHEAD, STD_MIN_MATCH,
    },
    DeflateFlush,
};

/// Matches of length 3 are discarded if their distance exceeds this (madler zlib's TOO_FAR).
const TOO_FAR: usize = 4096;

pub fn deflate_slow(stream: &mut DeflateStream, flush: DeflateFlush) -> BlockState {
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

        let hash_head = if state.lookahead >= STD_MIN_MATCH {
            hash_calc::insert_string(state, state.strstart)
        } else {
            0
        };

        // Find the longest match, discarding those <= prev_length.
        state.prev_length = state.match_length;
        state.prev_match = state.match_start;
        state.match_length = STD_MIN_MATCH as u16 - 1;

        if hash_head != 0
            && state.prev_length < state.max_lazy_match
            && state.strstart - hash_head as usize <= state.max_dist()
        {
            // Position 0 is never matched (it would match the string against itself at the start).
            let (len, start) = longest_match(state, hash_head);
            state.match_length = len as u16;
            state.match_start = start;

            if len <= 5
                && (state.strategy == Strategy::Filtered
                    || (len == STD_MIN_MATCH && state.strstart - start as usize > TOO_FAR))
            {
                // If prev_match is also STD_MIN_MATCH, match_start is garbage but the current
                // match is ignored anyway.
                state.match_length = STD_MIN_MATCH as u16 - 1;
            }
        }

        // If there was a match at the previous step and the current match is not better,
        // output the previous match.
        if state.prev_length as usize >= STD_MIN_MATCH && state.match_length <= state.prev_length {
            // Strings are not inserted beyond this position.
            let max_insert = state.strstart + state.lookahead - STD_MIN_MATCH;

            let bflush = state.tally_dist(
                state.strstart - 1 - state.prev_match as usize,
                state.prev_length as usize - STD_MIN_MATCH,
            );

            // Insert the strings up to the end of the match: strstart-1 and strstart are
            // already inserted. Without enough lookahead the last ones are not inserted.
            let match_end = state.strstart - 1 + state.prev_length as usize;
            let insert_end = Ord::min(match_end, max_insert + 1);
            if insert_end > state.strstart + 1 {
                hash_calc::insert_strings(state, state.strstart + 1, insert_end - state.strstart - 1);
            }
            state.lookahead -= state.prev_length as usize - 1;
            state.strstart = match_end;
            // zlib counts prev_length down to 0 while inserting.
            state.prev_length = 0;
            state.match_available = false;
            state.match_length = STD_MIN_MATCH as u16 - 1;

            if bflush {
                flush_block!(stream, false);
            }
        } else if state.match_available {
            // There was no match at the previous position (or the current one is longer):
            // output a single literal.
            let lc = state.window.filled()[state.strstart - 1];
            let bflush = state.tally_lit(lc);
            if bflush {
                flush_block_only(stream, false);
            }
            stream.state.strstart += 1;
            stream.state.lookahead -= 1;
            if stream.avail_out == 0 {
                return BlockState::NeedMore;
            }
        } else {
            // There is no previous match to compare with: wait for the next step to decide.
            state.match_available = true;
            state.strstart += 1;
            state.lookahead -= 1;
        }
    }

    assert_ne!(flush, DeflateFlush::NoFlush, "no flush?");

    let state = &mut stream.state;

    if state.match_available {
        let lc = state.window.filled()[state.strstart - 1];
        let _ = state.tally_lit(lc);
        state.match_available = false;
    }

    state.insert = Ord::min(state.strstart, STD_MIN_MATCH - 1);

    if flush == DeflateFlush::Finish {
        flush_block!(stream, true);
        return BlockState::FinishDone;
    }

    if !stream.state.sym_buf.is_empty() {
        flush_block!(stream, false);
    }

    BlockState::BlockDone
}
