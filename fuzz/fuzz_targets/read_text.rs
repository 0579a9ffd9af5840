//! Any bytes read as text: never a panic, and every span of the result on
//! character boundaries of the text and inside the original.
#![no_main]

use kulisy_model::SourceFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = kulisy_read::read_bytes("fuzz", data.to_vec(), Some(SourceFormat::Text)) {
        for b in &doc.blocks {
            assert!(doc.text.get(b.span.start..b.span.end).is_some());
            assert!(doc.offsets.to_original_span(b.span).end <= doc.original.len());
        }
        for a in &doc.annotations {
            assert!(doc.text.get(a.span.start..a.span.end).is_some());
        }
        assert_eq!(doc.offsets.canon_len(), doc.text.len());
    }
});
