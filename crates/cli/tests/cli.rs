//! The `kulisy extract` command as a user runs it: formats, exit codes,
//! folders, standard input, refusals, and the documented JSON schema.

mod common;

use common::{corpus, kulisy, kulisy_stdin, reference};

fn schema() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/extract.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("schema: {e}"));
    jsonschema::validator_for(&value).unwrap_or_else(|e| panic!("schema: {e}"))
}

fn validate(stdout: &[u8]) -> serde_json::Value {
    let value: serde_json::Value = serde_json::from_slice(stdout).unwrap_or_else(|e| panic!("output is not JSON: {e}"));
    let errors: Vec<String> = schema().iter_errors(&value).take(5).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "output does not match docs/extract.schema.json: {errors:#?}");
    value
}

#[test]
fn json_output_matches_the_schema_and_spans_match_their_text() {
    let reference = reference();
    let lp = corpus().join("mia/archive/trotsky/1938/04/lp.htm");
    let tei = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../read/tests/data/letter.tei.xml");
    let out = kulisy(&["extract", reference.to_str().unwrap_or(""), lp.to_str().unwrap_or(""), tei.to_str().unwrap_or("")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = validate(&out.stdout);
    let docs = v["documents"].as_array().cloned().unwrap_or_default();
    assert_eq!(docs.len(), 3);
    for doc in &docs {
        let text = doc["text"].as_str().unwrap_or("");
        for q in doc["quotations"].as_array().into_iter().flatten() {
            let (s, e) = (q["span"]["start"].as_u64().unwrap_or(0) as usize, q["span"]["end"].as_u64().unwrap_or(0) as usize);
            assert_eq!(text.get(s..e), q["span"]["text"].as_str());
        }
    }
    assert_eq!(docs[0]["metadata"]["written"]["value"], "1929-03-29");
    // Stalin's words, as Ordzhonikidze reported them: the chain by entity name.
    let entities = docs[0]["entities"].as_array().cloned().unwrap_or_default();
    let stalin = docs[0]["quotations"].as_array().into_iter().flatten().find(|q| q["span"]["text"].as_str().is_some_and(|t| t.starts_with("‘To extend"))).cloned().unwrap_or_default();
    let chain: Vec<&str> = stalin["reporting_chain"].as_array().into_iter().flatten().filter_map(|i| i.as_u64()).filter_map(|i| entities.get(i as usize)).filter_map(|e| e["name"].as_str()).collect();
    assert_eq!(chain, vec!["Stalin", "Ordzhonikidze"]);
    assert_eq!(stalin["sieve"], "dialogue-label");
    assert_eq!(docs[0]["metadata"]["first_published"]["venue"], "The Militant");
}

#[test]
fn text_format_marks_quotations_and_layers() {
    let out = kulisy(&["extract", "--format", "text", reference().to_str().unwrap_or("")]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("written:         1929-03-29 (March 29, 1929)"));
    assert!(text.contains("⟦q25 speech|“He ⟦interpolation|[Stalin]⟧ babbles"));
    assert!(text.contains("⟦aside|(Poor Bukharin!)⟧"));
    assert!(text.contains("[editorial-note]"));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let folder = corpus().join("mia/archive/hansen");
    let a = kulisy(&["extract", folder.to_str().unwrap_or("")]);
    let b = kulisy(&["extract", folder.to_str().unwrap_or("")]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn a_folder_is_read_recursively_in_name_order() {
    let folder = corpus().join("mia/archive/hansen/1940");
    let out = kulisy(&["extract", folder.to_str().unwrap_or("")]);
    let v = validate(&out.stdout);
    let names: Vec<String> = v["documents"].as_array().into_iter().flatten().map(|d| d["name"].as_str().unwrap_or("").to_string()).collect();
    assert!(names.len() >= 2);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let out = kulisy_stdin(&["extract", "-"], "Kamenev asked, “What are you planning to do?”\n".as_bytes());
    assert!(out.status.success());
    let v = validate(&out.stdout);
    assert_eq!(v["documents"][0]["name"], "-");
    assert_eq!(v["documents"][0]["quotations"][0]["kind"], "speech");
}

#[test]
fn a_refused_file_is_named_and_the_others_go_through() {
    let dir = tempdir();
    std::fs::write(dir.join("empty.txt"), b"").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("binary.txt"), b"\x7fELF\x02\x01\x01\x00\x00\x00\x00").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("good.txt"), "Bukharin replied, “Of course.”\n").unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.join("missing.txt");
    let out = kulisy(&["extract", dir.to_str().unwrap_or(""), missing.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt: empty file"), "{err}");
    assert!(err.contains("binary.txt: binary file"), "{err}");
    assert!(err.contains("missing.txt: cannot read"), "{err}");
    let v = validate(&out.stdout);
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(1));
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(kulisy(&["extract"]).status.code(), Some(2));
    assert_eq!(kulisy(&["extract", "--format", "yaml", "x"]).status.code(), Some(2));
    assert_eq!(kulisy(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_file_over_the_limit_is_refused_without_being_read() {
    // A sparse 1 GB file: refused from its size, with the limit named.
    let dir = tempdir();
    let big = dir.join("big.txt");
    let f = std::fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
    f.set_len(1 << 30).unwrap_or_else(|e| panic!("{e}"));
    let out = kulisy(&["extract", big.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("big.txt: 1073741824 bytes is over the limit of 268435456 bytes"), "{err}");
    // The same from standard input: read only up to the limit.
    let out = kulisy_stdin(&["extract", "--max-bytes", "1000", "-"], &vec![b'a'; 5000]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-: 1001 bytes is over the limit of 1000 bytes"));
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!("kulisy-cli-test-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}
