//! The cast: the entities a document speaks of, and their mentions.
//!
//! Entities come from a list the caller gives (a gazetteer, or a benchmark's
//! character list) and from names found in the text; mentions are found by
//! their names (whole words, line breaks inside a name allowed) and by
//! pronouns, which are resolved to the nearest preceding person of the same
//! gender mentioned in narration.

use aho_corasick::{AhoCorasickBuilder, MatchKind};
use kulisy_model::{Entity, EntityKind, Gender, Mention, MentionKind, Span};

/// Entities and their mentions, mentions in text order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cast {
    /// The entities.
    pub entities: Vec<Entity>,
    /// The narrator of a first-person text, by entity index: `I` in narration.
    pub narrator: Option<usize>,
    /// The mentions, ordered by start.
    pub mentions: Vec<Mention>,
}

/// Every name of an entity: its canonical name and aliases.
fn names(e: &Entity) -> impl Iterator<Item = &str> {
    std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str))
}

/// Titles and forms of address that stand before a name.
pub const TITLES: &[&str] = &[
    "Mr.", "Mr", "Mrs.", "Mrs", "Miss", "Ms.", "Ms", "Dr.", "Dr", "Sir", "Lady", "Lord", "Madam", "Madame", "Monsieur",
    "Mademoiselle", "Mme.", "Mlle.", "M.", "Doctor", "Captain", "Capt.", "Colonel", "Col.", "General", "Gen.", "Major", "Professor",
    "Prof.", "Comrade", "Citizen", "Father", "Mother", "Sister", "Brother", "Aunt", "Uncle", "Rev.", "Reverend", "Saint",
    "St.", "King", "Queen", "Prince", "Princess", "Count", "Countess", "Baron", "Herr", "Frau", "Signor", "Signora",
];

/// The shorter forms a full name also goes by: the family name and the given
/// name alone (`Hercule Poirot`: `Poirot`, `Hercule`), the family name with
/// the name's own title (`Mr. Frank Churchill`: `Mr. Churchill`).
pub fn name_variants(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    // A description through another person (`Mr. Wickham's Father`) has no
    // shorter forms: its words name that other person.
    if words.iter().any(|w| w.to_lowercase().ends_with("'s") || w.to_lowercase().ends_with("’s")) {
        return Vec::new();
    }
    let titles: Vec<&str> = words.iter().copied().take_while(|w| TITLES.contains(w)).collect();
    let rest = &words[titles.len()..];
    let mut out = Vec::new();
    let usable = |w: &str| w.chars().count() >= 2 && w.starts_with(|c: char| c.is_uppercase()) && !w.ends_with('.');
    if rest.len() >= 2 {
        let (first, last) = (rest[0], rest[rest.len() - 1]);
        if usable(last) {
            out.push(last.to_string());
            for t in &titles {
                out.push(format!("{t} {last}"));
            }
        }
        // Not a determiner or a descriptive word (`The White Rabbit`, `Old Major`).
        let descriptive = matches!(first, "The" | "A" | "An" | "Old" | "Young" | "Little" | "Big" | "Poor" | "Dear" | "Great" | "Good" | "Mad");
        if usable(first) && !descriptive {
            out.push(first.to_string());
            // The title with the given name: `Sir Geoffrey`, `Lady Catherine`.
            for t in &titles {
                out.push(format!("{t} {first}"));
            }
        }
    }
    if !titles.is_empty() && rest.len() == 1 && usable(rest[0]) {
        out.push(rest[0].to_string());
    }
    // A form of address that prose uses alone for its one bearer
    // (`said Mademoiselle`).
    if let Some(t) = titles.first().filter(|t| ADDRESS_ALONE.contains(t)) {
        out.push(t.to_string());
    }
    // A rank stands for its bearer with the article (`Count Mippipopolous`:
    // `the count`), where no one else in the cast bears it.
    if let Some(rank) = titles.last().and_then(|t| RANKS.iter().find(|(r, _)| r == t)) {
        out.push(format!("The {}", rank.1));
    }
    out
}

/// Forms of address that stand alone for a person: `Madame`, `Herr`.
const ADDRESS_ALONE: &[&str] = &["Madame", "Mademoiselle", "Monsieur", "Signor", "Signora", "Signorina", "Señor", "Señora"];

/// Titles of rank or office that, with the article, name their bearer.
const RANKS: &[(&str, &str)] = &[
    ("Count", "Count"), ("Countess", "Countess"), ("Baron", "Baron"), ("Prince", "Prince"), ("Princess", "Princess"),
    ("King", "King"), ("Queen", "Queen"), ("Colonel", "Colonel"), ("Col.", "Colonel"), ("Captain", "Captain"),
    ("Capt.", "Captain"), ("Major", "Major"), ("General", "General"), ("Gen.", "General"), ("Doctor", "Doctor"),
    ("Dr.", "Doctor"), ("Dr", "Doctor"), ("Professor", "Professor"), ("Prof.", "Professor"),
];

/// The entity's names and their shorter forms, each once.
fn all_names(e: &Entity) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names(e) {
        let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
        if !n.is_empty() && !out.contains(&n) {
            out.push(n.clone());
        }
    }
    let given: Vec<String> = out.clone();
    for n in &given {
        for v in name_variants(n) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || b == b'_'
}

/// Finds the names of `entities` in `text`, longest first, whole words only.
/// A name printed across a line break (`Mr.\nWoodhouse`) is found too.
pub fn name_mentions(text: &str, entities: &[Entity]) -> Vec<Mention> {
    let mut patterns: Vec<String> = Vec::new();
    let mut owners: Vec<Option<usize>> = Vec::new();
    // Names given outright win over shorter forms derived from them: a
    // derived form that another entity owns outright is left to that one.
    let mut given: std::collections::BTreeMap<String, Option<usize>> = std::collections::BTreeMap::new();
    for (i, e) in entities.iter().enumerate() {
        for n in names(e) {
            let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
            if n.is_empty() {
                continue;
            }
            let slot = given.entry(n).or_insert(Some(i));
            if *slot != Some(i) {
                *slot = None; // a name two entities share says nothing on its own
            }
        }
    }
    let mut derived: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
    // Every entity each name or shorter form belongs to.
    let mut bearers: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, e) in entities.iter().enumerate() {
        for n in all_names(e) {
            let b = bearers.entry(n.clone()).or_default();
            if !b.contains(&i) {
                b.push(i);
            }
            if given.contains_key(&n) {
                continue;
            }
            let owners = derived.entry(n).or_default();
            if !owners.contains(&i) {
                owners.push(i);
            }
        }
    }
    // A list may name one person twice: a bare entry (`Bounderby`, no gender)
    // beside a full one (`Josiah Bounderby`, male). The bare entry's names
    // then go to the full one, chosen as a shared family name is.
    for (i, e) in entities.iter().enumerate() {
        if e.kind != EntityKind::Person || e.gender.is_some() {
            continue;
        }
        let own: Vec<String> = names(e).map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|n| !n.is_empty()).collect();
        let Some(first) = own.first() else { continue };
        let fuller = |j: &usize| *j != i && entities[*j].kind == EntityKind::Person && entities[*j].gender.is_some() && all_names(&entities[*j]).len() > own.len();
        let mut cands: Vec<usize> = bearers.get(first).into_iter().flatten().copied().filter(fuller).collect();
        cands.retain(|j| own.iter().all(|n| bearers.get(n).is_some_and(|b| b.contains(j))));
        let to = owner_of(entities, &cands, own.iter().all(|n| !n.contains(' ')));
        if let Some(j) = to {
            for n in &own {
                if given.get(n) == Some(&Some(i)) {
                    given.insert(n.clone(), Some(j));
                }
            }
        }
    }
    // A bare family name several persons share stands for the one man among
    // them (`Denham` for Ralph Denham, not Mrs. Denham or Joan Denham), as
    // prose calls women by a title or a given name; otherwise for no one.
    // A name several persons could bear stays open for now: (name, them).
    let mut open: Vec<Vec<usize>> = Vec::new();
    for (n, owner) in given.into_iter() {
        patterns.push(n);
        owners.push(owner);
        open.push(Vec::new());
    }
    for (n, candidates) in derived {
        let owner = owner_of(entities, &candidates, !n.contains(' '));
        // A form of address or a rank shared is anyone's (`Madame`, `the doctor`).
        let title = n.starts_with("The ") || n.split(' ').all(|w| TITLES.contains(&w));
        patterns.push(n);
        owners.push(owner);
        open.push(if owner.is_none() && !title { candidates } else { Vec::new() });
    }
    if patterns.is_empty() {
        return Vec::new();
    }
    let Ok(ac) = AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(&patterns) else { return Vec::new() };
    // Line breaks and tabs read as spaces; both are one byte, so offsets hold.
    let flat: Vec<u8> = text.bytes().map(|b| if b == b'\n' || b == b'\t' || b == b'\r' { b' ' } else { b }).collect();
    let bytes = flat.as_slice();
    // Whole words: the characters on either side are not letters or digits
    // (a curly quotation mark or a dash is a boundary).
    let whole = |s: usize, e: usize| {
        text.is_char_boundary(s)
            && text.is_char_boundary(e)
            && text[..s].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
            && (bytes[e - 1] == b'.' || text[e..].chars().next().is_none_or(|c| !c.is_alphanumeric()))
    };
    // Each find with the pattern that found it.
    let mut out: Vec<(Mention, usize)> = Vec::new();
    // A form of address alone, not before another name (`Madame Lavigne`
    // is someone else when the list has no Madame Lavigne).
    let before_name = |e: usize| text[e..].starts_with(char::is_whitespace) && text[e..].trim_start().starts_with(char::is_uppercase);
    for m in ac.find_iter(bytes) {
        let k = m.pattern().as_usize();
        if ADDRESS_ALONE.contains(&patterns[k].as_str()) && before_name(m.end()) {
            continue;
        }
        if whole(m.start(), m.end()) {
            out.push((Mention { span: Span::new(m.start(), m.end()), kind: MentionKind::Name, entity: owners[k] }, k));
        }
    }
    // Names as lists print them (`The King Of Hearts`, `Alice'S Sister`)
    // are found as prose prints them (`the King of Hearts`, `Alice's sister`).
    // So are names whose inner capitals a list folds (`Mcbryde` for `McBryde`):
    // every name goes through this pass, each compared in its relaxed form.
    if let Ok(ci) = AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).ascii_case_insensitive(true).build(&patterns) {
        for m in ci.find_iter(bytes) {
            let (s, e, k) = (m.start(), m.end(), m.pattern().as_usize());
            // Found as written by the first pass already.
            if &bytes[s..e] == patterns[k].as_bytes() {
                continue;
            }
            if whole(s, e) && !only_sex_and_age(&text[s..e]) && relaxed_form(&text[s..e].replace(['\n', '\t', '\r'], " ")) == relaxed_form(&patterns[k]) {
                out.push((Mention { span: Span::new(s, e), kind: MentionKind::Name, entity: owners[k] }, k));
            }
        }
    }
    // Where two finds overlap, the longer (then the earlier) stands.
    out.sort_by_key(|(m, _)| (m.span.start, std::cmp::Reverse(m.span.end)));
    let mut kept: Vec<(Mention, usize)> = Vec::with_capacity(out.len());
    for m in out {
        match kept.last_mut() {
            Some(last) if m.0.span.start < last.0.span.end => {
                if m.0.span.len() > last.0.span.len() {
                    *last = m;
                }
            }
            _ => kept.push(m),
        }
    }
    // A shorter name two persons could bear (`Robert` for Robert Cohn and
    // Robert Prentiss) stands for the one the text names far more often
    // by names of their own: at least twice as often as all the others
    // together, and at least `DOMINANT_MIN` times.
    let mut named = vec![0usize; entities.len()];
    for (m, k) in &kept {
        if let Some(e) = m.entity.filter(|_| open[*k].is_empty()) {
            named[e] += 1;
        }
    }
    kept.into_iter()
        .map(|(mut m, k)| {
            if m.entity.is_none() && !open[k].is_empty() {
                let total: usize = open[k].iter().map(|&e| named[e]).sum();
                m.entity = open[k].iter().copied().find(|&e| named[e] * 3 >= total * 2 && named[e] >= DOMINANT_MIN);
            }
            m
        })
        .collect()
}

/// How often, at least, a person must be named to take a shared shorter name.
const DOMINANT_MIN: usize = 5;

/// Which of the entities a name could mean it means: the only one; or, for a
/// single word (a family name), the one man among them; else none.
fn owner_of(entities: &[Entity], owners: &[usize], one_word: bool) -> Option<usize> {
    match owners {
        [one] => Some(*one),
        _ if one_word => {
            let mut men = owners.iter().copied().filter(|&o| entities[o].gender == Some(Gender::Male));
            match (men.next(), men.next()) {
                (Some(m), None) => Some(m),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Nouns that tell only a person's sex and age.
const SEX_AND_AGE: &[&str] = &["man", "woman", "girl", "boy", "lad", "lady", "gentleman", "fellow", "youth"];

/// Whether prose words are an article and a noun of [`SEX_AND_AGE`] in
/// small letters (`the girl`, `a man`). A list may give such a description
/// as one person's name (`The Girl`), but prose says it of whoever is
/// there; left unnamed, the words are read as any description is.
fn only_sex_and_age(found: &str) -> bool {
    let mut ws = found.split_whitespace();
    matches!((ws.next(), ws.next(), ws.next()), (Some("the" | "The" | "a" | "A" | "an" | "An"), Some(noun), None) if SEX_AND_AGE.contains(&noun))
}

/// Small words whose capital in a list of names is the list's, not the text's.
const MINOR_WORDS: &[&str] = &["the", "a", "an", "of", "and", "de", "du", "des", "la", "le", "von", "van", "der", "den", "in", "on", "at", "to"];

/// A name with the capitals that vary between a list and prose taken away:
/// those of small words (`The King Of Hearts` is `the King of Hearts`) and
/// what follows an apostrophe (`Alice'S Sister`); all of them in a name that
/// opens with an article, a description a list gives as a name (`The Cook`
/// is `the cook` in prose).
pub fn relaxed_form(name: &str) -> String {
    let first = name.split_whitespace().next().unwrap_or("");
    if matches!(first, "The" | "A" | "An" | "the" | "a" | "an") && name.split_whitespace().nth(1).is_some() {
        return name.to_lowercase();
    }
    let mut out = String::with_capacity(name.len());
    for (i, w) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = w.to_lowercase();
        if i > 0 && MINOR_WORDS.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else if let Some(a) = w.find(['\'', '’']) {
            out.push_str(&w[..a]);
            out.push_str(&w[a..].to_lowercase());
        } else {
            // A word's first letter as written, inner capitals folded: a
            // list's `Mcbryde` is prose's `McBryde` (a word in capitals, a
            // heading's or a shout's, stays as it is).
            let mut cs = w.chars();
            if let Some(c) = cs.next() {
                out.push(c);
                let rest = cs.as_str();
                if rest.chars().any(char::is_lowercase) {
                    out.push_str(&rest.to_lowercase());
                } else {
                    out.push_str(rest);
                }
            }
        }
    }
    out
}

/// Personal pronouns that can stand for a speaker, and the gender they agree with.
pub fn pronoun_gender(word: &str) -> Option<Gender> {
    match word {
        "he" | "He" | "him" | "Him" | "his" | "His" | "himself" => Some(Gender::Male),
        "she" | "She" | "her" | "Her" | "hers" | "herself" => Some(Gender::Female),
        // `they` stands for a group.
        "they" | "They" => Some(Gender::Other),
        _ => None,
    }
}

/// Finds the pronouns of `text` outside `quoted` ranges (narration only);
/// with a narrator, `I` in narration is a mention of the narrator.
pub fn pronoun_mentions(text: &str, quoted: &[Span], narrator: Option<usize>) -> Vec<Mention> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut q = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() || (i > 0 && is_word_byte(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let mut e = i;
        while e < bytes.len() && is_word_byte(bytes[e]) {
            e += 1;
        }
        while q < quoted.len() && quoted[q].end <= i {
            q += 1;
        }
        let inside = quoted.get(q).is_some_and(|s| s.start <= i);
        if !inside && e - i <= 7
            && let Some(w) = text.get(i..e) {
                if pronoun_gender(w).is_some() {
                    out.push(Mention { span: Span::new(i, e), kind: MentionKind::Pronoun, entity: None });
                } else if w == "I" && narrator.is_some() {
                    out.push(Mention { span: Span::new(i, e), kind: MentionKind::Pronoun, entity: narrator });
                }
            }
        i = e.max(i + 1);
    }
    out
}

/// Resolves each pronoun to the nearest preceding person of its gender named
/// in narration, no further back than `window` bytes.
pub fn resolve_pronouns(text: &str, entities: &[Entity], mentions: &mut [Mention], quoted: &[Span], window: usize) {
    let in_quote = |s: Span| crate::events::inside(quoted, s.start);
    // The last narration mention of each gender: (position, entity).
    let mut last_male: Option<(usize, usize)> = None;
    let mut last_female: Option<(usize, usize)> = None;
    for m in mentions.iter_mut() {
        match m.kind {
            MentionKind::Name => {
                if in_quote(m.span) {
                    continue;
                }
                if let Some(e) = m.entity {
                    match entities[e].gender {
                        Some(Gender::Male) => last_male = Some((m.span.end, e)),
                        Some(Gender::Female) => last_female = Some((m.span.end, e)),
                        _ => {}
                    }
                }
            }
            MentionKind::Pronoun => {
                let g = pronoun_gender(m.span.text(text));
                let cand = match g {
                    Some(Gender::Male) => last_male,
                    Some(Gender::Female) => last_female,
                    _ => None,
                };
                if let Some((pos, e)) = cand
                    && m.span.start.saturating_sub(pos) <= window {
                        m.entity = Some(e);
                    }
            }
            MentionKind::Description => {}
        }
    }
}

/// `the latter` and `the former`: the last and the one before the last of
/// the distinct persons named just before (within a few hundred bytes).
/// Names inside quoted words (`quoted`, sorted) are left out when the words
/// `the latter` stand outside them: narration's `said the latter` points
/// back to whom narration named, not to whom the speech addressed.
pub fn description_mentions(text: &str, entities: &[Entity], names: &[Mention], quoted: &[Span]) -> Vec<Mention> {
    let inside = |pos: usize| crate::events::inside(quoted, pos);
    let mut out = Vec::new();
    for (word, back) in [("the latter", 0usize), ("The latter", 0), ("the former", 1), ("The former", 1)] {
        for (i, _) in text.match_indices(word) {
            let end = i + word.len();
            if text[end..].chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let k = names.partition_point(|m| m.span.end <= i);
            let mut distinct: Vec<usize> = Vec::new();
            let narration = !inside(i);
            for m in names[..k].iter().rev().take_while(|m| i - m.span.end < 400) {
                if narration && inside(m.span.start) {
                    continue;
                }
                if let Some(e) = m.entity.filter(|&e| entities[e].kind == EntityKind::Person)
                    && !distinct.contains(&e) {
                        distinct.push(e);
                    }
                if distinct.len() > back {
                    break;
                }
            }
            out.push(Mention { span: Span::new(i, end), kind: MentionKind::Description, entity: distinct.get(back).copied() });
        }
    }
    out
}

/// Builds the cast for `text` from known entities: their name mentions and
/// resolved pronouns, in text order.
pub fn cast_from(text: &str, entities: Vec<Entity>, quoted: &[Span], narrator: Option<usize>) -> Cast {
    let mut mentions = name_mentions(text, &entities);
    let names = mentions.clone();
    mentions.extend(description_mentions(text, &entities, &names, quoted));
    // A pronoun inside a name (`Her Majesty`) is part of the name.
    mentions.extend(pronoun_mentions(text, quoted, narrator).into_iter().filter(|p| {
        let k = names.partition_point(|n| n.span.end <= p.span.start);
        names.get(k).is_none_or(|n| !n.span.overlaps(p.span))
    }));
    mentions.sort_by_key(|m| (m.span.start, m.span.end));
    resolve_pronouns(text, &entities, &mut mentions, quoted, 2000);
    Cast { entities, narrator, mentions }
}

/// A person entity with a name and aliases.
pub fn person(name: &str, aliases: &[&str], gender: Option<Gender>) -> Entity {
    Entity {
        kind: EntityKind::Person,
        name: name.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        gender,
        members: Vec::new(),
        external_id: None,
        from: None,
        until: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_whole_and_across_line_breaks() {
        let es = vec![person("Mr. Woodhouse", &["Woodhouse", "papa"], Some(Gender::Male)), person("Emma", &["Miss Woodhouse"], Some(Gender::Female))];
        let t = "When this was over, Mr.\nWoodhouse observed it to Emma; Emmanuel and Miss Woodhouse.";
        let m = name_mentions(t, &es);
        let found: Vec<(&str, Option<usize>)> = m.iter().map(|m| (m.span.text(t), m.entity)).collect();
        assert_eq!(found, vec![("Mr.\nWoodhouse", Some(0)), ("Emma", Some(1)), ("Miss Woodhouse", Some(1))]);
    }

    #[test]
    fn names_as_lists_print_them_are_found_as_prose_prints_them() {
        let es = vec![
            person("The King Of Hearts", &["The King"], Some(Gender::Male)),
            person("Alice'S Sister", &[], Some(Gender::Female)),
            person("The Cook", &[], Some(Gender::Female)),
            person("Emma", &[], Some(Gender::Female)),
        ];
        let t = "Then the King of Hearts spoke to Alice's Sister, and the cook to the King. The emma of it, and alice's sister.";
        let found: Vec<(&str, Option<usize>)> = name_mentions(t, &es).iter().map(|m| (m.span.text(t), m.entity)).collect();
        // The words that carry a name keep their capitals: not `emma`, not `alice's sister`.
        assert_eq!(found, vec![("the King of Hearts", Some(0)), ("Alice's Sister", Some(1)), ("the cook", Some(2)), ("the King", Some(0))]);
    }

    #[test]
    fn a_name_a_list_folds_is_found_with_its_inner_capital() {
        let es = vec![person("Mr. Mcbryde", &["The Superintendent"], Some(Gender::Male)), person("Mr. Das", &[], Some(Gender::Male))];
        let t = "\"The case will come before Das,\" said McBryde sadly. Mr. McBryde left. MCBRYDE, said the sign; mcbryde, the wind.";
        let found: Vec<(&str, Option<usize>)> = name_mentions(t, &es).iter().map(|m| (m.span.text(t), m.entity)).collect();
        // A word in capitals or in lower case is not the name.
        assert_eq!(found, vec![("Das", Some(1)), ("McBryde", Some(0)), ("Mr. McBryde", Some(0))]);
    }

    #[test]
    fn a_person_listed_twice_is_found_under_the_fuller_entry() {
        let bare = person("Bounderby", &[], None);
        let es = vec![bare, person("Josiah Bounderby", &["Mr. Bounderby"], Some(Gender::Male)), person("Louisa Bounderby", &["Mrs. Bounderby"], Some(Gender::Female)), person("Stephen", &[], None)];
        let t = "Bounderby looked at Mrs. Bounderby, and Stephen left.";
        let found: Vec<(&str, Option<usize>)> = name_mentions(t, &es).iter().map(|m| (m.span.text(t), m.entity)).collect();
        // `Stephen` has no fuller entry: it stays its own.
        assert_eq!(found, vec![("Bounderby", Some(1)), ("Mrs. Bounderby", Some(2)), ("Stephen", Some(3))]);
    }

    #[test]
    fn a_rank_with_the_article_names_its_one_bearer() {
        let es = vec![person("Count Mippipopolous", &[], Some(Gender::Male)), person("Colonel Brandon", &[], Some(Gender::Male)), person("Colonel Fitzwilliam", &[], Some(Gender::Male))];
        let t = "The count smiled at the colonel.";
        let found: Vec<(&str, Option<usize>)> = name_mentions(t, &es).iter().map(|m| (m.span.text(t), m.entity)).collect();
        // Two colonels: `the colonel` names neither.
        assert_eq!(found, vec![("The count", Some(0)), ("the colonel", None)]);
    }

    #[test]
    fn a_shared_family_name_alone_is_the_man_who_bears_it() {
        let es = vec![person("Mrs. Denham", &[], Some(Gender::Female)), person("Ralph Denham", &[], Some(Gender::Male)), person("Katharine Hilbery", &[], Some(Gender::Female)), person("Mrs. Hilbery", &[], Some(Gender::Female))];
        let t = "Denham looked at Hilbery.";
        let found: Vec<(&str, Option<usize>)> = name_mentions(t, &es).iter().map(|m| (m.span.text(t), m.entity)).collect();
        // Two women share `Hilbery`: it names neither.
        assert_eq!(found, vec![("Denham", Some(1)), ("Hilbery", None)]);
    }

    #[test]
    fn shorter_forms_with_a_title_or_a_form_of_address() {
        let es = vec![
            person("Sir Geoffrey Clouston", &[], Some(Gender::Male)),
            person("Mademoiselle Reisz", &[], Some(Gender::Female)),
            person("Mr. Wickham's Father", &[], Some(Gender::Male)),
            person("George Wickham", &["Mr. Wickham"], Some(Gender::Male)),
        ];
        let t = "“Good heavens!” exclaimed Sir Geoffrey. “Why?” returned Mademoiselle, and Madame Lavigne smiled at Mr. Wickham's horse. Father came.";
        let found: Vec<(&str, Option<usize>)> = name_mentions(t, &es).iter().map(|m| (m.span.text(t), m.entity)).collect();
        // `Madame Lavigne` is not the list's mademoiselle, nor anyone's; a
        // description through another person lends no shorter form (`Father`).
        assert_eq!(found, vec![("Sir Geoffrey", Some(0)), ("Mademoiselle", Some(1)), ("Mr. Wickham", Some(3))]);
    }

    #[test]
    fn a_shared_given_name_is_the_person_the_text_names_far_more() {
        let es = vec![person("Robert Cohn", &["Cohn"], Some(Gender::Male)), person("Robert Prentiss", &[], Some(Gender::Male))];
        let often = "Cohn came in. ".repeat(5);
        let t = format!("{often}“I'm curious,” Robert said.");
        let found: Vec<Option<usize>> = name_mentions(&t, &es).iter().filter(|m| m.span.text(&t) == "Robert").map(|m| m.entity).collect();
        assert_eq!(found, vec![Some(0)]);
        // Named as often as the other: `Robert` names neither.
        let t = format!("{often}{}“I'm curious,” Robert said.", "Robert Prentiss came in. ".repeat(3));
        let found: Vec<Option<usize>> = name_mentions(&t, &es).iter().filter(|m| m.span.text(&t) == "Robert").map(|m| m.entity).collect();
        assert_eq!(found, vec![None]);
    }

    #[test]
    fn said_the_latter_points_back_past_the_names_in_the_words() {
        let es = vec![
            person("Emma", &["Miss Woodhouse"], Some(Gender::Female)),
            person("Mrs. Weston", &[], Some(Gender::Female)),
            person("Miss Bates", &[], Some(Gender::Female)),
        ];
        let t = "Mrs. Weston and Miss Bates met them at the door.\n\n“My dear Miss Woodhouse,” said the latter, “do come in.”";
        let quoted: Vec<Span> = ["My dear Miss Woodhouse,", "do come in."].iter().map(|w| {
            let i = t.find(w).unwrap_or(0);
            Span::new(i, i + w.len())
        }).collect();
        let cast = cast_from(t, es, &quoted, None);
        let d: Vec<Option<usize>> = cast.mentions.iter().filter(|m| m.kind == MentionKind::Description).map(|m| m.entity).collect();
        assert_eq!(d, vec![Some(2)]);
    }

    #[test]
    fn the_latter_and_the_former_are_the_persons_just_named() {
        let es = vec![person("Kamenev", &[], Some(Gender::Male)), person("Voroshilov", &[], Some(Gender::Male))];
        let t = "Kamenev approached Voroshilov. The latter did not respond; the former grovelled.";
        let cast = cast_from(t, es, &[], None);
        let d: Vec<(&str, Option<usize>)> = cast.mentions.iter().filter(|m| m.kind == MentionKind::Description).map(|m| (m.span.text(t), m.entity)).collect();
        assert_eq!(d, vec![("The latter", Some(1)), ("the former", Some(0))]);
    }

    #[test]
    fn pronouns_resolve_to_the_nearest_person_of_their_gender() {
        let es = vec![person("Kamenev", &[], Some(Gender::Male)), person("Krupskaya", &[], Some(Gender::Female))];
        let t = "Kamenev met Krupskaya. She said “he is here” and he left.";
        let quoted = vec![Span::new(t.find('“').unwrap_or(0), t.find('”').unwrap_or(0) + 3)];
        let cast = cast_from(t, es, &quoted, None);
        let pron: Vec<(&str, Option<usize>)> = cast.mentions.iter().filter(|m| m.kind == MentionKind::Pronoun).map(|m| (m.span.text(t), m.entity)).collect();
        assert_eq!(pron, vec![("She", Some(1)), ("he", Some(0))]);
    }
}
