//! Fuzzes the HTTP/1.x parser: any bytes, fed whole and in up to three pieces, as a
//! request stream and as a response stream. The property (node::http::parser::check):
//! no panic, and the pieces parse exactly as the whole does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    // The first byte says how many cuts, each cut the next two bytes; the rest is the stream.
    let Some((&count, rest)) = input.split_first() else { return };
    let count = (count % 4) as usize;
    if rest.len() < 2 * count {
        return;
    }
    let (cut_bytes, data) = rest.split_at(2 * count);
    let mut cuts: Vec<usize> = cut_bytes.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]]) as usize % (data.len() + 1)).collect();
    cuts.sort_unstable();
    node::http::parser::check(data, &cuts);
});
