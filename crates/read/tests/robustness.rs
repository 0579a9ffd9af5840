//! Bad input: refused with a clear error, or read with diagnostics; never a
//! panic, a hang or unbounded memory. And the properties every document
//! holds: spans on character boundaries, offset maps that round-trip,
//! deterministic output.

use kulisy_model::{Document, SourceFormat, Span};
use kulisy_read::{read_bytes, ReadError};
use proptest::prelude::*;

fn read(bytes: &[u8], format: Option<SourceFormat>) -> Result<Document, ReadError> {
    read_bytes("input", bytes.to_vec(), format)
}

#[test]
fn empty_and_blank_files_are_refused() {
    for input in [&b""[..], b"   \n\r\n\t "] {
        let e = read(input, None).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("input: empty file"));
    }
    // Markup with no text is empty too.
    let e = read(b"<html><head><title>x</title></head><body> </body></html>", None).err().map(|e| e.to_string());
    assert_eq!(e.as_deref(), Some("input: empty file"));
}

#[test]
fn binary_files_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00";
    let e = read(png, None).err().map(|e| e.to_string());
    assert_eq!(e.as_deref(), Some("input: binary file, not text (found NUL or control bytes)"));
}

#[test]
fn invalid_utf8_is_decoded_as_a_legacy_encoding_and_said() {
    let doc = read(b"Zinoviev said: \x93We must get to the helm.\x94 caf\xe9", None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.text, "Zinoviev said: “We must get to the helm.” café");
    assert_eq!(doc.encoding.name, "windows-1252");
    assert!(doc.diagnostics.iter().any(|d| d.code == "encoding-assumed"));
    // The curly quote maps to its single original byte.
    let q = doc.text.find('“').unwrap_or(0);
    assert_eq!(doc.offsets.to_original_span(Span::new(q, q + 3)), Span::new(15, 16));
}

#[test]
fn utf16_with_a_bom_is_read() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "Kamenev: “Yes.”".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let doc = read(&bytes, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.text, "Kamenev: “Yes.”");
    assert_eq!(doc.encoding.name, "UTF-16LE");
}

#[test]
fn crlf_and_cr_become_newlines_and_map_back() {
    let doc = read(b"Title\r\n\r\nOne line.\rTwo.", Some(SourceFormat::Text)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.text, "Title\n\nOne line.\nTwo.");
    let two = doc.text.find("Two").unwrap_or(0);
    assert_eq!(doc.offsets.to_original(two), 19);
}

#[test]
fn malformed_html_is_read_anyway() {
    let html = b"<p><b><i>unclosed <div></p></span>&#xFFFFFFFF; &bogus; &amp &lt;tag&gt; <table><tr><td>cell<script>never closed <p>x";
    let doc = read(html, Some(SourceFormat::Html)).unwrap_or_else(|e| panic!("{e}"));
    assert!(doc.text.starts_with("unclosed"), "{:?}", doc.text);
    assert!(doc.text.contains("&bogus;"));
    assert!(doc.text.contains("& <tag>"));
    assert!(!doc.text.contains("never closed"));
}

#[test]
fn malformed_tei_is_refused_with_the_place_of_the_fault() {
    let e = read(b"<TEI><text><body><p>unclosed</body></text></TEI>", Some(SourceFormat::Tei)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.starts_with("input: xml error near original byte"), "{e}");
    let e = read(b"<?xml version=\"1.0\"?><html><p>x</p></html>", Some(SourceFormat::Tei)).err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(e, "input: root element is <html>, not <TEI>");
}

#[test]
fn tei_external_entities_are_never_resolved() {
    let xxe = br#"<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY big "&xxe;&xxe;&xxe;">]>
<TEI><text><body><p>Before &xxe; and &big; after &amp; &#8220;done&#8221;</p></body></text></TEI>"#;
    let doc = read(xxe, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.format, SourceFormat::Tei);
    assert_eq!(doc.text, "Before &xxe; and &big; after & “done”");
    assert!(!doc.text.contains("root:"));
    let codes: Vec<&str> = doc.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"doctype-entities-ignored"));
    assert!(codes.contains(&"entity-not-expanded"));
}

#[test]
fn tei_annotations_are_kept_with_their_spans() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/letter.tei.xml");
    let doc = kulisy_read::read_path(&path, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let said = doc.annotations.iter().find(|a| a.element == "said").unwrap_or_else(|| panic!("no said"));
    assert_eq!(said.span.text(&doc.text), "“What are you planning to do with this document?”");
    assert!(said.attributes.contains(&("who".into(), "#kamenev".into())));
    assert!(said.attributes.contains(&("toWhom".into(), "#bukharin".into())));
    let note = doc.annotations.iter().find(|a| a.element == "note").unwrap_or_else(|| panic!("no note"));
    assert_eq!(note.span.text(&doc.text), "The document is lost.");
    assert!(doc.text.ends_with("“I will supplement it.” The document is lost."));
    assert_eq!(doc.metadata.title.as_ref().map(|t| t.text.as_str()), Some("A Letter on the Moscow Conversations"));
    assert_eq!(doc.metadata.written.as_ref().map(|d| d.start.to_string()).as_deref(), Some("1929-03-29"));
    let p = doc.metadata.first_published.as_ref().unwrap_or_else(|| panic!("no publication"));
    assert_eq!((p.venue.as_deref(), p.volume.as_deref(), p.issue.as_deref()), (Some("The Militant"), Some("2"), Some("11")));
    // The character reference maps back to its bytes.
    let apos = doc.text.find('’').unwrap_or(0);
    let orig = doc.offsets.to_original_span(Span::new(apos, apos + 3));
    assert_eq!(&doc.original[orig.start..orig.end], b"&#8217;");
}

#[test]
fn deeply_nested_and_unbalanced_marks_do_not_break_anything() {
    for s in ["(".repeat(100_000), "“".repeat(100_000), "”".repeat(50_000), "[(“‘".repeat(25_000), "<b>".repeat(50_000) + "x"] {
        for format in [SourceFormat::Text, SourceFormat::Html] {
            let doc = read(s.as_bytes(), Some(format)).unwrap_or_else(|e| panic!("{e}"));
            let seg = kulisy_extract::segment(&doc);
            assert!(seg.quotations.len() + seg.layers.len() <= s.chars().count());
        }
    }
}

fn check_document(doc: &Document) {
    let t = &doc.text;
    let mut spans: Vec<Span> = doc.blocks.iter().map(|b| b.span).collect();
    let ex = kulisy_extract::extract(doc);
    spans.extend(ex.cast.mentions.iter().map(|m| m.span));
    for a in &ex.attributions {
        assert!(a.speaker.is_none_or(|e| e < ex.cast.entities.len()));
        assert!(a.addressees.iter().all(|&e| e < ex.cast.entities.len()));
    }
    let seg = ex.segmentation;
    spans.extend(seg.sentences.iter().map(|s| s.span));
    spans.extend(seg.quotations.iter().flat_map(|q| std::iter::once(q.span).chain(q.pieces.iter().copied())));
    spans.extend(seg.layers.iter().flat_map(|l| [l.span, l.content]));
    spans.extend(doc.annotations.iter().map(|a| a.span));
    for s in spans {
        assert!(s.start <= s.end && t.get(s.start..s.end).is_some(), "span {s:?} not on character boundaries of a {}-byte text", t.len());
        let o = doc.offsets.to_original_span(s);
        assert!(o.start <= o.end && o.end <= doc.original.len());
    }
    // The map covers the text and round-trips at every segment start and inside copies.
    assert_eq!(doc.offsets.canon_len(), t.len());
    for seg in doc.offsets.segments() {
        assert_eq!(doc.offsets.to_canonical(doc.offsets.to_original(seg.canon)), seg.canon);
        if seg.canon_len == seg.orig_len {
            // A copy: the bytes are the same on both sides.
            let canon = &t.as_bytes()[seg.canon..seg.canon + seg.canon_len];
            let orig = &doc.original[seg.orig..seg.orig + seg.orig_len];
            if doc.encoding.name == "UTF-8" && canon != orig {
                // Only a same-length replacement may differ (an entity or a line end).
                assert!(seg.canon_len <= 2 || canon.len() == orig.len());
            }
        }
    }
}

fn texty() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("“".to_string()), Just("”".to_string()), Just("‘".to_string()), Just("’".to_string()), Just("\"".to_string()),
            Just("'".to_string()), Just("(".to_string()), Just(")".to_string()), Just("[".to_string()), Just("]".to_string()),
            Just(". ".to_string()), Just("\n\n".to_string()), Just("\r\n".to_string()), Just("L.D. ".to_string()),
            Just("&amp;".to_string()), Just("&#8220;".to_string()), Just("<p>".to_string()), Just("</p>".to_string()),
            Just("<br>".to_string()), Just("Written: March 29, 1929.\n".to_string()), Just("é".to_string()),
            Just(" said Kamenev, ".to_string()), Just("Mr. Brook".to_string()), Just(" he asked ".to_string()), Just("Zinoviev and Kamenev ".to_string()),
            Just("the trio".to_string()), Just("the Rights ".to_string()), Just(": ".to_string()), Just("’s ".to_string()), Just("L.D. ".to_string()),
            "[A-Za-z ]{1,12}",
        ],
        1..60,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_span_lies_on_character_boundaries(s in texty()) {
        for format in [SourceFormat::Text, SourceFormat::Html] {
            if let Ok(doc) = read(s.as_bytes(), Some(format)) {
                check_document(&doc);
            }
        }
    }

    #[test]
    fn reading_is_deterministic(s in texty()) {
        let a = read(s.as_bytes(), Some(SourceFormat::Html)).ok();
        let b = read(s.as_bytes(), Some(SourceFormat::Html)).ok();
        prop_assert_eq!(&a, &b);
        if let (Some(a), Some(b)) = (a, b) {
            prop_assert_eq!(kulisy_extract::segment(&a), kulisy_extract::segment(&b));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for format in [None, Some(SourceFormat::Text), Some(SourceFormat::Html), Some(SourceFormat::Tei)] {
            if let Ok(doc) = read(&bytes, format) {
                check_document(&doc);
            }
        }
    }
}
