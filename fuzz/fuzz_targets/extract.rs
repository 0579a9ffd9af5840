//! Any text read as plain text and run through every extraction stage
//! (segmentation, entities, mentions, attribution): never a panic, and every
//! mention and attribution pointing inside what was found.
#![no_main]

use kulisy_model::SourceFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = kulisy_read::read_bytes("fuzz", data.to_vec(), Some(SourceFormat::Text)) else { return };
    let ex = kulisy_extract::extract(&doc);
    for m in &ex.cast.mentions {
        assert!(doc.text.get(m.span.start..m.span.end).is_some());
        assert!(m.entity.is_none_or(|e| e < ex.cast.entities.len()));
    }
    for a in &ex.attributions {
        assert!(a.speaker.is_none_or(|e| e < ex.cast.entities.len()));
    }
});
