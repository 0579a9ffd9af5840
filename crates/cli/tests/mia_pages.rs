//! All 155 Marxists Internet Archive pages of the corpus: read without a
//! panic, headers parsed wherever a page has one; a dozen kept as snapshots.

mod common;

use common::{corpus, read, summary};
use kulisy_model::BlockKind;

fn pages() -> Vec<(String, String)> {
    let tsv = std::fs::read_to_string(corpus().join("mia/SOURCES.tsv")).unwrap_or_else(|e| panic!("SOURCES.tsv: {e}"));
    let mut lines = tsv.lines();
    let head: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (path, keys) = (col("local_path"), col("header_keys"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[path].to_string(), f.get(keys).copied().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn every_page_reads_and_every_header_is_parsed() {
    let pages = pages();
    assert_eq!(pages.len(), 155);
    let mut missing = Vec::new();
    for (path, keys) in &pages {
        let (doc, ex) = read(&corpus().join(path));
        // Every item lies inside the text on character boundaries.
        for s in doc.blocks.iter().map(|b| b.span).chain(ex.segmentation.quotations.iter().map(|q| q.span)).chain(ex.segmentation.layers.iter().map(|l| l.span)) {
            assert!(doc.text.get(s.start..s.end).is_some(), "{path}: span {s:?} off the text");
        }
        assert!(doc.metadata.title.is_some(), "{path}: no title");
        if !keys.is_empty() && doc.metadata.fields.is_empty() {
            missing.push(path.clone());
        }
        assert!(doc.blocks.iter().any(|b| b.kind == BlockKind::Paragraph), "{path}: no body");
    }
    assert!(missing.is_empty(), "pages with a header but no parsed fields: {missing:?}");
}

#[test]
fn reference_pages_have_their_header_values() {
    let (doc, _) = read(&corpus().join("mia/archive/trotsky/1938/04/lp.htm"));
    let m = &doc.metadata;
    assert_eq!(m.authors.first().map(|a| a.text.as_str()), Some("Leon Trotsky"));
    assert_eq!(m.title.as_ref().map(|t| t.text.as_str()), Some("On the Labor Party Question in the United States"));
    let d = m.delivered.as_ref().unwrap_or_else(|| panic!("no discussed date"));
    assert_eq!((d.start.to_string(), d.end.map(|e| e.to_string())), ("1938-04-23".into(), Some("1938-07-20".into())));
    assert_eq!(m.transcribers, vec!["Chris Harman", "David Walters"]);
    assert_eq!(m.proofreaders, vec!["Einde O’Callaghan"]);
    assert_eq!(m.last_updated.as_ref().map(|d| d.start.to_string()).as_deref(), Some("2015-09-11"));
    // Entities decoded and mapped back to their bytes.
    let i = doc.text.find("Labor’s Non-Partisan League").unwrap_or_else(|| panic!("entity not decoded"));
    let apostrophe = i + "Labor".len();
    let orig = doc.offsets.to_original_span(kulisy_model::Span::new(apostrophe, apostrophe + '’'.len_utf8()));
    assert_eq!(&doc.original[orig.start..orig.end], b"&#8217;");
    // Endnotes are footnotes, the navigation image map is gone.
    assert!(doc.blocks.iter().any(|b| b.kind == BlockKind::Footnote && b.span.text(&doc.text).starts_with("26.")));
    assert!(!doc.text.contains("return2"));
}

#[test]
fn legacy_encoding_is_detected_and_said() {
    // The one page of the corpus that is neither UTF-8 nor declares its encoding rightly.
    let mut seen = 0;
    for (path, _) in pages() {
        let (doc, _) = read(&corpus().join(&path));
        if doc.encoding.source != kulisy_model::EncodingSource::Valid {
            seen += 1;
            assert!(doc.diagnostics.iter().any(|d| d.code == "encoding-assumed") || doc.encoding.source == kulisy_model::EncodingSource::Declared, "{path}");
            assert!(!doc.text.contains('\u{FFFD}'), "{path}: replacement characters");
        }
    }
    assert!(seen >= 1);
}

const SNAPSHOT_PAGES: &[&str] = &[
    "mia/archive/trotsky/1938/04/lp.htm",
    "mia/archive/hansen/1940/10/end.htm",
    "mia/archive/serge/1944/notebooks.htm",
    "mia/archive/malenkov/1949/12/21.htm",
    "mia/archive/kuusinen/1925/05/german-october.htm",
    "mia/reference/archive/kerensky/1927/catastrophe/ch01.htm",
    "mia/archive/kamenev/1924/11/trotskyism.htm",
    "mia/archive/radek/1922/04/speech.html",
    "mia/archive/arnot-page/1938/05/fascist-agents.htm",
    "mia/archive/krupskaya/works/howleninstudiedmarx.htm",
    "mia/archive/fitzgerald/1922/dights_dilemma.htm",
    "mia/archive/beria/1950/01/contrast.htm",
];

#[test]
fn snapshots() {
    for page in SNAPSHOT_PAGES {
        let (doc, ex) = read(&corpus().join(page));
        let name = page.trim_start_matches("mia/").replace('/', "__");
        insta::assert_snapshot!(name, summary(&doc, &ex));
    }
}

/// Pages dense with dates, whose timelines are kept as snapshots.
const TIMELINE_PAGES: &[&str] = &[
    "mia/archive/kuusinen/1925/05/german-october.htm",
    "mia/archive/trotsky/1938/04/lp.htm",
    "mia/archive/hansen/1940/10/end.htm",
    "mia/archive/malenkov/1949/12/21.htm",
];

#[test]
fn timeline_snapshots() {
    for page in TIMELINE_PAGES {
        let (doc, ex) = read(&corpus().join(page));
        let name = format!("timeline__{}", page.trim_start_matches("mia/archive/").replace('/', "__"));
        insta::assert_snapshot!(name, kulisy_exchange::text::timeline(&doc, &ex));
    }
}

#[test]
fn every_event_names_its_sieve_and_every_date_of_the_timeline_is_in_order() {
    for page in TIMELINE_PAGES {
        let (doc, ex) = read(&corpus().join(page));
        assert!(!ex.timeline.is_empty(), "{page}: no timeline");
        for e in &ex.events {
            assert!(!e.sieve.is_empty() && e.confidence > 0.0 && e.confidence <= 1.0, "{page}: {e:?}");
        }
        let keys: Vec<_> = ex.timeline.iter().filter_map(|t| t.date).filter_map(|d| ex.dates[d].date.sort_key()).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{page}: timeline out of order");
        assert_eq!(ex.timeline.len(), ex.events.len(), "{page}");
        let _ = doc;
    }
}
