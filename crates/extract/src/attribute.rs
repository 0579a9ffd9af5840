//! Who said each quotation, and to whom: ordered, explainable sieves.
//!
//! Local sieves look at the narration around one quotation (a dialogue label,
//! a speech verb after or before it, the subject of its paragraph); passes
//! then carry decisions across quotations (the rest of a paragraph speaks
//! with the voice found for part of it; in a conversation, the speakers of
//! all its turns are chosen together, weighing each turn's evidence with the
//! habit of speakers to alternate, so that `he said` and bare quotations
//! take the voice the exchange gives them). Every decision records its sieve
//! and a confidence. The table [`SIEVES`] is the order, and the documentation of it.

use kulisy_model::{Attribution, BlockKind, Document, EntityKind, Event, Mention, MentionKind, QuoteKind, Quotation, Segmentation, Span};

use crate::cast::Cast;

/// The sieves, in the order they run, with what each decides.
pub const SIEVES: &[(&str, &str)] = &[
    ("dialogue-label", "a name and a colon open the paragraph: `Kamenev: “...”`"),
    ("collective-voices", "unnamed voices speak: `were met with cries: “...”`; no speaker is named"),
    ("speech-verb-after", "a speech verb and its subject just after the quotation: `“...,” said Kamenev`, `“...” he asked`"),
    ("speech-verb-before", "a speech verb and its subject just before it: `Bukharin replied, “...”`, `defined the situation as follows: “...”`"),
    ("speech-verb-sentence", "the sentence before it reports speech: `Pyatakov answered that ... . “...”`"),
    ("paragraph-subject", "the first person named in the narration of its paragraph"),
    ("same-paragraph", "another quotation of its paragraph has a speaker"),
    ("turn-taking", "the speakers of a conversation chosen together: speakers alternate, `he` and `she` agree, whom a turn addresses answers next"),
    ("continued-speech", "the words go on from the paragraph before, left open there: the voice of the whole speech"),
];

/// Verbs that report speech or writing, lowercase.
const SPEECH_VERBS: &[&str] = &[
    "said", "says", "say", "saying", "asked", "asks", "ask", "asking", "replied", "replies", "reply", "replying", "answered",
    "answers", "answer", "answering", "cried", "cries", "exclaimed", "exclaims", "observed", "observes", "added", "adds",
    "continued", "continues", "remarked", "remarks", "returned", "rejoined", "shouted", "shouts", "whispered", "whispers",
    "muttered", "mutters", "murmured", "murmurs", "began", "declared", "declares", "insisted", "insists", "interrupted",
    "interrupts", "retorted", "retorts", "resumed", "repeated", "repeats", "responded", "responds", "called", "calls",
    "sighed", "laughed", "pursued", "inquired", "enquired", "demanded", "demands", "explained", "explains", "suggested",
    "suggests", "thought", "thinks", "wrote", "writes", "writing", "told", "tells", "admitted", "agreed", "argued",
    "protested", "objected", "urged", "pleaded", "stammered", "screamed", "yelled", "snapped", "growled", "sobbed",
    "groaned", "cried", "intervened", "defined", "confessed", "announced", "stated", "concluded", "proposed", "expressed",
    "promised", "warned", "ventured", "persisted", "assented", "assured", "acknowledged", "echoed", "corrected",
    "interposed", "gasped", "grumbled", "mused", "moaned", "proceeded", "reflected", "squeaked", "hazarded", "breathed",
    "faltered", "sneered", "asserted", "blurted", "entreated", "mumbled", "commanded", "quavered", "complained", "blustered",
    "wailed", "speculated", "informed", "panted", "ejaculated", "whimpered", "bawled", "shrieked", "begged", "hissed",
    "roared", "supplied", "quoted", "conceded", "counselled", "counseled", "grunted", "piped", "chuckled", "snorted",
    "drawled", "lisped", "stormed", "chimed", "queried", "questioned", "reasoned", "recalled", "reminded", "remonstrated",
    "rejoins", "returns", "sang", "sings", "snarled", "stuttered", "thundered", "twittered", "vociferated", "wondered",
    "yawned", "smiled", "grinned", "beamed", "subjoined", "proclaimed", "amended", "rejoined", "sniffed", "scoffed",
    "prompted", "volunteered", "confided", "teased", "joked", "soothed", "cautioned", "jeered", "commented", "interjected",
    "contradicted", "implored", "requested", "bellowed", "expostulated", "affirmed", "whined", "screeched", "reiterated",
    "rebuked", "challenged", "exhorted", "opined", "pronounced", "spluttered", "sputtered", "chorused", "crooned", "simpered",
    "droned", "hooted", "warbled", "chattered", "apologised", "apologized", "acquiesced", "corroborated", "boomed", "enunciated",
    "interpolated", "exploded", "finished", "lied", "accused", "uttered", "calling", "crying", "exclaiming", "observing", "adding",
    "whispering", "muttering", "shouting", "remarking", "murmuring", "interrupting", "continuing", "inquiring", "enquiring",
    "repeating", "declaring", "protesting", "explaining", "stammering", "begging",
];

/// Verbs that report speech with a particle after them: `went on`, `broke in`.
const PARTICLE_VERBS: &[(&str, &str)] = &[
    ("went", "on"), ("goes", "on"), ("broke", "in"), ("breaks", "in"), ("put", "in"), ("puts", "in"), ("burst", "out"),
    ("bursts", "out"), ("chimed", "in"), ("cut", "in"), ("struck", "in"), ("spoke", "up"), ("speaks", "up"), ("called", "out"),
    ("cried", "out"), ("sang", "out"), ("rapped", "out"), ("blurted", "out"), ("joined", "in"), ("chipped", "in"),
    ("summed", "up"), ("sums", "up"), ("spoke", "out"), ("piped", "up"), ("cried", "in"), ("calling", "out"), ("crying", "out"),
    ("breaking", "in"), ("going", "on"), ("putting", "in"),
];

/// Whether the word at `k` reports speech, alone or with its particle
/// (`went on`); the end of the verb or the particle.
fn speech_verb_at(ws: &[Word<'_>], k: usize) -> Option<usize> {
    let w = ws[k].s.to_lowercase();
    if let Some(next) = ws.get(k + 1)
        && PARTICLE_VERBS.iter().any(|&(v, p)| v == w && next.s == p) {
            return Some(next.span.end);
        }
    is_speech_verb(&w).then_some(ws[k].span.end)
}

/// Verbs of writing: the words quoted were written.
const WRITING_VERBS: &[&str] = &["wrote", "writes", "writing", "write", "written"];

/// Whether a lowercase word reports speech or writing.
pub(crate) fn is_speech_verb(w: &str) -> bool {
    SPEECH_VERBS.contains(&w)
}

/// A word of narration with its place.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word<'t> {
    pub(crate) s: &'t str,
    pub(crate) span: Span,
}

pub(crate) fn words(text: &str, region: Span) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let body = region.text(text);
    let mut start = None;
    for (i, c) in body.char_indices().chain(std::iter::once((body.len(), ' '))) {
        let word_char = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
        match (start, word_char) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let w = body[s..i].trim_matches(|c: char| c == '\'' || c == '’' || c == '-');
                if !w.is_empty() {
                    let off = body[s..i].find(w).unwrap_or(0);
                    out.push(Word { s: w, span: Span::new(region.start + s + off, region.start + s + off + w.len()) });
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Everything the sieves look at.
struct Ctx<'a> {
    text: &'a str,
    /// The editorial layers quotations refer to.
    layers: &'a [kulisy_model::Layer],
    doc: &'a Document,
    quotes: &'a [Quotation],
    cast: &'a Cast,
    /// Speech quotations' spans, sorted: narration is what lies outside them.
    quoted: Vec<Span>,
    /// The quotations of each block, by block index.
    by_block: Vec<Vec<usize>>,
    /// Asides and glosses outside quotations, sorted by start.
    asides: Vec<Span>,
    /// The events of the narration: encounters open scenes.
    events: &'a [Event],
}

impl<'a> Ctx<'a> {
    /// Mentions lying inside `region`, in order.
    fn mentions_in(&self, region: Span) -> &'a [Mention] {
        let m = &self.cast.mentions;
        let a = m.partition_point(|x| x.span.start < region.start);
        let b = m.partition_point(|x| x.span.start < region.end);
        &m[a..b.max(a)]
    }

    fn person(&self, m: &Mention) -> Option<usize> {
        if m.kind == MentionKind::Pronoun {
            // Only a subject pronoun can be the one who speaks.
            return matches!(m.span.text(self.text), "he" | "He" | "she" | "She" | "they" | "They" | "I").then_some(m.entity.unwrap_or(usize::MAX));
        }
        if m.kind == MentionKind::Description {
            return m.entity;
        }
        m.entity.filter(|&e| matches!(self.cast.entities[e].kind, EntityKind::Person | EntityKind::Group))
    }

    /// Whether `pos` lies inside a speech quotation.
    fn quoted_at(&self, pos: usize) -> bool {
        crate::events::inside(&self.quoted, pos)
    }

    /// The narration before quotation `qi` in its container: from the end
    /// of the previous quotation (or the container's start).
    fn before(&self, qi: usize) -> Span {
        let q = &self.quotes[qi];
        let container = self.container(qi);
        let prev_end = self.siblings(qi).filter(|&k| self.quotes[k].span.end <= q.span.start).map(|k| self.quotes[k].span.end).max();
        Span::new(prev_end.unwrap_or(container.start).max(container.start), q.span.start)
    }

    /// The narration after quotation `qi`: to the next quotation or the container's end.
    fn after(&self, qi: usize) -> Span {
        let q = &self.quotes[qi];
        let container = self.container(qi);
        let next_start = self.siblings(qi).filter(|&k| self.quotes[k].span.start >= q.span.end).map(|k| self.quotes[k].span.start).min();
        Span::new(q.span.end, next_start.unwrap_or(container.end).min(container.end))
    }

    /// The paragraph, or for a nested quotation, the words of the one it stands in.
    fn container(&self, qi: usize) -> Span {
        let q = &self.quotes[qi];
        match q.parent {
            Some(p) => self.quotes[p].pieces.iter().find(|piece| piece.contains(Span::new(q.span.start, q.span.start))).copied().unwrap_or(self.quotes[p].span),
            None => self.doc.blocks.get(q.block).map_or(q.span, |b| b.span),
        }
    }

    /// Other quotations in the same container.
    fn siblings(&self, qi: usize) -> impl Iterator<Item = usize> + '_ {
        let q = &self.quotes[qi];
        self.in_block(q.block).filter(move |&k| k != qi && self.quotes[k].parent == q.parent)
    }

    /// The quotations of a block.
    fn in_block(&self, block: usize) -> impl Iterator<Item = usize> + Clone + '_ {
        self.by_block.get(block).into_iter().flatten().copied()
    }
}

/// A decision of one sieve.
#[derive(Clone, Copy, Debug)]
struct Decision {
    /// The speaker; `usize::MAX` while a pronoun waits for resolution.
    speaker: usize,
    /// The gender of a pronoun subject, resolved after the local sieves.
    pronoun: Option<kulisy_model::Gender>,
    mention: Option<usize>,
    confidence: f32,
    written: bool,
    /// Who reports the words, when the narration says so (`X told them that Y had said`).
    reporter: Option<usize>,
    /// Whom the narration says the words are addressed to (`asked Harris`).
    told: Option<usize>,
    /// A speaker described by kinship (`said her mother`): the relation and whose.
    kin: Option<Kin>,
}

fn mention_index(ctx: &Ctx<'_>, m: &Mention) -> Option<usize> {
    ctx.cast.mentions.binary_search_by_key(&(m.span.start, m.span.end), |x| (x.span.start, x.span.end)).ok()
}

fn decide(ctx: &Ctx<'_>, m: &Mention, confidence: f32, written: bool) -> Option<Decision> {
    if m.kind == MentionKind::Pronoun && m.entity.is_some() && m.span.text(ctx.text) == "I" {
        // The narrator of a first-person text.
        return Some(Decision { speaker: m.entity?, pronoun: None, mention: mention_index(ctx, m), confidence, written, reporter: None, told: None, kin: None });
    }
    if m.kind == MentionKind::Pronoun {
        // Resolved later against the conversation, not only the narration.
        let g = crate::cast::pronoun_gender(m.span.text(ctx.text))?;
        return Some(Decision { speaker: usize::MAX, pronoun: Some(g), mention: mention_index(ctx, m), confidence, written, reporter: None, told: None, kin: None });
    }
    let speaker = ctx.person(m)?;
    Some(Decision { speaker, pronoun: None, mention: mention_index(ctx, m), confidence, written, reporter: None, told: None, kin: None })
}

/// `Kamenev: “...”`: the narration before is a name and a colon alone.
fn dialogue_label(ctx: &Ctx<'_>, qi: usize) -> Option<Decision> {
    let before = ctx.before(qi);
    let t = before.text(ctx.text).trim_end();
    let label = t.strip_suffix(':')?;
    let line_start = label.rfind('\n').map_or(0, |i| i + 1);
    let label_span = Span::new(before.start + line_start, before.start + label.len());
    let ms = ctx.mentions_in(label_span);
    let m = ms.iter().find(|m| m.kind == MentionKind::Name)?;
    // Nothing but the name (and a title) may stand on the label.
    let rest = label_span.text(ctx.text).replace(m.span.text(ctx.text), "");
    if rest.split_whitespace().count() > 1 {
        return None;
    }
    decide(ctx, m, 0.95, false)
}

/// The mention nearest to a speech verb among the first words of `region`:
/// `said Kamenev`, `Kamenev said`, `he asked`.
fn verb_and_subject_at_start(ctx: &Ctx<'_>, region: Span, max_words: usize) -> Option<Decision> {
    let ws = words(ctx.text, region);
    // Stop at the end of the first sentence.
    let first_sentence = crate::sentences::sentences(ctx.text, region).first().map_or(region.end, |s| s.end);
    let cut = region.text(ctx.text).find([';', '“', '"']).map_or(region.end, |i| region.start + i).min(first_sentence);
    let ws: Vec<Word<'_>> = ws.into_iter().filter(|w| w.span.end <= cut).take(max_words).collect();
    let (verb, verb_end) = (0..ws.len()).find_map(|k| speech_verb_at(&ws, k).map(|e| (k, e)))?;
    let written = WRITING_VERBS.contains(&ws[verb].s.to_lowercase().as_str());
    let window = Span::new(region.start, cut);
    let ms: Vec<&Mention> = ctx.mentions_in(window).iter().filter(|m| ctx.person(m).is_some()).collect();
    let verb_span = Span::new(ws[verb].span.start, verb_end);
    // The mention right after the verb (`said Kamenev`, `said he`, `said dour
    // Major Callendar`, `said the voice of Mr. Haq`), else the nearest before
    // it (`Kamenev said`).
    let joins = |m: &&&Mention| {
        let gap = &ctx.text[verb_span.end..m.span.start];
        // A title the list's name lacks (`said Miss Quested` for Adela
        // Quested, `said Mr Bertram`) stands between as a word of the gap.
        let plain = |w: &str| w.chars().all(|c| c.is_lowercase()) || crate::cast::TITLES.contains(&w);
        gap.len() <= 3
            || gap.len() <= 24
                && gap.split_whitespace().all(plain)
                && !gap.split_whitespace().any(|w| w != "of" && PREPOSITIONS.contains(&w) || matches!(w, "he" | "she" | "they" | "and" | "as" | "him" | "her"))
    };
    let after = ms.iter().find(|m| m.span.start >= verb_span.end && joins(m));
    let before = ms.iter().rev().find(|m| m.span.end <= verb_span.start && !is_possessive(ctx.text, m.span));
    // A subject right before the verb makes the person after it the one
    // spoken to: `I asked Harris`, `Bill asked Cohn`.
    let adjacent = before.filter(|m| ctx.text[m.span.end..ws[verb].span.start].trim().is_empty());
    let told = |subject_end: usize| told_after(ctx, &ms, &ws[verb].s.to_lowercase(), subject_end.max(verb_span.end));
    if let Some(m) = adjacent {
        return decide(ctx, m, 0.9, written).map(|d| Decision { told: told(verb_span.end), ..d });
    }
    if let Some(m) = after {
        return decide(ctx, m, 0.9, written).map(|d| Decision { told: told(m.span.end), ..d });
    }
    // `said the girl`, `the old man answered`: a person described, whose
    // gender the conversation resolves as it does a pronoun's.
    let next = ws.iter().position(|w| w.span.start >= verb_span.end).unwrap_or(ws.len());
    let described = described_after(&ws[next..]).or_else(|| before.is_none().then(|| described_before(&ws[..verb])).flatten());
    if let Some(g) = described {
        let owner = ws.get(next).and_then(|w| possessor(w.s));
        let kin = owner.and_then(|of| ws.get(next + 1).and_then(|w| kin_as(w.s, of)));
        return Some(Decision { speaker: usize::MAX, pronoun: Some(g), mention: None, confidence: 0.8, written, reporter: None, told: None, kin });
    }
    decide(ctx, before?, 0.9, written)
}

/// Verbs whose object is the one spoken to: `asked Harris`, `told Fanny`.
const ADDRESSING_VERBS: &[&str] = &[
    "asked", "asks", "told", "tells", "answered", "answers", "assured", "reminded", "informed", "warned", "urged", "begged",
    "implored", "entreated", "thanked", "addressed", "interrupted", "corrected", "questioned", "teased", "soothed", "cautioned",
    "reassured", "ordered", "commanded", "pressed", "prompted", "congratulated", "greeted", "coaxed", "scolded",
];

/// The person the narration says words are addressed to, named just after
/// the speech verb `verb` and its subject (which end at `from`): `asked
/// Harris`, `said to Harris`, `said Anne to Margaret`.
fn told_after(ctx: &Ctx<'_>, ms: &[&Mention], verb: &str, from: usize) -> Option<usize> {
    // `Bill said to me`, `asked me`: the narrator of a first-person text.
    if let Some(me) = ctx.cast.narrator {
        let rest = ctx.text.get(from..).unwrap_or("").trim_start();
        let to_me = rest.strip_prefix("to ").map(str::trim_start).or(ADDRESSING_VERBS.contains(&verb).then_some(rest));
        if to_me.and_then(|r| r.strip_prefix("me")).is_some_and(|r| !r.starts_with(char::is_alphanumeric)) {
            return Some(me);
        }
    }
    let m = ms.iter().find(|m| m.span.start >= from && m.kind != MentionKind::Pronoun)?;
    let gap = ctx.text.get(from..m.span.start)?.trim();
    let object = gap.is_empty() && ADDRESSING_VERBS.contains(&verb);
    (object || gap == "to").then(|| ctx.person(m)).flatten().filter(|&e| e != usize::MAX)
}

/// Nouns that describe a person of one gender: `the girl`, `his host`.
const PERSON_NOUNS: &[(&str, kulisy_model::Gender)] = {
    use kulisy_model::Gender::{Female as F, Male as M};
    &[
        ("man", M), ("gentleman", M), ("boy", M), ("lad", M), ("fellow", M), ("father", M), ("son", M), ("brother", M),
        ("uncle", M), ("husband", M), ("youth", M), ("king", M), ("prince", M), ("lord", M), ("host", M), ("clergyman", M),
        ("priest", M), ("grandfather", M), ("nephew", M), ("master", M), ("squire", M), ("colonel", M), ("captain", M),
        ("woman", F), ("lady", F), ("girl", F), ("mother", F), ("daughter", F), ("sister", F), ("aunt", F), ("wife", F),
        ("widow", F), ("maid", F), ("queen", F), ("princess", F), ("hostess", F), ("governess", F), ("grandmother", F),
        ("niece", F), ("mistress", F), ("housekeeper", F),
    ]
};

/// Kin who share a family name: `said her mother`. A mother or a wife
/// goes by `Mrs.` and the family name, a father or a husband by `Mr.`.
const KIN: &[&str] = &["mother", "father", "wife", "husband", "brother", "sister", "son", "daughter"];

/// A speaker described by a relation (`said his wife`): the relation, and
/// the gender of the one it is a relation of (`his`: a man's).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Kin {
    relation: &'static str,
    of: Option<kulisy_model::Gender>,
}

/// For a possessive word (`his`, `her`, `their`, `my`), the gender it
/// tells of the possessor, where it tells one.
fn possessor(w: &str) -> Option<Option<kulisy_model::Gender>> {
    match w {
        "his" => Some(Some(kulisy_model::Gender::Male)),
        "her" => Some(Some(kulisy_model::Gender::Female)),
        "their" | "my" => Some(None),
        _ => None,
    }
}

/// `noun` as a relation (`mother`, [`KIN`]) of someone of gender `of`.
fn kin_as(noun: &str, of: Option<kulisy_model::Gender>) -> Option<Kin> {
    KIN.iter().find(|k| **k == noun).map(|&relation| Kin { relation, of })
}

/// The title a relation goes by (`Mrs.` for a mother or a wife, `Mr.` for
/// a father or a husband) and the gender it tells; none for the others.
fn kin_title(kin: &str) -> Option<(&'static str, kulisy_model::Gender)> {
    match kin {
        "mother" | "wife" => Some(("Mrs. ", kulisy_model::Gender::Female)),
        "father" | "husband" => Some(("Mr. ", kulisy_model::Gender::Male)),
        _ => None,
    }
}

/// The family names `e` goes by after `title` (`Mrs. Bennet`: `Bennet`).
fn titled_family<'c>(ctx: &'c Ctx<'_>, e: usize, title: &str) -> Vec<&'c str> {
    let ent = &ctx.cast.entities[e];
    std::iter::once(&ent.name).chain(&ent.aliases).filter_map(|n| n.strip_prefix(title)).filter(|r| !r.contains(' ')).collect()
}

/// Whether `e` may be the `kin` of someone else among `others`: they share
/// a family name (the last word of a name of two words or more).
fn kin_of(ctx: &Ctx<'_>, e: usize, others: &[usize], kin: &str) -> bool {
    let mine: Vec<&str> = match kin_title(kin) {
        Some((t, _)) => titled_family(ctx, e, t),
        None => family_names(ctx, e),
    };
    !mine.is_empty() && others.iter().any(|&o| o != e && family_names(ctx, o).iter().any(|f| mine.contains(f)))
}

/// Whether `e` goes by the title and family name (`Mrs. Bennet`) that make
/// it the `kin` (a mother or wife, a father or husband) of one of `others`,
/// one of whose names ends in that family name (`Mr. Bennet`, `Jane
/// Bennet`, `Miss Dashwood` for Elinor).
fn titled_kin_of(ctx: &Ctx<'_>, e: usize, others: &[usize], kin: &str) -> bool {
    let Some((title, gender)) = kin_title(kin) else { return false };
    if ctx.cast.entities[e].gender.is_some_and(|g| g != gender) {
        return false;
    }
    let mine = titled_family(ctx, e, title);
    !mine.is_empty() && others.iter().any(|&o| o != e && family_names(ctx, o).iter().any(|f| mine.contains(f)))
}

/// The family names a person goes by: the last word of each of its names
/// of two words or more (`Jane Bennet`, `Miss Dashwood`).
fn family_names<'c>(ctx: &'c Ctx<'_>, x: usize) -> Vec<&'c str> {
    let ent = &ctx.cast.entities[x];
    std::iter::once(&ent.name).chain(&ent.aliases).filter_map(|n| {
        let ws: Vec<&str> = n.split_whitespace().collect();
        (ws.len() >= 2).then(|| ws[ws.len() - 1]).filter(|w| w.starts_with(char::is_uppercase))
    }).collect()
}

/// Words that open a description of a person.
const DETERMINERS: &[&str] = &["the", "a", "an", "his", "her", "their", "my", "our", "your", "this", "that"];

fn person_noun(w: &str) -> Option<kulisy_model::Gender> {
    PERSON_NOUNS.iter().find(|(n, _)| *n == w).map(|&(_, g)| g)
}

/// `the old man` just after a speech verb: its gender.
fn described_after(ws: &[Word<'_>]) -> Option<kulisy_model::Gender> {
    let first = ws.first()?;
    if !DETERMINERS.contains(&first.s) {
        return None;
    }
    for w in ws.iter().skip(1).take(3) {
        if !w.s.chars().all(|c| c.is_lowercase() || c == '-') || PREPOSITIONS.contains(&w.s) {
            return None;
        }
        if let Some(g) = person_noun(w.s) {
            return Some(g);
        }
    }
    None
}

/// `the old man` just before a speech verb (`the old man answered`): its gender.
fn described_before(ws: &[Word<'_>]) -> Option<kulisy_model::Gender> {
    let noun = ws.last()?;
    let g = person_noun(noun.s)?;
    ws.iter().rev().skip(1).take(3).any(|w| DETERMINERS.contains(&w.s)).then_some(g)
}

fn is_possessive(text: &str, s: Span) -> bool {
    let rest = &text[s.end.min(text.len())..];
    rest.starts_with("’s") || rest.starts_with("'s") || rest.starts_with('’') && s.text(text).ends_with('s')
}

/// Nouns for words said, after `was his`: `was his reply`.
const SPEECH_NOUNS: &[&str] = &[
    "reply", "answer", "explanation", "remark", "comment", "response", "rejoinder", "observation", "exclamation", "cry", "question",
    "retort", "greeting", "conclusion", "inquiry", "enquiry", "suggestion", "objection", "protest", "advice", "excuse", "salutation",
];

/// `“...,” was Mahmoud Ali’s explanation.`, `“...,” was his only reply`:
/// the words are the possessor's, when `region` opens so.
fn reply_of(ctx: &Ctx<'_>, region: Span) -> Option<Decision> {
    let t = region.text(ctx.text);
    let rest = t.trim_start().strip_prefix("was")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let at = region.end - rest.trim_start().len();
    if let Some(m) = ctx.mentions_in(Span::new(at, region.end)).first().filter(|m| m.span.start == at && m.kind == MentionKind::Name && is_possessive(ctx.text, m.span)) {
        return decide(ctx, m, 0.85, false);
    }
    // A pronoun's: the reply must be named within a few words.
    let ws = words(ctx.text, Span::new(at, region.end));
    if !ws.iter().skip(1).take(3).any(|w| SPEECH_NOUNS.contains(&w.s)) {
        return None;
    }
    let decision = |speaker: usize, pronoun: Option<kulisy_model::Gender>| Decision { speaker, pronoun, mention: None, confidence: 0.8, written: false, reporter: None, told: None, kin: None };
    match ws.first()?.s {
        "his" => Some(decision(usize::MAX, Some(kulisy_model::Gender::Male))),
        "her" => Some(decision(usize::MAX, Some(kulisy_model::Gender::Female))),
        "my" => ctx.cast.narrator.map(|me| decision(me, None)),
        _ => None,
    }
}

/// How far back narration is read for whom an answer answers, in bytes.
const LOOK_BACK_BYTES: usize = 1000;

/// Verbs of an answer: said to the one who spoke before.
const ANSWERING_VERBS: &[&str] = &["answered", "answers", "replied", "replies", "retorted", "rejoined"];

/// The last person `region`'s narration says spoke (`Bakayev insisted
/// that`, `When Kamenev declared that`), other than `speaker`: the subject
/// of a speech verb, outside quotations.
fn last_to_speak(ctx: &Ctx<'_>, region: Span, speaker: usize) -> Option<usize> {
    for sent in crate::sentences::sentences(ctx.text, region).iter().rev() {
        let ws = words(ctx.text, *sent);
        for k in (0..ws.len()).rev() {
            if ctx.quoted_at(ws[k].span.start) || speech_verb_at(&ws, k).is_none() {
                continue;
            }
            let ms: Vec<&Mention> = ctx
                .mentions_in(Span::new(sent.start, ws[k].span.start))
                .iter()
                .filter(|m| m.kind == MentionKind::Name && !ctx.quoted_at(m.span.start) && !is_possessive(ctx.text, m.span))
                .collect();
            if let Some(e) = subject_of(ctx, &ms).and_then(|m| ctx.person(m)).filter(|&e| e != speaker && e != usize::MAX) {
                return Some(e);
            }
        }
    }
    None
}

/// The first words of the narration that follows a quotation's first
/// piece: between its first two pieces, else after it.
fn words_after_first_piece<'t>(ctx: &Ctx<'t>, qi: usize) -> Vec<Word<'t>> {
    let q = &ctx.quotes[qi];
    let region = match q.pieces.windows(2).next() {
        Some(pair) => Span::new(pair[0].end, pair[1].start),
        None => ctx.after(qi),
    };
    words(ctx.text, Span::new(region.start, ctx.text.floor_char_boundary((region.start + 40).min(region.end))))
}

/// Whether the narration that follows a quotation's first words at once
/// tells an answer (`“...,” he replied`, `“...,” returned she`): its speaker
/// answers whom the words before were said to.
fn answer_cue(ctx: &Ctx<'_>, qi: usize) -> bool {
    words_after_first_piece(ctx, qi).iter().take(3).any(|w| ANSWERING_VERBS.contains(&w.s) || w.s == "returned")
}

/// Whether the narration that follows a quotation's first words at once
/// tells that the speaker goes on (`“...,” she went on`, `he continued`):
/// the voice of the words before speaks again.
fn going_on_cue(ctx: &Ctx<'_>, qi: usize) -> bool {
    let ws = words_after_first_piece(ctx, qi);
    tells_going_on(&ws[..ws.len().min(3)], &ws)
}

/// Whether the narration right before a quotation ends telling that its
/// speaker goes on (`for she went on quickly:`, `he continued,`).
fn goes_on_before(ctx: &Ctx<'_>, qi: usize) -> bool {
    let ws = words(ctx.text, clause_before(ctx, qi));
    let tail = &ws[ws.len().saturating_sub(4)..];
    tells_going_on(tail, tail)
}

/// Whether one of `ws` (a run at the start of `all`) is a verb of going on
/// (`continued`, `went on`).
fn tells_going_on(ws: &[Word<'_>], all: &[Word<'_>]) -> bool {
    ws.iter().enumerate().any(|(j, w)| GOING_ON_VERBS.contains(&w.s) || matches!(w.s, "went" | "goes") && all.get(j + 1).is_some_and(|n| n.s == "on"))
}

/// Verbs of going on speaking after a pause (`he repeated`).
const GOING_ON_VERBS: &[&str] = &["repeated", "repeats", "continued", "continues", "resumed", "resumes", "pursued", "pursues", "persisted", "persists", "proceeded", "proceeds"];

/// `“...,” said Kamenev.` and `“...,” he asked, “...”`.
/// A quotation mark or a space: what stands between words and the narration around them.
fn is_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’') || c.is_whitespace()
}

fn speech_verb_after(ctx: &Ctx<'_>, qi: usize) -> Option<Decision> {
    let q = &ctx.quotes[qi];
    // Narration between the pieces of one quotation comes first.
    for pair in q.pieces.windows(2) {
        let raw = Span::new(pair[0].end, pair[1].start);
        let t = raw.text(ctx.text);
        let lead = t.len() - t.trim_start_matches(is_mark).len();
        let gap = Span::new(raw.start + lead, raw.start + t.trim_end_matches(is_mark).len().max(lead));
        if let Some(d) = reply_of(ctx, gap).or_else(|| verb_and_subject_at_start(ctx, gap, 6)).or_else(|| inverted_tag(ctx, pair[0].end, gap)) {
            return Some(d);
        }
    }
    let after = ctx.after(qi);
    let t = after.text(ctx.text);
    let lead = t.trim_start();
    // The cue must follow at once: `, said`, `said`, `he said`, `Kamenev said`.
    if lead.is_empty() || lead.starts_with(['.', '\n']) && !lead.starts_with(',') {
        return None;
    }
    if t.len() - lead.len() > 3 || t.starts_with("\n\n") {
        return None;
    }
    if let Some(d) = reply_of(ctx, after) {
        return Some(d);
    }
    // Words closed by a full stop, then a sentence that leads into the next
    // words of the paragraph (`“... do give up that farce.” He replied in an
    // odd, sad voice, “I don't hate them”`): the cue is the next words'.
    let stopped = q.span.text(ctx.text).trim_end_matches(is_mark).ends_with('.');
    let next_in_paragraph = ctx.siblings(qi).any(|k| ctx.quotes[k].span.start == after.end);
    if stopped && next_in_paragraph && t.trim_end().ends_with([',', ':']) && lead.starts_with(char::is_uppercase) {
        return None;
    }
    let Some(d) = verb_and_subject_at_start(ctx, after, 5) else {
        return inverted_tag(ctx, q.pieces.last()?.end, after);
    };
    // A cue that starts a clause of its own (`“...,” and Pooh said “Oh!”`)
    // or comes late (`Helen recovered herself and laughed`) yields to a
    // verb that leads into the words (`Margaret laughed and said, “...”`).
    let ws = words(ctx.text, after);
    let late = ws.first().is_some_and(|w| matches!(w.s, "and" | "but" | "then" | "while" | "when" | "as" | "though" | "till" | "until"))
        || (0..ws.len().min(5)).find(|&k| speech_verb_at(&ws, k).is_some()).is_none_or(|k| k > 2);
    if late && verb_leads_in(ctx, qi) {
        return None;
    }
    Some(d)
}

/// `“I know,” flashed Helen, “but ...”`, `“Yes, indeed,” nodded Evie`:
/// words that end in a comma, `!` or `?`, then a verb in the past set
/// before a person's name. Narration inverts verb and subject this way
/// only to say who spoke, whatever the verb.
fn inverted_tag(ctx: &Ctx<'_>, words_end: usize, after: Span) -> Option<Decision> {
    if !ctx.text[..words_end].trim_end_matches(is_mark).ends_with([',', '!', '?']) {
        return None;
    }
    let ws = words(ctx.text, Span::new(after.start, ctx.text.floor_char_boundary((after.start + 80).min(after.end))));
    let verb = ws.first()?;
    let past = verb.s.len() > 3 && verb.s.ends_with("ed") && verb.s.chars().all(|c| c.is_lowercase());
    if !past || !ctx.text[after.start..verb.span.start].trim().is_empty() {
        return None;
    }
    let m = ctx.mentions_in(after).iter().find(|m| m.span.start > verb.span.end)?;
    let gap = &ctx.text[verb.span.end..m.span.start];
    if m.kind != MentionKind::Name || !gap.chars().all(|c| c == ' ' || c == '\n') {
        return None;
    }
    // The name ends the tag: a stop, a comma, a semicolon or a dash follows.
    if !ctx.text[m.span.end..].starts_with([',', '.', ';', '!', '-', '—', ' ', '\n']) {
        return None;
    }
    decide(ctx, m, 0.8, false)
}

/// Whether a speech verb leads into the quotation: among the last words
/// of the clause before it, which ends in a comma or a colon (`Hamidullah
/// murmured, “...”`, `said to her bitingly: “...”`).
fn verb_leads_in(ctx: &Ctx<'_>, qi: usize) -> bool {
    let clause = clause_before(ctx, qi);
    let t = clause.text(ctx.text);
    if !t.ends_with([',', ':']) {
        return false;
    }
    let ws = words(ctx.text, clause);
    let from = ws.len().saturating_sub(4);
    (from..ws.len()).any(|k| speech_verb_at(&ws, k).is_some())
}

/// The clause just before the quotation: back to the start of its sentence
/// (or the end of the previous quotation). A quotation opening its paragraph
/// takes the end of the previous paragraph when that ends in `,` or `:`
/// (`he had said at dinner,` then a new paragraph with the words).
fn clause_before(ctx: &Ctx<'_>, qi: usize) -> Span {
    let q = &ctx.quotes[qi];
    let mut before = ctx.before(qi);
    if before.text(ctx.text).trim().is_empty() && q.parent.is_none() && q.block > 0
        && let Some(prev) = ctx.doc.blocks.get(q.block - 1) {
            let t = prev.span.text(ctx.text).trim_end();
            if t.ends_with([',', ':', '—', '-']) && !ctx.quoted_at(prev.span.end.saturating_sub(2)) {
                before = Span::new(prev.span.start, prev.span.start + t.len());
                return sentence_tail(ctx, before);
            }
        }
    sentence_tail(ctx, before)
}

/// The part of `region` from the start of the sentence that contains its end.
fn sentence_tail(ctx: &Ctx<'_>, region: Span) -> Span {
    let t = region.text(ctx.text);
    let trimmed = t.trim_end();
    let end = region.start + trimmed.len();
    let start = crate::sentences::sentences(ctx.text, Span::new(region.start, end)).last().map_or(region.start, |s| s.start);
    Span::new(start, end)
}

/// `Bukharin replied, “...”`, `defined the situation as follows: “...”`.
fn speech_verb_before(ctx: &Ctx<'_>, qi: usize) -> Option<Decision> {
    let clause = clause_before(ctx, qi);
    let t = clause.text(ctx.text);
    let ws = words(ctx.text, clause);
    // `answered that there was no one to protest to, because “...”`: a
    // speech verb with a `that` complement runs on into the quotation.
    let reported = !t.ends_with(['.', '!', '?']) && ws.windows(2).any(|w| is_speech_verb(&w[0].s.to_lowercase()) && w[1].s == "that");
    // A dash may open the words as a colon does: `to say, with smiling interest--`.
    let dash = t.ends_with(['—', '-']);
    // `and timidly said “...”`, `said to the Knave “...”`: the verb, and at
    // most whom it is said to, stand right before the words.
    let bare = !t.ends_with(['.', '!', '?', ';']) && {
        let tail: Vec<&str> = ws.iter().rev().take(5).map(|w| w.s).collect();
        let at = |k: usize| tail.get(k).is_some_and(|w| is_speech_verb(&w.to_lowercase()) && !w.ends_with("ing"));
        at(0) || (1..tail.len()).any(|k| at(k) && tail[k - 1] == "to")
    };
    if !t.ends_with([',', ':']) && !dash && !bare && !t.ends_with("that") && !reported {
        return None;
    }
    let verb = (0..ws.len()).rev().find(|&k| speech_verb_at(&ws, k).is_some());
    let written = verb.is_some_and(|v| WRITING_VERBS.contains(&ws[v].s.to_lowercase().as_str()));
    let limit = verb.map_or(clause.end, |v| ws[v].span.start);
    if verb.is_none() && !t.ends_with(':') {
        return None;
    }
    let ms: Vec<&Mention> = ctx.mentions_in(Span::new(clause.start, limit)).iter().filter(|m| ctx.person(m).is_some() && !is_possessive(ctx.text, m.span)).collect();
    let m = subject_of(ctx, &ms);
    // `Elinor could not remember it; but her mother, without waiting for
    // her assent, continued,`: a person described after the last one named
    // opens a clause of their own and is its subject.
    if let Some((g, kin)) = described_subject(ctx.text, &ws, m.map_or(clause.start, |m| set_off_before_verb(ctx, m).unwrap_or(m.span.end)), limit) {
        return Some(Decision { speaker: usize::MAX, pronoun: Some(g), mention: None, confidence: 0.8, written, reporter: None, told: None, kin });
    }
    let m = m?;
    let mut d = decide(ctx, m, if verb.is_some() { 0.85 } else { 0.7 }, written)?;
    // `Bill asked Cohn, “...”`, `said to her sister: “...”`.
    if let Some(v) = verb.filter(|&v| ws[v].span.start >= m.span.end)
        && let Some(end) = speech_verb_at(&ws, v)
    {
        let objects: Vec<&Mention> = ctx.mentions_in(Span::new(end, clause.end)).iter().collect();
        d.told = told_after(ctx, &objects, &ws[v].s.to_lowercase(), end);
        // `Bakayev insisted that ... . Zinoviev answered that`: an answer
        // goes to whoever the paragraph last said spoke.
        if d.told.is_none() && ANSWERING_VERBS.contains(&ws[v].s.to_lowercase().as_str()) {
            // Within the paragraph, and no further back than a few sentences.
            let own = ctx.doc.blocks.get(ctx.quotes[qi].block).map_or(clause.start, |b| b.span.start);
            let from = own.min(m.span.start).max(ctx.text.floor_char_boundary(m.span.start.saturating_sub(LOOK_BACK_BYTES)));
            d.told = last_to_speak(ctx, Span::new(from, m.span.start), d.speaker);
        }
    }
    // An earlier speech verb with its own subject reports this speech:
    // `Ordzhonikidze told them ... that Voroshilov had said:`.
    let earlier = ws.iter().position(|w| is_speech_verb(&w.s.to_lowercase()) && w.span.end <= m.span.start);
    let that_before = ctx.text[clause.start..m.span.start].trim_end().ends_with("that");
    if let Some(v) = earlier.filter(|_| that_before) {
        let subject = ctx.mentions_in(Span::new(clause.start, ws[v].span.start)).iter().rev().find(|x| x.kind == MentionKind::Name && !is_possessive(ctx.text, x.span)).and_then(|x| ctx.person(x));
        d.reporter = subject.filter(|&r| r != d.speaker && r != usize::MAX);
    }
    Some(d)
}

/// Words after which a new clause, with a subject of its own, begins.
const CLAUSE_OPENERS: &[&str] = &["and", "but", "while", "whilst", "when", "then", "till", "until", "though", "although", "yet", "so"];

/// A person described by a noun (`her mother`, `the old gentleman`) who
/// opens a clause among the words from `from` to `limit`: after a clause's
/// start, a comma or [`CLAUSE_OPENERS`], never after a verb or a
/// preposition (`turned to his son, saying`). Its gender and, for kin,
/// the relation and whose.
fn described_subject(text: &str, ws: &[Word<'_>], from: usize, limit: usize) -> Option<(kulisy_model::Gender, Option<Kin>)> {
    let first = ws.iter().position(|w| w.span.start >= from)?;
    (first..ws.len()).take_while(|&k| ws[k].span.end <= limit).find_map(|k| {
        let lower = ws[k].s.to_lowercase();
        let owner = possessor(&lower);
        if owner.is_none() && lower != "the" {
            return None;
        }
        let opens = k == 0 || CLAUSE_OPENERS.contains(&ws[k - 1].s) || text[ws[k - 1].span.end..ws[k].span.start].contains([',', ';', ':', '—', '-', '(']);
        if !opens {
            return None;
        }
        let noun = (k + 1..(k + 4).min(ws.len())).find(|&j| person_noun(ws[j].s).is_some())?;
        if ws[k + 1..noun].iter().any(|w| !w.s.chars().all(|c| c.is_lowercase() || c == '-') || PREPOSITIONS.contains(&w.s)) {
            return None;
        }
        let g = person_noun(ws[noun].s)?;
        Some((g, owner.and_then(|of| kin_as(ws[noun].s, of))))
    })
}

/// The subject among the persons named before a verb: the last one,
/// passing over those named as objects (`turned to Fanny, and ... said`,
/// `noticed Alice, and called out`), but not one a relative clause follows
/// (`met by Mr. Allen, who ... said`) or one before an infinitive (`for
/// Frank Churchill to draw near her and say`).
fn subject_of<'m>(ctx: &Ctx<'_>, ms: &[&'m Mention]) -> Option<&'m Mention> {
    let word_before = |m: &Mention| ctx.text[..m.span.start].trim_end().rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    let subject = |m: &Mention| {
        let rest = ctx.text[m.span.end..].trim_start_matches([',', ' ', '\n']);
        rest.strip_prefix("who").is_some_and(|r| r.starts_with([' ', ',', '\n'])) || (word_before(m) == "for" && rest.starts_with("to "))
    };
    // `Miss Crawford, who had been eyeing Dr. Grant and Edmund, now
    // observed`: the persons of a relative clause are not the subject.
    // The clause goes on past a comma with `and` and a verb of the same
    // subject (`who had heard it all, and borne Edmund company ..., now
    // ventured`).
    let clause_end = |m: &Mention| {
        // A clause of a few lines at most: the look ahead stays bounded.
        let rest = &ctx.text[m.span.end..ctx.text.floor_char_boundary(m.span.end + 300)];
        let lead = rest.len() - rest.trim_start_matches([',', ' ', '\n']).len();
        let body = rest[lead..].strip_prefix("who ")?;
        let mut end = body.find(',')?;
        while let Some(next) = body[end + 1..].trim_start().strip_prefix("and ")
            && next.split_whitespace().next().is_some_and(|w| w.chars().all(|c| c.is_lowercase()) && !DETERMINERS.contains(&w) && !PRONOUNS_SUBJECT.contains(&w))
            && let Some(more) = body[end + 1..].find(',')
        {
            end += 1 + more;
        }
        Some(m.span.end + lead + 4 + end)
    };
    if let Some(m) = ms.iter().find(|m| clause_end(m).is_some_and(|end| ms.iter().all(|x| x.span.start <= m.span.start || x.span.end <= end))) {
        return Some(m);
    }
    // `Mr. Crawford, approaching Julia, said`, `Miss Bartlett, under the
    // impression that she was snubbing George, added`: the persons of a
    // phrase set off by commas between a name and its verb are not the
    // subject.
    if let Some(m) = ms.iter().find(|m| set_off_before_verb(ctx, m).is_some_and(|end| ms.iter().all(|x| x.span.start <= m.span.start || x.span.end <= end))) {
        return Some(m);
    }
    // `for the White Rabbit cried out`: a person right before a verb of
    // speech (or an adverb and one) is its subject, whatever stands before.
    let verb_next = |m: &Mention| {
        let rest = &ctx.text[m.span.end..ctx.text.floor_char_boundary(m.span.end + 40)];
        let mut ws = rest.split_whitespace();
        let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_lowercase());
        // `she went on`, `he broke in`: a verb with its particle.
        let particle = |w: &str, next: Option<&str>| next.is_some_and(|p| PARTICLE_VERBS.contains(&(w, p.trim_end_matches(|c: char| !c.is_alphabetic()))));
        let verb = |w: &str, ws: &mut std::str::SplitWhitespace<'_>| word(w) && (is_speech_verb(w) || particle(w, ws.clone().next()));
        rest.starts_with([' ', '\n']) && ws.next().is_some_and(|w| verb(w, &mut ws) || w.ends_with("ly") && ws.next().is_some_and(|v| verb(v, &mut ws)))
    };
    if let Some(m) = ms.last().filter(|m| verb_next(m)) {
        return Some(m);
    }
    // Nor is the subject of a clause the verb takes as its object (`saw
    // what he was doing, and ... said`).
    let in_object_clause = |m: &Mention| matches!(word_before(m), "what" | "how" | "whether" | "why");
    // Nor the subject of a clause that tells when or why (`waited until she
    // had done, and then said`).
    let in_adverbial_clause = |m: &Mention| matches!(word_before(m).to_lowercase().as_str(), "until" | "till" | "while" | "whilst" | "because" | "though" | "although" | "unless" | "if" | "as") && own_verb_after(ctx.text, m.span.end);
    ms.iter().rev().find(|m| subject(m) || !after_preposition(ctx.text, m.span.start) && !after_verb(ctx.text, m.span.start) && !in_object_clause(m) && !in_adverbial_clause(m)).or(ms.last()).copied()
}

/// Verbs that stand before another (`had done`) or for a clause's verb
/// (`for Colonel Brandon did come in`).
const AUXILIARIES: &[&str] = &["was", "were", "had", "did", "could", "would", "should", "is", "has", "will", "might", "must", "may", "can"];

/// Whether a verb other than one of speech follows the words ending at
/// `end` at once (`she had done`, `Darcy came`): a clause of their own.
fn own_verb_after(text: &str, end: usize) -> bool {
    let rest = &text[end..text.floor_char_boundary(end + 40)];
    if !rest.starts_with([' ', '\n']) {
        return false;
    }
    let mut ws = rest.split_whitespace().map(|w| w.trim_end_matches(|c: char| !c.is_alphabetic()));
    let Some(first) = ws.next() else { return false };
    let past = |w: &str| w.chars().all(|c| c.is_lowercase()) && !is_speech_verb(w) && (w.len() > 3 && w.ends_with("ed") || matches!(w, "came" | "went" | "saw" | "took" | "made" | "gave" | "got" | "knew" | "felt" | "sat" | "stood" | "left" | "heard" | "found" | "done" | "gone" | "come" | "seen"));
    if AUXILIARIES.contains(&first) {
        let next = ws.next().filter(|w| *w != "not").or_else(|| ws.next());
        return next.is_some_and(|w| past(w) || matches!(w, "been" | "be"));
    }
    past(first)
}

/// After a name, a phrase set off by commas that opens with a participle or
/// a preposition and ends right before a verb of speech (`, approaching
/// Julia, said`, `, embracing Catherine, thus began`): where the phrase ends.
fn set_off_before_verb(ctx: &Ctx<'_>, m: &Mention) -> Option<usize> {
    // A phrase of a line or two: the look ahead stays bounded.
    let rest = &ctx.text[m.span.end..ctx.text.floor_char_boundary(m.span.end + 200)];
    let body = rest.strip_prefix(",")?;
    let lead = 1 + body.len() - body.trim_start().len();
    let body = body.trim_start();
    let first = body.split(|c: char| !c.is_alphabetic()).next()?;
    let opens = first.chars().all(|c| c.is_lowercase()) && first.len() > 3 && (first.ends_with("ing") || first.ends_with("ed"))
        || (PREPOSITIONS.contains(&first) || matches!(first, "under" | "without" | "despite" | "during" | "through" | "amid" | "like")) && first != "to" && first != "of";
    if !opens || is_speech_verb(first) {
        return None;
    }
    let close = body.find(',')?;
    let mut after = body[close + 1..].split_whitespace();
    let mut w = after.next()?;
    // An adverb may stand before the verb: `thus began`, `quietly said`.
    if matches!(w, "thus" | "then" | "now" | "at" | "also") || w.ends_with("ly") {
        w = after.next()?;
    }
    let w = w.trim_end_matches(|c: char| !c.is_alphabetic());
    is_speech_verb(w).then_some(m.span.end + lead + close)
}

/// Pronouns that stand as subjects.
const PRONOUNS_SUBJECT: &[&str] = &["he", "she", "they", "i", "we", "you", "it"];

/// Nouns of unnamed voices: `These words were met with cries: “...”`.
const VOICES: &[&str] = &["cries", "shouts", "voices", "exclamations", "murmurs", "chorus", "shouting", "interruptions", "heckling"];

/// `were met with cries:`: unnamed voices speak.
fn collective_voices(ctx: &Ctx<'_>, qi: usize) -> Option<Decision> {
    let clause = clause_before(ctx, qi);
    let t = clause.text(ctx.text);
    if !t.ends_with([':', ',']) {
        return None;
    }
    let ws = words(ctx.text, clause);
    let last_words = &ws[ws.len().saturating_sub(4)..];
    last_words.iter().any(|w| VOICES.contains(&w.s.to_lowercase().as_str())).then_some(Decision {
        speaker: usize::MAX,
        pronoun: None,
        mention: None,
        confidence: 0.7,
        written: false,
        reporter: None,
        told: None,
        kin: None,
    })
}

/// `Pyatakov answered that he believed one cannot oppose Stalin. “...”`
fn speech_verb_sentence(ctx: &Ctx<'_>, qi: usize) -> Option<Decision> {
    let before = ctx.before(qi);
    let t = before.text(ctx.text).trim_end();
    if t.is_empty() || !t.ends_with(['.', '!', '?']) {
        return None;
    }
    let sentence = sentence_tail(ctx, before);
    let ws = words(ctx.text, sentence);
    let verb = ws.iter().position(|w| is_speech_verb(&w.s.to_lowercase()) && w.s != "thought")?;
    let ms: Vec<&Mention> = ctx.mentions_in(Span::new(sentence.start, ws[verb].span.start)).iter().filter(|m| ctx.person(m).is_some() && !is_possessive(ctx.text, m.span)).collect();
    let m = subject_of(ctx, &ms)?;
    let written = WRITING_VERBS.contains(&ws[verb].s.to_lowercase().as_str());
    decide(ctx, m, 0.6, written)
}

/// The person named at the start of the sentence right before the
/// quotation's words in its paragraph, else the first person named in the
/// narration of that paragraph.
fn paragraph_subject(ctx: &Ctx<'_>, qi: usize) -> Option<Decision> {
    let q = &ctx.quotes[qi];
    if q.parent.is_some() {
        return None;
    }
    let block = ctx.doc.blocks.get(q.block)?.span;
    // The narration of the paragraph, leaving out the reporter's asides.
    let in_aside = |m: &Mention| {
        let k = ctx.asides.partition_point(|a| a.start <= m.span.start);
        k.checked_sub(1).and_then(|k| ctx.asides.get(k)).is_some_and(|a| a.contains(m.span))
    };
    let eligible = |m: &&Mention| {
        !in_aside(m) && !ctx.quoted_at(m.span.start) && ctx.person(m).is_some() && !is_possessive(ctx.text, m.span) && !after_preposition(ctx.text, m.span.start)
    };
    // `Mr. Rushworth could be silent no longer. “I do not say ...”`: the
    // person a sentence right before the words opens with.
    let lead = Span::new(block.start, q.span.start.max(block.start));
    if !lead.text(ctx.text).trim().is_empty() && ctx.in_block(q.block).all(|k| ctx.quotes[k].span.start >= q.span.start)
        && let Some(last) = crate::sentences::sentences(ctx.text, lead).last()
        && last.text(ctx.text).trim_end().ends_with(['.', '!', '?'])
        && let Some(m) = ctx.mentions_in(*last).iter().find(|m| ctx.text[last.start..m.span.start].trim().is_empty()).filter(eligible)
        && m.kind == MentionKind::Name {
        return decide(ctx, m, 0.5, false);
    }
    let m = ctx.mentions_in(block).iter().find(eligible)?;
    decide(ctx, m, 0.5, false)
}

/// For a quotation (not nested) that opens its paragraph: the paragraph
/// before it.
fn block_before_opening(ctx: &Ctx<'_>, qi: usize) -> Option<usize> {
    let q = &ctx.quotes[qi];
    let own = ctx.doc.blocks.get(q.block)?;
    if q.parent.is_some() || ctx.text.get(own.span.start..q.span.start).is_some_and(|t| !t.trim().is_empty()) {
        return None;
    }
    q.block.checked_sub(1)
}

/// For a quotation that opens its paragraph right after a paragraph of
/// narration alone: that narration's last sentence.
fn narration_just_before(ctx: &Ctx<'_>, qi: usize) -> Option<Span> {
    let prev_block = block_before_opening(ctx, qi)?;
    if ctx.in_block(prev_block).next().is_some() {
        return None;
    }
    let prev = ctx.doc.blocks.get(prev_block)?.span;
    crate::sentences::sentences(ctx.text, prev).last().copied()
}

/// For a quotation after a paragraph of narration that ends saying someone
/// kept silent (`He made no answer.`, `She was silent.`, `Mr. Darcy
/// remained silent.`): that person, named or the `he` or `she` resolved.
fn silent_before(ctx: &Ctx<'_>, qi: usize) -> Option<usize> {
    let last = narration_just_before(ctx, qi)?;
    let ws = words(ctx.text, last);
    let m = ctx.mentions_in(last).first().filter(|m| ws.first().is_some_and(|w| w.span.start == m.span.start))?;
    let e = ctx.person(m).filter(|&e| e != usize::MAX)?;
    let rest: Vec<&str> = ws.iter().filter(|w| w.span.start >= m.span.end).map(|w| w.s).collect();
    let said = match rest.as_slice() {
        ["was" | "remained" | "kept" | "fell", "silent", ..] | ["said" | "answered", "nothing", ..] => 2,
        ["made" | "gave" | "returned", "no", "answer" | "reply" | "response", ..] | ["did", "not", "answer" | "reply" | "speak" | "respond", ..] => 3,
        _ => return None,
    };
    // Not a silence the sentence goes on to end (`was silent for a
    // moment, and then changed the subject`).
    let after = &rest[said..];
    (after.len() <= 2 && !after.iter().any(|w| matches!(*w, "then" | "and" | "but" | "until" | "till" | "before" | "while"))).then_some(e)
}

/// The gender of `He` or `She` opening the narration just before a
/// quotation ([`narration_just_before`]).
fn narration_pronoun_before(ctx: &Ctx<'_>, qi: usize) -> Option<kulisy_model::Gender> {
    match narration_just_before(ctx, qi)?.text(ctx.text).split_whitespace().next()? {
        "He" => Some(kulisy_model::Gender::Male),
        "She" => Some(kulisy_model::Gender::Female),
        _ => None,
    }
}

/// The person named first in the narration just before a quotation
/// ([`narration_just_before`]): `Mr. Knightley rose and went to the
/// window.` then `“It is raining.”`.
fn narration_subject_before(ctx: &Ctx<'_>, qi: usize) -> Option<usize> {
    let last = narration_just_before(ctx, qi)?;
    let m = ctx.mentions_in(last).iter().find(|m| m.kind == MentionKind::Name && !is_possessive(ctx.text, m.span) && !after_preposition(ctx.text, m.span.start))?;
    ctx.person(m).filter(|&e| e != usize::MAX)
}

/// Speech verbs that, without words of their own, tell of a face or a
/// thought rather than of speaking.
const FACE_VERBS: &[&str] = &["thought", "smiled", "laughed", "sighed", "grinned", "beamed", "yawned", "chuckled", "sniffed", "groaned", "gasped", "sobbed", "wondered", "reflected", "mused", "recalled"];

/// What the narration ending the paragraph before a quotation says of a
/// person's speech.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Voice {
    /// Begins or goes on speaking: the words that follow are that person's
    /// (`Mrs. Norris began scolding.`, `Ralph thought, and then remarked:`).
    Speaks,
    /// Spoke, and the narration tells what was said (`Fanny explained.`,
    /// `Philip assented.`): the words that follow answer it.
    Spoke,
    /// Said nothing (`Mr. Bennet made no answer.`, `Cohn said nothing.`).
    Silent,
}

/// Verbs that, closing a sentence with a full stop, tell that someone
/// begins or goes on speaking rather than what was said.
const OPENING_VERBS: &[&str] = &["began", "begins", "continued", "continues", "resumed", "proceeded", "pursued", "went", "goes", "broke", "breaks", "interrupted", "interrupts", "intervened", "interposed", "stammered"];

/// Whether a word denies what its sentence says (`not`, `no`, `nothing`,
/// `didn't`, or `didn t` where a text lost its apostrophes).
fn denies(ws: &[Word<'_>], k: usize) -> bool {
    let w = ws[k].s;
    matches!(w, "not" | "no" | "nothing" | "never" | "nor" | "neither" | "none")
        || w.ends_with("n't")
        || w.ends_with("n\u{2019}t")
        || w == "t" && k > 0 && ws[k - 1].s.ends_with('n')
}

/// For a quotation that opens its paragraph: the person whose speech the
/// narration ending the paragraph before tells of, after its last
/// quotation if it has any, and what it tells ([`Voice`]): `Mrs. Norris
/// began scolding.`, `Tom Bertram began again`, `Fanny explained.`.
fn narrated_voice(ctx: &Ctx<'_>, qi: usize) -> Option<(usize, Voice)> {
    let prev_block = block_before_opening(ctx, qi)?;
    let prev = ctx.doc.blocks.get(prev_block)?.span;
    let mut last = *crate::sentences::sentences(ctx.text, prev).last()?;
    // The narration after the paragraph's last quotation (`“...”--A short
    // pause followed, and Mrs. Hurst began again.`).
    if let Some(end) = ctx.in_block(prev_block).map(|k| ctx.quotes[k].span.end).filter(|&e| e > last.start).max() {
        last = Span::new(end.min(last.end), last.end);
    }
    let ws = words(ctx.text, last);
    // The verb ends the sentence or nearly (`began again`, `began
    // scolding`): what it reports follows. One with its own words (`asked
    // what they had told her`) reported them already; a smile or a laugh
    // tells only of a face (`Mrs. Wilcox smiled.`).
    let k = (0..ws.len()).rev().find(|&k| speech_verb_at(&ws, k).is_some())?;
    let tail = ws.len() - k - 1;
    if tail > 2
        || FACE_VERBS.contains(&ws[k].s)
        || ws[k + 1..].iter().any(|w| w.s == "to" || w.s == "that")
        || k.checked_sub(1).is_some_and(|j| ws[j].s == "to")
    {
        return None;
    }
    let ms: Vec<&Mention> =
        ctx.mentions_in(Span::new(last.start, ws[k].span.start)).iter().filter(|m| m.kind == MentionKind::Name && m.span.end <= ws[k].span.start && ctx.person(m).is_some() && !is_possessive(ctx.text, m.span)).collect();
    let m = subject_of(ctx, &ms)?;
    // Not the tag of the paragraph's own words (`“...” Miss Bartlett asked.`).
    let tagged = ctx.text[last.start..m.span.start].trim().is_empty()
        && ctx.in_block(prev_block).filter_map(|k| ctx.text.get(ctx.quotes[k].span.end..last.start)).any(|gap| gap.trim().is_empty());
    // `Mrs. Sparsit ... but what they said was this:`: another subject.
    if tagged || ctx.text[m.span.end..ws[k].span.start].split(|c: char| !c.is_alphabetic()).any(|w| matches!(w, "he" | "she" | "they" | "I" | "we" | "it" | "who" | "which")) {
        return None;
    }
    let e = ctx.person(m).filter(|&e| e != usize::MAX)?;
    // The verb denied (`did not answer`, `made no answer`, `said
    // nothing`): silence; not a denial of something else (`whether stated
    // or not`, `at no loss for an answer`).
    let subject_end = ws.iter().position(|w| w.span.start >= m.span.end).unwrap_or(ws.len());
    let denied = (subject_end..=(k + 1).min(ws.len() - 1)).any(|j| denies(&ws, j) && !ws[j.min(k)..k].iter().any(|w| PREPOSITIONS.contains(&w.s)));
    if denied {
        return Some((e, Voice::Silent));
    }
    // A sentence closed by a colon, a comma or a dash leads into the words;
    // one closed by a stop told them, unless its verb opens or goes on, or
    // tells of coming back to someone (`Poirot rejoined me.`).
    let closed = ctx.text[ws[ws.len() - 1].span.end..last.end].trim();
    let leads_in = closed.is_empty() || closed.starts_with([':', ',', ';', '-', '\u{2014}', '\u{2013}']);
    let verb = ws[k].s.to_lowercase();
    let came_back = matches!(verb.as_str(), "rejoined" | "returned") && tail > 0;
    // `interrupted him with a reply ..., whether stated or not`: any verb
    // of the subject's that opens.
    let opens = (subject_end..=k).any(|j| speech_verb_at(&ws, j).is_some() && OPENING_VERBS.contains(&ws[j].s.to_lowercase().as_str()));
    let voice = if leads_in || came_back || opens { Voice::Speaks } else { Voice::Spoke };
    Some((e, voice))
}

type LocalSieve = fn(&Ctx<'_>, usize) -> Option<Decision>;

const LOCAL: &[(&str, LocalSieve)] = &[
    ("dialogue-label", dialogue_label),
    ("collective-voices", collective_voices),
    ("speech-verb-after", speech_verb_after),
    ("speech-verb-before", speech_verb_before),
    ("speech-verb-sentence", speech_verb_sentence),
    ("paragraph-subject", paragraph_subject),
];

/// Marks that set a name in address off from the words after it.
const ADDRESS_END: [char; 7] = [',', '!', '?', '.', ';', '—', '-'];

/// Names used in address inside a quotation: `Look at my shoes, Mr. Knightley.`
fn vocatives(ctx: &Ctx<'_>, q: &Quotation) -> Vec<usize> {
    vocatives_in(ctx, q, &q.pieces)
}

/// [`vocatives`] within `pieces` of the quotation `q`'s words.
fn vocatives_in(ctx: &Ctx<'_>, q: &Quotation, pieces: &[Span]) -> Vec<usize> {
    let mut out = Vec::new();
    for piece in pieces {
        for m in ctx.mentions_in(*piece) {
            if m.kind != MentionKind::Name || m.span.end > piece.end {
                continue;
            }
            // `Dear Lizzy!`, `My dear Mr. Bennet, ...`: the words of
            // endearment before a name belong to the address.
            let mut before = ctx.text[piece.start..m.span.start].trim_end();
            for word in [&["dear", "dearest"][..], &["my"][..]] {
                let last = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
                if !last.is_empty() && word.contains(&last.to_lowercase().as_str()) {
                    before = before[..before.len() - last.len()].trim_end();
                }
            }
            let mut after = ctx.text[m.span.end..piece.end].trim_start();
            // `Thank you, Evie dear.`: a word of endearment after the name too.
            for w in ["dear", "dearest", "darling", "love"] {
                if let Some(rest) = after.strip_prefix(w)
                    && rest.starts_with(ADDRESS_END) {
                        after = rest;
                    }
            }
            let set_off = (before.is_empty() || before.ends_with([',', '!', '?', '.', '—', '-'])) && (after.is_empty() || after.starts_with(ADDRESS_END));
            // A name in a list (`Rykov, Bukharin, Stalin`) is not an address.
            let listed = ctx
                .mentions_in(Span::new(m.span.start.saturating_sub(60).max(piece.start), (m.span.end + 5).min(piece.end)))
                .iter()
                .any(|o| o.kind == MentionKind::Name && o.span != m.span && o.span.end + 5 >= m.span.start && o.span.start <= m.span.end + 5);
            let in_parens = before.ends_with('(') || before.rfind('(').is_some_and(|o| !before[o..].contains(')'));
            // A form of address (`Sir`, `Madam`, `Mother`) is said to many:
            // it tells whom only for a person known by more than that
            // (`Colonel` for Colonel Brandon), not for one known by it alone.
            let address_only = |n: &str| n.split_whitespace().all(|w| crate::cast::TITLES.contains(&w));
            if let Some(ent) = m.entity.and_then(|e| ctx.cast.entities.get(e))
                && address_only(&ent.name)
                && ent.aliases.iter().all(|a| address_only(a))
            {
                continue;
            }
            // The reporter's interpolations are not the speaker's words.
            if set_off && !listed && !in_parens && !interpolated(ctx, q, m.span)
                && let Some(e) = ctx.person(m)
                    && !out.contains(&e) {
                        out.push(e);
                    }
        }
    }
    out
}

/// Whom a quotation addresses by name in its first sentence (up to its
/// first question mark, exclamation mark, semicolon or full stop).
fn opening_vocatives(ctx: &Ctx<'_>, q: &Quotation) -> Vec<usize> {
    let Some(p) = q.pieces.first() else { return Vec::new() };
    let text = p.text(ctx.text);
    // A full stop after a capital is a title's (`Mrs. Bennet`), not a sentence's.
    let stop = text.char_indices().find(|&(i, c)| matches!(c, '?' | '!' | ';') || c == '.' && text[..i].ends_with(char::is_lowercase)).map(|(i, c)| i + c.len_utf8());
    let mut end = stop.map_or(p.end, |i| p.start + i);
    // Not through the middle of a name.
    end = ctx.mentions_in(Span::new(p.start, end)).iter().map(|m| m.span.end).fold(end, usize::max).min(p.end);
    vocatives_in(ctx, q, &[Span::new(p.start, end)])
}

/// Whom the words of `quotes` address, and then whom they speak of by name,
/// unless they name their speaker as that person (`I am Katharine
/// Hilbery`), each once: persons who are not the speaker of those words.
fn addressed_or_spoken_of(ctx: &Ctx<'_>, quotes: impl Iterator<Item = usize> + Clone) -> Vec<usize> {
    let mut out = persons_of(quotes.clone(), |k| vocatives(ctx, &ctx.quotes[k]));
    let me = quotes.clone().find_map(|k| named_self(ctx, &ctx.quotes[k]));
    for e in persons_of(quotes, |k| named_inside(ctx, &ctx.quotes[k])) {
        if Some(e) != me && !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

/// The persons `of` gives for each of `quotes`, each once, in order.
fn persons_of(quotes: impl Iterator<Item = usize>, of: impl Fn(usize) -> Vec<usize>) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for k in quotes {
        for e in of(k) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// Words of address that tell the gender of the one spoken to.
const ADDRESS_TERMS: &[(&str, kulisy_model::Gender)] = {
    use kulisy_model::Gender::{Female as F, Male as M};
    &[
        ("sir", M), ("papa", M), ("father", M), ("brother", M), ("uncle", M), ("my dear fellow", M), ("my dear boy", M),
        ("my boy", M), ("my lad", M), ("old man", M), ("old fellow", M), ("old chap", M), ("monsieur", M), ("ma'am", F),
        ("ma’am", F), ("ma am", F), ("madam", F), ("mama", F), ("mamma", F), ("mother", F), ("sister", F), ("aunt", F),
        ("mademoiselle", F),
    ]
};

/// Words by which speakers tell their own gender: `my husband`, `my wife`.
const SELF_TERMS: &[(&str, kulisy_model::Gender)] = {
    use kulisy_model::Gender::{Female as F, Male as M};
    &[("my husband", F), ("my wife", M), ("i am a woman", F), ("i am a man", M)]
};

/// The gender a quotation's words give their own speaker ([`SELF_TERMS`],
/// anywhere in the words), when they give only one.
fn speaker_gender(ctx: &Ctx<'_>, q: &Quotation) -> Option<kulisy_model::Gender> {
    terms_gender(ctx, q, SELF_TERMS, |before, after| !before.ends_with(char::is_alphanumeric) && !after.starts_with(char::is_alphanumeric))
}

/// The gender of whom a quotation's words address with a word of address
/// ([`ADDRESS_TERMS`]) set off as a vocative (`Yes, sir.`, `Madam, I ...`),
/// when only one gender is so addressed.
fn addressed_gender(ctx: &Ctx<'_>, q: &Quotation) -> Option<kulisy_model::Gender> {
    let edge = |s: &str, at_end: bool| {
        let s = if at_end { s.trim_end_matches(' ') } else { s.trim_start_matches(' ') };
        let marks = [',', ';', '!', '?', '.', '-', '—'];
        s.is_empty() || if at_end { s.ends_with(marks) } else { s.starts_with(marks) }
    };
    terms_gender(ctx, q, ADDRESS_TERMS, |before, after| edge(before, true) && edge(after, false))
}

/// The gender `terms` give a quotation whose words use one of them where
/// `fits` accepts the text before and after it, when they give only one.
fn terms_gender(ctx: &Ctx<'_>, q: &Quotation, terms: &[(&str, kulisy_model::Gender)], fits: impl Fn(&str, &str) -> bool) -> Option<kulisy_model::Gender> {
    let mut found: Option<kulisy_model::Gender> = None;
    for piece in &q.pieces {
        // ASCII folding keeps every byte where it was.
        let lower = piece.text(ctx.text).to_ascii_lowercase();
        for &(term, g) in terms {
            if lower.match_indices(term).any(|(i, _)| fits(&lower[..i], &lower[i + term.len()..])) {
                if found.is_some_and(|f| f != g) {
                    return None;
                }
                found = Some(g);
            }
        }
    }
    found
}

/// Whether `span` lies in a reporter's interpolation into the quotation `q`.
fn interpolated(ctx: &Ctx<'_>, q: &Quotation, span: Span) -> bool {
    q.layers.iter().filter_map(|&l| ctx.layers.get(l)).any(|l| l.kind.is_reporter() && l.span.contains(span))
}

/// Whether the words after `before` (the start of a quotation's words up
/// to them) lie in a quotation inside it, in single marks: `you said to me,
/// 'Mr. Knightley, I am going ...'`. A mark opens where no letter or digit
/// goes before it and a letter follows it, and closes where no letter or
/// digit follows it; an apostrophe inside a word (`Taylor's`) does neither.
fn in_inner_quotation(before: &str) -> bool {
    let cs: Vec<char> = before.chars().collect();
    let mut open = false;
    for (i, &c) in cs.iter().enumerate() {
        if c != '\'' && c != '‘' && c != '’' {
            continue;
        }
        let prev = i.checked_sub(1).map(|k| cs[k]);
        let next = cs.get(i + 1).copied();
        if prev.is_none_or(|p| !p.is_alphanumeric()) && next.is_none_or(char::is_alphabetic) {
            open = true;
        } else if next.is_none_or(|n| !n.is_alphanumeric()) && prev.is_some_and(|p| !p.is_whitespace()) {
            open = false;
        }
    }
    open
}

/// The person a quotation's words name their speaker as (`I am Katharine
/// Hilbery`, `my name is Piglet`).
fn named_self(ctx: &Ctx<'_>, q: &Quotation) -> Option<usize> {
    for piece in &q.pieces {
        for m in ctx.mentions_in(*piece) {
            if m.kind != MentionKind::Name {
                continue;
            }
            let before = ctx.text[piece.start..m.span.start].trim_end().to_lowercase();
            let said_self = ["i am", "i'm", "i\u{2019}m", "i m", "my name is", "my name's", "my name\u{2019}s"].iter().any(|p| {
                before.strip_suffix(p).is_some_and(|rest| rest.is_empty() || rest.ends_with(|c: char| !c.is_alphanumeric()))
            });
            if said_self && let Some(e) = ctx.person(m).filter(|&e| e != usize::MAX) {
                return Some(e);
            }
        }
    }
    None
}

/// The persons a quotation's own words name (the reporter's interpolations
/// left out, and so are the words of others it quotes).
fn named_inside(ctx: &Ctx<'_>, q: &Quotation) -> Vec<usize> {
    let mut out = Vec::new();
    for piece in &q.pieces {
        for m in ctx.mentions_in(*piece) {
            if m.kind == MentionKind::Name && !interpolated(ctx, q, m.span) && !in_inner_quotation(&ctx.text[piece.start..m.span.start]) && let Some(e) = ctx.person(m).filter(|&e| e != usize::MAX) && !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// The words of the outermost speech quotations, sorted: what is not narration.
pub fn quoted_pieces(quotes: &[Quotation]) -> Vec<Span> {
    let mut quoted: Vec<Span> = quotes.iter().filter(|q| q.kind == QuoteKind::Speech && q.parent.is_none()).flat_map(|q| q.pieces.iter().copied()).collect();
    quoted.sort();
    quoted
}

/// Attributes every speech quotation of `seg` using `cast`; the encounters
/// among `events` open the scenes whose persons talk.
pub fn attribute(doc: &Document, seg: &Segmentation, cast: &Cast, events: &[Event]) -> Vec<Attribution> {
    attribute_with_layers(doc, &seg.quotations, &seg.layers, cast, events)
}

/// Attributes the given quotations (which may come from elsewhere, such as
/// a benchmark's gold spans).
pub fn attribute_quotations(doc: &Document, quotes: &[Quotation], cast: &Cast, events: &[Event]) -> Vec<Attribution> {
    attribute_with_layers(doc, quotes, &[], cast, events)
}

fn attribute_with_layers(doc: &Document, quotes: &[Quotation], layers: &[kulisy_model::Layer], cast: &Cast, events: &[Event]) -> Vec<Attribution> {
    let quoted = quoted_pieces(quotes);
    let mut by_block: Vec<Vec<usize>> = vec![Vec::new(); doc.blocks.len() + 1];
    for (k, q) in quotes.iter().enumerate() {
        if let Some(v) = by_block.get_mut(q.block) {
            v.push(k);
        }
    }
    let mut asides: Vec<Span> = layers.iter().filter(|l| l.quotation.is_none()).map(|l| l.span).collect();
    asides.sort();
    let ctx = Ctx { text: &doc.text, layers, doc, quotes, cast, quoted, by_block, asides, events };
    let mut out: Vec<Attribution> = quotes
        .iter()
        .enumerate()
        .map(|(qi, _)| Attribution { quotation: qi, speaker: None, speaker_mention: None, addressees: Vec::new(), written: false, reported_by: None, sieve: "", confidence: 0.0 })
        .collect();
    let speech: Vec<usize> = (0..quotes.len()).filter(|&q| quotes[q].kind == QuoteKind::Speech).collect();

    // Local sieves, in order; the first that decides wins.
    let mut pronouns: Vec<Option<kulisy_model::Gender>> = vec![None; quotes.len()];
    let mut told: Vec<Option<usize>> = vec![None; quotes.len()];
    let mut kins: Vec<Option<Kin>> = vec![None; quotes.len()];
    for &qi in &speech {
        for (name, sieve) in LOCAL {
            if let Some(d) = sieve(&ctx, qi) {
                told[qi] = d.told.filter(|&e| d.speaker != e);
                let a = &mut out[qi];
                a.speaker = (d.speaker != usize::MAX).then_some(d.speaker);
                a.reported_by = d.reporter;
                pronouns[qi] = d.pronoun;
                kins[qi] = d.kin;
                a.speaker_mention = d.mention;
                a.confidence = d.confidence;
                a.written = d.written;
                a.sieve = name;
                break;
            }
        }
    }
    let referents = resolve_pronoun_speakers(&ctx, &speech, &pronouns, &mut out);
    same_paragraph(&ctx, &speech, &mut out, &pronouns);
    // Turn-taking among bare quotations, twice: first with the manner of
    // speech of those narration names as speakers, then, from the same
    // start, with that of everyone the first pass found with some
    // confidence. A paragraph-subject guess yields to it when the
    // conversation is clear.
    let scene = scenes(&ctx, &speech);
    let said = said(&ctx, &speech);
    let named_style = style_of(&ctx, &said, &speech, &out, &pronouns, false);
    let before = out.clone();
    turn_taking(&ctx, &speech, &mut out, &scene, &pronouns, &referents, &told, &kins, &named_style);
    let style = style_of(&ctx, &said, &speech, &out, &pronouns, true);
    out = before;
    turn_taking(&ctx, &speech, &mut out, &scene, &pronouns, &referents, &told, &kins, &style);
    continued_speech(&ctx, &speech, &mut out, &pronouns);
    // Addressees: whoever is spoken to by name, else the others of the scene,
    // else the other side of the exchange.
    addressees(&ctx, &speech, &mut out, &scene, &told);
    // A quotation inside another is reported by the outer speaker.
    for &qi in &speech {
        if out[qi].speaker.is_none() && out[qi].sieve != "collective-voices" {
            // A cue found (`she said`) but no one it could mean.
            out[qi].sieve = "";
            out[qi].confidence = 0.0;
        }
        if let Some(p) = quotes[qi].parent {
            out[qi].reported_by = out[p].speaker;
        }
        if out[qi].written {
            out[qi].addressees.clear();
        }
    }
    out
}

/// The rest of a paragraph speaks with the voice found for part of it.
fn same_paragraph(ctx: &Ctx<'_>, speech: &[usize], out: &mut [Attribution], pronouns: &[Option<kulisy_model::Gender>]) {
    let quotes = ctx.quotes;
    for &qi in speech {
        let sib = if out[qi].sieve == "paragraph-subject" {
            // `“...” I must have made some murmur, for she went on: “...”`:
            // words before one the paragraph says its speaker goes on with
            // are that speaker's, whoever its narration names first.
            ctx.siblings(qi).find(|&k| quotes[k].span.start > quotes[qi].span.start && out[k].speaker.is_some() && goes_on_before(ctx, k))
        } else if out[qi].speaker.is_some() || pronouns[qi].is_some() || out[qi].sieve == "collective-voices" {
            None
        } else {
            ctx.siblings(qi).filter(|&k| out[k].speaker.is_some() && out[k].sieve != "paragraph-subject").min_by_key(|&k| quotes[k].span.start.abs_diff(quotes[qi].span.start))
        };
        if let Some(k) = sib {
            let (s, c, w) = (out[k].speaker, out[k].confidence, out[k].written);
            let a = &mut out[qi];
            a.speaker = s;
            a.confidence = c * 0.9;
            a.written = w;
            a.sieve = "same-paragraph";
        }
    }
}

/// A pronoun subject (`said he`) is the most recent person of its gender,
/// counting both those named in narration and those who spoke, leaving out
/// whoever the quotation addresses or speaks of by name.
///
/// Returns, for each quotation whose speaker is a pronoun, the person found
/// and whether narration named that person just before (in the paragraph
/// itself, or in a paragraph of narration alone just before it).
fn resolve_pronoun_speakers(ctx: &Ctx<'_>, speech: &[usize], pronouns: &[Option<kulisy_model::Gender>], out: &mut [Attribution]) -> Vec<Option<(usize, bool)>> {
    let mut found_for: Vec<Option<(usize, bool)>> = vec![None; ctx.quotes.len()];
    let mut order: Vec<usize> = speech.iter().copied().filter(|&q| ctx.quotes[q].parent.is_none()).collect();
    order.sort_by_key(|&q| ctx.quotes[q].span.start);
    let mut recent: Vec<(usize, usize, bool)> = Vec::new(); // (position, entity, named in narration rather than heard)
    // Where narration counts as just before a quotation's words.
    let near_from = |q: &Quotation| {
        let own = ctx.doc.blocks.get(q.block).map_or(q.span.start, |b| b.span.start);
        match q.block.checked_sub(1) {
            Some(p) if ctx.in_block(p).next().is_none() => ctx.doc.blocks.get(p).map_or(own, |b| b.span.start),
            _ => own,
        }
    };
    let mut m = 0;
    let mentions = &ctx.cast.mentions;
    for &qi in &order {
        let q = &ctx.quotes[qi];
        while m < mentions.len() && mentions[m].span.start < q.span.start {
            let x = &mentions[m];
            // Subjects, not objects: a name after a preposition or in the
            // possessive is seldom what a following `he` refers to.
            if x.kind == MentionKind::Name && !ctx.quoted_at(x.span.start) && !after_preposition(ctx.text, x.span.start) && !is_possessive(ctx.text, x.span)
                && !in_apposition(ctx.text, x.span.start)
                && let Some(e) = x.entity
                && !in_reported_speech(ctx, x.span.start) {
                    recent.push((x.span.start, e, true));
                }
            m += 1;
        }
        if let Some(g) = pronouns[qi]
            && out[qi].speaker.is_none() {
                // Not whom the words address, nor whom they speak of
                // (`“Mrs. Moore says he is so nice,” she said`), unless they
                // name their speaker (`I am Katharine Hilbery`).
                let addressed = addressed_or_spoken_of(ctx, std::iter::once(qi));
                // A person of unknown gender may be meant by `he` or `she`
                // too: when named in the paragraph itself, or when no one
                // known to be of that gender was named before.
                let agrees = |e: usize, unknown: bool| {
                    let ent = &ctx.cast.entities[e];
                    // The narrator of a first-person text is `I`, never `he` or `she`.
                    if Some(e) == ctx.cast.narrator {
                        return false;
                    }
                    if g == kulisy_model::Gender::Other {
                        ent.kind == EntityKind::Group
                    } else {
                        ent.kind == EntityKind::Person && (ent.gender == Some(g) || unknown && ent.gender.is_none())
                    }
                };
                let any = recent.iter().rev().take(40).find(|(_, e, _)| agrees(*e, true) && !addressed.contains(e));
                let known = recent.iter().rev().take(40).find(|(_, e, _)| agrees(*e, false) && !addressed.contains(e));
                // Of unknown gender and named by a description (`the
                // painter`): one of the pronoun's gender named before it is
                // likelier, near or not.
                let described = |pos: usize| ctx.text[pos..].starts_with("the ");
                let found = match any {
                    Some(&(pos, e, _)) if ctx.cast.entities[e].gender.is_none() && (pos < near_from(q) || described(pos)) => known.or(any),
                    _ => any,
                };
                if let Some(&(pos, e, named)) = found {
                    out[qi].speaker = Some(e);
                    found_for[qi] = Some((e, named && pos >= near_from(q)));
                }
            }
        if let Some(sp) = out[qi].speaker {
            recent.push((q.span.start, sp, false));
        }
    }
    found_for
}

/// Words that, right after a verb of speech, open what it reports.
const REPORTED: &[&str] = &["that", "whether", "if", "what", "how", "why", "where", "when"];

/// Whether `pos` lies in words reported without quotation marks, after a
/// speech verb and `that` (or `whether`, `what`, [`REPORTED`]) earlier in
/// its sentence (`Catherine replied that she was very sure Miss Thorpe did
/// not mean to dance`, `asked whether Katharine could come`): a name there
/// is not the narration's subject.
fn in_reported_speech(ctx: &Ctx<'_>, pos: usize) -> bool {
    // Back to the sentence's start within the paragraph, and not further
    // than a long sentence: a text without stops costs no more per name.
    let block = ctx.doc.blocks.partition_point(|b| b.span.end <= pos);
    let floor = ctx.doc.blocks.get(block).map_or(0, |b| b.span.start.min(pos)).max(ctx.text.floor_char_boundary(pos.saturating_sub(600)));
    let before = &ctx.text[floor..pos];
    let s = &before[before.rfind(['.', '!', '?']).map_or(0, |i| i + 1)..];
    REPORTED.iter().any(|w| {
        s.match_indices(w).any(|(i, _)| {
            let (head, tail) = (&s[..i], &s[i + w.len()..]);
            head.ends_with(char::is_whitespace)
                && tail.starts_with(char::is_whitespace)
                && is_speech_verb(&head.trim_end().rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_lowercase())
        })
    })
}

/// Prepositions after which a name is an object, not a subject or a participant.
const PREPOSITIONS: &[&str] = &[
    "to", "of", "with", "about", "from", "for", "at", "by", "in", "on", "against", "before", "after", "between", "regarding", "towards",
    "toward", "upon", "into", "beside", "behind", "among", "near",
];

/// Whether the word before `pos` is a verb in the past (`noticed`,
/// `thanked`) other than a verb of speech, whose object a name there is.
fn after_verb(text: &str, pos: usize) -> bool {
    let before = &text[..pos];
    let t = before.trim_end();
    let word = t.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    // Right before the name, with a space between and no punctuation.
    let gap = &before[t.len()..];
    let adjacent = !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\n');
    adjacent && word.len() > 3 && word.ends_with("ed") && word.chars().all(|c| c.is_lowercase()) && !is_speech_verb(word)
}

/// Whether the name at `pos` stands in apposition to a noun someone's
/// (`her friend Lizzy`, `his sister Julia`): the noun phrase is most often
/// an object, and the name not the subject a following `she` means.
fn in_apposition(text: &str, pos: usize) -> bool {
    let mut before = text[..pos].trim_end().rsplit(char::is_whitespace);
    let noun = before.next().unwrap_or("");
    let owner = before.next().unwrap_or("");
    matches!(owner, "his" | "her" | "their" | "my" | "your" | "our") && !noun.is_empty() && noun.chars().all(|c| c.is_lowercase())
}

/// Whether the word before `pos` is a preposition (`towards Jane`), or
/// `and` after a name that follows one (`towards Bingley and Jane`).
fn after_preposition(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end();
    let word = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    if word == "by" {
        // The doer of a passive is no object: `was overtaken by Wickham`.
        let t = before[..before.len() - 2].trim_end();
        let verb = t.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        return !(t.ends_with(char::is_alphabetic) && verb.len() > 3 && (verb.ends_with("ed") || verb.ends_with("en")) && verb.chars().all(|c| c.is_lowercase()));
    }
    let lower = word.to_lowercase();
    if PREPOSITIONS.contains(&lower.as_str()) {
        // `for Colonel Brandon did come in`, `after Bukharin had left`: a
        // word that also joins clauses, before a name with its verb, opens
        // a clause whose subject the name is.
        return !(matches!(lower.as_str(), "for" | "before" | "after" | "till" | "until" | "since") && verb_follows_name(text, pos));
    }
    if word != "and" {
        return false;
    }
    // Back over the name before `and`: capitalised words (and `Mr.`).
    let mut rest = before[..before.len() - word.len()].trim_end();
    let mut words = 0;
    while let Some(w) = rest.rsplit(char::is_whitespace).next().filter(|w| w.starts_with(char::is_uppercase) && words < 3) {
        rest = rest[..rest.len() - w.len()].trim_end();
        words += 1;
    }
    let prev = rest.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    words > 0 && rest.ends_with(char::is_alphabetic) && PREPOSITIONS.contains(&prev.to_lowercase().as_str())
}

/// Whether the name at `pos` (capitalised words) is followed at once by a
/// verb of its own: an auxiliary (`did`, `had`, `was`) or a word in the past.
fn verb_follows_name(text: &str, pos: usize) -> bool {
    let mut rest = &text[pos..];
    let mut names = 0;
    loop {
        let w = rest.trim_start_matches([' ', '\n']);
        let end = w.find([' ', '\n']).unwrap_or(w.len());
        let word = &w[..end];
        // A title's stop (`Mr.`) is no sentence's end.
        let title = word.ends_with('.') && word.len() <= 4;
        if word.starts_with(char::is_uppercase) && names < 4 && (title || !word.ends_with(['.', ',', ';', ':', '!', '?'])) {
            names += 1;
            rest = &w[end..];
            continue;
        }
        let v = word.trim_matches(|c: char| c == '_' || c == '*');
        return names > 0
            && v.chars().all(|c| c.is_lowercase())
            && (AUXILIARIES.contains(&v) || matches!(v, "came" | "went" | "saw" | "took" | "made" | "gave" | "got" | "knew" | "thought" | "felt" | "began") || v.len() > 3 && v.ends_with("ed"));
    }
}

/// For each quotation, the persons of the last scene opened before it in
/// narration, at most a few paragraphs back: an encounter event
/// (`Kamenev met Bukharin at Pyatakov’s`, `Zinoviev went to see Krupskaya`,
/// see [`crate::events`]), or a sentence that speaks to someone named
/// (`Kamenev asked Pyatakov why …`).
fn scenes(ctx: &Ctx<'_>, speech: &[usize]) -> Vec<Vec<usize>> {
    let mut opened: Vec<(usize, usize, Vec<usize>)> = Vec::new(); // (position, block, persons)
    // A scene told right after words (`“What day is it?” I asked Harris.`)
    // holds those words.
    let opens_at = |block: usize, at: usize| {
        ctx.in_block(block).map(|k| &ctx.quotes[k]).filter(|q| q.span.end <= at && ctx.text[q.span.end..at].trim().is_empty()).last().map_or(at, |q| q.span.start)
    };
    for e in ctx.events.iter().filter(|e| e.kind == kulisy_model::EventKind::Encounter) {
        let mut persons: Vec<usize> = Vec::new();
        for p in &e.participants {
            if matches!(p.role, kulisy_model::Role::Agent | kulisy_model::Role::Participant | kulisy_model::Role::Host)
                && ctx.cast.entities.get(p.entity).is_some_and(|x| x.kind == EntityKind::Person)
                && !persons.contains(&p.entity)
            {
                persons.push(p.entity);
            }
        }
        let block = ctx.doc.blocks.partition_point(|b| b.span.end <= e.span.start);
        if persons.len() >= 2 {
            opened.push((e.span.start, block, persons));
        }
    }
    // Where the narration says they went their ways (`Then they parted.`,
    // `They left without anything coming of it.`), a scene closes.
    let mut closed: Vec<usize> = Vec::new(); // in text order
    for (bi, b) in ctx.doc.blocks.iter().enumerate().filter(|(_, b)| b.kind.is_text()) {
        for sent in crate::sentences::sentences(ctx.text, b.span) {
            if ctx.quoted_at(sent.start) {
                continue;
            }
            // Most sentences hold no verb of encounter or parting: look before splitting words.
            let st = sent.text(ctx.text);
            if ["parted", "departed", "separated", "left"].iter().any(|v| st.contains(v)) && tells_parting(&words(ctx.text, sent)) {
                closed.push(sent.start);
            }
            if !["asked", "told", "answered", "addressed", "urged", "begged", "warned"].iter().any(|v| st.contains(v)) {
                continue;
            }
            let ws = words(ctx.text, sent);
            let meets = ws.iter().enumerate().any(|(k, w)| {
                let l = w.s.to_lowercase();
                // `Kamenev asked Pyatakov why ...`: speaking to someone named.
                matches!(l.as_str(), "asked" | "told" | "answered" | "addressed" | "urged" | "begged" | "warned")
                    && ws.get(k + 1).is_some_and(|n| ctx.mentions_in(n.span).iter().any(|m| m.kind == MentionKind::Name && m.entity.is_some()))
            });
            if !meets {
                continue;
            }
            let mut persons: Vec<usize> = Vec::new();
            for m in ctx.mentions_in(sent) {
                if ctx.quoted_at(m.span.start) || m.kind != MentionKind::Name {
                    continue;
                }
                // `heard from Kalinin`: named, not present (but `at Pyatakov’s` is his house).
                let before = ctx.text[sent.start..m.span.start].trim_end();
                let prep = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_lowercase();
                if matches!(prep.as_str(), "from" | "about" | "of" | "on" | "for" | "against" | "regarding") {
                    continue;
                }
                // `After Bukharin had left`: gone from the scene.
                let after = &ctx.text[m.span.end..ctx.text.floor_char_boundary(m.span.end + 20)];
                if after.split_whitespace().take(2).any(|w| matches!(w.trim_matches(|c: char| !c.is_alphabetic()), "left" | "departed" | "gone")) {
                    continue;
                }
                if let Some(e) = m.entity.filter(|&e| ctx.cast.entities[e].kind == EntityKind::Person)
                    && !persons.contains(&e) {
                        persons.push(e);
                    }
            }
            if persons.len() >= 2 {
                opened.push((opens_at(bi, sent.start), bi, persons));
            }
        }
    }
    opened.sort_by_key(|(pos, _, _)| *pos);
    let mut out = vec![Vec::new(); ctx.quotes.len()];
    for &qi in speech {
        let q = &ctx.quotes[qi];
        let k = opened.partition_point(|(pos, _, _)| *pos <= q.span.start);
        if let Some((pos, bi, persons)) = k.checked_sub(1).and_then(|k| opened.get(k))
            && q.block <= bi + 6
            && closed.get(closed.partition_point(|&c| c <= *pos)).is_none_or(|&c| c >= q.span.start)
        {
            out[qi] = persons.clone();
        }
    }
    out
}

/// The speech quotations of the paragraph of quotation `qi`, not nested in
/// others, in order: the turn `qi` stands for.
fn own_speech<'c>(ctx: &'c Ctx<'_>, qi: usize) -> impl Iterator<Item = usize> + Clone + 'c {
    ctx.in_block(ctx.quotes[qi].block).filter(|&k| ctx.quotes[k].kind == QuoteKind::Speech && ctx.quotes[k].parent.is_none())
}

/// A turn: the speech of one paragraph, by its first quotation.
fn turns(ctx: &Ctx<'_>, speech: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for &qi in speech {
        if ctx.quotes[qi].parent.is_some() {
            continue;
        }
        if out.last().is_none_or(|&l| ctx.quotes[l].block != ctx.quotes[qi].block) {
            out.push(qi);
        }
    }
    out
}

/// The quotation whose words quotation `qi` goes on with: the last of the
/// paragraph before, left without a closing mark at its end, when `qi`
/// opens its own paragraph with the same mark (speech over several
/// paragraphs given as one quotation a paragraph, as annotations give it;
/// segmentation makes such speech one quotation).
fn continued_from(ctx: &Ctx<'_>, qi: usize) -> Option<usize> {
    let q = &ctx.quotes[qi];
    let prev_block = block_before_opening(ctx, qi)?;
    let p = ctx.in_block(prev_block).filter(|&k| ctx.quotes[k].parent.is_none()).max_by_key(|&k| ctx.quotes[k].span.start)?;
    let before = &ctx.quotes[p];
    let rest = ctx.doc.blocks.get(prev_block).and_then(|b| ctx.text.get(before.span.end.min(b.span.end)..b.span.end));
    (before.close.is_none() && before.open == q.open && before.kind == QuoteKind::Speech && rest.is_some_and(|r| !r.chars().any(char::is_alphanumeric))).then_some(p)
}

/// Speech over several paragraphs has one voice: the one a sieve names for
/// any part of it, else the one its first paragraph was given.
fn continued_speech(ctx: &Ctx<'_>, speech: &[usize], out: &mut [Attribution], pronouns: &[Option<kulisy_model::Gender>]) {
    let named = |a: &Attribution, qi: usize| settled_by_name(a, pronouns[qi]) && matches!(a.sieve, "dialogue-label" | "speech-verb-after" | "speech-verb-before" | "speech-verb-sentence");
    let mut chains: Vec<Vec<usize>> = Vec::new();
    for &qi in speech {
        match (continued_from(ctx, qi), chains.last_mut()) {
            (Some(p), Some(chain)) if chain.last() == Some(&p) => chain.push(qi),
            _ => chains.push(vec![qi]),
        }
    }
    for chain in chains.iter().filter(|c| c.len() > 1) {
        let voice = chain.iter().find(|&&k| named(&out[k], k)).or_else(|| chain.iter().find(|&&k| out[k].speaker.is_some())).copied().unwrap_or(chain[0]);
        let (speaker, confidence, written) = (out[voice].speaker, out[voice].confidence, out[voice].written);
        if speaker.is_none() {
            continue;
        }
        for &k in chain {
            if k != voice && !named(&out[k], k) {
                let a = &mut out[k];
                a.speaker = speaker;
                a.speaker_mention = None;
                a.confidence = confidence * 0.9;
                a.written = written;
                a.sieve = "continued-speech";
            }
        }
    }
}

/// Words that, right after a person named (and an adverb or two), tell
/// that the person went away: `Mr. Woodhouse at last was off`, `Fanny
/// left the room`, `Edmund went out`.
fn tells_leaving(text: &str, ws: &[Word<'_>]) -> bool {
    let punct_after = |w: &Word<'_>| text[w.span.end..].trim_start_matches([' ', '\n']).starts_with(['.', ',', ';', ':', '!', '?', '-', '\u{2014}']);
    let mut k = 0;
    // `at last`, `then`, `soon`, `quietly`.
    while k < ws.len().min(3) && (matches!(ws[k].s, "at" | "last" | "then" | "soon" | "presently" | "now" | "immediately" | "directly" | "accordingly") || ws[k].s.ends_with("ly") && ws[k].s.len() > 3) {
        k += 1;
    }
    let (Some(verb), next) = (ws.get(k).map(|w| w.s), ws.get(k + 1).map(|w| w.s)) else { return false };
    let len = match verb {
        "left" | "withdrew" | "departed" | "quitted" | "disappeared" => 1,
        "went" | "walked" | "hurried" | "ran" | "moved" | "got" | "slipped" | "stole" if matches!(next, Some("out" | "away" | "off")) => 2,
        "was" | "were" if matches!(next, Some("off" | "gone")) => 2,
        "set" if matches!(next, Some("off" | "out")) => 2,
        _ => return false,
    };
    // The clause ends soon after (`left the room.`, `was off;`), not
    // `left his companion for a few moments while ...`, `was off on tactics`.
    let rest = &ws[(k + len).min(ws.len())..];
    let clause: usize = rest.iter().position(punct_after).map_or(rest.len(), |p| p + 1);
    ws.get(k + len - 1).is_some_and(punct_after) || clause <= 2 && rest.first().is_some_and(|w| matches!(w.s, "the" | "them" | "us" | "him" | "her" | "me"))
}

/// The persons the narration just before a quotation tells went away
/// (see [`tells_leaving`]) and does not name again before it: `Mr.
/// Woodhouse at last was off; but Mr. Knightley ... sat down again.`
fn gone_before(ctx: &Ctx<'_>, qi: usize) -> Vec<usize> {
    let q = &ctx.quotes[qi];
    let from = ctx.doc.blocks.get(q.block.saturating_sub(3)).map_or(0, |b| b.span.start);
    // After the last words spoken before these.
    let from = ctx.quotes.iter().filter(|o| o.span.end <= q.span.start && o.span.end > from).map(|o| o.span.end).max().unwrap_or(from);
    let mut last: Vec<(usize, bool)> = Vec::new(); // (entity, its last mention tells it left)
    for m in ctx.mentions_in(Span::new(from, q.span.start)) {
        if m.kind != MentionKind::Name || ctx.quoted_at(m.span.start) {
            continue;
        }
        let Some(e) = ctx.person(m).filter(|&e| e != usize::MAX) else { continue };
        let ws = words(ctx.text, Span::new(m.span.end, ctx.text.floor_char_boundary((m.span.end + 60).min(q.span.start))));
        let gap_clean = ws.first().is_some_and(|w| ctx.text[m.span.end..w.span.start].trim().is_empty());
        let left = gap_clean && tells_leaving(ctx.text, &ws);
        match last.iter_mut().find(|x| x.0 == e) {
            Some(x) => x.1 = left,
            None => last.push((e, left)),
        }
    }
    last.into_iter().filter(|x| x.1).map(|x| x.0).collect()
}

/// Whether words of narration say that people went their ways: `Then they
/// parted.`, `They left without anything coming of it.`
fn tells_parting(ws: &[Word<'_>]) -> bool {
    ws.iter().enumerate().any(|(k, w)| match w.s {
        "parted" | "separated" | "departed" => true,
        "left" => k > 0 && matches!(ws[k - 1].s, "they" | "They" | "both" | "all"),
        _ => false,
    })
}

/// Narration between two paragraphs long enough that the words after it no
/// longer answer those before (for addressees; conversations themselves end
/// at any narration, see [`narration_between`]).
fn conversation_broken(ctx: &Ctx<'_>, from_block: usize, to_block: usize) -> bool {
    let mut narration = 0;
    for b in ctx.doc.blocks.iter().take(to_block).skip(from_block + 1) {
        if matches!(b.kind, BlockKind::Heading(_)) {
            return true;
        }
        // `Then they parted.`
        if b.span.len() < 200 && tells_parting(&words(ctx.text, b.span)) {
            return true;
        }
        narration += b.span.len();
    }
    narration > 600 || to_block > from_block + 4
}

/// Whether a paragraph of narration stands between two paragraphs: who
/// speaks after it is told afresh (by it, or by the words), so the strict
/// alternation of a conversation stops there; those who spoke before it stay
/// its likely voices.
fn narration_between(ctx: &Ctx<'_>, from_block: usize, to_block: usize) -> bool {
    ctx.doc.blocks.iter().take(to_block).skip(from_block + 1).any(|b| !b.span.text(ctx.text).trim().is_empty())
}

/// Whether a verb of speech or of presence ([`PRESENCE_VERBS`]) follows a
/// name at once, or after one word (`Mr. Collins protested that`, `Lucy at
/// once asked`, `Mr. Darcy rose`); a smile or a thought (`Mrs. Wilcox
/// smiled`) is not speaking.
fn narration_tells_present(ctx: &Ctx<'_>, m: &Mention) -> bool {
    let ws = words(ctx.text, Span::new(m.span.end, ctx.text.floor_char_boundary(m.span.end + 40)));
    let Some(first) = ws.first() else { return false };
    ctx.text[m.span.end..first.span.start].trim().is_empty()
        && (0..ws.len().min(2)).any(|k| speech_verb_at(&ws, k).is_some() && !FACE_VERBS.contains(&ws[k].s) || PRESENCE_VERBS.contains(&ws[k].s))
}

/// Verbs that tell of someone moving or standing where a scene is
/// (`Mr. Darcy rose`, `Fanny sat down`): one who does so takes part.
const PRESENCE_VERBS: &[&str] = &["sat", "stood", "rose", "walked", "went", "got", "sits", "stands", "rises", "walks", "goes", "gets"];

/// Whether a turn's speaker is settled enough to reason from.
fn settled(a: &Attribution) -> bool {
    a.speaker.is_some() && a.sieve != "paragraph-subject" || a.sieve == "collective-voices"
}

#[allow(clippy::too_many_arguments)]
fn turn_taking(
    ctx: &Ctx<'_>,
    speech: &[usize],
    out: &mut [Attribution],
    scene: &[Vec<usize>],
    pronouns: &[Option<kulisy_model::Gender>],
    referents: &[Option<(usize, bool)>],
    told: &[Option<usize>],
    kins: &[Option<Kin>],
    style: &Style<'_>,
) {
    let turns = turns(ctx, speech);
    // Conversations: runs of paragraphs of speech.
    let mut segments: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for t in 1..=turns.len() {
        // A scene opened between two turns starts another conversation.
        let new_scene = || !scene[turns[t]].is_empty() && scene[turns[t]] != scene[turns[t - 1]];
        if t == turns.len() || narration_between(ctx, ctx.quotes[turns[t - 1]].block, ctx.quotes[turns[t]].block) || new_scene() {
            segments.push(start..t);
            start = t;
        }
    }
    // Gives a turn its speaker; `he said` keeps the sieve that found the cue.
    let set = |out: &mut [Attribution], qi: usize, speaker: usize, confidence: f32| {
        let a = &mut out[qi];
        a.speaker = Some(speaker);
        if pronouns[qi].is_some() && !a.sieve.is_empty() {
            a.confidence = a.confidence.min(confidence);
        } else {
            a.speaker_mention = None;
            a.confidence = confidence;
            a.sieve = "turn-taking";
        }
        let block = ctx.quotes[qi].block;
        for k in ctx.in_block(block) {
            if k != qi && ctx.quotes[k].kind == QuoteKind::Speech && ctx.quotes[k].parent.is_none() && !settled(&out[k]) {
                out[k].speaker = Some(speaker);
                out[k].confidence = confidence * 0.9;
                out[k].sieve = "same-paragraph";
            }
        }
    };
    for seg in segments {
        let ts = &turns[seg.clone()];
        // The most likely speakers of the whole exchange at once.
        for (t, speaker) in conversation(ctx, &turns, seg.clone(), out, scene, pronouns, referents, told, kins, style).into_iter().enumerate() {
            let qi = ts[t];
            let Some((speaker, confidence)) = speaker else { continue };
            // `he said`: the sieve found the cue; the exchange says who.
            if pronouns[qi].is_some() || !settled(&out[qi]) {
                set(out, qi, speaker, confidence);
            }
        }
        // Where alternation has nothing to go on: the other party is the most
        // recent other person named or heard, not the one addressed.
        for t in 0..ts.len() {
            let qi = ts[t];
            if out[qi].speaker.is_some() || out[qi].sieve == "collective-voices" {
                continue;
            }
            let prev = t.checked_sub(1).and_then(|k| out[ts[k]].speaker);
            let next = out.get(ts.get(t + 1).copied().unwrap_or(usize::MAX)).and_then(|a| a.speaker);
            // Not whom any quotation of its paragraph addresses or speaks of.
            let addressed = addressed_or_spoken_of(ctx, own_speech(ctx, qi));
            let q = &ctx.quotes[qi];
            // Looking back a bounded number of turns keeps a long run of bare
            // quotations linear.
            let back = t.saturating_sub(LOOK_BACK_TURNS);
            let from = ctx.doc.blocks.get(ctx.quotes[ts[back]].block.saturating_sub(3)).map_or(0, |b| b.span.start);
            let mut candidates: Vec<(usize, usize)> = ctx
                .mentions_in(Span::new(from, q.span.start))
                .iter()
                .filter(|m| m.kind == MentionKind::Name && !ctx.quoted_at(m.span.start))
                .filter_map(|m| ctx.person(m).filter(|&e| e != usize::MAX).map(|e| (m.span.start, e)))
                .collect();
            // Who spoke in the turns just before the exchange, where they
            // spoke: after a paragraph of narration with no one named, the
            // last voice most often goes on.
            for &k in &turns[seg.start.saturating_sub(RECENT)..seg.start] {
                if let Some(sp) = out[k].speaker {
                    candidates.push((ctx.quotes[k].span.start, sp));
                }
            }
            candidates.sort();
            // The persons of the scene come before those only named, the
            // first named first.
            for (k, &e) in scene[qi].iter().enumerate() {
                candidates.push((usize::MAX / 2 - k, e));
            }
            // Those who spoke in this conversation come before those only named.
            for (j, &k) in ts.iter().enumerate().take(t).skip(back) {
                if let Some(sp) = out[k].speaker {
                    candidates.push((usize::MAX - (t - j), sp));
                }
            }
            candidates.sort();
            // In a scene the previous speaker belongs to, the other person of the scene answers.
            let sc = &scene[qi];
            let in_scene = (sc.len() >= 2 && prev.is_some_and(|p| sc.contains(&p))).then(|| sc.iter().copied().find(|&e| Some(e) != prev && !addressed.contains(&e))).flatten();
            // Whom the narration just before names, then the scene, then the most recent.
            // Not one the narration says spoke already or said nothing (`Fanny explained.`).
            let voice = narrated_voice(ctx, qi);
            let done = voice.filter(|&(_, v)| v != Voice::Speaks).map(|(e, _)| e);
            let speaks = voice.filter(|&(_, v)| v == Voice::Speaks).map(|(e, _)| e);
            let told = speaks.or_else(|| narration_subject_before(ctx, qi)).filter(|&e| !addressed.contains(&e) && Some(e) != done);
            let eligible = |e: usize| Some(e) != prev && Some(e) != next && Some(e) != done && !addressed.contains(&e);
            let mut fall = candidates.iter().rev().map(|&(_, e)| e).find(|&e| eligible(e));
            // Of the two next most recent, one whose manner of speech the
            // words have far more plainly.
            if let Some(f) = fall.filter(|&f| style.known(f)) {
                let mut others: Vec<usize> = Vec::new();
                for &(_, e) in candidates.iter().rev() {
                    if others.len() < 2 && e != f && e != usize::MAX && eligible(e) && !others.contains(&e) {
                        others.push(e);
                    }
                }
                let own = style.score(f, qi);
                let best = others.iter().filter(|&&o| style.known(o)).map(|&o| (style.score(o, qi), o)).max_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((_, o)) = best.filter(|&(score, _)| score - own > STYLE_LONE) {
                    fall = Some(o);
                }
            }
            let pick = told.or(in_scene).or(fall);
            if let Some(p) = pick {
                set(out, qi, p, 0.35);
            }
        }
    }
}

/// Whether a turn's speaker was named by a sieve (not a pronoun's guess).
fn settled_by_name(a: &Attribution, pronoun: Option<kulisy_model::Gender>) -> bool {
    settled(a) && pronoun.is_none()
}

/// How likely a speaker is to speak again at once, to answer the one before
/// the last, or to be someone else (in a conversation of a few people,
/// speakers mostly alternate).
const SAME_AGAIN: f32 = 0.12;
const ANSWERS: f32 = 0.75;
/// The same, into a turn narration names the speaker of (`said Bill`).
const NAMED_SAME_AGAIN: f32 = 0.05;
const NAMED_ANSWERS: f32 = 0.65;
/// The same, into a `she went on` turn.
const GOING_ON_SAME_AGAIN: f32 = 0.5;
const GOING_ON_ANSWERS: f32 = 0.4;
/// The same, into a turn its own paragraph leads into with narration
/// (`She could not explain in so many words ... “Because I'd sooner risk
/// it”`): the pause lets the one who spoke go on, or a third cut in, far
/// more often than between bare turns. These are the rates such turns
/// show in the PDNC annotations (same voice 18%, the one before the last
/// 58%), rounded.
const LED_SAME_AGAIN: f32 = 0.2;
const LED_ANSWERS: f32 = 0.6;
/// Evidence for a turn's speaker, in log odds. Chosen on the 20 PDNC
/// development novels, by hand and then by a coordinate search over all of
/// these weights at once (each weight scaled by 0 to 2 in turn); a change
/// was kept only when both halves of the novels (alternate novels) gained.
///
/// For a turn narration names the speaker of (`said Bill`): that person.
const NAMED: f32 = 8.0;
/// For a `he said` turn: against persons of the other gender (and the
/// narrator), and, less, against persons whose gender is unknown.
const PRONOUN_OTHER_GENDER: f32 = 5.32;
const PRONOUN_UNKNOWN_GENDER: f32 = 2.0;
/// Against the person a turn addresses, by name or as narration says (`asked Harris`).
const ADDRESSED: f32 = 3.0;
/// Against persons outside the scene a turn's words stand in.
const OUTSIDE_SCENE: f32 = 1.0;
/// For the person a `he said` turn's own paragraph (or the narration just
/// before it) names, or named earlier; the person its paragraph's narration
/// names first; the one the turn before addressed by name.
const PRONOUN_NAMED_NEAR: f32 = 4.0;
const PRONOUN_NAMED_BEFORE: f32 = 0.75;
const PARAGRAPH_SUBJECT: f32 = 3.325;
const ADDRESSED_ANSWERS: f32 = 3.0;
/// More of the same, for a `he replied` turn (a verb of answering,
/// [`ANSWERING_VERBS`] or `returned`).
const ADDRESSED_REPLIES: f32 = 1.5;
/// For a turn, the person the next turn addresses by name (`Meg, if you ...`).
const ADDRESSED_SPOKE: f32 = 1.5;
/// For the first turn after narration: the person that narration's last sentence names first.
const NARRATION_SUBJECT: f32 = 1.5;
/// For the first words after narration that ends saying someone speaks
/// (`Mrs. Norris began scolding.`): that person.
const NARRATION_SPEAKER: f32 = 4.5;
/// For the first words after narration that ends telling what someone said
/// or that someone said nothing (`Fanny explained.`, `Cohn said nothing.`):
/// against that person.
const NARRATED_DONE: f32 = 1.5;
/// For the first turn after narration whose last sentence opens with `He`
/// or `She`: against persons of the other gender.
const NARRATION_PRONOUN: f32 = 0.5;
/// For a turn said by a relation (`said her mother`): the exchange's
/// persons who could be that relation of another of them.
const KIN_OF: f32 = 5.0;
/// Against a person the turn's own words name (not in address).
const NAMED_INSIDE: f32 = 2.3;
/// For the person the turn's own words say the speaker is (`I am Katharine Hilbery`).
const NAMES_SELF: f32 = 4.0;
/// Against a person the narration just before an exchange sends away
/// (`Mr. Woodhouse at last was off`), in each of its turns.
const GONE: f32 = 3.0;
/// Against a person only talked about in the exchange.
const ONLY_TALKED_ABOUT: f32 = 0.5;
/// Against a person the exchange shows taking part once and names nowhere
/// around it (one address, one place in its scene).
const SEEN_ONCE: f32 = 0.75;
/// Against a person whose gender is unknown.
const UNKNOWN_GENDER: f32 = 0.75;
/// For the turn after one that says `sir` or `madam`: against persons of the other gender.
const ADDRESSED_GENDER: f32 = 3.75;
/// For a turn whose words say `my husband` or `my wife`: against persons of the other gender.
const SELF_GENDER: f32 = 3.0;
/// Turns before an exchange whose named speakers may still take part in it,
/// and how far before its words (in bytes of text) they may end.
const RECENT: usize = 4;
const RECENT_BYTES: usize = 5000;
/// Turns a lone turn looks back over for the persons named or heard.
const LOOK_BACK_TURNS: usize = 40;
/// A turn's words as evidence for whose manner of speech they have: log
/// odds per unit of [`Style::score`] over the mean of the candidates whose
/// manner is known, at most [`STYLE_CAP`] either way. A manner is known
/// from [`STYLE_MIN_WORDS`] words, smoothed by [`STYLE_SMOOTHING`] words of
/// everyone's; the second pass learns it also from turns given a speaker
/// with [`STYLE_FOUND_CONFIDENCE`]. A lone turn goes to another of the most
/// recent when its score is [`STYLE_LONE`] more. Chosen on the 20 PDNC
/// development novels; both halves gained.
const STYLE: f32 = 0.03;
const STYLE_CAP: f32 = 2.0;
const STYLE_MIN_WORDS: u32 = 300;
const STYLE_SMOOTHING: f32 = 300.0;
const STYLE_FOUND_CONFIDENCE: f32 = 0.7;
const STYLE_LONE: f32 = 15.0;

/// The speakers of one exchange (its turns `ts`) chosen together: each
/// turn's evidence (a name, a pronoun's gender, the person its paragraph
/// names, whom it addresses, whom the turn before addressed) weighed with
/// the habit of conversation (speakers alternate), by the Viterbi algorithm
/// over pairs of consecutive speakers. Returns each turn's speaker and a
/// confidence.
#[allow(clippy::too_many_arguments)]
fn conversation(
    ctx: &Ctx<'_>,
    turns: &[usize],
    seg: std::ops::Range<usize>,
    out: &[Attribution],
    scene: &[Vec<usize>],
    pronouns: &[Option<kulisy_model::Gender>],
    referents: &[Option<(usize, bool)>],
    told: &[Option<usize>],
    kins: &[Option<Kin>],
    style: &Style<'_>,
) -> Vec<Option<(usize, f32)>> {
    let ts = &turns[seg.clone()];
    let n = ts.len();
    if n < 2 {
        return vec![None; n];
    }
    // The candidates: who speaks in the exchange, who is in its scene, who
    // is addressed, who is named in its narration (from a few paragraphs before).
    let mut weight: Vec<(usize, usize, bool)> = Vec::new(); // (entity, weight, seen taking part)
    let mut add = |e: usize, w: usize| {
        if e == usize::MAX || ctx.cast.entities.get(e).is_none_or(|x| x.kind != EntityKind::Person) {
            return;
        }
        match weight.iter_mut().find(|(x, _, _)| *x == e) {
            Some(x) => {
                x.1 += w;
                x.2 |= w > 1;
            }
            None => weight.push((e, w, w > 1)),
        }
    };
    // A turn is a paragraph: whom any of its quotations addresses.
    let vocs: Vec<Vec<usize>> = ts.iter().map(|&qi| persons_of(own_speech(ctx, qi), |k| vocatives(ctx, &ctx.quotes[k]))).collect();
    for (t, &qi) in ts.iter().enumerate() {
        if let Some(s) = out[qi].speaker {
            add(s, if settled_by_name(&out[qi], pronouns[qi]) { 4 } else { 1 });
        }
        for &e in &scene[qi] {
            add(e, 2);
        }
        for &v in &vocs[t] {
            add(v, 2);
        }
        if let Some(e) = told[qi] {
            add(e, 2);
        }
    }
    // The narrator of a first-person text is in every exchange it tells.
    if let Some(me) = ctx.cast.narrator {
        add(me, 2);
    }
    // Who spoke by name in the turns just before the exchange may still be
    // there, unless pages of narration lie between.
    let opens = ctx.quotes[ts[0]].span.start;
    for &q in &turns[seg.start.saturating_sub(RECENT)..seg.start] {
        if opens.saturating_sub(ctx.quotes[q].span.end) > RECENT_BYTES {
            continue;
        }
        if let Some(e) = out[q].speaker.filter(|_| settled_by_name(&out[q], pronouns[q])) {
            add(e, 2);
        }
    }
    let first_block = ctx.quotes[ts[0]].block;
    let from = ctx.doc.blocks.get(first_block.saturating_sub(3)).map_or(0, |b| b.span.start);
    let to = ctx.doc.blocks.get(ctx.quotes[ts[n - 1]].block).map_or(ctx.text.len(), |b| b.span.end);
    for m in ctx.mentions_in(Span::new(from, to)) {
        // In a first-person text, `I` in narration is the narrator named.
        let narrator_named = m.kind == MentionKind::Pronoun && m.entity.is_some() && m.entity == ctx.cast.narrator;
        if (m.kind == MentionKind::Name || narrator_named) && !ctx.quoted_at(m.span.start) && let Some(e) = m.entity {
            add(e, 1);
            // Whom narration tells speaking (`Mr. Collins protested that
            // ...`, `Mrs. Lesley asked`) or standing there (`Mr. Darcy
            // rose`) takes part, heard or not.
            if m.kind == MentionKind::Name && !is_possessive(ctx.text, m.span) && !after_preposition(ctx.text, m.span.start) && narration_tells_present(ctx, m) {
                add(e, 2);
            }
        }
    }
    // `said his wife`, `cried her mother`: the person the list or the text
    // knows by the title and family name of one of the exchange (`Mrs.
    // Bennet` beside `Mr. Bennet`) is there, named or not.
    let present: Vec<usize> = weight.iter().map(|&(e, _, _)| e).collect();
    for &qi in ts {
        if let Some(kin) = kins[qi] {
            // Of one of the persons here of the possessor's gender.
            let of: Vec<usize> = present.iter().copied().filter(|&o| kin.of.is_none_or(|g| ctx.cast.entities[o].gender.is_none_or(|x| x == g))).collect();
            for (e, ent) in ctx.cast.entities.iter().enumerate() {
                if ent.kind == EntityKind::Person && !weight.iter().any(|x| x.0 == e) && titled_kin_of(ctx, e, &of, kin.relation) {
                    weight.push((e, 2, true));
                }
            }
        }
    }
    // The most weighty few, in a fixed order.
    weight.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    weight.truncate(8);
    let cands: Vec<usize> = weight.iter().map(|&(e, _, _)| e).collect();
    let k = cands.len();
    if k < 2 {
        return vec![None; n];
    }
    let idx = |e: usize| cands.iter().position(|&c| c == e);
    // Evidence of `weight` against the candidates known to be of another gender than `g`.
    let against_other_gender = |row: &mut [f32], g: kulisy_model::Gender, weight: f32| {
        for (c, &e) in cands.iter().enumerate() {
            if ctx.cast.entities[e].gender.is_some_and(|x| x != g) {
                row[c] -= weight;
            }
        }
    };
    // Evidence, in log odds, per turn and candidate; one only talked about
    // (never heard, addressed, or seen in the scene) is a less likely voice,
    // and so is one the exchange shows only once (addressed once, or once
    // in its scene) and never names in its narration.
    let base: Vec<f32> = weight
        .iter()
        .map(|&(_, w, seen)| match (seen, w) {
            (false, _) => -ONLY_TALKED_ABOUT,
            (true, 2) => -SEEN_ONCE,
            _ => 0.0,
        })
        .collect();
    // One whose gender no one knows is less often a voice than one whose
    // gender is known.
    let base: Vec<f32> = base.iter().zip(&cands).map(|(&b, &e)| if ctx.cast.entities[e].gender.is_none() && Some(e) != ctx.cast.narrator { b - UNKNOWN_GENDER } else { b }).collect();
    let mut ev = vec![base; n];
    // One the narration just before sent away takes no part.
    for e in gone_before(ctx, ts[0]) {
        if let Some(c) = idx(e) {
            for row in ev.iter_mut() {
                row[c] -= GONE;
            }
        }
    }
    for (t, &qi) in ts.iter().enumerate() {
        let a = &out[qi];
        if a.sieve == "collective-voices" {
            continue;
        }
        if settled_by_name(a, pronouns[qi]) {
            let voice = a.reported_by.or(a.speaker);
            if let Some(c) = voice.and_then(idx) {
                ev[t][c] += NAMED;
            }
        } else if let Some(g) = pronouns[qi] {
            for (c, &e) in cands.iter().enumerate() {
                let ent = &ctx.cast.entities[e];
                if Some(e) == ctx.cast.narrator {
                    ev[t][c] -= PRONOUN_OTHER_GENDER;
                    continue;
                }
                match ent.gender {
                    Some(x) if x != g => ev[t][c] -= PRONOUN_OTHER_GENDER,
                    // Whose gender is unknown is a weaker match than whose is known.
                    None => ev[t][c] -= PRONOUN_UNKNOWN_GENDER,
                    _ => {}
                }
            }
            if let Some((r, near)) = referents[qi]
                && let Some(c) = idx(r) {
                    ev[t][c] += if near { PRONOUN_NAMED_NEAR } else { PRONOUN_NAMED_BEFORE };
                }
            // `said her mother`: kin of someone of the exchange.
            if let Some(kin) = kins[qi] {
                for (c, &e) in cands.iter().enumerate() {
                    if kin_of(ctx, e, &cands, kin.relation) {
                        ev[t][c] += KIN_OF;
                    }
                }
            }
        } else if a.sieve == "paragraph-subject"
            && let Some(c) = a.speaker.and_then(idx)
        {
            ev[t][c] += PARAGRAPH_SUBJECT;
        }
        let voice = narrated_voice(ctx, qi).or_else(|| silent_before(ctx, qi).map(|e| (e, Voice::Silent)));
        if !settled_by_name(a, pronouns[qi])
            && let Some((e, Voice::Speaks)) = voice
            && let Some(c) = idx(e) {
                ev[t][c] += NARRATION_SPEAKER;
            } else if let Some((e, Voice::Spoke | Voice::Silent)) = voice {
                // `Fanny explained.`, `Mr. Bennet made no answer.`: the
                // words after are another's.
                if !settled_by_name(a, pronouns[qi]) && let Some(c) = idx(e) {
                    ev[t][c] -= NARRATED_DONE;
                }
            } else if t == 0 && !settled_by_name(a, pronouns[qi])
            && let Some(c) = narration_subject_before(ctx, qi).and_then(idx) {
                ev[t][c] += NARRATION_SUBJECT;
            }
        // For the first words after narration whose last sentence opens
        // with `He` or `She`: a person of the other gender is less likely.
        if t == 0 && !settled_by_name(a, pronouns[qi]) && pronouns[qi].is_none()
            && let Some(g) = narration_pronoun_before(ctx, qi) {
                against_other_gender(&mut ev[t], g, NARRATION_PRONOUN);
            }
        // Whom a turn speaks of by name is seldom its speaker, unless it
        // says it is (`I am Katharine Hilbery`).
        // Over all the words of the turn's paragraph.
        let me = own_speech(ctx, qi).find_map(|k| named_self(ctx, &ctx.quotes[k]));
        for e in persons_of(own_speech(ctx, qi), |k| named_inside(ctx, &ctx.quotes[k])) {
            if !vocs[t].contains(&e) && let Some(c) = idx(e) {
                if Some(e) == me {
                    ev[t][c] += NAMES_SELF;
                } else {
                    ev[t][c] -= NAMED_INSIDE;
                }
            }
        }
        // Whom a turn addresses by name is not its speaker; the one the
        // turn before addressed is likely to answer.
        for &v in &vocs[t] {
            if let Some(c) = idx(v) {
                ev[t][c] -= ADDRESSED;
            }
        }
        if t > 0 {
            let answer = if pronouns[qi].is_some() && answer_cue(ctx, qi) { ADDRESSED_REPLIES } else { 0.0 };
            for &v in vocs[t - 1].iter().chain(&told[ts[t - 1]]) {
                if let Some(c) = idx(v) {
                    ev[t][c] += ADDRESSED_ANSWERS + answer;
                }
            }
        }
        // Nor is the one the narration says it is addressed to (`asked Harris`).
        if let Some(c) = told[qi].and_then(idx) {
            ev[t][c] -= ADDRESSED;
        }
        // `my husband`: a woman speaks.
        if !settled_by_name(a, pronouns[qi])
            && let Some(g) = speaker_gender(ctx, &ctx.quotes[qi]) {
                against_other_gender(&mut ev[t], g, SELF_GENDER);
            }
        // Who answers `Yes, sir` is likely a man.
        if t > 0
            && let Some(g) = addressed_gender(ctx, &ctx.quotes[ts[t - 1]]) {
                against_other_gender(&mut ev[t], g, ADDRESSED_GENDER);
            }
        // The one the next turn addresses is likely to have just spoken.
        // Whom its first sentence calls: a name asked later (`Is it not so,
        // Mrs. Bennet?`) calls on another to answer.
        if let Some(&next) = ts.get(t + 1) {
            for v in opening_vocatives(ctx, &ctx.quotes[next]) {
                if let Some(c) = idx(v) {
                    ev[t][c] += ADDRESSED_SPOKE;
                }
            }
        }
        // Outside the scene the words stand in, no one takes a turn.
        if scene[qi].len() >= 2 {
            for (c, e) in cands.iter().enumerate() {
                if !scene[qi].contains(e) {
                    ev[t][c] -= OUTSIDE_SCENE;
                }
            }
        }
    }
    // Whose manner of speech the words have, among the candidates whose
    // manner is known: against the mean of those.
    for (t, &qi) in ts.iter().enumerate() {
        if settled_by_name(&out[qi], pronouns[qi]) || out[qi].sieve == "collective-voices" {
            continue;
        }
        let scores: Vec<Option<f32>> = cands.iter().map(|&e| style.known(e).then(|| style.score(e, qi))).collect();
        let known: Vec<f32> = scores.iter().flatten().copied().collect();
        if known.len() < 2 {
            continue;
        }
        let mean = known.iter().sum::<f32>() / known.len() as f32;
        for (c, x) in scores.iter().enumerate() {
            if let Some(x) = x {
                ev[t][c] += (STYLE * (x - mean)).clamp(-STYLE_CAP, STYLE_CAP);
            }
        }
    }
    // Viterbi over states (previous speaker, speaker). Narration names a
    // speaker most often where the habit breaks: into a turn it names, a
    // third voice is likelier than into a bare one. A third voice is one of
    // the others in proportion to how much the exchange shows them (the
    // weight that made them candidates): the hostess named all through it
    // cuts in more often than a servant named once.
    let going_on: Vec<bool> = ts.iter().map(|&qi| pronouns[qi].is_some() && going_on_cue(ctx, qi)).collect();
    // A turn whose own paragraph opens with narration (`Her thought drew
    // being from the obscure borderland. ... “Because I'd sooner risk
    // it,” was her lame conclusion.`).
    let led: Vec<bool> = ts.iter().map(|&qi| {
        let q = &ctx.quotes[qi];
        ctx.doc.blocks.get(q.block).and_then(|b| ctx.text.get(b.span.start..q.span.start)).is_some_and(|t| !t.trim().is_empty())
    }).collect();
    let habit = |t: usize| {
        let qi = ts[t];
        if settled_by_name(&out[qi], pronouns[qi]) {
            (NAMED_SAME_AGAIN, NAMED_ANSWERS)
        } else if going_on[t] {
            (GOING_ON_SAME_AGAIN, GOING_ON_ANSWERS)
        } else if led[t] {
            (LED_SAME_AGAIN, LED_ANSWERS)
        } else {
            (SAME_AGAIN, ANSWERS)
        }
    };
    let shown: Vec<f32> = weight.iter().map(|&(_, w, _)| w as f32).collect();
    let all_shown: f32 = shown.iter().sum();
    // Log probability that `c`, neither `p` nor `pp`, speaks next, when
    // a third voice has probability `mass`.
    let third = |mass: f32, c: usize, p: usize, pp: usize| (mass * shown[c] / (all_shown - shown[p] - if pp == p { 0.0 } else { shown[pp] })).ln();
    let st = |p: usize, c: usize| p * k + c;
    let mut score = vec![f32::NEG_INFINITY; k * k];
    let mut back: Vec<Vec<usize>> = vec![vec![usize::MAX; k * k]; n];
    let (same, _) = habit(1);
    for p in 0..k {
        for c in 0..k {
            let tr = if p == c { same.ln() } else { third(1.0 - same, c, p, p) };
            score[st(p, c)] = ev[0][p] + ev[1][c] + tr;
        }
    }
    for t in 2..n {
        let (same, answers) = habit(t);
        let mut next = vec![f32::NEG_INFINITY; k * k];
        for p in 0..k {
            for c in 0..k {
                let mut best = (f32::NEG_INFINITY, usize::MAX);
                for pp in 0..k {
                    let prev = score[st(pp, p)];
                    let tr = if c == p {
                        same.ln()
                    } else if c == pp {
                        answers.ln()
                    } else {
                        third(1.0 - same - answers, c, p, pp)
                    };
                    if prev + tr > best.0 {
                        best = (prev + tr, pp);
                    }
                }
                next[st(p, c)] = best.0 + ev[t][c];
                back[t][st(p, c)] = best.1;
            }
        }
        score = next;
    }
    let mut best = 0;
    for s in 1..k * k {
        if score[s] > score[best] {
            best = s;
        }
    }
    let mut path = vec![0usize; n];
    let (mut p, mut c) = (best / k, best % k);
    path[n - 1] = c;
    path[n - 2] = p;
    for t in (2..n).rev() {
        let pp = back[t][st(p, c)];
        path[t - 2] = pp;
        c = p;
        p = pp;
    }
    // Confidence: how plainly the turn's own evidence and its neighbours agree.
    (0..n)
        .map(|t| {
            let e = cands[path[t]];
            let alternates = (t >= 2 && path[t - 2] == path[t]) || path.get(t + 2) == Some(&path[t]);
            let c = if ev[t][path[t]] > 1.0 { 0.7 } else if alternates { 0.6 } else { 0.4 };
            (out[ts[t]].sieve != "collective-voices").then_some((e, c))
        })
        .collect()
}

/// The words of each speech quotation's own pieces, lowercased, as numbers
/// (one per distinct word, in order of first use).
struct Said {
    words: Vec<Vec<u32>>,
    vocabulary: usize,
}

fn said(ctx: &Ctx<'_>, speech: &[usize]) -> Said {
    let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut words = vec![Vec::new(); ctx.quotes.len()];
    for &qi in speech {
        for p in &ctx.quotes[qi].pieces {
            let Some(t) = ctx.text.get(p.start..p.end) else { continue };
            for w in t.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}') {
                let w = w.trim_matches(|c: char| c == '\'' || c == '\u{2019}');
                if !w.is_empty() {
                    let next = ids.len() as u32;
                    words[qi].push(*ids.entry(w.to_lowercase()).or_insert(next));
                }
            }
        }
    }
    Said { words, vocabulary: ids.len() }
}

/// How each person speaks: counts of the words of the turns given them,
/// and of all words spoken.
struct Style<'s> {
    said: &'s Said,
    own: Vec<std::collections::HashMap<u32, u32>>,
    totals: Vec<u32>,
    all: Vec<u32>,
    all_total: u32,
}

/// The manner of speech of each person: from the words narration gives
/// them by name (`said Emma`), and with `found` also from every turn
/// already given a speaker with at least [`STYLE_FOUND_CONFIDENCE`].
fn style_of<'s>(ctx: &Ctx<'_>, said: &'s Said, speech: &[usize], out: &[Attribution], pronouns: &[Option<kulisy_model::Gender>], found: bool) -> Style<'s> {
    let n = ctx.cast.entities.len();
    let mut st = Style { said, own: vec![std::collections::HashMap::new(); n], totals: vec![0; n], all: vec![0; said.vocabulary], all_total: 0 };
    for &qi in speech {
        let a = &out[qi];
        let named = settled_by_name(a, pronouns[qi]) && matches!(a.sieve, "dialogue-label" | "speech-verb-after" | "speech-verb-before");
        let sure = found && a.confidence >= STYLE_FOUND_CONFIDENCE && a.sieve != "collective-voices";
        let who = a.speaker.filter(|&e| (named || sure) && e < n);
        for &w in &said.words[qi] {
            st.all[w as usize] += 1;
            st.all_total += 1;
            if let Some(e) = who {
                *st.own[e].entry(w).or_default() += 1;
                st.totals[e] += 1;
            }
        }
    }
    st
}

impl Style<'_> {
    /// Whether enough of `e`'s words are known to tell a manner of speech.
    fn known(&self, e: usize) -> bool {
        self.totals.get(e).is_some_and(|&t| t >= STYLE_MIN_WORDS)
    }

    /// How much likelier the words of quotation `qi` are in `e`'s mouth
    /// than in anyone's, in log odds: each word's share of `e`'s speech,
    /// smoothed towards its share of all speech, against that share.
    fn score(&self, e: usize, qi: usize) -> f32 {
        if !self.known(e) {
            return 0.0;
        }
        let v = self.said.vocabulary as f32 + 1.0;
        let mut s = 0.0;
        for &w in &self.said.words[qi] {
            let all = (self.all[w as usize] as f32 + 1.0) / (self.all_total as f32 + v);
            let own = self.own[e].get(&w).copied().unwrap_or(0) as f32;
            s += ((own + STYLE_SMOOTHING * all) / (self.totals[e] as f32 + STYLE_SMOOTHING) / all).ln();
        }
        s
    }
}

fn addressees(ctx: &Ctx<'_>, speech: &[usize], out: &mut [Attribution], scene: &[Vec<usize>], told: &[Option<usize>]) {
    let turns = turns(ctx, speech);
    for (t, &qi) in turns.iter().enumerate() {
        let block = ctx.quotes[qi].block;
        let in_paragraph: Vec<usize> = ctx.in_block(block).filter(|&k| ctx.quotes[k].kind == QuoteKind::Speech && ctx.quotes[k].parent.is_none()).collect();
        // Each voice of the paragraph in turn (`When Kamenev declared that
        // ..., Ordzhonikidze replied, “...”` after words of others).
        let mut voices: Vec<usize> = Vec::new();
        for &k in &in_paragraph {
            if let Some(s) = out[k].speaker.filter(|s| !voices.contains(s)) {
                voices.push(s);
            }
        }
        for speaker in voices {
            let own: Vec<usize> = in_paragraph.iter().copied().filter(|&k| out[k].speaker == Some(speaker)).collect();
            let first = own[0];
            let mut to: Vec<usize> = Vec::new();
            // Whom the narration says they are said to, then whom they call by name.
            for &k in &own {
                for v in told[k].into_iter().chain(vocatives(ctx, &ctx.quotes[k])) {
                    if v != speaker && !to.contains(&v) {
                        to.push(v);
                    }
                }
            }
            let members = &ctx.cast.entities[speaker].members;
            if ctx.cast.entities[speaker].kind == EntityKind::Group || out[first].reported_by.is_some() {
                // A group speaks to no one in particular; words reported by
                // someone else were said elsewhere, to others.
            } else if to.is_empty() && scene[first].contains(&speaker) {
                to = scene[first].iter().copied().filter(|&e| e != speaker && !members.contains(&e)).collect();
            } else if to.is_empty() && first == qi {
                // The other side of the exchange: the person who spoke the
                // turn before or after (words written are no side of one).
                let person = |s: &usize| ctx.cast.entities[*s].kind == EntityKind::Person;
                let near = |i: Option<usize>| {
                    i.and_then(|i| turns.get(i)).filter(|&&k| !out[k].written).and_then(|&k| out[k].speaker.filter(|&s| s != speaker && person(&s)).map(|s| (k, s)))
                };
                let candidate = near(t.checked_sub(1)).or_else(|| near(Some(t + 1)));
                if let Some((k, s)) = candidate {
                    let (a, b) = (ctx.quotes[k].block.min(block), ctx.quotes[k].block.max(block));
                    if !conversation_broken(ctx, a, b) {
                        to.push(s);
                    }
                }
            }
            for &k in &own {
                out[k].addressees = to.clone();
            }
        }
    }
}


#[cfg(test)]
mod tests {
    use kulisy_model::{Document, SourceFormat};

    /// (speaker, sieve, reporter, written, addressees) of the quotation starting with `start`.
    fn who(text: &str, start: &str) -> (String, &'static str, Option<String>, bool, Vec<String>) {
        let (doc, ex) = extracted_with(text, Vec::new());
        let a = &ex.attributions[quotation_at(&doc, &ex, start)];
        let name = |e: usize| ex.cast.entities[e].name.clone();
        (a.speaker.map_or("-".into(), name), a.sieve, a.reported_by.map(name), a.written, a.addressees.iter().map(|&e| name(e)).collect())
    }

    #[test]
    fn words_said_to_me_are_said_to_the_narrator() {
        // `Bill said to me` in a first-person text: the narrator is spoken
        // to, though Cohn was named last.
        let mut t = "I walked home and I thought about the day, as I often do when I am alone. ".repeat(14);
        t.push_str("We went around under the arcade for coffee. Mr. Robert Cohn said he was going over to get a shave.\n\n");
        t.push_str("“Say,” Mr. Bill Gorton said to me, “have I got any chance on that bet?”\n\nWe sat down in the wicker chairs and ordered the coffee.\n");
        assert_eq!(who(&t, "“Say,”").4, ["the narrator"]);
        let t = t.replace("said to me", "asked me");
        assert_eq!(who(&t, "“Say,”").4, ["the narrator"]);
    }

    #[test]
    fn a_first_person_narrator_who_says_i_stays_among_many_persons_named() {
        // Nine others named around the exchange; the narrator, who tells it,
        // still answers the one who speaks by name.
        let mut t = "I walked home and I thought about the day, as I often do when I am alone. ".repeat(14);
        t.push_str("Mr. Bill Gorton, Mr. Mike Campbell, Mr. Robert Cohn, Mr. Harris, Mr. Wilson, Mr. Zizi, Mr. Braddocks, Mr. Romero and Mr. Belmonte went up-stairs; Mr. Bill Gorton, Mr. Mike Campbell, Mr. Robert Cohn, Mr. Harris, Mr. Wilson, Mr. Zizi, Mr. Braddocks, Mr. Romero and Mr. Belmonte were tired. I stopped and I spoke with Mr. Montoya.\n\n");
        t.push_str("“How did you like the bulls?” asked Mr. Montoya.\n\n“Good. They were nice bulls.”\n\n“They are all right.”\n\n“I know what you mean.”\n");
        assert_eq!(who(&t, "“Good.").0, "the narrator");
        assert_eq!(who(&t, "“They are").0, "Mr. Montoya");
        assert_eq!(who(&t, "“I know").0, "the narrator");
    }

    #[test]
    fn the_persons_of_a_phrase_between_a_name_and_its_verb_are_not_the_subject() {
        let t = "Maria was sent away, and Miss Isabella Thorpe, embracing Miss Catherine Morland, thus began: “Yes, my dear, it is so indeed.”\n";
        assert_eq!(who(t, "“Yes").0, "Miss Isabella Thorpe");
        let t = "Mr. Ahmed Khan, apprized by Mr. Mohammed Latif of the character of the bee, said, “They will not hurt us.”\n";
        assert_eq!(who(t, "“They").0, "Mr. Ahmed Khan");
        let t = "At the same moment Mr. Henry Crawford, approaching Miss Julia Bertram, said, “I hope I am not to lose my companion.”\n";
        assert_eq!(who(t, "“I hope").0, "Mr. Henry Crawford");
        let t = "“Then certainly I won’t play,” said Mr. Cecil Vyse, while Miss Charlotte Bartlett, under the impression that she was snubbing Mr. George Emerson, added: “I agree with you, Mr. Vyse.”\n";
        assert_eq!(who(t, "“I agree").0, "Miss Charlotte Bartlett");
        // A clause of its own between commas still names the subject of the verb after it.
        let t = "Miss Julia Bertram looked at Mr. Henry Crawford, and, turning away, said, “Not yet.”\n";
        assert_eq!(who(t, "“Not yet").0, "Miss Julia Bertram");
    }

    #[test]
    fn words_that_say_my_husband_are_a_womans() {
        // Mr. Allen is named more; the one who speaks of her husband is Mrs. Allen.
        let t = "Miss Catherine Morland sat with Mrs. Allen and Mr. Allen. Mr. Allen was reading, and Mr. Allen yawned.\n\n“It is a fine day,” said Miss Catherine Morland.\n\n“My husband says it will rain.”\n\n“Then we must stay,” said Miss Catherine Morland.\n";
        assert_eq!(who(t, "“My husband").0, "Mrs. Allen");
    }

    #[test]
    fn whoever_answers_words_said_to_sir_is_a_man() {
        // Mrs. Jennings is named more; the one called `sir` answers.
        let t = "Miss Elinor Dashwood sat with Mrs. Jennings and Mr. Thomas Palmer. Mrs. Jennings was cheerful, and Mrs. Jennings laughed.\n\n“Is it still raining, sir?” asked Miss Elinor Dashwood.\n\n“It is.”\n\n“Then we must stay,” said Miss Elinor Dashwood.\n";
        assert_eq!(who(t, "“It is.").0, "Mr. Thomas Palmer");
        let t = "Mr. Thomas Palmer sat with Mrs. Jennings and Mr. John Dashwood. Mr. John Dashwood was cheerful, and Mr. John Dashwood laughed.\n\n“Is it still raining, ma’am?” asked Mr. Thomas Palmer.\n\n“It is.”\n\n“Then we must stay,” said Mr. Thomas Palmer.\n";
        assert_eq!(who(t, "“It is.").0, "Mrs. Jennings");
        let t = "Miss Elinor Dashwood sat with Mrs. Jennings and Mr. Henry Dashwood. Mrs. Jennings was cheerful, and Mrs. Jennings laughed.\n\n“Father, is it still raining?” asked Miss Elinor Dashwood.\n\n“It is.”\n\n“Then we must stay,” said Miss Elinor Dashwood.\n";
        assert_eq!(who(t, "“It is.").0, "Mr. Henry Dashwood");
    }

    #[test]
    fn dialogue_label() {
        let t = "Kamenev met Ordzhonikidze.\n\nKamenev: “Did he say that in the Politburo?”\n\nOrdzhonikidze: “No, that was before the session.”\n";
        assert_eq!(who(t, "“Did he").0, "Kamenev");
        assert_eq!(who(t, "“Did he").1, "dialogue-label");
        assert_eq!(who(t, "“No, that").0, "Ordzhonikidze");
        // Not a label: a colon after ordinary words.
        let t = "Kamenev met Ordzhonikidze.\n\nThe answer was short: “No.”\n";
        assert_ne!(who(t, "“No.").1, "dialogue-label");
    }

    #[test]
    fn speech_verb_after() {
        let t = "Kamenev met Bukharin at Pyatakov’s.\n\n“But wouldn’t that be a platform?” asked Kamenev.\n";
        assert_eq!(who(t, "“But").0, "Kamenev");
        assert_eq!(who(t, "“But").1, "speech-verb-after");
        let t = "Mr. Kamenev met Mrs. Krupskaya.\n\n“What do you intend to do?” he asked.\n";
        assert_eq!(who(t, "“What").0, "Mr. Kamenev");
        // No speech verb after the words: this sieve does not fire.
        let t = "Kamenev met Bukharin.\n\n“Enough,” and Bukharin went away.\n";
        assert_ne!(who(t, "“Enough").1, "speech-verb-after");
    }

    #[test]
    fn speech_verb_before_takes_the_subject_not_an_earlier_name() {
        let t = "Kamenev met Ordzhonikidze. When Kamenev declared that he could not understand it, Ordzhonikidze replied, “It is still too soon.”\n";
        let (speaker, sieve, reporter, _, _) = who(t, "“It is");
        assert_eq!((speaker.as_str(), sieve, reporter), ("Ordzhonikidze", "speech-verb-before", None));
        let t = "To this Bukharin replied, “Of course this is true.”\n";
        assert_eq!(who(t, "“Of course").0, "Bukharin");
    }

    #[test]
    fn speech_verb_in_the_previous_sentence() {
        let t = "After Bukharin had left, Kamenev asked Pyatakov why. Pyatakov answered that he seriously believed one cannot oppose Stalin. “Stalin is the only man who can still be obeyed.”\n";
        let (speaker, sieve, _, _, to) = who(t, "“Stalin is");
        assert_eq!((speaker.as_str(), sieve), ("Pyatakov", "speech-verb-sentence"));
        assert_eq!(to, vec!["Kamenev"]);
    }

    #[test]
    fn reported_speech_has_its_reporter() {
        let t = "Kamenev met Ordzhonikidze. Ordzhonikidze told them he had raised the question and that Voroshilov had said: “No extension of their rights.”\n";
        let (speaker, _, reporter, _, to) = who(t, "“No extension");
        assert_eq!((speaker.as_str(), reporter.as_deref()), ("Voroshilov", Some("Ordzhonikidze")));
        assert!(to.is_empty());
    }

    #[test]
    fn written_words_are_written() {
        let t = "They left without anything coming of it. Zinoviev wrote a thesis two pages long: “The kulak is growing stronger throughout the country.”\n";
        let (speaker, _, _, written, to) = who(t, "“The kulak");
        assert_eq!((speaker.as_str(), written), ("Zinoviev", true));
        assert!(to.is_empty());
    }

    #[test]
    fn unnamed_voices_have_no_speaker() {
        let t = "Bukharin spoke at length. These words of Bukharin were met with cries: “Where did you copy that? From Trotsky!”\n";
        let (speaker, sieve, _, _, _) = who(t, "“Where");
        assert_eq!((speaker.as_str(), sieve), ("-", "collective-voices"));
    }

    #[test]
    fn turns_alternate_and_the_one_addressed_answers() {
        let t = "After dinner, Emma sat with Mr. Woodhouse.\n\n“It is very kind of you to come,” said Mr. Woodhouse.\n\n“Not at all, papa. It is a beautiful night.”\n\n“But you must have found it damp.”\n\n“Dirty, papa! Look at my shoes.”\n";
        assert_eq!(who(t, "“Not at all").0, "Emma");
        assert_eq!(who(t, "“Not at all").1, "turn-taking");
        assert_eq!(who(t, "“But you").0, "Mr. Woodhouse");
        assert_eq!(who(t, "“Dirty").0, "Emma");
        assert_eq!(who(t, "“Dirty").4, vec!["Mr. Woodhouse"]);
    }

    /// Two men to whom narration gives many words by name, one speaking in
    /// dialect, the other plainly.
    fn two_manners() -> String {
        let mut t = String::from("Mr. Berry Hamilton worked for Mr. Maurice Oakley.\n\n");
        for _ in 0..30 {
            t.push_str("“Dat is de way, suh, I allus done it dat way, and I ain't gwine change now,” said Mr. Berry Hamilton.\n\n");
            t.push_str("“Very well, I understand you perfectly, and I shall not ask again,” said Mr. Maurice Oakley.\n\nThe day went by.\n\n");
        }
        t
    }

    #[test]
    fn a_bare_turn_goes_to_the_one_whose_manner_of_speech_it_has() {
        // Narration gives each man many words by name; in an exchange
        // nothing else tells apart, the words themselves say who speaks.
        let t = two_manners();
        let dialect = ["“Ain't nobody gwine tell me dat, suh, I allus knowed it.”", "“Dat is so, suh, and I ain't gwine fo'git it.”"];
        let plain = ["“Very well, I shall not ask you again.”", "“I understand, and I shall not forget it.”"];
        for (a, b) in [(dialect, plain), (plain, dialect)] {
            let text = format!("{t}They sat in the hall.\n\n{}\n\n{}\n\n{}\n\n{}\n", a[0], b[0], a[1], b[1]);
            for k in 0..2 {
                assert_eq!(who(&text, dialect[k]).0, "Mr. Berry Hamilton", "{text}");
                assert_eq!(who(&text, plain[k]).0, "Mr. Maurice Oakley", "{text}");
            }
        }
    }

    #[test]
    fn a_lone_turn_goes_to_a_recent_person_whose_manner_of_speech_it_has() {
        let t = two_manners();
        let dialect = "“Ain't nobody gwine tell me dat, suh, I allus knowed it, dat is de way, suh, dat is de way I allus done it.”";
        let plain = "“Very well, I understand perfectly, and I shall not ask you again.”";
        for words in [dialect, plain] {
            let text = format!("{t}The lamp burned late in the room.\n\n{words}\n\nThe night was long.\n");
            let expected = if words == dialect { "Mr. Berry Hamilton" } else { "Mr. Maurice Oakley" };
            assert_eq!(who(&text, words).0, expected, "{words}");
        }
    }

    #[test]
    fn a_pronoun_speaker_takes_the_turn_the_conversation_gives() {
        // By recency alone, `he` would be Mr. Knightley, who has just spoken.
        let t = "Mr. Knightley came in and found Mr. Weston by the fire.\n\n“Good evening,” said Mr. Weston.\n\n“Good evening,” said Mr. Knightley.\n\n“Is it cold outside?” he asked.\n\n“Very,” he said.\n";
        assert_eq!(who(t, "“Is it").0, "Mr. Weston");
        assert_eq!(who(t, "“Is it").1, "speech-verb-after");
        assert_eq!(who(t, "“Very").0, "Mr. Knightley");
        // But a person the paragraph itself names is whom `she` means.
        let t = "Emma sat with Harriet.\n\n“It is late,” said Emma.\n\n“It is,” said Harriet.\n\nEmma rose from her chair. “I must go,” she said.\n";
        assert_eq!(who(t, "“I must").0, "Emma");
    }

    #[test]
    fn after_narration_the_one_it_tells_of_speaks() {
        let t = "Emma sat with Mr. Knightley.\n\n“It is late,” said Emma.\n\n“It is.”\n\nMr. Knightley rose and walked to the window.\n\n“It is raining.”\n";
        // Alternation across the narration would give the words to Emma.
        assert_eq!(who(t, "“It is raining").0, "Mr. Knightley");
        assert_eq!(who(t, "“It is.").0, "Mr. Knightley");
    }

    #[test]
    fn quotations_given_from_elsewhere_may_start_before_their_paragraph() {
        // A benchmark's spans need not agree with kulisy's paragraphs.
        let text = "Emma sat with Mr. Knightley.\n\n“It is late,” said Emma.\n\n“It is raining.”\n";
        let doc = kulisy_read::read_bytes("test", text.as_bytes().to_vec(), Some(SourceFormat::Text)).unwrap_or_else(|e| panic!("{e}"));
        let ex = crate::extract(&doc);
        let mut quotes = ex.segmentation.quotations.clone();
        for q in &mut quotes {
            q.span.start = q.span.start.saturating_sub(3);
        }
        let a = super::attribute_quotations(&doc, &quotes, &ex.cast, &ex.events);
        assert_eq!(a.len(), quotes.len());
    }

    #[test]
    fn a_speaker_described_is_found_as_a_pronoun_is() {
        let t = "Mr. Knightley sat with Miss Taylor.\n\n“It is late,” said Mr. Knightley.\n\n“Now look here,” said the girl, “it is not.”\n\n“Is it not?” the old man answered.\n";
        assert_eq!(who(t, "“Now look").0, "Miss Taylor");
        assert_eq!(who(t, "“Now look").1, "speech-verb-after");
        assert_eq!(who(t, "“Is it not").0, "Mr. Knightley");
        // A name after the verb comes first: `said the girl to Mr. Knightley` is not his.
        let t = "Mr. Knightley sat with Miss Taylor.\n\n“It is late,” said Mr. Knightley.\n\n“Not at all,” said the girl to Mr. Knightley.\n";
        assert_eq!(who(t, "“Not at all").0, "Miss Taylor");
    }

    #[test]
    fn a_name_with_its_verb_after_for_is_the_subject_a_pronoun_means() {
        let t = "Mr. Willoughby had gone away.\n\nMarianne wept, for Colonel Brandon had come in.\n\n“I met Mrs. Jennings in Bond Street,” said he.\n";
        assert_eq!(who(t, "“I met").0, "Colonel Brandon");
        // The object of `for` is not.
        let t = "Mr. Willoughby had gone away.\n\nMarianne wept for Colonel Brandon.\n\n“I met Mrs. Jennings in Bond Street,” said he.\n";
        assert_eq!(who(t, "“I met").0, "Mr. Willoughby");
    }

    #[test]
    fn a_name_set_beside_her_friend_is_not_whom_she_means() {
        let t = "Mrs. Bennet was alone in the breakfast-room with Miss Lucas.\n\nMrs. Bennet began on the subject, entreating her to persuade her friend Lizzy to comply.\n\n“Pray do, my dear,” she added, “for nobody is on my side.”\n";
        assert_eq!(who(t, "“Pray do").0, "Mrs. Bennet");
        // Named as the subject, the same person is whom `she` means.
        let t = t.replace("persuade her friend Lizzy to comply", "persuade Lizzy, who at last agreed to comply");
        assert_eq!(who(&t, "“Pray do").0, "Lizzy");
    }

    #[test]
    fn whom_a_later_quotation_of_a_paragraph_addresses_answers_next() {
        // The paragraph's second quotation calls Catherine; the bare words
        // after are hers, though its first quotation names no one.
        let t = "Isabella and Catherine sat with Mrs. Thorpe in the parlour.\n\n“It is all settled,” said Isabella.\n\n“It is very charming indeed,” said Mrs. Thorpe. “I only wish I could do as much. Four hundred is but a small income, but your wishes, my dear Catherine, are so moderate.”\n\n“It is not on my own account that I wish for more.”\n";
        assert_eq!(who(t, "“It is not").0, "Catherine");
    }

    #[test]
    fn whom_any_quotation_of_a_bare_paragraph_speaks_of_is_not_its_speaker() {
        // Narration names Emma last, but the words after speak of her.
        let t = "Mr. Elton walked to the vicarage with Harriet. Emma smiled at them.\n\n“It is a very pretty house.” “Emma thinks so too, I am sure.”\n\n“It is a pretty house,” said Mr. Elton.\n";
        assert_eq!(who(t, "“It is a very").0, "Harriet");
    }

    #[test]
    fn a_lone_paragraph_is_not_said_by_whom_any_of_its_quotations_addresses() {
        let t = "Emma was sewing when Mr. Knightley came in.\n\n“I have news for you.” “Do you hear me, Emma?”\n\nShe put down her work.\n";
        assert_eq!(who(t, "“I have news").0, "Mr. Knightley");
    }

    #[test]
    fn a_name_before_dear_is_an_address() {
        let t = "Charles sat at breakfast with his sister Evie and with Dolly.\n\n“They had no business to cut those elms,” said Charles.\n\n“Butter, Dolly?”\n\n“Thank you, Evie dear.”\n";
        assert_eq!(who(t, "“Thank you").4, ["Evie"]);
        assert_eq!(who(t, "“Butter").0, "Evie");
    }

    #[test]
    fn she_said_is_not_whom_her_words_speak_of() {
        let t = "Miss Quested and Mrs. Moore walked to the club.\n\n“Mrs. Moore says he is so nice,” she said.\n";
        assert_eq!(who(t, "“Mrs. Moore says").0, "Miss Quested");
        // Words that name their speaker are still hers.
        let t = "Miss Quested and Mrs. Moore walked to the club.\n\n“I am Mrs. Moore, and I say he is so nice,” she said.\n";
        assert_eq!(who(t, "“I am").0, "Mrs. Moore");
    }

    #[test]
    fn a_lone_paragraph_is_not_said_by_whom_its_words_speak_of() {
        let t = "Emma was sewing when Mr. Knightley came in.\n\n“I have news for you about Emma's friend.” “Emma will like it.”\n\nShe put down her work.\n";
        assert_eq!(who(t, "“I have news").0, "Mr. Knightley");
    }

    #[test]
    fn one_a_later_question_calls_on_has_not_just_spoken() {
        // `Is not it so, Mrs. Bennet?` asks her to answer next; it does not
        // answer her.
        let t = "Mr. Bennet sat in the library with Mrs. Bennet. Miss Lucas sat down by them, and Miss Lucas waited.\n\n“Is it true?” said Mr. Bennet.\n\n“It is, sir.”\n\n“Very well. Your mother insists upon it. Is not it so, Mrs. Bennet?” said Mr. Bennet.\n";
        assert_eq!(who(t, "“It is, sir").0, "Miss Lucas");
    }

    #[test]
    fn the_subject_of_a_clause_that_tells_when_is_not_the_speaker() {
        let t = "Mr. Heaslop sat with Mrs. Moore.\n\n“Good will and more good will,” said Mrs. Moore.\n\nHe waited until she had done, and then said gently, “I quite see that.”\n";
        assert_eq!(who(t, "“I quite").0, "Mr. Heaslop");
        // But the subject of the clause whose verb is the speech verb is.
        let t = "Mr. Heaslop sat with Mrs. Moore.\n\n“Good will and more good will,” said Mr. Heaslop.\n\nHe waited, while she, thoughtful again, said: “I quite see that.”\n";
        assert_eq!(who(t, "“I quite").0, "Mrs. Moore");
    }

    #[test]
    fn cues_without_a_comma_or_in_a_noun() {
        let t = "Mr. Knightley sat with Miss Taylor.\n\nMr. Knightley laid his hand on the table, and timidly said “Consider, my dear.”\n\nMiss Taylor answered “Never.”\n\n“It is late,” was Mr. Knightley’s answer.\n";
        assert_eq!(who(t, "“Consider").0, "Mr. Knightley");
        assert_eq!(who(t, "“Consider").1, "speech-verb-before");
        assert_eq!(who(t, "“Never").0, "Miss Taylor");
        assert_eq!(who(t, "“It is late").0, "Mr. Knightley");
        assert_eq!(who(t, "“It is late").1, "speech-verb-after");
        // A sentence that ends before the words is no cue of this kind.
        let t = "Mr. Knightley sat with Miss Taylor.\n\nMiss Taylor said nothing. “Never.”\n";
        assert_ne!(who(t, "“Never").1, "speech-verb-before");
    }

    #[test]
    fn the_narrator_of_a_first_person_text_takes_part_in_its_conversations() {
        let mut t = "I walked home and I thought about the day, as I often do when I am alone. ".repeat(14);
        t.push_str("I found Mr. Brook by the fire.\n\n“Good evening,” said Mr. Brook.\n\n“Is it?”\n\n“It is, I think.”\n\n“Then I shall stay.”\n");
        assert_eq!(who(&t, "“Is it").0, "the narrator");
        assert_eq!(who(&t, "“It is, I").0, "Mr. Brook");
        assert_eq!(who(&t, "“Then I").0, "the narrator");
    }

    #[test]
    fn a_new_scene_starts_a_new_conversation() {
        let t = "Kamenev met Bukharin at Pyatakov’s.\n\n“We must act,” said Bukharin.\n\n“Not yet,” said Kamenev.\n\n“When, then?”\n\nThe next day Zinoviev met Krupskaya at her flat.\n\n“What do you intend to do?” asked Zinoviev.\n\n“Nothing at all.”\n";
        assert_eq!(who(t, "“When").0, "Bukharin");
        // Bukharin, by alternation across the break; Krupskaya, in the new scene.
        assert_eq!(who(t, "“Nothing").0, "Krupskaya");
    }

    #[test]
    fn speech_verbs_with_a_particle_or_a_word_before_the_name() {
        let t = "Mr. Aziz met Mr. Turton.\n\n“They ship them in ice,” put in Mr. Turton.\n\n“What can you expect?” said dour Major Callendar.\n\n“Come along,” said Mr. Aziz to Mr. Turton.\n";
        assert_eq!(who(t, "“They ship").0, "Mr. Turton");
        assert_eq!(who(t, "“They ship").1, "speech-verb-after");
        assert_eq!(who(t, "“What can").0, "Major Callendar");
        // A preposition between: the name is whom the words are said to.
        assert_eq!(who(t, "“Come").0, "Mr. Aziz");
    }

    #[test]
    fn the_one_asked_is_spoken_to_and_answers() {
        let t = "Jake and Harris walked up from the river.\n\n“What day of the week is it?” Jake asked Harris.\n\n“Wednesday, I think.”\n\n“We have been here nearly a week.”\n";
        let (speaker, sieve, _, _, to) = who(t, "“What day");
        assert_eq!((speaker.as_str(), sieve, to), ("Jake", "speech-verb-after", vec!["Harris".to_string()]));
        assert_eq!(who(t, "“Wednesday").0, "Harris");
        assert_eq!(who(t, "“We have").0, "Jake");
        // Said to someone: `said to`, after the subject or the verb.
        let t = "Mrs. Moore met Mrs. Bhattacharya.\n\nMrs. Moore said to Mrs. Bhattacharya, “May we call on you some day?”\n\n“When?”\n";
        assert_eq!(who(t, "“May we").4, vec!["Mrs. Bhattacharya".to_string()]);
        assert_eq!(who(t, "“When").0, "Mrs. Bhattacharya");
    }

    #[test]
    fn a_third_voice_joins_where_the_narration_names_it() {
        // Bill asks, Mike answers, Bill asks again; Brett's first words are
        // named, so the bare question before them is still Bill's.
        let t = "Bill, Mike and Brett were at the café.\n\n“I say, Brett, you are lovely,” Mike said.\n\n“How did you go bankrupt?” Bill asked.\n\n“Two ways,” Mike said. “Gradually and then suddenly.”\n\n“What brought it on?”\n\n“Friends,” said Mike. “I had a lot of friends.”\n\n“Tell them about the court,” Brett said.\n";
        assert_eq!(who(t, "“What brought").0, "Bill");
        assert_eq!(who(t, "“Tell them").0, "Brett");
    }

    #[test]
    fn the_persons_of_a_relative_clause_are_not_the_subject() {
        let t = "Miss Crawford, Dr. Grant and Edmund sat at the table.\n\nMiss Crawford, who had been eyeing Dr. Grant and Edmund, now observed, “Those gentlemen must have something to discuss.”\n";
        assert_eq!(who(t, "“Those").0, "Miss Crawford");
        // A verb inside the clause: its subject still speaks.
        let t = "Catherine was met by Mr. Allen.\n\nShe was met by Mr. Allen, who said, “You are late.”\n";
        assert_eq!(who(t, "“You are").0, "Mr. Allen");
    }

    #[test]
    fn the_subject_before_a_verb_of_speech_is_found_past_clauses_of_others() {
        // Right before the verb, after `for`.
        let t = "Alice Liddell and Bill Harris stood in the court.\n\n“Stupid things!” Alice began, but she stopped short, for Harris cried out, “Silence in the court!”\n";
        assert_eq!(who(t, "“Silence").0, "Bill Harris");
        // A person of the clause the verb takes as its object is not the subject.
        let t = "Miss Elizabeth Bennet met Mr. Darcy at the piano.\n\nElizabeth saw what he was doing, and at the first pause turned to him with an arch smile, and said, “You mean to frighten me.”\n";
        assert_eq!(who(t, "“You mean").0, "Miss Elizabeth Bennet");
        // A relative clause that goes on past a comma with `and` and its verb.
        let t = "Fanny Price sat with Edmund and Tom Bertram.\n\nFanny, who had heard it all, and borne Edmund company in every feeling, now ventured to say, “Perhaps they will not find a play.”\n";
        assert_eq!(who(t, "“Perhaps").0, "Fanny Price");
        // A clause of its own after the comma ends the relative clause.
        let t = "Fanny Price sat with Edmund and Tom Bertram.\n\nFanny, who had heard it all, and Edmund, who had not, sat down; Edmund said, “Perhaps they will not find a play.”\n";
        assert_eq!(who(t, "“Perhaps").0, "Edmund");
    }

    #[test]
    fn less_common_verbs_of_speech_report_speech_too() {
        let t = "Kamenev met Bukharin and Rykov.\n\n“There is no platform,” Bukharin interjected.\n\n“There is one,” contradicted Rykov.\n\n“Enough!” Kamenev bellowed.\n";
        assert_eq!(who(t, "“There is no").0, "Bukharin");
        assert_eq!(who(t, "“There is no").1, "speech-verb-after");
        assert_eq!(who(t, "“There is one").0, "Rykov");
        assert_eq!(who(t, "“Enough").1, "speech-verb-after");
    }

    #[test]
    fn speech_over_several_paragraphs_given_a_quotation_each_has_one_voice() {
        // As an annotation gives them: one quotation a paragraph, those
        // whose paragraph ends without a closing mark going on in the next.
        let t = "Mr. Weston met Miss Smith at the gate.\n\n“Good morning,” said Miss Smith.\n\n“I have a long story to tell,” said Mr. Weston. “It began in the spring.\n\n“Then came the summer.\n\n“And at last the autumn.”\n\n“What a story!”\n";
        let doc = kulisy_read::read_bytes("test", t.as_bytes().to_vec(), Some(SourceFormat::Text)).unwrap_or_else(|e| panic!("{e}"));
        let ex = crate::extract(&doc);
        use kulisy_model::{Quotation, Span};
        let mut quotes: Vec<Quotation> = Vec::new();
        for q in &ex.segmentation.quotations {
            for (i, piece) in q.pieces.iter().enumerate() {
                let block = doc.blocks.partition_point(|b| b.span.end < piece.start);
                let same_block = quotes.last().is_some_and(|l: &Quotation| l.block == block && i > 0);
                let start = doc.text[..piece.start].strip_suffix('“').map_or(piece.start, |s| s.len());
                let last = i + 1 == q.pieces.len();
                let end = if last { q.span.end } else { piece.end };
                match quotes.last_mut() {
                    Some(l) if same_block => {
                        l.pieces.push(*piece);
                        l.span = Span::new(l.span.start, end);
                        l.close = last.then_some('”');
                    }
                    _ => quotes.push(Quotation { span: Span::new(start, end), pieces: vec![*piece], close: last.then_some('”'), block, ..q.clone() }),
                }
            }
        }
        assert_eq!(quotes.len(), 6, "{quotes:?}");
        let out = super::attribute_quotations(&doc, &quotes, &ex.cast, &ex.events);
        let name = |k: usize| out[k].speaker.map_or("-".to_string(), |e| ex.cast.entities[e].name.clone());
        assert_eq!([name(2), name(3), name(4)], ["Mr. Weston", "Mr. Weston", "Mr. Weston"]);
        assert_eq!(out[3].sieve, "continued-speech");
        assert_eq!(name(5), "Miss Smith");
    }

    #[test]
    fn narration_that_ends_with_someone_beginning_to_speak_gives_the_next_words() {
        let t = "Tom, Maria and Henry were in the theatre.\n\n“I will be Agatha,” said Maria.\n\n“You cannot,” said Henry.\n\n“But I shall be so overpowering!” She stopped. Henry looked rather foolish. Tom began again\n\n“Miss Crawford must be Amelia.”\n\n“She will not,” said Maria.\n";
        assert_eq!(who(t, "“Miss Crawford").0, "Tom");
        // A smile is no speech, nor is the tag of a paragraph's own words.
        let t = "Tom, Maria and Henry were in the theatre.\n\n“I will be Agatha,” said Maria.\n\n“You cannot,” said Henry.\n\n“But I shall be so overpowering!” She stopped. Tom smiled.\n\n“Miss Crawford must be Amelia.”\n\n“She will not,” said Maria.\n";
        assert_eq!(who(t, "“Miss Crawford").0, "Henry");
        let t = "Tom, Maria and Henry were in the theatre.\n\n“I will be Agatha,” said Maria.\n\n“You cannot,” Tom said.\n\n“But I shall be so overpowering!” Maria stopped, and Henry began.\n\n“Miss Crawford must be Amelia.”\n\n“She will not,” said Maria.\n";
        assert_eq!(who(t, "“Miss Crawford").0, "Henry");
        let t = "Tom, Maria and Henry were in the theatre.\n\n“I will be Agatha,” said Maria.\n\n“You cannot,” said Henry.\n\n“But I shall be so overpowering!” Maria began.\n\n“Miss Crawford must be Amelia.”\n\n“She will not,” said Maria.\n";
        assert_eq!(who(t, "“Miss Crawford").0, "Henry");
        // Words alone after narration: the one who begins, not the first named.
        let t = "Tom, Maria and Henry were in the theatre.\n\nMaria and Henry walked off, and as soon as they were gone Tom began.\n\n“Miss Crawford must be Amelia.”\n\nNobody answered him.\n";
        assert_eq!(who(t, "“Miss Crawford").0, "Tom");
    }

    #[test]
    fn the_words_are_the_reply_of_whom_the_narration_says() {
        let t = "Edmund met Fanny in the park.\n\n“It will not do,” was\nEdmund’s only reply.\n\n“Nothing can be done,” was Fanny’s answer, “and we must wait.”\n\nMiss Bertram walked over to Mr. Rushworth. She was pleased.\n\n“A fine day,” was her reply.\n";
        assert_eq!(who(t, "“It will").0, "Edmund");
        assert_eq!(who(t, "“It will").1, "speech-verb-after");
        // Between the pieces of the words.
        assert_eq!(who(t, "“Nothing").0, "Fanny");
        assert_eq!(who(t, "“A fine").0, "Miss Bertram");
        assert_eq!(who(t, "“A fine").1, "speech-verb-after");
    }

    #[test]
    fn a_relation_is_the_one_of_that_family() {
        let t = "Lady Catherine met Elizabeth Bennet and Mrs. Bennet at Longbourn.\n\nLady Catherine rose and said to Elizabeth, “Miss Bennet, I should be glad to take a turn in your garden.”\n\n“Go, my dear,” cried her mother, “and show her ladyship the walks.”\n";
        assert_eq!(who(t, "“Go, my").0, "Mrs. Bennet");
    }

    #[test]
    fn a_relation_is_found_by_the_family_name_of_an_alias() {
        use kulisy_model::Gender::{Female, Male};
        // Elinor's list entry gives her family name only in `Miss Dashwood`;
        // her mother is not named near the words `her mother` says.
        let known = vec![
            crate::cast::person("Elinor", &["Miss Dashwood"], Some(Female)),
            crate::cast::person("Mrs. Dashwood", &[], Some(Female)),
            crate::cast::person("Colonel Brandon", &["Brandon"], Some(Male)),
        ];
        let t = "Colonel Brandon had gone away at last.\n\n“His regard for her is plain.”\n\n“Colonel Brandon is an excellent man,” said Elinor.\n\n“I know it is,” replied her mother seriously, “or I should not be pleased by it.”\n\n“His character, however,” answered Elinor, “is not all.”\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“I know it is"), "Mrs. Dashwood");
    }

    #[test]
    fn an_answer_is_said_to_whoever_spoke_before() {
        let t = "Zinoviev met Bakayev and Kalinin.\n\nThe Zinovievists got together. Bakayev insisted that they issue a protest. Zinoviev answered that there was no one to protest to, because “there is no chief”. That is how things were left.\n";
        assert_eq!(who(t, "“there is").4, vec!["Bakayev".to_string()]);
        // Words of another voice earlier in the paragraph.
        let t = "Zinoviev and Kamenev defined the situation as follows: “We must get to the helm.” Kamenev approached Ordzhonikidze. When Kamenev declared that he could not understand why they were left in the Centro-Soyuz (where Zinoviev is working), Ordzhonikidze replied, “It is still too soon.”\n";
        assert_eq!(who(t, "“It is still").0, "Ordzhonikidze");
        assert_eq!(who(t, "“It is still").4, vec!["Kamenev".to_string()]);
    }

    #[test]
    fn a_scene_closes_where_they_part() {
        let t = "Ordzhonikidze invited Kamenev and Zinoviev to his house.\n\n“Well, and what did Stalin say?”\n\n“Nothing yet.”\n\nThey left without anything coming of it. Zinoviev wrote a thesis.\n\nKamenev says, “It is impossible to come to an agreement.”\n";
        assert_eq!(who(t, "“It is impossible").0, "Kamenev");
        assert!(who(t, "“It is impossible").4.is_empty());
    }

    #[test]
    fn a_name_joined_to_an_object_is_an_object_too() {
        let t = "Miss Elizabeth met Mr. Darcy and Miss Jane at the ball.\n\n“Both,” replied Miss Elizabeth archly.\n\nMr. Darcy looked towards Mr. Bingley and Miss Jane, who were dancing together.\n\n“What think you of books?” said he, smiling.\n\n“Books, oh no!” said she.\n";
        assert_eq!(who(t, "“Books").0, "Miss Elizabeth");
    }

    #[test]
    fn the_doer_of_a_passive_is_no_object() {
        let t = "Mr. Darcy met Miss Elizabeth.\n\nMiss Elizabeth walked on alone, thinking of Mr. Darcy. She was overtaken by Mr. Wickham.\n\n“I am afraid I interrupt your ramble,” said he, as he joined her.\n";
        assert_eq!(who(t, "“I am afraid").0, "Mr. Wickham");
    }

    #[test]
    fn a_name_in_words_reported_without_marks_is_not_the_subject() {
        let t = "Miss Catherine met Mr. Tilney and Miss Thorpe.\n\nMiss Catherine, without hesitation, replied that she was very sure Miss Thorpe did not mean to dance at all. Mr. Tilney walked away.\n\n“Your brother will not mind it, I know,” said she.\n";
        assert_eq!(who(t, "“Your brother").0, "Miss Catherine");
    }

    #[test]
    fn a_name_in_a_question_reported_without_marks_is_not_the_subject() {
        let t = "Miss Katharine sat with Mr. Rodney.\n\nMrs. Hilbery looked in at the door to ask whether Katharine would dine at home.\n\n“Dearest children,” she said, and went away.\n";
        assert_eq!(who(t, "“Dearest").0, "Mrs. Hilbery");
        let t = t.replace("to ask whether", "and asked what");
        assert_eq!(who(&t, "“Dearest").0, "Mrs. Hilbery");
    }

    #[test]
    fn words_that_say_who_speaks_are_that_persons() {
        let t = "Miss Mary Datchet sat with Mr. Ralph Denham. Miss Katharine Hilbery came up the stairs.\n\n“What do you want?” said Miss Mary Datchet.\n\n“Mary? I am Katharine Hilbery!”\n";
        assert_eq!(who(t, "“Mary?").0, "Katharine Hilbery");
    }

    #[test]
    fn a_person_the_words_speak_of_is_seldom_the_one_speaking() {
        let t = "Jake met Bill at the café.\n\n“We leave on the afternoon bus,” said Jake.\n\n“What rotten luck,” said Bill.\n\n“Jake always leaves before the fun, I suppose.”\n";
        assert_eq!(who(t, "“Jake always").0, "Bill");
    }

    #[test]
    fn a_wife_the_talk_does_not_name_is_the_wife_of_the_one_it_does() {
        // `his wife` is Mrs. Bennet beside Mr. Bennet, though she is named
        // only after the talk.
        let t = "Mr. Bennet came in from the garden.\n\n“Have you heard that Netherfield Park is let at last?” cried his wife.\n\n“I have not,” said Mr. Bennet.\n\n“But it is. Mrs. Long has just been here, and she told me all about it.”\n\n“Do you want me to guess who has taken it?”\n\nThe evening passed quietly after that.\n\nMrs. Bennet was a woman of mean understanding and uncertain temper.\n";
        assert_eq!(who(t, "“Have you heard").0, "Mrs. Bennet");
        assert_eq!(who(t, "“But it is").0, "Mrs. Bennet");
        assert_eq!(who(t, "“Do you want").0, "Mr. Bennet");
    }

    /// Extraction of `text` with the entities `known` given beforehand.
    fn extracted_with(text: &str, known: Vec<kulisy_model::Entity>) -> (Document, crate::Extraction) {
        let doc = kulisy_read::read_bytes("test", text.as_bytes().to_vec(), Some(SourceFormat::Text)).unwrap_or_else(|e| panic!("{e}"));
        let ex = crate::extract_with(&doc, &crate::Options { known });
        (doc, ex)
    }

    /// The quotation starting with `start`.
    fn quotation_at(doc: &Document, ex: &crate::Extraction, start: &str) -> usize {
        ex.segmentation.quotations.iter().position(|q| q.span.text(&doc.text).starts_with(start)).unwrap_or_else(|| panic!("no quotation {start}"))
    }

    /// The name of its speaker, `-` for none.
    fn speaker_with(doc: &Document, ex: &crate::Extraction, start: &str) -> String {
        ex.attributions[quotation_at(doc, ex, start)].speaker.map_or("-".to_string(), |e| ex.cast.entities[e].name.clone())
    }

    #[test]
    fn a_person_known_only_as_sir_is_not_whom_every_sir_addresses() {
        use kulisy_model::Gender::Male;
        // A character list may hold someone called only `Sir`; `Certainly,
        // Sir` still answers Sir William, who then speaks again.
        let known = vec![
            crate::cast::person("Sir William Lucas", &["Sir William"], Some(Male)),
            crate::cast::person("Mr. Darcy", &[], Some(Male)),
            crate::cast::person("Sir", &[], None),
        ];
        let t = "Sir William Lucas stood near Mr. Darcy.\n\n“What a charming amusement for young people this is, Mr. Darcy!” said Sir William.\n\n“Certainly, Sir; and it has the advantage also of being in vogue.”\n\n“Your friend performs delightfully. Do you often dance at St. James's?”\n\n“Never.”\n\n“Do you not think it would be a proper compliment to the place?”\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“Your friend"), "Sir William Lucas");
        assert_eq!(speaker_with(&doc, &ex, "“Do you not"), "Sir William Lucas");
        let qi = quotation_at(&doc, &ex, "“Certainly");
        let addressed: Vec<&str> = ex.attributions[qi].addressees.iter().map(|&e| ex.cast.entities[e].name.as_str()).collect();
        assert!(!addressed.contains(&"Sir"), "{addressed:?}");
    }

    #[test]
    fn the_girl_a_list_gives_as_one_persons_name_is_whoever_the_text_tells_of() {
        use kulisy_model::Gender::{Female, Male};
        // The list calls a flower-seller `The Girl`; in prose `the girl`
        // is Lucy, the one girl of the scene, while `the cabman`, a
        // description no one else answers to, stays the cabman's.
        let known = vec![
            crate::cast::person("Lucy", &["Miss Honeychurch"], Some(Female)),
            crate::cast::person("Mr. Beebe", &[], Some(Male)),
            crate::cast::person("Persephone", &["The Girl"], Some(Female)),
            crate::cast::person("The Cabman", &[], Some(Male)),
        ];
        let t = "Mr. Beebe found Lucy at the window of the pension.\n\n“Are you going out?” he asked.\n\n“I want to see the river,” said the girl.\n\n“It is a long way,” said the cabman.\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“I want"), "Lucy");
        assert_eq!(speaker_with(&doc, &ex, "“It is a long"), "The Cabman");
    }

    #[test]
    fn after_he_made_no_answer_the_one_who_spoke_speaks_again() {
        use kulisy_model::Gender::{Female, Male};
        // Darcy does not answer, so the words after his silence are Miss
        // Bingley's again. Margaret, silent for a moment and then changing
        // the subject, is the one who speaks next.
        let known = vec![
            crate::cast::person("Miss Bingley", &[], Some(Female)),
            crate::cast::person("Mr. Darcy", &["Darcy"], Some(Male)),
        ];
        let t = "Mr. Darcy was writing, and Miss Bingley was watching him.\n\n“How delighted your sister will be to receive such a letter!” said Miss Bingley.\n\nHe made no answer.\n\n“You write uncommonly fast.”\n\n“You are mistaken. I write rather slowly.”\n";
        let (doc, ex) = extracted_with(t, known.clone());
        assert_eq!(speaker_with(&doc, &ex, "“You write"), "Miss Bingley");
        assert_eq!(speaker_with(&doc, &ex, "“You are mistaken"), "Mr. Darcy");
        let known = vec![
            crate::cast::person("Margaret", &[], Some(Female)),
            crate::cast::person("Mr. Wilcox", &[], Some(Male)),
            crate::cast::person("A Little Boy", &[], Some(Male)),
        ];
        let t = "A little boy ran past the table where Margaret and Mr. Wilcox sat.\n\n“But why do you want this settled?” said Margaret.\n\n“I don't know.”\n\n“Now, Mr. Wilcox, you do know.”\n\nMargaret was silent for a moment, and then changed the subject.\n\n“How is your house?”\n\n“Much the same as when you honoured it last week.”\n\n“I don't mean Ducie Street.”\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“How is your"), "Margaret");
        assert_eq!(speaker_with(&doc, &ex, "“I don't mean"), "Margaret");
    }

    #[test]
    fn one_heard_before_the_narration_and_not_named_after_it_is_a_weak_voice() {
        use kulisy_model::Gender::{Female, Male};
        // Mrs. Bennet spoke before the household went to bed; the talk
        // after is Jane's and Elizabeth's, whom the narration names there.
        let known = vec![
            crate::cast::person("Mrs. Bennet", &[], Some(Female)),
            crate::cast::person("Jane", &[], Some(Female)),
            crate::cast::person("Elizabeth", &["Lizzy"], Some(Female)),
            crate::cast::person("Mr. Bingley", &[], Some(Male)),
        ];
        let t = "“He is just what a young man ought to be,” said Mrs. Bennet.\n\nThe evening ended soon after, and the household went up to bed.\n\nThe house was quiet.\n\nWhen Jane and Elizabeth were alone, the former, who had been cautious in her praise of Mr. Bingley before, told her sister how very much she admired him.\n\n“I was very much flattered by his asking me to dance a second time.”\n\n“Did not you expect it? I did for you. He could not help seeing that you were five times as pretty as every other woman in the room.”\n\n“Dear Lizzy!”\n\n“Oh! you are a great deal too apt, you know, to like people in general.”\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“I was very"), "Jane");
        assert_eq!(speaker_with(&doc, &ex, "“Did not you"), "Elizabeth");
        assert_eq!(speaker_with(&doc, &ex, "“Dear Lizzy"), "Jane");
        assert_eq!(speaker_with(&doc, &ex, "“Oh! you are"), "Elizabeth");
    }

    #[test]
    fn a_voice_heard_pages_before_is_no_voice_of_the_talk_after() {
        use kulisy_model::Gender::Female;
        // Charlotte said goodbye weeks and pages before; the talk after is
        // between the aunt the narration names and her niece.
        let known = vec![
            crate::cast::person("Elizabeth", &[], Some(Female)),
            crate::cast::person("Charlotte Lucas", &["Charlotte"], Some(Female)),
            crate::cast::person("Mrs. Gardiner", &[], Some(Female)),
        ];
        let mut t = String::from("“I shall depend on hearing from you very often, Eliza,” said Charlotte.\n\n“That you certainly shall.”\n\n“And I have another favour to ask. Will you come and see me?”\n\n“We shall often meet, I hope, in Hertfordshire.”\n\n“I am not likely to leave Kent for some time,” said Charlotte.\n\n“Then I shall come.”\n\n");
        t.push_str(&"The days passed quietly in the country, and the weeks went by with little to mark them but walks and letters. ".repeat(50));
        t.push_str("\n\nMrs. Gardiner then rallied her niece on her cousin's desertion, and complimented her on bearing it so well.\n\n");
        t.push_str("“But, my dear Elizabeth,” she added, “what sort of girl is Miss King? I should be sorry to think our friend mercenary.”\n\n");
        t.push_str("“Pray, my dear aunt, what is the difference between the mercenary and the prudent motive?”\n\n");
        t.push_str("“If you will only tell me what sort of girl Miss King is, I shall know what to think.”\n\n");
        t.push_str("“She is a very good kind of girl, I believe. I know no harm of her.”\n\n");
        t.push_str("“But he paid her not the smallest attention, till her grandfather's death made her mistress of this fortune.”\n\n");
        t.push_str("“No, why should he? If it was not allowable for him to gain my affections, why should he court her?”\n\n");
        t.push_str("“But there seems an indelicacy in directing his attentions towards her so soon after this event.”\n\n");
        t.push_str("“A man in distressed circumstances has not time for all those elegant decorums which other people may observe.”\n\n");
        t.push_str("“Her not objecting does not justify him. It only shows her being deficient in something herself.”\n\n");
        t.push_str("“Well, have it as you choose. He shall be mercenary, and she shall be foolish.”\n\n");
        t.push_str("“No, that is what I do not choose. I should be sorry to think ill of a young man who has lived so long in Derbyshire.”\n");
        let (doc, ex) = extracted_with(&t, known);
        assert_eq!(speaker_with(&doc, &ex, "“If you will"), "Mrs. Gardiner");
        assert_eq!(speaker_with(&doc, &ex, "“But he paid"), "Mrs. Gardiner");
        assert_eq!(speaker_with(&doc, &ex, "“But there seems"), "Mrs. Gardiner");
        assert_eq!(speaker_with(&doc, &ex, "“Her not objecting"), "Mrs. Gardiner");
        assert_eq!(speaker_with(&doc, &ex, "“No, that is what"), "Mrs. Gardiner");
    }

    #[test]
    fn a_name_in_words_the_speaker_quotes_still_may_be_the_speakers() {
        use kulisy_model::Gender::{Female, Male};
        // Mr. Knightley quotes what Emma used to say to him: his own name
        // in her quoted words does not tell against him.
        let known = vec![
            crate::cast::person("Emma", &["Miss Woodhouse"], Some(Female)),
            crate::cast::person("Mr. Knightley", &[], Some(Male)),
            crate::cast::person("Jane Fairfax", &["Jane"], Some(Female)),
        ];
        let t = "Emma sat with Mr. Knightley, and they spoke of Jane Fairfax.\n\n“I was very often influenced rightly by you,” cried Emma.\n\n“How often, when you were a girl, have you said to me, with one of your saucy looks, 'Mr. Knightley, I am going to do so-and-so; papa says I may'. In such cases my interference was giving you two bad feelings instead of one.”\n\n“What an amiable creature I was!”\n\n“'Mr. Knightley.' You always called me, 'Mr. Knightley;' and, from habit, it has not so very formal a sound.”\n\n“I remember once calling you 'George,' in one of my amiable fits.”\n\n“And cannot you call me 'George' now?”\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“How often"), "Mr. Knightley");
        assert_eq!(speaker_with(&doc, &ex, "“'Mr. Knightley.'"), "Mr. Knightley");
        assert_eq!(speaker_with(&doc, &ex, "“And cannot"), "Mr. Knightley");
    }

    #[test]
    fn he_replied_is_said_by_the_one_the_words_before_addressed() {
        use kulisy_model::Gender::{Female, Male};
        // Miss Bingley speaks to Mr. Darcy; `he replied` is his, though
        // Bingley spoke just before her.
        let known = vec![
            crate::cast::person("Miss Bingley", &[], Some(Female)),
            crate::cast::person("Mr. Bingley", &["Bingley"], Some(Male)),
            crate::cast::person("Mr. Darcy", &["Darcy"], Some(Male)),
            crate::cast::person("Mrs. Hurst", &[], Some(Female)),
            crate::cast::person("Elizabeth", &[], Some(Female)),
            crate::cast::person("Jane", &[], Some(Female)),
        ];
        let t = "When dinner was over, Elizabeth returned directly to Jane, and Miss Bingley began abusing her as soon as she was out of the room. Mrs. Hurst thought the same, and added more. Mr. Darcy stood by the fire.\n\n“She has nothing, in short, to recommend her,” said Mrs. Hurst.\n\n“To walk three miles, or four miles, above her ancles in dirt, and alone! What could she mean by it?”\n\n“It shews an affection for her sister that is very pleasing,” said Mr. Bingley.\n\n“I am afraid, Mr. Darcy,” observed Miss Bingley, in a half whisper, “that this adventure has rather affected your admiration of her fine eyes.”\n\n“Not at all,” he replied; “they were brightened by the exercise.”\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“Not at all"), "Mr. Darcy");
    }

    #[test]
    fn she_went_on_is_the_voice_of_the_words_before() {
        use kulisy_model::Gender::Female;
        // Mrs. Hilbery shows her daughter the album and talks on; `she went
        // on` is hers again, not Katharine's turn.
        let known = vec![
            crate::cast::person("Mrs. Hilbery", &[], Some(Female)),
            crate::cast::person("Katharine Hilbery", &["Katharine"], Some(Female)),
        ];
        let t = "Katharine sat beside her mother with the album open on her knees.\n\n“Who is that?” Katharine asked.\n\nMrs. Hilbery was rambling on, from story to story.\n\n“That s Janie Mannering,” she said, pointing to a superb, white-haired dame. “I must have told you how she found her cook drunk under the kitchen table.”\n\n“And that s Queenie Colquhoun,” she went on, turning the pages, “who took her coffin out with her to Jamaica.”\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“And that s Queenie"), "Mrs. Hilbery");
    }

    #[test]
    fn he_repeated_goes_on_with_the_voice_before() {
        use kulisy_model::Gender::{Female, Male};
        let known = vec![
            crate::cast::person("William Rodney", &["Rodney"], Some(Male)),
            crate::cast::person("Henry Otway", &["Henry"], Some(Male)),
            crate::cast::person("Katharine Hilbery", &["Katharine"], Some(Female)),
        ];
        let t = "Katharine and Henry sat by the fire, talking of the coal-mine.\n\n“Well, here you are!” Rodney exclaimed. Both Katharine and Henry turned round very quickly. Rodney was in evening dress.\n\n“That is where you have been all the time,” he repeated, looking at Katharine.\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“That is where"), "William Rodney");
    }

    #[test]
    fn she_went_on_after_i_tells_whose_the_words_were() {
        // A first-person narrator murmurs between two stretches of Mary's
        // words: `for she went on` gives both to her, not to `I`.
        let mut t = "I walked home and I thought about the day, as I often do when I am alone. ".repeat(14);
        t.push_str("I found Mary Cavendish in the garden.\n\nShe waited a long time, a little frown had gathered on her forehead. She seemed to be looking back earnestly into those past days.\n\n“I think I am sure he cared for me at first. But I suppose we were not well matched.” I must have made some murmur of dissent, for she went on quickly: “Oh, yes, he did! Not that it matters now.”\n");
        assert_eq!(who(&t, "“Oh, yes").0, "Mary Cavendish");
        assert_eq!(who(&t, "“I think").0, "Mary Cavendish");
    }

    #[test]
    fn one_of_unknown_gender_is_the_weaker_voice() {
        use kulisy_model::Gender::Male;
        // Minnie (whose gender the list does not give) and Mr. Beebe both
        // stand at the door, Minnie named the more; still the answers to
        // Freddy are likelier the man's, whose gender is known.
        let known = vec![
            crate::cast::person("Minnie", &[], None),
            crate::cast::person("Freddy", &[], Some(Male)),
            crate::cast::person("Mr. Beebe", &["Beebe"], Some(Male)),
        ];
        let t = "Minnie stood at the door, and Mr. Beebe stood there too, when Freddy came up the path; Minnie smiled.\n\n“Are these people great readers?” Freddy whispered.\n\n“I fancy they know how to read.”\n\n“How very odd of them!”\n\n“Surely you agree?”\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“I fancy"), "Mr. Beebe");
        assert_eq!(speaker_with(&doc, &ex, "“Surely"), "Mr. Beebe");
    }

    #[test]
    fn prompting_and_summing_up_report_speech() {
        let t = "Margaret met Helen and Ronny.\n\n“How do you do, Mr. Bast?” said Margaret.\n\n“There is Mrs. Bast, too,” prompted Helen.\n\n“Yes, nothing criminal,” Ronny summed up, “but there it is.”\n";
        assert_eq!(who(t, "“There is").0, "Helen");
        assert_eq!(who(t, "“There is").1, "speech-verb-after");
        assert_eq!(who(t, "“Yes, nothing").0, "Ronny");
        assert_eq!(who(t, "“Yes, nothing").1, "speech-verb-after");
    }

    #[test]
    fn a_verb_leading_into_the_words_beats_a_later_clause_after_them() {
        let t = "Mr. Wilcox met Miss Schlegel.\n\nMiss Schlegel laughed and said, “But this will be far better than the debate.” Wilcox recovered himself and laughed too.\n\nMr. Wilcox said, “In the usual way,” and Miss Schlegel, who did not follow, said “Oh!”\n";
        assert_eq!(who(t, "“But this").0, "Miss Schlegel");
        assert_eq!(who(t, "“But this").1, "speech-verb-before");
        assert_eq!(who(t, "“In the usual").0, "Mr. Wilcox");
        // With nothing leading in, the clause after still names the speaker.
        let t = "Mr. Wilcox met Miss Schlegel.\n\n“Far better than the debate.” Wilcox recovered himself and laughed.\n";
        assert_eq!(who(t, "“Far better").0, "Mr. Wilcox");
    }

    #[test]
    fn the_subject_before_a_speech_verb_is_not_its_object() {
        let t = "Mr. Rodney met Miss Hilbery.\n\nMr. Rodney went up to Miss Hilbery at once and said to her: “Henry is going home.”\n\nMr. Rodney noticed Miss Hilbery, and called out to her, “Why are you here?”\n\nMiss Hilbery was met by Mr. Rodney, who, on hearing the news, said, “I am glad.”\n";
        assert_eq!(who(t, "“Henry").0, "Mr. Rodney");
        assert_eq!(who(t, "“Why are").0, "Mr. Rodney");
        assert_eq!(who(t, "“I am glad").0, "Mr. Rodney");
        assert_eq!(who(t, "“I am glad").1, "speech-verb-before");
    }

    #[test]
    fn the_one_the_next_turn_addresses_has_just_spoken() {
        let t = "Mr. Weston, Mr. Knightley, Miss Smith and Mrs. Elton sat in the parlour after dinner.\n\n“It would be very hard upon him if she did not.”\n\n“Miss Smith, you quite forget poor Mr. Elton.”\n\n“I think, indeed,” said Mr. Knightley, “that he has some claim.”\n";
        assert_eq!(who(t, "“It would").0, "Miss Smith");
        assert_eq!(who(t, "“It would").1, "turn-taking");
    }

    #[test]
    fn a_person_described_after_the_last_name_is_the_subject_of_the_verb_before_the_words() {
        // `his mother` opens a clause of its own after John's: the
        // mother speaks, not the son named just before.
        let t = "Mrs. Dashwood and Mr. John Dashwood sat by the fire after dinner.\n\nMr. John Dashwood could not remember the ball; but his mother, without waiting for his answer, began,\n\n“His manners are so very pleasing.”\n";
        assert_eq!(who(t, "“His manners").0, "Mrs. Dashwood");
        // Not one after a preposition, which is an object: Mr. Weston
        // speaks to his son.
        let t = "Mr. Weston and Frank Churchill stood by the door of the parlour.\n\nMr. Weston turned to his son, saying,\n\n“We must go now, or we shall be late.”\n";
        assert_eq!(who(t, "“We must go").0, "Mr. Weston");
        // Nor one inside a phrase set off between the name and its verb.
        let t = "Mr. Henry Wilcox, Mrs. Dolly Wilcox and Mr. Charles Wilcox sat at breakfast.\n\n“I shall go into town,” said Henry.\n\nCharles, vexed both with his father and his wife, then repeated:\n\n“The question is whether she knew.”\n";
        assert_eq!(who(t, "“The question").0, "Mr. Charles Wilcox");
    }

    #[test]
    fn a_person_described_by_the_narration_speaks_in_their_own_gender() {
        // `her brother` is a man, though a woman was named last.
        let t = "Mr. James Morland danced with Miss Catherine Morland at the Upper Rooms.\n\nMiss Catherine Morland blushed and turned away her head. But while she did so, her brother, coming nearer, said,\n\n“I see that you guess what I have just been asked.”\n";
        assert_eq!(who(t, "“I see that").0, "Mr. James Morland");
    }

    #[test]
    fn a_verb_set_before_a_name_after_the_words_names_their_speaker() {
        // `flashed`, `nodded`: not verbs of speech, but set before the name
        // right after words that end in a comma, they tell who spoke.
        let t = "Margaret and Helen sat in the drawing-room after the concert.\n\n“That is rather a sad view of life, surely.”\n\n“Things so often get spoiled.”\n\n“I know,” flashed Helen, “but people do not.”\n";
        assert_eq!(who(t, "“I know").0, "Helen");
        assert_eq!(who(t, "“I know").1, "speech-verb-after");
        let t = "Margaret and Evie sat in the drawing-room after the concert.\n\n“Miss Schlegel, you are too kind.”\n\n“Yes, indeed,” nodded Evie, a little contemptuously.\n";
        assert_eq!(who(t, "“Yes, indeed").0, "Evie");
        // Not a name in the possessive: the aunt, not Margaret, spoke,
        // and no cue names her.
        let t = "Margaret and Helen sat in the drawing-room after the concert.\n\n“Well!” puffed Margaret's aunt.\n";
        assert_ne!(who(t, "“Well").1, "speech-verb-after");
    }

    #[test]
    fn words_a_paragraph_of_narration_leads_into_may_go_on_from_the_last_voice() {
        // Margaret breaks off, the narration of her own next paragraph
        // pauses on her thought, and she goes on before her aunt answers.
        let t = "Mrs. Munt and Miss Margaret Schlegel stood together on the balcony of the flat.\n\n“I knew it,” said Mrs. Munt. “And there is Mr. Wilcox at the window.”\n\n“It is a shame to call his face copper colour,” said Margaret.\n\n“It is as well to be prepared.”\n\n“No, it is as well not to be prepared.”\n\n“Why?”\n\n“Because--”\n\nThe thought drew being from the obscure borderland, and would not go into words. “Because I would sooner risk it.”\n\n“But imagine the evenings,” said Mrs. Munt.\n";
        assert_eq!(who(t, "“Why?").0, "Mrs. Munt");
        assert_eq!(who(t, "“Because--").0, "Miss Margaret Schlegel");
        assert_eq!(who(t, "“Because I would").0, "Miss Margaret Schlegel");
    }

    #[test]
    fn the_person_a_sentence_right_before_the_words_opens_with_speaks_them() {
        // Fanny is named first in the paragraph, but the sentence that leads
        // into the words is Mr. Rushworth's.
        let t = "Sir Thomas Bertram, Mr. Rushworth and Miss Fanny Price sat in the drawing-room after dinner.\n\n“Mr. Crawford is a most pleasant, gentleman-like man,” said Sir Thomas.\n\nFanny looked down at her work and said nothing. Mr. Rushworth could be silent no longer. “I do not say he is not gentleman-like, considering.”\n";
        assert_eq!(who(t, "“I do not say").0, "Mr. Rushworth");
    }

    #[test]
    fn after_narration_that_opens_with_she_a_woman_speaks_first() {
        let t = "Mr. Weston met Miss Smith at the gate.\n\n“Good morning,” said Mr. Weston.\n\n“Good morning.”\n\nShe sat down by the window and looked at the garden.\n\n“It is raining again.”\n\n“So it is.”\n";
        assert_eq!(who(t, "“It is raining").0, "Miss Smith");
        assert_eq!(who(t, "“So it is").0, "Mr. Weston");
    }

    #[test]
    fn a_name_ending_the_narration_before_the_words_does_not_make_their_vocative_a_list() {
        let t = "\"You are late,\" said Harriet.\n\n\"I was kept,\" said Philip.\n\n\"By Caroline?\" said Gino.\n\nShe would talk only of the folly of Caroline.\n\n\"Harriet, you must listen to me.\"\n\n\"I shall not listen.\"\n";
        assert_eq!(who(t, "\"Harriet").0, "Philip");
        assert_eq!(who(t, "\"I shall not").0, "Harriet");
    }

    #[test]
    fn after_narration_that_names_no_one_the_last_voice_goes_on() {
        let t = "Mr. Wilcox found Dolly in the garden.\n\n“Dolly, why have you disobeyed me?”\n\n“Oh, Mr. Wilcox!”\n\n“I told you not to go out to the garage. I won't have it.”\n\nHe stood in the porch, letters in his hand.\n\n“Into the dining-room, every one of you.”\n";
        assert_eq!(who(t, "“I told you").0, "Mr. Wilcox");
        assert_eq!(who(t, "“Into the dining-room").0, "Mr. Wilcox");
    }

    #[test]
    fn whom_narration_tells_spoke_already_or_said_nothing_does_not_take_the_words_after() {
        // `Edmund explained.` tells his words; those after answer them.
        let t = "Mrs. Grant came into the hall, where Edmund was waiting with his hat.\n\n“Where is everybody?” asked Mrs. Grant.\n\nEdmund explained.\n\n“Then I shall wait for them here.”\n\n“They will not be long.”\n";
        assert_eq!(who(t, "“Then I shall").0, "Mrs. Grant");
        assert_eq!(who(t, "“They will not").0, "Edmund");
        // Silence, however the text tells it.
        for silent in ["Mr. Bennet made no answer.", "Mr. Bennet said nothing.", "Mr. Bennet did not answer.", "Mr. Bennet didn t reply."] {
            let t = format!("Mr. Bennet sat by the fire with his wife.\n\n“Have you heard that the house is let at last?” asked Mrs. Bennet.\n\n{silent}\n\n“Do you not want to know who has taken it?”\n\n“You want to tell me, and I have no objection to hearing it.”\n");
            assert_eq!(who(&t, "“Do you not").0, "Mrs. Bennet", "{silent}");
        }
        // A verb that opens speech still says who goes on, whatever else
        // its sentence denies; and so does a sentence closed by a colon.
        for opening in ["Mrs. Norris interrupted him with a reply to them all, whether stated or not.", "Mrs. Norris began scolding.", "Mrs. Norris, after a pause, answered:"] {
            let t = format!("Sir Thomas sat with Lady Bertram and Mrs. Norris.\n\n“We must think of the child,” said Sir Thomas.\n\n{opening}\n\n“My dear Sir Thomas, I perfectly comprehend you.”\n");
            assert_eq!(who(&t, "“My dear Sir").0, "Mrs. Norris", "{opening}");
        }
    }

    #[test]
    fn a_heading_whose_name_runs_into_a_verb_of_speech_is_no_narrated_voice() {
        // The name found in the heading (`POIROT EXPLAINS`) ends after the
        // verb's start; reading the narration before the words must not fail.
        let t = "The trial was over, and Poirot had come back.\n\nCHAPTER XIII.\nPOIROT EXPLAINS\n\n“Poirot, you old villain,” said Hastings, “I have half a mind to strangle you!”\n\n“Ah, you are angry with me?”\n\n“I am.”\n";
        assert_eq!(who(t, "“Poirot, you").0, "Hastings");
        assert_eq!(who(t, "“Ah, you").0, "Poirot");
    }

    #[test]
    fn a_name_after_dear_is_an_address() {
        // `Dear Mrs. Hill!` and `My dear Mrs. Hill,` speak to her, not to the
        // one who spoke before; `poor dear Mrs. Hill` speaks of her.
        let opening = "Miss Jane Bennet and Miss Elizabeth Bennet sat in the parlour, and Mrs. Hill came in.\n\n“I was very much flattered by his asking me to dance,” said Miss Jane Bennet.\n\n";
        for words in ["“Dear Mrs. Hill! Bring us some tea,” said Miss Elizabeth Bennet.", "“My dear Mrs. Hill, bring us some tea,” said Miss Elizabeth Bennet.", "“Dearest Mrs. Hill, bring us some tea,” said Miss Elizabeth Bennet."] {
            let t = format!("{opening}{words}\n");
            assert_eq!(who(&t, &words[..6]).4, ["Mrs. Hill"], "{words}");
        }
        let t = format!("{opening}“Oh, poor dear Mrs. Hill! She has no tea,” said Miss Elizabeth Bennet.\n");
        assert_eq!(who(&t, "“Oh, poor").4, ["Miss Jane Bennet"]);
    }

    #[test]
    fn one_the_narration_sends_away_takes_no_part_in_the_talk_after() {
        let ending = "\n\n“She is a pretty little creature,” said he.\n\n“I am glad you think so.”\n\n“You have improved her.”\n\n“Thank you.”\n";
        let opening = "Mr. Woodhouse rose from his chair.\n\n“I shall take my walk while the sun is out,” said Mr. Woodhouse.\n\n“Do not let me keep you, sir,” said Mr. Knightley.\n\n";
        for gone in ["Mr. Woodhouse at last was off; but Mr. Knightley sat down again beside Emma, and began to talk of Harriet.", "Mr. Woodhouse left the room. Mr. Knightley sat down again beside Emma, and began to talk of Harriet."] {
            let t = format!("{opening}{gone}{ending}");
            assert_eq!(who(&t, "“I am glad").0, "Emma", "{gone}");
            assert_eq!(who(&t, "“Thank you").0, "Emma", "{gone}");
        }
        // What follows a name tells the going; leaving someone for a
        // moment, or being off on a plan of one's own, is no going.
        let leaves = |after: &str| super::tells_leaving(after, &super::words(after, kulisy_model::Span::new(0, after.len())));
        for gone in [" at last was off; but", " left the room.", " left them, and", " went away.", " quietly withdrew."] {
            assert!(leaves(gone), "{gone}");
        }
        for stays in [" left Emma for a few moments while he looked for his coat", " was off on tactics of her own", " went to the window.", " was offended."] {
            assert!(!leaves(stays), "{stays}");
        }
    }

    #[test]
    fn a_title_the_list_does_not_give_still_names_the_speaker_after_the_verb() {
        use kulisy_model::Gender::Female;
        // The list knows Adela Quested; prose calls her Miss Quested, across
        // a line break too, and a list may print `Mr` without its stop.
        let known = vec![crate::cast::person("Adela Quested", &["Adela"], Some(Female)), crate::cast::person("Mrs. Moore", &[], Some(Female)), crate::cast::person("Mrs. Lesley", &[], Some(Female))];
        let t = "Adela Quested and Mrs. Moore sat with Mrs. Lesley.\n\n“As if one could avoid seeing them,” sighed Mrs. Lesley.\n\n“I have avoided,” said Miss Quested. “I have scarcely spoken to anyone.”\n\n“Oh, lucky you.”\n\n“But I want to see them,” said\nMiss Quested.\n";
        let (doc, ex) = extracted_with(t, known);
        for start in ["“I have avoided", "“But I want"] {
            let a = &ex.attributions[quotation_at(&doc, &ex, start)];
            assert_eq!((speaker_with(&doc, &ex, start).as_str(), a.sieve), ("Adela Quested", "speech-verb-after"), "{start}");
        }
    }

    #[test]
    fn a_sentence_after_words_closed_by_a_stop_that_leads_into_more_words_is_their_cue() {
        let t = "Mr. Turton and Mrs. Turton sat on the veranda.\n\nBut Mrs. Turton said, “Really, a show of force will do no harm; do give up that farce.” He replied in an odd, sad voice, “I do not hate them, I do not know why.”\n";
        assert_eq!(who(t, "“Really").0, "Mrs. Turton");
        assert_eq!(who(t, "“I do not hate").0, "Mr. Turton");
        // Words closed by a comma keep the cue after them.
        let t = "Mr. Turton and Mrs. Turton sat on the veranda.\n\n“Do give up that farce,” he replied in an odd, sad voice, “for I do not hate them.”\n";
        assert_eq!(who(t, "“Do give up").0, "Mr. Turton");
    }

    #[test]
    fn he_is_one_known_to_be_a_man_rather_than_a_description_the_list_gives_no_gender() {
        use kulisy_model::Gender::{Female, Male};
        // The list holds `The Whelp` without a gender; the text's `the
        // whelp` is Young Thomas described, and `he said` is Young Thomas.
        let known = vec![crate::cast::person("Young Thomas", &["Tom"], Some(Male)), crate::cast::person("Louisa", &[], Some(Female)), crate::cast::person("The Whelp", &[], None)];
        let t = "Tom sat down by his sister Louisa, and presently the whelp looked up from the fire.\n\n“I am tired of it all,” he said.\n";
        let (doc, ex) = extracted_with(t, known);
        assert_eq!(speaker_with(&doc, &ex, "“I am tired"), "Young Thomas");
    }

    #[test]
    fn a_verb_of_speech_in_ing_leads_into_the_words() {
        let t = "Catherine Morland sat waiting with Isabella Thorpe, when John Thorpe came running upstairs, calling out, “Well, Miss Morland, here I am at last.”\n\nIsabella Thorpe rose, crying, “How late you are!”\n";
        assert_eq!(who(t, "“Well, Miss").0, "John Thorpe");
        assert_eq!(who(t, "“How late").0, "Isabella Thorpe");
    }

    #[test]
    fn whom_the_narration_tells_speaking_takes_part_in_the_talk() {
        let t = "Mr. Bennet was thought a clever man. Mr. Bennet was seldom at home. Mr. Collins protested that he had never seen such condescension in a person of rank.\n\n“That is all very proper,” said Mrs. Bennet. “Does she live near you?”\n\n“The garden of my humble abode is separated from her park by a lane.”\n";
        assert_eq!(who(t, "“The garden").0, "Mr. Collins");
    }

    #[test]
    fn whom_the_narration_tells_standing_there_takes_part_in_the_talk() {
        let t = "Mr. Bennet was thought a clever man. Mr. Bennet was seldom at home. Mr. Collins rose from his chair with a most important air.\n\n“That is all very proper,” said Mrs. Bennet. “Does she live near you?”\n\n“The garden of my humble abode is separated from her park by a lane.”\n";
        assert_eq!(who(t, "“The garden").0, "Mr. Collins");
    }

    #[test]
    fn names_in_a_list_are_not_addressed() {
        let t = "Kamenev met Bukharin.\n\nBukharin: “A commission was chosen (Rykov, Stalin, Molotov). They promised to dismiss Kostrov, Krumin, and someone else.”\n";
        let to = who(t, "“A commission").4;
        assert!(!to.iter().any(|n| ["Rykov", "Stalin", "Molotov", "Kostrov", "Krumin"].contains(&n.as_str())), "{to:?}");
    }

    #[test]
    fn the_sieve_table_lists_every_sieve_that_runs() {
        let names: Vec<&str> = super::SIEVES.iter().map(|(n, _)| *n).collect();
        for (n, _) in super::LOCAL {
            assert!(names.contains(n), "{n}");
        }
        for n in ["same-paragraph", "turn-taking"] {
            assert!(names.contains(&n));
        }
    }
}
