//! Curation: a curator corrects what extraction found, adds and rejects
//! factoids, grades sources, merges and splits entities. Every change is a
//! revision with who, when and why; any item's history can be listed and
//! any earlier value restored. Extraction never overwrites a curated value:
//! re-ingesting writes a new version beside the old, and the curated values
//! of the old version are carried to the matching items of the new one.

use serde_json::{Value, json};

use crate::db::{Db, DbError, DbResult, Val, p};
use crate::{Result, Store, now};

/// One change to one field of one item.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    /// Its id.
    pub id: i64,
    /// `quotation`, `event`, `factoid`, `entity` or `source`.
    pub item_kind: String,
    /// The item's id.
    pub item_id: i64,
    /// The field changed.
    pub field: String,
    /// The value before, as JSON.
    pub previous: Value,
    /// The value after, as JSON.
    pub value: Value,
    /// Who.
    pub by: String,
    /// When (ISO 8601 UTC).
    pub at: String,
    /// Why, when the curator said.
    pub note: Option<String>,
}

/// The fields a curator may change, by item kind.
const FIELDS: &[(&str, &str)] = &[
    ("quotation", "speaker"),
    ("quotation", "addressees"),
    ("event", "date"),
    ("event", "participants"),
    ("factoid", "status"),
    ("entity", "name"),
    ("entity", "merged_into"),
    ("source", "reliability"),
    ("source", "authorship"),
];

/// What a curator asked that cannot be done.
#[derive(Debug, thiserror::Error)]
pub enum CurationError {
    /// No such item.
    #[error("no {kind} {id}")]
    Missing {
        /// The kind of item.
        kind: &'static str,
        /// Its id.
        id: i64,
    },
    /// The value does not fit the field.
    #[error("{0}")]
    Invalid(String),
}

fn missing(kind: &'static str, id: i64) -> crate::StoreError {
    crate::StoreError::Curation(CurationError::Missing { kind, id })
}

fn invalid(msg: impl Into<String>) -> crate::StoreError {
    crate::StoreError::Curation(CurationError::Invalid(msg.into()))
}

/// The current value of a field, as JSON.
fn current(db: &Db, kind: &str, id: i64, field: &str) -> DbResult<Option<Value>> {
    let one = |sql: &str| -> DbResult<Option<Value>> {
        Ok(db.row(sql, p![id])?.map(|r| match r.val(0) {
            Val::Null => Value::Null,
            Val::Int(i) => json!(i),
            Val::Real(f) => json!(f),
            Val::Text(t) => json!(t),
            Val::Blob(_) => Value::Null,
        }))
    };
    match (kind, field) {
        ("quotation", "speaker") => one("SELECT speaker_id FROM quotations WHERE factoid_id = ?1"),
        ("quotation", "addressees") => {
            if one("SELECT factoid_id FROM quotations WHERE factoid_id = ?1")?.is_none() {
                return Ok(None);
            }
            let ids: Vec<i64> = db.column("SELECT entity_id FROM quotation_addressees WHERE factoid_id = ?1 ORDER BY entity_id", p![id])?;
            Ok(Some(json!(ids)))
        }
        ("event", "date") => one("SELECT date_value FROM events WHERE factoid_id = ?1"),
        ("event", "participants") => {
            if one("SELECT factoid_id FROM events WHERE factoid_id = ?1")?.is_none() {
                return Ok(None);
            }
            let v: Vec<Value> = db
                .query("SELECT entity_id, role FROM event_participants WHERE factoid_id = ?1 ORDER BY entity_id, role", p![id])?
                .iter()
                .map(|r| Ok(json!([r.get::<i64>(0)?, r.get::<String>(1)?])))
                .collect::<DbResult<_>>()?;
            Ok(Some(json!(v)))
        }
        ("factoid", "status") => one("SELECT status FROM factoids WHERE id = ?1"),
        ("entity", "name") => one("SELECT name FROM entities WHERE id = ?1"),
        ("entity", "merged_into") => one("SELECT merged_into FROM entities WHERE id = ?1"),
        ("source", "reliability") => one("SELECT reliability FROM sources WHERE id = ?1"),
        ("source", "authorship") => one("SELECT authorship FROM sources WHERE id = ?1"),
        _ => Ok(None),
    }
}

/// What applying a value can fail with: the engine, or the value.
enum ApplyError {
    Db(DbError),
    Curation(crate::StoreError),
}

impl From<DbError> for ApplyError {
    fn from(e: DbError) -> Self {
        ApplyError::Db(e)
    }
}

impl From<crate::StoreError> for ApplyError {
    fn from(e: crate::StoreError) -> Self {
        ApplyError::Curation(e)
    }
}

/// Writes a field's value into the item's row.
fn apply(db: &Db, kind: &str, id: i64, field: &str, v: &Value, by: &str, at: &str) -> std::result::Result<(), ApplyError> {
    let entity = |x: &Value| -> std::result::Result<Option<i64>, ApplyError> {
        match x {
            Value::Null => Ok(None),
            Value::Number(n) => {
                let e = n.as_i64().ok_or_else(|| invalid(format!("{x} is not an entity id")))?;
                let found: Option<i64> = db.value("SELECT id FROM entities WHERE id = ?1", p![e])?;
                Ok(Some(found.ok_or_else(|| missing("entity", e))?))
            }
            _ => Err(invalid(format!("{x} is not an entity id")).into()),
        }
    };
    match (kind, field) {
        ("quotation", "speaker") => {
            let e = entity(v)?;
            db.exec("UPDATE quotations SET speaker_id = ?2 WHERE factoid_id = ?1", p![id, e])?;
        }
        ("quotation", "addressees") => {
            let ids = v.as_array().ok_or_else(|| invalid("addressees are a list of entity ids"))?;
            db.exec("DELETE FROM quotation_addressees WHERE factoid_id = ?1", p![id])?;
            for x in ids {
                if let Some(e) = entity(x)? {
                    db.exec("INSERT INTO quotation_addressees (factoid_id, entity_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING", p![id, e])?;
                }
            }
        }
        ("event", "date") => {
            let (value, days) = match v {
                Value::Null => (None, None),
                Value::String(s) => {
                    let d = crate::query::day_range(s).ok_or_else(|| invalid(format!("{s} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")))?;
                    (Some(s.as_str()), Some(d))
                }
                _ => return Err(invalid("a date is a string").into()),
            };
            db.exec(
                "UPDATE events SET date_value = ?2, first_day = ?3, last_day = ?4, inferred = NULL, date_source = 'curated' WHERE factoid_id = ?1",
                p![id, value, days.map(|d| d.0), days.map(|d| d.1)],
            )?;
        }
        ("event", "participants") => {
            let list = v.as_array().ok_or_else(|| invalid("participants are a list of [entity id, role]"))?;
            db.exec("DELETE FROM event_participants WHERE factoid_id = ?1", p![id])?;
            for x in list {
                let (e, role) = match x.as_array().map(Vec::as_slice) {
                    Some([e, Value::String(role)]) => (entity(e)?, role.clone()),
                    _ => return Err(invalid(format!("{x} is not [entity id, role]")).into()),
                };
                if !["agent", "participant", "host", "patient", "body", "author", "present"].contains(&role.as_str()) {
                    return Err(invalid(format!("{role} is not a role")).into());
                }
                if let Some(e) = e {
                    db.exec("INSERT INTO event_participants (factoid_id, entity_id, role) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", p![id, e, &role])?;
                }
            }
        }
        ("factoid", "status") => {
            let s = v.as_str().filter(|s| ["automatic", "curated", "added", "rejected"].contains(s)).ok_or_else(|| invalid(format!("{v} is not a status")))?;
            db.exec("UPDATE factoids SET status = ?2 WHERE id = ?1", p![id, s])?;
        }
        ("entity", "name") => {
            let s = v.as_str().filter(|s| !s.trim().is_empty()).ok_or_else(|| invalid("a name is a non-empty string"))?;
            db.exec("UPDATE entities SET name = ?2 WHERE id = ?1", p![id, s])?;
            db.exec("INSERT INTO entity_names (entity_id, name, key) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", p![id, s, crate::key(s)])?;
        }
        ("entity", "merged_into") => {
            let e = entity(v)?;
            if e == Some(id) {
                return Err(invalid("an entity cannot be merged into itself").into());
            }
            let before: Option<i64> = db.value::<Option<i64>>("SELECT merged_into FROM entities WHERE id = ?1", p![id])?.flatten();
            db.exec("UPDATE entities SET merged_into = ?2 WHERE id = ?1", p![id, e])?;
            // Whatever was merged into this one follows it.
            db.exec("UPDATE entities SET merged_into = ?2 WHERE merged_into = ?1", p![id, e.unwrap_or(id)])?;
            if e.is_none() {
                db.exec("UPDATE entities SET merged_into = NULL WHERE id = ?1", p![id])?;
            }
            // The survivors' names counted again: the one it joins gains
            // its names' uses, the one it leaves loses them, and one let go
            // goes by its own.
            let mut survivors: Vec<i64> = before.into_iter().chain(Some(e.unwrap_or(id))).collect();
            survivors.dedup();
            for s in survivors {
                crate::rename_by_use(db, s)?;
            }
        }
        ("source", "reliability") | ("source", "authorship") => {
            let s = match v {
                Value::Null => None,
                Value::String(s) => Some(s.as_str()),
                _ => return Err(invalid("a grade or a claim is a string").into()),
            };
            let sql = if field == "reliability" { "UPDATE sources SET reliability = ?2 WHERE id = ?1" } else { "UPDATE sources SET authorship = ?2 WHERE id = ?1" };
            db.exec(sql, p![id, s])?;
        }
        _ => {
            return Err(invalid(format!("{kind} has no field {field} a curator may change")).into());
        }
    }
    // A factoid a curator touched is curated (unless the change was its status).
    if matches!(kind, "quotation" | "event") {
        db.exec("UPDATE factoids SET status = 'curated', modified_by = ?2, modified_at = ?3 WHERE id = ?1 AND status = 'automatic'", p![id, by, at])?;
    }
    Ok(())
}

/// Writes a revision of one field of one item and applies it, in the
/// caller's transaction: its id and the value it replaced, or `None` when
/// there is no such item.
#[allow(clippy::too_many_arguments)]
fn revise_in(db: &Db, kind: &str, id: i64, field: &str, value: &Value, by: &str, at: &str, note: Option<&str>) -> std::result::Result<Option<(i64, Value)>, ApplyError> {
    let Some(previous) = current(db, kind, id, field)? else { return Ok(None) };
    let rid = db.insert(
        "INSERT INTO revisions (item_kind, item_id, field, previous, value, by, at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        p![kind, id, field, previous.to_string(), value.to_string(), by, at, note],
    )?;
    apply(db, kind, id, field, value, by, at)?;
    Ok(Some((rid, previous)))
}

/// Merges `other` into `survivor` as a revision by `by`, in the caller's
/// transaction (an ingest's): listed and undone as a curator's merge is.
/// Returns whether it was made; one the curation rules refuse is not.
pub(crate) fn merge_in(db: &Db, survivor: i64, other: i64, by: &str, at: &str, note: &str) -> DbResult<bool> {
    link_in(db, other, Some(survivor), by, at, note)
}

/// Sets (or with `None` clears) what `other` is merged into, as a revision
/// by `by` in the caller's transaction (an ingest's). Returns whether it
/// was made; one the curation rules refuse is not.
pub(crate) fn link_in(db: &Db, other: i64, target: Option<i64>, by: &str, at: &str, note: &str) -> DbResult<bool> {
    match revise_in(db, "entity", other, "merged_into", &json!(target), by, at, Some(note)) {
        Ok(written) => Ok(written.is_some()),
        Err(ApplyError::Db(e)) => Err(e),
        Err(ApplyError::Curation(_)) => Ok(false),
    }
}

impl Store {
    /// Changes one field of one item, as a new revision. `value` is JSON:
    /// an entity id or null for a speaker; a list of entity ids for
    /// addressees; `"1929-01-21"` for a date; `[[id, "agent"], …]` for
    /// participants; a string for a status, name, grade or claim; the
    /// survivor's id (or null to undo) for `merged_into`.
    pub fn revise(&mut self, kind: &str, id: i64, field: &str, value: Value, by: &str, note: Option<&str>) -> Result<Revision> {
        if !FIELDS.contains(&(kind, field)) {
            return Err(invalid(format!("{kind} has no field {field} a curator may change")));
        }
        let kind_static: &'static str = FIELDS.iter().find(|(k, _)| *k == kind).map_or("item", |(k, _)| k);
        self.transaction(|store| {
            let at = now();
            let written = revise_in(store.db(), kind, id, field, &value, by, &at, note).map_err(|e| match e {
                ApplyError::Db(source) => store.err()(source),
                ApplyError::Curation(e) => e,
            })?;
            let (rid, previous) = written.ok_or_else(|| missing(kind_static, id))?;
            Ok(Revision { id: rid, item_kind: kind.into(), item_id: id, field: field.into(), previous, value, by: by.into(), at, note: note.map(String::from) })
        })
    }

    /// Every revision of an item, oldest first.
    pub fn history(&self, kind: &str, id: i64) -> Result<Vec<Revision>> {
        let rows = self
            .db()
            .query(
                "SELECT id, item_kind, item_id, field, previous, value, by, at, note FROM revisions WHERE item_kind = ?1 AND item_id = ?2 ORDER BY id",
                p![kind, id],
            )
            .map_err(self.err())?;
        let parse = |s: String| serde_json::from_str(&s).unwrap_or(Value::Null);
        rows.iter()
            .map(|r| {
                Ok(Revision {
                    id: r.get(0)?,
                    item_kind: r.get(1)?,
                    item_id: r.get(2)?,
                    field: r.get(3)?,
                    previous: parse(r.get(4)?),
                    value: parse(r.get(5)?),
                    by: r.get(6)?,
                    at: r.get(7)?,
                    note: r.get(8)?,
                })
            })
            .collect::<DbResult<_>>()
            .map_err(self.err())
    }

    /// Restores the value a field had before revision `revision`, as a new
    /// revision (so the restoring can itself be undone).
    pub fn restore(&mut self, revision: i64, by: &str) -> Result<Revision> {
        let row = self.db().row("SELECT item_kind, item_id, field, previous FROM revisions WHERE id = ?1", p![revision]).map_err(self.err())?;
        let row = row.ok_or_else(|| missing("revision", revision))?;
        let (kind, id, field, previous): (String, i64, String, String) =
            (|| -> DbResult<_> { Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)) })().map_err(self.err())?;
        let value = serde_json::from_str(&previous).unwrap_or(Value::Null);
        self.revise(&kind, id, &field, value, by, Some(&format!("restored the value from before revision {revision}")))
    }

    /// Merges `other` into `survivor`: queries by either name find the
    /// survivor, and `other`'s id still resolves to it.
    pub fn merge(&mut self, survivor: i64, other: i64, by: &str, note: Option<&str>) -> Result<Revision> {
        let survivor = self.resolve(survivor)?;
        self.revise("entity", other, "merged_into", json!(survivor), by, note)
    }

    /// Splits off the entity as the given sources speak of it: a new entity
    /// takes its place (and the place of whatever was merged into it) in
    /// those sources: links, mentions, quotations, events, memberships.
    /// Returns the new entity's id.
    pub fn split(&mut self, entity: i64, locators: &[&str], by: &str, note: Option<&str>) -> Result<i64> {
        self.transaction(|store| {
            let db = store.db();
            let err = store.err();
            let row = db.row("SELECT kind, name, gender FROM entities WHERE id = ?1", p![entity]).map_err(&err)?.ok_or_else(|| missing("entity", entity))?;
            let (kind, name, gender): (String, String, Option<String>) = (|| -> DbResult<_> { Ok((row.get(0)?, row.get(1)?, row.get(2)?)) })().map_err(&err)?;
            let at = now();
            let new = db.insert("INSERT INTO entities (kind, name, gender, created_at) VALUES (?1, ?2, ?3, ?4)", p![&kind, &name, gender, &at]).map_err(&err)?;
            let mut moved = 0usize;
            for locator in locators {
                let versions: Vec<i64> =
                    db.column("SELECT v.id FROM source_versions v JOIN sources s ON s.id = v.source_id WHERE s.locator = ?1", p![*locator]).map_err(&err)?;
                if versions.is_empty() {
                    return Err(invalid(format!("no source {locator}")));
                }
                for v in versions {
                    for sql in [
                        "UPDATE entity_links SET entity_id = ?3, reason = 'split' WHERE version_id = ?1 AND entity_id IN (SELECT id FROM entities WHERE id = ?2 OR merged_into = ?2)",
                        "UPDATE mentions SET entity_id = ?3 WHERE version_id = ?1 AND entity_id IN (SELECT id FROM entities WHERE id = ?2 OR merged_into = ?2)",
                        "UPDATE quotations SET speaker_id = ?3 WHERE speaker_id IN (SELECT id FROM entities WHERE id = ?2 OR merged_into = ?2) AND factoid_id IN (SELECT id FROM factoids WHERE version_id = ?1)",
                        "UPDATE quotation_addressees SET entity_id = ?3 WHERE entity_id IN (SELECT id FROM entities WHERE id = ?2 OR merged_into = ?2) AND factoid_id IN (SELECT id FROM factoids WHERE version_id = ?1)",
                        "UPDATE event_participants SET entity_id = ?3 WHERE entity_id IN (SELECT id FROM entities WHERE id = ?2 OR merged_into = ?2) AND factoid_id IN (SELECT id FROM factoids WHERE version_id = ?1)",
                        "UPDATE events SET home_of = ?3 WHERE home_of IN (SELECT id FROM entities WHERE id = ?2 OR merged_into = ?2) AND factoid_id IN (SELECT id FROM factoids WHERE version_id = ?1)",
                        "UPDATE memberships SET member_id = ?3 WHERE member_id IN (SELECT id FROM entities WHERE id = ?2 OR merged_into = ?2) AND version_id = ?1",
                        "UPDATE memberships SET group_id = ?3 WHERE group_id IN (SELECT id FROM entities WHERE id = ?2 OR merged_into = ?2) AND version_id = ?1",
                    ] {
                        moved += db.exec(sql, p![v, entity, new]).map_err(&err)?;
                    }
                }
            }
            // The new entity goes by the names those sources use for it, the
            // most frequent first: each mention's words, cut from its
            // version's text by byte offsets.
            let mentions = db
                .query(
                    "SELECT m.version_id, m.spans FROM mentions m WHERE m.entity_id = ?1 AND m.kind = 'name' ORDER BY m.version_id",
                    p![new],
                )
                .map_err(&err)?;
            let mut counted: Vec<(String, usize)> = Vec::new();
            let mut text: Option<(i64, String)> = None;
            for m in mentions {
                let (vid, spans): (i64, String) = (|| -> DbResult<_> { Ok((m.get(0)?, m.get(1)?)) })().map_err(&err)?;
                if text.as_ref().is_none_or(|t| t.0 != vid) {
                    let t: String = db.value("SELECT text FROM source_versions WHERE id = ?1", p![vid]).map_err(&err)?.unwrap_or_default();
                    text = Some((vid, t));
                }
                for span in spans.split(' ') {
                    let Some((a, b)) = span.split_once(':').and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?))) else {
                        continue;
                    };
                    let words = text.as_ref().and_then(|t| t.1.get(a..b)).unwrap_or_default();
                    let n = words.split_whitespace().collect::<Vec<_>>().join(" ");
                    if n.is_empty() {
                        continue;
                    }
                    match counted.iter_mut().find(|(x, _)| *x == n) {
                        Some(c) => c.1 += 1,
                        None => counted.push((n, 1)),
                    }
                }
            }
            counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let names: Vec<String> = counted.into_iter().map(|(n, _)| n).collect();
            if let Some(first) = names.first() {
                db.exec("UPDATE entities SET name = ?2 WHERE id = ?1", p![new, first]).map_err(&err)?;
            }
            for n in names.iter().chain(names.is_empty().then_some(&name)) {
                db.exec("INSERT INTO entity_names (entity_id, name, key) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", p![new, n, crate::key(n)]).map_err(&err)?;
            }
            db.insert(
                "INSERT INTO revisions (item_kind, item_id, field, previous, value, by, at, note) VALUES ('entity', ?1, 'split', ?2, ?3, ?4, ?5, ?6)",
                p![entity, json!(null).to_string(), json!({"into": new, "sources": locators, "rows": moved}).to_string(), by, &at, note],
            )
            .map_err(&err)?;
            Ok(new)
        })
    }

    /// The entity an id stands for now: itself, or the survivor it was merged into.
    pub fn resolve(&self, id: i64) -> Result<i64> {
        self.db().value("SELECT COALESCE(merged_into, id) FROM entities WHERE id = ?1", p![id]).map_err(self.err())?.ok_or_else(|| missing("entity", id))
    }

    /// Adds a quotation a curator found, in the latest version of a source.
    pub fn add_quotation(&mut self, locator: &str, start: usize, end: usize, speaker: Option<i64>, by: &str) -> Result<i64> {
        self.transaction(|store| {
            let db = store.db();
            let err = store.err();
            let row = db
                .row("SELECT v.id, v.text FROM source_versions v JOIN sources s ON s.id = v.source_id WHERE s.locator = ?1 ORDER BY v.version DESC LIMIT 1", p![locator])
                .map_err(&err)?
                .ok_or_else(|| invalid(format!("no source {locator}")))?;
            let (vid, text): (i64, String) = (|| -> DbResult<_> { Ok((row.get(0)?, row.get(1)?)) })().map_err(&err)?;
            let words = text.get(start..end).filter(|w| !w.is_empty()).ok_or_else(|| invalid(format!("{start}..{end} is not a passage of {locator}")))?.to_string();
            if let Some(s) = speaker {
                store.resolve(s)?;
            }
            let at = now();
            let id = db.insert(
                "INSERT INTO factoids (version_id, kind, span_start, span_end, method, confidence, created_by, created_at, status) VALUES (?1, 'quotation', ?2, ?3, 'curator', 1.0, ?4, ?5, 'added')",
                p![vid, start, end, by, &at],
            )
            .map_err(&err)?;
            db.exec(
                "INSERT INTO quotations (factoid_id, words, speaker_id, written, reporting_chain) VALUES (?1, ?2, ?3, 0, ?4)",
                p![id, words, speaker, json!(speaker.into_iter().collect::<Vec<_>>()).to_string()],
            )
            .map_err(&err)?;
            db.insert(
                "INSERT INTO revisions (item_kind, item_id, field, previous, value, by, at, note) VALUES ('factoid', ?1, 'status', 'null', '\"added\"', ?2, ?3, NULL)",
                p![id, by, &at],
            )
            .map_err(&err)?;
            Ok(id)
        })
    }
}

/// The span `a..b` (byte offsets, as the ledger keeps them) of `text`.
fn cut(text: &str, a: i64, b: i64) -> Option<&str> {
    text.get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)
}

/// Carries the curated values of a source's previous version to the items
/// of its new version that say the same (a quotation with the same words,
/// an event told in the same words), so re-extraction never undoes them.
/// A value that no longer fits (an entity since gone) is not carried.
pub(crate) fn carry_forward(db: &Db, source: i64, new_version: i64, by: &str, at: &str) -> DbResult<usize> {
    let old: Option<i64> = db.value("SELECT id FROM source_versions WHERE source_id = ?1 AND id <> ?2 ORDER BY version DESC LIMIT 1", p![source, new_version])?;
    let Some(old) = old else { return Ok(0) };
    // The latest revision of each curated field of the old version's factoids.
    let curated = db.query(
        "SELECT r.item_kind, r.item_id, r.field, r.value, f.span_start, f.span_end FROM revisions r JOIN factoids f ON f.id = r.item_id
         WHERE r.item_kind IN ('quotation', 'event', 'factoid') AND f.version_id = ?1
           AND r.id = (SELECT MAX(id) FROM revisions x WHERE x.item_kind = r.item_kind AND x.item_id = r.item_id AND x.field = r.field)
         ORDER BY r.id",
        p![old],
    )?;
    let text_of = |v: i64| -> DbResult<String> { Ok(db.value("SELECT text FROM source_versions WHERE id = ?1", p![v])?.unwrap_or_default()) };
    let (old_text, new_text) = (text_of(old)?, text_of(new_version)?);
    let mut carried = 0;
    for row in curated {
        let (kind, item, field, value): (String, i64, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let (old_start, old_end): (i64, i64) = (row.get(4)?, row.get(5)?);
        // The same item in the new version: same kind, same words, nearest place.
        let Some(words) = cut(&old_text, old_start, old_end) else {
            continue;
        };
        let candidates = db.query(
            "SELECT n.id, n.span_start, n.span_end FROM factoids n JOIN factoids o ON o.kind = n.kind WHERE o.id = ?1 AND n.version_id = ?2 ORDER BY n.id",
            p![item, new_version],
        )?;
        let mut twin: Option<(i64, i64)> = None;
        for c in candidates {
            let (id, a, b): (i64, i64, i64) = (c.get(0)?, c.get(1)?, c.get(2)?);
            let same = cut(&new_text, a, b) == Some(words);
            if same && twin.is_none_or(|(_, d)| (a - old_start).abs() < d) {
                twin = Some((id, (a - old_start).abs()));
            }
        }
        let Some((twin, _)) = twin else { continue };
        let v: Value = serde_json::from_str(&value).unwrap_or(Value::Null);
        let previous = current(db, &kind, twin, &field)?.unwrap_or(Value::Null);
        db.batch("SAVEPOINT carry")?;
        let rid = db.insert(
            "INSERT INTO revisions (item_kind, item_id, field, previous, value, by, at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            p![&kind, twin, &field, previous.to_string(), &value, by, at, format!("carried from factoid {item} of the previous version")],
        );
        match rid.map_err(ApplyError::Db).and_then(|_| apply(db, &kind, twin, &field, &v, by, at)) {
            Ok(()) => {
                db.batch("RELEASE SAVEPOINT carry")?;
                carried += 1;
            }
            Err(ApplyError::Curation(_)) => db.batch("ROLLBACK TO SAVEPOINT carry; RELEASE SAVEPOINT carry")?,
            Err(ApplyError::Db(e)) => return Err(e),
        }
    }
    Ok(carried)
}
