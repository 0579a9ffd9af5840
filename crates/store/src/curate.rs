//! Curation: a curator corrects what extraction found, adds and rejects
//! factoids, grades sources, merges and splits entities. Every change is a
//! revision with who, when and why; any item's history can be listed and
//! any earlier value restored. Extraction never overwrites a curated value:
//! re-ingesting writes a new version beside the old, and the curated values
//! of the old version are carried to the matching items of the new one.

use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

use crate::{now, Result, Store};

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
fn current(tx: &rusqlite::Connection, kind: &str, id: i64, field: &str) -> rusqlite::Result<Option<Value>> {
    let one = |sql: &str| -> rusqlite::Result<Option<Value>> {
        tx.query_row(sql, [id], |r| {
            let v: rusqlite::types::Value = r.get(0)?;
            Ok(match v {
                rusqlite::types::Value::Null => Value::Null,
                rusqlite::types::Value::Integer(i) => json!(i),
                rusqlite::types::Value::Real(f) => json!(f),
                rusqlite::types::Value::Text(t) => json!(t),
                rusqlite::types::Value::Blob(_) => Value::Null,
            })
        })
        .optional()
    };
    match (kind, field) {
        ("quotation", "speaker") => one("SELECT speaker_id FROM quotations WHERE factoid_id = ?1"),
        ("quotation", "addressees") => {
            if one("SELECT factoid_id FROM quotations WHERE factoid_id = ?1")?.is_none() {
                return Ok(None);
            }
            let mut stmt = tx.prepare("SELECT entity_id FROM quotation_addressees WHERE factoid_id = ?1 ORDER BY entity_id")?;
            let ids: Vec<i64> = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(Some(json!(ids)))
        }
        ("event", "date") => one("SELECT date_value FROM events WHERE factoid_id = ?1"),
        ("event", "participants") => {
            if one("SELECT factoid_id FROM events WHERE factoid_id = ?1")?.is_none() {
                return Ok(None);
            }
            let mut stmt = tx.prepare("SELECT entity_id, role FROM event_participants WHERE factoid_id = ?1 ORDER BY entity_id, role")?;
            let v: Vec<Value> = stmt.query_map([id], |r| Ok(json!([r.get::<_, i64>(0)?, r.get::<_, String>(1)?])))?.collect::<rusqlite::Result<_>>()?;
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

/// Writes a field's value into the item's row.
fn apply(tx: &rusqlite::Connection, kind: &str, id: i64, field: &str, v: &Value) -> std::result::Result<(), crate::StoreError> {
    let db = |e: rusqlite::Error| crate::StoreError::Database { path: String::new(), source: e };
    let entity = |x: &Value| -> std::result::Result<Option<i64>, crate::StoreError> {
        match x {
            Value::Null => Ok(None),
            Value::Number(n) => {
                let e = n.as_i64().ok_or_else(|| invalid(format!("{x} is not an entity id")))?;
                let found: Option<i64> = tx.query_row("SELECT id FROM entities WHERE id = ?1", [e], |r| r.get(0)).optional().map_err(db)?;
                found.map(Some).ok_or_else(|| missing("entity", e))
            }
            _ => Err(invalid(format!("{x} is not an entity id"))),
        }
    };
    match (kind, field) {
        ("quotation", "speaker") => {
            let e = entity(v)?;
            tx.execute("UPDATE quotations SET speaker_id = ?2 WHERE factoid_id = ?1", params![id, e]).map_err(db)?;
        }
        ("quotation", "addressees") => {
            let ids = v.as_array().ok_or_else(|| invalid("addressees are a list of entity ids"))?;
            tx.execute("DELETE FROM quotation_addressees WHERE factoid_id = ?1", [id]).map_err(db)?;
            for x in ids {
                if let Some(e) = entity(x)? {
                    tx.execute("INSERT OR IGNORE INTO quotation_addressees (factoid_id, entity_id) VALUES (?1, ?2)", params![id, e]).map_err(db)?;
                }
            }
        }
        ("event", "date") => {
            let (value, days) = match v {
                Value::Null => (None, None),
                Value::String(s) => {
                    let d = crate::query::day_range(s).ok_or_else(|| invalid(format!("{s} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")))?;
                    (Some(s.clone()), Some(d))
                }
                _ => return Err(invalid("a date is a string")),
            };
            tx.execute(
                "UPDATE events SET date_value = ?2, first_day = ?3, last_day = ?4, inferred = NULL, date_source = 'curated' WHERE factoid_id = ?1",
                params![id, value, days.map(|d| d.0), days.map(|d| d.1)],
            )
            .map_err(db)?;
        }
        ("event", "participants") => {
            let list = v.as_array().ok_or_else(|| invalid("participants are a list of [entity id, role]"))?;
            tx.execute("DELETE FROM event_participants WHERE factoid_id = ?1", [id]).map_err(db)?;
            for p in list {
                let (e, role) = match p.as_array().map(Vec::as_slice) {
                    Some([e, Value::String(role)]) => (entity(e)?, role.clone()),
                    _ => return Err(invalid(format!("{p} is not [entity id, role]"))),
                };
                if !["agent", "participant", "host", "patient", "body", "author", "present"].contains(&role.as_str()) {
                    return Err(invalid(format!("{role} is not a role")));
                }
                if let Some(e) = e {
                    tx.execute("INSERT OR IGNORE INTO event_participants (factoid_id, entity_id, role) VALUES (?1, ?2, ?3)", params![id, e, role]).map_err(db)?;
                }
            }
        }
        ("factoid", "status") => {
            let s = v.as_str().filter(|s| ["automatic", "curated", "added", "rejected"].contains(s)).ok_or_else(|| invalid(format!("{v} is not a status")))?;
            tx.execute("UPDATE factoids SET status = ?2 WHERE id = ?1", params![id, s]).map_err(db)?;
        }
        ("entity", "name") => {
            let s = v.as_str().filter(|s| !s.trim().is_empty()).ok_or_else(|| invalid("a name is a non-empty string"))?;
            tx.execute("UPDATE entities SET name = ?2 WHERE id = ?1", params![id, s]).map_err(db)?;
            tx.execute("INSERT OR IGNORE INTO entity_names (entity_id, name, key) VALUES (?1, ?2, ?3)", params![id, s, crate::key(s)]).map_err(db)?;
        }
        ("entity", "merged_into") => {
            let e = entity(v)?;
            if e == Some(id) {
                return Err(invalid("an entity cannot be merged into itself"));
            }
            tx.execute("UPDATE entities SET merged_into = ?2 WHERE id = ?1", params![id, e]).map_err(db)?;
            // Whatever was merged into this one follows it.
            tx.execute("UPDATE entities SET merged_into = ?2 WHERE merged_into = ?1", params![id, e.unwrap_or(id)]).map_err(db)?;
            if e.is_none() {
                tx.execute("UPDATE entities SET merged_into = NULL WHERE id = ?1", [id]).map_err(db)?;
            }
        }
        ("source", "reliability") | ("source", "authorship") => {
            let s = match v {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                _ => return Err(invalid("a grade or a claim is a string")),
            };
            let sql = if field == "reliability" { "UPDATE sources SET reliability = ?2 WHERE id = ?1" } else { "UPDATE sources SET authorship = ?2 WHERE id = ?1" };
            tx.execute(sql, params![id, s]).map_err(db)?;
        }
        _ => return Err(invalid(format!("{kind} has no field {field} a curator may change"))),
    }
    // A factoid a curator touched is curated (unless the change was its status).
    let factoid = matches!(kind, "quotation" | "event");
    if factoid {
        tx.execute("UPDATE factoids SET status = 'curated', modified_by = (SELECT by FROM revisions ORDER BY id DESC LIMIT 1), modified_at = (SELECT at FROM revisions ORDER BY id DESC LIMIT 1) WHERE id = ?1 AND status = 'automatic'", [id]).map_err(db)?;
    }
    Ok(())
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
        let path = self.path.clone();
        let db = move |source| crate::StoreError::Database { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(db.clone())?;
        let kind_static: &'static str = FIELDS.iter().find(|(k, _)| *k == kind).map_or("item", |(k, _)| k);
        let previous = current(&tx, kind, id, field).map_err(db.clone())?.ok_or_else(|| missing(kind_static, id))?;
        let at = now();
        tx.execute(
            "INSERT INTO revisions (item_kind, item_id, field, previous, value, by, at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![kind, id, field, previous.to_string(), value.to_string(), by, at, note],
        )
        .map_err(db.clone())?;
        let rid = tx.last_insert_rowid();
        apply(&tx, kind, id, field, &value).map_err(|e| match e {
            crate::StoreError::Database { source, .. } => crate::StoreError::Database { path: self.path.clone(), source },
            other => other,
        })?;
        tx.commit().map_err(db)?;
        Ok(Revision { id: rid, item_kind: kind.into(), item_id: id, field: field.into(), previous, value, by: by.into(), at, note: note.map(String::from) })
    }

    /// Every revision of an item, oldest first.
    pub fn history(&self, kind: &str, id: i64) -> Result<Vec<Revision>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, item_kind, item_id, field, previous, value, by, at, note FROM revisions WHERE item_kind = ?1 AND item_id = ?2 ORDER BY id")
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![kind, id], |r| {
                let parse = |s: String| serde_json::from_str(&s).unwrap_or(Value::Null);
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
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// Restores the value a field had before revision `revision`, as a new
    /// revision (so the restoring can itself be undone).
    pub fn restore(&mut self, revision: i64, by: &str) -> Result<Revision> {
        let r: Option<(String, i64, String, String)> = self
            .conn
            .query_row("SELECT item_kind, item_id, field, previous FROM revisions WHERE id = ?1", [revision], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()
            .map_err(self.err())?;
        let (kind, id, field, previous) = r.ok_or_else(|| missing("revision", revision))?;
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
        let path = self.path.clone();
        let db = move |source| crate::StoreError::Database { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(db.clone())?;
        let (kind, name, gender): (String, String, Option<String>) = tx
            .query_row("SELECT kind, name, gender FROM entities WHERE id = ?1", [entity], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .map_err(db.clone())?
            .ok_or_else(|| missing("entity", entity))?;
        let at = now();
        tx.execute("INSERT INTO entities (kind, name, gender, created_at) VALUES (?1, ?2, ?3, ?4)", params![kind, name, gender, at]).map_err(db.clone())?;
        let new = tx.last_insert_rowid();
        let mut moved = 0usize;
        for locator in locators {
            let versions: Vec<i64> = {
                let mut stmt = tx.prepare("SELECT v.id FROM source_versions v JOIN sources s ON s.id = v.source_id WHERE s.locator = ?1").map_err(db.clone())?;
                stmt.query_map([locator], |r| r.get(0)).map_err(db.clone())?.collect::<rusqlite::Result<_>>().map_err(db.clone())?
            };
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
                    moved += tx.execute(sql, params![v, entity, new]).map_err(db.clone())?;
                }
            }
        }
        // The new entity goes by the names those sources use for it.
        let names: Vec<String> = {
            let mut stmt = tx
                .prepare(
                    "SELECT substr(v.text, m.span_start + 1, m.span_end - m.span_start) AS n, COUNT(*) FROM mentions m JOIN source_versions v ON v.id = m.version_id
                     WHERE m.entity_id = ?1 AND m.kind = 'name' GROUP BY n ORDER BY 2 DESC, n",
                )
                .map_err(db.clone())?;
            stmt.query_map([new], |r| r.get(0)).map_err(db.clone())?.collect::<rusqlite::Result<_>>().map_err(db.clone())?
        };
        let names: Vec<String> = names.into_iter().map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        if let Some(first) = names.first() {
            tx.execute("UPDATE entities SET name = ?2 WHERE id = ?1", params![new, first]).map_err(db.clone())?;
        }
        for n in names.iter().chain(names.is_empty().then_some(&name)) {
            tx.execute("INSERT OR IGNORE INTO entity_names (entity_id, name, key) VALUES (?1, ?2, ?3)", params![new, n, crate::key(n)]).map_err(db.clone())?;
        }
        tx.execute(
            "INSERT INTO revisions (item_kind, item_id, field, previous, value, by, at, note) VALUES ('entity', ?1, 'split', ?2, ?3, ?4, ?5, ?6)",
            params![entity, json!(null).to_string(), json!({"into": new, "sources": locators, "rows": moved}).to_string(), by, at, note],
        )
        .map_err(db.clone())?;
        tx.commit().map_err(db)?;
        Ok(new)
    }

    /// The entity an id stands for now: itself, or the survivor it was merged into.
    pub fn resolve(&self, id: i64) -> Result<i64> {
        self.conn
            .query_row("SELECT COALESCE(merged_into, id) FROM entities WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(self.err())?
            .ok_or_else(|| missing("entity", id))
    }

    /// Adds a quotation a curator found, in the latest version of a source.
    pub fn add_quotation(&mut self, locator: &str, start: usize, end: usize, speaker: Option<i64>, by: &str) -> Result<i64> {
        let path = self.path.clone();
        let db = move |source| crate::StoreError::Database { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(db.clone())?;
        let (vid, text): (i64, String) = tx
            .query_row(
                "SELECT v.id, v.text FROM source_versions v JOIN sources s ON s.id = v.source_id WHERE s.locator = ?1 ORDER BY v.version DESC LIMIT 1",
                [locator],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db.clone())?
            .ok_or_else(|| invalid(format!("no source {locator}")))?;
        let words = text.get(start..end).filter(|w| !w.is_empty()).ok_or_else(|| invalid(format!("{start}..{end} is not a passage of {locator}")))?.to_string();
        let at = now();
        tx.execute(
            "INSERT INTO factoids (version_id, kind, span_start, span_end, method, confidence, created_by, created_at, status) VALUES (?1, 'quotation', ?2, ?3, 'curator', 1.0, ?4, ?5, 'added')",
            params![vid, start as i64, end as i64, by, at],
        )
        .map_err(db.clone())?;
        let id = tx.last_insert_rowid();
        tx.execute("INSERT INTO quotations (factoid_id, words, speaker_id, written, reporting_chain) VALUES (?1, ?2, ?3, 0, ?4)", params![id, words, speaker, json!(speaker.into_iter().collect::<Vec<_>>()).to_string()])
            .map_err(db.clone())?;
        tx.execute(
            "INSERT INTO revisions (item_kind, item_id, field, previous, value, by, at, note) VALUES ('factoid', ?1, 'status', 'null', '\"added\"', ?2, ?3, NULL)",
            params![id, by, at],
        )
        .map_err(db.clone())?;
        tx.commit().map_err(db)?;
        Ok(id)
    }
}

/// Carries the curated values of a source's previous version to the items
/// of its new version that say the same (a quotation with the same words,
/// an event told in the same words), so re-extraction never undoes them.
pub(crate) fn carry_forward(tx: &rusqlite::Savepoint<'_>, source: i64, new_version: i64, by: &str, at: &str) -> rusqlite::Result<usize> {
    let old: Option<i64> = tx
        .query_row("SELECT id FROM source_versions WHERE source_id = ?1 AND id <> ?2 ORDER BY version DESC LIMIT 1", params![source, new_version], |r| r.get(0))
        .optional()?;
    let Some(old) = old else { return Ok(0) };
    // The latest revision of each curated field of the old version's factoids.
    let mut stmt = tx.prepare(
        "SELECT r.item_kind, r.item_id, r.field, r.value FROM revisions r JOIN factoids f ON f.id = r.item_id
         WHERE r.item_kind IN ('quotation', 'event', 'factoid') AND f.version_id = ?1
           AND r.id = (SELECT MAX(id) FROM revisions x WHERE x.item_kind = r.item_kind AND x.item_id = r.item_id AND x.field = r.field)",
    )?;
    let curated: Vec<(String, i64, String, String)> = stmt.query_map([old], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut carried = 0;
    for (kind, item, field, value) in curated {
        // The same item in the new version: same kind, same words.
        let twin: Option<i64> = tx
            .query_row(
                "SELECT n.id FROM factoids o JOIN source_versions ov ON ov.id = o.version_id, factoids n JOIN source_versions nv ON nv.id = n.version_id
                 WHERE o.id = ?1 AND n.version_id = ?2 AND n.kind = o.kind
                   AND substr(nv.text, n.span_start + 1, n.span_end - n.span_start) = substr(ov.text, o.span_start + 1, o.span_end - o.span_start)
                 ORDER BY abs(n.span_start - o.span_start) LIMIT 1",
                params![item, new_version],
                |r| r.get(0),
            )
            .optional()?;
        let Some(twin) = twin else { continue };
        let v: Value = serde_json::from_str(&value).unwrap_or(Value::Null);
        let previous = current(tx, &kind, twin, &field)?.unwrap_or(Value::Null);
        tx.execute(
            "INSERT INTO revisions (item_kind, item_id, field, previous, value, by, at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![kind, twin, field, previous.to_string(), value, by, at, format!("carried from factoid {item} of the previous version")],
        )?;
        apply(tx, &kind, twin, &field, &v).map_err(|e| match e {
            crate::StoreError::Database { source, .. } => source,
            other => rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(other.to_string()))),
        })?;
        carried += 1;
    }
    Ok(carried)
}
