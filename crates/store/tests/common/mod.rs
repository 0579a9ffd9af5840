//! The backends every ledger test runs on: SQLite always, PostgreSQL when
//! `KULISY_TEST_POSTGRES` names a server (as `scripts/test` and CI do),
//! each test in a database of its own.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kulisy_store::Store;

mod server;
use server::fresh_postgres;

/// One place a test's ledger lives.
pub struct Backend {
    /// `sqlite` or `postgres`.
    pub label: &'static str,
    /// What `Store::open` is given: a file path or a URL.
    pub target: String,
}

impl Backend {
    /// Opens (or reopens) the ledger.
    pub fn open(&self) -> Store {
        eprintln!("backend: {}", self.label);
        Store::open(Path::new(&self.target)).unwrap_or_else(|e| panic!("{}: {e}", self.label))
    }

    /// Runs SQL that the ledger itself never runs (a test's sabotage): the
    /// first for SQLite, the second for PostgreSQL.
    pub fn admin(&self, sqlite: &str, postgres: &str) {
        if self.label == "sqlite" {
            let conn = rusqlite::Connection::open(&self.target).unwrap_or_else(|e| panic!("{e}"));
            conn.execute_batch(sqlite).unwrap_or_else(|e| panic!("{e}"));
        } else {
            let mut client = postgres::Client::connect(&self.target, postgres::NoTls).unwrap_or_else(|e| panic!("{e}"));
            client.batch_execute(postgres).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// A fresh folder for a test's files.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kulisy-store-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// The backends a test named `name` runs on, each with an empty ledger.
pub fn backends(name: &str) -> Vec<Backend> {
    let mut out = vec![Backend { label: "sqlite", target: temp_dir(name).join("ledger.db").display().to_string() }];
    match std::env::var("KULISY_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => out.push(Backend { label: "postgres", target: fresh_postgres(&url, name) }),
        _ => eprintln!("KULISY_TEST_POSTGRES is not set: {name} runs on SQLite only (scripts/test runs it on both)"),
    }
    out
}
