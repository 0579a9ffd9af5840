//! Any bytes read as html: never a panic, and every span of the result on
//! character boundaries of the text and inside the original.
#![no_main]

mod check;

use kulisy_model::SourceFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = kulisy_read::read_bytes("fuzz", data.to_vec(), Some(SourceFormat::Html)) {
        check::check(&doc);
    }
});
