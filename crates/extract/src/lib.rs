//! Extraction: from a canonical [`Document`] to what it says.
//!
//! So far: segmentation into sentences, quotations (with nesting, runs over
//! several paragraphs, speech or term) and editorial layers (the reporter's
//! bracketed interpolations, parenthesised asides and glosses).
//!
//! Architecture invariant: every function here is pure and deterministic
//! (no I/O, no clock, no randomness, no hash-map order in output) and cannot
//! fail: odd text gives diagnostics, never errors or panics.

pub mod attribute;
pub mod cast;
pub mod dates;
pub mod discover;
pub mod events;
mod segment;
pub mod sentences;

use kulisy_model::{Attribution, DateMention, Document, Entity, EntityKind, Event, Segmentation, TimelineEntry};

pub use segment::segment;

use crate::cast::Cast;

/// What extraction is given besides the document.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Entities known beforehand (a gazetteer): they are linked first, and
    /// supply what the text cannot (`L.D.` is Trotsky).
    pub known: Vec<Entity>,
}

/// Everything extraction finds in one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Extraction {
    /// Sentences, quotations and editorial layers.
    pub segmentation: Segmentation,
    /// Entities and their mentions.
    pub cast: Cast,
    /// One per quotation, in the same order; terms have no speaker.
    pub attributions: Vec<Attribution>,
    /// The time expressions, in text order, resolved where the text allows.
    pub dates: Vec<DateMention>,
    /// The events of the narration, in text order.
    pub events: Vec<Event>,
    /// The events in time order.
    pub timeline: Vec<TimelineEntry>,
}

/// Runs every extraction stage on `doc` with no entities known beforehand.
pub fn extract(doc: &Document) -> Extraction {
    extract_with(doc, &Options::default())
}

/// Runs every extraction stage on `doc`.
pub fn extract_with(doc: &Document, options: &Options) -> Extraction {
    let segmentation = segment(doc);
    let quoted = attribute::quoted_pieces(&segmentation.quotations);
    let found = discover::discover(&doc.text, &doc.blocks, &quoted);
    let entities = merge(&options.known, found);
    let narrator = first_person_narrator(doc, &quoted);
    let mut entities = entities;
    let narrator = narrator.then(|| {
        entities.push(Entity {
            kind: EntityKind::Person,
            name: "the narrator".into(),
            aliases: Vec::new(),
            gender: None,
            members: Vec::new(),
            external_id: None,
            from: None,
            until: None,
        });
        entities.len() - 1
    });
    let cast = cast::cast_from(&doc.text, entities, &quoted, narrator);
    let mut dates = dates::dates(doc, &quoted);
    let mut events = events::events(doc, &segmentation.quotations, &segmentation.layers, &cast, &mut dates);
    events::inherit_dates(doc, &dates, &mut events);
    let timeline = events::timeline(&events, &dates);
    let attributions = attribute::attribute(doc, &segmentation, &cast, &events);
    Extraction { segmentation, cast, attributions, dates, events, timeline }
}

/// Known entities first; a found entity whose name is one of a known
/// entity's names adds its other names to it instead of standing alone.
fn merge(known: &[Entity], found: Vec<Entity>) -> Vec<Entity> {
    let mut out: Vec<Entity> = known.to_vec();
    let k = out.len();
    for f in found {
        let names: Vec<&String> = std::iter::once(&f.name).chain(&f.aliases).collect();
        let hit = out[..k].iter().position(|e| {
            let known_names: Vec<String> = std::iter::once(e.name.clone()).chain(e.aliases.iter().cloned()).flat_map(|n| {
                let mut v = cast::name_variants(&n);
                v.push(n);
                v
            }).collect();
            e.kind == f.kind && names.iter().any(|n| known_names.contains(n))
        });
        // `Miss Quested` in the text, `Adela Quested` in the list: a title
        // and a family name are the one person known by that family name
        // whose gender the title allows.
        let hit = hit.or_else(|| {
            let (gender, family) = names.iter().find_map(|n| {
                let family = discover::bare(n);
                (family.len() < n.len() && !family.is_empty() && !family.contains(' ')).then(|| (discover::title_gender(n), family))
            })?;
            let bearers: Vec<usize> = (0..k)
                .filter(|&i| {
                    let e = &out[i];
                    e.kind == EntityKind::Person
                        && (gender.is_none() || e.gender.is_none() || e.gender == gender)
                        && std::iter::once(&e.name).chain(&e.aliases).any(|n| {
                            let ws: Vec<&str> = n.split_whitespace().filter(|w| !cast::TITLES.contains(w)).collect();
                            ws.len() >= 2 && ws[ws.len() - 1] == family
                        })
                })
                .collect();
            match bearers[..] {
                [one] => Some(one),
                _ => None,
            }
        });
        match hit {
            Some(i) => {
                for n in names {
                    if *n != out[i].name && !out[i].aliases.contains(n) {
                        out[i].aliases.push(n.clone());
                    }
                }
            }
            None => out.push(f),
        }
    }
    out
}

/// Whether the narration speaks in the first person singular often enough
/// to have a narrator who is a character.
fn first_person_narrator(doc: &Document, quoted: &[kulisy_model::Span]) -> bool {
    let mut words = 0usize;
    let mut first = 0usize;
    for b in doc.blocks.iter().filter(|b| b.kind.is_text()) {
        let text = b.span.text(&doc.text);
        for w in text.split(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'') {
            if w.is_empty() {
                continue;
            }
            // The word's offset, from where the slice lies in the text.
            let at = b.span.start + (w.as_ptr() as usize - text.as_ptr() as usize);
            let k = quoted.partition_point(|q| q.end <= at);
            if quoted.get(k).is_some_and(|q| q.start <= at) {
                continue;
            }
            words += 1;
            first += usize::from(w == "I");
        }
    }
    words >= 200 && first * 200 >= words
}
