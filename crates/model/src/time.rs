//! Historical dates: what historians write, not only what calendars print.
//!
//! A [`HistoricalDate`] holds a year, a month, a day, a season, a decade or a
//! century; a range; an approximation (`about 1925`, `at the end of
//! December`); a bound (`not later than April 16`, `before 1917`); a time
//! relative to another (`three days later`, `ten years ago`, `after the
//! plenum`); a date printed without its year, waiting for one; and the
//! calendar style a text names (`O.S.`). Each keeps its text, its precision,
//! and has a sort key that orders it among the others.
//!
//! [`find_times`] finds these expressions in English text. Giving a year to a
//! date printed without one, and computing relative dates, needs the
//! document and its narrative: that is extraction's work.

use crate::date::{adjacent, date_at, month_number, ordinal_day, tokens, year, MonthDay, Tok};
use crate::PartialDate;

/// How finely a date fixes its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// A day.
    Day,
    /// A month.
    Month,
    /// A season of a year.
    Season,
    /// A year.
    Year,
    /// A decade.
    Decade,
    /// A century.
    Century,
    /// Nothing fixed yet: a relative time whose anchor is unknown.
    Unknown,
}

impl Precision {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Season => "season",
            Precision::Year => "year",
            Precision::Decade => "decade",
            Precision::Century => "century",
            Precision::Unknown => "unknown",
        }
    }
}

/// What an expression says of the time it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Qualifier {
    /// The time itself: `January 20`, `1925`.
    Exact,
    /// About that time: `about 1925`, `c. 1500`.
    Approximate,
    /// Its first third: `early in 1925`, `the beginning of May`.
    Early,
    /// Its middle third: `mid-April`, `the middle of the year`.
    Middle,
    /// Its last third: `at the end of December`, `late 1938`.
    Late,
    /// Some time before it: `before 1917`, `before the plenum`.
    Before,
    /// Some time after it: `after 1917`, `after Bukharin had left`.
    After,
    /// At the latest then: `not later than April 16`, `until 1925`, `by May`.
    NotAfter,
    /// At the earliest then: `since 1923`, `not earlier than June`.
    NotBefore,
}

impl Qualifier {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approximate => "approximate",
            Qualifier::Early => "early",
            Qualifier::Middle => "middle",
            Qualifier::Late => "late",
            Qualifier::Before => "before",
            Qualifier::After => "after",
            Qualifier::NotAfter => "not-after",
            Qualifier::NotBefore => "not-before",
        }
    }
}

/// The calendar a date is printed in, when the text says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Calendar {
    /// Not said: read as Gregorian.
    Unstated,
    /// Old style: the Julian calendar (`O.S.`, `old style`).
    OldStyle,
    /// New style: the Gregorian calendar, said so (`N.S.`, `new style`).
    NewStyle,
}

impl Calendar {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Calendar::Unstated => "unstated",
            Calendar::OldStyle => "old-style",
            Calendar::NewStyle => "new-style",
        }
    }
}

/// A season of the year, as the northern hemisphere counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Season {
    /// March to May.
    Spring,
    /// June to August.
    Summer,
    /// September to November.
    Autumn,
    /// December to February of the next year.
    Winter,
}

impl Season {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Season::Spring => "spring",
            Season::Summer => "summer",
            Season::Autumn => "autumn",
            Season::Winter => "winter",
        }
    }

    /// The first and last month it covers in `year` (winter runs into the next year).
    pub fn bounds(self, year: i32) -> (PartialDate, PartialDate) {
        let first = match self {
            Season::Spring => 3,
            Season::Summer => 6,
            Season::Autumn => 9,
            Season::Winter => 12,
        };
        let (last_year, last) = if first == 12 { (year + 1, 2) } else { (year, first + 2) };
        (PartialDate { year, month: Some(first), day: None }, PartialDate { year: last_year, month: Some(last), day: None })
    }
}

/// The unit of a relative offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

impl Unit {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }

    /// The precision a time counted in this unit has.
    pub fn precision(self) -> Precision {
        match self {
            Unit::Day | Unit::Week => Precision::Day,
            Unit::Month => Precision::Month,
            Unit::Year => Precision::Year,
        }
    }
}

/// What a relative time counts from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Anchor {
    /// The time the narrative has reached: `three days later`, `the next day`.
    Previous,
    /// The time of writing: `ten years ago`, `this year`, `in recent days`.
    Now,
    /// An event the text names: `after the plenum`, `after Bukharin had left`.
    Event(String),
}

/// A time given relative to another.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Relative {
    /// How many units from the anchor, negative for earlier; `None` when the
    /// text does not count (`a few days later`, `after the plenum`).
    pub offset: Option<i32>,
    /// The unit counted in.
    pub unit: Option<Unit>,
    /// What it counts from.
    pub anchor: Anchor,
}

/// A month, and a day, printed without a year; a range may end in another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Yearless {
    /// The month, 1 to 12.
    pub month: u8,
    /// The day, when printed.
    pub day: Option<u8>,
    /// Where a range ends: its month and day.
    pub end: Option<(u8, Option<u8>)>,
}

/// How a year or a relative date was worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InferenceRule {
    /// From the document's own date and the order of months (and the tense).
    DocumentDate,
    /// From a date printed with its year nearby.
    Context,
    /// Counted from its anchor.
    Counted,
}

impl InferenceRule {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            InferenceRule::DocumentDate => "document-date",
            InferenceRule::Context => "context",
            InferenceRule::Counted => "counted",
        }
    }
}

/// A value the text does not print but implies, and what it rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Inference {
    /// The date it was worked out from.
    pub anchor: PartialDate,
    /// How.
    pub rule: InferenceRule,
}

/// A date as historians write it. See the module documentation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HistoricalDate {
    /// The expression as printed.
    pub text: String,
    /// The first day, month or year it covers, once known.
    pub start: Option<PartialDate>,
    /// The last one, when it covers a range (a season or decade included).
    pub end: Option<PartialDate>,
    /// How finely it fixes its time.
    pub precision: Precision,
    /// What it says of that time.
    pub qualifier: Qualifier,
    /// The season printed, if any.
    pub season: Option<Season>,
    /// The weekday printed, 1 (Monday) to 7, if any.
    pub weekday: Option<u8>,
    /// The calendar style printed, if any.
    pub calendar: Calendar,
    /// Relative to what, if it is.
    pub relative: Option<Relative>,
    /// A month and day still waiting for their year.
    pub yearless: Option<Yearless>,
    /// How `start` was worked out, when the text does not print it.
    pub inferred: Option<Inference>,
}

/// Days from 1970-01-01 in the proleptic Gregorian calendar; any year.
pub fn day_number(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * if m > 2 { m - 3 } else { m + 9 } + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Gregorian date of a day number; inverse of [`day_number`].
pub fn from_day_number(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32, m as u8, d as u8)
}

/// Day number of a Julian-calendar (old style) date.
pub fn julian_day_number(year: i32, month: u8, day: u8) -> i64 {
    let a = (14 - i64::from(month)) / 12;
    let y = i64::from(year) + 4800 - a;
    let m = i64::from(month) + 12 * a - 3;
    let jdn = i64::from(day) + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - 32_083;
    jdn - 2_440_588
}

impl PartialDate {
    /// The first day it covers, as a day number.
    pub fn first_day(&self) -> i64 {
        day_number(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day it covers, as a day number.
    pub fn last_day(&self) -> i64 {
        let m = self.month.unwrap_or(12);
        day_number(self.year, m, self.day.unwrap_or_else(|| crate::date::days_in_month(self.year, m)))
    }

    /// How finely it is known: a day, a month or a year.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The day a day number names.
    pub fn from_day(days: i64) -> PartialDate {
        let (y, m, d) = from_day_number(days);
        PartialDate { year: y, month: Some(m), day: Some(d) }
    }
}

/// Orders dates on a timeline: by the first day they cover, and among those
/// starting together the wider first, as a month comes before its days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortKey {
    /// First day covered (day number).
    pub first: i64,
    /// Minus the last day covered.
    pub neg_last: i64,
}

impl HistoricalDate {
    /// A date with nothing known yet but its text.
    pub fn unknown(text: impl Into<String>) -> Self {
        HistoricalDate {
            text: text.into(),
            start: None,
            end: None,
            precision: Precision::Unknown,
            qualifier: Qualifier::Exact,
            season: None,
            weekday: None,
            calendar: Calendar::Unstated,
            relative: None,
            yearless: None,
            inferred: None,
        }
    }

    /// The Gregorian days the printed value covers, before the qualifier.
    pub fn value_days(&self) -> Option<(i64, i64)> {
        let start = self.start?;
        let end = self.end.unwrap_or(start);
        let (a, b) = if self.calendar == Calendar::OldStyle {
            let first = julian_day_number(start.year, start.month.unwrap_or(1), start.day.unwrap_or(1));
            let m = end.month.unwrap_or(12);
            let last_day = end.day.unwrap_or_else(|| julian_month_days(end.year, m));
            (first, julian_day_number(end.year, m, last_day))
        } else {
            (start.first_day(), end.last_day())
        };
        Some((a, b.max(a)))
    }

    /// The Gregorian days it may fall on, the qualifier applied: the last
    /// third of December for `at the end of December`; a bound's edge day.
    pub fn days(&self) -> Option<(i64, i64)> {
        let (a, b) = self.value_days()?;
        // The thirds of a year are months 1-4, 5-8 and 9-12; of a decade,
        // its years 0-3, 4-6 and 7-9; of anything else, its days.
        let single = self.end.is_none() || self.end == self.start;
        if let (Some(s), true) = (self.start, self.calendar != Calendar::OldStyle) {
            let months = |m1: u8, m2: u8| (day_number(s.year, m1, 1), day_number(s.year, m2, crate::date::days_in_month(s.year, m2)));
            let years = |y1: i32, y2: i32| (day_number(y1, 1, 1), day_number(y2, 12, 31));
            let thirds = match (self.precision, single) {
                (Precision::Year, true) => Some([months(1, 4), months(5, 8), months(9, 12)]),
                (Precision::Decade, _) => Some([years(s.year, s.year + 3), years(s.year + 4, s.year + 6), years(s.year + 7, s.year + 9)]),
                _ => None,
            };
            if let Some(t) = thirds {
                match self.qualifier {
                    Qualifier::Early => return Some(t[0]),
                    Qualifier::Middle => return Some(t[1]),
                    Qualifier::Late => return Some(t[2]),
                    _ => {}
                }
            }
        }
        let span = b - a + 1;
        Some(match self.qualifier {
            Qualifier::Exact | Qualifier::Approximate => (a, b),
            Qualifier::Early => (a, a + (span / 3).max(1) - 1),
            Qualifier::Middle => (a + span / 3, (b - span / 3).max(a + span / 3)),
            Qualifier::Late => (b - (span / 3).max(1) + 1, b),
            Qualifier::Before => (a - 1, a - 1),
            Qualifier::After => (b + 1, b + 1),
            Qualifier::NotAfter => (b, b),
            Qualifier::NotBefore => (a, a),
        })
    }

    /// Where it sorts on a timeline; `None` while nothing is fixed.
    pub fn sort_key(&self) -> Option<SortKey> {
        self.days().map(|(a, b)| SortKey { first: a, neg_last: -b })
    }

    /// The normalised value, in the notation of ISO 8601-2 (EDTF): `1929-01-20`,
    /// `1928-12/1929-01`, `1925~`, `../1929-04-15` for a bound; the part of a
    /// period an `early`/`mid`/`late` names is given as the days it covers.
    /// Empty while nothing is fixed.
    pub fn normalised(&self) -> String {
        let Some((a, b)) = self.days() else { return String::new() };
        let value = |s: PartialDate, e: Option<PartialDate>| match e {
            Some(e) if e != s => format!("{s}/{e}"),
            _ => s.to_string(),
        };
        let mut out = match self.qualifier {
            Qualifier::Exact | Qualifier::Approximate => match self.start {
                Some(s) if self.calendar != Calendar::OldStyle => value(s, self.end),
                _ => days_value(a, b),
            },
            Qualifier::Early | Qualifier::Middle | Qualifier::Late => days_value(a, b),
            Qualifier::Before | Qualifier::NotAfter => format!("../{}", PartialDate::from_day(b)),
            Qualifier::After | Qualifier::NotBefore => format!("{}/..", PartialDate::from_day(a)),
        };
        if self.qualifier == Qualifier::Approximate {
            out.push('~');
        }
        out
    }
}

fn julian_month_days(year: i32, month: u8) -> u8 {
    if month == 2 {
        if year.rem_euclid(4) == 0 { 29 } else { 28 }
    } else {
        crate::date::days_in_month(2001, month)
    }
}

/// The coarsest ISO value that names exactly the days `a..=b`.
fn days_value(a: i64, b: i64) -> String {
    let (ya, ma, da) = from_day_number(a);
    let (yb, mb, db) = from_day_number(b);
    let month_aligned = da == 1 && db == crate::date::days_in_month(yb, mb);
    let (s, e) = if month_aligned && ma == 1 && mb == 12 {
        (PartialDate::year(ya), PartialDate::year(yb))
    } else if month_aligned {
        (PartialDate { year: ya, month: Some(ma), day: None }, PartialDate { year: yb, month: Some(mb), day: None })
    } else {
        (PartialDate::from_day(a), PartialDate::from_day(b))
    };
    if s == e { s.to_string() } else { format!("{s}/{e}") }
}

/// One time expression found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeMatch {
    /// Byte offset where it starts in the searched text.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// What it says.
    pub date: HistoricalDate,
    /// For a time relative to an event the text names, where that name stands.
    pub anchor_phrase: Option<(usize, usize)>,
    /// Whether it modifies a noun (`the April 1925 theses`, `the May 24
    /// attack`) rather than placing the narrative in time.
    pub attributive: bool,
}

const NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
];
const TENS: &[(&str, i32)] = &[("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60), ("seventy", 70), ("eighty", 80), ("ninety", 90), ("hundred", 100)];
const ORDINAL_WORDS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
    "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
];
const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Qualifying phrases that may stand before a date, lowercase words.
const PREFIXES: &[(&[&str], Qualifier)] = &[
    (&["at", "the", "end", "of"], Qualifier::Late),
    (&["towards", "the", "end", "of"], Qualifier::Late),
    (&["toward", "the", "end", "of"], Qualifier::Late),
    (&["by", "the", "end", "of"], Qualifier::Late),
    (&["the", "end", "of"], Qualifier::Late),
    (&["end", "of"], Qualifier::Late),
    (&["the", "close", "of"], Qualifier::Late),
    (&["the", "last", "days", "of"], Qualifier::Late),
    (&["the", "last", "part", "of"], Qualifier::Late),
    (&["the", "latter", "part", "of"], Qualifier::Late),
    (&["the", "second", "half", "of"], Qualifier::Late),
    (&["late", "in"], Qualifier::Late),
    (&["late"], Qualifier::Late),
    (&["at", "the", "beginning", "of"], Qualifier::Early),
    (&["the", "beginning", "of"], Qualifier::Early),
    (&["beginning", "of"], Qualifier::Early),
    (&["at", "the", "start", "of"], Qualifier::Early),
    (&["the", "start", "of"], Qualifier::Early),
    (&["the", "first", "days", "of"], Qualifier::Early),
    (&["the", "first", "half", "of"], Qualifier::Early),
    (&["early", "in"], Qualifier::Early),
    (&["early"], Qualifier::Early),
    (&["in", "the", "middle", "of"], Qualifier::Middle),
    (&["the", "middle", "of"], Qualifier::Middle),
    (&["the", "midst", "of"], Qualifier::Middle),
    (&["mid", "-"], Qualifier::Middle),
    (&["mid"], Qualifier::Middle),
    (&["some", "time", "in"], Qualifier::Approximate),
    (&["sometime", "in"], Qualifier::Approximate),
    (&["about"], Qualifier::Approximate),
    (&["around"], Qualifier::Approximate),
    (&["circa"], Qualifier::Approximate),
    (&["c", "."], Qualifier::Approximate),
    (&["ca", "."], Qualifier::Approximate),
    (&["approximately"], Qualifier::Approximate),
    (&["roughly"], Qualifier::Approximate),
    (&["not", "later", "than"], Qualifier::NotAfter),
    (&["no", "later", "than"], Qualifier::NotAfter),
    (&["up", "until"], Qualifier::NotAfter),
    (&["up", "to"], Qualifier::NotAfter),
    (&["until"], Qualifier::NotAfter),
    (&["till"], Qualifier::NotAfter),
    (&["by"], Qualifier::NotAfter),
    (&["not", "earlier", "than"], Qualifier::NotBefore),
    (&["no", "earlier", "than"], Qualifier::NotBefore),
    (&["on", "the", "eve", "of"], Qualifier::Before),
    (&["the", "eve", "of"], Qualifier::Before),
    (&["prior", "to"], Qualifier::Before),
    (&["between"], Qualifier::Exact),
    (&["before"], Qualifier::Before),
    (&["after"], Qualifier::After),
    (&["since"], Qualifier::NotBefore),
];

/// Words after which a month standing alone names a time, not a word.
const MONTH_LEADS: &[&str] = &[
    "in", "during", "since", "until", "till", "by", "before", "after", "and", "through", "to", "early", "late", "mid",
    "last", "next", "this", "that", "from", "between", "-", "–", "—", "throughout", "each", "every", "or",
];

/// Nouns of events that a bound may name: `before the plenum`.
const EVENT_NOUNS: &[&str] = &[
    "plenum", "session", "congress", "conference", "meeting", "revolution", "war", "election", "elections", "visit", "death",
    "arrest", "assault", "attack", "trial", "publication", "insurrection", "uprising", "strike", "coup", "armistice",
    "treaty", "deportation", "exile", "expulsion", "split", "defeat", "victory", "vote", "assassination", "funeral",
    "murder", "invasion", "purge", "crisis", "slump", "putsch", "conversation", "discussion", "departure", "return",
];

fn lower(t: &Tok<'_>) -> String {
    t.s.to_lowercase()
}

fn is_word(t: Option<&Tok<'_>>, w: &str) -> bool {
    t.is_some_and(|x| x.s.eq_ignore_ascii_case(w))
}

fn is_capitalised(t: &Tok<'_>) -> bool {
    t.s.chars().next().is_some_and(char::is_uppercase)
}

/// A count: `three`, `twenty-four`, `12`, `a`, `an`.
fn count_at(t: &[Tok<'_>], i: usize) -> Option<(i32, usize)> {
    let w = lower(t.get(i)?);
    if let Some(n) = NUMBER_WORDS.iter().position(|x| *x == w) {
        return Some((n as i32, i + 1));
    }
    if let Some(&(_, tens)) = TENS.iter().find(|(x, _)| *x == w) {
        if is_word(t.get(i + 1), "-")
            && let Some(n) = t.get(i + 2).and_then(|x| NUMBER_WORDS.iter().position(|y| *y == lower(x))).filter(|n| (1..10).contains(n))
        {
            return Some((tens + n as i32, i + 3));
        }
        return Some((tens, i + 1));
    }
    if w == "a" || w == "an" || w == "one" {
        return Some((1, i + 1));
    }
    if w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        return w.parse().ok().filter(|&n: &i32| n <= 1000).map(|n| (n, i + 1));
    }
    None
}

fn unit_of(t: Option<&Tok<'_>>) -> Option<Unit> {
    match t?.s.to_lowercase().as_str() {
        "day" | "days" => Some(Unit::Day),
        "week" | "weeks" => Some(Unit::Week),
        "month" | "months" => Some(Unit::Month),
        "year" | "years" => Some(Unit::Year),
        _ => None,
    }
}

fn season_of(t: Option<&Tok<'_>>) -> Option<Season> {
    match t?.s.to_lowercase().as_str() {
        "spring" => Some(Season::Spring),
        "summer" => Some(Season::Summer),
        "autumn" | "fall" => Some(Season::Autumn),
        "winter" => Some(Season::Winter),
        _ => None,
    }
}

/// Deictic words and phrases, counted from now or from the narrative.
const PHRASES: &[(&[&str], Option<i32>, Unit, Anchor)] = &[
    (&["the", "next", "day"], Some(1), Unit::Day, Anchor::Previous),
    (&["the", "following", "day"], Some(1), Unit::Day, Anchor::Previous),
    (&["the", "next", "morning"], Some(1), Unit::Day, Anchor::Previous),
    (&["the", "following", "morning"], Some(1), Unit::Day, Anchor::Previous),
    (&["the", "next", "evening"], Some(1), Unit::Day, Anchor::Previous),
    (&["the", "day", "after"], Some(1), Unit::Day, Anchor::Previous),
    (&["next", "day"], Some(1), Unit::Day, Anchor::Previous),
    (&["the", "same", "day"], Some(0), Unit::Day, Anchor::Previous),
    (&["that", "same", "day"], Some(0), Unit::Day, Anchor::Previous),
    (&["the", "day", "before"], Some(-1), Unit::Day, Anchor::Previous),
    (&["the", "previous", "day"], Some(-1), Unit::Day, Anchor::Previous),
    (&["the", "next", "week"], Some(1), Unit::Week, Anchor::Previous),
    (&["the", "following", "week"], Some(1), Unit::Week, Anchor::Previous),
    (&["the", "next", "month"], Some(1), Unit::Month, Anchor::Previous),
    (&["the", "following", "month"], Some(1), Unit::Month, Anchor::Previous),
    (&["the", "next", "year"], Some(1), Unit::Year, Anchor::Previous),
    (&["the", "following", "year"], Some(1), Unit::Year, Anchor::Previous),
    (&["the", "previous", "year"], Some(-1), Unit::Year, Anchor::Previous),
    (&["the", "year", "before"], Some(-1), Unit::Year, Anchor::Previous),
    (&["in", "recent", "days"], None, Unit::Day, Anchor::Now),
    (&["in", "recent", "weeks"], None, Unit::Week, Anchor::Now),
    (&["in", "recent", "months"], None, Unit::Month, Anchor::Now),
    (&["in", "recent", "years"], None, Unit::Year, Anchor::Now),
    (&["today"], Some(0), Unit::Day, Anchor::Now),
    (&["yesterday"], Some(-1), Unit::Day, Anchor::Now),
    (&["tomorrow"], Some(1), Unit::Day, Anchor::Now),
    (&["this", "year"], Some(0), Unit::Year, Anchor::Now),
    (&["last", "year"], Some(-1), Unit::Year, Anchor::Now),
    (&["next", "year"], Some(1), Unit::Year, Anchor::Now),
    (&["this", "month"], Some(0), Unit::Month, Anchor::Now),
    (&["last", "month"], Some(-1), Unit::Month, Anchor::Now),
    (&["next", "month"], Some(1), Unit::Month, Anchor::Now),
    (&["this", "week"], Some(0), Unit::Week, Anchor::Now),
    (&["last", "week"], Some(-1), Unit::Week, Anchor::Now),
    (&["next", "week"], Some(1), Unit::Week, Anchor::Now),
];

/// What the core of an expression found, before qualifiers and calendars.
struct Core {
    date: HistoricalDate,
    next: usize,
    anchor_phrase: Option<(usize, usize)>,
}

fn absolute(first: PartialDate, last: Option<PartialDate>) -> HistoricalDate {
    let mut d = HistoricalDate::unknown("");
    d.precision = first.precision();
    d.start = Some(first);
    d.end = last.filter(|l| *l != first);
    d
}

fn yearless(md: MonthDay, end: Option<MonthDay>) -> HistoricalDate {
    let mut d = HistoricalDate::unknown("");
    d.precision = if md.day.is_some() { Precision::Day } else { Precision::Month };
    d.yearless = Some(Yearless { month: md.month, day: md.day, end: end.map(|e| (e.month, e.day)) });
    d
}

fn relative(offset: Option<i32>, unit: Option<Unit>, anchor: Anchor) -> HistoricalDate {
    let mut d = HistoricalDate::unknown("");
    d.precision = unit.map_or(Precision::Unknown, Unit::precision);
    d.relative = Some(Relative { offset, unit, anchor });
    d
}

/// An era after a number: `BC`, `B.C.`, `BCE`, `AD`, `A.D.`, `CE`.
/// Returns whether it is before the common era and the index after it.
fn era_at(t: &[Tok<'_>], i: usize) -> Option<(bool, usize)> {
    let w = t.get(i)?.s;
    match w {
        "BC" | "BCE" => return Some((true, i + 1)),
        "AD" | "CE" => return Some((false, i + 1)),
        _ => {}
    }
    // B.C. / A.D. / B.C.E.
    let letters: Vec<&str> = (0..3).filter_map(|k| t.get(i + 2 * k).map(|x| x.s)).collect();
    let dots = |n: usize| (0..n).all(|k| is_word(t.get(i + 2 * k + 1), "."));
    if letters.len() >= 3 && letters[..3] == ["B", "C", "E"] && dots(3) {
        return Some((true, i + 6));
    }
    if letters.len() >= 2 && letters[..2] == ["B", "C"] && dots(2) {
        return Some((true, i + 4));
    }
    if letters.len() >= 2 && letters[..2] == ["A", "D"] && dots(2) {
        return Some((false, i + 4));
    }
    None
}

/// A year written with an era, or four digits: `44 BC`, `AD 800`, `1925`.
fn year_at(t: &[Tok<'_>], i: usize) -> Option<(i32, usize)> {
    let tok = t.get(i)?;
    if tok.s == "AD" || (tok.s == "A" && is_word(t.get(i + 1), ".") && is_word(t.get(i + 2), "D") && is_word(t.get(i + 3), ".")) {
        let k = if tok.s == "AD" { i + 1 } else { i + 4 };
        let n = t.get(k).filter(|x| x.s.len() <= 4 && x.s.bytes().all(|b| b.is_ascii_digit()))?.s.parse::<i32>().ok()?;
        return (n > 0).then_some((n, k + 1));
    }
    if tok.s.len() <= 4 && tok.s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i32 = tok.s.parse().ok()?;
        if let Some((bc, next)) = era_at(t, i + 1) {
            if n == 0 {
                return None;
            }
            return Some((if bc { 1 - n } else { n }, next));
        }
        if let Some(y) = year(tok) {
            return Some((y, i + 1));
        }
    }
    None
}

/// Tries every form at token `i`.
fn core_at(t: &[Tok<'_>], i: usize, qualified: bool) -> Option<Core> {
    let w = lower(t.get(i)?);
    for (words, offset, unit, anchor) in PHRASES {
        if words.iter().enumerate().all(|(k, x)| is_word(t.get(i + k), x)) {
            let mut d = relative(*offset, Some(*unit), anchor.clone());
            if offset.is_none() {
                d.qualifier = Qualifier::Before;
            }
            return Some(Core { date: d, next: i + words.len(), anchor_phrase: None });
        }
    }
    // N units later / earlier / ago / from now / after EVENT / before EVENT
    let vague_count = (matches!(w.as_str(), "several" | "some" | "few") || (w == "a" && is_word(t.get(i + 1), "few"))) && !qualified;
    let counted = if vague_count {
        Some((-1, if w == "a" { i + 2 } else { i + 1 }))
    } else {
        count_at(t, i)
    };
    if let Some((n, k)) = counted
        && let Some(unit) = unit_of(t.get(k))
    {
        let n = if vague_count { None } else { Some(n) };
        let after = t.get(k + 1).map(lower);
        let (sign, anchor, next) = match after.as_deref() {
            Some("later" | "afterwards" | "afterward" | "thereafter") => (1, Anchor::Previous, k + 2),
            Some("earlier" | "previously" | "before") if !starts_phrase(t, k + 2) => (-1, Anchor::Previous, k + 2),
            Some("ago") => (-1, Anchor::Now, k + 2),
            Some("hence") => (1, Anchor::Now, k + 2),
            Some("from") if is_word(t.get(k + 2), "now") => (1, Anchor::Now, k + 3),
            Some("after" | "before") => {
                let (s, e, end) = event_phrase(t, k + 2)?;
                let sign = if after.as_deref() == Some("after") { 1 } else { -1 };
                let mut d = relative(n.map(|n| n * sign), Some(unit), Anchor::Event(String::new()));
                if n.is_none() {
                    d.qualifier = if sign > 0 { Qualifier::After } else { Qualifier::Before };
                }
                return Some(Core { date: d, next: end, anchor_phrase: Some((s, e)) });
            }
            _ => return None,
        };
        let mut d = relative(n.map(|n| n * sign), Some(unit), anchor);
        if d.relative.as_ref().is_some_and(|r| r.offset.is_none()) {
            d.qualifier = if sign > 0 { Qualifier::After } else { Qualifier::Before };
        }
        return Some(Core { date: d, next, anchor_phrase: None });
    }
    // Weekday, possibly followed by a full date: `Friday, March 29, 1929`.
    if let Some(wd) = WEEKDAYS.iter().position(|x| *x == w).filter(|_| t.get(i).is_some_and(is_capitalised)) {
        let k = if is_word(t.get(i + 1), ",") { i + 2 } else { i + 1 };
        if let Some(mut c) = core_at(t, k, true).filter(|c| c.date.start.is_some() || c.date.yearless.is_some()) {
            c.date.weekday = Some(wd as u8 + 1);
            return Some(c);
        }
        // `Good Friday`, `Black Thursday` name days of their own.
        let prev_cap = i.checked_sub(1).and_then(|p| t.get(p)).is_some_and(|p| is_capitalised(p) && p.end + 1 >= t[i].start && !is_sentence_start_tok(t, p));
        // `the Sunday Times`
        let next_cap = t.get(i + 1).is_some_and(|n| is_capitalised(n) && n.start <= t[i].end + 1);
        if prev_cap || next_cap {
            return None;
        }
        let mut d = HistoricalDate::unknown("");
        d.weekday = Some(wd as u8 + 1);
        d.precision = Precision::Day;
        d.relative = Some(Relative { offset: None, unit: Some(Unit::Day), anchor: Anchor::Previous });
        return Some(Core { date: d, next: i + 1, anchor_phrase: None });
    }
    // Seasons: `the spring of 1928`, `summer 1927`, `in the winter`, `last autumn`.
    {
        let k = if is_word(t.get(i), "the") { i + 1 } else { i };
        if let Some(season) = season_of(t.get(k)) {
            let mut j = k + 1;
            if is_word(t.get(j), "of") {
                j += 1;
            }
            if let Some((y, next)) = year_at(t, j) {
                let mut d = season_date(season, y);
                d.season = Some(season);
                return Some(Core { date: d, next, anchor_phrase: None });
            }
            // Without a year, only when the words leave no doubt.
            let prev = i.checked_sub(1).and_then(|p| t.get(p)).map(lower);
            let deictic = matches!(lower(&t[i]).as_str(), "last" | "this" | "next" | "that");
            if (season != Season::Autumn || deictic)
                && k > i
                && matches!(prev.as_deref(), Some("in" | "during" | "by" | "until" | "till" | "since" | "through" | "throughout"))
            {
                let mut d = HistoricalDate::unknown("");
                d.season = Some(season);
                d.precision = Precision::Season;
                d.relative = Some(Relative { offset: None, unit: None, anchor: Anchor::Previous });
                return Some(Core { date: d, next: k + 1, anchor_phrase: None });
            }
        }
        if matches!(w.as_str(), "last" | "this" | "next")
            && let Some(season) = season_of(t.get(i + 1))
        {
            let mut d = relative(Some(match w.as_str() { "last" => -1, "next" => 1, _ => 0 }), Some(Unit::Year), Anchor::Now);
            d.season = Some(season);
            d.precision = Precision::Season;
            return Some(Core { date: d, next: i + 2, anchor_phrase: None });
        }
    }
    // Decades: `the 1920s`, `the 1920’s`.
    if let Some(decade) = decade_at(t, i) {
        let (y, next) = decade;
        let mut d = absolute(PartialDate::year(y), Some(PartialDate::year(y + 9)));
        d.precision = Precision::Decade;
        return Some(Core { date: d, next, anchor_phrase: None });
    }
    // Centuries: `the nineteenth century`, `the 5th century BC`.
    {
        let k = if is_word(t.get(i), "the") { i + 1 } else { i };
        let ord = t.get(k).and_then(|x| {
            let l = lower(x);
            ORDINAL_WORDS.iter().position(|o| *o == l).map(|n| n as i32 + 1).or_else(|| {
                (l.len() >= 3 && l.ends_with(|c: char| c.is_ascii_alphabetic())).then(|| ordinal_day(x).map(i32::from)).flatten()
            })
        });
        let (ord, mut j) = match (ord, t.get(k).map(lower).as_deref()) {
            (Some(n), _) => (Some(n), k + 1),
            (None, Some("twenty")) if is_word(t.get(k + 1), "-") && is_word(t.get(k + 2), "first") => (Some(21), k + 3),
            _ => (None, k),
        };
        if let Some(n) = ord
            && is_word(t.get(j), "century")
        {
            j += 1;
            let bc = era_at(t, j);
            let (first, last) = match bc {
                Some((true, _)) => (1 - 100 * n, 1 - 100 * (n - 1) - 1),
                _ => (100 * (n - 1) + 1, 100 * n),
            };
            if let Some((_, next)) = bc {
                j = next;
            }
            let mut d = absolute(PartialDate::year(first), Some(PartialDate::year(last)));
            d.precision = Precision::Century;
            return Some(Core { date: d, next: j, anchor_phrase: None });
        }
    }
    // Absolute dates, with a year or without.
    if let Some((md, y, next)) = date_at(t, i) {
        // A month standing alone would have been refused by date_at; a
        // month and year, or a day, is a date.
        return Some(with_range(t, i, md, y, next, qualified));
    }
    // A month standing alone, capitalised, after a word of time.
    if let Some(m) = t.get(i).filter(|x| is_capitalised(x)).and_then(|x| month_number(x.s)).filter(|_| t[i].s.len() > 3 || t[i].s == "May" || t[i].s == "June" || t[i].s == "July") {
        let prev = i.checked_sub(1).and_then(|p| t.get(p)).map(lower);
        let lead = qualified || prev.as_deref().is_some_and(|p| MONTH_LEADS.contains(&p));
        let next_cap = t.get(i + 1).is_some_and(|n| is_capitalised(n) && n.start <= t[i].end + 1 && month_number(n.s).is_none());
        if lead && !next_cap && !is_word(t.get(i + 1), "'") && !is_word(t.get(i + 1), "’") {
            let md = MonthDay { month: m, day: None };
            // `January of this year`, `October last year`
            let k = if is_word(t.get(i + 1), "of") { i + 2 } else { i + 1 };
            for (words, off) in [(&["this", "year"][..], 0), (&["last", "year"][..], -1), (&["next", "year"][..], 1), (&["the", "same", "year"][..], 0), (&["the", "following", "year"][..], 1), (&["the", "previous", "year"][..], -1)] {
                if words.iter().enumerate().all(|(n, x)| is_word(t.get(k + n), x)) {
                    let anchor = if words[0] == "the" { Anchor::Previous } else { Anchor::Now };
                    let mut d = yearless(md, None);
                    d.relative = Some(Relative { offset: Some(off), unit: Some(Unit::Year), anchor });
                    return Some(Core { date: d, next: k + words.len(), anchor_phrase: None });
                }
            }
            return Some(with_range(t, i, md, None, i + 1, qualified));
        }
    }
    // Years, with an era or alone; year ranges.
    if let Some((y, next)) = year_at(t, i) {
        // `1922–1924`, `1937-38`, `1929–1933`
        if matches!(t.get(next).map(|x| x.s), Some("-" | "–" | "—" | "/")) && adjacent(t, next - 1, next + 1) {
            if let Some((y2, n2)) = year_at(t, next + 1).filter(|(y2, _)| *y2 > y) {
                return Some(Core { date: absolute(PartialDate::year(y), Some(PartialDate::year(y2))), next: n2, anchor_phrase: None });
            }
            if let Some(two) = t.get(next + 1).filter(|x| x.s.len() == 2 && x.s.bytes().all(|b| b.is_ascii_digit())) {
                let y2 = y - y.rem_euclid(100) + two.s.parse::<i32>().unwrap_or(0);
                if y2 > y {
                    return Some(Core { date: absolute(PartialDate::year(y), Some(PartialDate::year(y2))), next: next + 2, anchor_phrase: None });
                }
            }
        }
        if next > i + 1 || (plausible_year(t, i, qualified) && (100..=2999).contains(&y.abs())) {
            // `from 1920 to 1960`, `between 1923 and 1927`
            let prev = i.checked_sub(1).and_then(|p| t.get(p)).map(lower);
            let joiner = t.get(next).map(lower);
            let ranged = match (prev.as_deref(), joiner.as_deref()) {
                (Some("from"), Some("to" | "till" | "until" | "through")) | (Some("between"), Some("and")) => true,
                _ => matches!(joiner.as_deref(), Some("to" | "through" | "till" | "until")) && !qualified,
            };
            if ranged && let Some((y2, n2)) = year_at(t, next + 1).filter(|(y2, _)| *y2 > y) {
                return Some(Core { date: absolute(PartialDate::year(y), Some(PartialDate::year(y2))), next: n2, anchor_phrase: None });
            }
            return Some(Core { date: absolute(PartialDate::year(y), None), next, anchor_phrase: None });
        }
    }
    None
}

fn is_sentence_start_tok(t: &[Tok<'_>], p: &Tok<'_>) -> bool {
    let k = t.partition_point(|x| x.start < p.start);
    k == 0 || matches!(t[k - 1].s, "." | "!" | "?" | "“" | "\"" | ":" | ";")
}

/// Whether a four-digit number at `i` reads as a year, not a quantity.
fn plausible_year(t: &[Tok<'_>], i: usize, qualified: bool) -> bool {
    if qualified {
        return true;
    }
    let prev = i.checked_sub(1).and_then(|p| t.get(p));
    let pl = prev.map(lower);
    // `pp. 1150`, `No. 1929`: a page or a number.
    let abbreviation = pl.as_deref() == Some(".") && i.checked_sub(2).and_then(|p| t.get(p)).is_some_and(|x| matches!(lower(x).as_str(), "p" | "pp" | "no" | "vol" | "nos"));
    if abbreviation || matches!(pl.as_deref(), Some("p" | "pp" | "no" | "vol" | "#" | "$" | "£" | "page" | "pages" | "number" | "nos")) {
        return false;
    }
    if matches!(pl.as_deref(), Some("in" | "of" | "since" | "until" | "till" | "from" | "to" | "through" | "during" | "the" | "year" | "and" | "or" | "(" | "," | "–" | "-" | "spring" | "summer" | "autumn" | "winter" | "fall" | "for" | "after" | "before" | "by" | "end" | "beginning" | "middle")) || prev.is_none() {
        return true;
    }
    // `1500 delegates`: a number counting a plural noun.
    !t.get(i + 1).is_some_and(|n| n.s.len() > 2 && n.s.ends_with('s') && n.s.chars().all(|c| c.is_ascii_lowercase()))
}

fn decade_at(t: &[Tok<'_>], i: usize) -> Option<(i32, usize)> {
    let k = if is_word(t.get(i), "the") { i + 1 } else { i };
    let x = t.get(k)?;
    let digits = x.s.strip_suffix('s').filter(|d| d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()));
    if let Some(d) = digits {
        let y: i32 = d.parse().ok()?;
        return (y % 10 == 0).then_some((y, k + 1));
    }
    // `the 1920’s`
    if let Some(y) = year(x)
        && y % 10 == 0
        && matches!(t.get(k + 1).map(|a| a.s), Some("’" | "'"))
        && is_word(t.get(k + 2), "s")
        && adjacent(t, k, k + 2)
    {
        return Some((y, k + 3));
    }
    None
}

fn season_date(season: Season, y: i32) -> HistoricalDate {
    let (first, last) = season.bounds(y);
    let mut d = absolute(first, Some(last));
    d.precision = Precision::Season;
    d
}

/// A phrase naming an event after `before`/`after`: `the plenum`,
/// `the revolution`, `Bukharin had left`; `(start, end, next token)`.
fn event_phrase(t: &[Tok<'_>], i: usize) -> Option<(usize, usize, usize)> {
    let first = t.get(i)?;
    let starts_well = ["the", "his", "her", "their", "its", "our", "we", "he", "she", "they", "it"].iter().any(|w| is_word(Some(first), w)) || is_capitalised(first);
    if !starts_well {
        return None;
    }
    let mut k = i;
    while let Some(x) = t.get(k) {
        let l = lower(x);
        if matches!(l.as_str(), "," | "." | ";" | ":" | "!" | "?" | "(" | ")" | "“" | "”" | "\"") || k >= i + 8 {
            return None;
        }
        // `the plenum`, `the revolution`, `the session of the Politburo`
        if EVENT_NOUNS.contains(&l.as_str()) {
            let mut end = k + 1;
            if is_word(t.get(end), "of") {
                let mut j = end + 1;
                if is_word(t.get(j), "the") {
                    j += 1;
                }
                let caps = t[j.min(t.len())..].iter().take_while(|x| is_capitalised(x)).count();
                if caps > 0 {
                    end = j + caps;
                }
            }
            return Some((first.start, t[end - 1].end, end));
        }
        // `Bukharin had left`, `the delegates were gone`
        if matches!(l.as_str(), "had" | "has" | "was" | "were") && k > i {
            let end = if t.get(k + 1).is_some_and(|x| x.s.chars().all(char::is_alphabetic)) { k + 2 } else { k + 1 };
            return Some((first.start, t[end - 1].end, end));
        }
        k += 1;
    }
    None
}

/// Whether an event phrase starts at `k` (so `before` there is a preposition).
fn starts_phrase(t: &[Tok<'_>], k: usize) -> bool {
    event_phrase(t, k).is_some()
}

/// A date and what may follow it: a range to another date.
fn with_range(t: &[Tok<'_>], i: usize, md: MonthDay, y: Option<i32>, next: usize, qualified: bool) -> Core {
    let sep = t.get(next).map(lower);
    let prev = i.checked_sub(1).and_then(|p| t.get(p)).map(lower);
    // `and` joins a range only after `between`, `during`, `from` or `in`:
    // `on January 30 and February 9` names two days.
    let range_and = sep.as_deref() == Some("and") && matches!(prev.as_deref(), Some("between" | "during" | "throughout" | "in")) && md.day.is_none();
    let range_sep = matches!(sep.as_deref(), Some("through" | "to" | "until" | "till" | "-" | "–" | "—")) && !qualified;
    if range_and || range_sep || (sep.as_deref() == Some("and") && prev.as_deref() == Some("between")) {
        let second = date_at(t, next + 1).or_else(|| {
            // A month standing alone ends the range: `December and January`.
            t.get(next + 1).filter(|x| is_capitalised(x)).and_then(|x| month_number(x.s)).map(|m| (MonthDay { month: m, day: None }, year_at(t, next + 2).map(|(y, _)| y), if year_at(t, next + 2).is_some() { next + 3 } else { next + 2 }))
        });
        if let Some((md2, y2, next2)) = second {
            let years = match (y, y2) {
                // The first month takes the year of the second, or the one before.
                (_, Some(b)) => Some((y.unwrap_or(if (md.month, md.day) <= (md2.month, md2.day) { b } else { b - 1 }), b)),
                (Some(a), None) => Some((a, a)),
                (None, None) => None,
            };
            match years {
                Some((a, b)) => {
                    if let (Some(f), Some(l)) = (crate::date::complete(md, a), crate::date::complete(md2, b))
                        && f <= l
                    {
                        return Core { date: absolute(f, Some(l)), next: next2, anchor_phrase: None };
                    }
                }
                None => return Core { date: yearless(md, Some(md2)), next: next2, anchor_phrase: None },
            }
        }
        // `April 23-25, 1938`
        if let (Some(d2), Some(_)) = (t.get(next + 1).and_then(ordinal_day), md.day)
            && matches!(sep.as_deref(), Some("-" | "–" | "—"))
        {
            let md2 = MonthDay { month: md.month, day: Some(d2) };
            let yy = t.get(next + 2).filter(|x| x.s == ",").and_then(|_| t.get(next + 3)).and_then(year);
            match yy.or(y) {
                Some(yy) => {
                    if let (Some(f), Some(l)) = (crate::date::complete(md, yy), crate::date::complete(md2, yy))
                        && f <= l
                    {
                        let n = if yy_present(t, next) { next + 4 } else { next + 2 };
                        return Core { date: absolute(f, Some(l)), next: n, anchor_phrase: None };
                    }
                }
                None => return Core { date: yearless(md, Some(md2)), next: next + 2, anchor_phrase: None },
            }
        }
    }
    match y.and_then(|y| crate::date::complete(md, y)) {
        Some(d) => Core { date: absolute(d, None), next, anchor_phrase: None },
        None if y.is_some() => Core { date: absolute(PartialDate::year(y.unwrap_or(0)), None), next, anchor_phrase: None },
        None => Core { date: yearless(md, None), next, anchor_phrase: None },
    }
}

fn yy_present(t: &[Tok<'_>], next: usize) -> bool {
    t.get(next + 2).is_some_and(|x| x.s == ",") && t.get(next + 3).and_then(year).is_some()
}

/// Words that can open a time expression, lowercase; with any token that
/// starts with a digit, the only tokens worth a closer look.
fn starters() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut set: std::collections::HashSet<&'static str> = std::collections::HashSet::new();
        set.extend(PREFIXES.iter().map(|(w, _)| w[0]));
        set.extend(PHRASES.iter().map(|(w, _, _, _)| w[0]));
        set.extend(NUMBER_WORDS);
        set.extend(TENS.iter().map(|(w, _)| *w));
        set.extend(ORDINAL_WORDS);
        set.extend(WEEKDAYS);
        set.extend(crate::date::MONTHS);
        set.extend([
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "spring", "summer", "autumn",
            "fall", "winter", "the", "a", "an", "several", "some", "few", "last", "this", "next", "that", "ad", "twenty",
        ]);
        set
    })
}

/// Words that follow `the` in the phrases that open with it.
const THE_NEXT: &[&str] = &["end", "close", "latter", "beginning", "start", "middle", "midst", "eve", "following", "same", "day", "previous", "year"];

/// Whether token `t` may open a time expression.
fn may_start(t: &Tok<'_>) -> bool {
    let b = t.s.as_bytes();
    if b.first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    if b.len() > 16 || !b.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 16];
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).is_ok_and(|w| starters().contains(w))
}

/// Finds every time expression in `text`, in order, none overlapping.
pub fn find_times(text: &str) -> Vec<TimeMatch> {
    let t = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        // `the` opens an expression only before a word that may open one
        // or that a phrase with `the` goes on with.
        let the = t[i].s.eq_ignore_ascii_case("the");
        let worth = may_start(&t[i])
            && (!the
                || t.get(i + 1).is_some_and(|n| {
                    may_start(n) || THE_NEXT.iter().any(|w| n.s.eq_ignore_ascii_case(w))
                }));
        if !worth {
            i += 1;
            continue;
        }
        match expression_at(text, &t, i) {
            Some((m, next)) => {
                out.push(m);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

fn expression_at(text: &str, t: &[Tok<'_>], i: usize) -> Option<(TimeMatch, usize)> {
    // Qualifying words first, the longest that fits.
    let mut best: Option<(Qualifier, usize)> = None;
    for (words, q) in PREFIXES {
        if words.iter().enumerate().all(|(k, w)| is_word(t.get(i + k), w)) && best.is_none_or(|(_, n)| n < words.len()) {
            best = Some((*q, words.len()));
        }
    }
    let (core, qualifier) = match best {
        Some((q, n)) => match core_at(t, i + n, true) {
            Some(c) => (c, q),
            None if matches!(q, Qualifier::Before | Qualifier::After) => {
                // `before the plenum`, `after Bukharin had left`
                let (s, e, next) = event_phrase(t, i + n)?;
                let mut d = relative(None, None, Anchor::Event(String::new()));
                d.qualifier = q;
                (Core { date: d, next, anchor_phrase: Some((s, e)) }, q)
            }
            None => (core_at(t, i, false)?, Qualifier::Exact),
        },
        None => (core_at(t, i, false)?, Qualifier::Exact),
    };
    let Core { mut date, mut next, anchor_phrase } = core;
    if qualifier != Qualifier::Exact && date.qualifier == Qualifier::Exact {
        date.qualifier = qualifier;
    }
    // Calendar style after the date: `(O.S.)`, `O.S.`, `old style`, `(N.S.)`.
    let (style, after) = style_at(t, next);
    if let Some(style) = style {
        date.calendar = style;
        next = after;
    }
    // Era after a date with a year: `March 15, 44 BC` is handled by year_at;
    // nothing else to add here.
    let start = t[i].start;
    let end = t[next - 1].end;
    if let Some((s, e)) = anchor_phrase {
        date.relative.get_or_insert(Relative { offset: None, unit: None, anchor: Anchor::Previous }).anchor = Anchor::Event(text[s..e].to_string());
    }
    date.text = text[start..end].to_string();
    // `the April 1925 theses`, `the May 24 attack`: a date modifying a noun.
    let before_the = best.is_none()
        && (i.checked_sub(1).is_some_and(|p| is_word(t.get(p), "the")) || is_word(t.get(i), "the"))
        && date.precision != Precision::Decade
        && date.precision != Precision::Century;
    let noun_after = t.get(next).is_some_and(|n| {
        n.s.chars().all(|c| c.is_alphabetic() || c == '-')
            && n.s.chars().next().is_some_and(char::is_lowercase)
            && !FUNCTION_WORDS.contains(&n.s)
    });
    let attributive = before_the && noun_after && date.relative.is_none();
    Some((TimeMatch { start, end, date, anchor_phrase, attributive }, next))
}

/// Words that cannot be the noun a date modifies.
const FUNCTION_WORDS: &[&str] = &[
    "and", "or", "but", "to", "of", "in", "on", "at", "by", "for", "with", "from", "when", "while", "the", "a", "an", "was",
    "were", "is", "are", "had", "has", "have", "he", "she", "it", "they", "we", "i", "his", "her", "its", "their", "our",
    "that", "which", "who", "there", "then", "as", "until", "till", "after", "before", "since", "this", "these",
];

fn style_at(t: &[Tok<'_>], k: usize) -> (Option<Calendar>, usize) {
    // `January 9, 1905, old style`
    if is_word(t.get(k), ",") && (is_word(t.get(k + 1), "old") || is_word(t.get(k + 1), "new")) && is_word(t.get(k + 2), "style") {
        let (style, after) = style_at(t, k + 1);
        if style.is_some() {
            return (style, after);
        }
    }
    let paren = is_word(t.get(k), "(");
    let j = if paren { k + 1 } else { k };
    let (style, after) = if is_word(t.get(j), "O") && is_word(t.get(j + 1), ".") && is_word(t.get(j + 2), "S") && is_word(t.get(j + 3), ".") {
        (Some(Calendar::OldStyle), j + 4)
    } else if is_word(t.get(j), "N") && is_word(t.get(j + 1), ".") && is_word(t.get(j + 2), "S") && is_word(t.get(j + 3), ".") {
        (Some(Calendar::NewStyle), j + 4)
    } else if is_word(t.get(j), "old") && is_word(t.get(j + 1), "style") {
        (Some(Calendar::OldStyle), j + 2)
    } else if is_word(t.get(j), "new") && is_word(t.get(j + 1), "style") {
        (Some(Calendar::NewStyle), j + 2)
    } else {
        (None, k)
    };
    match style {
        Some(s) if paren => {
            if is_word(t.get(after), ")") { (Some(s), after + 1) } else { (None, k) }
        }
        other => (other, after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> TimeMatch {
        let all = find_times(text);
        assert_eq!(all.len(), 1, "in {text:?}: {all:?}");
        all.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(1929, 3, 29), -14888);
        for d in [-1_000_000, -719_468, -1, 0, 1, 59, 60, 10_000, 1_000_000] {
            let (y, m, dd) = from_day_number(d);
            assert_eq!(day_number(y, m, dd), d);
        }
        // 1917-10-25 old style is 1917-11-07 new style.
        assert_eq!(julian_day_number(1917, 10, 25), day_number(1917, 11, 7));
    }

    #[test]
    fn qualifiers_narrow_the_days() {
        let m = one("at the end of December 1928");
        assert_eq!(m.date.qualifier, Qualifier::Late);
        assert_eq!(m.date.normalised(), "1928-12-22/1928-12-31");
        assert_eq!(one("before 1917").date.normalised(), "../1916-12-31");
        assert_eq!(one("about 1925").date.normalised(), "1925~");
        assert_eq!(one("since 1923").date.normalised(), "1923-01-01/..");
    }

    use proptest::prelude::*;

    /// Any date a historian may write: a day, a month, a year, a season, a
    /// decade or a century, or a range, with any qualifier and calendar.
    fn historical() -> impl Strategy<Value = HistoricalDate> {
        let point = (-3000i32..3000, 0u8..=12, 0u8..=31).prop_map(|(y, m, d)| match (m, d) {
            (0, _) => PartialDate::year(y),
            (m, 0) => PartialDate { year: y, month: Some(m), day: None },
            (m, d) => PartialDate { year: y, month: Some(m), day: Some(d.min(crate::date::days_in_month(y, m))) },
        });
        let qualifier = prop_oneof![
            Just(Qualifier::Exact),
            Just(Qualifier::Approximate),
            Just(Qualifier::Early),
            Just(Qualifier::Middle),
            Just(Qualifier::Late),
            Just(Qualifier::Before),
            Just(Qualifier::After),
            Just(Qualifier::NotAfter),
            Just(Qualifier::NotBefore),
        ];
        let calendar = prop_oneof![Just(Calendar::Unstated), Just(Calendar::OldStyle), Just(Calendar::NewStyle)];
        (point, 0i64..4000, qualifier, calendar, any::<bool>()).prop_map(|(start, len, qualifier, calendar, ranged)| {
            let mut d = HistoricalDate::unknown("");
            d.start = Some(start);
            d.precision = match (start.month, start.day) {
                (Some(_), Some(_)) => Precision::Day,
                (Some(_), None) => Precision::Month,
                _ => Precision::Year,
            };
            if ranged {
                let end = PartialDate::from_day(start.last_day() + len);
                d.end = Some(match d.precision {
                    Precision::Year => PartialDate::year(end.year),
                    Precision::Month => PartialDate { year: end.year, month: end.month, day: None },
                    _ => end,
                });
            }
            d.qualifier = qualifier;
            d.calendar = calendar;
            d
        })
    }

    proptest! {
        #[test]
        fn a_dates_key_lies_within_its_days(d in historical()) {
            let (a, b) = d.days().unwrap_or_else(|| unreachable!());
            prop_assert!(a <= b);
            let k = d.sort_key().unwrap_or_else(|| unreachable!());
            prop_assert_eq!(k.first, a);
            prop_assert_eq!(-k.neg_last, b);
        }

        #[test]
        fn what_ends_before_another_begins_sorts_before_it(x in historical(), y in historical()) {
            let (xa, xb) = x.days().unwrap_or_else(|| unreachable!());
            let (ya, yb) = y.days().unwrap_or_else(|| unreachable!());
            let (kx, ky) = (x.sort_key(), y.sort_key());
            if xb < ya {
                prop_assert!(kx < ky);
            }
            // A stretch sorts before the stretches it contains that start with it.
            if xa == ya && xb > yb {
                prop_assert!(kx < ky);
            }
        }

        #[test]
        fn a_qualifier_narrows_but_never_leaves_the_printed_days(d in historical()) {
            let (va, vb) = d.value_days().unwrap_or_else(|| unreachable!());
            let (a, b) = d.days().unwrap_or_else(|| unreachable!());
            match d.qualifier {
                Qualifier::Exact | Qualifier::Approximate | Qualifier::Early | Qualifier::Middle | Qualifier::Late => {
                    prop_assert!(va <= a && b <= vb, "{:?}: {}..{} not in {}..{}", d, a, b, va, vb);
                }
                Qualifier::Before => prop_assert!(b < va),
                Qualifier::After => prop_assert!(a > vb),
                Qualifier::NotAfter => prop_assert!(b <= vb),
                Qualifier::NotBefore => prop_assert!(a >= va),
            }
        }

        #[test]
        fn day_numbers_round_trip_everywhere(days in -2_000_000i64..2_000_000) {
            let (y, m, d) = from_day_number(days);
            prop_assert_eq!(day_number(y, m, d), days);
        }

        #[test]
        fn date_words_in_any_order_never_panic(words in proptest::collection::vec(prop_oneof![
            Just("March"), Just("29"), Just(","), Just("1929"), Just("the"), Just("end"), Just("of"), Just("days"),
            Just("later"), Just("before"), Just("1920s"), Just("BC"), Just("B.C."), Just("O.S."), Just("("), Just(")"),
            Just("-"), Just("–"), Just("mid"), Just("spring"), Just("and"), Just("through"), Just("Friday"), Just("three"),
            Just("ago"), Just("a"), Just("few"), Just("0"), Just("9999"), Just("31st"), Just("century"), Just("AD"),
            Just("since"), Just("between"), Just("this"), Just("year"), Just("old"), Just("style"), Just("."),
        ], 0..30), glue in any::<bool>()) {
            let text = words.join(if glue { "" } else { " " });
            for m in find_times(&text) {
                prop_assert!(m.start < m.end && m.end <= text.len());
                let _ = m.date.normalised();
                let _ = m.date.sort_key();
            }
        }

        #[test]
        fn finding_times_never_panics_and_spans_hold(text in "\\PC{0,200}") {
            for m in find_times(&text) {
                prop_assert!(m.start < m.end && m.end <= text.len());
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
        }
    }

    #[test]
    fn old_style_dates_sort_by_the_gregorian_day() {
        let m = one("October 25, 1917 (O.S.)");
        assert_eq!(m.date.calendar, Calendar::OldStyle);
        assert_eq!(m.date.normalised(), "1917-11-07");
    }
}
