//! The `kulisy extract --format text` report: the metadata, then the body
//! with quotations and editorial layers marked where they stand, then a list
//! of the quotations.
//!
//! Marks: a quotation is wrapped as `⟦q3 speech|“...”⟧`; an editorial layer
//! as `⟦interpolation|[...]⟧`, `⟦aside|(...)⟧` and so on. Blocks that are not
//! body text (header, editorial note, residue) are labelled.

use std::fmt::Write as _;

use kulisy_extract::Extraction;
use kulisy_model::{BlockKind, Document, Publication, SpannedDate};

fn date(d: &SpannedDate) -> String {
    match d.end {
        Some(e) => format!("{} to {} ({})", d.start, e, d.text),
        None => format!("{} ({})", d.start, d.text),
    }
}

fn publication(p: &Publication) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &p.venue {
        parts.push(v.clone());
    }
    if let Some(v) = &p.place {
        parts.push(v.clone());
    }
    if let Some(v) = &p.volume {
        parts.push(format!("vol. {v}"));
    }
    if let Some(v) = &p.issue {
        parts.push(format!("no. {v}"));
    }
    if let Some(v) = &p.pages {
        parts.push(format!("pp. {v}"));
    }
    if let Some(d) = &p.date {
        parts.push(date(d));
    }
    parts.join(" | ")
}

/// Renders one document.
pub fn render(doc: &Document, ex: &Extraction) -> String {
    let mut out = String::new();
    let m = &doc.metadata;
    let seg = &ex.segmentation;
    let _ = writeln!(out, "== {} ({}, {} {})", doc.name, doc.format.as_str(), doc.encoding.name, doc.encoding.source.as_str());
    let mut line = |k: &str, v: String| {
        let _ = writeln!(out, "{k:<16} {v}");
    };
    if let Some(t) = &m.title {
        line("title:", t.text.clone());
    }
    if let Some(t) = &m.subtitle {
        line("subtitle:", t.text.clone());
    }
    for a in &m.authors {
        line("author:", a.text.clone());
    }
    if let Some(d) = &m.written {
        line("written:", date(d));
    }
    if let Some(d) = &m.delivered {
        line("delivered:", date(d));
    }
    if let Some(p) = &m.first_published {
        line("first published:", publication(p));
    }
    if let Some(p) = &m.source {
        line("source:", publication(p));
    }
    if let Some(t) = &m.translated {
        line("translated:", t.text.clone());
    }
    if !m.transcribers.is_empty() {
        line("transcribed by:", m.transcribers.join("; "));
    }
    if !m.proofreaders.is_empty() {
        line("proofread by:", m.proofreaders.join("; "));
    }
    if let Some(l) = &m.licence {
        let short: String = l.text.chars().take(60).collect();
        let more = if l.text.chars().count() > 60 { "…" } else { "" };
        line("licence:", format!("{} ({short}{more})", l.kind.as_str()));
    }
    if let Some(d) = &m.last_updated {
        line("last updated:", date(d));
    }
    let _ = writeln!(out);

    // Marks to insert: (offset, order, text). At one offset, closings come
    // before openings, and an outer opening before an inner one.
    let mut marks: Vec<(usize, u8, usize, String)> = Vec::new();
    for (i, q) in seg.quotations.iter().enumerate() {
        marks.push((q.span.start, 1, i, format!("⟦q{} {}|", i + 1, q.kind.as_str())));
        marks.push((q.span.end, 0, usize::MAX - i, "⟧".to_string()));
    }
    for (i, l) in seg.layers.iter().enumerate() {
        marks.push((l.span.start, 1, 1_000_000 + i, format!("⟦{}|", l.kind.as_str())));
        marks.push((l.span.end, 0, usize::MAX - 1_000_000 - i, "⟧".to_string()));
    }
    marks.sort();
    let text = doc.text.as_str();
    let mut k = 0;
    for b in &doc.blocks {
        while k < marks.len() && marks[k].0 < b.span.start {
            k += 1;
        }
        let label = match b.kind {
            BlockKind::Paragraph => None,
            BlockKind::Heading(l) => Some(format!("heading {l}")),
            other => Some(other.as_str().to_string()),
        };
        if let Some(label) = label {
            let _ = writeln!(out, "[{label}]");
        }
        let mut pos = b.span.start;
        while k < marks.len() && marks[k].0 <= b.span.end {
            let at = marks[k].0;
            out.push_str(text.get(pos..at).unwrap_or(""));
            out.push_str(&marks[k].3);
            pos = at;
            k += 1;
        }
        out.push_str(text.get(pos..b.span.end).unwrap_or(""));
        out.push_str("\n\n");
    }

    if !seg.quotations.is_empty() {
        let _ = writeln!(out, "-- quotations");
        for (i, q) in seg.quotations.iter().enumerate() {
            let words: String = q.pieces.iter().map(|p| p.text(text)).collect::<Vec<_>>().join(" ¶ ");
            let short: String = words.chars().take(90).collect();
            let more = if words.chars().count() > 90 { "…" } else { "" };
            let nest = q.parent.map(|p| format!(" in q{}", p + 1)).unwrap_or_default();
            let _ = writeln!(out, "q{:<3} {:<6} {}..{}{} {}{}{}{}", i + 1, q.kind.as_str(), q.span.start, q.span.end, nest, q.open, short, more, q.close.map(String::from).unwrap_or_default());
            if let Some(a) = ex.attributions.get(i).filter(|_| q.kind == kulisy_model::QuoteKind::Speech) {
                let name = |e: usize| ex.cast.entities.get(e).map_or("?", |e| e.name.as_str());
                let speaker = a.speaker.map_or(if a.sieve == "collective-voices" { "(unnamed voices)" } else { "(unknown)" }, name);
                let to: Vec<&str> = a.addressees.iter().map(|&e| name(e)).collect();
                let to = if to.is_empty() { String::new() } else { format!(" to {}", to.join(", ")) };
                let via = a.reported_by.map(|r| format!(", as reported by {}", name(r))).unwrap_or_default();
                let how = if a.written { "wrote" } else { "said" };
                let sieve = if a.sieve.is_empty() { String::new() } else { format!("  [{} {:.2}]", a.sieve, a.confidence) };
                let _ = writeln!(out, "      {speaker} {how}{to}{via}{sieve}");
            }
        }
        let _ = writeln!(out);
    }
    if !ex.cast.entities.is_empty() {
        let _ = writeln!(out, "-- entities");
        let mut counts = vec![0usize; ex.cast.entities.len()];
        for m in &ex.cast.mentions {
            if let Some(e) = m.entity {
                counts[e] += 1;
            }
        }
        for (i, e) in ex.cast.entities.iter().enumerate() {
            let aliases = if e.aliases.is_empty() { String::new() } else { format!(" (also {})", e.aliases.join(", ")) };
            let gender = e.gender.map(|g| format!(" {}", g.as_str())).unwrap_or_default();
            let members: Vec<&str> = e.members.iter().filter_map(|&m| ex.cast.entities.get(m)).map(|m| m.name.as_str()).collect();
            let members = if members.is_empty() { String::new() } else { format!(" members: {}", members.join(", ")) };
            let id = e.external_id.as_ref().map(|x| format!(" [{x}]")).unwrap_or_default();
            let _ = writeln!(out, "e{:<3} {:<12} {}{}{}{}{} — {} mentions", i + 1, e.kind.as_str(), e.name, id, aliases, gender, members, counts[i]);
        }
        let _ = writeln!(out);
    }
    let diags: Vec<_> = doc.diagnostics.iter().chain(seg.diagnostics.iter()).collect();
    if !diags.is_empty() {
        let _ = writeln!(out, "-- diagnostics");
        for d in diags {
            let at = d.span.map(|s| format!(" at {}..{}", s.start, s.end)).unwrap_or_default();
            let _ = writeln!(out, "{} {}{}: {}", d.severity.as_str(), d.code, at, d.message);
        }
        let _ = writeln!(out);
    }
    out.push_str(&timeline(doc, ex));
    out
}

/// The document's events in time order, one line each: the normalised date,
/// the date as printed (and how it was worked out), the kind of event, who
/// took part, where, and the passage.
pub fn timeline(doc: &Document, ex: &Extraction) -> String {
    let mut out = String::new();
    if ex.timeline.is_empty() {
        return out;
    }
    let text = doc.text.as_str();
    let name = |e: usize| ex.cast.entities.get(e).map_or("?", |e| e.name.as_str());
    let _ = writeln!(out, "-- timeline");
    for entry in &ex.timeline {
        let Some(e) = ex.events.get(entry.event) else { continue };
        let date = entry.date.and_then(|d| ex.dates.get(d));
        let value = date.map(|d| d.date.normalised()).filter(|v| !v.is_empty()).unwrap_or_else(|| "?".into());
        let printed = match (date, e.date_source) {
            (Some(d), kulisy_model::DateSource::Own) => format!("‹{}›", one_line(d.span.text(text))),
            (Some(d), _) => format!("(narrative: ‹{}›)", one_line(d.span.text(text))),
            (None, _) => match entry.after.and_then(|a| ex.events.get(a)) {
                Some(p) => format!("(told after: {})", one_line(p.trigger.text(text))),
                None => "(undated)".into(),
            },
        };
        let how = date.and_then(|d| d.date.inferred).map(|i| match i.rule {
            kulisy_model::InferenceRule::Counted => format!(" counted from {}", i.anchor),
            _ => format!(" year inferred from {}", i.anchor),
        }).unwrap_or_default();
        let who: Vec<String> = e.participants.iter().map(|p| format!("{} ({})", name(p.entity), p.role.as_str())).collect();
        let place = e.place.as_ref().map(|p| format!(" at {}", one_line(p.span.text(text)))).unwrap_or_default();
        let new_date = e.new_date.and_then(|d| ex.dates.get(d)).map(|d| format!(" to {} ‹{}›", d.date.normalised(), one_line(d.span.text(text)))).unwrap_or_default();
        let clause: String = one_line(e.span.text(text));
        let cite: String = clause.chars().take(100).collect();
        let more = if clause.chars().count() > 100 { "…" } else { "" };
        let _ = writeln!(
            out,
            "{value:<24} {printed}{how} | {}{new_date}: {}{place} | “{cite}{more}” @{}",
            e.kind.as_str(),
            if who.is_empty() { "-".to_string() } else { who.join(", ") },
            e.span.start
        );
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
