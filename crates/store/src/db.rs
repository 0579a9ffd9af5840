//! The two backends behind one small interface: SQLite (embedded, the
//! default) and PostgreSQL (a server, given by a `postgres://` URL).
//!
//! The ledger's SQL is written once, with `?1`-style placeholders, in the
//! part of SQL both engines share (`ON CONFLICT DO NOTHING`, `RETURNING`,
//! savepoints); the few places where they differ (full-text search, the
//! write lock between processes) ask [`Db::backend`]. Rows come back whole,
//! as [`Val`]s, so no statement stays open while the caller runs another.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

/// Which engine a ledger lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, embedded.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// What an engine said went wrong.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite's error.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL's error, with the server's message.
    #[error("{}", pg_message(.0))]
    Postgres(#[from] postgres::Error),
    /// A value of another type than the ledger wrote.
    #[error("column {column}: {found} where {wanted} was expected")]
    Type {
        /// The column's position in the row.
        column: usize,
        /// What was there.
        found: &'static str,
        /// What the reader wanted.
        wanted: &'static str,
    },
}

fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("PostgreSQL: {}", db.message());
            if let Some(d) = db.detail() {
                s.push_str(&format!(" ({d})"));
            }
            s
        }
        None => format!("PostgreSQL: {}", std::error::Error::source(e).map_or_else(|| e.to_string(), ToString::to_string)),
    }
}

pub(crate) type DbResult<T> = std::result::Result<T, DbError>;

/// One value, going in as a parameter or coming out of a row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

impl Val<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Int(_) => "an integer",
            Val::Real(_) => "a real",
            Val::Text(_) => "text",
            Val::Blob(_) => "bytes",
        }
    }
}

impl From<i64> for Val<'_> {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<usize> for Val<'_> {
    fn from(v: usize) -> Self {
        Val::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Val<'_> {
    fn from(v: bool) -> Self {
        Val::Int(i64::from(v))
    }
}
impl From<f64> for Val<'_> {
    fn from(v: f64) -> Self {
        Val::Real(v)
    }
}
impl<'a> From<&'a str> for Val<'a> {
    fn from(v: &'a str) -> Self {
        Val::Text(Cow::Borrowed(v))
    }
}
impl<'a> From<&'a String> for Val<'a> {
    fn from(v: &'a String) -> Self {
        Val::Text(Cow::Borrowed(v))
    }
}
impl From<String> for Val<'_> {
    fn from(v: String) -> Self {
        Val::Text(Cow::Owned(v))
    }
}
impl<'a> From<&'a [u8]> for Val<'a> {
    fn from(v: &'a [u8]) -> Self {
        Val::Blob(Cow::Borrowed(v))
    }
}
impl<'a, T: Into<Val<'a>>> From<Option<T>> for Val<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Val::Null, Into::into)
    }
}

/// Parameters for a statement: `p![a, b]`.
macro_rules! p {
    () => { &[] as &[$crate::db::Val<'_>] };
    ($($x:expr),+ $(,)?) => { &[$($crate::db::Val::from($x)),+] as &[$crate::db::Val<'_>] };
}
pub(crate) use p;

/// A value read out of a row as a Rust type.
pub(crate) trait FromVal: Sized {
    const WANTED: &'static str;
    fn from_val(v: &Val<'_>) -> Option<Self>;
}

impl FromVal for i64 {
    const WANTED: &'static str = "an integer";
    fn from_val(v: &Val<'_>) -> Option<Self> {
        match v {
            Val::Int(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromVal for bool {
    const WANTED: &'static str = "a boolean";
    fn from_val(v: &Val<'_>) -> Option<Self> {
        match v {
            Val::Int(i) => Some(*i != 0),
            _ => None,
        }
    }
}
impl FromVal for f64 {
    const WANTED: &'static str = "a number";
    fn from_val(v: &Val<'_>) -> Option<Self> {
        match v {
            Val::Real(f) => Some(*f),
            Val::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromVal for Vec<u8> {
    const WANTED: &'static str = "bytes";
    fn from_val(v: &Val<'_>) -> Option<Self> {
        match v {
            Val::Blob(b) => Some(b.to_vec()),
            _ => None,
        }
    }
}
impl FromVal for String {
    const WANTED: &'static str = "text";
    fn from_val(v: &Val<'_>) -> Option<Self> {
        match v {
            Val::Text(t) => Some(t.to_string()),
            _ => None,
        }
    }
}
impl<T: FromVal> FromVal for Option<T> {
    const WANTED: &'static str = T::WANTED;
    fn from_val(v: &Val<'_>) -> Option<Self> {
        match v {
            Val::Null => Some(None),
            other => T::from_val(other).map(Some),
        }
    }
}

/// A row, read whole.
#[derive(Clone, Debug)]
pub(crate) struct Row(Vec<Val<'static>>);

impl Row {
    /// The value of column `i` as a `T`.
    pub(crate) fn get<T: FromVal>(&self, i: usize) -> DbResult<T> {
        let v = self.0.get(i).unwrap_or(&Val::Null);
        T::from_val(v).ok_or(DbError::Type { column: i, found: v.kind(), wanted: T::WANTED })
    }

    /// The value of column `i` as it came.
    pub(crate) fn val(&self, i: usize) -> Val<'static> {
        self.0.get(i).cloned().unwrap_or(Val::Null)
    }
}

impl rusqlite::ToSql for Val<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Null => ValueRef::Null,
            Val::Int(i) => ValueRef::Integer(*i),
            Val::Real(f) => ValueRef::Real(*f),
            Val::Text(t) => ValueRef::Text(t.as_bytes()),
            Val::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl postgres::types::ToSql for Val<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        match self {
            Val::Null => Ok(postgres::types::IsNull::Yes),
            Val::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Val::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Val::Text(t) => t.as_ref().to_sql(ty, out),
            Val::Blob(b) => b.as_ref().to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn pg_value(row: &postgres::Row, i: usize) -> DbResult<Val<'static>> {
    use postgres::types::Type;
    let ty = row.columns().get(i).map(|c| c.type_().clone()).unwrap_or(Type::TEXT);
    Ok(match ty {
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map_or(Val::Null, |b| Val::Int(i64::from(b))),
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map_or(Val::Null, |v| Val::Int(i64::from(v))),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map_or(Val::Null, |v| Val::Int(i64::from(v))),
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map_or(Val::Null, Val::Int),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i)?.map_or(Val::Null, |v| Val::Real(f64::from(v))),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map_or(Val::Null, Val::Real),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map_or(Val::Null, |v| Val::Blob(Cow::Owned(v))),
        _ => row.try_get::<_, Option<String>>(i)?.map_or(Val::Null, |v| Val::Text(Cow::Owned(v))),
    })
}

/// `?1` placeholders as PostgreSQL writes them (`$1`).
fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// The key of the PostgreSQL advisory lock every writer of the ledger
/// takes ("kulisy" in ASCII).
const WRITE_LOCK: i64 = 0x6b75_6c69_7379;

/// The type of a column written by [`Db::insert_rows`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Col {
    Int,
    Real,
    Text,
}

impl Col {
    fn pg_array(self) -> &'static str {
        match self {
            Col::Int => "bigint[]",
            Col::Real => "float8[]",
            Col::Text => "text[]",
        }
    }
}

/// `INSERT INTO t (cols) VALUES (vals)` giving the row the largest id plus one.
fn with_next_id(sql: &str) -> Option<String> {
    let rest = sql.strip_prefix("INSERT INTO ")?;
    let (table, rest) = rest.split_once(" (")?;
    let (cols, rest) = rest.split_once(')')?;
    let vals = rest.trim_start().strip_prefix("VALUES (")?;
    Some(format!("INSERT INTO {table} (id, {cols}) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), {vals} RETURNING id"))
}

/// How many prepared statements a PostgreSQL connection keeps.
const PG_CACHE: usize = 128;

pub(crate) struct Pg {
    client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
}

impl Pg {
    fn statement(&mut self, sql: &str) -> DbResult<postgres::Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(&dollars(sql))?;
        if self.statements.len() >= PG_CACHE {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

/// An open connection to either engine.
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Box<RefCell<Pg>>),
}

impl Db {
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Db {
        conn.set_prepared_statement_cache_capacity(64);
        Db::Sqlite(conn)
    }

    pub(crate) fn postgres(url: &str) -> DbResult<Db> {
        let client = postgres::Client::connect(url, postgres::NoTls)?;
        Ok(Db::Postgres(Box::new(RefCell::new(Pg { client, statements: HashMap::new() }))))
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs one or more statements without parameters.
    pub(crate) fn batch(&self, sql: &str) -> DbResult<()> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres(pg) => Ok(pg.borrow_mut().client.batch_execute(sql)?),
        }
    }

    /// Runs one statement; returns how many rows it changed.
    pub(crate) fn exec(&self, sql: &str, params: &[Val<'_>]) -> DbResult<usize> {
        match self {
            Db::Sqlite(c) => Ok(c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params.iter()))?),
            Db::Postgres(pg) => {
                let mut pg = pg.borrow_mut();
                let stmt = pg.statement(sql)?;
                let args: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|v| v as &(dyn postgres::types::ToSql + Sync)).collect();
                Ok(usize::try_from(pg.client.execute(&stmt, &args)?).unwrap_or(usize::MAX))
            }
        }
    }

    /// Inserts a row and returns its id. `sql` is `INSERT INTO t (cols)
    /// VALUES (vals)` without the id: SQLite gives the row the largest id
    /// plus one; on PostgreSQL the id is taken the same way (under the
    /// write lock every writer holds), not from a sequence, whose numbers a
    /// killed or failed transaction would use up. Ids then depend only on
    /// what went in: a resumed ingest makes the very ledger an
    /// uninterrupted one makes, on either backend.
    pub(crate) fn insert(&self, sql: &str, params: &[Val<'_>]) -> DbResult<i64> {
        match self {
            Db::Sqlite(c) => {
                c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params.iter()))?;
                Ok(c.last_insert_rowid())
            }
            Db::Postgres(_) => {
                let sql = with_next_id(sql).unwrap_or_else(|| format!("{sql} RETURNING id"));
                self.value(&sql, params)?.ok_or(DbError::Type { column: 0, found: "no row", wanted: "the new id" })
            }
        }
    }

    /// Inserts many rows into `table` at once: on SQLite one prepared
    /// insert per row (in-process, as fast as it gets); on PostgreSQL one
    /// statement for them all, the columns sent as arrays and unnested, so
    /// a document costs a few round trips rather than one per row.
    pub(crate) fn insert_rows(&self, table: &str, cols: &[(&str, Col)], rows: &[Vec<Val<'_>>], on_conflict_nothing: bool) -> DbResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let names = cols.iter().map(|c| c.0).collect::<Vec<_>>().join(", ");
        let tail = if on_conflict_nothing { " ON CONFLICT DO NOTHING" } else { "" };
        match self {
            Db::Sqlite(c) => {
                let marks = (1..=cols.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
                let mut stmt = c.prepare_cached(&format!("INSERT INTO {table} ({names}) VALUES ({marks}){tail}"))?;
                for r in rows {
                    stmt.execute(rusqlite::params_from_iter(r.iter()))?;
                }
                Ok(())
            }
            Db::Postgres(pg) => {
                let arrays = cols.iter().enumerate().map(|(i, (_, t))| format!("?{}::{}", i + 1, t.pg_array())).collect::<Vec<_>>().join(", ");
                let sql = format!("INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}){tail}");
                let columns: Vec<Box<dyn postgres::types::ToSql + Sync + '_>> = cols
                    .iter()
                    .enumerate()
                    .map(|(i, (_, t))| -> Box<dyn postgres::types::ToSql + Sync + '_> {
                        let cells = rows.iter().map(move |r| r.get(i).unwrap_or(&Val::Null));
                        match t {
                            Col::Int => Box::new(
                                cells
                                    .map(|v| match v {
                                        Val::Int(x) => Some(*x),
                                        Val::Real(x) => Some(*x as i64),
                                        _ => None,
                                    })
                                    .collect::<Vec<Option<i64>>>(),
                            ),
                            Col::Real => Box::new(
                                cells
                                    .map(|v| match v {
                                        Val::Real(x) => Some(*x),
                                        Val::Int(x) => Some(*x as f64),
                                        _ => None,
                                    })
                                    .collect::<Vec<Option<f64>>>(),
                            ),
                            Col::Text => Box::new(
                                cells
                                    .map(|v| match v {
                                        Val::Text(x) => Some(x.as_ref()),
                                        _ => None,
                                    })
                                    .collect::<Vec<Option<&str>>>(),
                            ),
                        }
                    })
                    .collect();
                let mut pg = pg.borrow_mut();
                let stmt = pg.statement(&sql)?;
                let args: Vec<&(dyn postgres::types::ToSql + Sync)> = columns.iter().map(|b| b.as_ref() as &(dyn postgres::types::ToSql + Sync)).collect();
                pg.client.execute(&stmt, &args)?;
                Ok(())
            }
        }
    }

    /// Runs a query and reads every row it returns.
    pub(crate) fn query(&self, sql: &str, params: &[Val<'_>]) -> DbResult<Vec<Row>> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let n = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut vals = Vec::with_capacity(n);
                    for i in 0..n {
                        use rusqlite::types::ValueRef;
                        vals.push(match r.get_ref(i)? {
                            ValueRef::Null => Val::Null,
                            ValueRef::Integer(v) => Val::Int(v),
                            ValueRef::Real(v) => Val::Real(v),
                            ValueRef::Text(t) => Val::Text(Cow::Owned(String::from_utf8_lossy(t).into_owned())),
                            ValueRef::Blob(b) => Val::Blob(Cow::Owned(b.to_vec())),
                        });
                    }
                    out.push(Row(vals));
                }
                Ok(out)
            }
            Db::Postgres(pg) => {
                let mut pg = pg.borrow_mut();
                let stmt = pg.statement(sql)?;
                let args: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|v| v as &(dyn postgres::types::ToSql + Sync)).collect();
                let rows = pg.client.query(&stmt, &args)?;
                rows.iter().map(|r| (0..r.len()).map(|i| pg_value(r, i)).collect::<DbResult<Vec<_>>>().map(Row)).collect()
            }
        }
    }

    /// The first row a query returns, if any.
    pub(crate) fn row(&self, sql: &str, params: &[Val<'_>]) -> DbResult<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The first column of the first row, if there is a row.
    pub(crate) fn value<T: FromVal>(&self, sql: &str, params: &[Val<'_>]) -> DbResult<Option<T>> {
        self.row(sql, params)?.map(|r| r.get(0)).transpose()
    }

    /// The first column of every row.
    pub(crate) fn column<T: FromVal>(&self, sql: &str, params: &[Val<'_>]) -> DbResult<Vec<T>> {
        self.query(sql, params)?.iter().map(|r| r.get(0)).collect()
    }

    /// Starts a transaction that will write, holding the ledger's write
    /// lock until it ends: SQLite takes its own at once (so two writers
    /// queue instead of failing when the second upgrades); PostgreSQL
    /// takes the advisory lock every writer of the ledger takes, so
    /// writers of several processes follow one another.
    pub(crate) fn begin(&self) -> DbResult<()> {
        match self {
            Db::Sqlite(_) => self.batch("BEGIN IMMEDIATE"),
            Db::Postgres(_) => self.batch(&format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")).inspect_err(|_| {
                let _ = self.batch("ROLLBACK");
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_insert_takes_the_next_id_in_sql() {
        assert_eq!(
            super::with_next_id("INSERT INTO sources (locator, created_at) VALUES (?1, ?2)").as_deref(),
            Some("INSERT INTO sources (id, locator, created_at) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM sources), ?1, ?2) RETURNING id")
        );
        // Every insert of a row with an id is written so that it can.
        let mut seen = 0;
        for file in [include_str!("lib.rs"), include_str!("curate.rs")] {
            let file = file.split("#[cfg(test)]").next().unwrap_or(file);
            for (i, _) in file.match_indices(".insert(") {
                let after = &file[i..];
                if let Some(q) = after.find("\"INSERT INTO ").filter(|&q| q < 200) {
                    let sql = &after[q + 1..];
                    let sql = &sql[..sql.find('"').unwrap_or(sql.len())];
                    assert!(super::with_next_id(sql).is_some(), "{sql}");
                    seen += 1;
                }
            }
        }
        assert!(seen >= 9, "{seen} inserts found");
    }
}
