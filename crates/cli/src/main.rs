//! The `kulisy` command: a thin shell over the library crates.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use kulisy_model::{Document, SourceFormat};
use kulisy_read::{ReadError, ReadOptions};

mod bench_ledger;
mod ledger;
mod pdnc;

/// Reconstructs what happened behind closed doors from the documents that report it.
#[derive(Parser)]
#[command(name = "kulisy", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read sources and print what extraction finds, without storing anything.
    Extract {
        /// Files or folders (read recursively); `-` for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
        format: OutputFormat,
        /// Entities known beforehand, in TOML (docs/gazetteer.md).
        #[arg(long)]
        gazetteer: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Read sources, extract, and store the result in the ledger.
    Ingest {
        /// Files or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
        /// Entities known beforehand, in TOML (docs/gazetteer.md).
        #[arg(long)]
        gazetteer: Option<PathBuf>,
        /// Who is ingesting, recorded on every factoid (default: $USER).
        #[arg(long)]
        by: Option<String>,
        /// Build the indexes on speakers, addressees, participants, days and
        /// entities once at the end instead of row by row (SQLite). Chosen by
        /// itself for 1,000 files or more into a ledger holding fewer sources.
        #[arg(long)]
        defer_indexes: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// List the sources in the ledger.
    Sources {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Full-text search over the passages of every source.
    Search {
        /// Words to find, all of them.
        #[arg(required = true)]
        text: Vec<String>,
        /// At most this many passages.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Quotations, by speaker, addressee, source and date.
    Quotes {
        /// Said by this person.
        #[arg(long)]
        speaker: Option<String>,
        /// Said to this person.
        #[arg(long)]
        addressee: Option<String>,
        /// From sources whose path contains this.
        #[arg(long)]
        source: Option<String>,
        #[command(flatten)]
        window: Window,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Events in time order, across all sources.
    Timeline {
        /// Only events this person took part in.
        #[arg(long)]
        person: Option<String>,
        #[command(flatten)]
        window: Window,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Who met or spoke with whom, weighted, heaviest first.
    Network {
        /// Only this person's ties.
        #[arg(long)]
        person: Option<String>,
        /// With --person: 2 draws their neighbours' ties too.
        #[arg(long, default_value_t = 1)]
        hops: u8,
        #[command(flatten)]
        window: Window,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Everything the ledger holds about a person: names, groups, sources,
    /// what they said and heard, the events they took part in.
    Person {
        /// Any of the person's names.
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Correct, add, reject, grade, merge and split; every change a revision.
    Curate {
        #[command(subcommand)]
        what: Curate,
        #[command(flatten)]
        db: DbArgs,
        /// Who makes the change (default: $USER).
        #[arg(long, global = true)]
        by: Option<String>,
        /// Why, recorded with the change.
        #[arg(long, global = true)]
        note: Option<String>,
    },
    /// The revisions of one item: quotation, event, factoid, entity or source.
    History {
        /// The kind of item.
        kind: String,
        /// Its id (as `quotes`, `timeline`, `person` and `sources` print them).
        id: i64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Give a field back the value it had before a revision (itself a new revision).
    Restore {
        /// The revision's id, as `history` prints it.
        revision: i64,
        #[command(flatten)]
        db: DbArgs,
        /// Who restores (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Measure quality against annotated data.
    Eval {
        #[command(subcommand)]
        what: Eval,
    },
    /// Measure speed, printing figures.
    Bench {
        #[command(subcommand)]
        what: Bench,
    },
}

#[derive(Subcommand)]
enum Bench {
    /// Read and segment files in memory on one core; prints MB/s.
    Extract {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How many passes over the files.
        #[arg(long, default_value_t = 5)]
        iterations: u32,
    },
    /// Build a synthetic ledger through the real write path; prints the
    /// ingest rate and query latencies (p50/p99).
    Ledger {
        /// The database to build: a SQLite file that must not exist, or the
        /// postgres:// URL of an empty database.
        #[arg(long)]
        db: PathBuf,
        /// Sources.
        #[arg(long, default_value_t = 100_000)]
        sources: u64,
        /// Factoids per source.
        #[arg(long, default_value_t = 100)]
        factoids_per_source: u64,
        /// Distinct persons.
        #[arg(long, default_value_t = 1_000_000)]
        persons: u64,
        /// Persons named in each source.
        #[arg(long, default_value_t = 20)]
        cast: u64,
        /// Runs of each query.
        #[arg(long, default_value_t = 200)]
        queries: usize,
    },
}

#[derive(Subcommand)]
enum Eval {
    /// Speaker and addressee attribution on PDNC-format data: a folder of
    /// novel folders, each with novel_text.txt, character_info.csv and quotation_info.csv.
    Pdnc {
        /// The folder.
        dir: PathBuf,
        /// Also print this many wrong attributions per novel, with their context.
        #[arg(long, default_value_t = 0)]
        show_errors: usize,
        /// Write every attribution of setting (a) to this file, one
        /// tab-separated row per annotated quotation, for analysis.
        #[arg(long, value_name = "FILE")]
        attributions: Option<PathBuf>,
    },
}

/// Entities are given by name (any of their names) or as `e12`.
#[derive(Subcommand)]
enum Curate {
    /// Set a quotation's speaker (`-` for none).
    Speaker { quotation: i64, entity: String },
    /// Set a quotation's addressees (none to clear them).
    Addressees { quotation: i64, entities: Vec<String> },
    /// Set an event's date: YYYY, YYYY-MM or YYYY-MM-DD (`-` for none).
    Date { event: i64, date: String },
    /// Set an event's participants, each `ENTITY=ROLE` (agent, participant, host, patient, body, author, present).
    Participants { event: i64, participants: Vec<String> },
    /// Reject a factoid, or give it back its status (automatic, curated).
    Status { factoid: i64, status: String },
    /// Rename an entity.
    Name { entity: String, name: String },
    /// Grade a source's reliability (free text: `A1`, `reliable`, …).
    Reliability { source: i64, grade: String },
    /// Record who wrote a source, and on what grounds.
    Authorship { source: i64, claim: String },
    /// Merge the second entity into the first.
    Merge { survivor: String, other: String },
    /// Give the entity as these sources speak of it an entity of its own.
    Split {
        entity: String,
        /// Sources (locators, as `sources` prints them).
        #[arg(long = "source", required = true)]
        sources: Vec<String>,
    },
    /// Add a quotation the extraction missed: a span of a source's latest text.
    AddQuote {
        source: String,
        start: usize,
        end: usize,
        #[arg(long)]
        speaker: Option<String>,
    },
}

/// A window of dates, as `quotes`, `timeline` and `network` take it.
#[derive(clap::Args)]
struct Window {
    /// Dated on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Dated on or before.
    #[arg(long)]
    to: Option<String>,
}

#[derive(clap::Args)]
struct DbArgs {
    /// The ledger: a SQLite file, or a PostgreSQL database as a
    /// postgres:// URL (default: $KULISY_DB, else ./kulisy.db).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Print JSON for programs instead of text for people.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct ReadArgs {
    /// Read every input as this format instead of guessing from name and content.
    #[arg(long = "as", value_enum)]
    as_format: Option<InputFormat>,
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = ReadOptions::default().max_bytes)]
    max_bytes: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// The documented JSON schema (docs/extract-json.md).
    Json,
    /// A report for people.
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputFormat {
    Text,
    Html,
    Tei,
}

impl From<InputFormat> for SourceFormat {
    fn from(f: InputFormat) -> Self {
        match f {
            InputFormat::Text => SourceFormat::Text,
            InputFormat::Html => SourceFormat::Html,
            InputFormat::Tei => SourceFormat::Tei,
        }
    }
}

/// Every allocation of the binary, the compiled-in SQLite's included (the
/// `override` feature replaces `malloc` and `free`), goes through mimalloc:
/// a large load into the ledger allocates and frees pages constantly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract { paths, format, gazetteer, read } => extract(&paths, format, gazetteer.as_deref(), &read),
        Command::Bench { what: Bench::Extract { paths, iterations } } => bench_extract(&paths, iterations),
        Command::Bench { what: Bench::Ledger { db, sources, factoids_per_source, persons, cast, queries } } => {
            bench_ledger::run(&db, &bench_ledger::Scale { sources, factoids: factoids_per_source, persons, cast: cast.max(1) }, queries)
        }
        Command::Eval { what: Eval::Pdnc { dir, show_errors, attributions } } => eval_pdnc(&dir, show_errors, attributions.as_deref()),
        Command::Ingest { paths, db, gazetteer, by, defer_indexes, read } => ingest(&paths, &db, gazetteer.as_deref(), by, defer_indexes, &read),
        Command::Sources { db } => ledger::sources(&ledger::db_path(db.db), db.json),
        Command::Search { text, limit, db } => ledger::search(&ledger::db_path(db.db), &text.join(" "), limit, db.json),
        Command::Quotes { speaker, addressee, source, window: Window { from, to }, db } => {
            let filter = kulisy_store::QuoteFilter { speaker, addressee, source, from, to };
            ledger::quotes(&ledger::db_path(db.db), &filter, db.json)
        }
        Command::Timeline { person, window: Window { from, to }, db } => {
            ledger::timeline(&ledger::db_path(db.db), &kulisy_store::TimelineFilter { person, from, to }, db.json)
        }
        Command::Person { name, db } => ledger::person(&ledger::db_path(db.db), &name, db.json),
        Command::Network { person, hops, window: Window { from, to }, db } => {
            ledger::network(&ledger::db_path(db.db), &kulisy_store::NetworkFilter { person, hops, from, to }, db.json)
        }
        Command::Curate { what, db, by, note } => curate(what, &db, &who(by), note.as_deref()),
        Command::History { kind, id, db } => ledger::history(&ledger::db_path(db.db), &kind, id, db.json),
        Command::Restore { revision, db, by } => ledger::restore(&ledger::db_path(db.db), revision, &who(by)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kulisy: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// An input named on the command line.
enum Input {
    File(PathBuf),
    Stdin,
}

/// Extensions read when walking a folder; files named explicitly are read whatever their name.
const FOLDER_EXTENSIONS: &[&str] = &["txt", "text", "htm", "html", "xhtml", "xml", "tei"];

/// Expands folders into their files, sorted, so output order never depends on the file system.
fn inputs(paths: &[PathBuf], refused: &mut u32) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            let walker = walkdir::WalkDir::new(p).follow_links(false).sort_by_file_name();
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let ext = e.path().extension().and_then(|x| x.to_str()).map(str::to_ascii_lowercase);
                        if ext.is_some_and(|x| FOLDER_EXTENSIONS.contains(&x.as_str())) {
                            out.push(Input::File(e.into_path()));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        eprintln!("kulisy: {}: cannot read: {e}", e.path().unwrap_or(p).display());
                        *refused += 1;
                    }
                }
            }
        } else {
            out.push(Input::File(p.clone()));
        }
    }
    out
}

fn read_one(input: &Input, options: &ReadOptions) -> Result<Document, ReadError> {
    match input {
        Input::File(p) => kulisy_read::read_path(p, options),
        Input::Stdin => kulisy_read::read_stream("-", std::io::stdin().lock(), options),
    }
}

fn extract(paths: &[PathBuf], format: OutputFormat, gazetteer: Option<&std::path::Path>, read: &ReadArgs) -> anyhow::Result<ExitCode> {
    let options = ReadOptions { max_bytes: read.max_bytes, format: read.as_format.map(Into::into) };
    let extraction = gazetteer_options(gazetteer)?;
    let mut refused = 0u32;
    let inputs = inputs(paths, &mut refused);
    let out = BufWriter::new(std::io::stdout().lock());
    // Each document is written as soon as it is read, so memory holds one at a time.
    let mut json = None;
    let mut text = None;
    match format {
        OutputFormat::Json => json = Some(kulisy_exchange::json::JsonWriter::new(out).context("writing output")?),
        OutputFormat::Text => text = Some(out),
    }
    for input in &inputs {
        match read_one(input, &options) {
            Ok(doc) => {
                let ex = kulisy_extract::extract_with(&doc, &extraction);
                if let Some(w) = json.as_mut() {
                    w.document(&doc, &ex).context("writing output")?;
                }
                if let Some(w) = text.as_mut() {
                    w.write_all(kulisy_exchange::text::render(&doc, &ex).as_bytes()).context("writing output")?;
                }
            }
            Err(e) => {
                eprintln!("kulisy: {e}");
                refused += 1;
            }
        }
    }
    if let Some(w) = json {
        w.finish().context("writing output")?;
    }
    if let Some(mut w) = text {
        w.flush().context("writing output")?;
    }
    Ok(if refused > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn gazetteer_options(gazetteer: Option<&std::path::Path>) -> anyhow::Result<kulisy_extract::Options> {
    let mut extraction = kulisy_extract::Options::default();
    if let Some(g) = gazetteer {
        let text = std::fs::read_to_string(g).with_context(|| format!("{}: cannot read", g.display()))?;
        extraction.known = kulisy_exchange::gazetteer::parse(&text).with_context(|| format!("{}: not a gazetteer", g.display()))?;
    }
    Ok(extraction)
}

fn ingest(paths: &[PathBuf], db: &DbArgs, gazetteer: Option<&std::path::Path>, by: Option<String>, defer_indexes: bool, read: &ReadArgs) -> anyhow::Result<ExitCode> {
    let options = ReadOptions { max_bytes: read.max_bytes, format: read.as_format.map(Into::into) };
    let known = gazetteer_options(gazetteer)?;
    let mut refused = 0u32;
    let mut files = Vec::new();
    for input in inputs(paths, &mut refused) {
        match input {
            Input::File(p) => files.push(p),
            Input::Stdin => anyhow::bail!("ingest reads files and folders, not standard input"),
        }
    }
    let by = who(by);
    ledger::ingest(&ledger::db_path(db.db.clone()), files, &options, &known, &by, defer_indexes, refused)
}

/// Who is acting: `--by`, else `$USER`, else `kulisy`.
fn who(by: Option<String>) -> String {
    by.or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "kulisy".into())
}

fn curate(what: Curate, db: &DbArgs, by: &str, note: Option<&str>) -> anyhow::Result<ExitCode> {
    use serde_json::json;
    let path = ledger::db_path(db.db.clone());
    let mut store = kulisy_store::Store::open(&path)?;
    let entity = |store: &kulisy_store::Store, name: &str| -> anyhow::Result<i64> {
        if let Some(id) = name.strip_prefix('e').and_then(|n| n.parse::<i64>().ok()) {
            return Ok(store.resolve(id)?);
        }
        store.entities_named(name)?.first().copied().ok_or_else(|| anyhow::anyhow!("no one named {name} in {}", store.location()))
    };
    let entities = |store: &kulisy_store::Store, names: &[String]| -> anyhow::Result<Vec<i64>> { names.iter().map(|n| entity(store, n)).collect() };
    let revision = match what {
        Curate::Speaker { quotation, entity: e } => {
            let v = if e == "-" { json!(null) } else { json!(entity(&store, &e)?) };
            store.revise("quotation", quotation, "speaker", v, by, note)?
        }
        Curate::Addressees { quotation, entities: e } => {
            let ids = entities(&store, &e)?;
            store.revise("quotation", quotation, "addressees", json!(ids), by, note)?
        }
        Curate::Date { event, date } => {
            let v = if date == "-" { json!(null) } else { json!(date) };
            store.revise("event", event, "date", v, by, note)?
        }
        Curate::Participants { event, participants } => {
            let mut list = Vec::new();
            for p in &participants {
                let (name, role) = p.rsplit_once('=').ok_or_else(|| anyhow::anyhow!("{p}: expected ENTITY=ROLE"))?;
                list.push(json!([entity(&store, name)?, role]));
            }
            store.revise("event", event, "participants", json!(list), by, note)?
        }
        Curate::Status { factoid, status } => store.revise("factoid", factoid, "status", json!(status), by, note)?,
        Curate::Name { entity: e, name } => {
            let id = entity(&store, &e)?;
            store.revise("entity", id, "name", json!(name), by, note)?
        }
        Curate::Reliability { source, grade } => store.revise("source", source, "reliability", json!(grade), by, note)?,
        Curate::Authorship { source, claim } => store.revise("source", source, "authorship", json!(claim), by, note)?,
        Curate::Merge { survivor, other } => {
            let (s, o) = (entity(&store, &survivor)?, entity(&store, &other)?);
            store.merge(s, o, by, note)?
        }
        Curate::Split { entity: e, sources } => {
            let id = entity(&store, &e)?;
            let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
            let new = store.split(id, &refs, by, note)?;
            println!("e{id} split: e{new} stands for it in {}", sources.join(", "));
            return Ok(ExitCode::SUCCESS);
        }
        Curate::AddQuote { source, start, end, speaker } => {
            let sp = speaker.map(|n| entity(&store, &n)).transpose()?;
            let id = store.add_quotation(&source, start, end, sp, by)?;
            println!("added quotation #{id}");
            return Ok(ExitCode::SUCCESS);
        }
    };
    println!("revision {}: {} {} {}: {} -> {} (by {})", revision.id, revision.item_kind, revision.item_id, revision.field, revision.previous, revision.value, revision.by);
    Ok(ExitCode::SUCCESS)
}

fn eval_pdnc(dir: &std::path::Path, show_errors: usize, attributions: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let mut gold = Vec::new();
    let mut end_to_end = Vec::new();
    let mut rows = attributions.map(|_| pdnc::ATTRIBUTIONS_HEADER.to_string());
    for novel_dir in pdnc::novels(dir)? {
        let novel = pdnc::load(&novel_dir)?;
        let mut errors = String::new();
        gold.push(pdnc::eval_gold(&novel, show_errors, &mut errors, rows.as_mut())?);
        end_to_end.push(pdnc::eval_end_to_end(&novel)?);
        std::io::stdout().lock().write_all(errors.as_bytes()).context("writing output")?;
    }
    let mut report = pdnc::report("(a) gold quotations and characters given", &gold);
    report.push('\n');
    report.push_str(&pdnc::report("(b) end to end: quotations and characters found by kulisy", &end_to_end));
    std::io::stdout().lock().write_all(report.as_bytes()).context("writing output")?;
    if let (Some(path), Some(rows)) = (attributions, rows) {
        std::fs::write(path, rows).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_extract(paths: &[PathBuf], iterations: u32) -> anyhow::Result<ExitCode> {
    let mut refused = 0;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for input in inputs(paths, &mut refused) {
        if let Input::File(p) = input {
            let bytes = std::fs::read(&p).with_context(|| format!("{}: cannot read", p.display()))?;
            files.push((p.display().to_string(), bytes));
        }
    }
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    anyhow::ensure!(total > 0, "no input files");
    let passes = iterations.max(1);
    // Three stages, each timed on its own: reading; reading and segmenting;
    // the whole extraction (entities, mentions, speakers). Best of the passes.
    let mut best = [f64::INFINITY; 3];
    let mut found = [0usize; 3];
    for _ in 0..passes {
        for (stage, slot) in best.iter_mut().enumerate() {
            // The readers take ownership of the bytes, as they do of a file
            // just read; the copies are made before the clock starts.
            let copies: Vec<Vec<u8>> = files.iter().map(|(_, b)| b.clone()).collect();
            let start = Instant::now();
            let mut items = 0usize;
            for ((name, _), bytes) in files.iter().zip(copies) {
                let format = kulisy_read::format_from_name(name);
                let Ok(doc) = kulisy_read::read_bytes(name, bytes, format) else { continue };
                items += match stage {
                    0 => doc.blocks.len(),
                    1 => {
                        let seg = kulisy_extract::segment(&doc);
                        seg.quotations.len() + seg.sentences.len()
                    }
                    _ => {
                        let ex = kulisy_extract::extract(&doc);
                        ex.cast.mentions.len() + ex.attributions.iter().filter(|a| a.speaker.is_some()).count()
                    }
                };
            }
            *slot = slot.min(start.elapsed().as_secs_f64());
            found[stage] = items;
        }
    }
    let mb = total as f64 / 1e6;
    let mut out = std::io::stdout().lock();
    writeln!(out, "files:               {}", files.len())?;
    writeln!(out, "bytes:               {total}")?;
    writeln!(out, "passes:              {passes} (best shown, one core)")?;
    writeln!(out, "read:                {:>7.1} MB/s  {:>8.1} ms", mb / best[0], best[0] * 1e3)?;
    writeln!(out, "read + segment:      {:>7.1} MB/s  {:>8.1} ms  ({} sentences and quotations)", mb / best[1], best[1] * 1e3, found[1])?;
    writeln!(out, "full extraction:     {:>7.1} MB/s  {:>8.1} ms  ({} mentions and attributed quotations)", mb / best[2], best[2] * 1e3, found[2])?;
    Ok(ExitCode::SUCCESS)
}
