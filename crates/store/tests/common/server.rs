//! A fresh database on the test PostgreSQL server, for the store's tests
//! and (included by path) the command line's.

#![allow(dead_code)]

/// The URL `url` with its database name replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let path_at = base[after_scheme..].find('/').map_or(base.len(), |i| after_scheme + i);
    let mut out = format!("{}/{db}", &base[..path_at]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A new, empty PostgreSQL database on the test server, named after the test.
pub fn fresh_postgres(url: &str, name: &str) -> String {
    let db = format!("kulisy_{}_{}", name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"), std::process::id());
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap_or_else(|e| panic!("{url}: {e}"));
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap_or_else(|e| panic!("{e:?}"));
    // Databases are copied from a template that only one copy may read at
    // a time: tests running side by side take turns.
    let mut tries = 0;
    while let Err(e) = admin.batch_execute(&format!("CREATE DATABASE {db}")) {
        tries += 1;
        assert!(tries < 200, "{url}: {e:?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    with_database(url, &db)
}
