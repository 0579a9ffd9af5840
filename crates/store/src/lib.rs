//! The ledger: what extraction finds in many sources, kept in one database
//! that grows as sources are added and corrected.
//!
//! SQLite, embedded, is the default backend (`./kulisy.db`); a
//! `postgres://` URL puts the ledger in a PostgreSQL database instead, which
//! several processes may write at once. Each backend's schema is
//! versioned; [`Store::open`] applies the migrations a database lacks.
//! Each source version is written whole or not at all: its rows go in under
//! one savepoint, so a failure or a killed process leaves the database as
//! it was before that document. Ingesting the same bytes again changes
//! nothing; changed bytes become a new version of the source, the old one
//! kept.
//!
//! Entities are resolved across sources as they arrive: by external id
//! (a gazetteer's Wikidata QID), then by a name of the same kind that says
//! enough (a shared full name, or one word that is one side's name and the
//! other's name or surname, given names agreeing); each link records why.
//! An entity is called by the name its sources use most.

use std::path::Path;
use std::sync::mpsc;

use kulisy_extract::Extraction;
use kulisy_model::{BlockKind, Document, QuoteKind};

mod curate;
mod db;
mod query;

pub use curate::{CurationError, Revision};
pub use db::{Backend, DbError};
pub use query::{EventRow, Hit, NetworkFilter, PersonPage, QuoteFilter, QuoteRow, SourceRow, Tie, TimelineFilter};

use db::{Db, DbResult, Val, p};

/// What can go wrong with the ledger.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("{path}: {error}")]
    Database {
        /// The database (a path, or a URL without its password).
        path: String,
        /// What the engine said (already in the message, so not a source
        /// of its own: the message says it once).
        error: DbError,
    },
    /// A curator's change that cannot be made.
    #[error("{0}")]
    Curation(#[from] curate::CurationError),
    /// The database was written by a newer kulisy.
    #[error("{path}: schema version {found} is newer than this kulisy knows ({known})")]
    TooNew {
        /// The database.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
}

type Result<T> = std::result::Result<T, StoreError>;

/// The migrations of each backend, in order: (version, SQL). Both have
/// the same versions, each bringing the same tables.
const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_ledger.sql")),
    (2, include_str!("../migrations/sqlite/0002_curation.sql")),
    (3, include_str!("../migrations/sqlite/0003_query_indexes.sql")),
    (4, include_str!("../migrations/sqlite/0004_event_passages.sql")),
    (5, include_str!("../migrations/sqlite/0005_event_passages_filled.sql")),
    (6, include_str!("../migrations/sqlite/0006_name_uses.sql")),
    (7, include_str!("../migrations/sqlite/0007_latest_version.sql")),
    (8, include_str!("../migrations/sqlite/0008_mention_sets.sql")),
    (9, include_str!("../migrations/sqlite/0009_deferred_indexes.sql")),
    (10, include_str!("../migrations/sqlite/0010_without_rowid.sql")),
    (11, include_str!("../migrations/sqlite/0011_passage_spans.sql")),
    (12, include_str!("../migrations/sqlite/0012_original_as_text.sql")),
];
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_ledger.sql")),
    (2, include_str!("../migrations/postgres/0002_curation.sql")),
    (3, include_str!("../migrations/postgres/0003_query_indexes.sql")),
    (4, include_str!("../migrations/postgres/0004_event_passages.sql")),
    (5, include_str!("../migrations/postgres/0005_event_passages_filled.sql")),
    (6, include_str!("../migrations/postgres/0006_name_uses.sql")),
    (7, include_str!("../migrations/postgres/0007_latest_version.sql")),
    (8, include_str!("../migrations/postgres/0008_mention_sets.sql")),
    (9, include_str!("../migrations/postgres/0009_deferred_indexes.sql")),
    (10, include_str!("../migrations/postgres/0010_without_rowid.sql")),
    (11, include_str!("../migrations/postgres/0011_passage_spans.sql")),
    (12, include_str!("../migrations/postgres/0012_original_as_text.sql")),
];

/// A SQLite ledger's page cache, in the `cache_size` pragma's form (negative: KiB): 256 MB.
const CACHE_KIB: i64 = -262144;

/// The page cache while the deferred indexes are built, the same form: 8 MB.
/// SQLite's sorter sorts runs of this size.
const SORT_CACHE_KIB: i64 = -8192;

/// Secondary indexes whose keys arrive in no order (speakers, addressees,
/// participants, days, the entities of links and mentions). Kept up to date
/// row by row, they take most of the time of a large load into SQLite, as
/// every row lands on another page of each; built once from the finished
/// tables, they take a fraction of it. (name, statement that builds it)
const DEFERRABLE_INDEXES: &[(&str, &str)] = &[
    ("quotations_speaker", "CREATE INDEX IF NOT EXISTS quotations_speaker ON quotations(speaker_id)"),
    ("quotation_addressees_entity", "CREATE INDEX IF NOT EXISTS quotation_addressees_entity ON quotation_addressees(entity_id)"),
    ("event_participants_entity", "CREATE INDEX IF NOT EXISTS event_participants_entity ON event_participants(entity_id)"),
    ("quotations_days", "CREATE INDEX IF NOT EXISTS quotations_days ON quotations(first_day)"),
    ("events_days", "CREATE INDEX IF NOT EXISTS events_days ON events(first_day)"),
    ("entity_links_entity", "CREATE INDEX IF NOT EXISTS entity_links_entity ON entity_links(entity_id)"),
    ("mentions_entity", "CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id)"),
];

/// An open ledger.
pub struct Store {
    /// Stopped before the connection closes (fields drop in order), so
    /// that the writer's own close copies back what is left and removes
    /// the log.
    checkpointer: Option<Checkpointer>,
    db: Db,
    path: String,
}

/// Copies a SQLite ledger's write-ahead log into the database file on a
/// thread of its own, so that a long load spends its own thread on B-trees
/// rather than on copying pages. Passive: it never waits for the writer or
/// for readers; the writer's own checkpoint (every 100,000 pages) finds
/// most frames already copied and lets the log start over.
struct Checkpointer {
    /// Dropped when the ledger closes, which wakes the thread to stop.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How long the thread waits between two checkpoints: about one batch of
/// 200 sources at the rate of a large load. Checkpointing more often (with
/// the writer's own every 30,000 pages) copied hot pages more often and was
/// slower at 10 million factoids (BENCHMARKS.md).
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

impl Checkpointer {
    /// Starts the thread on a connection of its own to `file`; `None` when
    /// that cannot be had (the writer then checkpoints alone, as before).
    fn start(file: &str) -> Option<Checkpointer> {
        let conn = rusqlite::Connection::open(file).ok()?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || loop {
                // Busy (the writer checkpointing, a reader recovering the
                // log) only means: next time.
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                if !matches!(stopped.recv_timeout(CHECKPOINT_EVERY), Err(mpsc::RecvTimeoutError::Timeout)) {
                    break;
                }
            })
            .ok()?;
        Some(Checkpointer { stop: Some(stop), thread: Some(thread) })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What ingesting one document did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ingested {
    /// The same bytes were already in under this locator: nothing changed.
    Unchanged {
        /// The version that holds them.
        version: i64,
    },
    /// A new source, or a new version of one.
    Added {
        /// The source's id.
        source: i64,
        /// Its version number, 1 for a new source.
        version: i64,
        /// The version's id.
        version_id: i64,
        /// How many factoids were written.
        factoids: usize,
    },
}

/// The current time, as ISO 8601 UTC to the second.
fn now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let (y, m, d) = kulisy_model::from_day_number(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// How names are compared across sources.
fn key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether `db` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// A URL as it may be shown: without its password.
fn shown(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            match user.split_once(':') {
                Some((name, _)) => format!("{}{name}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Store {
    /// Opens (creating if needed) the ledger at `path`, bringing its schema
    /// up to date: a SQLite file, or a PostgreSQL database when `path` is a
    /// `postgres://` URL.
    pub fn open(path: &Path) -> Result<Store> {
        let name = path.display().to_string();
        if is_postgres_url(&name) {
            return Store::connect(&name);
        }
        let db = |source: rusqlite::Error| StoreError::Database { path: name.clone(), error: source.into() };
        let conn = rusqlite::Connection::open(path).map_err(db)?;
        let mut store = Store { checkpointer: None, db: Db::sqlite(conn), path: name };
        store.prepare()?;
        Ok(store)
    }

    /// Opens the ledger in the PostgreSQL database `url` names
    /// (`postgres://user:password@host:port/database`, or with
    /// `?host=/run/postgresql` for a local socket), creating its tables if
    /// needed.
    pub fn connect(url: &str) -> Result<Store> {
        let path = shown(url);
        let db = Db::postgres(url).map_err(|error| StoreError::Database { path: path.clone(), error })?;
        let mut store = Store { checkpointer: None, db, path };
        store.prepare()?;
        Ok(store)
    }

    /// An in-memory ledger, for tests and benchmarks.
    pub fn in_memory() -> Result<Store> {
        let conn = rusqlite::Connection::open_in_memory().map_err(|source| StoreError::Database { path: ":memory:".into(), error: source.into() })?;
        let mut store = Store { checkpointer: None, db: Db::sqlite(conn), path: ":memory:".into() };
        store.prepare()?;
        Ok(store)
    }

    /// Where the ledger is, as it may be shown: the file, or the URL
    /// without its password.
    pub fn location(&self) -> &str {
        &self.path
    }

    /// Which engine the ledger lives in.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    pub(crate) fn err(&self) -> impl Fn(DbError) -> StoreError + '_ {
        move |error| StoreError::Database { path: self.path.clone(), error }
    }

    fn prepare(&mut self) -> Result<()> {
        let migrations = match self.db.backend() {
            Backend::Sqlite => {
                // WAL keeps readers going while one process writes; a killed
                // writer leaves only whole transactions behind.
                self.db
                    .batch(&format!("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = {CACHE_KIB}; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 268435456; PRAGMA wal_autocheckpoint = 100000;"))
                    .map_err(self.err())?;
                SQLITE_MIGRATIONS
            }
            Backend::Postgres => POSTGRES_MIGRATIONS,
        };
        // Several processes may open a new PostgreSQL ledger at once: the
        // first to take the write lock brings the schema up, the others
        // find it done.
        self.transaction(|store| store.migrate(migrations))
    }

    fn migrate(&self, migrations: &[(i64, &str)]) -> Result<()> {
        let known = migrations.last().map_or(0, |m| m.0);
        self.db.batch("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL);").map_err(self.err())?;
        let current: i64 = self.db.value("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", p![]).map_err(self.err())?.unwrap_or(0);
        if current > known {
            return Err(StoreError::TooNew { path: self.path.clone(), found: current, known });
        }
        for (version, sql) in migrations.iter().filter(|(v, _)| *v > current) {
            self.db.batch(sql).map_err(self.err())?;
            self.db.exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)", p![*version, now()]).map_err(self.err())?;
        }
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.db.value("SELECT MAX(version) FROM schema_migrations", p![]).map_err(self.err())?.unwrap_or(0))
    }

    /// Before a first load of many sources into SQLite: drops the secondary
    /// indexes whose keys arrive in no order, to be built once at the end by
    /// [`Store::build_deferred_indexes`]. Which were dropped is recorded in
    /// the ledger, so a load killed before the end leaves them for the next
    /// one. Queries stay correct meanwhile, only slower. PostgreSQL ledgers,
    /// which several processes may write at once, keep their indexes:
    /// returns whether any were dropped.
    pub fn defer_indexes(&mut self) -> Result<bool> {
        if self.backend() != Backend::Sqlite {
            return Ok(false);
        }
        let at = now();
        self.transaction(|store| {
            for (name, _) in DEFERRABLE_INDEXES {
                store.db.exec("INSERT INTO deferred_indexes (name, since) VALUES (?1, ?2) ON CONFLICT DO NOTHING", p![*name, &at]).map_err(store.err())?;
                store.db.batch(&format!("DROP INDEX IF EXISTS {name}")).map_err(store.err())?;
            }
            Ok(true)
        })
    }

    /// The indexes dropped for a load and not yet built again.
    pub fn deferred_indexes(&self) -> Result<Vec<String>> {
        self.db.column("SELECT name FROM deferred_indexes ORDER BY name", p![]).map_err(self.err())
    }

    /// Builds the indexes a load dropped, each in a transaction of its own
    /// with its removal from the list, so a build killed midway leaves the
    /// rest to the next, and the pages of one index are copied back from
    /// the log while the next is built; returns how many.
    pub fn build_deferred_indexes(&mut self) -> Result<usize> {
        let deferred = self.deferred_indexes()?;
        if deferred.is_empty() {
            return Ok(0);
        }
        // Sorting spills to temporary files, not memory: memory stays within
        // the page cache whatever the size of the tables (and it is faster).
        // SQLite's sorter sorts runs of the page cache's size; small runs,
        // sorted on two threads and merged, sort millions of keys in half the
        // time one large run takes.
        let sqlite = self.backend() == Backend::Sqlite;
        if sqlite {
            self.db.batch(&format!("PRAGMA temp_store = FILE; PRAGMA cache_size = {SORT_CACHE_KIB}; PRAGMA threads = 2")).map_err(self.err())?;
        }
        let mut built = 0;
        let done = DEFERRABLE_INDEXES.iter().filter(|(n, _)| deferred.iter().any(|d| d == n)).try_for_each(|(name, sql)| {
            self.transaction(|store| {
                store.db.batch(sql).map_err(store.err())?;
                store.db.exec("DELETE FROM deferred_indexes WHERE name = ?1", p![*name]).map_err(store.err())
            })?;
            built += 1;
            Ok(())
        });
        if sqlite {
            self.db.batch(&format!("PRAGMA temp_store = MEMORY; PRAGMA cache_size = {CACHE_KIB}; PRAGMA threads = 0")).map_err(self.err())?;
        }
        done.map(|()| built)
    }

    /// Starts a batch: documents written through it go in together when it
    /// is committed, each one whole or not at all. A batch holds the
    /// ledger's write lock, so batches of several processes follow one
    /// another and none duplicates what another wrote.
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        // A SQLite ledger's log is copied back on a thread of its own from
        // the first batch until the ledger closes.
        if self.checkpointer.is_none()
            && let Db::Sqlite(conn) = &self.db
        {
            self.checkpointer = conn.path().filter(|file| !file.is_empty()).and_then(Checkpointer::start);
        }
        self.db.begin().map_err(self.err())?;
        Ok(Batch { store: self, passages: Vec::new(), open: true })
    }

    /// Ingests one document in a transaction of its own.
    pub fn ingest(&mut self, locator: &str, doc: &Document, ex: &Extraction, by: &str) -> Result<Ingested> {
        let mut batch = self.batch()?;
        let out = batch.ingest(locator, doc, ex, by)?;
        batch.commit()?;
        Ok(out)
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// Runs `f` in a transaction that holds the write lock: committed when
    /// it succeeds, rolled back when it fails.
    pub(crate) fn transaction<T>(&mut self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.db.begin().map_err(self.err())?;
        match f(self) {
            Ok(v) => {
                self.db.batch("COMMIT").map_err(self.err())?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.db.batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

/// Documents written together in one transaction.
pub struct Batch<'s> {
    store: &'s mut Store,
    /// Paragraphs of the documents written, indexed for search at commit:
    /// SQLite's full-text index flushes at every savepoint, so it is fed
    /// once per batch rather than once per document. (text, version id, start)
    passages: Vec<(String, i64, i64)>,
    /// Not yet committed: dropping the batch rolls it back.
    open: bool,
}

impl Batch<'_> {
    /// Writes everything of one document under a savepoint: on any error
    /// nothing of it stays.
    pub fn ingest(&mut self, locator: &str, doc: &Document, ex: &Extraction, by: &str) -> Result<Ingested> {
        let db = &self.store.db;
        db.batch("SAVEPOINT document").map_err(self.store.err())?;
        let out = match write_document(db, locator, doc, ex, by) {
            Ok(out) => out,
            Err(e) => {
                // Back to before the document; the batch goes on.
                let _ = db.batch("ROLLBACK TO SAVEPOINT document; RELEASE SAVEPOINT document");
                return Err(self.store.err()(e));
            }
        };
        db.batch("RELEASE SAVEPOINT document").map_err(self.store.err())?;
        if let Ingested::Added { version_id, .. } = out {
            for b in doc.blocks.iter().filter(|b| b.kind.is_text() && !matches!(b.kind, BlockKind::Heading(_))) {
                self.passages.push((b.span.text(&doc.text).to_string(), version_id, b.span.start as i64));
            }
        }
        Ok(out)
    }

    /// Commits the batch: its documents, and their paragraphs into the search index.
    pub fn commit(mut self) -> Result<()> {
        let db = &self.store.db;
        use db::Col::{Int, Text};
        match db.backend() {
            Backend::Sqlite => {
                // The spans, then the words into the index under the same ids
                // (counted from the largest, as the write lock allows).
                let first: i64 = db.value("SELECT COALESCE(MAX(id), 0) + 1 FROM passage_spans", p![]).map_err(self.store.err())?.unwrap_or(1);
                let spans: Vec<Vec<Val<'_>>> = (first..)
                    .zip(&self.passages)
                    .map(|(id, (text, vid, start))| vec![id.into(), (*vid).into(), (*start).into(), (start + text.len() as i64).into()])
                    .collect();
                db.insert_rows("passage_spans", &[("id", Int), ("version_id", Int), ("span_start", Int), ("span_end", Int)], &spans, false).map_err(self.store.err())?;
                let words: Vec<Vec<Val<'_>>> = (first..).zip(&self.passages).map(|(id, (text, _, _))| vec![id.into(), text.into()]).collect();
                db.insert_rows("passages", &[("rowid", Int), ("text", Text)], &words, false).map_err(self.store.err())?;
            }
            Backend::Postgres => {
                let rows: Vec<Vec<Val<'_>>> = self.passages.iter().map(|(text, vid, start)| vec![text.into(), (*vid).into(), (*start).into()]).collect();
                db.insert_rows("passages", &[("text", Text), ("version_id", Int), ("span_start", Int)], &rows, false).map_err(self.store.err())?;
            }
        }
        db.batch("COMMIT").map_err(self.store.err())?;
        self.open = false;
        Ok(())
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.store.db.batch("ROLLBACK");
        }
    }
}

/// The content hash the ledger keys versions by.
pub fn content_hash(original: &[u8]) -> String {
    blake3::hash(original).to_hex().to_string()
}

fn write_document(db: &Db, locator: &str, doc: &Document, ex: &Extraction, by: &str) -> DbResult<Ingested> {
    let hash = content_hash(&doc.original);
    let source: Option<i64> = db.value("SELECT id FROM sources WHERE locator = ?1", p![locator])?;
    if let Some(s) = source
        && let Some(v) = db.value::<i64>("SELECT version FROM source_versions WHERE source_id = ?1 AND content_hash = ?2", p![s, &hash])?
    {
        return Ok(Ingested::Unchanged { version: v });
    }
    let at = now();
    let source = match source {
        Some(s) => s,
        None => db.insert("INSERT INTO sources (locator, created_at) VALUES (?1, ?2)", p![locator, &at])?,
    };
    let version: i64 = db.value("SELECT COALESCE(MAX(version), 0) + 1 FROM source_versions WHERE source_id = ?1", p![source])?.unwrap_or(1);
    let m = &doc.metadata;
    let authors: Vec<&str> = m.authors.iter().map(|a| a.text.as_str()).collect();
    let document_date = kulisy_extract::dates::document_date(doc).map(|d| d.to_string());
    let metadata = serde_json::json!({
        "title": m.title.as_ref().map(|t| &t.text),
        "subtitle": m.subtitle.as_ref().map(|t| &t.text),
        "authors": authors,
        "written": m.written.as_ref().map(|d| d.start.to_string()),
        "first_published": m.first_published.as_ref().map(|p| &p.text),
        "source": m.source.as_ref().map(|p| &p.text),
        "translated": m.translated.as_ref().map(|t| &t.text),
        "transcribers": m.transcribers,
        "licence": m.licence.as_ref().map(|l| &l.text),
    });
    let vid = db.insert(
        "INSERT INTO source_versions (source_id, version, content_hash, format, original, text, title, authors, document_date, metadata, ingested_at, ingested_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        p![
            source,
            version,
            &hash,
            doc.format.as_str(),
            // Kept only when they are not the text's own bytes (see `Store::original`).
            if doc.original == doc.text.as_bytes() { &[][..] } else { doc.original.as_slice() },
            &doc.text,
            m.title.as_ref().map(|t| t.text.as_str()),
            authors.join("; "),
            document_date,
            metadata.to_string(),
            &at,
            by
        ],
    )?;

    if version > 1 {
        db.exec("UPDATE source_versions SET latest = 0 WHERE source_id = ?1 AND id <> ?2", p![source, vid])?;
    }

    // Entities, resolved against the ledger.
    let ids = resolve_entities(db, vid, ex, by, &at)?;
    // The rest is gathered first and written a table at a time. Factoid
    // ids are counted here from the largest in the ledger, as the write
    // lock every writer holds allows.
    let mut memberships: Vec<Vec<Val<'_>>> = Vec::new();
    for (g, e) in ex.cast.entities.iter().enumerate() {
        for &member in &e.members {
            if let (Some(&gid), Some(&mid)) = (ids.get(g), ids.get(member)) {
                memberships.push(vec![gid.into(), mid.into(), vid.into()]);
            }
        }
    }
    // Mentions, a row per entity and kind, their spans packed in text order.
    let mut sets: std::collections::BTreeMap<(Option<i64>, &str), (i64, String)> = std::collections::BTreeMap::new();
    for m in &ex.cast.mentions {
        let set = sets.entry((m.entity.and_then(|e| ids.get(e)).copied(), m.kind.as_str())).or_default();
        set.0 += 1;
        if !set.1.is_empty() {
            set.1.push(' ');
        }
        set.1.push_str(&format!("{}:{}", m.span.start, m.span.end));
    }
    let mentions: Vec<Vec<Val<'_>>> = sets.into_iter().map(|((e, kind), (n, spans))| vec![vid.into(), e.into(), kind.into(), n.into(), spans.into()]).collect();

    let mut next_id: i64 = db.value("SELECT COALESCE(MAX(id), 0) + 1 FROM factoids", p![])?.unwrap_or(1);
    let mut factoid_rows: Vec<Vec<Val<'_>>> = Vec::new();
    let mut fact = |kind: &'static str, start: usize, end: usize, method: &'static str, confidence: f32| -> i64 {
        let id = next_id;
        next_id += 1;
        factoid_rows.push(vec![
            id.into(),
            vid.into(),
            kind.into(),
            start.into(),
            end.into(),
            method.into(),
            f64::from(confidence).into(),
            by.into(),
            Val::from(at.as_str()),
        ]);
        id
    };

    // Events first: a quotation takes the date of the last event told before it.
    let rank: Vec<usize> = {
        let mut r = vec![0; ex.events.len()];
        for (i, t) in ex.timeline.iter().enumerate() {
            if let Some(slot) = r.get_mut(t.event) {
                *slot = i;
            }
        }
        r
    };
    // Where each event starts, its block, and the days of its date.
    type Placed = (usize, usize, Option<(i64, i64)>);
    let mut event_days: Vec<Placed> = Vec::new();
    let mut events: Vec<Vec<Val<'_>>> = Vec::new();
    let mut participants: Vec<Vec<Val<'_>>> = Vec::new();
    for (i, e) in ex.events.iter().enumerate() {
        let f = fact("event", e.span.start, e.span.end, e.sieve, e.confidence);
        let date = e.date.and_then(|d| ex.dates.get(d));
        let days = date.and_then(|d| d.date.days());
        let new_date = e.new_date.and_then(|d| ex.dates.get(d)).map(|d| d.date.normalised());
        let inferred = date.and_then(|d| d.date.inferred).map(|i| format!("{} from {}", i.rule.as_str(), i.anchor));
        events.push(vec![
            f.into(),
            e.kind.as_str().into(),
            e.trigger.text(&doc.text).into(),
            date.map(|d| d.span.text(&doc.text)).into(),
            date.map(|d| d.date.normalised()).filter(|v| !v.is_empty()).into(),
            days.map(|d| d.0).into(),
            days.map(|d| d.1).into(),
            e.date_source.as_str().into(),
            inferred.into(),
            new_date.into(),
            e.place.as_ref().map(|p| p.span.text(&doc.text)).into(),
            e.place.as_ref().and_then(|p| p.home_of).and_then(|h| ids.get(h)).copied().into(),
            rank.get(i).copied().unwrap_or(i).into(),
            e.span.text(&doc.text).into(),
        ]);
        for p in &e.participants {
            if let Some(&eid) = ids.get(p.entity) {
                participants.push(vec![f.into(), eid.into(), p.role.as_str().into()]);
            }
        }
        let block = doc.blocks.partition_point(|b| b.span.end <= e.span.start);
        event_days.push((e.span.start, block, days));
    }
    let mut quotations: Vec<Vec<Val<'_>>> = Vec::new();
    let mut addressees: Vec<Vec<Val<'_>>> = Vec::new();
    for (qi, q) in ex.segmentation.quotations.iter().enumerate() {
        if q.kind != QuoteKind::Speech {
            continue;
        }
        let Some(a) = ex.attributions.get(qi) else {
            continue;
        };
        let words: String = q.pieces.iter().map(|p| p.text(&doc.text)).collect::<Vec<_>>().join(" ");
        let method = if a.sieve.is_empty() { "none" } else { a.sieve };
        let f = fact("quotation", q.span.start, q.span.end, method, a.confidence);
        let mut chain: Vec<i64> = Vec::new();
        let mut at_q = Some(qi);
        while let Some(k) = at_q {
            let Some(x) = ex.attributions.get(k) else {
                break;
            };
            for e in x.speaker.into_iter().chain(x.reported_by).filter_map(|e| ids.get(e).copied()) {
                if !chain.contains(&e) {
                    chain.push(e);
                }
            }
            at_q = ex.segmentation.quotations.get(k).and_then(|x| x.parent);
        }
        let days = event_days.iter().rev().find(|(start, block, d)| *start <= q.span.start && q.block <= block + 6 && d.is_some()).and_then(|x| x.2);
        quotations.push(vec![
            f.into(),
            words.into(),
            a.speaker.and_then(|e| ids.get(e)).copied().into(),
            a.written.into(),
            serde_json::json!(chain).to_string().into(),
            days.map(|d| d.0).into(),
            days.map(|d| d.1).into(),
        ]);
        for &to in &a.addressees {
            if let Some(&eid) = ids.get(to) {
                addressees.push(vec![f.into(), eid.into()]);
            }
        }
    }
    let factoids = factoid_rows.len();
    use db::Col::{Int, Real, Text};
    db.insert_rows("memberships", &[("group_id", Int), ("member_id", Int), ("version_id", Int)], &memberships, true)?;
    db.insert_rows("mentions", &[("version_id", Int), ("entity_id", Int), ("kind", Text), ("n", Int), ("spans", Text)], &mentions, false)?;
    db.insert_rows(
        "factoids",
        &[
            ("id", Int),
            ("version_id", Int),
            ("kind", Text),
            ("span_start", Int),
            ("span_end", Int),
            ("method", Text),
            ("confidence", Real),
            ("created_by", Text),
            ("created_at", Text),
        ],
        &factoid_rows,
        false,
    )?;
    db.insert_rows(
        "events",
        &[
            ("factoid_id", Int),
            ("kind", Text),
            ("trigger_text", Text),
            ("date_text", Text),
            ("date_value", Text),
            ("first_day", Int),
            ("last_day", Int),
            ("date_source", Text),
            ("inferred", Text),
            ("new_date_value", Text),
            ("place_text", Text),
            ("home_of", Int),
            ("timeline_rank", Int),
            ("passage", Text),
        ],
        &events,
        false,
    )?;
    db.insert_rows("event_participants", &[("factoid_id", Int), ("entity_id", Int), ("role", Text)], &participants, true)?;
    db.insert_rows(
        "quotations",
        &[("factoid_id", Int), ("words", Text), ("speaker_id", Int), ("written", Int), ("reporting_chain", Text), ("first_day", Int), ("last_day", Int)],
        &quotations,
        false,
    )?;
    db.insert_rows("quotation_addressees", &[("factoid_id", Int), ("entity_id", Int)], &addressees, true)?;
    if version > 1 {
        curate::carry_forward(db, source, vid, by, &at)?;
    }
    Ok(Ingested::Added { source, version, version_id: vid, factoids })
}

/// Names that stand for different people in different sources.
fn local_only(name: &str) -> bool {
    matches!(key(name).as_str(), "the narrator" | "everyone" | "everybody" | "all" | "nobody")
}

/// How a spelling ranks among those of one name: fewer capitals first
/// (`Confederacy` before `CONFEDERACY`), then in code-point order.
fn spelling_rank(name: &str) -> (usize, &str) {
    (name.chars().filter(|c| c.is_uppercase()).count(), name)
}

/// Counts one more use of `name` as a source's own name for the entity
/// `id`, now called `called`, and calls the entity by its most used name
/// (unless a curator named it). Which name and spelling win depends on
/// what went in, not on the order it went in: four ingests at once give
/// the names one gives.
fn name_by_use(db: &Db, id: i64, name: &str, called: &str) -> DbResult<(String, bool)> {
    let k = key(name);
    if let Some(spelling) = db.value::<String>("UPDATE entity_names SET uses = uses + 1 WHERE entity_id = ?1 AND key = ?2 RETURNING name", p![id, &k])?
        && spelling_rank(name) < spelling_rank(&spelling)
    {
        db.exec("UPDATE entity_names SET name = ?3 WHERE entity_id = ?1 AND key = ?2", p![id, &k, name])?;
    }
    // An entity is called by its most used name (every change of the
    // counts, merges included, renames it), so one more use of that name,
    // in a spelling no better than the one it has, leaves it as it is.
    if key(called) == k && spelling_rank(called) <= spelling_rank(name) {
        return Ok((called.to_string(), false));
    }
    rename_by_use(db, id)
}

/// Calls the entity `id` by the name its sources use most, counting the
/// names of every entity merged into it (unless a curator named it);
/// returns what it is called now and whether that changed.
pub(crate) fn rename_by_use(db: &Db, id: i64) -> DbResult<(String, bool)> {
    let rows = db.query(
        "SELECT n.key, n.name, n.uses FROM entity_names n JOIN entities x ON x.id = n.entity_id WHERE (x.id = ?1 OR x.merged_into = ?1) AND n.uses > 0",
        p![id],
    )?;
    // Per name (key): its uses over the merged entities, and its best spelling.
    let mut used: std::collections::BTreeMap<String, (String, i64)> = std::collections::BTreeMap::new();
    for r in &rows {
        let (k, spelling, uses): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let slot = used.entry(k).or_insert_with(|| (spelling.clone(), 0));
        slot.1 += uses;
        if spelling_rank(&spelling) < spelling_rank(&slot.0) {
            slot.0 = spelling;
        }
    }
    let best = used.values().min_by(|a, b| b.1.cmp(&a.1).then_with(|| spelling_rank(&a.0).cmp(&spelling_rank(&b.0))));
    let called: String = db.value("SELECT name FROM entities WHERE id = ?1", p![id])?.unwrap_or_default();
    if let Some((best, _)) = best.filter(|(b, _)| *b != called) {
        let curated: Option<i64> = db.value("SELECT id FROM revisions WHERE item_kind = 'entity' AND item_id = ?1 AND field = 'name' LIMIT 1", p![id])?;
        if curated.is_none() {
            db.exec("UPDATE entities SET name = ?2 WHERE id = ?1", p![id, best])?;
            return Ok((best.clone(), true));
        }
    }
    Ok((called, false))
}

/// Merges the ledger entities `others` into `survivor`: one source names
/// them all by full names (`World War` and `World War II` for one war), as
/// a source that came first would have linked them. Entities a curator
/// split, merged, unmerged or named are left as they are. Each merge is a
/// revision by `by`, so it can be listed and undone like a curator's.
fn merge_by_name(db: &Db, survivor: i64, others: &[i64], by: &str, at: &str) -> DbResult<bool> {
    let mut merged = false;
    for &other in others.iter().filter(|&&o| o != survivor) {
        if !curated(db, survivor)? && !curated(db, other)? {
            merged |= curate::merge_in(db, survivor, other, by, at, "on ingest: a source calls both by one full name")?;
        }
    }
    Ok(merged)
}

/// A subquery giving the values of the JSON array bound to `?1`, as `ty`
/// (`TEXT`, `BIGINT`): a list of any length in one parameter.
fn json_list(db: &Db, ty: &str) -> String {
    match db.backend() {
        Backend::Sqlite => "SELECT value FROM json_each(?1)".to_string(),
        Backend::Postgres => format!("SELECT CAST(json_array_elements_text(CAST(?1 AS json)) AS {ty})"),
    }
}

/// The last word of a full name, as a key (`trotsky` of `Leon Trotsky`).
fn surname(name: &str) -> Option<String> {
    key(name).rsplit_once(' ').map(|(_, last)| last.to_string())
}

/// Whether a curator merged, unmerged, named or split the entity `id`:
/// then ingest leaves it as it is. (Revisions ingest itself made, noted
/// `on ingest: ...`, are not a curator's.)
fn curated(db: &Db, id: i64) -> DbResult<bool> {
    let revised: Option<i64> = db.value(
        "SELECT id FROM revisions WHERE item_kind = 'entity' AND item_id = ?1 AND field IN ('merged_into', 'name') AND (note IS NULL OR note NOT LIKE 'on ingest:%') LIMIT 1",
        p![id],
    )?;
    let split: Option<i64> = db.value("SELECT version_id FROM entity_links WHERE entity_id = ?1 AND reason = 'split' LIMIT 1", p![id])?;
    Ok(revised.is_some() || split.is_some())
}

/// Links the ledger's person known by the one word `surname` alone
/// (`Trotsky`) to the one person of the ledger whose full name ends with it
/// and who goes by it (`Leon Trotsky`), or, when several do, to the one
/// whose names its sources use at least twice as often as all the others'
/// together; otherwise it stands alone. Recomputed whenever a source names
/// either, so the link depends on what the ledger holds, not on the order
/// sources came in. A link is a merge by `by`, listed and undone like a
/// curator's; a curator's own merge or split of it stands.
fn link_by_surname(db: &Db, surname: &str, by: &str, at: &str) -> DbResult<()> {
    // Every name of every person going by the surname: the one with no
    // full name is the one known by it alone; the others bear it.
    let rows = db.query(
        "SELECT x.id, x.merged_into, m.key FROM entity_names n JOIN entities x ON x.id = n.entity_id JOIN entity_names m ON m.entity_id = x.id
         WHERE n.key = ?1 AND x.kind = 'person' ORDER BY x.id",
        p![surname],
    )?;
    let mut names: std::collections::BTreeMap<i64, (Option<i64>, bool)> = std::collections::BTreeMap::new();
    let ending = format!(" {surname}");
    for r in &rows {
        let (id, merged_into, k): (i64, Option<i64>, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        names.entry(id).or_insert((merged_into, false)).1 |= k.contains(' ');
    }
    let alone = names.iter().find(|(_, (_, full))| !full).map(|(&id, &(m, _))| (id, m));
    // Those with a full name ending with it (not `Lev Kamenev` going by `Lev`).
    let mut bearers: Vec<i64> = Vec::new();
    for r in &rows {
        let (id, k): (i64, String) = (r.get(0)?, r.get(2)?);
        if k.ends_with(&ending) && let Some(&(m, _)) = names.get(&id) {
            bearers.push(m.unwrap_or(id));
        }
    }
    let Some((alone, now)) = alone else { return Ok(()) };
    bearers.sort_unstable();
    bearers.dedup();
    bearers.retain(|&b| b != alone);
    // Nothing to link to and nothing to undo (most one-word names).
    if bearers.is_empty() && now.is_none() {
        return Ok(());
    }
    // How often each bearer's sources call it by its names, the one-word
    // entity's own uses left out: one query for them all.
    let list = json_list(db, "BIGINT");
    let mut uses: Vec<(i64, i64)> = Vec::with_capacity(bearers.len());
    if !bearers.is_empty() {
        let sql = format!(
            "SELECT COALESCE(x.merged_into, x.id), CAST(COALESCE(SUM(n.uses), 0) AS BIGINT) FROM entities x JOIN entity_names n ON n.entity_id = x.id
             WHERE (x.id IN ({list}) OR x.merged_into IN ({list})) AND x.id <> ?2 GROUP BY 1"
        );
        for r in db.query(&sql, p![serde_json::json!(bearers).to_string(), alone])? {
            uses.push((r.get(0)?, r.get(1)?));
        }
    }
    uses.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let others: i64 = uses.iter().skip(1).map(|u| u.1).sum();
    let target = uses.first().filter(|best| uses.len() == 1 || best.1 >= 2 * others).map(|best| best.0);
    if now == target || curated(db, alone)? {
        return Ok(());
    }
    let note = match target {
        Some(_) => "on ingest: the one person of the ledger known by this surname, or by far the most named",
        None => "on ingest: more than one person of the ledger is known by this surname",
    };
    // The link renames the bearers it leaves and joins by use.
    curate::link_in(db, alone, target, by, at, note)?;
    Ok(())
}

/// Links each entity of the extraction to one of the ledger, creating
/// entities the ledger lacks; returns the ledger ids, by local index.
fn resolve_entities(db: &Db, vid: i64, ex: &Extraction, by: &str, at: &str) -> DbResult<Vec<i64>> {
    // What the ledger holds under every name of the document, read at once
    // and kept up to date below as entities are named: one query, not one
    // per name.
    let mut keys: Vec<String> =
        ex.cast.entities.iter().filter(|e| !local_only(&e.name)).flat_map(|e| std::iter::once(&e.name).chain(e.aliases.iter())).map(|n| key(n)).collect();
    // And the surnames of persons' full names, for the persons called by their surname alone.
    keys.extend(ex.cast.entities.iter().filter(|e| e.kind == kulisy_model::EntityKind::Person).filter_map(|e| surname(&e.name)));
    keys.sort_unstable();
    keys.dedup();
    // Per name key, one row per name row: (survivor id, its name, its kind,
    // the entity if it goes by one word alone or 0, the entity the name row is of).
    type Known = (i64, String, String, i64, i64);
    let mut known: std::collections::HashMap<String, Vec<Known>> = std::collections::HashMap::new();
    let mut called: std::collections::HashMap<i64, (String, String)> = std::collections::HashMap::new();
    if !keys.is_empty() {
        let list = json_list(db, "TEXT");
        let sql = format!(
            "SELECT n.key, s.id, s.name, s.kind, CASE WHEN EXISTS (SELECT 1 FROM entity_names m WHERE m.entity_id = x.id AND m.key LIKE '% %') THEN 0 ELSE x.id END, x.id FROM entity_names n JOIN entities x ON x.id = n.entity_id JOIN entities s ON s.id = COALESCE(x.merged_into, x.id)
             WHERE n.key IN ({list}) ORDER BY s.id, x.id"
        );
        for r in db.query(&sql, p![serde_json::json!(keys).to_string()])? {
            let (k, id, name, kind, alone, own): (String, i64, String, String, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
            called.insert(id, (name.clone(), kind.clone()));
            known.entry(k).or_default().push((id, name, kind, alone, own));
        }
    }
    let mut out = Vec::with_capacity(ex.cast.entities.len());
    let mut links: Vec<Vec<Val<'_>>> = Vec::with_capacity(ex.cast.entities.len());
    // Surnames whose one-word person's link to a bearer is to be recomputed,
    // and the bearers such a person is linked to, to be named again.
    let mut surnames: Vec<String> = Vec::new();
    let mut renames: Vec<i64> = Vec::new();
    for (local, e) in ex.cast.entities.iter().enumerate() {
        let kind = e.kind.as_str();
        let names: Vec<&str> = std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str)).collect();
        let mut found: Option<(i64, &str)> = None;
        if let Some(x) = &e.external_id {
            found = db.value::<i64>("SELECT COALESCE(merged_into, id) FROM entities WHERE external_id = ?1", p![x])?.map(|id| (id, "external-id"));
        }
        let own = key(&e.name);
        let person = e.kind == kulisy_model::EntityKind::Person;
        // Called by one word alone (`Trotsky`, no full name among its names).
        let one_word = person && names.iter().all(|n| !key(n).contains(' '));
        // The surname of a full name a one-word person of the ledger goes by.
        let mut bearer_of: Option<String> = None;
        if found.is_none() && one_word && !local_only(&e.name) {
            // The ledger's person of that one word, linked to a bearer of the
            // surname by `link_by_surname` once the source is written. Its
            // link changes only with the bearers, so it is computed when it
            // is new; when linked, the survivor's name counts its uses.
            match known.get(&own).into_iter().flatten().filter(|r| r.2 == kind && r.3 != 0).min_by_key(|r| r.3) {
                Some(r) => {
                    found = Some((r.3, "name"));
                    if r.0 != r.3 {
                        renames.push(r.0);
                    }
                }
                // New: linked if the ledger knows persons by this word.
                None if known.get(&own).into_iter().flatten().any(|r| r.2 == kind) => surnames.push(own.clone()),
                None => {}
            }
        } else if found.is_none() && !local_only(&e.name) {
            // A name links only when it says enough: a full name (two words
            // or more) the two share, or one word that is both sides' name
            // (`Politburo`). One shared word that is only an alias (`War` of
            // `Punic War` and of `World War III`) does not. Among the
            // candidates, the most evidence wins; the oldest on a tie.
            if person && let Some(last) = surname(&own) && known.get(&last).into_iter().flatten().any(|r| r.3 != 0) {
                bearer_of = Some(last);
            }
            let mut counts: Vec<(i64, usize)> = Vec::new();
            // Ledger entities this one shares a full name with.
            let mut by_full_name: Vec<i64> = Vec::new();
            for n in &names {
                let k = key(n);
                let full = k.split(' ').count() >= 2;
                let rows: Vec<(i64, String)> =
                    known.get(&k).into_iter().flatten().filter(|r| r.2 == kind).map(|r| (r.0, r.1.clone())).collect();
                for (id, name) in rows {
                    if !(full || (k == own && key(&name) == k)) {
                        continue;
                    }
                    if full && !by_full_name.contains(&id) {
                        by_full_name.push(id);
                    }
                    match counts.iter_mut().find(|(x, _)| *x == id) {
                        Some(c) => c.1 += 1,
                        None => counts.push((id, 1)),
                    }
                }
            }
            let mut best: Option<(i64, usize)> = None;
            for (id, c) in counts {
                if best.is_none_or(|(bid, bc)| c > bc || (c == bc && id < bid)) {
                    best = Some((id, c));
                }
            }
            found = best.map(|(id, _)| (id, "name"));
            // Those it shares full names with are one: merged into the one it
            // joins, whatever order the sources came in.
            if let Some((survivor, _)) = found
                && by_full_name.len() > 1
                && merge_by_name(db, survivor, &by_full_name, by, at)?
            {
                // The merges named the survivor by use.
                let name: String = db.value("SELECT name FROM entities WHERE id = ?1", p![survivor])?.unwrap_or_default();
                for row in known.values_mut().flatten().filter(|r| by_full_name.contains(&r.0)) {
                    row.0 = survivor;
                    row.1 = name.clone();
                }
                if let Some(c) = called.get_mut(&survivor) {
                    c.0 = name;
                }
            }
        }
        let (id, reason) = match found {
            Some(f) => f,
            None => {
                let id = db.insert(
                    "INSERT INTO entities (kind, name, gender, external_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    p![kind, &e.name, e.gender.map(|g| g.as_str()), e.external_id.as_ref(), at],
                )?;
                called.insert(id, (e.name.clone(), kind.to_string()));
                (id, "new")
            }
        };
        // A bearer named: the one-word person's link is recomputed, unless
        // it is linked to this very bearer (more uses keep it so).
        if let Some(last) = bearer_of
            && !known.get(&last).into_iter().flatten().any(|r| r.3 != 0 && r.0 == id)
        {
            surnames.push(last);
        }
        if !called.contains_key(&id)
            && let Some(r) = db.row("SELECT name, kind FROM entities WHERE id = ?1", p![id])?
        {
            called.insert(id, (r.get(0)?, r.get(1)?));
        }
        if !local_only(&e.name) {
            // A new entity's own name has its first use; a linked one counts one more.
            let new = reason == "new";
            for (i, n) in names.iter().enumerate() {
                let uses = i64::from(new && i == 0);
                let k = key(n);
                // A name the entity has already.
                if known.get(&k).into_iter().flatten().any(|r| r.4 == id) {
                    continue;
                }
                if db.exec("INSERT INTO entity_names (entity_id, name, key, uses) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING", p![id, *n, &k, uses])? > 0
                    && let Some((name, kind)) = called.get(&id)
                {
                    known.entry(k).or_default().push((id, name.clone(), kind.clone(), if one_word { id } else { 0 }, id));
                }
            }
            if !new && let (renamed, true) = name_by_use(db, id, &e.name, called.get(&id).map_or("", |c| c.0.as_str()))? {
                for row in known.values_mut().flatten().filter(|r| r.0 == id) {
                    row.1 = renamed.clone();
                }
                if let Some(c) = called.get_mut(&id) {
                    c.0 = renamed;
                }
            }
        }
        links.push(vec![vid.into(), local.into(), id.into(), reason.into()]);
        out.push(id);
    }
    use db::Col::{Int, Text};
    db.insert_rows("entity_links", &[("version_id", Int), ("local", Int), ("entity_id", Int), ("reason", Text)], &links, false)?;
    surnames.sort_unstable();
    surnames.dedup();
    for s in &surnames {
        link_by_surname(db, s, by, at)?;
    }
    renames.sort_unstable();
    renames.dedup();
    for id in renames {
        rename_by_use(db, id)?;
    }
    Ok(out)
}
