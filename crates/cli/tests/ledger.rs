//! `kulisy ingest` and the ledger queries, end to end: refused files, the
//! exit code, idempotence, and a process killed mid-ingest then resumed to
//! the very ledger an uninterrupted run makes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{corpus, kulisy};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kulisy-ledger-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = kulisy(args);
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_broken_file_is_refused_and_the_others_go_in() {
    let dir = temp_dir("refused");
    let src = dir.join("sources");
    std::fs::create_dir_all(&src).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(corpus().join("behind-the-scenes-1929.txt"), src.join("a-report.txt")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(src.join("b-binary.txt"), [0u8, 159, 146, 150, 0, 0, 1, 2, 3]).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(src.join("c-empty.txt"), b"").unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(corpus().join("federalist/papers/federalist_10.txt"), src.join("d-federalist.txt")).unwrap_or_else(|e| panic!("{e}"));
    let db = dir.join("k.db");
    let db = db.to_str().unwrap_or_else(|| unreachable!());
    let (code, out, err) = run(&["ingest", "--db", db, src.to_str().unwrap_or_else(|| unreachable!())]);
    assert_eq!(code, 1, "{err}");
    // What a newcomer sees: what the ledger holds, and what to ask it.
    assert!(out.contains("holds 2 sources") && out.contains("Most present: Kamenev") && out.contains("Ask it: kulisy person Kamenev"), "{out}");
    assert!(err.contains("b-binary.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("c-empty.txt") && err.contains("empty"), "{err}");
    assert!(err.contains("2 added, 0 unchanged, 2 refused"), "{err}");
    let (code, out, _) = run(&["sources", "--db", db, "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    // Again: nothing changes, and only the broken files are refused again.
    let (code, _, err) = run(&["ingest", "--db", db, src.to_str().unwrap_or_else(|| unreachable!())]);
    assert_eq!(code, 1);
    assert!(err.contains("0 added, 2 unchanged, 2 refused"), "{err}");
    // The queries people ask, as text and as JSON.
    let (code, out, _) = run(&["quotes", "--db", db, "--speaker", "Krupskaya"]);
    assert_eq!(code, 0);
    assert!(out.contains("Krupskaya said to Zinoviev: “Firstly you must not say you"), "{out}");
    let (_, out, _) = run(&["timeline", "--db", db, "--person", "Voroshilov", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v[0]["date_text"], "Three days later");
    assert_eq!(v[0]["participants"][1]["name"], "Voroshilov");
    let (_, out, _) = run(&["search", "--db", db, "faction", "majority"]);
    assert!(out.contains("d-federalist.txt"), "{out}");
    let (code, out, _) = run(&["person", "--db", db, "Zinoviev"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Zinoviev (person"), "{out}");
    assert!(out.contains("went to see") || out.contains("encounter: Zinoviev (agent), Krupskaya (participant)"), "{out}");
    // The network: Kamenev's heaviest ties, and two hops out from Krupskaya.
    let (_, out, _) = run(&["network", "--db", db, "--person", "Kamenev", "--json"]);
    let ties: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let first = &ties[0];
    assert!(first["a"] == "Kamenev" || first["b"] == "Kamenev", "{out}");
    assert!(ties.as_array().into_iter().flatten().any(|t| (t["a"] == "Kamenev" || t["b"] == "Kamenev") && (t["a"] == "Pyatakov" || t["b"] == "Pyatakov") && t["meetings"].as_i64() > Some(0)), "{out}");
    let (_, one, _) = run(&["network", "--db", db, "--person", "Krupskaya", "--json"]);
    let (_, two, _) = run(&["network", "--db", db, "--person", "Krupskaya", "--hops", "2", "--json"]);
    let count = |s: &str| serde_json::from_str::<serde_json::Value>(s).map(|v| v.as_array().map_or(0, Vec::len)).unwrap_or(0);
    assert!(count(&two) > count(&one) && count(&one) > 0, "{one} {two}");
    let (code, _, err) = run(&["person", "--db", db, "Nobody Atall"]);
    assert_eq!(code, 1);
    assert!(err.contains("no one named Nobody Atall"), "{err}");
}

/// The number of sources, versions, entities and factoids, and per source
/// its number of factoids.
fn census(db: &Path) -> (String, Vec<(String, i64)>) {
    let (_, out, _) = run(&["sources", "--db", db.to_str().unwrap_or_else(|| unreachable!()), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let mut per: Vec<(String, i64)> = v
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| (s["locator"].as_str().unwrap_or("").to_string(), s["quotations"].as_i64().unwrap_or(0) * 1_000_000 + s["events"].as_i64().unwrap_or(0)))
        .collect();
    per.sort();
    (format!("{} sources", per.len()), per)
}

#[test]
fn an_ingest_killed_at_any_point_resumes_to_the_same_ledger() {
    let dir = temp_dir("kill");
    let input = corpus().join("federalist/papers");
    let input = input.to_str().unwrap_or_else(|| unreachable!());
    // The ledger a single uninterrupted run makes.
    let whole = dir.join("whole.db");
    let (code, _, err) = run(&["ingest", "--db", whole.to_str().unwrap_or_else(|| unreachable!()), input]);
    assert_eq!(code, 0, "{err}");
    let (_, expected) = census(&whole);
    assert_eq!(expected.len(), 85);
    for (n, after_ms) in [40u64, 150, 400, 900].into_iter().enumerate() {
        let db = dir.join(format!("killed-{n}.db"));
        let db_s = db.to_str().unwrap_or_else(|| unreachable!());
        let mut child = Command::new(env!("CARGO_BIN_EXE_kulisy"))
            .args(["ingest", "--db", db_s, input])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(Duration::from_millis(after_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever is in is whole: every source present has all its factoids.
        if db.exists() {
            let (_, partial) = census(&db);
            for s in &partial {
                assert!(expected.contains(s), "killed after {after_ms} ms: {s:?} is not whole");
            }
        }
        // A rerun completes the job.
        let (code, _, err) = run(&["ingest", "--db", db_s, input]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(census(&db).1, expected, "resumed after a kill at {after_ms} ms");
        // Not only the same counts: the same ledger, id for id.
        for query in [&["timeline", "--json"][..], &["quotes", "--json"][..], &["person", "Hamilton", "--json"][..]] {
            let ask = |d: &Path| run(&[query, &["--db", d.to_str().unwrap_or_else(|| unreachable!())]].concat()).1;
            assert_eq!(ask(&db), ask(&whole), "{query:?} after a kill at {after_ms} ms");
        }
    }
}

#[test]
fn a_curator_corrects_lists_the_history_and_restores() {
    let dir = temp_dir("curate");
    let db = dir.join("k.db");
    let db = db.to_str().unwrap_or_else(|| unreachable!());
    let report = corpus().join("behind-the-scenes-1929.txt");
    let (code, _, err) = run(&["ingest", "--db", db, report.to_str().unwrap_or_else(|| unreachable!())]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run(&["quotes", "--db", db, "--speaker", "Krupskaya", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let id = v[0]["id"].as_i64().unwrap_or_else(|| panic!("{out}")).to_string();
    let (code, out, err) = run(&["curate", "--db", db, "--by", "ann", "--note", "a test", "speaker", &id, "Zinoviev"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("revision 1: quotation"), "{out}");
    let (_, out, _) = run(&["quotes", "--db", db, "--speaker", "Zinoviev"]);
    assert!(out.contains(&format!("#{id} Zinoviev said")) && out.contains("curated"), "{out}");
    let (_, out, _) = run(&["history", "--db", db, "quotation", &id, "--json"]);
    let h: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((h[0]["by"].as_str(), h[0]["note"].as_str()), (Some("ann"), Some("a test")));
    let (code, _, _) = run(&["restore", "--db", db, "1", "--by", "bob"]);
    assert_eq!(code, 0);
    let (_, out, _) = run(&["quotes", "--db", db, "--speaker", "Krupskaya"]);
    assert!(out.contains(&format!("#{id} Krupskaya said")), "{out}");
    // What cannot be done is refused, with the reason, and changes nothing.
    let (code, _, err) = run(&["curate", "--db", db, "date", &id, "the spring"]);
    assert_eq!(code, 1);
    assert!(err.contains("no event"), "{err}");
    let (_, out, _) = run(&["history", "--db", db, "quotation", &id]);
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn the_ledger_benchmark_builds_its_ledger_and_prints_its_figures() {
    let dir = temp_dir("bench");
    let db = dir.join("bench.db");
    let db_s = db.to_str().unwrap_or_else(|| unreachable!());
    let (code, out, err) = run(&["bench", "ledger", "--db", db_s, "--sources", "30", "--factoids-per-source", "20", "--persons", "50", "--queries", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ingest:      600 factoids in"), "{out}");
    for line in ["person page", "quotations by speaker", "timeline, one month", "network, 2 hops", "search, 20 best"] {
        assert!(out.lines().any(|l| l.starts_with(line)), "{line} missing from {out}");
    }
    // What it built is a ledger like any other, and it refuses to overwrite one.
    let (_, out, _) = run(&["sources", "--db", db_s, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.as_array().map(Vec::len), Some(30));
    let (code, _, err) = run(&["bench", "ledger", "--db", db_s, "--sources", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("exists"), "{err}");
}

#[test]
fn a_gazetteer_links_sources_by_its_ids() {
    let dir = temp_dir("gazetteer");
    let db = dir.join("k.db");
    let db = db.to_str().unwrap_or_else(|| unreachable!());
    let gazetteer = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/gazetteer-soviet-leadership-1917-1940.toml");
    let gazetteer = gazetteer.to_str().unwrap_or_else(|| unreachable!());
    // The report under two names, and a note that knows Trotsky only as Bronstein.
    let report = std::fs::read_to_string(corpus().join("behind-the-scenes-1929.txt")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("report.txt"), &report).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("note.txt"), "A Note\n\nBy a clerk\n\nBronstein met Radek in Alma-Ata on June 1, 1928. Bronstein said, “We shall wait.”\n").unwrap_or_else(|e| panic!("{e}"));
    for f in ["report.txt", "note.txt"] {
        let path = dir.join(f);
        let (code, _, err) = run(&["ingest", "--db", db, "--gazetteer", gazetteer, path.to_str().unwrap_or_else(|| unreachable!())]);
        assert_eq!(code, 0, "{err}");
    }
    // `L.D.` in the report and `Bronstein` in the note are one Leon Trotsky.
    let (code, out, _) = run(&["person", "--db", db, "Bronstein", "--json"]);
    assert_eq!(code, 0);
    let page: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page["name"], "Leon Trotsky");
    let sources: Vec<String> = page["sources"].as_array().into_iter().flatten().map(|s| s["source"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").to_string()).collect();
    assert_eq!(sources, vec!["report.txt", "note.txt"], "{out}");
    assert!(page["said"].as_array().into_iter().flatten().any(|q| q["words"] == "We shall wait."), "{out}");
}
