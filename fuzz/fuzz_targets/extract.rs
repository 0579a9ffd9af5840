//! Any text read as plain text and run through every extraction stage
//! (segmentation, entities, mentions, attribution, dates, events, the
//! timeline): never a panic, and every mention, attribution, date and event
//! pointing inside what was found.
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
    for d in &ex.dates {
        assert!(doc.text.get(d.span.start..d.span.end).is_some());
        let _ = d.date.normalised();
    }
    for e in &ex.events {
        assert!(doc.text.get(e.span.start..e.span.end).is_some());
        assert!(e.date.is_none_or(|d| d < ex.dates.len()) && e.new_date.is_none_or(|d| d < ex.dates.len()));
        assert!(e.participants.iter().all(|p| p.entity < ex.cast.entities.len()));
    }
    assert_eq!(ex.timeline.len(), ex.events.len());
});
