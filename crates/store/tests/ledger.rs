//! The ledger, on both backends: idempotent ingest, versions, atomic
//! documents, entities resolved across sources, and the queries people ask.

use std::path::PathBuf;

mod common;
use common::backends;

use kulisy_store::{Ingested, QuoteFilter, Store, TimelineFilter};

fn reference() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/behind-the-scenes-1929.txt")
}

fn read(bytes: &[u8], name: &str) -> (kulisy_model::Document, kulisy_extract::Extraction) {
    let doc = kulisy_read::read_bytes(name, bytes.to_vec(), Some(kulisy_model::SourceFormat::Text)).unwrap_or_else(|e| panic!("{e}"));
    let ex = kulisy_extract::extract(&doc);
    (doc, ex)
}

fn ingest_reference(store: &mut Store, locator: &str) -> Ingested {
    let bytes = std::fs::read(reference()).unwrap_or_else(|e| panic!("{e}"));
    let (doc, ex) = read(&bytes, locator);
    store.ingest(locator, &doc, &ex, "test").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_same_bytes_twice_change_nothing_and_new_bytes_make_a_version() {
    for b in backends("versions") {
        same_bytes_and_new_bytes(&b);
    }
}

fn same_bytes_and_new_bytes(b: &common::Backend) {
    let mut store = b.open();
    let first = ingest_reference(&mut store, "report.txt");
    let Ingested::Added { version: 1, factoids, .. } = first else { panic!("{first:?}") };
    assert!(factoids > 50, "{factoids} factoids");
    let counts = store.counts().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ingest_reference(&mut store, "report.txt"), Ingested::Unchanged { version: 1 });
    assert_eq!(store.counts().unwrap_or_else(|e| panic!("{e}")), counts, "a second ingest changed the ledger");

    // A corrected source: a new version; the old one is kept; queries read the new one.
    let bytes = std::fs::read(reference()).unwrap_or_else(|e| panic!("{e}"));
    let corrected = String::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("{e}"))
        .replace("Three days later Kamenev approached Voroshilov", "Four days later Kamenev approached Voroshilov");
    let (doc, ex) = read(corrected.as_bytes(), "report.txt");
    let again = store.ingest("report.txt", &doc, &ex, "test").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(again, Ingested::Added { version: 2, .. }), "{again:?}");
    let sources = store.sources().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((sources.len(), sources[0].versions), (1, 2));
    let voroshilov = store.timeline(&TimelineFilter { person: Some("Voroshilov".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(voroshilov.len(), 1);
    assert_eq!(voroshilov[0].version, 2);
    assert_eq!(voroshilov[0].date_text.as_deref(), Some("Four days later"));

    // Reopening finds the schema in place.
    drop(store);
    let store = b.open();
    assert_eq!(store.schema_version().unwrap_or_else(|e| panic!("{e}")), 12);
    assert_eq!(store.sources().unwrap_or_else(|e| panic!("{e}")).len(), 1);
}

#[test]
fn a_source_gives_back_the_bytes_it_was_read_from() {
    for b in backends("original") {
        let mut store = b.open();
        let plain = "Kamenev met Bukharin at Pyatakov\u{2019}s.\n\nBukharin said, \u{201c}The line is ruinous.\u{201d}\n".as_bytes().to_vec();
        let crlf = "Kamenev met Bukharin.\r\n\r\nBukharin said, \"It is ruinous.\"\r\n".as_bytes().to_vec();
        let latin1 = b"Kamenev met Bukharin in the caf\xe9.\n\nBukharin said, \"No.\"\n".to_vec();
        for (name, bytes) in [("plain.txt", &plain), ("crlf.txt", &crlf), ("latin1.txt", &latin1)] {
            let (doc, ex) = read(bytes, name);
            store.ingest(name, &doc, &ex, "test").unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(store.original(name, 1).unwrap_or_else(|e| panic!("{e}")).as_ref(), Some(bytes), "{}: {name}", b.label);
        }
        assert_eq!(store.original("plain.txt", 2).unwrap_or_else(|e| panic!("{e}")), None);
    }
}

#[test]
fn a_document_that_fails_midway_leaves_nothing_and_the_batch_goes_on() {
    for b in backends("atomic") {
        drop(b.open());
        // A trigger that refuses the events of one source, as a disk error
        // would, after its version, entities and mentions are already written.
        b.admin(
            "CREATE TRIGGER refuse AFTER INSERT ON events WHEN (SELECT s.locator FROM factoids f JOIN source_versions v ON v.id = f.version_id JOIN sources s ON s.id = v.source_id WHERE f.id = NEW.factoid_id) = 'broken.txt'
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
               IF (SELECT s.locator FROM factoids f JOIN source_versions v ON v.id = f.version_id JOIN sources s ON s.id = v.source_id WHERE f.id = NEW.factoid_id) = 'broken.txt'
               THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
             CREATE TRIGGER refuse AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse();",
        );
        let mut store = b.open();
        let bytes = std::fs::read(reference()).unwrap_or_else(|e| panic!("{e}"));
        let (doc, ex) = read(&bytes, "x");
        let mut batch = store.batch().unwrap_or_else(|e| panic!("{e}"));
        assert!(batch.ingest("good-1.txt", &doc, &ex, "test").is_ok());
        let refused = batch.ingest("broken.txt", &doc, &ex, "test");
        assert!(refused.as_ref().is_err_and(|e| e.to_string().contains("refused")), "{refused:?}");
        assert!(batch.ingest("good-2.txt", &doc, &ex, "test").is_ok());
        batch.commit().unwrap_or_else(|e| panic!("{e}"));
        let locators: Vec<String> = store.sources().unwrap_or_else(|e| panic!("{e}")).into_iter().map(|s| s.locator).collect();
        assert_eq!(locators, vec!["good-1.txt", "good-2.txt"]);
        // Nothing of the broken one: no version, no factoid, no mention.
        let (sources, versions, _, factoids) = store.counts().unwrap_or_else(|e| panic!("{e}"));
        let (_, _, _, one) = {
            let mut solo = Store::in_memory().unwrap_or_else(|e| panic!("{e}"));
            solo.ingest("a", &doc, &ex, "test").unwrap_or_else(|e| panic!("{e}"));
            solo.counts().unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!((sources, versions, factoids), (2, 2, 2 * one));
        // A batch dropped before its commit leaves nothing either.
        let mut batch = store.batch().unwrap_or_else(|e| panic!("{e}"));
        assert!(batch.ingest("good-3.txt", &doc, &ex, "test").is_ok());
        drop(batch);
        assert_eq!(store.counts().unwrap_or_else(|e| panic!("{e}")).0, 2);
    }
}

#[test]
fn one_person_across_sources_and_the_queries_about_them() {
    for b in backends("person") {
        let mut store = b.open();
        ingest_reference(&mut store, "report.txt");
        let letter = "A Letter\n\nBy a correspondent\n\nKamenev met Radek in Moscow on March 3, 1930. Kamenev said, “Nothing will come of it.”\n";
        let (doc, ex) = read(letter.as_bytes(), "letter.txt");
        store.ingest("letter.txt", &doc, &ex, "test").unwrap_or_else(|e| panic!("{e}"));

        // One Kamenev, in both sources.
        assert_eq!(store.entities_named("Kamenev").unwrap_or_else(|e| panic!("{e}")).len(), 1);
        let page = store.person("Kamenev").unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no Kamenev"));
        let sources: Vec<&str> = page.sources.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(sources, vec!["report.txt", "letter.txt"]);
        assert!(page.said.iter().any(|q| q.words.starts_with("Nothing will come") && q.locator == "letter.txt"));
        assert!(page.said.iter().any(|q| q.words.starts_with("But wouldn’t that be a platform") && q.addressees == vec!["Bukharin".to_string()]));
        // Meetings in time order, across sources: December 1928 before March 1930.
        let met: Vec<(Option<String>, String)> = page.events.iter().filter(|e| e.kind == "encounter").map(|e| (e.date.clone(), e.locator.clone())).collect();
        assert_eq!(met.first().map(|m| m.0.as_deref()), Some(Some("1928-12/1929-01")));
        assert!(met.iter().any(|m| m.0.as_deref() == Some("1930-03-03") && m.1 == "letter.txt"), "{met:?}");
        let pos = |d: &str| met.iter().position(|m| m.0.as_deref() == Some(d)).unwrap_or(usize::MAX);
        assert!(pos("1928-12/1929-01") < pos("1930-03-03"));

        // Quotations by speaker and addressee, and a date window.
        let to_pyatakov = store
            .quotes(&QuoteFilter { speaker: Some("Kamenev".into()), addressee: Some("Pyatakov".into()), ..Default::default() })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(to_pyatakov.iter().any(|q| q.words.starts_with("Then what do you propose")), "{to_pyatakov:?}");
        let in_1930 = store.quotes(&QuoteFilter { from: Some("1930".into()), to: Some("1930".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(in_1930.iter().map(|q| q.locator.as_str()).collect::<Vec<_>>(), vec!["letter.txt"]);

        // The timeline of one month, and full-text search with its snippet.
        let january =
            store.timeline(&TimelineFilter { from: Some("1929-01".into()), to: Some("1929-01".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
        assert!(january.iter().any(|e| e.kind == "publication" && e.date.as_deref() == Some("1929-01-20")));
        assert!(january.iter().all(|e| e.date.is_some()));
        let hits = store.search("Pyatakov advice", 5).unwrap_or_else(|e| panic!("{e}"));
        assert!(hits[0].snippet.contains("[advice]") || hits[0].snippet.contains("[Pyatakov]"), "{hits:?}");
        // The network, focused or whole, counts each tie once.
        let focused =
            store.network(&kulisy_store::NetworkFilter { person: Some("Kamenev".into()), hops: 1, ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
        let whole = store.network(&kulisy_store::NetworkFilter::default()).unwrap_or_else(|e| panic!("{e}"));
        let radek = focused.iter().find(|t| t.a == "Radek" || t.b == "Radek").unwrap_or_else(|| panic!("{focused:?}"));
        // They met, and Kamenev spoke to Radek in the scene their meeting opened.
        assert_eq!((radek.meetings, radek.spoke), (1, 1));
        for t in &focused {
            assert!(t.a == "Kamenev" || t.b == "Kamenev", "{t:?}");
            assert!(whole.contains(t), "{t:?} differs in the whole network");
        }
        let march_1930 = store
            .network(&kulisy_store::NetworkFilter { from: Some("1930-03".into()), to: Some("1930-03".into()), ..Default::default() })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(march_1930.len(), 1, "{march_1930:?}");
        // Anything typed is a query, never a syntax error.
        assert!(store.search("\"AND OR ( NEAR", 5).is_ok());
    }
}

#[test]
fn a_name_links_sources_only_when_it_says_enough() {
    for b in backends("names") {
        surnames(&b);
    }
}

/// `Trotsky` alone, `Leon Trotsky` (twice) and `Natalia Trotsky`, in `order`.
fn trotskys(b: &common::Backend, order: &[usize], leon_twice: bool) -> Store {
    let texts = [
        ("b.txt", "Notes\n\nBy a witness\n\nThe guards saw Trotsky at the gate. Then Trotsky went back to his study.\n"),
        ("a.txt", "Notes\n\nBy a witness\n\nLeon Trotsky arrived in Coyoacan. Later Trotsky spoke with the guards about Mexico.\n"),
        ("c.txt", "Notes\n\nBy a witness\n\nNatalia Trotsky wrote to the court. Later Natalia Trotsky spoke to the press. Trotsky was not there.\n"),
        ("d.txt", "Diary\n\nBy a visitor\n\nLeon Trotsky received us in the morning. Trotsky was tired.\n"),
    ];
    let mut store = b.open();
    for &i in order {
        let (locator, text) = texts[i];
        if locator == "d.txt" && !leon_twice {
            continue;
        }
        let (doc, mut ex) = read(text.as_bytes(), locator);
        // As discovery may do, c.txt's Natalia Trotsky also goes by `Trotsky`.
        for e in ex.cast.entities.iter_mut().filter(|e| e.name == "Natalia Trotsky") {
            e.aliases.push("Trotsky".into());
        }
        store.ingest(locator, &doc, &ex, "test").unwrap_or_else(|e| panic!("{e}"));
    }
    store
}

fn surnames(b: &common::Backend) {
    let orders: [[usize; 4]; 4] = [[0, 1, 2, 3], [2, 1, 3, 0], [1, 0, 2, 3], [3, 2, 0, 1]];
    let sources = |store: &Store, name: &str| -> Vec<String> {
        let page = store.person(name).unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no {name}"));
        let mut s: Vec<String> = page.sources.into_iter().map(|s| s.0).collect();
        s.sort();
        s
    };
    for (n, order) in orders.iter().enumerate() {
        // Leon Trotsky, named by two sources, is by far the best known
        // Trotsky: `Trotsky` alone is him, in whatever order the sources came.
        let dir = common::temp_dir(&format!("names-{}-{n}", b.label));
        let target = if b.label == "sqlite" { dir.join("ledger.db").display().to_string() } else { b.target.clone() };
        let here = common::Backend { label: b.label, target };
        if b.label == "postgres" {
            here.admin("", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        }
        let store = trotskys(&here, order, true);
        assert_eq!(sources(&store, "Leon Trotsky"), ["a.txt", "b.txt", "d.txt"], "order {order:?}");
        // ... and Natalia Trotsky is someone else.
        assert_eq!(sources(&store, "Natalia Trotsky"), ["c.txt"], "order {order:?}");
        let leon = store.entities_named("Leon Trotsky").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.entities_named("Trotsky").unwrap_or_else(|e| panic!("{e}")).first(), leon.first(), "order {order:?}");
        assert_eq!(sources(&store, "Trotsky"), ["a.txt", "b.txt", "d.txt"], "order {order:?}");
        drop(store);
        // Named once each, neither is: `Trotsky` alone stands for itself.
        here.admin("", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        if b.label == "sqlite" {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        }
        let store = trotskys(&here, order, false);
        assert_eq!(sources(&store, "Leon Trotsky"), ["a.txt"], "order {order:?}");
        assert_eq!(sources(&store, "Natalia Trotsky"), ["c.txt"], "order {order:?}");
        assert_eq!(sources(&store, "Trotsky"), ["b.txt"], "order {order:?}");
    }
}

#[test]
fn a_large_load_builds_its_indexes_at_the_end_and_answers_the_same() {
    for b in backends("deferred") {
        deferred_indexes(&b);
    }
}

fn deferred_indexes(b: &common::Backend) {
    let plain = common::temp_dir(&format!("deferred-plain-{}", b.label)).join("ledger.db");
    let mut plain = Store::open(&plain).unwrap_or_else(|e| panic!("{e}"));
    for locator in ["report.txt", "copy.txt"] {
        ingest_reference(&mut plain, locator);
    }
    let mut store = b.open();
    let dropped = store.defer_indexes().unwrap_or_else(|e| panic!("{e}"));
    // PostgreSQL, which several writers share, keeps its indexes.
    assert_eq!(dropped, b.label == "sqlite");
    let deferred = store.deferred_indexes().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(deferred.len(), if dropped { 7 } else { 0 }, "{deferred:?}");
    ingest_reference(&mut store, "report.txt");
    // Killed here: the ledger remembers what is left to build.
    drop(store);
    let mut store = b.open();
    assert_eq!(store.deferred_indexes().unwrap_or_else(|e| panic!("{e}")), deferred);
    ingest_reference(&mut store, "copy.txt");
    let by = |s: &Store| s.quotes(&QuoteFilter { speaker: Some("Kamenev".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}")).len();
    // Without the indexes the answers are the same, only slower to come.
    assert_eq!(by(&store), by(&plain));
    if b.label == "sqlite" {
        // A build that fails midway keeps the indexes it finished and
        // leaves the rest listed for the next.
        b.admin("CREATE VIEW events_days AS SELECT 1", "");
        assert!(store.build_deferred_indexes().is_err());
        assert_eq!(store.deferred_indexes().unwrap_or_else(|e| panic!("{e}")), ["entity_links_entity", "events_days", "mentions_entity"]);
        b.admin("DROP VIEW events_days", "");
        assert_eq!(store.build_deferred_indexes().unwrap_or_else(|e| panic!("{e}")), 3);
    } else {
        assert_eq!(store.build_deferred_indexes().unwrap_or_else(|e| panic!("{e}")), deferred.len());
    }
    assert!(store.deferred_indexes().unwrap_or_else(|e| panic!("{e}")).is_empty());
    assert_eq!(store.build_deferred_indexes().unwrap_or_else(|e| panic!("{e}")), 0);
    assert_eq!(by(&store), by(&plain));
    let person = |s: &Store| s.person("Kamenev").unwrap_or_else(|e| panic!("{e}")).map(|p| (p.said.len(), p.heard.len(), p.events.len()));
    assert_eq!(person(&store), person(&plain));
    if b.label == "sqlite" {
        let conn = rusqlite::Connection::open(&b.target).unwrap_or_else(|e| panic!("{e}"));
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('quotations_speaker', 'quotation_addressees_entity', 'event_participants_entity', 'quotations_days', 'events_days', 'entity_links_entity', 'mentions_entity')", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, 7);
    }
}

#[test]
fn a_source_that_names_two_entities_by_full_names_makes_them_one_in_any_order() {
    for b in backends("full-names") {
        full_names_join(&b);
    }
}

fn full_names_join(b: &common::Backend) {
    let kautsky = kulisy_extract::cast::person("Karl Johann Kautsky", &["Karl Kautsky"], Some(kulisy_model::Gender::Male));
    let sources: [(&str, &[u8], bool); 3] = [
        ("a.txt", b"In 1889 Karl Kautsky met Victor Adler in Vienna.\n", false),
        ("b.txt", b"In 1898 Karl Johann Kautsky wrote to Eduard Bernstein.\n", false),
        // This one knows both names are one man's.
        ("c.txt", b"In 1891 Karl Johann Kautsky drafted the programme; Karl Kautsky was thirty-six.\n", true),
    ];
    let mut pages = Vec::new();
    for (n, order) in [[0usize, 1, 2], [2, 0, 1], [1, 2, 0]].into_iter().enumerate() {
        let target = if n == 0 { b.target.clone() } else { common::temp_dir(&format!("full-names-{}-{n}", b.label)).join("ledger.db").display().to_string() };
        let backend = common::Backend { label: b.label, target };
        if n > 0 && b.label != "sqlite" {
            continue;
        }
        let mut store = backend.open();
        for i in order {
            let (locator, bytes, knows) = sources[i];
            let doc = kulisy_read::read_bytes(locator, bytes.to_vec(), Some(kulisy_model::SourceFormat::Text)).unwrap_or_else(|e| panic!("{e}"));
            let options = kulisy_extract::Options { known: if knows { vec![kautsky.clone()] } else { Vec::new() } };
            let ex = kulisy_extract::extract_with(&doc, &options);
            store.ingest(locator, &doc, &ex, "curator-a").unwrap_or_else(|e| panic!("{e}"));
        }
        let page = store.person("Karl Kautsky").unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no Karl Kautsky"));
        let mut sources: Vec<String> = page.sources.iter().map(|(s, _)| s.clone()).collect();
        sources.sort();
        // One man, in all three sources, by either name.
        assert_eq!(sources, ["a.txt", "b.txt", "c.txt"], "order {order:?}");
        let same = store.person("Karl Johann Kautsky").unwrap_or_else(|e| panic!("{e}")).map(|p| p.id);
        assert_eq!(same, Some(page.id), "order {order:?}");
        pages.push((page.name.clone(), sources));
        // Where a merge was made, it is in the history, by whoever ingested.
        if order == [0, 1, 2] && b.label == "sqlite" {
            let conn = rusqlite::Connection::open(&backend.target).unwrap_or_else(|e| panic!("{e}"));
            let other: i64 = conn.query_row("SELECT id FROM entities WHERE merged_into = ?1", [page.id], |r| r.get(0)).unwrap_or_else(|e| panic!("{e}"));
            let history = store.history("entity", other).unwrap_or_else(|e| panic!("{e}"));
            assert!(history.iter().any(|r| r.field == "merged_into" && r.by == "curator-a" && r.value == serde_json::json!(page.id)), "{history:?}");
        }
    }
    // Every order gives the same name.
    assert!(pages.windows(2).all(|w| w[0] == w[1]), "{pages:?}");
}

#[test]
fn a_sqlite_ledger_of_schema_9_keeps_everything_when_migrated() {
    let path = common::temp_dir("rowid").join("ledger.db");
    let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    ingest_reference(&mut store, "report.txt");
    let answers = |s: &Store| {
        let person = s.person("Kamenev").unwrap_or_else(|e| panic!("{e}")).map(|p| (p.name, p.aliases, p.said.len(), p.heard.len(), p.events.len(), p.sources.len()));
        let heard = s.quotes(&QuoteFilter { addressee: Some("Kamenev".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}")).len();
        let met = s.timeline(&TimelineFilter { person: Some("Bukharin".into()), ..Default::default() }).unwrap_or_else(|e| panic!("{e}")).len();
        let found = s.search("Bukharin Kamenev", 50).unwrap_or_else(|e| panic!("{e}"));
        let original = s.original("report.txt", 1).unwrap_or_else(|e| panic!("{e}"));
        (person, heard, met, s.counts().unwrap_or_else(|e| panic!("{e}")), found, original)
    };
    let before = answers(&store);
    drop(store);
    // The four tables as schema 9 made them: a rowid table beside an index of its key.
    let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    for (table, columns, key, index) in [
        ("entity_names", "entity_id INTEGER NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL, uses INTEGER NOT NULL DEFAULT 0", "entity_id, key", "entity_names_key ON entity_names(key)"),
        ("entity_links", "version_id INTEGER NOT NULL, local INTEGER NOT NULL, entity_id INTEGER NOT NULL, reason TEXT NOT NULL", "version_id, local", "entity_links_entity ON entity_links(entity_id)"),
        ("quotation_addressees", "factoid_id INTEGER NOT NULL, entity_id INTEGER NOT NULL", "factoid_id, entity_id", "quotation_addressees_entity ON quotation_addressees(entity_id)"),
        ("event_participants", "factoid_id INTEGER NOT NULL, entity_id INTEGER NOT NULL, role TEXT NOT NULL", "factoid_id, entity_id, role", "event_participants_entity ON event_participants(entity_id)"),
    ] {
        conn.execute_batch(&format!(
            "CREATE TABLE old ({columns}, PRIMARY KEY ({key})); INSERT INTO old SELECT * FROM {table}; DROP TABLE {table}; ALTER TABLE old RENAME TO {table}; CREATE INDEX {index};"
        ))
        .unwrap_or_else(|e| panic!("{table}: {e}"));
    }
    // The search index as schema 9 made it, with a copy of every paragraph; the original bytes kept whole.
    conn.execute_batch(
        "CREATE VIRTUAL TABLE old USING fts5(text, version_id UNINDEXED, span_start UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
         INSERT INTO old (rowid, text, version_id, span_start) SELECT p.id, t.text, p.version_id, p.span_start FROM passage_spans p JOIN passage_texts t ON t.id = p.id;
         DROP TABLE passages; DROP VIEW passage_texts; DROP TABLE passage_spans; ALTER TABLE old RENAME TO passages;
         UPDATE source_versions SET original = CAST(text AS BLOB);
         DELETE FROM schema_migrations WHERE version >= 10",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let rowid_tables = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('entity_names', 'entity_links', 'quotation_addressees', 'event_participants') AND sql NOT LIKE '%WITHOUT ROWID'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(rowid_tables(&conn), 4);
    drop(conn);
    // Opened by this version: migrated, the same answers.
    let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.schema_version().unwrap_or_else(|e| panic!("{e}")), 12);
    assert_eq!(answers(&store), before);
    assert!(before.4.len() > 3, "{:?}", before.4);
    let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rowid_tables(&conn), 0);
    let copies: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = 'passages_content'", [], |r| r.get(0)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(copies, 0, "the search index still keeps a copy of the paragraphs");
    // And it goes on: the same bytes change nothing, another copy links to the same persons.
    assert_eq!(ingest_reference(&mut store, "report.txt"), Ingested::Unchanged { version: 1 });
    ingest_reference(&mut store, "copy.txt");
    let kamenev = store.person("Kamenev").unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no Kamenev"));
    assert_eq!(kamenev.sources.len(), 2);
}

#[test]
fn a_sqlite_ledger_copies_its_log_back_while_a_load_goes_on() {
    let path = common::temp_dir("checkpoint").join("ledger.db");
    let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let size = || std::fs::metadata(&path).map_or(0, |m| m.len());
    let opened = size();
    // One document: far fewer pages than the writer's own checkpoint waits for.
    ingest_reference(&mut store, "report.txt");
    // With the ledger still open, its pages reach the database file itself,
    // not only the write-ahead log beside it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while size() <= opened && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(size() > opened, "the database file stayed at {opened} bytes while the ledger was open");
    // Another process reading the file finds the document; closing leaves no log behind.
    let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let sources: i64 = conn.query_row("SELECT COUNT(*) FROM sources", [], |r| r.get(0)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sources, 1);
    drop(conn);
    drop(store);
    let wal = path.with_extension("db-wal");
    assert!(std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0, "{} left behind", wal.display());
}
