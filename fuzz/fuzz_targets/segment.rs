//! Any text segmented as one plain-text document: never a panic, every
//! quotation, piece and layer on character boundaries, outer before inner.
#![no_main]

use kulisy_model::SourceFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = kulisy_read::read_bytes("fuzz", text.as_bytes().to_vec(), Some(SourceFormat::Text)) else { return };
    let seg = kulisy_extract::segment(&doc);
    for (i, q) in seg.quotations.iter().enumerate() {
        assert!(doc.text.get(q.span.start..q.span.end).is_some());
        for p in &q.pieces {
            assert!(doc.text.get(p.start..p.end).is_some());
            assert!(q.span.start <= p.start && p.end <= q.span.end);
        }
        if let Some(parent) = q.parent {
            assert!(parent < i);
        }
    }
    for l in &seg.layers {
        assert!(doc.text.get(l.span.start..l.span.end).is_some());
        assert!(l.span.contains(l.content));
    }
    for s in &seg.sentences {
        assert!(doc.text.get(s.span.start..s.span.end).is_some());
    }
});
