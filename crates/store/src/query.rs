//! Reading the ledger: sources, full-text search, quotations, the timeline,
//! and a person's page. Each item cites its passage: the source, its
//! version, and the span of the canonical text.

use crate::db::{Backend, DbResult, Row, Val, p};
use crate::{Result, Store, key};

/// One source, with its latest version.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    /// The source's id.
    pub id: i64,
    /// Where it came from.
    pub locator: String,
    /// How many versions it has.
    pub versions: i64,
    /// Its title, from the latest version.
    pub title: Option<String>,
    /// Its own date (written or published), ISO 8601.
    pub document_date: Option<String>,
    /// When its latest version was ingested.
    pub ingested_at: String,
    /// Quotations and events in the latest version.
    pub quotations: i64,
    /// Events in the latest version.
    pub events: i64,
    /// The reliability grade a curator gave it.
    pub reliability: Option<String>,
    /// Who a curator holds wrote it, and on what grounds.
    pub authorship: Option<String>,
}

/// A passage found by full-text search.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The source.
    pub locator: String,
    /// The version.
    pub version: i64,
    /// Where the passage starts in the version's canonical text.
    pub span_start: i64,
    /// The passage with the matched words in `[` `]`.
    pub snippet: String,
}

/// Which quotations to list.
#[derive(Clone, Debug, Default)]
pub struct QuoteFilter {
    /// Said by this person (any of their names).
    pub speaker: Option<String>,
    /// Said to this person.
    pub addressee: Option<String>,
    /// From sources whose locator contains this.
    pub source: Option<String>,
    /// Dated on or after this day (ISO 8601, at any precision).
    pub from: Option<String>,
    /// Dated on or before this day.
    pub to: Option<String>,
}

/// One quotation, with who said it to whom and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct QuoteRow {
    /// The factoid's id.
    pub id: i64,
    /// The source.
    pub locator: String,
    /// The version.
    pub version: i64,
    /// The span of the quotation in the version's text.
    pub span: (i64, i64),
    /// The words.
    pub words: String,
    /// The speaker's name, when known.
    pub speaker: Option<String>,
    /// The addressees' names.
    pub addressees: Vec<String>,
    /// Written rather than spoken.
    pub written: bool,
    /// The sieve that attributed it.
    pub method: String,
    /// How sure it is.
    pub confidence: f64,
    /// `automatic`, `curated` or `added`.
    pub status: String,
}

/// Which events to list on a timeline.
#[derive(Clone, Debug, Default)]
pub struct TimelineFilter {
    /// Events this person took part in.
    pub person: Option<String>,
    /// On or after this date (ISO 8601, at any precision).
    pub from: Option<String>,
    /// On or before this date.
    pub to: Option<String>,
}

/// One event of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    /// The factoid's id.
    pub id: i64,
    /// The source.
    pub locator: String,
    /// The version.
    pub version: i64,
    /// The kind of event.
    pub kind: String,
    /// The normalised date, if any.
    pub date: Option<String>,
    /// The date as the text gives it.
    pub date_text: Option<String>,
    /// How a year or day not printed was worked out.
    pub inferred: Option<String>,
    /// For a postponement, the new date.
    pub new_date: Option<String>,
    /// Participants: (name, role).
    pub participants: Vec<(String, String)>,
    /// The place as the text names it.
    pub place: Option<String>,
    /// The clause that tells it.
    pub passage: String,
    /// Its span in the version's text.
    pub span: (i64, i64),
}

/// Everything the ledger holds about one person.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonPage {
    /// The entity's id.
    pub id: i64,
    /// Its kind.
    pub kind: String,
    /// Its canonical name.
    pub name: String,
    /// Every other name it goes by.
    pub aliases: Vec<String>,
    /// The groups it is a member of.
    pub member_of: Vec<String>,
    /// The sources that mention it, with how many mentions.
    pub sources: Vec<(String, i64)>,
    /// What it said.
    pub said: Vec<QuoteRow>,
    /// What was said to it.
    pub heard: Vec<QuoteRow>,
    /// The events it took part in, in time order.
    pub events: Vec<EventRow>,
}

/// The first and last day numbers of an ISO date at any precision (`1929`,
/// `1929-03`, `1929-03-29`); `None` when it is not one.
pub fn day_range(iso: &str) -> Option<(i64, i64)> {
    let mut parts = iso.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: Option<u8> = parts.next().map(str::parse).transpose().ok()?;
    let d: Option<u8> = parts.next().map(str::parse).transpose().ok()?;
    let p = match (m, d) {
        (None, _) => kulisy_model::PartialDate::year(y),
        (Some(m), None) => kulisy_model::PartialDate::month(y, m)?,
        (Some(m), Some(d)) => kulisy_model::PartialDate::day(y, m, d)?,
    };
    Some((p.first_day(), p.last_day()))
}

/// Ids as an SQL list (`1, 2, 3`): numbers only, so safe to write into a query.
fn sql_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// The ids given and every id merged into them, as an SQL list.
fn with_merged(ids: &[i64]) -> String {
    let list = sql_list(ids);
    format!("SELECT id FROM entities WHERE id IN ({list}) OR merged_into IN ({list})")
}

/// Turns what a person typed into an FTS5 query: every word a phrase of
/// its own, so no input is a syntax error.
fn fts_query(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of what a person typed as PostgreSQL text-search terms,
/// each quoted, so no input is a syntax error.
fn ts_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| format!("'{}'", w.to_lowercase())).collect()
}

impl Store {
    /// The ids of the entities (survivors of merges) a name names: persons
    /// first, then those it is the very name of (`Trotsky` the one called
    /// so, before `Natalia Trotsky` who also goes by it), then the oldest.
    pub fn entities_named(&self, name: &str) -> Result<Vec<i64>> {
        let rows = self
            .db()
            .column::<i64>(
                "SELECT DISTINCT COALESCE(e.merged_into, e.id), CASE WHEN e.kind = 'person' THEN 1 ELSE 0 END, CASE WHEN e.name = n.name THEN 1 ELSE 0 END
                 FROM entity_names n JOIN entities e ON e.id = n.entity_id
                 WHERE n.key = ?1 ORDER BY 2 DESC, 3 DESC, 1",
                p![key(name)],
            )
            .map_err(self.err())?;
        let mut out: Vec<i64> = Vec::new();
        for id in rows {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The bytes a version of a source was read from, exactly as they were:
    /// kept apart only when they differ from the canonical text's bytes (an
    /// encoding other than UTF-8, markup, line ends), else the text's own.
    pub fn original(&self, locator: &str, version: i64) -> Result<Option<Vec<u8>>> {
        let row = self
            .db()
            .row(
                "SELECT v.original, v.text FROM source_versions v JOIN sources s ON s.id = v.source_id WHERE s.locator = ?1 AND v.version = ?2",
                p![locator, version],
            )
            .map_err(self.err())?;
        let Some(r) = row else { return Ok(None) };
        let (original, text): (Vec<u8>, String) = (r.get(0).map_err(self.err())?, r.get(1).map_err(self.err())?);
        Ok(Some(if original.is_empty() { text.into_bytes() } else { original }))
    }

    /// Every source, in the order they were first ingested.
    pub fn sources(&self) -> Result<Vec<SourceRow>> {
        let rows = self
            .db()
            .query(
                "SELECT s.id, s.locator, (SELECT COUNT(*) FROM source_versions WHERE source_id = s.id), v.title, v.document_date, v.ingested_at,
                        (SELECT COUNT(*) FROM factoids f WHERE f.version_id = v.id AND f.kind = 'quotation' AND f.status <> 'rejected'),
                        (SELECT COUNT(*) FROM factoids f WHERE f.version_id = v.id AND f.kind = 'event'), s.reliability, s.authorship
                 FROM sources s JOIN source_versions v ON v.source_id = s.id
                 WHERE v.latest = 1
                 ORDER BY s.id",
                p![],
            )
            .map_err(self.err())?;
        rows.iter()
            .map(|r| {
                Ok(SourceRow {
                    id: r.get(0)?,
                    locator: r.get(1)?,
                    versions: r.get(2)?,
                    title: r.get(3)?,
                    document_date: r.get(4)?,
                    ingested_at: r.get(5)?,
                    quotations: r.get(6)?,
                    events: r.get(7)?,
                    reliability: r.get(8)?,
                    authorship: r.get(9)?,
                })
            })
            .collect::<DbResult<_>>()
            .map_err(self.err())
    }

    /// Passages of the latest versions matching every word of `text`, best
    /// first, each with a snippet that marks the words found. SQLite ranks
    /// by BM25 in its FTS5 index; PostgreSQL by `ts_rank` over its text
    /// search vectors.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let q = fts_query(text);
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let latest = "v.latest = 1";
        let rows = match self.backend() {
            Backend::Sqlite => {
                // The best first, then a snippet of each: a snippet reads its
                // paragraph back from the version's text, so only those shown.
                let best = self
                    .db()
                    .query(
                        &format!(
                            "SELECT s.locator, v.version, p.span_start, passages.rowid
                             FROM passages JOIN passage_spans p ON p.id = passages.rowid JOIN source_versions v ON v.id = p.version_id JOIN sources s ON s.id = v.source_id
                             WHERE passages MATCH ?1 AND {latest}
                             ORDER BY bm25(passages), s.locator, p.span_start LIMIT ?2"
                        ),
                        p![&q, limit],
                    )
                    .map_err(self.err())?;
                return best
                    .iter()
                    .map(|r| {
                        let snippet: Option<String> = self
                            .db()
                            .value("SELECT snippet(passages, 0, '[', ']', '…', 16) FROM passages WHERE passages MATCH ?1 AND rowid = ?2", p![&q, r.get::<i64>(3)?])?;
                        Ok(Hit { locator: r.get(0)?, version: r.get(1)?, span_start: r.get(2)?, snippet: snippet.unwrap_or_default() })
                    })
                    .collect::<DbResult<_>>()
                    .map_err(self.err());
            }
            Backend::Postgres => {
                // Every word, as written; the headline marks them as SQLite's snippet does.
                let words: Vec<String> = ts_words(text);
                if words.is_empty() {
                    return Ok(Vec::new());
                }
                self.db().query(
                    &format!(
                        "WITH query AS (SELECT to_tsquery('simple', ?1) AS q)
                         SELECT s.locator, v.version, p.span_start,
                                ts_headline('simple', p.text, query.q, 'StartSel=[, StopSel=], MaxWords=16, MinWords=8, MaxFragments=1, FragmentDelimiter=…')
                         FROM query, passages p JOIN source_versions v ON v.id = p.version_id JOIN sources s ON s.id = v.source_id
                         WHERE p.words @@ query.q AND {latest}
                         ORDER BY ts_rank(p.words, query.q) DESC, s.locator, p.span_start LIMIT ?2"
                    ),
                    p![words.join(" & "), limit],
                )
            }
        }
        .map_err(self.err())?;
        rows.iter()
            .map(|r| Ok(Hit { locator: r.get(0)?, version: r.get(1)?, span_start: r.get(2)?, snippet: r.get(3)? }))
            .collect::<DbResult<_>>()
            .map_err(self.err())
    }

    /// Quotations of the latest versions, filtered, in source and text order.
    pub fn quotes(&self, f: &QuoteFilter) -> Result<Vec<QuoteRow>> {
        let speakers = f.speaker.as_deref().map(|n| self.entities_named(n)).transpose()?;
        let addressees = f.addressee.as_deref().map(|n| self.entities_named(n)).transpose()?;
        self.quotes_among(f, speakers.as_deref(), addressees.as_deref())
    }

    /// Quotations as `quotes` lists them, said by one of the entities
    /// `speakers` and to one of `addressees` (when given) rather than by
    /// and to those the filter names.
    fn quotes_among(&self, f: &QuoteFilter, speakers: Option<&[i64]>, addressees: Option<&[i64]>) -> Result<Vec<QuoteRow>> {
        // Filters go into the SQL, so a query reads what it returns, not the ledger.
        let mut clauses: Vec<String> = Vec::new();
        if let Some(ids) = speakers {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            clauses.push(format!("q.speaker_id IN ({})", with_merged(ids)));
        }
        if let Some(ids) = addressees {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            clauses.push(format!("f.id IN (SELECT factoid_id FROM quotation_addressees WHERE entity_id IN ({}))", with_merged(ids)));
        }
        let mut args: Vec<Val<'_>> = Vec::new();
        if let Some(d) = f.from.as_deref().and_then(day_range) {
            args.push(Val::Int(d.0));
            clauses.push(format!("q.last_day >= ?{}", args.len()));
        }
        if let Some(d) = f.to.as_deref().and_then(day_range) {
            args.push(Val::Int(d.1));
            clauses.push(format!("q.first_day <= ?{}", args.len()));
        }
        if let Some(src) = &f.source {
            args.push(Val::from(src));
            clauses.push(match self.backend() {
                Backend::Sqlite => format!("instr(s.locator, ?{}) > 0", args.len()),
                Backend::Postgres => format!("strpos(s.locator, ?{}) > 0", args.len()),
            });
        }
        let extra: String = clauses.iter().map(|c| format!(" AND {c}")).collect();
        let sql = format!(
            "SELECT f.id, s.locator, v.version, f.span_start, f.span_end, q.words, COALESCE(sp.merged_into, sp.id), q.written, f.method, f.confidence, f.status
             FROM quotations q JOIN factoids f ON f.id = q.factoid_id JOIN source_versions v ON v.id = f.version_id JOIN sources s ON s.id = v.source_id
             LEFT JOIN entities sp ON sp.id = q.speaker_id
             WHERE v.latest = 1 AND f.status <> 'rejected'{extra}
             ORDER BY s.id, f.span_start"
        );
        let rows = self.db().query(&sql, &args).map_err(self.err())?;
        // The addressees of all the rows at once, a chunk of ids at a time;
        // the speakers' names likewise.
        let mut heard: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
        let mut who: Vec<i64> = Vec::new();
        let ids = rows.iter().map(|r| r.get::<i64>(0)).collect::<DbResult<Vec<_>>>().map_err(self.err())?;
        let found = self.rows_for_ids(&ids, |list| {
            format!(
                "SELECT DISTINCT a.factoid_id, COALESCE(e.merged_into, e.id) FROM quotation_addressees a JOIN entities e ON e.id = a.entity_id
                 WHERE a.factoid_id IN ({list}) ORDER BY 1, 2"
            )
        })?;
        for x in found {
            let (f, e) = (|| -> DbResult<_> { Ok((x.get::<i64>(0)?, x.get::<i64>(1)?)) })().map_err(self.err())?;
            heard.entry(f).or_default().push(e);
            who.push(e);
        }
        for r in &rows {
            who.extend(r.get::<Option<i64>>(6).map_err(self.err())?);
        }
        let names = self.names_of(&who)?;
        let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let read = || -> DbResult<_> {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<i64>(2)?,
                    (r.get::<i64>(3)?, r.get::<i64>(4)?),
                    r.get::<String>(5)?,
                    r.get::<Option<i64>>(6)?,
                    r.get::<bool>(7)?,
                    r.get::<String>(8)?,
                    r.get::<f64>(9)?,
                    r.get::<String>(10)?,
                ))
            };
            let (id, locator, version, span, words, speaker, written, method, confidence, status) = read().map_err(self.err())?;
            out.push(QuoteRow {
                id,
                locator,
                version,
                span,
                words,
                speaker: speaker.map(name),
                addressees: heard.remove(&id).unwrap_or_default().into_iter().map(name).collect(),
                written,
                method,
                confidence,
                status,
            });
        }
        Ok(out)
    }

    /// The names of entities, by id, a chunk of ids at a time.
    fn names_of(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        for r in self.rows_for_ids(&ids, |list| format!("SELECT id, name FROM entities WHERE id IN ({list})"))? {
            let (id, name) = (|| -> DbResult<_> { Ok((r.get::<i64>(0)?, r.get::<String>(1)?)) })().map_err(self.err())?;
            out.insert(id, name);
        }
        Ok(out)
    }

    /// The rows of `sql(list)` for the ids a chunk at a time, `list` an SQL
    /// list of at most 500 of them (a query of every id at once could pass
    /// an engine's limits).
    fn rows_for_ids(&self, ids: &[i64], sql: impl Fn(&str) -> String) -> Result<Vec<Row>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            out.extend(self.db().query(&sql(&sql_list(chunk)), p![]).map_err(self.err())?);
        }
        Ok(out)
    }

    /// Events of the latest versions, filtered, in time order (undated ones
    /// after the dated, each source's in the order of its own timeline).
    pub fn timeline(&self, f: &TimelineFilter) -> Result<Vec<EventRow>> {
        let persons = f.person.as_deref().map(|n| self.entities_named(n)).transpose()?;
        self.timeline_among(f, persons.as_deref())
    }

    /// Events as `timeline` lists them, with one of the entities `persons`
    /// (when given) among the participants rather than those the filter names.
    fn timeline_among(&self, f: &TimelineFilter, persons: Option<&[i64]>) -> Result<Vec<EventRow>> {
        let mut clauses: Vec<String> = Vec::new();
        if let Some(ids) = persons {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            clauses.push(format!("f.id IN (SELECT factoid_id FROM event_participants WHERE entity_id IN ({}))", with_merged(ids)));
        }
        let mut args: Vec<Val<'_>> = Vec::new();
        if let Some(d) = f.from.as_deref().and_then(day_range) {
            args.push(Val::Int(d.0));
            // An event reaching into the window starts no earlier than the
            // window less the longest stretch any event covers: the index on
            // first days then bounds the scan.
            clauses.push(format!("e.last_day >= ?{n} AND e.first_day >= ?{n} - (SELECT COALESCE(MAX(last_day - first_day), 0) FROM events)", n = args.len()));
        }
        if let Some(d) = f.to.as_deref().and_then(day_range) {
            args.push(Val::Int(d.1));
            clauses.push(format!("e.first_day <= ?{}", args.len()));
        }
        let extra: String = clauses.iter().map(|c| format!(" AND {c}")).collect();
        let sql = format!(
            "SELECT f.id, s.locator, v.version, e.kind, e.date_value, e.date_text, e.inferred, e.new_date_value, e.place_text, f.span_start, f.span_end,
                    COALESCE(e.passage, '')
             FROM events e JOIN factoids f ON f.id = e.factoid_id JOIN source_versions v ON v.id = f.version_id JOIN sources s ON s.id = v.source_id
             WHERE v.latest = 1 AND f.status <> 'rejected'{extra}
             ORDER BY e.first_day IS NULL, e.first_day, e.last_day DESC, s.id, e.timeline_rank"
        );
        let rows = self.db().query(&sql, &args).map_err(self.err())?;
        // Participants of all the rows at once, names joined, a chunk of ids at a time.
        let mut who: std::collections::HashMap<i64, Vec<(String, String)>> = std::collections::HashMap::new();
        let ids = rows.iter().map(|r| r.get::<i64>(0)).collect::<DbResult<Vec<_>>>().map_err(self.err())?;
        let found = self.rows_for_ids(&ids, |list| {
            format!(
                "SELECT p.factoid_id, s.name, p.role FROM event_participants p JOIN entities e ON e.id = p.entity_id JOIN entities s ON s.id = COALESCE(e.merged_into, e.id)
                 WHERE p.factoid_id IN ({list})
                 ORDER BY p.factoid_id, CASE p.role WHEN 'agent' THEN 0 WHEN 'author' THEN 0 WHEN 'participant' THEN 1 WHEN 'host' THEN 2 ELSE 3 END, p.entity_id"
            )
        })?;
        for x in found {
            let (f, name, role) = (|| -> DbResult<_> { Ok((x.get::<i64>(0)?, x.get::<String>(1)?, x.get::<String>(2)?)) })().map_err(self.err())?;
            who.entry(f).or_default().push((name, role));
        }
        rows.iter()
            .map(|r| {
                let id: i64 = r.get(0)?;
                Ok(EventRow {
                    id,
                    locator: r.get(1)?,
                    version: r.get(2)?,
                    kind: r.get(3)?,
                    date: r.get(4)?,
                    date_text: r.get(5)?,
                    inferred: r.get(6)?,
                    new_date: r.get(7)?,
                    participants: who.remove(&id).unwrap_or_default(),
                    place: r.get(8)?,
                    passage: r.get(11)?,
                    span: (r.get(9)?, r.get(10)?),
                })
            })
            .collect::<DbResult<_>>()
            .map_err(self.err())
    }

    /// The page of the entity a name names (a person first), or `None`.
    pub fn person(&self, name: &str) -> Result<Option<PersonPage>> {
        let Some(&id) = self.entities_named(name)?.first() else {
            return Ok(None);
        };
        let Some(row) = self.db().row("SELECT kind, name FROM entities WHERE id = ?1", p![id]).map_err(self.err())? else {
            return Ok(None);
        };
        let (kind, canonical): (String, String) = (|| -> DbResult<_> { Ok((row.get(0)?, row.get(1)?)) })().map_err(self.err())?;
        let aliases: Vec<String> = self
            .db()
            .column::<String>("SELECT DISTINCT name FROM entity_names WHERE entity_id IN (SELECT id FROM entities WHERE id = ?1 OR merged_into = ?1) ORDER BY name", p![id])
            .map_err(self.err())?
            .into_iter()
            .filter(|n| *n != canonical)
            .collect();
        let member_of = self
            .db()
            .column(
                "SELECT DISTINCT g.name FROM memberships m JOIN entities g ON g.id = COALESCE((SELECT merged_into FROM entities WHERE id = m.group_id), m.group_id)
                 WHERE m.member_id IN (SELECT id FROM entities WHERE id = ?1 OR merged_into = ?1) ORDER BY g.name",
                p![id],
            )
            .map_err(self.err())?;
        let sources = self
            .db()
            .query(
                "SELECT s.locator, CAST(SUM(m.n) AS BIGINT) FROM mentions m JOIN source_versions v ON v.id = m.version_id JOIN sources s ON s.id = v.source_id
                 WHERE m.entity_id IN (SELECT id FROM entities WHERE id = ?1 OR merged_into = ?1) GROUP BY s.id ORDER BY s.id",
                p![id],
            )
            .map_err(self.err())?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?)))
            .collect::<DbResult<_>>()
            .map_err(self.err())?;
        // Its own, not those of another entity going by the same name.
        let said = self.quotes_among(&QuoteFilter::default(), Some(&[id]), None)?;
        let heard = self.quotes_among(&QuoteFilter::default(), None, Some(&[id]))?;
        let events = self.timeline_among(&TimelineFilter::default(), Some(&[id]))?;
        Ok(Some(PersonPage { id, kind, name: canonical, aliases, member_of, sources, said, heard, events }))
    }

    /// How many rows of each kind the ledger holds: sources, versions,
    /// entities, factoids.
    pub fn counts(&self) -> Result<(i64, i64, i64, i64)> {
        let row = self
            .db()
            .row(
                "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM source_versions), (SELECT COUNT(*) FROM entities WHERE merged_into IS NULL), (SELECT COUNT(*) FROM factoids)",
                p![],
            )
            .map_err(self.err())?;
        match row {
            Some(r) => (|| -> DbResult<_> { Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)) })().map_err(self.err()),
            None => Ok((0, 0, 0, 0)),
        }
    }

    /// The persons mentioned most, with their mentions and quotations:
    /// (name, mentions, quotations said), most mentioned first.
    pub fn most_present(&self, n: usize) -> Result<Vec<(String, i64, i64)>> {
        self.db()
            .query(
                "SELECT e.name, CAST(SUM(m.n) AS BIGINT) AS c,
                        (SELECT COUNT(*) FROM quotations q JOIN factoids f ON f.id = q.factoid_id WHERE f.status <> 'rejected'
                           AND q.speaker_id IN (SELECT id FROM entities WHERE id = e.id OR merged_into = e.id))
                 FROM mentions m JOIN entities x ON x.id = m.entity_id JOIN entities e ON e.id = COALESCE(x.merged_into, x.id)
                 WHERE e.kind = 'person' AND e.name <> 'the narrator' GROUP BY e.id ORDER BY c DESC, e.name LIMIT ?1",
                p![n],
            )
            .map_err(self.err())?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .collect::<DbResult<_>>()
            .map_err(self.err())
    }

    /// The first and last day the dated events cover, as ISO dates.
    pub fn event_span(&self) -> Result<Option<(String, String)>> {
        let row = self
            .db()
            .row("SELECT MIN(first_day), MAX(last_day) FROM events e JOIN factoids f ON f.id = e.factoid_id WHERE f.status <> 'rejected'", p![])
            .map_err(self.err())?;
        let Some(r) = row else { return Ok(None) };
        let (a, b): (Option<i64>, Option<i64>) = (|| -> DbResult<_> { Ok((r.get(0)?, r.get(1)?)) })().map_err(self.err())?;
        Ok(a.zip(b).map(|(a, b)| (kulisy_model::PartialDate::from_day(a).to_string(), kulisy_model::PartialDate::from_day(b).to_string())))
    }

    /// Refreshes what the query planner knows of the tables, after an
    /// ingest: SQLite's `PRAGMA optimize`, PostgreSQL's `ANALYZE` (without
    /// it, a ledger just filled is read with plans made for empty tables).
    pub fn optimize(&self) -> Result<()> {
        self.db()
            .batch(match self.backend() {
                Backend::Sqlite => "PRAGMA optimize",
                Backend::Postgres => "ANALYZE",
            })
            .map_err(self.err())
    }

    /// How many bytes the ledger takes: the SQLite file's pages, or
    /// the PostgreSQL database.
    pub fn size(&self) -> Result<i64> {
        let sql = match self.backend() {
            Backend::Sqlite => "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            Backend::Postgres => "SELECT pg_database_size(current_database())",
        };
        Ok(self.db().value(sql, p![]).map_err(self.err())?.unwrap_or(0))
    }

    /// Every (locator, content hash) the ledger holds, so a caller can skip
    /// extracting what would change nothing.
    pub fn known_contents(&self) -> Result<std::collections::HashSet<(String, String)>> {
        self.db()
            .query("SELECT s.locator, v.content_hash FROM sources s JOIN source_versions v ON v.source_id = s.id", p![])
            .map_err(self.err())?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?)))
            .collect::<DbResult<_>>()
            .map_err(self.err())
    }
}

/// Which part of the network to draw.
#[derive(Clone, Debug, Default)]
pub struct NetworkFilter {
    /// Only the ties of this person, and of the persons tied to them when `hops` is 2.
    pub person: Option<String>,
    /// 1 (the person's own ties) or 2 (their neighbours' ties too); with no person, ignored.
    pub hops: u8,
    /// Meetings and quotations dated on or after this (ISO 8601, any precision).
    pub from: Option<String>,
    /// Dated on or before this.
    pub to: Option<String>,
}

/// A tie between two persons: how often they met and how often one spoke to the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    /// One person's name (the first in code-point order).
    pub a: String,
    /// The other's.
    pub b: String,
    /// Encounters both took part in.
    pub meetings: i64,
    /// Quotations one said to the other.
    pub spoke: i64,
}

impl Store {
    /// Who met or spoke with whom, weighted, heaviest first. Dates filter
    /// the meetings and the dated quotations (undated ones are left out of a
    /// date window).
    pub fn network(&self, f: &NetworkFilter) -> Result<Vec<Tie>> {
        let mut args: Vec<Val<'static>> = Vec::new();
        let mut event_dates = String::new();
        let mut quote_dates = String::new();
        if let Some(d) = f.from.as_deref().and_then(day_range) {
            args.push(Val::Int(d.0));
            event_dates.push_str(&format!(" AND e.last_day >= ?{}", args.len()));
            quote_dates.push_str(&format!(" AND q.last_day >= ?{}", args.len()));
        }
        if let Some(d) = f.to.as_deref().and_then(day_range) {
            args.push(Val::Int(d.1));
            event_dates.push_str(&format!(" AND e.first_day <= ?{}", args.len()));
            quote_dates.push_str(&format!(" AND q.first_day <= ?{}", args.len()));
        }
        // The persons whose ties to draw: one person, or them and their neighbours.
        let focus: Option<Vec<i64>> = match &f.person {
            None => None,
            Some(n) => {
                let mut ids = self.entities_named(n)?;
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                ids.truncate(1);
                if f.hops >= 2 {
                    let first = self.ties(&ids, &event_dates, &quote_dates, &args)?;
                    for t in first {
                        for x in [t.0, t.1] {
                            if !ids.contains(&x) {
                                ids.push(x);
                            }
                        }
                    }
                }
                Some(ids)
            }
        };
        let ties = match &focus {
            Some(ids) => self.ties(ids, &event_dates, &quote_dates, &args)?,
            None => self.ties(&[], &event_dates, &quote_dates, &args)?,
        };
        let names = self.names_of(&ties.iter().flat_map(|t| [t.0, t.1]).collect::<Vec<_>>())?;
        let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
        // Each pair in the order of its names, and the heaviest first, then
        // by name: what the ledger holds decides, not the order it was written in.
        let mut out: Vec<Tie> = ties
            .into_iter()
            .map(|(a, b, m, s)| {
                let (a, b) = (name(a), name(b));
                let (a, b) = if b < a { (b, a) } else { (a, b) };
                Tie { a, b, meetings: m, spoke: s }
            })
            .collect();
        out.sort_by(|x, y| (y.meetings + y.spoke).cmp(&(x.meetings + x.spoke)).then_with(|| x.a.cmp(&y.a)).then_with(|| x.b.cmp(&y.b)));
        Ok(out)
    }

    /// (a, b, meetings, spoke) for the ties touching `ids` (all ties when empty).
    fn ties(&self, ids: &[i64], event_dates: &str, quote_dates: &str, args: &[Val<'_>]) -> Result<Vec<(i64, i64, i64, i64)>> {
        let latest = "v.latest = 1";
        let pairs = if ids.is_empty() {
            format!(
                "SELECT x.entity_id AS p, y.entity_id AS r, 1 AS meet, 0 AS spoke
                 FROM events e JOIN factoids f ON f.id = e.factoid_id JOIN source_versions v ON v.id = f.version_id
                      JOIN event_participants x ON x.factoid_id = e.factoid_id JOIN event_participants y ON y.factoid_id = e.factoid_id AND y.entity_id > x.entity_id
                 WHERE e.kind = 'encounter' AND f.status <> 'rejected' AND {latest}{event_dates}
                 UNION ALL
                 SELECT q.speaker_id, a.entity_id, 0, 1
                 FROM quotations q JOIN factoids f ON f.id = q.factoid_id JOIN source_versions v ON v.id = f.version_id JOIN quotation_addressees a ON a.factoid_id = q.factoid_id
                 WHERE q.speaker_id IS NOT NULL AND f.status <> 'rejected' AND {latest}{quote_dates}"
            )
        } else {
            // From the focus outwards, through the indexes on participants,
            // speakers and addressees; a tie inside the focus counted once.
            let list = with_merged(ids);
            format!(
                "SELECT x.entity_id AS p, y.entity_id AS r, 1 AS meet, 0 AS spoke
                 FROM event_participants x JOIN event_participants y ON y.factoid_id = x.factoid_id AND y.entity_id <> x.entity_id
                      JOIN events e ON e.factoid_id = x.factoid_id JOIN factoids f ON f.id = x.factoid_id JOIN source_versions v ON v.id = f.version_id
                 WHERE x.entity_id IN ({list}) AND (y.entity_id NOT IN ({list}) OR y.entity_id > x.entity_id)
                   AND e.kind = 'encounter' AND f.status <> 'rejected' AND {latest}{event_dates}
                 UNION ALL
                 SELECT q.speaker_id, a.entity_id, 0, 1
                 FROM quotations q JOIN quotation_addressees a ON a.factoid_id = q.factoid_id JOIN factoids f ON f.id = q.factoid_id JOIN source_versions v ON v.id = f.version_id
                 WHERE q.speaker_id IN ({list}) AND f.status <> 'rejected' AND {latest}{quote_dates}
                 UNION ALL
                 SELECT q.speaker_id, a.entity_id, 0, 1
                 FROM quotation_addressees a JOIN quotations q ON q.factoid_id = a.factoid_id JOIN factoids f ON f.id = q.factoid_id JOIN source_versions v ON v.id = f.version_id
                 WHERE a.entity_id IN ({list}) AND q.speaker_id IS NOT NULL AND q.speaker_id NOT IN ({list}) AND f.status <> 'rejected' AND {latest}{quote_dates}"
            )
        };
        let sql = format!(
            "WITH pairs AS ({pairs}),
             resolved AS (
               SELECT COALESCE(ep.merged_into, ep.id) AS p, COALESCE(er.merged_into, er.id) AS r, meet, spoke
               FROM pairs JOIN entities ep ON ep.id = pairs.p JOIN entities er ON er.id = pairs.r
               WHERE ep.kind = 'person' AND er.kind = 'person'
             )
             , ordered AS (
               SELECT CASE WHEN p < r THEN p ELSE r END AS a, CASE WHEN p < r THEN r ELSE p END AS b, meet, spoke FROM resolved WHERE p <> r
             )
             SELECT a, b, SUM(meet), SUM(spoke) FROM ordered
             GROUP BY a, b ORDER BY SUM(meet) + SUM(spoke) DESC, a, b"
        );
        self.db()
            .query(&sql, args)
            .map_err(self.err())?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .collect::<DbResult<_>>()
            .map_err(self.err())
    }
}
