//! What every reader's output must hold, whatever the input.

use kulisy_model::Document;

/// Every span on character boundaries of the text and inside the original.
pub fn check(doc: &Document) {
    for b in &doc.blocks {
        assert!(doc.text.get(b.span.start..b.span.end).is_some());
        assert!(doc.offsets.to_original_span(b.span).end <= doc.original.len());
    }
    for a in &doc.annotations {
        assert!(doc.text.get(a.span.start..a.span.end).is_some());
    }
    assert_eq!(doc.offsets.canon_len(), doc.text.len());
}
