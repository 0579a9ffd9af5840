//! Entities found in the text itself, with no list given.
//!
//! Candidates are runs of capitalised words (with titles and initials:
//! `Comrade Trotsky`, `L.D.`, `E.H. Carr`, `Mr. Woodhouse`) that stand at
//! least once inside a sentence rather than only at its start. Each is
//! classed as a person, an organisation or body, or a place by the words it
//! contains and the words around it; the names of one person (`Robert V.
//! Daniels`, `Daniels`) are clustered into one entity; gender comes from
//! titles and from the pronouns that follow the name in narration. Plural
//! capitalised nouns after `the` (`the Rights`, `the Stalinists`) are groups.

use std::collections::BTreeMap;

use kulisy_model::{Block, Entity, EntityKind, Gender, Span};

use crate::cast::TITLES;

/// Words that make a capitalised run an organisation or a body.
const ORG_WORDS: &[&str] = &[
    "Committee", "Commission", "Bureau", "Politburo", "Party", "Bank", "Institute", "Conference", "Congress",
    "Plenum", "International", "Administration", "Organization", "Organisation", "Union", "Army", "Council",
    "Soviet", "Government", "Court", "Church", "Company", "University", "College", "School", "Society",
    "League", "Ministry", "Department", "Office", "Association", "Federation", "Presidium", "Secretariat",
    "Commissariat", "Opposition", "Library", "Press", "Publishers", "Museum", "Academy", "Club", "Group",
    "Bloc", "Front", "Movement", "Trust", "Navy", "Police", "Parliament", "Senate", "Assembly", "Cabinet",
    "Soyuz", "Co.", "Inc.", "Ltd.", "Corporation", "Board", "Agency", "Guard", "Division", "Regiment",
];

/// Words after which a capitalised run is a place: `in Kislovodsk`, `to Rostov`.
const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "to", "from", "near", "into", "towards", "toward", "via", "through", "across"];

/// Capitalised words that are not names however they stand.
const NOT_NAMES: &[&str] = &[
    "I", "I’m", "I'm", "I’ll", "I'll", "I’ve", "I'd", "I’d", "The", "A", "An", "And", "But", "Or", "If", "When", "Then",
    "There", "This", "That", "These", "Those", "It", "He", "She", "We", "They", "You", "His", "Her", "Our", "Their",
    "My", "Your", "Its", "What", "Who", "Why", "How", "Where", "Which", "Yes", "No", "Oh", "Ah", "Well", "Now",
    "Here", "So", "As", "After", "Before", "During", "Since", "For", "In", "On", "At", "To", "By", "Of", "With",
    "Not", "Is", "Was", "Are", "Do", "Did", "Have", "Had", "Let", "Mr", "Mrs", "Miss", "Sir", "Madam", "God", "Lord",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "Chapter",
    "CHAPTER", "Part", "Book", "Vol", "No", "Ibid", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
    "Nine", "Ten", "Twelve", "First", "Second", "Third", "Last", "Next", "Many", "Some", "All", "Every", "Each",
    "Both", "Perhaps", "Though", "Although", "While", "Until", "Unless", "Because", "Even", "Only", "Still",
    "Firstly", "Secondly", "Thus", "Therefore", "However", "Hereupon", "According", "Later", "Today", "Past",
    "Look", "Good", "Dear", "Poor", "Very", "Such", "Much", "More", "Most", "Nothing", "Everything", "Nobody",
    "Everybody", "Everyone", "Someone", "Somebody", "Anything", "Pray", "Please", "Thank", "Thanks", "Sure",
];

/// A capitalised run in the text.
#[derive(Clone, Debug)]
struct Run {
    span: Span,
    /// Whether it stands at the start of a sentence or a quotation.
    initial: bool,
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_initial(w: &str) -> bool {
    // `L.`, `L.D.`, `E.H.`: capitals each followed by a stop.
    let b = w.as_bytes();
    !b.is_empty() && b.len() % 2 == 0 && b.chunks(2).all(|c| c[0].is_ascii_uppercase() && c[1] == b'.')
}

/// The words of a block with spans, keeping `.` on initials and titles.
fn tokens(text: &str, block: Span) -> Vec<(Span, bool)> {
    // (span, sentence_initial)
    let body = block.text(text);
    let mut out = Vec::new();
    let mut initial = true;
    let mut i = 0;
    let bytes = body.as_bytes();
    while i < bytes.len() {
        let Some(c) = body[i..].chars().next() else { break };
        if c.is_alphabetic() {
            let mut j = i;
            for (k, d) in body[i..].char_indices() {
                if d.is_alphanumeric() || d == '-' || ((d == '’' || d == '\'') && body[i + k + d.len_utf8()..].starts_with(|x: char| x.is_alphabetic() && x != 's')) {
                    j = i + k + d.len_utf8();
                } else {
                    break;
                }
            }
            // Keep the stop of an initial or a title: `L.`, `L.D.`, `Mr.`
            let mut end = j;
            while end < bytes.len() && bytes[end] == b'.' {
                let word = &body[i..end + 1];
                if is_initial(word) || TITLES.contains(&word) {
                    end += 1;
                    // `L.D.`: a further capital and stop
                    if end + 1 < bytes.len() && bytes[end].is_ascii_uppercase() && bytes[end + 1] == b'.' {
                        end += 2;
                        continue;
                    }
                }
                break;
            }
            out.push((Span::new(block.start + i, block.start + end), initial));
            initial = false;
            i = end.max(i + c.len_utf8());
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '“' | '"' | ':' | ';' | '(' | '[' | '‘' | '—') {
            initial = true;
        } else if !c.is_whitespace() && !matches!(c, ',' | '’' | '\'' | '”' | ')' | ']' | '-' | '–') {
            initial = false;
        }
        i += c.len_utf8();
    }
    out
}

/// Runs of capitalised words, titles and initials joining them.
fn runs(text: &str, blocks: &[Block]) -> Vec<Run> {
    let mut out = Vec::new();
    for b in blocks.iter().filter(|b| b.kind.is_text()) {
        let toks = tokens(text, b.span);
        let mut k = 0;
        while k < toks.len() {
            let (s, initial) = toks[k];
            let w = s.text(text);
            if !is_capitalised(w) || (NOT_NAMES.contains(&w) && !TITLES.contains(&w)) {
                k += 1;
                continue;
            }
            let mut e = k + 1;
            while e < toks.len() {
                let prev_end = toks[e - 1].0.end;
                let gap = &text[prev_end..toks[e].0.start];
                let w2 = toks[e].0.text(text);
                if gap != " " || !is_capitalised(w2) || NOT_NAMES.contains(&w2) && !TITLES.contains(&w2) {
                    break;
                }
                e += 1;
            }
            let span = Span::new(s.start, toks[e - 1].0.end);
            out.push(Run { span, initial });
            k = e;
        }
    }
    out
}

/// The word before `pos` in `text`, lowercased.
fn word_before(text: &str, pos: usize) -> String {
    let before = text[..pos].trim_end();
    let start = before.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    before[start..].to_lowercase()
}

/// The name without its titles: `Comrade Trotsky` → `Trotsky`.
fn bare(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let k = words.iter().take_while(|w| TITLES.contains(w)).count();
    words[k.min(words.len())..].join(" ")
}

fn title_gender(name: &str) -> Option<Gender> {
    let first = name.split_whitespace().next()?;
    match first {
        "Mr." | "Mr" | "Sir" | "Lord" | "Monsieur" | "M." | "Herr" | "Signor" | "King" | "Prince" | "Count" | "Baron" | "Father" | "Brother" | "Uncle" => Some(Gender::Male),
        "Mrs." | "Mrs" | "Miss" | "Ms." | "Ms" | "Lady" | "Madam" | "Madame" | "Mademoiselle" | "Mme." | "Mlle." | "Frau" | "Signora" | "Queen" | "Princess" | "Countess" | "Mother" | "Sister" | "Aunt" => Some(Gender::Female),
        _ => None,
    }
}

/// Entities found in `text`, each with the names it goes by, in order of first
/// appearance. `quoted` are the quoted words (names there count, but the
/// pronouns that give gender are read in narration only).
pub fn discover(text: &str, blocks: &[Block], quoted: &[Span]) -> Vec<Entity> {
    let runs = runs(text, blocks);
    // How each name stands: mid-sentence at least once, or always first.
    let mut seen: BTreeMap<String, (usize, bool, usize)> = BTreeMap::new(); // name -> (first pos, mid-sentence, count)
    for r in &runs {
        let name = r.span.text(text).split_whitespace().collect::<Vec<_>>().join(" ");
        let e = seen.entry(name).or_insert((r.span.start, false, 0));
        e.1 |= !r.initial;
        e.2 += 1;
    }
    // Kind of each name, by its words and the words before it.
    let mut kinds: BTreeMap<String, EntityKind> = BTreeMap::new();
    let mut place_votes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in &runs {
        let name = r.span.text(text).split_whitespace().collect::<Vec<_>>().join(" ");
        let before = word_before(text, r.span.start);
        let v = place_votes.entry(name).or_insert((0, 0));
        v.1 += 1;
        if PLACE_PREPOSITIONS.contains(&before.as_str()) {
            v.0 += 1;
        }
    }
    for (name, &(_, mid, count)) in &seen {
        let words: Vec<&str> = name.split_whitespace().collect();
        let titled = words.first().is_some_and(|w| TITLES.contains(w));
        let kind = if words.iter().any(|w| ORG_WORDS.contains(w)) {
            EntityKind::Organisation
        } else if titled || words.iter().any(|w| is_initial(w)) {
            EntityKind::Person
        } else {
            let (p, n) = place_votes.get(name).copied().unwrap_or((0, 1));
            if p * 2 > n { EntityKind::Place } else { EntityKind::Person }
        };
        // Names seen only at sentence starts are most often ordinary words.
        let initials = words.iter().any(|w| is_initial(w));
        if !mid && !(titled || initials || words.len() >= 2 || count >= 3) {
            continue;
        }
        if words.len() == 1 && TITLES.contains(&words[0]) {
            continue;
        }
        kinds.insert(name.clone(), kind);
    }
    // Cluster the names of one person: a bare name joins the longer name it
    // ends or starts (`Trotsky` into `Comrade Trotsky`, `Daniels` into
    // `Robert V. Daniels`) when exactly one longer name fits.
    let mut names: Vec<(String, EntityKind, usize)> = kinds.iter().map(|(n, k)| (n.clone(), *k, seen.get(n).map_or(0, |s| s.0))).collect();
    names.sort_by_key(|(n, _, pos)| (*pos, n.clone()));
    let mut entities: Vec<Entity> = Vec::new();
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    // Longest names first so that short ones find their owner.
    let mut by_length = names.clone();
    by_length.sort_by_key(|(n, _, pos)| (std::cmp::Reverse(bare(n).split_whitespace().count()), *pos));
    for (name, kind, _) in &by_length {
        let b = bare(name);
        let bw: Vec<&str> = b.split_whitespace().collect();
        let fits: Vec<usize> = entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == *kind && (e.name == b || {
                let ew: Vec<String> = e.aliases.iter().chain(std::iter::once(&e.name)).map(|a| bare(a)).collect();
                ew.iter().any(|a| {
                    let aw: Vec<&str> = a.split_whitespace().collect();
                    aw.len() > bw.len() && (aw.ends_with(&bw) || aw.starts_with(&bw))
                }) || ew.iter().any(|a| *a == b)
            }))
            .map(|(i, _)| i)
            .collect();
        if fits.len() == 1 && !b.is_empty() {
            let e = &mut entities[fits[0]];
            if *name != e.name && !e.aliases.contains(name) {
                e.aliases.push(name.clone());
            }
            owner.insert(name.clone(), fits[0]);
        } else {
            owner.insert(name.clone(), entities.len());
            entities.push(Entity { kind: *kind, name: name.clone(), aliases: Vec::new(), gender: title_gender(name), members: Vec::new(), external_id: None });
        }
    }
    // Canonical name: the longest name without a title.
    for e in &mut entities {
        let mut all: Vec<String> = e.aliases.clone();
        all.push(e.name.clone());
        all.sort_by_key(|n| (std::cmp::Reverse(bare(n).split_whitespace().count()), TITLES.iter().any(|t| n.starts_with(t)), n.clone()));
        let best = all[0].clone();
        if best != e.name {
            let old = std::mem::replace(&mut e.name, best.clone());
            e.aliases.retain(|a| *a != best);
            e.aliases.push(old);
        }
        e.aliases.sort();
        if e.gender.is_none() {
            e.gender = all.iter().find_map(|n| title_gender(n));
        }
    }
    // Gender from the pronoun that next follows a name in narration.
    let mut votes: Vec<(usize, usize)> = vec![(0, 0); entities.len()];
    let in_quote = |pos: usize| {
        let k = quoted.partition_point(|q| q.end <= pos);
        quoted.get(k).is_some_and(|q| q.start <= pos)
    };
    for r in &runs {
        let name = r.span.text(text).split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(&ei) = owner.get(&name) else { continue };
        if in_quote(r.span.start) {
            continue;
        }
        let after = &text[r.span.end..text.floor_char_boundary(r.span.end + 160)];
        for w in after.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).take(25) {
            match w {
                "he" | "He" | "him" | "his" | "His" | "himself" => {
                    votes[ei].0 += 1;
                    break;
                }
                "she" | "She" | "her" | "Her" | "herself" => {
                    votes[ei].1 += 1;
                    break;
                }
                _ => {}
            }
        }
    }
    for (e, (m, f)) in entities.iter_mut().zip(votes) {
        if e.gender.is_none() && e.kind == EntityKind::Person && m + f > 0 {
            e.gender = Some(if m >= f { Gender::Male } else { Gender::Female });
        }
    }
    // Groups: `the Rights`, `the Stalinists`, `the Kaganoviches`.
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    for b in blocks.iter().filter(|b| b.kind.is_text()) {
        for (s, _) in tokens(text, b.span) {
            let w = s.text(text);
            if is_capitalised(w) && w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && word_before(text, s.start) == "the" && !NOT_NAMES.contains(&w) {
                groups.entry(format!("the {w}")).or_insert(s.start);
            }
        }
    }
    let mut groups: Vec<(String, usize)> = groups.into_iter().collect();
    groups.sort_by_key(|(n, p)| (*p, n.clone()));
    for (name, _) in groups {
        let single = name.trim_start_matches("the ").trim_end_matches('s').to_string();
        let mut aliases = vec![name.trim_start_matches("the ").to_string()];
        if kinds.contains_key(&single) && !single.is_empty() {
            aliases.push(single.clone());
        }
        entities.push(Entity { kind: EntityKind::Group, name, aliases, gender: Some(Gender::Other), members: Vec::new(), external_id: None });
    }
    // Order of first appearance, for stable output.
    let first = |e: &Entity| std::iter::once(&e.name).chain(&e.aliases).filter_map(|n| seen.get(n).map(|s| s.0)).min().unwrap_or(usize::MAX);
    entities.sort_by_key(|e| (first(e), e.name.clone()));
    entities
}

#[cfg(test)]
mod tests {
    use super::*;
    use kulisy_model::BlockKind;

    fn found(text: &str) -> Vec<(String, &'static str, Vec<String>)> {
        let blocks = vec![Block { kind: BlockKind::Paragraph, span: Span::new(0, text.len()) }];
        discover(text, &blocks, &[]).into_iter().map(|e| (e.name, e.kind.as_str(), e.aliases)).collect()
    }

    #[test]
    fn names_titles_and_initials_cluster_into_persons() {
        let f = found("He brought news of the deportation of Comrade Trotsky. Later Trotsky left. Robert V. Daniels thinks so, and Daniels wrote it. E.H. Carr does not.");
        assert!(f.contains(&("Comrade Trotsky".into(), "person", vec!["Trotsky".into()])) || f.contains(&("Trotsky".into(), "person", vec!["Comrade Trotsky".into()])), "{f:?}");
        assert!(f.iter().any(|(n, k, a)| n == "Robert V. Daniels" && *k == "person" && a == &vec!["Daniels".to_string()]), "{f:?}");
        assert!(f.iter().any(|(n, k, _)| n == "E.H. Carr" && *k == "person"), "{f:?}");
    }

    #[test]
    fn bodies_places_and_groups_are_told_from_persons() {
        let f = found("Then the Central Control Commission met. I was in Kislovodsk and flew to Rostov. Later the Stalinists won, and in Rostov the Politburo met.");
        let kind = |n: &str| f.iter().find(|(m, _, _)| m == n).map(|(_, k, _)| *k);
        assert_eq!(kind("Central Control Commission"), Some("organisation"));
        assert_eq!(kind("Politburo"), Some("organisation"));
        assert_eq!(kind("Kislovodsk"), Some("place"));
        assert_eq!(kind("Rostov"), Some("place"));
        assert_eq!(kind("the Stalinists"), Some("group"));
    }

    #[test]
    fn sentence_initial_words_are_not_names() {
        let f = found("Perhaps it rained. Nothing came. Then they parted.");
        assert!(f.is_empty(), "{f:?}");
    }
}
