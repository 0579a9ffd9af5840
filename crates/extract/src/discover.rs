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

const WEAK_PLACE: &[&str] = &["at", "to", "from"];

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
    "From", "Into", "Upon", "Under", "Over", "About", "Against", "Without", "Within", "Through", "Among", "Between",
    "Towards", "Toward", "Like", "Just", "Also", "Again", "Yet", "Nor", "Whether", "Whose", "Whom", "Hence",
    "Meanwhile", "Indeed", "Certainly", "Finally", "Why", "Whenever", "Wherever", "Whatever", "Whoever", "Once",
    "Has", "Does", "Will", "Would", "Could", "Should", "Can", "Must", "Shall", "Were", "Am", "Being", "Having",
];

/// Prepositions after which a name is most likely a place (`in Kislovodsk`),
/// and weaker ones shared with persons (`to Rostov`, `to Rykov`).
const STRONG_PLACE: &[&str] = &["in", "near", "into", "towards", "toward", "via", "across", "through", "within", "outside", "inside"];

/// Membership in a word list, by hashing: the lists are looked up once per
/// capitalised word of the text. (Only membership is asked, never an order.)
fn set(words: &'static [&'static str]) -> std::collections::HashSet<&'static str> {
    words.iter().copied().collect()
}

fn not_names() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| set(NOT_NAMES))
}

fn titles() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| set(TITLES))
}

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
    !b.is_empty() && b.len().is_multiple_of(2) && b.chunks(2).all(|c| c[0].is_ascii_uppercase() && c[1] == b'.')
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
                // A hyphen joins a word only between letters (`Centro-Soyuz`, not `Harriet--even`).
                let rest = &body[i + k + d.len_utf8()..];
                let joins = d == '-' && rest.starts_with(char::is_alphanumeric) && !body[..i + k].ends_with('-');
                if d.is_alphanumeric() || joins || ((d == '’' || d == '\'') && rest.starts_with(|x: char| x.is_alphabetic() && x != 's')) {
                    j = i + k + d.len_utf8();
                } else {
                    break;
                }
            }
            // Keep the stop of an initial or a title: `L.`, `L.D.`, `Mr.`
            let mut end = j;
            while end < bytes.len() && bytes[end] == b'.' {
                let word = &body[i..end + 1];
                if is_initial(word) || titles().contains(word) {
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
            if !is_capitalised(w) || (not_names().contains(w) && !titles().contains(w)) {
                k += 1;
                continue;
            }
            let mut e = k + 1;
            while e < toks.len() {
                let prev_end = toks[e - 1].0.end;
                let gap = &text[prev_end..toks[e].0.start];
                let w2 = toks[e].0.text(text);
                if gap != " " || !is_capitalised(w2) || not_names().contains(w2) && !titles().contains(w2) {
                    break;
                }
                // A title starts a new name: `Miss Woodhouse Miss Taylor`.
                if titles().contains(w2) && !toks[k..e].iter().all(|(t, _)| titles().contains(t.text(text))) {
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

/// `of the exiling of L.D. Krupskaya said`: a run of initials then a name
/// that stands alone elsewhere, seen once as a whole, is two names across a
/// sentence end (while `E.H. Carr`, whose `Carr` never stands alone, stays one).
fn split_initials(text: &str, runs: Vec<Run>) -> Vec<Run> {
    let name = |s: Span| s.text(text).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for r in &runs {
        *count.entry(name(r.span)).or_default() += 1;
    }
    let mut out = Vec::with_capacity(runs.len());
    for r in runs {
        let t = r.span.text(text);
        let words: Vec<&str> = t.split(' ').collect();
        let cut = words.iter().position(|w| is_initial(w) && w.len() >= 4);
        if let Some(k) = cut.filter(|&k| k + 1 < words.len()) {
            let head_len: usize = words[..=k].iter().map(|w| w.len() + 1).sum::<usize>() - 1;
            let tail = words[k + 1..].join(" ");
            if count.get(&name(r.span)).copied() == Some(1) && count.get(&tail).copied().unwrap_or(0) >= 1 {
                out.push(Run { span: Span::new(r.span.start, r.span.start + head_len), initial: r.initial });
                out.push(Run { span: Span::new(r.span.start + head_len + 1, r.span.end), initial: true });
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// `Has Sylvia arrived`: at a sentence start, a first word that the text
/// also writes in lowercase is an ordinary word, not part of the name.
fn strip_ordinary_first_words(text: &str, runs: Vec<Run>, lowercase: &std::collections::HashSet<&str>) -> Vec<Run> {
    runs.into_iter()
        .map(|r| {
            let t = r.span.text(text);
            match t.split_once(' ') {
                // `Unluckily Aziz`: an adverb opening the sentence.
                Some((first, _)) if r.initial && !titles().contains(first) && (lowercase.contains(first.to_lowercase().as_str()) || first.len() > 4 && first.ends_with("ly")) => {
                    Run { span: Span::new(r.span.start + first.len() + 1, r.span.end), initial: false }
                }
                _ => r,
            }
        })
        .collect()
}

/// The word before `pos` in `text`, lowercased.
fn word_before(text: &str, pos: usize) -> String {
    let before = text[..pos].trim_end();
    let start = before.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    before[start..].to_lowercase()
}

/// The name without its titles: `Comrade Trotsky` → `Trotsky`.
pub(crate) fn bare(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let k = words.iter().take_while(|w| TITLES.contains(w)).count();
    words[k.min(words.len())..].join(" ")
}

pub(crate) fn title_gender(name: &str) -> Option<Gender> {
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
    let lowercase_words: std::collections::HashSet<&str> = blocks
        .iter()
        .filter(|b| b.kind.is_text())
        .flat_map(|b| b.span.text(text).split(|c: char| !c.is_alphabetic()))
        .filter(|w| w.starts_with(|c: char| c.is_lowercase()))
        .collect();
    let runs = strip_ordinary_first_words(text, split_initials(text, runs(text, blocks)), &lowercase_words);
    // How each name stands: mid-sentence at least once, or always first.
    let mut seen: BTreeMap<String, (usize, bool, usize)> = BTreeMap::new(); // name -> (first pos, mid-sentence, count)
    for r in &runs {
        let name = r.span.text(text).split_whitespace().collect::<Vec<_>>().join(" ");
        // A name that speaks or labels speech is a name wherever it stands:
        // `Zinoviev wrote`, `Kamenev: “...”`.
        let after = &text[r.span.end..text.floor_char_boundary(r.span.end + 30)];
        let next = after.split_whitespace().next().unwrap_or("").trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
        let speaks = (crate::attribute::is_speech_verb(&next) && !next.ends_with("ing")) || after.starts_with(": “") || after.starts_with(": \"");
        let e = seen.entry(name).or_insert((r.span.start, false, 0));
        e.1 |= !r.initial || speaks;
        e.2 += 1;
    }
    // Kind of each name, by its words and the words before it.
    let mut kinds: BTreeMap<String, EntityKind> = BTreeMap::new();
    // Names after a possessive determiner (`his Buick`).
    let mut owned: BTreeMap<String, usize> = BTreeMap::new();
    for r in &runs {
        if matches!(word_before(text, r.span.start).as_str(), "his" | "her" | "their" | "my" | "our" | "your" | "its") {
            *owned.entry(r.span.text(text).split_whitespace().collect::<Vec<_>>().join(" ")).or_default() += 1;
        }
    }
    // (place evidence, person evidence, used as an adjective, after `the`)
    let mut votes: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    for r in &runs {
        let name = r.span.text(text).split_whitespace().collect::<Vec<_>>().join(" ");
        let before = word_before(text, r.span.start);
        let after = &text[r.span.end..text.floor_char_boundary(r.span.end + 40)];
        let possessive = after.starts_with("’s") || after.starts_with("'s") || after.starts_with('’') || after.starts_with('\'');
        let next_word: String = after.trim_start_matches(|c: char| c == '’' || c == '\'' || c == 's' && possessive).split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("").to_string();
        let v = votes.entry(name).or_insert((0, 0, 0, 0));
        if STRONG_PLACE.contains(&before.as_str()) {
            v.0 += 2;
        } else if WEAK_PLACE.contains(&before.as_str()) && !possessive {
            v.0 += 1;
        }
        let reports = |w: &str| crate::attribute::is_speech_verb(w) && !w.ends_with("ing");
        // `said the Hatter`: a speech verb before the article.
        let before_the = if before == "the" {
            let at = text[..r.span.start].trim_end();
            word_before(text, at.len().saturating_sub(3))
        } else {
            String::new()
        };
        if reports(&before) || reports(&before_the) || reports(&next_word.to_lowercase()) || possessive && before == "at" {
            v.1 += 2;
        }
        if before == "the" && !possessive {
            v.3 += 1;
        }
        if after.starts_with(' ') && next_word.starts_with(|c: char| c.is_lowercase()) && !possessive {
            v.2 += 1;
        }
    }
    for (name, &(_, mid, count)) in &seen {
        let words: Vec<&str> = name.split_whitespace().collect();
        let titled = words.first().is_some_and(|w| TITLES.contains(w));
        let (place, person, adjective, with_the) = votes.get(name).copied().unwrap_or((0, 0, 0, 0));
        // `his Buick`: a thing someone owns, not a person.
        if owned.get(name).copied().unwrap_or(0) * 2 > count && person == 0 {
            continue;
        }
        let acronym = words.len() == 1 && name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && name.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
        // An ordinary word capitalised at a sentence start or for emphasis
        // (`Has`, `Another`, `NOT`): its lowercase form is in the text too.
        if words.len() == 1 && (!mid || acronym) && lowercase_words.contains(name.to_lowercase().as_str()) {
            continue;
        }
        // A nationality or other adjective (`an old Turkish guardian`, `in French`).
        if words.len() == 1 && adjective * 2 >= count && ["ish", "ian", "ese", "ic", "an", "ch"].iter().any(|e| name.ends_with(e)) {
            continue;
        }
        let kind = if titled || words.iter().any(|w| is_initial(w)) {
            // Initials are a person's (`L.D.`, `E.H. Carr`).
            EntityKind::Person
        } else if words.iter().any(|w| ORG_WORDS.contains(w)) || acronym {
            EntityKind::Organisation
        } else if place >= 2 && place > 2 * person && (words.len() == 1 || place >= 4) {
            EntityKind::Place
        } else if with_the * 2 >= count && person == 0 {
            // Bodies take the article (`the Centro-Soyuz`); persons do not.
            EntityKind::Organisation
        } else {
            EntityKind::Person
        };
        // Names seen only at sentence starts are most often ordinary words.
        let initials = words.iter().any(|w| is_initial(w));
        if !(mid || titled || initials || words.len() >= 2 || count >= 3) {
            continue;
        }
        // A title alone is a name only for someone who speaks (`said the Queen`).
        if words.len() == 1 && TITLES.contains(&words[0]) && (person == 0 || with_the == 0) {
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
    let mut bare_names: Vec<Vec<Vec<String>>> = Vec::new();
    // The titles each entity has been named with.
    let mut entity_titles: Vec<Vec<String>> = Vec::new();
    for (name, kind, _) in &by_length {
        let b = bare(name);
        let bw: Vec<String> = b.split_whitespace().map(str::to_string).collect();
        // Each entity's names without titles, as word lists, kept beside it.
        let fits: Vec<usize> = bare_names
            .iter()
            .enumerate()
            .filter(|(i, names)| {
                // `Mrs. Knightley` is not `Mr. Knightley`: titles of the other sex keep names apart.
                let g = title_gender(name);
                let clash = g.is_some() && entities[*i].gender.is_some_and(|h| Some(h) != g);
                // A woman's titles of two states are two women (`Miss Churchill`,
                // `Mrs. Churchill`); other titles may name one person (`Dr. Aziz`, `Mr. Aziz`).
                let title = name.split_whitespace().next().filter(|t| titles().contains(t));
                let unmarried = |t: &str| matches!(t, "Miss" | "Mademoiselle" | "Mlle." | "Ms." | "Ms");
                let married = |t: &str| matches!(t, "Mrs." | "Mrs" | "Madame" | "Mme." | "Frau" | "Signora");
                let titled_clash = title.is_some_and(|t| {
                    entity_titles[*i].iter().any(|o| (unmarried(t) && married(o)) || (married(t) && unmarried(o)))
                });
                // A titled surname (`Mr. Woodhouse`) joins only a titled or bare
                // form of it, not a full name with another given name (`Emma Woodhouse`).
                let fits_name = |aw: &Vec<String>| {
                    *aw == bw || (aw.len() > bw.len() && (aw.ends_with(&bw) || aw.starts_with(&bw)) && (title.is_none() || !entity_titles[*i].is_empty()))
                };
                entities[*i].kind == *kind && !clash && !titled_clash && names.iter().any(fits_name)
            })
            .map(|(i, _)| i)
            .collect();
        let words_of = |n: &str| bare(n).split_whitespace().map(str::to_string).collect::<Vec<String>>();
        // Of several candidates, the one whose name is this very name, bare of titles.
        let fits = if fits.len() > 1 {
            let exact: Vec<usize> = fits.iter().copied().filter(|&i| bare_names[i].contains(&bw)).collect();
            if exact.len() == 1 { exact } else { fits }
        } else {
            fits
        };
        if fits.len() == 1 && !b.is_empty() {
            let e = &mut entities[fits[0]];
            if e.gender.is_none() {
                e.gender = title_gender(name);
            }
            if let Some(t) = name.split_whitespace().next().filter(|t| titles().contains(t))
                && !entity_titles[fits[0]].iter().any(|x| x == t) {
                    entity_titles[fits[0]].push(t.to_string());
                }
            if *name != e.name && !e.aliases.contains(name) {
                e.aliases.push(name.clone());
                bare_names[fits[0]].push(words_of(name));
            }
            owner.insert(name.clone(), fits[0]);
        } else {
            owner.insert(name.clone(), entities.len());
            bare_names.push(vec![words_of(name)]);
            entity_titles.push(name.split_whitespace().next().filter(|t| titles().contains(t)).map(str::to_string).into_iter().collect());
            entities.push(Entity { kind: *kind, name: name.clone(), aliases: Vec::new(), gender: title_gender(name), members: Vec::new(), external_id: None, from: None, until: None });
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
        // The name as a subject, its pronoun soon after: `Krupskaya said that she`.
        if in_quote(r.span.start) || !r.initial {
            continue;
        }
        let after = &text[r.span.end..text.floor_char_boundary(r.span.end + 120)];
        for w in after.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).take(12) {
            match w {
                // Subject and possessive forms refer back to a subject; `him`
                // and `her` are as often someone else.
                "he" | "He" | "his" | "His" | "himself" => {
                    votes[ei].0 += 1;
                    break;
                }
                "she" | "She" | "herself" => {
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
    // Capitalised words seen after `the`, for the singulars of groups.
    let mut after_the: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in &runs {
        let w = r.span.text(text);
        if w.contains(' ') || word_before(text, r.span.start) != "the" {
            continue;
        }
        after_the.insert(w);
        if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
            groups.entry(format!("the {w}")).or_insert(r.span.start);
        }
    }
    let mut groups: Vec<(String, usize)> = groups.into_iter().collect();
    groups.sort_by_key(|(n, p)| (*p, n.clone()));
    for (name, _) in groups {
        let single = name.trim_start_matches("the ").trim_end_matches('s').to_string();
        let mut aliases = vec![name.trim_start_matches("the ").to_string()];
        // The singular names the group too when it is an adherent's word
        // (`Stalinist`) or itself stands after `the` (`the Right declared`).
        let the_single = after_the.contains(single.as_str());
        let adherent = ["ist", "ite", "ian", "ic"].iter().any(|e| single.ends_with(e));
        // A family (`the Westons`) leaves its members' name (`Mr. Weston`) to them.
        let family = kinds.keys().any(|k| k.ends_with(&format!(" {single}")) && k.split_whitespace().next().is_some_and(|t| titles().contains(t)));
        if kinds.contains_key(&single) && !single.is_empty() && (adherent || the_single) && !family {
            aliases.push(single.clone());
        }
        entities.push(Entity { kind: EntityKind::Group, name, aliases, gender: Some(Gender::Other), members: Vec::new(), external_id: None, from: None, until: None });
    }
    // A group's plural and singular (`Stalinists`, `Stalinist`) are its names, not persons.
    let group_names: Vec<(usize, Vec<String>)> = entities.iter().enumerate().filter(|(_, e)| e.kind == EntityKind::Group).map(|(i, e)| (i, e.aliases.clone())).collect();
    let mut absorbed: Vec<(usize, String)> = Vec::new();
    let mut keep = vec![true; entities.len()];
    for (i, e) in entities.iter().enumerate() {
        if e.kind == EntityKind::Group {
            continue;
        }
        if let Some((g, _)) = group_names.iter().find(|(_, names)| names.contains(&e.name)) {
            keep[i] = false;
            absorbed.push((*g, e.name.clone()));
        }
    }
    for (g, n) in absorbed {
        if !entities[g].aliases.contains(&n) {
            entities[g].aliases.push(n);
        }
    }
    let mut k = 0;
    entities.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    // `everyone was saying`: everyone speaks.
    for word in ["everyone", "everybody"] {
        let speaks = text.match_indices(word).chain(text.match_indices(&capitalise(word))).any(|(i, w)| {
            let after = &text[i + w.len()..text.floor_char_boundary(i + w.len() + 30)];
            after.split_whitespace().take(3).any(|x| crate::attribute::is_speech_verb(x.trim_matches(|c: char| !c.is_alphabetic())))
        });
        if speaks && !entities.iter().any(|e| e.name == word) {
            entities.push(Entity { kind: EntityKind::Group, name: word.to_string(), aliases: vec![capitalise(word)], gender: Some(Gender::Other), members: Vec::new(), external_id: None, from: None, until: None });
        }
    }
    // Order of first appearance, for stable output.
    let first = |e: &Entity| std::iter::once(&e.name).chain(&e.aliases).filter_map(|n| seen.get(n).map(|s| s.0)).min().unwrap_or(usize::MAX);
    entities.sort_by_key(|e| (first(e), e.name.clone()));
    // Persons named together as the subject of a speech verb (`Zinoviev and
    // Kamenev defined the situation as follows`) speak as a group.
    add_pairs(text, &mut entities);
    // `the trio` after a sentence naming three persons: a group of them.
    add_numbered_groups(text, &runs, &mut entities);
    entities
}

/// Lists of persons: names joined only by `, `, `, and `, ` and `; each
/// with the span from its first name to its last.
fn joined_lists(text: &str, persons: &[(Span, usize)]) -> Vec<(Span, Vec<usize>)> {
    let mut lists: Vec<(Span, Vec<usize>)> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut start = 0;
    let mut last_end: Option<usize> = None;
    for (s, e) in persons {
        let joined = last_end.is_some_and(|le| le <= s.start && matches!(&text[le..s.start], ", " | ", and " | " and " | ","));
        if !joined && !current.is_empty() {
            lists.push((Span::new(start, last_end.unwrap_or(start)), std::mem::take(&mut current)));
        }
        if current.is_empty() {
            start = s.start;
        }
        if !current.contains(e) {
            current.push(*e);
        }
        last_end = Some(s.end);
    }
    if !current.is_empty() {
        lists.push((Span::new(start, last_end.unwrap_or(start)), current));
    }
    lists
}

/// Words for a group by its number, and that number (0: any).
const NUMBERED: &[(&str, usize)] = &[("trio", 3), ("troika", 3), ("triumvirate", 3), ("duo", 2), ("pair", 2), ("quartet", 4)];

/// Adds a group for `the trio` (and the like) whose members are the persons
/// of the nearest list of that many names before it.
fn add_numbered_groups(text: &str, runs: &[Run], entities: &mut Vec<Entity>) {
    let index: BTreeMap<String, usize> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Person)
        .flat_map(|(i, e)| std::iter::once(e.name.clone()).chain(e.aliases.iter().cloned()).map(move |n| (n, i)))
        .collect();
    let persons: Vec<(Span, usize)> = runs
        .iter()
        .filter_map(|r| index.get(&r.span.text(text).split_whitespace().collect::<Vec<_>>().join(" ")).map(|&e| (r.span, e)))
        .collect();
    // `Rykov, Tomsky, and Bukharin were openly designated as the Right`: a
    // list of persons said to be a named group makes them its members.
    let lists = joined_lists(text, &persons);
    for group in entities.iter_mut() {
        if group.kind != EntityKind::Group || !group.members.is_empty() {
            continue;
        }
        let names: Vec<String> = std::iter::once(group.name.clone()).chain(group.aliases.iter().cloned()).collect();
        for (span, members) in &lists {
            let tail = &text[span.end..text.floor_char_boundary(span.end + 70)];
            let tail = tail.split(['.', ';', '“', '"']).next().unwrap_or("");
            let says_so = [" as ", " were ", " are ", " is ", " was "].iter().any(|w| tail.contains(w));
            if members.len() >= 2 && says_so && names.iter().any(|n| tail.contains(&format!("the {}", n.trim_start_matches("the ")))) {
                group.members = members.clone();
                break;
            }
        }
    }
    for &(word, n) in NUMBERED {
        let Some(pos) = text.match_indices(word).map(|(i, _)| i).find(|&i| {
            let before = text[..i].trim_end_matches(['“', '"', '‘', '\'']).trim_end();
            before.ends_with("the") && text[i + word.len()..].chars().next().is_none_or(|c| !c.is_alphabetic())
        }) else {
            continue;
        };
        if let Some((_, members)) = lists.iter().rev().find(|(s, l)| s.end <= pos && l.len() == n) {
            let members = members.clone();
            entities.push(Entity {
                kind: EntityKind::Group,
                name: format!("the {word}"),
                aliases: vec![word.to_string()],
                gender: Some(Gender::Other),
                members,
                external_id: None,
                from: None,
                until: None,
            });
        }
    }
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// Adds a group for each `A and B` of two persons followed in its sentence by
/// a speech verb.
fn add_pairs(text: &str, entities: &mut Vec<Entity>) {
    let persons: Vec<(usize, Vec<String>)> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Person)
        .map(|(i, e)| (i, std::iter::once(e.name.clone()).chain(e.aliases.iter().cloned()).collect()))
        .collect();
    let index: BTreeMap<&str, usize> = persons.iter().flat_map(|(i, names)| names.iter().map(move |n| (n.as_str(), *i))).collect();
    let owner = |n: &str| index.get(n).copied();
    let mut pairs: Vec<(String, usize, usize)> = Vec::new();
    for (pos, _) in text.match_indices(" and ") {
        let before = &text[..pos];
        let a_start = before.char_indices().rev().find(|&(_, c)| !(c.is_alphanumeric() || c == '.' || c == '-')).map_or(0, |(i, c)| i + c.len_utf8());
        let a = &before[a_start..];
        let rest = &text[pos + 5..];
        let b_end = rest.find(|c: char| !(c.is_alphanumeric() || c == '-')).unwrap_or(rest.len());
        let b = &rest[..b_end];
        let (Some(x), Some(y)) = (owner(a), owner(b)) else { continue };
        if x == y {
            continue;
        }
        // The pair opens its clause: after a sentence end, a comma or nothing.
        let lead = before[..a_start].trim_end();
        if !(lead.is_empty() || lead.ends_with([',', '.', ';', ':', '!', '?', '\n'])) {
            continue;
        }
        let clause = &rest[b_end..rest.floor_char_boundary(b_end + 80)];
        let clause = clause.split(['.', ';', '“', '"', ':', ',', '(']).next().unwrap_or("");
        if clause.split_whitespace().take(4).any(|w| crate::attribute::is_speech_verb(w.trim_matches(|c: char| !c.is_alphabetic()))) {
            let name = format!("{a} and {b}");
            if !pairs.iter().any(|(n, _, _)| *n == name) {
                pairs.push((name, x, y));
            }
        }
    }
    for (name, x, y) in pairs {
        entities.push(Entity { kind: EntityKind::Group, name, aliases: Vec::new(), gender: Some(Gender::Other), members: vec![x, y], external_id: None, from: None, until: None });
    }
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
