//! Gazetteers: entities a researcher knows beforehand, in TOML.
//!
//! ```toml
//! [[entity]]
//! name = "Leon Trotsky"           # canonical name, required
//! kind = "person"                 # person (default), group, organisation, place
//! aliases = ["L.D.", "Lev Davidovich Bronstein"]
//! gender = "male"                 # male, female, other
//! from = "1879-11-07"             # birth or founding; any date form kulisy reads
//! until = "1940-08-21"            # death or dissolution
//! wikidata = "Q33391"
//! members = ["..."]               # for a group: names of other entries
//! ```
//!
//! The format is described in `docs/gazetteer.md`. Errors name the entry and
//! the problem; nothing is guessed.

use kulisy_model::{find_date, Entity, EntityKind, Gender, PartialDate};
use serde::Deserialize;

/// Why a gazetteer was refused.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// Not TOML, or not of this shape.
    #[error("{0}")]
    Syntax(String),
    /// An entry with a value kulisy does not know.
    #[error("entry {index} ({name}): {problem}")]
    Entry {
        /// Its position, from 1.
        index: usize,
        /// Its name.
        name: String,
        /// What is wrong.
        problem: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireGazetteer {
    #[serde(default)]
    entity: Vec<WireEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireEntry {
    name: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    wikidata: Option<String>,
    #[serde(default)]
    members: Vec<String>,
}

fn date(value: &str) -> Option<PartialDate> {
    find_date(value).filter(|m| m.start == 0 && m.end == value.trim_end().len()).map(|m| m.first)
}

/// Parses a gazetteer.
pub fn parse(text: &str) -> Result<Vec<Entity>, GazetteerError> {
    let wire: WireGazetteer = toml::from_str(text).map_err(|e| GazetteerError::Syntax(e.to_string().trim_end().to_string()))?;
    let mut out = Vec::with_capacity(wire.entity.len());
    for (i, e) in wire.entity.iter().enumerate() {
        let bad = |problem: String| GazetteerError::Entry { index: i + 1, name: e.name.clone(), problem };
        if e.name.trim().is_empty() {
            return Err(bad("the name is empty".into()));
        }
        let kind = match e.kind.as_deref().unwrap_or("person") {
            "person" => EntityKind::Person,
            "group" => EntityKind::Group,
            "organisation" | "organization" => EntityKind::Organisation,
            "place" => EntityKind::Place,
            other => return Err(bad(format!("kind {other:?} is not one of person, group, organisation, place"))),
        };
        let gender = match e.gender.as_deref() {
            None => None,
            Some("male") => Some(Gender::Male),
            Some("female") => Some(Gender::Female),
            Some("other") => Some(Gender::Other),
            Some(other) => return Err(bad(format!("gender {other:?} is not one of male, female, other"))),
        };
        let from = match &e.from {
            None => None,
            Some(d) => Some(date(d).ok_or_else(|| bad(format!("from {d:?} is not a date kulisy reads")))?),
        };
        let until = match &e.until {
            None => None,
            Some(d) => Some(date(d).ok_or_else(|| bad(format!("until {d:?} is not a date kulisy reads")))?),
        };
        if let Some(q) = &e.wikidata
            && !(q.starts_with('Q') && q.len() > 1 && q[1..].bytes().all(|b| b.is_ascii_digit())) {
                return Err(bad(format!("wikidata {q:?} is not a QID such as Q855")));
            }
        out.push(Entity {
            kind,
            name: e.name.trim().to_string(),
            aliases: e.aliases.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
            gender,
            members: Vec::new(),
            external_id: e.wikidata.clone(),
            from,
            until,
        });
    }
    // Members name other entries.
    for (i, e) in wire.entity.iter().enumerate() {
        for m in &e.members {
            let k = out
                .iter()
                .position(|x| x.name == *m || x.aliases.contains(m))
                .ok_or_else(|| GazetteerError::Entry { index: i + 1, name: e.name.clone(), problem: format!("member {m:?} is not an entry of this gazetteer") })?;
            out[i].members.push(k);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_become_entities() {
        let g = parse(
            r#"
[[entity]]
name = "Leon Trotsky"
aliases = ["L.D."]
gender = "male"
from = "1879-11-07"
wikidata = "Q33391"

[[entity]]
name = "Right Opposition"
kind = "group"
members = ["L.D."]
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].aliases, vec!["L.D."]);
        assert_eq!(g[0].from.map(|d| d.to_string()).as_deref(), Some("1879-11-07"));
        assert_eq!(g[1].members, vec![0]);
    }

    #[test]
    fn mistakes_are_named() {
        let e = parse("[[entity]]\nname = \"X\"\nkind = \"city\"\n").err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("entry 1 (X): kind \"city\" is not one of person, group, organisation, place"));
        let e = parse("[[entity]]\nname = \"X\"\nborn = \"1900\"\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("unknown field `born`"), "{e}");
        let e = parse("[[entity]]\nname = \"X\"\nmembers = [\"Y\"]\n").err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("entry 1 (X): member \"Y\" is not an entry of this gazetteer"));
    }
}
