//! The ledger commands: `ingest`, `sources`, `search`, `quotes`,
//! `timeline`, `person`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context;
use kulisy_read::ReadOptions;
use kulisy_store::{EventRow, Ingested, QuoteFilter, QuoteRow, Store, TimelineFilter};
use serde_json::json;

/// Where the ledger is: `--db`, else `KULISY_DB`, else `./kulisy.db`.
pub fn db_path(db: Option<PathBuf>) -> PathBuf {
    db.or_else(|| std::env::var_os("KULISY_DB").map(PathBuf::from)).unwrap_or_else(|| PathBuf::from("kulisy.db"))
}

fn open(db: &Path) -> anyhow::Result<Store> {
    Store::open(db).map_err(anyhow::Error::from)
}

/// A document read and extracted, on its way to the writer.
/// `None` in place of the pair when the ledger already holds these bytes.
type Extracted = (String, u64, Result<Option<(kulisy_model::Document, kulisy_extract::Extraction)>, String>);

/// How far ahead of the writer the readers may run, in documents: what
/// bounds memory, whatever the size of the collection.
const WINDOW: usize = 16;

/// Files from which a load into a ledger holding fewer sources builds its
/// indexes at the end rather than row by row.
const DEFER_FROM: usize = 1000;

/// Reads, extracts (on every core) and writes the given files into the
/// ledger; `defer_indexes` builds the indexes on keys that arrive in no
/// order once at the end.
pub fn ingest(db: &Path, files: Vec<PathBuf>, options: &ReadOptions, known: &kulisy_extract::Options, by: &str, defer_indexes: bool, mut refused: u32) -> anyhow::Result<ExitCode> {
    let mut store = open(db)?;
    let started = Instant::now();
    let sources = store.counts()?.0;
    if (defer_indexes || files.len() >= DEFER_FROM && usize::try_from(sources).unwrap_or(usize::MAX) < files.len()) && store.defer_indexes()? {
        eprintln!("kulisy: a large load: indexes on speakers, participants, days and entities are built at the end");
    }
    // What the ledger already holds is not extracted again.
    let known_contents = store.known_contents()?;
    let total_bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let total = files.len();
    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal {
        let b = indicatif::ProgressBar::new(total_bytes);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {msg} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(total.max(1));
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Extracted)>(WINDOW);
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Documents are written in the order given, whatever order they are
    // extracted in, so the same input makes the same ledger.
    let written = std::sync::atomic::AtomicUsize::new(0);
    let (mut added, mut unchanged, mut factoids, mut bytes_done) = (0usize, 0usize, 0usize, 0u64);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (files, next, written, known_contents) = (&files, &next, &written, &known_contents);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    while i >= written.load(std::sync::atomic::Ordering::Acquire) + WINDOW {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    let locator = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()).display().to_string();
                    let size = std::fs::metadata(path).map_or(0, |m| m.len());
                    let out = kulisy_read::read_path(path, options)
                        .map(|doc| {
                            if known_contents.contains(&(locator.clone(), kulisy_store::content_hash(&doc.original))) {
                                return None;
                            }
                            let ex = kulisy_extract::extract_with(&doc, known);
                            Some((doc, ex))
                        })
                        .map_err(|e| e.to_string());
                    if done_tx.send((i, (locator, size, out))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        // The writer: documents go in by batches, each one whole or not at all.
        let mut ready: std::collections::BTreeMap<usize, Extracted> = std::collections::BTreeMap::new();
        let mut want = 0usize;
        // Waits until the next document in order has arrived.
        let next_in_order = |ready: &mut std::collections::BTreeMap<usize, Extracted>, want: usize, wait: bool| -> Option<Extracted> {
            loop {
                if let Some(x) = ready.remove(&want) {
                    return Some(x);
                }
                let got = if wait { done_rx.recv().ok() } else { done_rx.try_recv().ok() };
                let (i, x) = got?;
                ready.insert(i, x);
            }
        };
        while let Some(first) = next_in_order(&mut ready, want, true) {
            let mut batch = store.batch()?;
            let mut item = Some(first);
            let mut in_batch = 0;
            while let Some((locator, size, result)) = item.take() {
                want += 1;
                bytes_done += size;
                match result {
                    Ok(None) => unchanged += 1,
                    Ok(Some((doc, ex))) => match batch.ingest(&locator, &doc, &ex, by) {
                        Ok(Ingested::Added { factoids: n, .. }) => {
                            added += 1;
                            factoids += n;
                        }
                        Ok(Ingested::Unchanged { .. }) => unchanged += 1,
                        Err(e) => {
                            report(bar.as_ref(), &format!("kulisy: {locator}: not stored: {e}"));
                            refused += 1;
                        }
                    },
                    Err(e) => {
                        report(bar.as_ref(), &format!("kulisy: {e}"));
                        refused += 1;
                    }
                }
                in_batch += 1;
                // Take what is ready, up to a batch; never wait with writes pending.
                if in_batch < 64 {
                    item = next_in_order(&mut ready, want, false);
                }
            }
            batch.commit()?;
            written.store(want, std::sync::atomic::Ordering::Release);
            let seen = added + unchanged + refused as usize;
            match &bar {
                Some(b) => {
                    b.set_position(bytes_done);
                    b.set_message(format!("{seen}/{total} documents, {factoids} factoids"));
                }
                None => {
                    if seen.is_multiple_of(100) || seen == total {
                        eprintln!("kulisy: {seen}/{total} documents, {:.1} MB, {factoids} factoids", bytes_done as f64 / 1e6);
                    }
                }
            }
        }
        Ok(())
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // Also those a load killed earlier left unbuilt.
    let building = Instant::now();
    let built = store.build_deferred_indexes()?;
    if built > 0 {
        eprintln!("kulisy: built {built} indexes in {:.1} s", building.elapsed().as_secs_f64());
    }
    if added > 0 || built > 0 {
        store.optimize()?;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!("kulisy: {added} added, {unchanged} unchanged, {refused} refused; {factoids} factoids written in {secs:.1} s ({:.0} factoids/s)", factoids as f64 / secs.max(1e-9));
    print(&overview(&store, db)?)?;
    Ok(if refused > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// What the ledger holds now, in a few lines, and what to ask it next.
fn overview(store: &Store, db: &Path) -> anyhow::Result<String> {
    let (sources, _, entities, factoids) = store.counts()?;
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut out = format!(
        "The ledger {} holds {}, {} and {}.\n",
        store.location(),
        plural(sources, "source", "sources"),
        plural(entities, "entity", "entities"),
        plural(factoids, "factoid", "factoids")
    );
    let top = store.most_present(5)?;
    if !top.is_empty() {
        let list: Vec<String> = top.iter().map(|(n, m, q)| format!("{n} ({}, {})", plural(*m, "mention", "mentions"), plural(*q, "quotation", "quotations"))).collect();
        out.push_str(&format!("Most present: {}.\n", list.join(", ")));
    }
    if let Some((a, b)) = store.event_span()? {
        out.push_str(&format!("Its events run from {a} to {b}.\n"));
    }
    // The suggestions name the ledger unless it is the one found without
    // --db, quoted when the shell would read it otherwise (a URL's `?`, `&`).
    let implicit = std::env::var_os("KULISY_DB").map_or(db == Path::new("kulisy.db"), |e| Path::new(&e) == db);
    let shown = store.location();
    let plain = shown.chars().all(|c| c.is_ascii_alphanumeric() || "/._-:@+,=".contains(c));
    let db_arg = match (implicit, plain) {
        (true, _) => String::new(),
        (false, true) => format!(" --db {shown}"),
        (false, false) => format!(" --db '{}'", shown.replace('\'', "'\\''")),
    };
    if let Some((name, _, _)) = top.first() {
        let name = if name.contains(' ') { format!("\"{name}\"") } else { name.clone() };
        out.push_str(&format!("Ask it: kulisy person {name}{db_arg} · kulisy timeline{db_arg} · kulisy quotes --speaker {name}{db_arg} · kulisy search WORDS{db_arg}\n"));
    }
    Ok(out)
}

fn report(bar: Option<&indicatif::ProgressBar>, line: &str) {
    match bar {
        Some(b) => b.println(line),
        None => eprintln!("{line}"),
    }
}

fn print(out: &str) -> anyhow::Result<ExitCode> {
    std::io::stdout().lock().write_all(out.as_bytes()).context("writing output")?;
    Ok(ExitCode::SUCCESS)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(s: &str, n: usize) -> String {
    let s = one_line(s);
    if s.chars().count() > n { format!("{}…", s.chars().take(n).collect::<String>()) } else { s }
}

/// `kulisy sources`
pub fn sources(db: &Path, as_json: bool) -> anyhow::Result<ExitCode> {
    let rows = open(db)?.sources()?;
    if as_json {
        let v: Vec<_> = rows
            .iter()
            .map(|r| json!({"id": r.id, "locator": r.locator, "versions": r.versions, "title": r.title, "reliability": r.reliability, "authorship": r.authorship, "document_date": r.document_date, "ingested_at": r.ingested_at, "quotations": r.quotations, "events": r.events}))
            .collect();
        return print(&format!("{}\n", serde_json::to_string_pretty(&v)?));
    }
    let mut out = format!("{:>4}  {:<10}  {:>3}  {:>6}  {:>6}  {}\n", "id", "date", "ver", "quotes", "events", "title / locator");
    for r in &rows {
        let grade = r.reliability.as_deref().map(|g| format!(" [{g}]")).unwrap_or_default();
        let title = format!("{}{grade}", r.title.as_deref().map(|t| short(t, 60)).unwrap_or_default());
        out.push_str(&format!("{:>4}  {:<10}  {:>3}  {:>6}  {:>6}  {title}\n{:>36}{}\n", r.id, r.document_date.as_deref().unwrap_or("-"), r.versions, r.quotations, r.events, "", r.locator));
    }
    print(&out)
}

/// `kulisy search TEXT`
pub fn search(db: &Path, text: &str, limit: usize, as_json: bool) -> anyhow::Result<ExitCode> {
    let hits = open(db)?.search(text, limit)?;
    if as_json {
        let v: Vec<_> = hits.iter().map(|h| json!({"source": h.locator, "version": h.version, "span_start": h.span_start, "snippet": h.snippet})).collect();
        return print(&format!("{}\n", serde_json::to_string_pretty(&v)?));
    }
    let mut out = String::new();
    for h in &hits {
        out.push_str(&format!("{} v{} @{}\n    {}\n", h.locator, h.version, h.span_start, one_line(&h.snippet)));
    }
    print(&out)
}

fn quote_json(q: &QuoteRow) -> serde_json::Value {
    json!({"id": q.id, "status": q.status, "source": q.locator, "version": q.version, "span": [q.span.0, q.span.1], "words": q.words, "speaker": q.speaker, "addressees": q.addressees, "written": q.written, "method": q.method, "confidence": q.confidence})
}

fn quote_line(q: &QuoteRow) -> String {
    let to = if q.addressees.is_empty() { String::new() } else { format!(" to {}", q.addressees.join(", ")) };
    let how = if q.written { "wrote" } else { "said" };
    let status = if q.status == "automatic" { String::new() } else { format!(" {}", q.status) };
    format!(
        "#{} {} {how}{to}: “{}”\n    {} v{} @{}..{}  [{} {:.2}{status}]\n",
        q.id,
        q.speaker.as_deref().unwrap_or("(unknown)"),
        short(&q.words, 100),
        q.locator,
        q.version,
        q.span.0,
        q.span.1,
        q.method,
        q.confidence
    )
}

/// `kulisy quotes`
pub fn quotes(db: &Path, filter: &QuoteFilter, as_json: bool) -> anyhow::Result<ExitCode> {
    let rows = open(db)?.quotes(filter)?;
    if as_json {
        let v: Vec<_> = rows.iter().map(quote_json).collect();
        return print(&format!("{}\n", serde_json::to_string_pretty(&v)?));
    }
    print(&rows.iter().map(quote_line).collect::<String>())
}

fn event_json(e: &EventRow) -> serde_json::Value {
    json!({"id": e.id, "source": e.locator, "version": e.version, "kind": e.kind, "date": e.date, "date_text": e.date_text, "inferred": e.inferred, "new_date": e.new_date,
        "participants": e.participants.iter().map(|(n, r)| json!({"name": n, "role": r})).collect::<Vec<_>>(), "place": e.place, "passage": e.passage, "span": [e.span.0, e.span.1]})
}

fn event_line(e: &EventRow) -> String {
    let who: Vec<String> = e.participants.iter().map(|(n, r)| format!("{n} ({r})")).collect();
    let printed = e.date_text.as_deref().map(|t| format!(" ‹{}›", one_line(t))).unwrap_or_default();
    let inferred = e.inferred.as_deref().map(|i| format!(" [{i}]")).unwrap_or_default();
    let moved = e.new_date.as_deref().map(|d| format!(" to {d}")).unwrap_or_default();
    let place = e.place.as_deref().map(|p| format!(" at {}", one_line(p))).unwrap_or_default();
    format!(
        "{:<24}{printed}{inferred}\n    #{} {}{moved}: {}{place}\n    “{}” {} v{} @{}\n",
        e.date.as_deref().unwrap_or("?"),
        e.id,
        e.kind,
        if who.is_empty() { "-".into() } else { who.join(", ") },
        short(&e.passage, 100),
        e.locator,
        e.version,
        e.span.0
    )
}

/// `kulisy timeline`
pub fn timeline(db: &Path, filter: &TimelineFilter, as_json: bool) -> anyhow::Result<ExitCode> {
    let rows = open(db)?.timeline(filter)?;
    if as_json {
        let v: Vec<_> = rows.iter().map(event_json).collect();
        return print(&format!("{}\n", serde_json::to_string_pretty(&v)?));
    }
    print(&rows.iter().map(event_line).collect::<String>())
}

/// `kulisy person NAME`
pub fn person(db: &Path, name: &str, as_json: bool) -> anyhow::Result<ExitCode> {
    let store = open(db)?;
    let Some(p) = store.person(name)? else {
        eprintln!("kulisy: no one named {name} in {}", store.location());
        return Ok(ExitCode::from(1));
    };
    if as_json {
        let v = json!({"id": p.id, "kind": p.kind, "name": p.name, "aliases": p.aliases, "member_of": p.member_of,
            "sources": p.sources.iter().map(|(s, n)| json!({"source": s, "mentions": n})).collect::<Vec<_>>(),
            "said": p.said.iter().map(quote_json).collect::<Vec<_>>(), "heard": p.heard.iter().map(quote_json).collect::<Vec<_>>(),
            "events": p.events.iter().map(event_json).collect::<Vec<_>>()});
        return print(&format!("{}\n", serde_json::to_string_pretty(&v)?));
    }
    let mut out = format!("{} ({}, e{})\n", p.name, p.kind, p.id);
    if !p.aliases.is_empty() {
        out.push_str(&format!("also: {}\n", p.aliases.join(", ")));
    }
    if !p.member_of.is_empty() {
        out.push_str(&format!("member of: {}\n", p.member_of.join(", ")));
    }
    out.push_str("\n-- sources\n");
    for (s, n) in &p.sources {
        out.push_str(&format!("{s} ({n} mentions)\n"));
    }
    out.push_str(&format!("\n-- said ({})\n", p.said.len()));
    out.extend(p.said.iter().map(quote_line));
    out.push_str(&format!("\n-- said to {} ({})\n", p.name, p.heard.len()));
    out.extend(p.heard.iter().map(quote_line));
    out.push_str(&format!("\n-- events ({})\n", p.events.len()));
    out.extend(p.events.iter().map(event_line));
    print(&out)
}

/// `kulisy history KIND ID`
pub fn history(db: &Path, kind: &str, id: i64, as_json: bool) -> anyhow::Result<ExitCode> {
    let revisions = open(db)?.history(kind, id)?;
    if as_json {
        let v: Vec<_> = revisions
            .iter()
            .map(|r| json!({"id": r.id, "field": r.field, "previous": r.previous, "value": r.value, "by": r.by, "at": r.at, "note": r.note}))
            .collect();
        return print(&format!("{}\n", serde_json::to_string_pretty(&v)?));
    }
    let mut out = String::new();
    for r in &revisions {
        let note = r.note.as_deref().map(|n| format!("  ({n})")).unwrap_or_default();
        out.push_str(&format!("revision {}  {}  {}  {}: {} -> {}{note}\n", r.id, r.at, r.by, r.field, r.previous, r.value));
    }
    print(&out)
}

/// `kulisy restore REVISION`
pub fn restore(db: &Path, revision: i64, by: &str) -> anyhow::Result<ExitCode> {
    let r = open(db)?.restore(revision, by)?;
    print(&format!("revision {}: {} {} {}: {} -> {} (by {})\n", r.id, r.item_kind, r.item_id, r.field, r.previous, r.value, r.by))
}

/// `kulisy network`
pub fn network(db: &Path, filter: &kulisy_store::NetworkFilter, as_json: bool) -> anyhow::Result<ExitCode> {
    let ties = open(db)?.network(filter)?;
    if as_json {
        let v: Vec<_> = ties.iter().map(|t| json!({"a": t.a, "b": t.b, "meetings": t.meetings, "spoke": t.spoke, "weight": t.meetings + t.spoke})).collect();
        return print(&format!("{}\n", serde_json::to_string_pretty(&v)?));
    }
    let mut out = format!("{:>6} {:>8} {:>5}  {}\n", "weight", "meetings", "spoke", "between");
    for t in &ties {
        out.push_str(&format!("{:>6} {:>8} {:>5}  {} — {}\n", t.meetings + t.spoke, t.meetings, t.spoke, t.a, t.b));
    }
    print(&out)
}
