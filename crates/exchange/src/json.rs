//! The `kulisy extract` JSON format, version 1.
//!
//! Stable: fields are only ever added. Every span is a pair of UTF-8 byte
//! offsets into the document's canonical `text`, with the covered text.

use kulisy_extract::Extraction;
use kulisy_model::{Document, Publication, Span, SpannedDate, SpannedText};
use serde::Serialize;

/// The schema identifier written at the top of every output.
pub const SCHEMA: &str = "kulisy.extract/1";

/// A span on the wire.
#[derive(Serialize)]
pub struct WireSpan<'a> {
    /// First byte, in the canonical text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The covered text.
    pub text: &'a str,
}

fn span<'a>(text: &'a str, s: Span) -> WireSpan<'a> {
    WireSpan { start: s.start, end: s.end, text: s.text(text) }
}

fn opt_span<'a>(text: &'a str, s: Option<Span>) -> Option<WireSpan<'a>> {
    s.map(|s| span(text, s))
}

#[derive(Serialize)]
struct WireEncoding {
    name: &'static str,
    source: &'static str,
    had_errors: bool,
}

#[derive(Serialize)]
struct WireText<'a> {
    value: &'a str,
    span: Option<WireSpan<'a>>,
}

fn wire_text<'a>(text: &'a str, t: &'a SpannedText) -> WireText<'a> {
    WireText { value: &t.text, span: opt_span(text, t.span) }
}

#[derive(Serialize)]
struct WireDate<'a> {
    /// ISO 8601 at the precision known.
    value: String,
    /// The last date of a range.
    end: Option<String>,
    precision: &'static str,
    /// As printed.
    printed: &'a str,
    span: Option<WireSpan<'a>>,
}

fn wire_date<'a>(text: &'a str, d: &'a SpannedDate) -> WireDate<'a> {
    WireDate {
        value: d.start.to_string(),
        end: d.end.map(|e| e.to_string()),
        precision: d.start.precision().as_str(),
        printed: &d.text,
        span: opt_span(text, d.span),
    }
}

#[derive(Serialize)]
struct WirePublication<'a> {
    value: &'a str,
    span: Option<WireSpan<'a>>,
    venue: Option<&'a str>,
    place: Option<&'a str>,
    volume: Option<&'a str>,
    issue: Option<&'a str>,
    pages: Option<&'a str>,
    date: Option<WireDate<'a>>,
}

fn wire_publication<'a>(text: &'a str, p: &'a Publication) -> WirePublication<'a> {
    WirePublication {
        value: &p.text,
        span: opt_span(text, p.span),
        venue: p.venue.as_deref(),
        place: p.place.as_deref(),
        volume: p.volume.as_deref(),
        issue: p.issue.as_deref(),
        pages: p.pages.as_deref(),
        date: p.date.as_ref().map(|d| wire_date(text, d)),
    }
}

#[derive(Serialize)]
struct WireLicence<'a> {
    kind: &'static str,
    value: &'a str,
    span: Option<WireSpan<'a>>,
}

#[derive(Serialize)]
struct WireField<'a> {
    key: &'a str,
    value: &'a str,
    span: WireSpan<'a>,
}

#[derive(Serialize)]
struct WireMetadata<'a> {
    title: Option<WireText<'a>>,
    subtitle: Option<WireText<'a>>,
    authors: Vec<WireText<'a>>,
    written: Option<WireDate<'a>>,
    delivered: Option<WireDate<'a>>,
    first_published: Option<WirePublication<'a>>,
    source: Option<WirePublication<'a>>,
    translated: Option<WireText<'a>>,
    transcribers: &'a [String],
    proofreaders: &'a [String],
    licence: Option<WireLicence<'a>>,
    last_updated: Option<WireDate<'a>>,
    fields: Vec<WireField<'a>>,
}

#[derive(Serialize)]
struct WireBlock<'a> {
    id: usize,
    kind: &'static str,
    /// Heading level, 1 highest; only for headings.
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
    span: WireSpan<'a>,
}

#[derive(Serialize)]
struct WireSentence<'a> {
    id: usize,
    block: usize,
    span: WireSpan<'a>,
}

#[derive(Serialize)]
struct WireQuotation<'a> {
    id: usize,
    kind: &'static str,
    span: WireSpan<'a>,
    /// The quoted words, one piece per paragraph, marks excluded.
    pieces: Vec<WireSpan<'a>>,
    open: String,
    close: Option<String>,
    parent: Option<usize>,
    depth: u32,
    /// Ids of the editorial layers inside.
    layers: &'a [usize],
    /// The interpolations inside: words that are not the speaker's.
    interpolations: Vec<WireSpan<'a>>,
    block: usize,
    /// The speaker's entity id; null for terms and when no sieve decided.
    speaker: Option<usize>,
    /// The mention naming the speaker, when one does.
    speaker_mention: Option<usize>,
    addressees: &'a [usize],
    /// Written rather than spoken.
    written: bool,
    /// Who reports these words (the outer speaker, or a reporter the narration names).
    reported_by: Option<usize>,
    /// The whole chain, speaker first: who said it, who reported that, and so on.
    reporting_chain: Vec<usize>,
    /// The sieve that decided; empty when none did.
    sieve: &'static str,
    confidence: f32,
}

#[derive(Serialize)]
struct WireEntity<'a> {
    id: usize,
    kind: &'static str,
    name: &'a str,
    aliases: &'a [String],
    gender: Option<&'static str>,
    members: &'a [usize],
    external_id: Option<&'a str>,
}

#[derive(Serialize)]
struct WireMention<'a> {
    id: usize,
    kind: &'static str,
    entity: Option<usize>,
    span: WireSpan<'a>,
}

#[derive(Serialize)]
struct WireLayer<'a> {
    id: usize,
    kind: &'static str,
    /// Whether the words are the reporter's or an editor's rather than a speaker's.
    reporter: bool,
    span: WireSpan<'a>,
    content: WireSpan<'a>,
    quotation: Option<usize>,
}

#[derive(Serialize)]
struct WireAnnotation<'a> {
    element: &'a str,
    attributes: serde_json::Map<String, serde_json::Value>,
    span: WireSpan<'a>,
}

#[derive(Serialize)]
struct WireDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    span: Option<WireSpan<'a>>,
}

#[derive(Serialize)]
struct WireRelative<'a> {
    /// Units from the anchor, negative for earlier; null when the text does not count.
    offset: Option<i32>,
    unit: Option<&'static str>,
    /// `previous` (the time the narrative reached), `now` (the document's date) or `event`.
    anchor: &'static str,
    /// For an `event` anchor: the phrase naming it.
    anchor_text: Option<&'a str>,
}

#[derive(Serialize)]
struct WireInference {
    /// The date the value was worked out from.
    anchor: String,
    /// `document-date`, `context` or `counted`.
    rule: &'static str,
}

#[derive(Serialize)]
struct WireDateMention<'a> {
    id: usize,
    span: WireSpan<'a>,
    block: usize,
    /// ISO 8601-2 (EDTF) value: `1929-01-20`, `1928-12/1929-01`, `1925~`, `../1929-04-15`; empty while unresolved.
    value: String,
    /// First and last day, month or year covered, as printed or worked out.
    start: Option<String>,
    end: Option<String>,
    precision: &'static str,
    qualifier: &'static str,
    calendar: &'static str,
    season: Option<&'static str>,
    /// 1 (Monday) to 7.
    weekday: Option<u8>,
    relative: Option<WireRelative<'a>>,
    /// Set when the value is not printed but implied (a year from the document's date, a counted day).
    inferred: Option<WireInference>,
    /// Day numbers (days since 1970-01-01, Gregorian) the date may fall on; null while unresolved.
    days: Option<[i64; 2]>,
    quoted: bool,
    attributive: bool,
    anchor_phrase: Option<WireSpan<'a>>,
    anchor_event: Option<usize>,
}

#[derive(Serialize)]
struct WireParticipant<'a> {
    entity: usize,
    role: &'static str,
    span: WireSpan<'a>,
}

#[derive(Serialize)]
struct WirePlace<'a> {
    span: WireSpan<'a>,
    entity: Option<usize>,
    home_of: Option<usize>,
}

#[derive(Serialize)]
struct WireEvent<'a> {
    id: usize,
    kind: &'static str,
    trigger: WireSpan<'a>,
    span: WireSpan<'a>,
    participants: Vec<WireParticipant<'a>>,
    place: Option<WirePlace<'a>>,
    /// The date mention placing it, by id.
    date: Option<usize>,
    /// `own`, `narrative` or `order`.
    date_source: &'static str,
    /// For a postponement: the new date, by id.
    new_date: Option<usize>,
    sieve: &'static str,
    confidence: f32,
}

#[derive(Serialize)]
struct WireTimelineEntry {
    event: usize,
    date: Option<usize>,
    after: Option<usize>,
}

fn wire_date_mention<'a>(t: &'a str, id: usize, d: &'a kulisy_model::DateMention) -> WireDateMention<'a> {
    let h = &d.date;
    WireDateMention {
        id,
        span: span(t, d.span),
        block: d.block,
        value: h.normalised(),
        start: h.start.map(|x| x.to_string()),
        end: h.end.map(|x| x.to_string()),
        precision: h.precision.as_str(),
        qualifier: h.qualifier.as_str(),
        calendar: h.calendar.as_str(),
        season: h.season.map(|s| s.as_str()),
        weekday: h.weekday,
        relative: h.relative.as_ref().map(|r| WireRelative {
            offset: r.offset,
            unit: r.unit.map(|u| u.as_str()),
            anchor: match r.anchor {
                kulisy_model::Anchor::Previous => "previous",
                kulisy_model::Anchor::Now => "now",
                kulisy_model::Anchor::Event(_) => "event",
            },
            anchor_text: match &r.anchor {
                kulisy_model::Anchor::Event(e) => Some(e.as_str()),
                _ => None,
            },
        }),
        inferred: h.inferred.map(|i| WireInference { anchor: i.anchor.to_string(), rule: i.rule.as_str() }),
        days: h.days().map(|(a, b)| [a, b]),
        quoted: d.quoted,
        attributive: d.attributive,
        anchor_phrase: opt_span(t, d.anchor_phrase),
        anchor_event: d.anchor_event,
    }
}

fn wire_event<'a>(t: &'a str, id: usize, e: &'a kulisy_model::Event) -> WireEvent<'a> {
    WireEvent {
        id,
        kind: e.kind.as_str(),
        trigger: span(t, e.trigger),
        span: span(t, e.span),
        participants: e.participants.iter().map(|p| WireParticipant { entity: p.entity, role: p.role.as_str(), span: span(t, p.span) }).collect(),
        place: e.place.as_ref().map(|p| WirePlace { span: span(t, p.span), entity: p.entity, home_of: p.home_of }),
        date: e.date,
        date_source: e.date_source.as_str(),
        new_date: e.new_date,
        sieve: e.sieve,
        confidence: e.confidence,
    }
}

/// One segment of the offset map: `[canonical start, canonical length,
/// original start, original length]`.
type WireSegment = [usize; 4];

#[derive(Serialize)]
struct WireDocument<'a> {
    name: &'a str,
    format: &'static str,
    encoding: WireEncoding,
    original_length: usize,
    text: &'a str,
    offset_map: Vec<WireSegment>,
    metadata: WireMetadata<'a>,
    blocks: Vec<WireBlock<'a>>,
    sentences: Vec<WireSentence<'a>>,
    quotations: Vec<WireQuotation<'a>>,
    layers: Vec<WireLayer<'a>>,
    entities: Vec<WireEntity<'a>>,
    mentions: Vec<WireMention<'a>>,
    dates: Vec<WireDateMention<'a>>,
    events: Vec<WireEvent<'a>>,
    timeline: Vec<WireTimelineEntry>,
    annotations: Vec<WireAnnotation<'a>>,
    diagnostics: Vec<WireDiagnostic<'a>>,
}

/// The speaker of quotation `q`, then whoever reports it, then whoever
/// reports the quotation that reports it, and so on.
fn reporting_chain(ex: &Extraction, q: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut at = Some(q);
    while let Some(k) = at {
        let Some(a) = ex.attributions.get(k) else { break };
        for e in a.speaker.into_iter().chain(a.reported_by) {
            if chain.last() != Some(&e) && !chain.contains(&e) {
                chain.push(e);
            }
        }
        at = ex.segmentation.quotations.get(k).and_then(|x| x.parent);
    }
    chain
}

/// Writes one document as a JSON object (one element of `documents`).
pub fn write_document(out: &mut impl std::io::Write, doc: &Document, ex: &Extraction) -> std::io::Result<()> {
    let t = doc.text.as_str();
    let m = &doc.metadata;
    let seg = &ex.segmentation;
    let wire = WireDocument {
        name: &doc.name,
        format: doc.format.as_str(),
        encoding: WireEncoding { name: doc.encoding.name, source: doc.encoding.source.as_str(), had_errors: doc.encoding.had_errors },
        original_length: doc.original.len(),
        text: t,
        offset_map: doc.offsets.segments().iter().map(|s| [s.canon, s.canon_len, s.orig, s.orig_len]).collect(),
        metadata: WireMetadata {
            title: m.title.as_ref().map(|x| wire_text(t, x)),
            subtitle: m.subtitle.as_ref().map(|x| wire_text(t, x)),
            authors: m.authors.iter().map(|x| wire_text(t, x)).collect(),
            written: m.written.as_ref().map(|d| wire_date(t, d)),
            delivered: m.delivered.as_ref().map(|d| wire_date(t, d)),
            first_published: m.first_published.as_ref().map(|p| wire_publication(t, p)),
            source: m.source.as_ref().map(|p| wire_publication(t, p)),
            translated: m.translated.as_ref().map(|x| wire_text(t, x)),
            transcribers: &m.transcribers,
            proofreaders: &m.proofreaders,
            licence: m.licence.as_ref().map(|l| WireLicence { kind: l.kind.as_str(), value: &l.text, span: opt_span(t, l.span) }),
            last_updated: m.last_updated.as_ref().map(|d| wire_date(t, d)),
            fields: m.fields.iter().map(|f| WireField { key: &f.key, value: &f.value, span: span(t, f.span) }).collect(),
        },
        blocks: doc
            .blocks
            .iter()
            .enumerate()
            .map(|(id, b)| WireBlock {
                id,
                kind: b.kind.as_str(),
                level: match b.kind {
                    kulisy_model::BlockKind::Heading(l) => Some(l),
                    _ => None,
                },
                span: span(t, b.span),
            })
            .collect(),
        sentences: seg.sentences.iter().enumerate().map(|(id, s)| WireSentence { id, block: s.block, span: span(t, s.span) }).collect(),
        quotations: seg
            .quotations
            .iter()
            .enumerate()
            .map(|(id, q)| WireQuotation {
                id,
                kind: q.kind.as_str(),
                span: span(t, q.span),
                pieces: q.pieces.iter().map(|p| span(t, *p)).collect(),
                open: q.open.to_string(),
                close: q.close.map(|c| c.to_string()),
                parent: q.parent,
                depth: q.depth,
                layers: &q.layers,
                interpolations: q
                    .layers
                    .iter()
                    .filter_map(|&l| seg.layers.get(l))
                    .filter(|l| l.kind == kulisy_model::LayerKind::Interpolation)
                    .map(|l| span(t, l.span))
                    .collect(),
                block: q.block,
                speaker: ex.attributions.get(id).and_then(|a| a.speaker),
                speaker_mention: ex.attributions.get(id).and_then(|a| a.speaker_mention),
                addressees: ex.attributions.get(id).map_or(&[][..], |a| &a.addressees),
                written: ex.attributions.get(id).is_some_and(|a| a.written),
                reported_by: ex.attributions.get(id).and_then(|a| a.reported_by),
                reporting_chain: reporting_chain(ex, id),
                sieve: ex.attributions.get(id).map_or("", |a| a.sieve),
                confidence: ex.attributions.get(id).map_or(0.0, |a| (a.confidence * 100.0).round() / 100.0),
            })
            .collect(),
        entities: ex
            .cast
            .entities
            .iter()
            .enumerate()
            .map(|(id, e)| WireEntity {
                id,
                kind: e.kind.as_str(),
                name: &e.name,
                aliases: &e.aliases,
                gender: e.gender.map(|g| g.as_str()),
                members: &e.members,
                external_id: e.external_id.as_deref(),
            })
            .collect(),
        mentions: ex
            .cast
            .mentions
            .iter()
            .enumerate()
            .map(|(id, m)| WireMention { id, kind: m.kind.as_str(), entity: m.entity, span: span(t, m.span) })
            .collect(),
        dates: ex.dates.iter().enumerate().map(|(id, d)| wire_date_mention(t, id, d)).collect(),
        events: ex.events.iter().enumerate().map(|(id, e)| wire_event(t, id, e)).collect(),
        timeline: ex.timeline.iter().map(|e| WireTimelineEntry { event: e.event, date: e.date, after: e.after }).collect(),
        layers: seg
            .layers
            .iter()
            .enumerate()
            .map(|(id, l)| WireLayer {
                id,
                kind: l.kind.as_str(),
                reporter: l.kind.is_reporter(),
                span: span(t, l.span),
                content: span(t, l.content),
                quotation: l.quotation,
            })
            .collect(),
        annotations: doc
            .annotations
            .iter()
            .map(|a| WireAnnotation {
                element: &a.element,
                attributes: a.attributes.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect(),
                span: span(t, a.span),
            })
            .collect(),
        diagnostics: doc
            .diagnostics
            .iter()
            .chain(seg.diagnostics.iter())
            .map(|d| WireDiagnostic { severity: d.severity.as_str(), code: d.code, message: &d.message, span: opt_span(t, d.span) })
            .collect(),
    };
    serde_json::to_writer(out, &wire).map_err(std::io::Error::other)
}

/// Writes the whole output: `{"schema": ..., "documents": [...]}`, one
/// document at a time so that memory stays bounded by the largest one.
pub struct JsonWriter<W: std::io::Write> {
    out: W,
    first: bool,
}

impl<W: std::io::Write> JsonWriter<W> {
    /// Starts the output.
    pub fn new(mut out: W) -> std::io::Result<Self> {
        write!(out, "{{\"schema\":\"{SCHEMA}\",\"documents\":[")?;
        Ok(JsonWriter { out, first: true })
    }

    /// Adds a document.
    pub fn document(&mut self, doc: &Document, ex: &Extraction) -> std::io::Result<()> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        write_document(&mut self.out, doc, ex)
    }

    /// Ends the output.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.write_all(b"]}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}
