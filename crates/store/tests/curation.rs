//! Curation: corrections as revisions with who and when, history and
//! restore, rejected and added factoids, merged and split entities, and
//! curated values surviving a re-ingest.

use serde_json::json;

use kulisy_store::{QuoteFilter, Store, TimelineFilter};

mod common;
use common::backends;

fn reference_text() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/behind-the-scenes-1929.txt");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"))
}

fn ingest(store: &mut Store, locator: &str, text: &str) {
    let doc = kulisy_read::read_bytes(locator, text.as_bytes().to_vec(), Some(kulisy_model::SourceFormat::Text)).unwrap_or_else(|e| panic!("{e}"));
    let ex = kulisy_extract::extract(&doc);
    store.ingest(locator, &doc, &ex, "reader").unwrap_or_else(|e| panic!("{e}"));
}

fn id_of(store: &Store, name: &str) -> i64 {
    store.entities_named(name).unwrap_or_else(|e| panic!("{e}")).first().copied().unwrap_or_else(|| panic!("no {name}"))
}

fn quote(store: &Store, starts: &str) -> kulisy_store::QuoteRow {
    store
        .quotes(&QuoteFilter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|q| q.words.starts_with(starts))
        .unwrap_or_else(|| panic!("no quotation {starts}"))
}

#[test]
fn a_correction_is_a_revision_that_can_be_listed_and_undone() {
    for b in backends("revision") {
        let mut store = b.open();
        ingest(&mut store, "report.txt", &reference_text());
        let q = quote(&store, "Perhaps, but haven’t you");
        assert_eq!((q.speaker.as_deref(), q.status.as_str()), (Some("Bukharin"), "automatic"));
        let kamenev = id_of(&store, "Kamenev");
        let r = store.revise("quotation", q.id, "speaker", json!(kamenev), "curator-a", Some("a test")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.previous, json!(id_of(&store, "Bukharin")));
        let q2 = quote(&store, "Perhaps, but haven’t you");
        assert_eq!((q2.speaker.as_deref(), q2.status.as_str()), (Some("Kamenev"), "curated"));
        assert!(store.quotes(&QuoteFilter { speaker: Some("Kamenev".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}")).iter().any(|x| x.id == q.id));
        // Undo, and the history shows both changes, with who.
        store.restore(r.id, "curator-b").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(quote(&store, "Perhaps, but haven’t you").speaker.as_deref(), Some("Bukharin"));
        let h = store.history("quotation", q.id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(h.iter().map(|r| r.by.as_str()).collect::<Vec<_>>(), vec!["curator-a", "curator-b"]);
        // Bad values are refused and change nothing.
        assert!(store.revise("quotation", q.id, "speaker", json!(999_999), "c", None).is_err());
        assert!(store.revise("quotation", 999_999, "speaker", json!(null), "c", None).is_err());
        assert!(store.revise("quotation", q.id, "colour", json!("red"), "c", None).is_err());
        assert_eq!(store.history("quotation", q.id).unwrap_or_else(|e| panic!("{e}")).len(), 2);
    }
}

#[test]
fn events_sources_and_factoids_are_curated_too() {
    for b in backends("events") {
        let mut store = b.open();
        ingest(&mut store, "report.txt", &reference_text());
        let visit = store.timeline(&TimelineFilter { person: Some("Voroshilov".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
        let visit = &visit[0];
        store.revise("event", visit.id, "date", json!("1929-01-02"), "curator", None).unwrap_or_else(|e| panic!("{e}"));
        let day = store
            .timeline(&TimelineFilter { from: Some("1929-01-02".into()), to: Some("1929-01-02".into()), ..Default::default() })
            .unwrap_or_else(|e| panic!("{e}"));
        // It is on that day now (with the events whose stretch of days holds it).
        assert!(day.iter().any(|e| e.id == visit.id && e.date.as_deref() == Some("1929-01-02")), "{day:?}");
        assert!(store.revise("event", visit.id, "date", json!("the spring"), "curator", None).is_err());
        // Participants: Voroshilov as the host.
        let (k, v) = (id_of(&store, "Kamenev"), id_of(&store, "Voroshilov"));
        store.revise("event", visit.id, "participants", json!([[k, "agent"], [v, "host"]]), "curator", None).unwrap_or_else(|e| panic!("{e}"));
        let again = store.timeline(&TimelineFilter { person: Some("Voroshilov".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again[0].participants, vec![("Kamenev".to_string(), "agent".to_string()), ("Voroshilov".to_string(), "host".to_string())]);
        // A rejected factoid leaves the answers; an added one joins them.
        let q = quote(&store, "Perhaps, but haven’t you");
        store.revise("factoid", q.id, "status", json!("rejected"), "curator", None).unwrap_or_else(|e| panic!("{e}"));
        assert!(store.quotes(&QuoteFilter::default()).unwrap_or_else(|e| panic!("{e}")).iter().all(|x| x.id != q.id));
        let text = reference_text();
        let at = text.find("Then they parted.").unwrap_or_else(|| panic!("no passage"));
        let added = store.add_quotation("report.txt", at, at + "Then they parted.".len(), Some(k), "curator").unwrap_or_else(|e| panic!("{e}"));
        let row = quote(&store, "Then they parted.");
        assert_eq!((row.id, row.status.as_str(), row.speaker.as_deref()), (added, "added", Some("Kamenev")));
        // A source's reliability and authorship.
        let sid = store.sources().unwrap_or_else(|e| panic!("{e}"))[0].id;
        store.revise("source", sid, "reliability", json!("B2"), "curator", None).unwrap_or_else(|e| panic!("{e}"));
        store
            .revise("source", sid, "authorship", json!("Trotsky, rewritten from letters from Moscow (Daniels); disputed (Carr)"), "curator", None)
            .unwrap_or_else(|e| panic!("{e}"));
        let s = &store.sources().unwrap_or_else(|e| panic!("{e}"))[0];
        assert_eq!(s.reliability.as_deref(), Some("B2"));
        assert!(s.authorship.as_deref().is_some_and(|a| a.starts_with("Trotsky")));
        // An entity's name.
        store.revise("entity", k, "name", json!("Lev Kamenev"), "curator", None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.person("Kamenev").unwrap_or_else(|e| panic!("{e}")).map(|p| p.name), Some("Lev Kamenev".to_string()));
    }
}

#[test]
fn merged_entities_answer_to_both_names_and_a_split_gives_a_source_its_own() {
    for b in backends("merge") {
        let mut store = b.open();
        ingest(&mut store, "a.txt", "Notes A\n\nBy a witness\n\nSokolnikov met Kamenev on May 3, 1926. Sokolnikov said, “We shall see.”\n");
        ingest(&mut store, "b.txt", "Notes B\n\nBy a witness\n\nBrilliant met Zinoviev on June 9, 1926. Brilliant said, “Not yet.”\n");
        let (s, b) = (id_of(&store, "Sokolnikov"), id_of(&store, "Brilliant"));
        assert_ne!(s, b);
        store.merge(s, b, "curator", Some("Brilliant was Sokolnikov's name at birth")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.resolve(b).unwrap_or_else(|e| panic!("{e}")), s, "a merged-away id resolves to its survivor");
        let page = store.person("Brilliant").unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no page"));
        assert_eq!(page.id, s);
        // The survivor goes by the name its sources use most, at once: one
        // source each, so the first in code-point order.
        assert_eq!(page.name, "Brilliant");
        assert_eq!(page.sources.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), vec!["a.txt", "b.txt"]);
        assert_eq!(page.said.len(), 2);
        assert_eq!(page.events.len(), 2);
        // Split: the person b.txt speaks of becomes an entity of his own again.
        let new = store.split(s, &["b.txt"], "curator", None).unwrap_or_else(|e| panic!("{e}"));
        let page = store.person("Sokolnikov").unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no page"));
        assert_eq!(page.sources.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), vec!["a.txt"]);
        // Its own quotation only, though the entity split off goes by the same name.
        assert_eq!(page.said.len(), 1);
        assert_eq!(page.said[0].locator, "a.txt");
        let quotes_b = store.quotes(&QuoteFilter { source: Some("b.txt".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
        assert!(quotes_b.iter().all(|q| q.speaker.is_some()), "{quotes_b:?}");
        assert_ne!(new, s);
        assert_eq!(store.history("entity", s).unwrap_or_else(|e| panic!("{e}")).last().map(|r| r.field.as_str()), Some("split"));
    }
}

#[test]
fn two_entities_of_one_name_each_have_their_own_page() {
    for b in backends("namesake") {
        let mut store = b.open();
        ingest(&mut store, "a.txt", "Notes A\n\nBy a witness\n\nSokolnikov met Kamenev on May 3, 1926. Sokolnikov said, “We shall see.”\n");
        ingest(&mut store, "b.txt", "Notes B\n\nBy a witness\n\nSokolnikov met Zinoviev on June 9, 1926. Sokolnikov said, “Not yet.”\n");
        let s = id_of(&store, "Sokolnikov");
        // The man b.txt speaks of is another of the same name.
        let other = store.split(s, &["b.txt"], "curator", None).unwrap_or_else(|e| panic!("{e}"));
        let page = store.person("Sokolnikov").unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no page"));
        assert_eq!(page.id, s);
        assert_eq!(page.said.iter().map(|q| q.locator.as_str()).collect::<Vec<_>>(), vec!["a.txt"]);
        assert_eq!(page.events.len(), 1);
        assert_ne!(other, s);
        // Asking by the name still finds what both said.
        assert_eq!(store.quotes(&QuoteFilter { speaker: Some("Sokolnikov".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}")).len(), 2);
    }
}

#[test]
fn curated_values_survive_a_reingest_of_a_corrected_source() {
    for b in backends("carry") {
        let mut store = b.open();
        let text = reference_text();
        ingest(&mut store, "report.txt", &text);
        let q = quote(&store, "Perhaps, but haven’t you");
        let kamenev = id_of(&store, "Kamenev");
        store.revise("quotation", q.id, "speaker", json!(kamenev), "curator", None).unwrap_or_else(|e| panic!("{e}"));
        // The source is corrected elsewhere and ingested again: a new version.
        ingest(&mut store, "report.txt", &text.replace("Then they parted.", "Then they parted, late."));
        let q2 = quote(&store, "Perhaps, but haven’t you");
        assert_eq!(q2.version, 2);
        assert_eq!((q2.speaker.as_deref(), q2.status.as_str()), (Some("Kamenev"), "curated"), "extraction overwrote a curated value");
        let h = store.history("quotation", q2.id).unwrap_or_else(|e| panic!("{e}"));
        assert!(h[0].note.as_deref().is_some_and(|n| n.contains("carried")), "{h:?}");
        // The old version keeps its own curated value too.
        assert_eq!(store.history("quotation", q.id).unwrap_or_else(|e| panic!("{e}")).len(), 1);
    }
}
