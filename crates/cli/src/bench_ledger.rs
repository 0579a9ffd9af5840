//! `kulisy bench ledger`: builds a synthetic ledger through the real write
//! path and prints the ingest rate and query latencies.
//!
//! Each synthetic source is a document whose paragraphs are quotations
//! (`Person 17 said to Person 4, “…”`) and meetings (`On 1921-03-04, Person 17
//! met Person 4.`), with its extraction built directly, so the figures are
//! the ledger's alone: writing, resolving persons across sources by name,
//! and answering queries.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use kulisy_extract::cast::Cast;
use kulisy_extract::Extraction;
use kulisy_model::{
    Attribution, Block, BlockKind, DateMention, DateSource, Document, Entity, EntityKind, Event, EventKind, HistoricalDate, Mention,
    MentionKind, PartialDate, Participant, Precision, Quotation, QuoteKind, Role, Segmentation, Span, TimelineEntry,
};
use kulisy_store::{QuoteFilter, Store, TimelineFilter};


/// A small deterministic generator (xorshift64*), so every run builds the same ledger.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// How big a ledger to build.
pub struct Scale {
    /// Sources.
    pub sources: u64,
    /// Factoids per source.
    pub factoids: u64,
    /// Distinct persons across the ledger.
    pub persons: u64,
    /// Persons named in one source.
    pub cast: u64,
}

fn person(id: u64) -> String {
    format!("Person {id}")
}

/// One synthetic source and its extraction.
fn source(n: u64, scale: &Scale, rng: &mut Rng) -> (Document, Extraction) {
    let cast_ids: Vec<u64> = (0..scale.cast).map(|_| rng.below(scale.persons)).collect();
    let mut text = String::new();
    let mut blocks = Vec::new();
    let mut mentions = Vec::new();
    let mut quotations = Vec::new();
    let mut attributions = Vec::new();
    let mut dates = Vec::new();
    let mut events = Vec::new();
    for j in 0..scale.factoids {
        let (a, b) = (rng.below(scale.cast) as usize, rng.below(scale.cast) as usize);
        let start = text.len();
        let block = blocks.len();
        if j % 5 < 3 {
            // A quotation.
            let sa = text.len();
            text.push_str(&person(cast_ids[a]));
            mentions.push(Mention { span: Span::new(sa, text.len()), kind: MentionKind::Name, entity: Some(a) });
            text.push_str(" said to ");
            let sb = text.len();
            text.push_str(&person(cast_ids[b]));
            mentions.push(Mention { span: Span::new(sb, text.len()), kind: MentionKind::Name, entity: Some(b) });
            text.push_str(", “");
            let ws = text.len();
            text.push_str(&format!("Words {} of source s{n}, on the matter of item {}.", rng.below(1000), rng.below(100_000)));
            let we = text.len();
            text.push('”');
            let qi = quotations.len();
            quotations.push(Quotation {
                span: Span::new(ws - "“".len(), text.len()),
                pieces: vec![Span::new(ws, we)],
                kind: QuoteKind::Speech,
                open: '“',
                close: Some('”'),
                parent: None,
                depth: 0,
                layers: Vec::new(),
                block,
            });
            attributions.push(Attribution {
                quotation: qi,
                speaker: Some(a),
                speaker_mention: None,
                addressees: vec![b],
                written: false,
                reported_by: None,
                sieve: "speech-verb-before",
                confidence: 0.85,
            });
        } else {
            // A meeting on a date.
            let day = PartialDate::from_day(-25_000 + rng.below(20_000) as i64);
            let ds = text.len() + "On ".len();
            text.push_str(&format!("On {day}, "));
            let mut date = HistoricalDate::unknown(day.to_string());
            date.start = Some(day);
            date.precision = Precision::Day;
            dates.push(DateMention {
                span: Span::new(ds, ds + day.to_string().len()),
                date,
                block,
                quoted: false,
                attributive: false,
                anchor_phrase: None,
                anchor_event: None,
            });
            let sa = text.len();
            text.push_str(&person(cast_ids[a]));
            mentions.push(Mention { span: Span::new(sa, text.len()), kind: MentionKind::Name, entity: Some(a) });
            let t = text.len() + 1;
            text.push_str(" met ");
            let sb = text.len();
            text.push_str(&person(cast_ids[b]));
            mentions.push(Mention { span: Span::new(sb, text.len()), kind: MentionKind::Name, entity: Some(b) });
            text.push('.');
            events.push(Event {
                kind: EventKind::Encounter,
                trigger: Span::new(t, t + 3),
                span: Span::new(start, text.len()),
                participants: vec![
                    Participant { entity: a, role: Role::Agent, span: Span::new(sa, sa + person(cast_ids[a]).len()) },
                    Participant { entity: b, role: Role::Participant, span: Span::new(sb, sb + person(cast_ids[b]).len()) },
                ],
                place: None,
                date: Some(dates.len() - 1),
                date_source: DateSource::Own,
                new_date: None,
                sieve: "encounter-verb",
                confidence: 0.8,
            });
        }
        blocks.push(Block { kind: BlockKind::Paragraph, span: Span::new(start, text.len()) });
        text.push_str("\n\n");
    }
    let entities = cast_ids
        .iter()
        .map(|&id| Entity {
            kind: EntityKind::Person,
            name: person(id),
            aliases: Vec::new(),
            gender: None,
            members: Vec::new(),
            external_id: None,
            from: None,
            until: None,
        })
        .collect();
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| (events[i].date.and_then(|d| dates[d].date.sort_key()), i));
    let timeline = order.into_iter().map(|event| TimelineEntry { event, date: events[event].date, after: None }).collect();
    let doc = Document::from_text(format!("s{n}"), text, blocks);
    let ex = Extraction {
        segmentation: Segmentation { sentences: Vec::new(), quotations, layers: Vec::new(), diagnostics: Vec::new() },
        cast: Cast { entities, narrator: None, mentions },
        attributions,
        dates,
        events,
        timeline,
    };
    (doc, ex)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k.min(sorted.len() - 1)]
}

/// Times `n` runs of a query, each with its own random argument; returns (p50, p99, max) in ms.
fn latency(n: usize, rng: &mut Rng, mut run: impl FnMut(&mut Rng) -> anyhow::Result<usize>) -> anyhow::Result<(f64, f64, f64, usize)> {
    let mut times = Vec::with_capacity(n);
    let mut rows = 0;
    for _ in 0..n {
        let t = Instant::now();
        rows += run(rng)?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Ok((percentile(&times, 0.5), percentile(&times, 0.99), times.last().copied().unwrap_or(f64::NAN), rows))
}

/// Writes the sources numbered `range` through the real write path, 200 to a
/// batch; returns the factoids written and the seconds spent generating the
/// documents (not the ledger's time). `progress` prints the rate as it goes.
fn load(store: &mut Store, range: std::ops::Range<u64>, scale: &Scale, rng: &mut Rng, progress: bool) -> anyhow::Result<(usize, f64)> {
    let started = Instant::now();
    let (mut factoids, mut generating) = (0usize, 0.0f64);
    let batch_size = 200;
    let mut n = range.start;
    while n < range.end {
        let g = Instant::now();
        let docs: Vec<(Document, Extraction)> = (n..(n + batch_size).min(range.end)).map(|i| source(i, scale, rng)).collect();
        generating += g.elapsed().as_secs_f64();
        let mut batch = store.batch()?;
        for (i, (doc, ex)) in docs.iter().enumerate() {
            if let kulisy_store::Ingested::Added { factoids: f, .. } = batch.ingest(&format!("synthetic/s{}", n + i as u64), doc, ex, "bench")? {
                factoids += f;
            }
        }
        batch.commit()?;
        n += batch_size;
        if progress && n.is_multiple_of(10_000) {
            let secs = started.elapsed().as_secs_f64() - generating;
            eprintln!("kulisy: {n} sources, {factoids} factoids, {:.0} factoids/s", factoids as f64 / secs);
        }
    }
    Ok((factoids, generating))
}

/// Builds the ledger at `db` (which must not exist) and prints the figures.
pub fn run(db: &Path, scale: &Scale, queries: usize) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(!db.exists(), "{}: exists; the benchmark builds a ledger of its own", db.display());
    let mut store = Store::open(db)?;
    anyhow::ensure!(store.counts()?.0 == 0, "{}: holds sources; the benchmark builds a ledger of its own in an empty database", db.display());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = std::io::stdout().lock();
    let backend = match store.backend() {
        kulisy_store::Backend::Sqlite => "SQLite",
        kulisy_store::Backend::Postgres => "PostgreSQL",
    };
    writeln!(out, "ledger:      {} ({backend})", db.display())?;
    writeln!(out, "scale:       {} sources x {} factoids, {} persons ({} named per source)", scale.sources, scale.factoids, scale.persons, scale.cast)?;
    let started = Instant::now();
    // A first load, as `kulisy ingest` makes it: the indexes on keys that
    // arrive in no order are built at the end (SQLite).
    store.defer_indexes()?;
    let (factoids, generating) = load(&mut store, 0..scale.sources, scale, &mut rng, true)?;
    let building = Instant::now();
    let built = store.build_deferred_indexes()?;
    let build_secs = building.elapsed().as_secs_f64();
    store.optimize()?;
    let secs = started.elapsed().as_secs_f64() - generating;
    let size = store.size()?;
    writeln!(out, "ingest:      {factoids} factoids in {secs:.1} s: {:.0} factoids/s (generating the documents, {generating:.1} s, not counted)", factoids as f64 / secs)?;
    if built > 0 {
        writeln!(out, "             of which building {built} indexes at the end: {build_secs:.1} s")?;
    }
    // Then more sources into the full ledger, every index kept up to date
    // row by row, as any later ingest does.
    let extra = (scale.sources / 100).max(1);
    let adding = Instant::now();
    let (more, generating_more) = load(&mut store, scale.sources..scale.sources + extra, scale, &mut rng, false)?;
    let more_secs = adding.elapsed().as_secs_f64() - generating_more;
    let noun = if extra == 1 { "source" } else { "sources" };
    writeln!(out, "then:        {more} factoids more ({extra} {noun}) into the full ledger in {more_secs:.1} s: {:.0} factoids/s", more as f64 / more_secs)?;
    writeln!(out, "size:        {:.1} MB", size as f64 / 1e6)?;
    let (sources, _, entities, _) = store.counts()?;
    writeln!(out, "ledger:      {sources} sources, {entities} entities")?;
    writeln!(out, "queries:     {queries} of each, random arguments; p50 / p99 / max in ms, rows returned in all")?;
    let persons = scale.persons;
    let rows = |label: &str, r: (f64, f64, f64, usize), out: &mut dyn Write| writeln!(out, "{label:<28}{:>8.2} {:>8.2} {:>8.2}   {}", r.0, r.1, r.2, r.3);
    let r = latency(queries, &mut rng, |g| Ok(store.person(&person(g.below(persons)))?.map_or(0, |p| p.said.len() + p.heard.len() + p.events.len())))?;
    rows("person page", r, &mut out)?;
    let r = latency(queries, &mut rng, |g| Ok(store.quotes(&QuoteFilter { speaker: Some(person(g.below(persons))), ..QuoteFilter::default() })?.len()))?;
    rows("quotations by speaker", r, &mut out)?;
    let r = latency(queries, &mut rng, |g| {
        let day = PartialDate::from_day(-25_000 + g.below(20_000) as i64);
        let month = format!("{:04}-{:02}", day.year, day.month.unwrap_or(1));
        Ok(store.timeline(&TimelineFilter { from: Some(month.clone()), to: Some(month), ..TimelineFilter::default() })?.len())
    })?;
    rows("timeline, one month", r, &mut out)?;
    let r = latency(queries, &mut rng, |g| {
        Ok(store.network(&kulisy_store::NetworkFilter { person: Some(person(g.below(persons))), hops: 2, ..Default::default() })?.len())
    })?;
    rows("network, 2 hops", r, &mut out)?;
    let r = latency(queries, &mut rng, |g| Ok(store.search(&format!("s{} item", g.below(scale.sources)), 20)?.len()))?;
    rows("search, 20 best", r, &mut out)?;
    out.flush().context("writing output")?;
    Ok(ExitCode::SUCCESS)
}
