//! Any bytes read as text: never a panic, and every span of the result on
//! character boundaries of the text and inside the original.
#![no_main]

mod check;

use kulisy_model::SourceFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = kulisy_read::read_bytes("fuzz", data.to_vec(), Some(SourceFormat::Text)) {
        check::check(&doc);
    }
});
