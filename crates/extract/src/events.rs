//! Events: who met whom, which body sat or decided what, what was done, and
//! when and where; then the document's timeline.
//!
//! Events are found in the narration, clause by clause (speech quotations
//! are the speakers' words and are left out, as is what follows `said that`:
//! reported, not told). Each trigger in [`TRIGGERS`] names a kind of event;
//! the names around it give participants and their roles, `at X’s` and
//! `to his house` a host and a place, `in Kislovodsk` a named place. An
//! event takes the dates of its own clause; a clause with none takes the
//! date the narrative last set in its paragraph or the one before; an event
//! with neither is placed after the one told before it.

use kulisy_model::{
    DateMention, DateSource, Document, EntityKind, Event, EventKind, Layer, Mention, MentionKind, Participant, Place,
    Qualifier, QuoteKind, Quotation, Role, Span, TimelineEntry,
};

use crate::attribute::{words, Word};
use crate::cast::Cast;

/// What a trigger needs of its context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// A verb: an event wherever it stands, but not as an intention (`to meet`).
    Verb,
    /// A verb only after an auxiliary or before `as`/`to` (`was appointed`).
    Passive,
    /// A noun: an event when its clause says it happened (`was held`), or
    /// when it sets the scene (`At the joint session of …`), or with `of`
    /// naming whom it concerned (`the deportation of Trotsky`).
    Noun,
    /// `wrote` or `read` with a document noun near it.
    Document,
    /// A verb of speech, an event only when its clause gives a date.
    Statement,
}

/// The triggers: words, kind, form, sieve name, confidence.
pub const TRIGGERS: &[(&[&str], EventKind, &str)] = &[
    (&["met"], EventKind::Encounter, "encounter-verb"),
    (&["meets"], EventKind::Encounter, "encounter-verb"),
    (&["visited"], EventKind::Encounter, "encounter-verb"),
    (&["visits"], EventKind::Encounter, "encounter-verb"),
    (&["approached"], EventKind::Encounter, "encounter-verb"),
    (&["came", "to", "see"], EventKind::Encounter, "encounter-verb"),
    (&["went", "to", "see"], EventKind::Encounter, "encounter-verb"),
    (&["called", "on"], EventKind::Encounter, "encounter-verb"),
    (&["called", "upon"], EventKind::Encounter, "encounter-verb"),
    (&["called", "to"], EventKind::Encounter, "encounter-passive"),
    (&["invited"], EventKind::Encounter, "encounter-verb"),
    (&["got", "together"], EventKind::Encounter, "encounter-verb"),
    (&["talked", "with"], EventKind::Encounter, "encounter-verb"),
    (&["conferred", "with"], EventKind::Encounter, "encounter-verb"),
    (&["conversation"], EventKind::Encounter, "encounter-noun"),
    (&["plenum"], EventKind::Session, "session-noun"),
    (&["session"], EventKind::Session, "session-noun"),
    (&["sessions"], EventKind::Session, "session-noun"),
    (&["conference"], EventKind::Session, "session-noun"),
    (&["congress"], EventKind::Session, "session-noun"),
    (&["meeting"], EventKind::Session, "session-noun"),
    (&["discussion"], EventKind::Session, "session-noun"),
    (&["discussions"], EventKind::Session, "session-noun"),
    (&["convened"], EventKind::Session, "body-sat"),
    (&["decided"], EventKind::Decision, "decision-verb"),
    (&["resolved", "to"], EventKind::Decision, "decision-verb"),
    (&["voted", "to"], EventKind::Decision, "decision-verb"),
    (&["resigned"], EventKind::Resignation, "act-verb"),
    (&["resignation"], EventKind::Resignation, "act-noun"),
    (&["resignations"], EventKind::Resignation, "act-noun"),
    (&["appointed"], EventKind::Appointment, "act-verb"),
    (&["elected"], EventKind::Appointment, "act-verb"),
    (&["appointment"], EventKind::Appointment, "act-noun"),
    (&["removed"], EventKind::Removal, "act-verb"),
    (&["dismissed"], EventKind::Removal, "act-verb"),
    (&["expelled"], EventKind::Removal, "act-verb"),
    (&["removal"], EventKind::Removal, "act-noun"),
    (&["expulsion"], EventKind::Removal, "act-noun"),
    (&["dismissal"], EventKind::Removal, "act-noun"),
    (&["deported"], EventKind::Deportation, "act-verb"),
    (&["exiled"], EventKind::Deportation, "act-verb"),
    (&["banished"], EventKind::Deportation, "act-verb"),
    (&["deportation"], EventKind::Deportation, "act-noun"),
    (&["exiling"], EventKind::Deportation, "act-noun"),
    (&["banishment"], EventKind::Deportation, "act-noun"),
    (&["trial"], EventKind::Trial, "act-noun"),
    (&["tried"], EventKind::Trial, "act-verb"),
    (&["postponed"], EventKind::Postponement, "postponement"),
    (&["put", "off"], EventKind::Postponement, "postponement"),
    (&["adjourned"], EventKind::Postponement, "postponement"),
    (&["deferred"], EventKind::Postponement, "postponement"),
    (&["published"], EventKind::Publication, "act-verb"),
    (&["republished"], EventKind::Publication, "act-verb"),
    (&["read"], EventKind::Declaration, "document-verb"),
    (&["wrote"], EventKind::Writing, "document-verb"),
    (&["written"], EventKind::Writing, "document-verb"),
    (&["confirmed"], EventKind::Confirmation, "act-verb"),
    (&["arrested"], EventKind::Arrest, "act-verb"),
    (&["arrest"], EventKind::Arrest, "act-noun"),
    (&["killed"], EventKind::Death, "act-verb"),
    (&["died"], EventKind::Death, "act-verb"),
    (&["assassinated"], EventKind::Death, "act-verb"),
    (&["murdered"], EventKind::Death, "act-verb"),
    (&["executed"], EventKind::Death, "act-verb"),
    (&["assassination"], EventKind::Death, "act-noun"),
    (&["murder"], EventKind::Death, "act-noun"),
    (&["said"], EventKind::Statement, "dated-statement"),
    (&["says"], EventKind::Statement, "dated-statement"),
    (&["spoke"], EventKind::Statement, "dated-statement"),
    (&["asked"], EventKind::Statement, "dated-statement"),
    (&["replied"], EventKind::Statement, "dated-statement"),
    (&["replying"], EventKind::Statement, "dated-statement"),
    (&["answered"], EventKind::Statement, "dated-statement"),
    (&["declared"], EventKind::Statement, "dated-statement"),
    (&["stated"], EventKind::Statement, "dated-statement"),
    (&["announced"], EventKind::Statement, "dated-statement"),
    (&["told"], EventKind::Statement, "dated-statement"),
    (&["proclaimed"], EventKind::Statement, "dated-statement"),
];

fn form_of(sieve: &str, words: &[&str]) -> Form {
    match sieve {
        "encounter-noun" | "session-noun" | "act-noun" => Form::Noun,
        "document-verb" => Form::Document,
        "dated-statement" => Form::Statement,
        "encounter-passive" => Form::Passive,
        _ if matches!(words, ["appointed"] | ["elected"] | ["tried"]) => Form::Passive,
        _ => Form::Verb,
    }
}

/// Documents that are written or read.
const DOCUMENTS: &[&str] = &[
    "thesis", "theses", "letter", "letters", "article", "articles", "document", "declaration", "book", "pamphlet",
    "platform", "resolution", "report", "note", "statement", "memorandum", "appeal", "manifesto", "programme", "program",
];

/// Verbs that say a session or a conversation happened.
const HAPPENED: &[&str] = &["held", "opened", "met", "convened", "assembled", "sat", "closed", "took", "occurred", "began", "had", "ended"];

/// Verbs after which the rest of the clause is reported, not told.
const REPORTING: &[&str] = &[
    "said", "says", "told", "tells", "declared", "answered", "replied", "believed", "thought", "knew", "learned",
    "heard", "understood", "claimed", "argued", "insisted", "explained", "wrote", "announced", "stated", "reported",
    "know", "believe", "suppose", "think", "testified", "claims", "admitted", "says", "say",
];

/// Words before a verb that make it an intention, a possibility or a
/// denial rather than something that happened: `to meet`, `could be
/// killed`, `did not meet`.
const UNREALISED: &[&str] = &[
    "to", "would", "could", "might", "may", "must", "should", "will", "shall", "can", "not", "never", "cannot", "expected",
    "either",
];

fn unrealised(before: &[Word<'_>]) -> bool {
    // `to` right before the verb or one word away (`to then meet`); the
    // other words up to six away (`could not have met`). `May` is a month.
    let modal = |w: &Word<'_>| w.s != "May" && w.s != "to" && UNREALISED.contains(&w.s.to_lowercase().as_str());
    before.iter().rev().take(2).any(|w| w.s.eq_ignore_ascii_case("to")) || before.iter().rev().take(6).any(modal)
}

/// Whether the verb ending `before` is passive: `was killed`, `were removed`.
fn passive(before: &[String]) -> bool {
    before.iter().rev().take(2).any(|w| matches!(w.as_str(), "was" | "were" | "been" | "be" | "is" | "are" | "being"))
}

/// Words that end a clause.
const CLAUSE_BREAKS: &[&str] = &["whereupon", "where", "while", "whereas"];

/// Prepositions after which a name does not take part.
const NOT_PARTICIPANT: &[&str] = &["about", "on", "for", "against", "regarding", "than", "like", "between", "concerning", "over", "under", "instead"];

/// The speech of the text: what the narration does not tell.
fn speech_pieces(quotes: &[Quotation]) -> Vec<Span> {
    let mut out: Vec<Span> = quotes
        .iter()
        .filter(|q| q.kind == QuoteKind::Speech && q.parent.is_none())
        .map(|q| q.span)
        .collect();
    out.sort();
    out
}

/// Sorted spans with the ones inside others dropped.
fn outermost(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        if out.last().is_none_or(|l| s.start >= l.end) {
            out.push(s);
        }
    }
    out
}

/// Whether `pos` lies inside one of `spans` (sorted, not overlapping).
pub(crate) fn inside(spans: &[Span], pos: usize) -> bool {
    let k = spans.partition_point(|q| q.end <= pos);
    spans.get(k).is_some_and(|q| q.start <= pos)
}

/// Finds the events of the narration.
pub fn events(doc: &Document, quotes: &[Quotation], layers: &[Layer], cast: &Cast, dates: &mut [DateMention]) -> Vec<Event> {
    let text = &doc.text;
    let speech = speech_pieces(quotes);
    // Asides, glosses and the reporter's interpolations are not the clause's words.
    let asides: Vec<Span> = outermost(layers.iter().map(|l| l.span).collect());
    let mut out: Vec<Event> = Vec::new();
    let anchors: Vec<Span> = dates.iter().filter_map(|d| d.anchor_phrase).collect();
    for b in &doc.blocks {
        // A heading names a session it heads: `Discussion in Mexico City, May 31, 1938`.
        let heading = matches!(b.kind, kulisy_model::BlockKind::Heading(_));
        if !matches!(b.kind, kulisy_model::BlockKind::Paragraph | kulisy_model::BlockKind::BlockQuote | kulisy_model::BlockKind::ListItem) && !heading {
            continue;
        }
        for sentence in crate::sentences::sentences(text, b.span) {
            // Questions ask whether something happened; they do not tell it.
            let last = sentence.start + sentence.text(text).trim_end().len();
            let question = text[..last].ends_with('?') && !inside(&speech, last.saturating_sub(1));
            if inside(&speech, sentence.start) || question {
                continue;
            }
            let st = sentence.text(text);
            // Most sentences tell nothing that happened: look before splitting.
            if !trigger_stems().is_match(st) {
                continue;
            }
            let ws: Vec<Word<'_>> = words(text, sentence).into_iter().filter(|w| !inside(&speech, w.span.start) && !inside(&asides, w.span.start)).collect();
            for clause in clauses(text, &ws) {
                find_in_clause(doc, cast, dates, &anchors, heading, sentence, &ws, clause, &mut out);
            }
        }
    }
    out.sort_by_key(|e| (e.trigger.start, e.span.start));
    out.dedup_by(|a, b| a.trigger == b.trigger && a.kind == b.kind && a.new_date == b.new_date && a.date == b.date);
    link_anchors(text, dates, &out);
    out
}

/// Cheap substrings that every trigger contains.
const TRIGGER_STEMS: &[&str] = &[
    "met", "visit", "approach", "see", "called", "invited", "together", "talked", "conferred", "conversation", "plenum",
    "session", "conference", "congress", "meeting", "discussion", "Discussion", "convened", "decided", "resolved", "voted", "resign", "appoint",
    "elected", "remov", "dismiss", "expel", "expulsion", "deport", "exil", "banish", "trial", "tried", "postponed", "put off",
    "adjourned", "deferred", "published", "read", "wrote", "written", "confirmed", "arrest", "killed", "died",
    "assassinat", "murder", "executed", "said", "says", "spoke", "asked", "repl", "answered", "declared", "stated",
    "announced", "told", "proclaimed",
];

fn trigger_stems() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| aho_corasick::AhoCorasick::new(TRIGGER_STEMS).unwrap_or_else(|e| unreachable!("fixed patterns: {e}")))
}

/// The clauses of a sentence, as ranges of its words: broken at `;`, `:`
/// and `whereupon`/`where`; what follows a reporting verb and `that`
/// is dropped.
fn clauses(text: &str, ws: &[Word<'_>]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut k = 0;
    while k < ws.len() {
        let l = ws[k].s.to_lowercase();
        let gap_break = k > 0 && {
            let gap = &text[ws[k - 1].span.end..ws[k].span.start];
            gap.contains([';', ':'])
        };
        if gap_break || CLAUSE_BREAKS.contains(&l.as_str()) {
            if k > start {
                out.push(start..k);
            }
            start = k;
        }
        // `said that …`, `told him that …`: reported.
        if REPORTING.contains(&l.as_str()) {
            let that = (k + 1..(k + 5).min(ws.len())).find(|&j| ws[j].s.eq_ignore_ascii_case("that"));
            if let Some(j) = that {
                out.push(start..k + 1);
                // Skip to the next break.
                let mut n = j + 1;
                while n < ws.len() {
                    let gap = &text[ws[n - 1].span.end..ws[n].span.start];
                    if gap.contains([';', ':']) {
                        break;
                    }
                    n += 1;
                }
                start = n;
                k = n;
                continue;
            }
        }
        k += 1;
    }
    if start < ws.len() {
        out.push(start..ws.len());
    }
    out
}

fn lower(w: &Word<'_>) -> String {
    w.s.to_lowercase()
}

#[allow(clippy::too_many_arguments)]
fn find_in_clause(
    doc: &Document,
    cast: &Cast,
    dates: &[DateMention],
    anchors: &[Span],
    heading: bool,
    sentence: Span,
    all: &[Word<'_>],
    clause: std::ops::Range<usize>,
    out: &mut Vec<Event>,
) {
    let text = &doc.text;
    let ws = &all[clause.clone()];
    if ws.is_empty() {
        return;
    }
    let clause_span = Span::new(ws[0].span.start, ws[ws.len() - 1].span.end);
    let lw: Vec<String> = ws.iter().map(lower).collect();
    let clause_dates: Vec<usize> = dates
        .iter()
        .enumerate()
        .filter(|(_, d)| clause_span.start <= d.span.start && d.span.end <= clause_span.end + 1 && !d.attributive && !d.quoted)
        .map(|(i, _)| i)
        .collect();
    let mut k = 0;
    while k < ws.len() {
        let hit = TRIGGERS.iter().find(|(t, _, _)| t.iter().enumerate().all(|(j, x)| lw.get(k + j).is_some_and(|w| w == x)));
        let Some(&(tw, kind, sieve)) = hit.filter(|(_, kind, _)| !heading || *kind == EventKind::Session) else {
            k += 1;
            continue;
        };
        let trigger = Span::new(ws[k].span.start, ws[k + tw.len() - 1].span.end);
        let next = k + tw.len();
        // References to events already told (`after we had published`) are not new ones.
        if anchors.iter().any(|a| a.start <= trigger.start && trigger.end <= a.end) {
            k = next;
            continue;
        }
        let prev = k.checked_sub(1).map(|p| lw[p].as_str());
        let form = form_of(sieve, tw);
        let ok = match form {
            Form::Verb => !unrealised(&ws[..k]),
            Form::Passive => (k.saturating_sub(2)..k).any(|p| matches!(lw[p].as_str(), "was" | "were" | "been" | "is" | "are" | "be" | "being")) || matches!(lw.get(next).map(String::as_str), Some("as")),
            Form::Noun => {
                // A conversation happens when it `took place` or someone `had` it.
                let happened = lw.iter().any(|w| HAPPENED.contains(&w.as_str()))
                    && (kind != EventKind::Encounter || lw.iter().any(|w| matches!(w.as_str(), "took" | "occurred" | "had")));
                let setting = kind == EventKind::Session
                    && ((clause.start == 0 && lw.first().is_some_and(|w| w == "at") && lw.get(1).is_some_and(|w| w == "the")) || (heading && !clause_dates.is_empty()));
                let concerns = kind != EventKind::Session && kind != EventKind::Encounter && lw.get(next).is_some_and(|w| w == "of");
                let possessed = kind == EventKind::Resignation && k > 0 && ws[k - 1].s.ends_with(['’', '\'']);
                // `the session` after `before`, `at the next`: a time, not an event.
                let future = lw[..k].iter().rev().take(3).any(|w| matches!(w.as_str(), "next" | "forthcoming" | "coming" | "before" | "after" | "until" | "till"));
                let postponed = lw.iter().any(|w| matches!(w.as_str(), "postponed" | "adjourned" | "deferred"));
                (happened || setting || concerns || possessed) && !future && !postponed && !matches!(prev, Some("no")) || (setting && !postponed)
            }
            Form::Document => {
                let near = |range: std::ops::Range<usize>| range.filter_map(|j| lw.get(j)).any(|w| DOCUMENTS.contains(&w.as_str()));
                match tw[0] {
                    "written" => near(k.saturating_sub(6)..k) && !matches!(prev, Some("be")),
                    _ => near(next..next + 6) && !matches!(prev, Some("to")),
                }
            }
            Form::Statement => !clause_dates.is_empty() && !matches!(prev, Some("to")),
        };
        // `wrote` with no document named: a statement, when dated.
        let fallback = !ok && tw == ["wrote"] && !clause_dates.is_empty();
        let (kind, sieve, form) = if fallback { (EventKind::Statement, "dated-statement", Form::Statement) } else { (kind, sieve, form) };
        let ok = ok || fallback;
        // A statement only where the clause tells nothing else: one a clause
        // (`replying to …, wrote`), none beside a meeting (`went to see Krupskaya and said`).
        let ok = ok && !(kind == EventKind::Statement && out.iter().any(|o| o.span == clause_span));
        // `The Politburo met`: a body sits.
        let (kind, sieve) = if kind == EventKind::Encounter && tw == ["met"] && subject_is_body(cast, ws, k) {
            (EventKind::Session, "body-sat")
        } else {
            (kind, sieve)
        };
        if !ok {
            k = next;
            continue;
        }
        let mut ev = Event {
            kind,
            trigger,
            span: clause_span,
            participants: Vec::new(),
            place: None,
            date: None,
            date_source: DateSource::Order,
            new_date: None,
            sieve,
            confidence: match form {
                Form::Verb | Form::Passive => 0.8,
                Form::Statement => 0.7,
                Form::Document => 0.75,
                Form::Noun => 0.65,
            },
        };
        participants(cast, text, all, &lw, clause.clone(), k, next, form, &mut ev);
        ev.place = place(cast, text, ws, &ev);
        // An encounter needs two who meet; only `met` and `got together` may
        // have them all as subjects (`Zinoviev and Kamenev met`).
        let mutual = matches!(tw, ["met"] | ["got", "together"]);
        let met = ev.participants.iter().any(|p| matches!(p.role, Role::Participant | Role::Host));
        if kind == EventKind::Encounter && (ev.participants.iter().filter(|p| matches!(p.role, Role::Agent | Role::Participant | Role::Host)).count() < 2 && tw != ["got", "together"] || !(met || mutual)) {
            k = next;
            continue;
        }
        // A noun naming an act already told of the same persons refers back to it
        // (`learned of the deportation of Trotsky`); so does a session that only
        // sets the scene (`At the joint session …`) after one was told.
        let patients: Vec<usize> = ev.participants.iter().filter(|p| p.role == Role::Patient).map(|p| p.entity).collect();
        let told_before = out.iter().any(|o| {
            o.kind == kind
                && match kind {
                    EventKind::Session => clause_dates.is_empty() && stem(&o.trigger.text(text).to_lowercase()) == stem(&lw[k]) && o.sieve == "session-noun",
                    _ => o.participants.iter().any(|p| p.role == Role::Patient && patients.contains(&p.entity)),
                }
        });
        if form == Form::Noun && told_before {
            k = next;
            continue;
        }
        // Dates of the clause.
        let own = own_dates(text, dates, &clause_dates, trigger);
        if kind == EventKind::Postponement {
            // One postponement per new date: `the plenum … postponed to April 16, the conference to April 23`.
            let targets: Vec<usize> = dates
                .iter()
                .enumerate()
                .filter(|(_, d)| trigger.end <= d.span.start && d.span.end <= sentence.end && !d.quoted)
                .map(|(i, _)| i)
                .collect();
            if targets.is_empty() && !ev.participants.is_empty() {
                out.push(ev.clone());
            }
            let mut from = clause_span.start;
            for (n, t) in targets.into_iter().enumerate() {
                let mut e = ev.clone();
                e.new_date = Some(t);
                e.participants.retain(|p| p.span.end <= dates[t].span.start);
                if n > 0 {
                    // What else is postponed: the session noun before this date.
                    let region = Span::new(from, dates[t].span.start);
                    if let Some(w) = words(text, region).into_iter().rev().filter(|w| {
                        // Not a word inside a bracket: `the conference [Sixteenth Party Conference] to …`
                        let rest = &text[w.span.end..dates[t].span.start];
                        rest.matches('[').count() == rest.matches(']').count()
                    }).find(|w| matches!(w.s.to_lowercase().as_str(), "plenum" | "conference" | "congress" | "session" | "meeting" | "elections" | "election" | "vote" | "trial")) {
                        e.trigger = w.span;
                        e.span = Span::new(w.span.start, dates[t].span.end);
                        e.participants = Vec::new();
                        add_bodies(cast, text, Span::new(w.span.start, dates[t].span.start), &mut e);
                    }
                }
                from = dates[t].span.end;
                out.push(e);
            }
            k = next;
            continue;
        }
        if own.is_empty() {
            // Nothing to tell without a who or a when.
            if ev.participants.is_empty() && !matches!(kind, EventKind::Session) {
                k = next;
                continue;
            }
            out.push(ev);
        } else {
            for d in own {
                let mut e = ev.clone();
                e.date = Some(d);
                e.date_source = DateSource::Own;
                out.push(e);
            }
        }
        k = next;
    }
}

/// The dates of a clause that belong to its event: the one nearest the
/// trigger, with those joined to it by `and` (`held on January 30 and
/// February 9` names two sessions).
fn own_dates(text: &str, dates: &[DateMention], clause_dates: &[usize], trigger: Span) -> Vec<usize> {
    let distance = |i: usize| {
        let s = dates[i].span;
        if s.end <= trigger.start { trigger.start - s.end } else { s.start.saturating_sub(trigger.end) }
    };
    let Some(pos) = (0..clause_dates.len()).min_by_key(|&p| (distance(clause_dates[p]), p)) else { return Vec::new() };
    let joined = |a: usize, b: usize| {
        let gap = text[dates[a].span.end..dates[b].span.start].trim();
        matches!(gap, "and" | "," | ", and" | "or" | "&")
    };
    let mut lo = pos;
    while lo > 0 && joined(clause_dates[lo - 1], clause_dates[lo]) {
        lo -= 1;
    }
    let mut hi = pos;
    while hi + 1 < clause_dates.len() && joined(clause_dates[hi], clause_dates[hi + 1]) {
        hi += 1;
    }
    clause_dates[lo..=hi].to_vec()
}

fn mention_at<'c>(cast: &'c Cast, w: &Word<'_>) -> Option<&'c Mention> {
    let k = cast.mentions.partition_point(|m| m.span.end <= w.span.start);
    cast.mentions.get(k).filter(|m| m.span.start <= w.span.start && m.entity.is_some())
}

fn kind_of(cast: &Cast, m: &Mention) -> Option<EntityKind> {
    m.entity.and_then(|e| cast.entities.get(e)).map(|e| e.kind)
}

fn subject_is_body(cast: &Cast, ws: &[Word<'_>], k: usize) -> bool {
    ws[..k].iter().rev().find_map(|w| mention_at(cast, w)).is_some_and(|m| matches!(kind_of(cast, m), Some(EntityKind::Organisation)))
        && !ws[..k].iter().any(|w| mention_at(cast, w).is_some_and(|m| matches!(kind_of(cast, m), Some(EntityKind::Person))))
}

fn add(ev: &mut Event, entity: usize, role: Role, span: Span) {
    if !ev.participants.iter().any(|p| p.entity == entity) {
        ev.participants.push(Participant { entity, role, span });
    }
}

fn add_bodies(cast: &Cast, text: &str, region: Span, ev: &mut Event) {
    for w in words(text, region) {
        if let Some(m) = mention_at(cast, &w)
            && matches!(kind_of(cast, m), Some(EntityKind::Organisation))
            && let Some(e) = m.entity
        {
            add(ev, e, Role::Body, m.span);
        }
    }
}

/// The first person named in the sentence: the antecedent a subject
/// pronoun of a later clause most often has.
fn sentence_subject(cast: &Cast, all: &[Word<'_>]) -> Option<(usize, Span)> {
    all.iter().find_map(|w| {
        let m = mention_at(cast, w)?;
        // A sentence that opens with `He` is about whom `He` stands for.
        let person = matches!(kind_of(cast, m), Some(EntityKind::Person));
        let opening_pronoun = m.kind == MentionKind::Pronoun && matches!(w.s, "He" | "She");
        (person && (m.kind == MentionKind::Name || opening_pronoun)).then(|| (m.entity.unwrap_or(0), m.span))
    })
}

/// Words a name may stand behind without them governing it.
const DETERMINERS: &[&str] = &["the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "and", "or", "comrade", "also", "both"];

/// The word that governs the name at `j`: the first word before it that is
/// neither another name of a list, nor `and`, nor a determiner
/// (`between Kamenev and Bukharin`: `between` governs both).
fn governing(cast: &Cast, ws: &[Word<'_>], j: usize) -> Option<String> {
    let own = mention_at(cast, &ws[j]).and_then(|m| kind_of(cast, m));
    let mut p = j;
    while p > 0 {
        p -= 1;
        let l = ws[p].s.to_lowercase();
        if DETERMINERS.contains(&l.as_str()) {
            continue;
        }
        if let Some(m) = mention_at(cast, &ws[p]).filter(|m| m.kind == MentionKind::Name) {
            // A list goes on over names of one kind; another kind ends it
            // (`the Central Control Commission, Rykov read`).
            if kind_of(cast, m) == own && m.span.end <= ws[j].span.start {
                continue;
            }
            if m.span.start <= ws[j].span.start && ws[j].span.start < m.span.end {
                continue;
            }
            return None;
        }
        return Some(l);
    }
    None
}

#[allow(clippy::too_many_arguments)]
/// `lw` holds the clause's words lowercased.
fn participants(cast: &Cast, text: &str, all: &[Word<'_>], lw: &[String], clause: std::ops::Range<usize>, k: usize, next: usize, form: Form, ev: &mut Event) {
    let ws = &all[clause.clone()];
    let mut seen = Span::new(0, 0);
    // Acts with one doer: the name nearest before the trigger.
    let single_agent = matches!(ev.kind, EventKind::Writing | EventKind::Declaration | EventKind::Confirmation | EventKind::Publication | EventKind::Statement);
    let mut nearest_agent: Option<(usize, Span)> = None;
    let mut nearest_patient: Option<(usize, Span)> = None;
    // `Klement was killed`, `Leon Sedov died`: the subject is the one it befell.
    let befell = form != Form::Noun && (passive(&lw[..k]) || matches!(ws[k].s, "died"));
    for (j, w) in ws.iter().enumerate() {
        if j >= k && j < next {
            continue;
        }
        let Some(m) = mention_at(cast, w) else { continue };
        if m.span == seen || m.span.start < seen.end {
            continue;
        }
        seen = m.span;
        let Some(entity) = m.entity else { continue };
        let ekind = kind_of(cast, m);
        if ekind == Some(EntityKind::Place) {
            continue;
        }
        let gov = governing(cast, ws, j);
        let gov = gov.as_deref();
        // `a conversation between Kamenev and Bukharin took place`
        if ev.kind == EventKind::Encounter && form == Form::Noun && gov == Some("between") && ekind == Some(EntityKind::Person) {
            add(ev, entity, Role::Participant, m.span);
            continue;
        }
        if gov.is_some_and(|p| NOT_PARTICIPANT.contains(&p)) {
            continue;
        }
        let possessive = text[m.span.end..].starts_with(['’', '\'']);
        let before = j < k;
        // `at Pyatakov’s`, `to Ordzhonikidze’s`: a home.
        let home = possessive && matches!(gov, Some("at" | "to"));
        // Pronouns: subjects and objects, resolved within the sentence first.
        let (entity, span) = if m.kind == MentionKind::Pronoun {
            let w = ws[j].s.to_lowercase();
            match (w.as_str(), before) {
                ("he" | "she", true) => sentence_subject(cast, &all[..clause.start + j]).unwrap_or((entity, m.span)),
                ("him" | "her", false) => {
                    let agent = ev.participants.iter().find(|p| p.role == Role::Agent).map(|p| p.entity);
                    match sentence_subject(cast, all).filter(|(e, _)| Some(*e) != agent) {
                        Some(s) => s,
                        None if Some(entity) != agent => (entity, m.span),
                        None => continue,
                    }
                }
                ("his" | "her" | "their", _) => continue,
                _ => (entity, m.span),
            }
        } else {
            (entity, m.span)
        };
        if single_agent {
            let subject = before && !home && !matches!(gov, Some("of" | "at" | "to" | "in" | "with" | "from" | "by"));
            // The doer is the name nearest before the verb.
            if subject || (gov == Some("by") && ev.kind != EventKind::Statement) {
                nearest_agent = Some((entity, span));
            } else if ev.kind == EventKind::Declaration && ekind == Some(EntityKind::Organisation) && gov == Some("in") {
                add(ev, entity, Role::Body, span);
            } else if ev.kind == EventKind::Statement && !before && j == next + usize::from(ws.get(next).is_some_and(|w| w.s == "to")) && ekind == Some(EntityKind::Person) {
                // `asked Comrade Stalin`, `replying to Mr. Wallace`: the one spoken to.
                add(ev, entity, Role::Participant, span);
            }
            continue;
        }
        let role = match ev.kind {
            EventKind::Encounter => {
                if home {
                    Role::Host
                } else if matches!(gov, Some("of" | "from" | "in")) {
                    continue;
                } else if before {
                    Role::Agent
                } else {
                    Role::Participant
                }
            }
            EventKind::Session | EventKind::Postponement => {
                if ekind == Some(EntityKind::Organisation) {
                    Role::Body
                } else if ekind == Some(EntityKind::Person) && !matches!(gov, Some("of" | "from" | "as")) {
                    Role::Present
                } else {
                    continue;
                }
            }
            _ => {
                if home {
                    continue;
                }
                if before && befell {
                    if gov.is_none() || gov.is_some_and(|g| !NOT_PARTICIPANT.contains(&g)) {
                        nearest_patient = Some((entity, span));
                    }
                    continue;
                }
                if ekind == Some(EntityKind::Organisation) && matches!(gov, Some("from" | "to" | "in" | "of")) && !before {
                    Role::Body
                } else if gov == Some("by") {
                    Role::Agent
                } else if before {
                    if possessive && form == Form::Noun {
                        Role::Patient
                    } else if form == Form::Noun && !ws[j..k].iter().any(|x| matches!(x.s, "conducted" | "held" | "ordered" | "staged" | "organised" | "organized" | "carried")) {
                        continue;
                    } else {
                        Role::Agent
                    }
                } else {
                    Role::Patient
                }
            }
        };
        add(ev, entity, role, span);
    }
    if let Some((e, s)) = nearest_patient {
        add(ev, e, Role::Patient, s);
    }
    if let Some((e, s)) = nearest_agent {
        let role = if ev.kind == EventKind::Writing { Role::Author } else { Role::Agent };
        ev.participants.insert(0, Participant { entity: e, role, span: s });
    }
}

/// `at Pyatakov’s`, `to Ordzhonikidze’s`, `to his house`, `in Kislovodsk`.
fn place(cast: &Cast, text: &str, ws: &[Word<'_>], ev: &Event) -> Option<Place> {
    if let Some(host) = ev.participants.iter().find(|p| p.role == Role::Host) {
        let end = text[host.span.end..].char_indices().take(2).find(|(_, c)| *c == 's').map_or(host.span.end, |(i, c)| host.span.end + i + c.len_utf8());
        return Some(Place { span: Span::new(host.span.start, end), entity: None, home_of: Some(host.entity) });
    }
    for (j, w) in ws.iter().enumerate() {
        let l = w.s.to_lowercase();
        if matches!(l.as_str(), "his" | "her" | "their") && ws.get(j + 1).is_some_and(|n| matches!(n.s, "house" | "home" | "flat" | "apartment" | "dacha" | "office" | "room" | "villa")) && j > 0 && matches!(ws[j - 1].s, "to" | "at" | "in") {
            let agent = ev.participants.iter().find(|p| p.role == Role::Agent).map(|p| p.entity);
            return Some(Place { span: Span::new(w.span.start, ws[j + 1].span.end), entity: None, home_of: agent });
        }
        if matches!(l.as_str(), "in" | "at" | "near")
            && let Some(n) = ws.get(j + 1)
            && let Some(m) = mention_at(cast, n)
            && kind_of(cast, m) == Some(EntityKind::Place)
        {
            return Some(Place { span: m.span, entity: m.entity, home_of: None });
        }
    }
    None
}

/// Matches each `after …`/`before …` phrase to the latest event told before
/// it that its words name, and dates the phrase from that event when it can.
fn link_anchors(text: &str, dates: &mut [DateMention], events: &[Event]) {
    for i in 0..dates.len() {
        let Some(phrase) = dates[i].anchor_phrase else { continue };
        let stems: Vec<String> = words(text, phrase).iter().map(|w| stem(&w.s.to_lowercase())).collect();
        let found = events.iter().enumerate().rev().filter(|(_, e)| e.trigger.end <= phrase.start).find(|(_, e)| {
            let t = stem(&e.trigger.text(text).to_lowercase());
            stems.contains(&t)
        });
        let Some((ei, e)) = found else { continue };
        dates[i].anchor_event = Some(ei);
        if dates[i].date.start.is_some() {
            continue;
        }
        let Some(anchor) = e.date.map(|d| dates[d].date.clone()) else { continue };
        if let (Some(days), Some(value)) = (anchor.days(), anchor.start) {
            let d = &mut dates[i].date;
            let rel = d.relative.clone();
            let (first, last) = (kulisy_model::PartialDate::from_day(days.0), kulisy_model::PartialDate::from_day(days.1));
            match rel.and_then(|r| r.offset.zip(r.unit)) {
                Some((off, unit)) => {
                    let n = i64::from(off.clamp(-100_000, 100_000))
                        * match unit {
                            kulisy_model::Unit::Day => 1,
                            kulisy_model::Unit::Week => 7,
                            kulisy_model::Unit::Month => 30,
                            kulisy_model::Unit::Year => 365,
                        };
                    d.start = Some(kulisy_model::PartialDate::from_day(days.0 + n));
                    if d.qualifier == Qualifier::Exact && unit != kulisy_model::Unit::Day {
                        d.qualifier = Qualifier::Approximate;
                    }
                }
                None => {
                    d.start = Some(first);
                    d.end = (first != last).then_some(last);
                    d.precision = anchor.precision;
                }
            }
            d.inferred = Some(kulisy_model::Inference { anchor: value, rule: kulisy_model::InferenceRule::Counted });
        }
    }
}

/// A crude stem: enough to match `published` with `publication` is not
/// attempted; `published`/`publish`, `sessions`/`session` are.
fn stem(w: &str) -> String {
    let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
    for suffix in ["ed", "es", "s", "ing"] {
        if w.len() > suffix.len() + 3
            && let Some(s) = w.strip_suffix(suffix)
        {
            return s.to_string();
        }
    }
    w.to_string()
}

/// Places the events in time: by their dates; an event with no date of its
/// own or from the narrative right after the one told before it.
pub fn timeline(events: &[Event], dates: &[DateMention]) -> Vec<TimelineEntry> {
    let mut keyed: Vec<(Option<kulisy_model::SortKey>, usize, TimelineEntry)> = Vec::new();
    let mut last_key = None;
    let mut last_event = None;
    for (i, e) in events.iter().enumerate() {
        let key = e.date.and_then(|d| dates[d].date.sort_key());
        let entry = match key {
            Some(k) => {
                last_key = Some(k);
                TimelineEntry { event: i, date: e.date, after: None }
            }
            None => TimelineEntry { event: i, date: e.date, after: last_event },
        };
        keyed.push((key.or(last_key), i, entry));
        last_event = Some(i);
    }
    keyed.sort_by_key(|(k, i, _)| (*k, *i));
    keyed.into_iter().map(|(_, _, e)| e).collect()
}

/// Gives undated events the date the narrative last set nearby.
pub fn inherit_dates(doc: &Document, dates: &[DateMention], events: &mut [Event]) {
    // The dates things were moved to are not dates the narrative reached.
    let new_dates: Vec<usize> = events.iter().filter_map(|e| e.new_date).collect();
    for e in events.iter_mut().filter(|e| e.date.is_none()) {
        let block = doc.blocks.partition_point(|b| b.span.end <= e.span.start);
        if doc.blocks.get(block).is_none_or(|b| b.span.start > e.span.start) {
            continue;
        }
        let k = dates.partition_point(|d| d.span.start < e.span.start);
        let found = dates[..k].iter().enumerate().rev().find(|&(i, d)| {
            !new_dates.contains(&i)
                && !d.quoted && !d.attributive && d.date.start.is_some() && block.saturating_sub(d.block) <= 1 && doc.blocks.get(d.block).is_some_and(|b| b.kind != kulisy_model::BlockKind::Footnote)
                && !matches!(d.date.qualifier, Qualifier::Before | Qualifier::NotAfter)
        });
        // Else a date heading the section: `August 20, 1940` above the story of that day.
        let found = found.map(|(i, _)| i).or_else(|| {
            let heading = doc.blocks[..block].iter().rposition(|b| matches!(b.kind, kulisy_model::BlockKind::Heading(_)))?;
            dates[..k].iter().rposition(|d| d.block == heading && !d.attributive && d.date.start.is_some() && d.date.relative.is_none())
        });
        if let Some(i) = found {
            e.date = Some(i);
            e.date_source = DateSource::Narrative;
        }
    }
}

#[cfg(test)]
mod tests {
    use kulisy_model::SourceFormat;

    /// One event as the tests look at it: (kind, sieve, participants as
    /// `name:role`, place text, date value, new date value).
    type Seen = (String, &'static str, Vec<String>, String, String, String);

    fn events(text: &str) -> Vec<Seen> {
        // Paragraphs as they are, with the first line's `Written:` date as the document's.
        let mut doc = crate::segment::tests::doc(&text.split("\n\n").collect::<Vec<_>>());
        if let Some(d) = text.strip_prefix("Written: ").and_then(kulisy_model::find_date) {
            doc.metadata.written = Some(kulisy_model::SpannedDate { start: d.first, end: d.last, text: String::new(), span: None });
            doc.blocks.remove(0);
        }
        let ex = crate::extract(&doc);
        let t = doc.text.as_str();
        ex.events
            .iter()
            .map(|e| {
                let who = e.participants.iter().map(|p| format!("{}:{}", ex.cast.entities[p.entity].name, p.role.as_str())).collect();
                let place = e.place.as_ref().map(|p| p.span.text(t).to_string()).unwrap_or_default();
                let date = e.date.map(|d| ex.dates[d].date.normalised()).unwrap_or_default();
                let new_date = e.new_date.map(|d| ex.dates[d].date.normalised()).unwrap_or_default();
                (e.kind.as_str().to_string(), e.sieve, who, place, date, new_date)
            })
            .collect()
    }

    fn kinds(text: &str) -> Vec<String> {
        events(text).into_iter().map(|e| e.0).collect()
    }

    #[test]
    fn encounters_with_host_and_place() {
        let e = events("On March 3, 1929, Kamenev met Bukharin at Pyatakov’s. Kamenev and Bukharin talked long.");
        assert_eq!(e[0].0, "encounter");
        assert_eq!(e[0].1, "encounter-verb");
        assert_eq!(e[0].2, vec!["Kamenev:agent", "Bukharin:participant", "Pyatakov:host"]);
        assert_eq!(e[0].3, "Pyatakov’s");
        assert_eq!(e[0].4, "1929-03-03");
        let e = events("Kamenev agreed with alacrity, whereupon Ordzhonikidze invited him and Zinoviev to his house.");
        assert_eq!(e[0].2, vec!["Ordzhonikidze:agent", "Kamenev:participant", "Zinoviev:participant"]);
        assert_eq!(e[0].3, "his house");
        let e = events("The report named Bukharin and Ordzhonikidze. Bukharin was also called to Ordzhonikidze’s and he confirmed it as well.");
        assert_eq!(e[0].2, vec!["Bukharin:agent", "Ordzhonikidze:host"]);
        assert_eq!(e[1].0, "confirmation");
        assert_eq!(e[1].2, vec!["Bukharin:agent"]);
        let e = events("Two days later Kalinin came to see Zinoviev and stayed for twenty minutes.");
        assert_eq!(e[0].2, vec!["Kalinin:agent", "Zinoviev:participant"]);
        // A named town is the place; `May` is a month, not a maybe.
        let e = events("The guards knew Kamenev and Bukharin well. On May 3, 1929, Kamenev met Bukharin in Kislovodsk.");
        assert_eq!(e[0].3, "Kislovodsk");
        // A conversation that took place; not one a report is about.
        let e = events("They knew Kamenev and Bukharin. A conversation between Kamenev and Bukharin took place at Pyatakov’s.");
        assert_eq!((e[0].1, e[0].2.clone()), ("encounter-noun", vec!["Kamenev:participant".to_string(), "Bukharin:participant".to_string(), "Pyatakov:host".to_string()]));
        assert!(kinds("They knew Kamenev and Bukharin. The report of the conversation between Kamenev and Bukharin was long.").is_empty());
    }

    #[test]
    fn what_did_not_happen_is_no_event() {
        // An intention, a possibility, a denial, a question, a report of what someone said.
        assert!(kinds("Kamenev wanted to meet Bukharin.").is_empty());
        assert!(kinds("Kamenev could not have met Bukharin.").is_empty());
        assert!(kinds("Did Kamenev meet Bukharin at Pyatakov’s?").is_empty());
        assert!(kinds("Kamenev never visited Bukharin.").is_empty());
        assert!(kinds("Zinoviev said that Kamenev had met Bukharin.").is_empty());
        // A session named as a time, not as something that happened.
        assert!(kinds("The Rights will object before the plenum.").is_empty());
        assert!(kinds("Stalin will be removed at the next plenum of the Central Committee.").is_empty());
        // One name is not a meeting.
        assert!(kinds("Kamenev approached the table.").is_empty());
        // The speakers' words are theirs: “I met Stalin” is not narration.
        assert!(kinds("Bukharin said, “I met Stalin on Friday.”").is_empty());
    }

    #[test]
    fn sessions_of_bodies() {
        let e = events("Joint sessions of the Politburo and the presidium of the Central Control Commission were held on January 30, 1929 and February 9, 1929.");
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!((e[0].0.as_str(), e[0].4.as_str(), e[1].4.as_str()), ("session", "1929-01-30", "1929-02-09"));
        assert!(e[0].2.contains(&"Politburo:body".to_string()), "{:?}", e[0].2);
        let e = events("The Politburo met for three days on this subject.");
        assert_eq!((e[0].0.as_str(), e[0].1), ("session", "body-sat"));
        let e = events("At the Moscow regional party conference, Rykov, Tomsky, and Bukharin were openly designated as the Right.");
        assert_eq!(e[0].0, "session");
        assert!(e[0].2.contains(&"Rykov:present".to_string()), "{:?}", e[0].2);
    }

    #[test]
    fn decisions_and_acts() {
        let e = events("The Stalin faction decided to eliminate Bukharin, Tomsky, and Rykov from the Politburo at the next plenum.");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0, "decision");
        for p in ["Bukharin:patient", "Tomsky:patient", "Rykov:patient", "Politburo:body"] {
            assert!(e[0].2.contains(&p.to_string()), "{p} in {:?}", e[0].2);
        }
        let e = events("He brought news of the deportation of Comrade Trotsky. When the Zinovievists learned of the deportation of Trotsky, they got together.");
        assert_eq!(e.iter().filter(|x| x.0 == "deportation").count(), 1, "a second mention refers back: {e:?}");
        assert!(e[0].2.contains(&"Trotsky:patient".to_string()), "{:?}", e[0].2);
        let e = events("The police watched Klement and Sedov. Klement was killed in Paris. Sedov died in a clinic.");
        assert_eq!(e[0].2, vec!["Klement:patient"]);
        assert_eq!(e[1].2, vec!["Sedov:patient"]);
        let e = events("Our pamphlet has been republished by the Central Committee.");
        assert_eq!((e[0].0.as_str(), e[0].2.clone()), ("publication", vec!["Central Committee:agent".to_string()]));
        let e = events("Zinoviev wrote a thesis two pages long.");
        assert_eq!((e[0].0.as_str(), e[0].2.clone()), ("writing", vec!["Zinoviev:author".to_string()]));
        let e = events("At the joint session, Rykov read a long declaration of thirty pages.");
        assert_eq!(e.last().map(|x| (x.0.as_str(), x.2.clone())), Some(("declaration", vec!["Rykov:agent".to_string()])));
    }

    #[test]
    fn postponements_carry_their_new_dates() {
        let e = events("Written: March 29, 1929.\n\nThe plenum of the Central Committee has been postponed to April 16, the conference to April 23.");
        let moved: Vec<(&str, &str)> = e.iter().filter(|x| x.0 == "postponement").map(|x| (x.1, x.5.as_str())).collect();
        assert_eq!(moved, vec![("postponement", "1929-04-16"), ("postponement", "1929-04-23")]);
    }

    #[test]
    fn dated_statements() {
        let e = events("In September, 1946, Mr. Alexander Werth asked Comrade Stalin a question.");
        assert_eq!((e[0].0.as_str(), e[0].1, e[0].4.as_str()), ("statement", "dated-statement", "1946-09"));
        assert_eq!(e[0].2, vec!["Mr. Alexander Werth:agent", "Comrade Stalin:participant"]);
        // Undated speech is attribution's business, not the timeline's.
        assert!(kinds("Comrade Stalin replied at once.").is_empty());
    }

    #[test]
    fn an_event_named_again_dates_what_follows_it() {
        let e = events("Written: March 29, 1929.\n\nThe report was published on January 20.\n\nAfter we had published the report, Kamenev was called to Ordzhonikidze’s.");
        let called = e.iter().find(|x| x.0 == "encounter").unwrap_or_else(|| panic!("{e:?}"));
        assert_eq!(called.4, "1929-01-21/..");
    }

    #[test]
    fn a_heading_names_the_session_it_heads() {
        let doc = "<html><body><h1>Three Discussions</h1><p>Notes of the talks.</p><h3>Discussion in Mexico City, May 31, 1938</h3><p>Question: what now?</p></body></html>";
        let d = kulisy_read::read_bytes("t.html", doc.as_bytes().to_vec(), Some(SourceFormat::Html)).unwrap_or_else(|e| panic!("{e}"));
        let ex = crate::extract(&d);
        assert_eq!(ex.events.len(), 1);
        assert_eq!(ex.events[0].kind, kulisy_model::EventKind::Session);
        assert_eq!(ex.events[0].date.map(|i| ex.dates[i].date.normalised()).as_deref(), Some("1938-05-31"));
    }
}
