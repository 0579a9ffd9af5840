//! Dates in a document: found, then given what the text implies.
//!
//! Time expressions are found in the text blocks ([`kulisy_model::find_times`]);
//! then, in reading order, each date printed without its year gets one, and
//! each relative time is counted from its anchor:
//!
//! - a year for `January 20` comes from a date printed with its year in the
//!   same paragraph (the nearest year that puts the two closest), else from
//!   the document's own date (written, delivered or published): the latest
//!   such date not after it, or, when the sentence looks ahead (`postponed
//!   to`, `will`, `next`), the earliest not before it; a range gets its end's
//!   year first and its start before that (`December and January`);
//! - `three days later`, `the next day` count from the time the narrative
//!   last reached (a date of the narration, not of quoted speech nor a date
//!   that only modifies a noun); `ten years ago`, `this year` count from the
//!   document's date; `after the May 24 assault` from the date the phrase holds.
//!
//! Every value worked out is marked with what it rests on.

use kulisy_model::{
    find_times, Anchor, BlockKind, DateMention, Document, HistoricalDate, Inference, InferenceRule, PartialDate,
    Precision, Qualifier, Span, Unit,
};

/// The date a document gives itself: written, else delivered, else first
/// published, else the publication it was transcribed from.
pub fn document_date(doc: &Document) -> Option<PartialDate> {
    let m = &doc.metadata;
    m.written
        .as_ref()
        .or(m.delivered.as_ref())
        .map(|d| d.end.unwrap_or(d.start))
        .or_else(|| m.first_published.as_ref().and_then(|p| p.date.as_ref()).map(|d| d.start))
        .or_else(|| m.source.as_ref().and_then(|p| p.date.as_ref()).map(|d| d.start))
}

/// Whether a block's dates belong to the document's own telling.
fn dated_block(kind: BlockKind) -> bool {
    matches!(kind, BlockKind::Paragraph | BlockKind::BlockQuote | BlockKind::ListItem | BlockKind::Heading(_) | BlockKind::Footnote)
}

/// Words that make a sentence look ahead in time.
const FUTURE_CUES: &[&str] = &[
    "postponed", "deferred", "adjourned", "scheduled", "will", "shall", "forthcoming", "planned", "convoked",
];

/// Finds every time expression of the text blocks, and resolves what it can.
pub fn dates(doc: &Document, quoted: &[Span]) -> Vec<DateMention> {
    let text = &doc.text;
    let mut out: Vec<DateMention> = Vec::new();
    for (bi, b) in doc.blocks.iter().enumerate() {
        if !dated_block(b.kind) {
            continue;
        }
        let body = b.span.text(text);
        for m in find_times(body) {
            let span = Span::new(b.span.start + m.start, b.span.start + m.end);
            let k = quoted.partition_point(|q| q.end <= span.start);
            let in_quote = quoted.get(k).is_some_and(|q| q.start <= span.start);
            out.push(DateMention {
                span,
                date: m.date,
                block: bi,
                quoted: in_quote,
                attributive: m.attributive,
                anchor_phrase: m.anchor_phrase.map(|(s, e)| Span::new(b.span.start + s, b.span.start + e)),
                anchor_event: None,
            });
        }
    }
    resolve(doc, &mut out);
    out
}

/// A date the narrative has reached: its days and how it was fixed.
#[derive(Clone, Copy, Debug)]
struct Reached {
    days: (i64, i64),
    precision: Precision,
    value: PartialDate,
}

fn reached(d: &HistoricalDate) -> Option<Reached> {
    let days = d.days()?;
    Some(Reached { days, precision: d.precision, value: d.start? })
}

/// Gives years and counted values, in reading order.
fn resolve(doc: &Document, mentions: &mut [DateMention]) {
    let now = document_date(doc);
    let mut narrative: Option<Reached> = None;
    for i in 0..mentions.len() {
        let (before, rest) = mentions.split_at_mut(i);
        let m = &mut rest[0];
        if m.date.start.is_none() {
            // A year printed nearby: in the same paragraph or the two before,
            // in the same voice (narration or speech), placing the narrative.
            let context = before
                .iter()
                .rev()
                .take_while(|p| m.block.saturating_sub(p.block) <= 2)
                .find(|p| {
                    p.date.inferred.is_none()
                        && p.date.start.is_some()
                        && p.date.relative.is_none()
                        && p.date.precision <= Precision::Year
                        && p.quoted == m.quoted
                        && !p.attributive
                        && narration_block(doc, p.block) == narration_block(doc, m.block)
                        && matches!(p.date.qualifier, Qualifier::Exact | Qualifier::Approximate | Qualifier::Early | Qualifier::Middle | Qualifier::Late)
                })
                .and_then(|p| p.date.start);
            let sentence_start = sentence_before(&doc.text, m.span.start);
            let ahead = doc.text[sentence_start..m.span.start]
                .split(|c: char| !c.is_alphabetic())
                .any(|w| FUTURE_CUES.contains(&w.to_lowercase().as_str()));
            let base = if m.quoted { None } else { narrative };
            resolve_one(&mut m.date, context, now, base, ahead, &doc.text, m.anchor_phrase);
        }
        if !m.quoted && !m.attributive && narration_block(doc, m.block) && m.date.start.is_some() && matches!(m.date.qualifier, Qualifier::Exact | Qualifier::Approximate | Qualifier::Early | Qualifier::Middle | Qualifier::Late) {
            narrative = reached(&m.date).or(narrative);
        }
    }
}

/// Footnotes are the editor's, not the narrative's.
fn narration_block(doc: &Document, block: usize) -> bool {
    doc.blocks.get(block).is_some_and(|b| b.kind != BlockKind::Footnote)
}

/// The start of the sentence holding `pos`, looking back at most 300 bytes.
fn sentence_before(text: &str, pos: usize) -> usize {
    let floor = text.floor_char_boundary(pos.saturating_sub(300));
    text[floor..pos].rfind(['.', '!', '?', '\n']).map_or(floor, |k| floor + k + 1)
}

fn resolve_one(
    d: &mut HistoricalDate,
    context: Option<PartialDate>,
    now: Option<PartialDate>,
    narrative: Option<Reached>,
    ahead: bool,
    text: &str,
    anchor_phrase: Option<Span>,
) {
    let relative = d.relative.clone();
    if let Some(yl) = d.yearless {
        // `January of this year`, `October last year`, `in March of the same year`
        if let Some(r) = &relative
            && let (Some(off), Some(Unit::Year)) = (r.offset, r.unit)
        {
            let anchor = match r.anchor {
                Anchor::Now => now,
                Anchor::Previous => narrative.map(|n| n.value),
                Anchor::Event(_) => None,
            };
            if let Some(a) = anchor {
                set_yearless(d, a.year + off, a.year + off, a, InferenceRule::Counted);
            }
            return;
        }
        let end = yl.end.map_or((yl.month, yl.day), |e| e);
        let start_md = (yl.month, yl.day);
        let wraps = (start_md.0, start_md.1.unwrap_or(0)) > (end.0, end.1.unwrap_or(0));
        if let Some(c) = context {
            // The year that puts the end nearest the printed date.
            let best = [c.year - 1, c.year, c.year + 1]
                .into_iter()
                .filter_map(|y| PartialDate::month(y, end.0).map(|p| (y, (p.first_day() - c.first_day()).abs())))
                .min_by_key(|&(_, dist)| dist)
                .map(|(y, _)| y);
            if let Some(mut y) = best {
                // Not after the document's own date, unless the sentence looks ahead.
                let after_now = |y: i32| now.zip(PartialDate::month(y, end.0)).is_some_and(|(n, p)| p.first_day() > n.last_day());
                if !ahead && after_now(y) && !after_now(y - 1) {
                    y -= 1;
                }
                set_yearless(d, if wraps { y - 1 } else { y }, y, c, InferenceRule::Context);
            }
            return;
        }
        if let Some(now) = now {
            let key = |y: i32| PartialDate::day(y, end.0, end.1.unwrap_or(1)).map(|p| p.first_day());
            let now_day = now.first_day();
            let now_last = now.last_day();
            let y = if ahead {
                // The earliest not before the document's date.
                [now.year, now.year + 1].into_iter().find(|&y| key(y).is_some_and(|k| k >= now_day))
            } else {
                // The latest not after it.
                [now.year, now.year - 1].into_iter().find(|&y| key(y).is_some_and(|k| k <= now_last))
            };
            if let Some(y) = y {
                set_yearless(d, if wraps { y - 1 } else { y }, y, now, InferenceRule::DocumentDate);
            }
            return;
        }
        if let Some(n) = narrative {
            let y = n.value.year;
            let later = (end.0, end.1.unwrap_or(0)) >= (n.value.month.unwrap_or(1), n.value.day.unwrap_or(0));
            let y = if later { y } else { y + 1 };
            set_yearless(d, if wraps { y - 1 } else { y }, y, n.value, InferenceRule::Context);
        }
        return;
    }
    let Some(r) = relative else { return };
    // A season without its year takes the narrative's.
    if let Some(season) = d.season
        && r.offset.is_none()
        && r.unit.is_none()
    {
        if let Some(n) = narrative {
            set_season(d, season, n.value.year, n.value);
        }
        return;
    }
    let anchor = match &r.anchor {
        Anchor::Previous => narrative,
        Anchor::Now => now.map(|n| Reached { days: (n.first_day(), n.last_day()), precision: n.precision(), value: n }),
        Anchor::Event(_) => {
            // A date inside the phrase: `after the May 24 assault`.
            let phrase = anchor_phrase.map(|s| s.text(text)).unwrap_or("");
            find_times(phrase).into_iter().find_map(|inner| {
                let mut inner_date = inner.date;
                if inner_date.start.is_none() {
                    resolve_one(&mut inner_date, context, now, narrative, false, text, None);
                }
                reached(&inner_date)
            })
        }
    };
    let Some(a) = anchor else { return };
    if let Some(season) = d.season {
        if let Some(off) = r.offset {
            set_season(d, season, a.value.year + off, a.value);
        }
        return;
    }
    match (r.offset, r.unit) {
        (Some(off), Some(unit)) => {
            let (first, last) = shift(a, off, unit);
            // Counting days from a month or a year keeps the anchor's precision:
            // `today` in a text dated 1946-07 is 1946-07, give or take.
            let wide = a.days.1 - a.days.0 > 15 && unit.precision() < a.precision;
            let (first, last) = if wide { coarse(first, last, a.precision) } else { (first, last) };
            let precise = first == last;
            d.start = Some(first);
            d.end = (!precise).then_some(last);
            // Counted from a stretch of time, a day lands in a stretch too.
            if !precise && d.qualifier == Qualifier::Exact && (unit.precision() < a.precision || unit.precision() == Precision::Day) {
                d.qualifier = Qualifier::Approximate;
            }
            d.precision = if precise { first.precision() } else { unit.precision().max(a.precision).min(Precision::Year) };
            if d.precision == Precision::Month && first.day.is_some() && !precise {
                d.precision = Precision::Day;
            }
            d.inferred = Some(Inference { anchor: a.value, rule: InferenceRule::Counted });
        }
        _ => {
            // `a few days later`, `after the plenum`, `in recent days`:
            // a bound on the anchor's days.
            if let Some(wd) = d.weekday {
                // `on Friday`: the nearest such weekday from a day the narrative reached.
                if a.days.0 == a.days.1 {
                    let from = a.days.0;
                    let weekday_of = |day: i64| ((day + 3).rem_euclid(7) + 1) as u8;
                    if let Some(day) = (-3..=3).map(|k| from + k).find(|&day| weekday_of(day) == wd) {
                        d.start = Some(PartialDate::from_day(day));
                        d.inferred = Some(Inference { anchor: a.value, rule: InferenceRule::Counted });
                    }
                }
                return;
            }
            let first = PartialDate::from_day(a.days.0);
            let last = PartialDate::from_day(a.days.1);
            let (first, last) = if a.precision == Precision::Day || a.days.0 != a.days.1 && a.precision > Precision::Day {
                coarse(first, last, a.precision)
            } else {
                (first, last)
            };
            d.start = Some(first);
            d.end = (first != last).then_some(last);
            if d.qualifier == Qualifier::Exact {
                d.qualifier = Qualifier::After;
            }
            d.precision = a.precision;
            d.inferred = Some(Inference { anchor: a.value, rule: InferenceRule::Counted });
        }
    }
}

/// The range of days as coarse as the anchor's precision.
fn coarse(first: PartialDate, last: PartialDate, p: Precision) -> (PartialDate, PartialDate) {
    match p {
        Precision::Day => (first, last),
        Precision::Month | Precision::Season => (
            PartialDate { year: first.year, month: first.month, day: None },
            PartialDate { year: last.year, month: last.month, day: None },
        ),
        _ => (PartialDate::year(first.year), PartialDate::year(last.year)),
    }
}

/// The anchor moved by `off` units.
fn shift(a: Reached, off: i32, unit: Unit) -> (PartialDate, PartialDate) {
    let off = off.clamp(-100_000, 100_000);
    match unit {
        Unit::Day | Unit::Week => {
            let n = i64::from(off) * if unit == Unit::Week { 7 } else { 1 };
            (PartialDate::from_day(a.days.0 + n), PartialDate::from_day(a.days.1 + n))
        }
        Unit::Month => {
            let move_month = |p: PartialDate| {
                let total = i64::from(p.year) * 12 + i64::from(p.month.unwrap_or(1)) - 1 + i64::from(off);
                let y = total.div_euclid(12) as i32;
                let m = total.rem_euclid(12) as u8 + 1;
                PartialDate { year: y, month: Some(m), day: None }
            };
            let (f, l) = (PartialDate::from_day(a.days.0), PartialDate::from_day(a.days.1));
            if a.precision == Precision::Year {
                (PartialDate::year(f.year), PartialDate::year(l.year))
            } else {
                (move_month(f), move_month(l))
            }
        }
        Unit::Year => {
            let (f, l) = (PartialDate::from_day(a.days.0), PartialDate::from_day(a.days.1));
            (PartialDate::year(f.year + off), PartialDate::year(l.year + off))
        }
    }
}

fn set_yearless(d: &mut HistoricalDate, start_year: i32, end_year: i32, anchor: PartialDate, rule: InferenceRule) {
    let Some(yl) = d.yearless else { return };
    let make = |y: i32, m: u8, day: Option<u8>| match day {
        Some(dd) => PartialDate::day(y, m, dd),
        None => PartialDate::month(y, m),
    };
    let Some(start) = make(start_year, yl.month, yl.day) else { return };
    let end = match yl.end {
        Some((m, day)) => make(end_year, m, day),
        None => None,
    };
    d.start = Some(start);
    d.end = end.filter(|e| *e != start);
    d.inferred = Some(Inference { anchor, rule });
}

fn set_season(d: &mut HistoricalDate, season: kulisy_model::Season, year: i32, anchor: PartialDate) {
    let (first, last) = season.bounds(year);
    d.start = Some(first);
    d.end = Some(last);
    d.precision = Precision::Season;
    d.inferred = Some(Inference { anchor, rule: InferenceRule::Counted });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_count_in_their_unit() {
        let a = Reached { days: (kulisy_model::day_number(1928, 12, 22), kulisy_model::day_number(1928, 12, 31)), precision: Precision::Month, value: PartialDate::year(1928) };
        let (f, l) = shift(a, 3, Unit::Day);
        assert_eq!((f.to_string(), l.to_string()), ("1928-12-25".into(), "1929-01-03".into()));
        let (f, _) = shift(a, 2, Unit::Month);
        assert_eq!(f.to_string(), "1929-02");
    }
}
