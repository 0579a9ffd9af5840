//! `kulisy ingest` and the ledger queries, end to end, on both backends:
//! refused files, the exit code, idempotence, a process killed mid-ingest
//! then resumed to the very ledger an uninterrupted run makes, and (on
//! PostgreSQL) four ingests at once into one database.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{corpus, kulisy, ledgers};

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
    for (label, db) in ledgers(&dir, "refused") {
        eprintln!("backend: {label}");
        refused_and_queried(&db, &src);
    }
}

fn refused_and_queried(db: &str, src: &Path) {
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
fn census(db: &str) -> (String, Vec<(String, i64)>) {
    let (_, out, _) = run(&["sources", "--db", db, "--json"]);
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
    // The ledger a single uninterrupted run makes (on SQLite; both backends
    // give the same answers, id for id).
    let whole = dir.join("whole.db");
    let whole = whole.to_str().unwrap_or_else(|| unreachable!());
    let (code, _, err) = run(&["ingest", "--db", whole, input]);
    assert_eq!(code, 0, "{err}");
    let (_, expected) = census(whole);
    assert_eq!(expected.len(), 85);
    for (n, after_ms) in [40u64, 150, 400, 900].into_iter().enumerate() {
        for (label, db) in ledgers(&dir, &format!("killed_{n}")) {
            // Every other run loads as a large load does, its indexes left
            // to be built at the end: killed, the rerun builds them.
            let defer: &[&str] = if n % 2 == 0 { &["--defer-indexes"] } else { &[] };
            let mut child = Command::new(env!("CARGO_BIN_EXE_kulisy"))
                .args([&["ingest", "--db", &db, input][..], defer].concat())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"));
            std::thread::sleep(Duration::from_millis(after_ms));
            let _ = child.kill();
            let _ = child.wait();
            // Whatever is in is whole: every source present has all its factoids.
            if label != "sqlite" || Path::new(&db).exists() {
                let (_, partial) = census(&db);
                for s in &partial {
                    assert!(expected.contains(s), "{label}, killed after {after_ms} ms: {s:?} is not whole");
                }
            }
            // A rerun completes the job.
            let (code, _, err) = run(&["ingest", "--db", &db, input]);
            assert_eq!(code, 0, "{err}");
            assert_eq!(census(&db).1, expected, "{label}, resumed after a kill at {after_ms} ms");
            // Not only the same counts: the same ledger, id for id.
            for query in [&["timeline", "--json"][..], &["quotes", "--json"][..], &["person", "Hamilton", "--json"][..]] {
                let ask = |d: &str| run(&[query, &["--db", d]].concat()).1;
                assert_eq!(ask(&db), ask(whole), "{label}: {query:?} after a kill at {after_ms} ms");
            }
            // Nothing is left for a later ingest to build.
            let (code, _, err) = run(&["ingest", "--db", &db, input]);
            assert!(code == 0 && !err.contains("built"), "{label}: {err}");
        }
    }
}

/// A ledger's answers with what depends on the order sources went in
/// taken out (ids, times) and every list sorted, one row per line; with
/// `names` false, the names of entities are taken out too.
fn answers(db: &str, names: bool) -> Vec<String> {
    let mut out = Vec::new();
    for query in [&["sources", "--json"][..], &["quotes", "--json"][..], &["timeline", "--json"][..], &["network", "--json"][..]] {
        let (code, text, err) = run(&[query, &["--db", db]].concat());
        assert_eq!(code, 0, "{query:?}: {err}");
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        fn strip(v: &mut serde_json::Value, names: bool) {
            match v {
                serde_json::Value::Object(m) => {
                    m.remove("id");
                    m.remove("ingested_at");
                    if !names {
                        for k in ["speaker", "addressees", "participants", "a", "b", "name"] {
                            m.remove(k);
                        }
                    }
                    m.values_mut().for_each(|x| strip(x, names));
                }
                serde_json::Value::Array(a) => {
                    // Lists in source order follow the order sources went in.
                    a.iter_mut().for_each(|x| strip(x, names));
                    a.sort_by_key(|x| x.to_string());
                }
                _ => {}
            }
        }
        strip(&mut v, names);
        let mut rows: Vec<String> = match v {
            serde_json::Value::Array(a) => a.iter().map(|x| x.to_string()).collect(),
            other => vec![other.to_string()],
        };
        rows.sort();
        out.extend(rows.into_iter().map(|r| format!("{query:?} {r}")));
    }
    out
}

#[test]
fn four_ingests_at_once_into_postgresql_make_the_ledger_one_makes() {
    let dir = temp_dir("concurrent");
    let Some((_, one)) = ledgers(&dir, "single").into_iter().find(|l| l.0 == "postgres") else { return };
    let Some((_, four)) = ledgers(&dir, "four").into_iter().find(|l| l.0 == "postgres") else { return };
    // Four overlapping sets of sources: every paper in two or three of them,
    // and each set in its own order of folders.
    // Twenty Federalist papers and twenty pages of the archive, where the
    // same persons recur under several names.
    let list = |dir: &Path, n: usize| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{e}")).filter_map(|e| e.ok()) {
                let p = e.path();
                if p.is_dir() { stack.push(p) } else { found.push(p) }
            }
        }
        found.sort();
        found.into_iter().step_by(3).take(n).collect()
    };
    let mut files = list(&corpus().join("federalist/papers"), 20);
    files.extend(list(&corpus().join("mia/archive"), 20));
    let set = |k: usize| -> Vec<String> {
        let mut chosen: Vec<String> = files.iter().enumerate().filter(|(i, _)| !(i + k).is_multiple_of(4)).map(|(_, f)| f.display().to_string()).collect();
        if k % 2 == 1 {
            chosen.reverse();
        }
        chosen
    };
    let all: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let args = |db: &str, chosen: &[String]| -> Vec<String> { [vec!["ingest".to_string(), "--db".into(), db.to_string()], chosen.to_vec()].concat() };
    let (code, _, err) = run(&args(&one, &all).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    let children: Vec<std::process::Child> = (0..4)
        .map(|k| Command::new(env!("CARGO_BIN_EXE_kulisy")).args(args(&four, &set(k))).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap_or_else(|e| panic!("{e}")))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // No source twice, none lost, the same factoids in every source.
    let (_, expected) = census(&one);
    assert_eq!(expected.len(), 40);
    assert_eq!(census(&four).1, expected);
    let same = |a: Vec<String>, b: Vec<String>, what: &str| {
        let first = a.iter().zip(&b).find(|(x, y)| x != y);
        assert!(a == b, "four ingests differ from one in {what}: {first:?}, {} rows against {}", a.len(), b.len());
    };
    // The same quotations, events and ties, anchored to the same passages.
    same(answers(&four, false), answers(&one, false), "what the sources say");
    // And the same persons saying them, meeting and tied, by the same names,
    // though the sources came in other orders.
    same(answers(&four, true), answers(&one, true), "who says it");
}

#[test]
fn a_curator_corrects_lists_the_history_and_restores() {
    let dir = temp_dir("curate");
    for (label, db) in ledgers(&dir, "curate") {
        eprintln!("backend: {label}");
        corrects_lists_restores(&db);
    }
}

fn corrects_lists_restores(db: &str) {
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
    for (label, db) in ledgers(&dir, "bench") {
        eprintln!("backend: {label}");
        bench_smoke(&db, label);
    }
}

fn bench_smoke(db_s: &str, label: &str) {
    let (code, out, err) = run(&["bench", "ledger", "--db", db_s, "--sources", "30", "--factoids-per-source", "20", "--persons", "50", "--queries", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ingest:      600 factoids in"), "{out}");
    // Then a source more (a hundredth of them, at least one) into the full ledger.
    assert!(out.contains("then:        20 factoids more (1 source) into the full ledger"), "{out}");
    for line in ["person page", "quotations by speaker", "timeline, one month", "network, 2 hops", "search, 20 best"] {
        assert!(out.lines().any(|l| l.starts_with(line)), "{line} missing from {out}");
    }
    // What it built is a ledger like any other, and it refuses to overwrite one.
    let (_, out, _) = run(&["sources", "--db", db_s, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.as_array().map(Vec::len), Some(31));
    let (code, _, err) = run(&["bench", "ledger", "--db", db_s, "--sources", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains(if label == "sqlite" { "exists" } else { "holds sources" }), "{err}");
}

#[test]
fn a_gazetteer_links_sources_by_its_ids() {
    let dir = temp_dir("gazetteer");
    for (label, db) in ledgers(&dir, "gazetteer") {
        eprintln!("backend: {label}");
        gazetteer_links(&dir, &db);
    }
}

fn gazetteer_links(dir: &Path, db: &str) {
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

#[test]
fn a_ledger_that_cannot_be_reached_is_named_without_its_password() {
    // Nothing listens on port 1: the server is refused, and the message
    // says where, without the password, and says it once.
    let (code, _, err) = run(&["sources", "--db", "postgres://reader:s3cret@127.0.0.1:1/ledger"]);
    assert_eq!(code, 1);
    assert!(err.contains("postgres://reader:***@127.0.0.1:1/ledger") && !err.contains("s3cret"), "{err}");
    assert_eq!(err.matches("PostgreSQL").count(), 1, "{err}");
    let dir = temp_dir("unreachable");
    let db = dir.join("no/such/folder/k.db");
    let (code, _, err) = run(&["sources", "--db", db.to_str().unwrap_or_else(|| unreachable!())]);
    assert_eq!(code, 1);
    assert!(err.contains("unable to open database file"), "{err}");
}

#[test]
fn the_commands_ingest_suggests_can_be_pasted() {
    let dir = temp_dir("suggest");
    let report = corpus().join("behind-the-scenes-1929.txt");
    let report = report.to_str().unwrap_or_else(|| unreachable!());
    // The ledger found through KULISY_DB: the suggestions need no --db.
    let db = dir.join("env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_kulisy")).args(["ingest", report]).env("KULISY_DB", &db).output().unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Ask it: kulisy person Kamenev · kulisy timeline ·"), "{text}");
    // A ledger whose name the shell would split is quoted.
    let odd = dir.join("a&b.db");
    let odd = odd.to_str().unwrap_or_else(|| unreachable!());
    let (code, text, err) = run(&["ingest", "--db", odd, report]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains(&format!("kulisy timeline --db '{odd}'")), "{text}");
}
