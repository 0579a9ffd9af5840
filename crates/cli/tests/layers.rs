//! Layers point one way: a crate may depend only on the kulisy crates below it.

use std::collections::BTreeSet;

/// Each crate and the kulisy crates its `[dependencies]` may name.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("read", &["kulisy-model"]),
    ("extract", &["kulisy-model"]),
    ("exchange", &["kulisy-model", "kulisy-extract"]),
    ("store", &["kulisy-model", "kulisy-extract"]),
    ("cli", &["kulisy-model", "kulisy-read", "kulisy-extract", "kulisy-exchange", "kulisy-store"]),
];

fn kulisy_dependencies(manifest: &str) -> BTreeSet<String> {
    let mut in_deps = false;
    let mut out = BTreeSet::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
        } else if in_deps && line.starts_with("kulisy-") {
            out.insert(line.split(['=', '.', ' ']).next().unwrap_or("").to_string());
        }
    }
    out
}

#[test]
fn dependencies_point_one_way() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(&crates).unwrap_or_else(|e| panic!("{e}")).flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let manifest = std::fs::read_to_string(entry.path().join("Cargo.toml")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let allowed = ALLOWED.iter().find(|(n, _)| *n == name).map(|(_, a)| *a).unwrap_or_else(|| panic!("crate {name} has no place in the layer table"));
        for dep in kulisy_dependencies(&manifest) {
            assert!(allowed.contains(&dep.as_str()), "crate {name} depends on {dep}, which is not below it");
        }
        seen.insert(name);
    }
    assert_eq!(seen.len(), ALLOWED.len());
}
