#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Output;

use kulisy_extract::Extraction;
use kulisy_model::Document;
use kulisy_read::ReadOptions;

/// The shared corpus beside the checkout (CI has it at the same place).
pub fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

pub fn reference() -> PathBuf {
    corpus().join("behind-the-scenes-1929.txt")
}

pub fn read(path: &std::path::Path) -> (Document, Extraction) {
    let mut doc = kulisy_read::read_path(path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    // Name documents by their place in the corpus, so snapshots do not depend on the checkout's path.
    doc.name = path.strip_prefix(corpus()).map(|p| p.display().to_string()).unwrap_or(doc.name);
    let ex = kulisy_extract::extract(&doc);
    (doc, ex)
}

pub fn kulisy(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kulisy")).args(args).output().unwrap_or_else(|e| panic!("running kulisy: {e}"))
}

pub fn kulisy_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kulisy"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running kulisy: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("running kulisy: {e}"))
}

/// A compact, reviewable summary of what was read and found: metadata,
/// blocks, quotations, layers and diagnostics, one line each.
pub fn summary(doc: &Document, ex: &Extraction) -> String {
    let report = kulisy_exchange::text::render(doc, ex);
    let mut out: String = report.split("\n\n").next().unwrap_or("").to_string();
    out.push_str("\n\n-- blocks\n");
    let t = &doc.text;
    for b in &doc.blocks {
        let s: String = b.span.text(t).chars().take(70).collect::<String>().replace('\n', "⏎");
        out.push_str(&format!("{:<15} {}\n", b.kind.as_str(), s));
    }
    out.push_str("\n-- quotations\n");
    for (i, q) in ex.segmentation.quotations.iter().enumerate() {
        let s: String = q.span.text(t).chars().take(80).collect::<String>().replace('\n', "⏎");
        let parent = q.parent.map(|p| format!(" in q{p}")).unwrap_or_default();
        out.push_str(&format!("q{i} {}{} {}\n", q.kind.as_str(), parent, s));
    }
    out.push_str("\n-- layers\n");
    for l in &ex.segmentation.layers {
        let s: String = l.span.text(t).chars().take(80).collect::<String>().replace('\n', "⏎");
        let q = l.quotation.map(|p| format!(" in q{p}")).unwrap_or_default();
        out.push_str(&format!("{}{} {}\n", l.kind.as_str(), q, s));
    }
    out.push_str("\n-- diagnostics\n");
    for d in doc.diagnostics.iter().chain(&ex.segmentation.diagnostics) {
        out.push_str(&format!("{} {}\n", d.code, d.message));
    }
    out
}

#[path = "../../../store/tests/common/server.rs"]
mod server;

/// The ledgers a test named `name` runs against, each empty: a SQLite file
/// in `dir`, and a fresh PostgreSQL database when `KULISY_TEST_POSTGRES`
/// names a server (as `scripts/test` and CI do). (label, `--db` value)
pub fn ledgers(dir: &std::path::Path, name: &str) -> Vec<(&'static str, String)> {
    let mut out = vec![("sqlite", dir.join(format!("{name}.db")).display().to_string())];
    match std::env::var("KULISY_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => out.push(("postgres", server::fresh_postgres(&url, &format!("cli_{name}")))),
        _ => eprintln!("KULISY_TEST_POSTGRES is not set: {name} runs on SQLite only (scripts/test runs it on both)"),
    }
    out
}
