use std::fmt;

/// A calendar date known to a year, a month or a day.
///
/// Years may be zero or negative (astronomical numbering) so that ancient
/// sources fit. Ordering follows the calendar, a less precise date sorting
/// before the more precise dates it contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// A date known to the year.
    pub fn year(year: i32) -> Self {
        PartialDate { year, month: None, day: None }
    }

    /// A date known to the month; `None` when the month is out of range.
    pub fn month(year: i32, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(PartialDate { year, month: Some(month), day: None })
    }

    /// A date known to the day; `None` when it is not a day of the calendar.
    pub fn day(year: i32, month: u8, day: u8) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(PartialDate { year, month: Some(month), day: Some(day) })
    }
}

/// Days in a month of the proleptic Gregorian calendar (0 for a month out of range).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for PartialDate {
    /// ISO 8601 at the precision known: `1929`, `1929-03`, `1929-03-29`;
    /// years outside 0..=9999 carry a sign and at least four digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (0..=9999).contains(&self.year) {
            write!(f, "{:04}", self.year)?;
        } else {
            write!(f, "{:+05}", self.year)?;
        }
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_at_its_precision() {
        assert_eq!(PartialDate::year(1929).to_string(), "1929");
        assert_eq!(PartialDate::month(1929, 3).map(|d| d.to_string()).as_deref(), Some("1929-03"));
        assert_eq!(PartialDate::day(1929, 3, 29).map(|d| d.to_string()).as_deref(), Some("1929-03-29"));
        assert_eq!(PartialDate::year(-44).to_string(), "-0044");
    }

    #[test]
    fn refuses_days_not_in_the_calendar() {
        assert!(PartialDate::day(1929, 2, 29).is_none());
        assert!(PartialDate::day(1928, 2, 29).is_some());
        assert!(PartialDate::day(1900, 2, 29).is_none());
        assert!(PartialDate::day(2000, 2, 29).is_some());
        assert!(PartialDate::month(1929, 13).is_none());
    }
}

/// An absolute date found in a piece of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateMatch {
    /// Byte offset where the expression starts in the searched text.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// The first (or only) date.
    pub first: PartialDate,
    /// The last date of a range.
    pub last: Option<PartialDate>,
}

pub(crate) const MONTHS: [&str; 12] = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
];

/// The month a word names, full or abbreviated (`Sept.`, `Feb`), in English.
pub fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS.iter().position(|m| *m == w || (w.len() == 3 && m.starts_with(&w))).map(|i| i as u8 + 1)
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok<'a> {
    pub(crate) s: &'a str,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

pub(crate) fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = iter.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            out.push(Tok { s: &text[i..end], start: i, end });
        } else if !c.is_whitespace() {
            out.push(Tok { s: &text[i..i + c.len_utf8()], start: i, end: i + c.len_utf8() });
        }
    }
    out
}

pub(crate) fn number(t: &Tok<'_>) -> Option<u32> {
    if t.s.len() <= 4 && t.s.bytes().all(|b| b.is_ascii_digit()) { t.s.parse().ok() } else { None }
}

pub(crate) fn ordinal_day(t: &Tok<'_>) -> Option<u8> {
    let digits: &str = t.s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &t.s[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse::<u8>().ok().filter(|d| (1..=31).contains(d))
}

pub(crate) fn year(t: &Tok<'_>) -> Option<i32> {
    (t.s.len() == 4).then(|| number(t)).flatten().map(|y| y as i32)
}

/// A date without its year: a month, and a day when printed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MonthDay {
    pub(crate) month: u8,
    pub(crate) day: Option<u8>,
}

/// Tries the forms English texts use at token `i`; returns the date (year
/// possibly missing), and the index of the token after it.
pub(crate) fn date_at(t: &[Tok<'_>], i: usize) -> Option<(MonthDay, Option<i32>, usize)> {
    let get = |k: usize| t.get(k);
    let is = |k: usize, s: &str| t.get(k).is_some_and(|x| x.s == s);
    // The dot of an abbreviated month (`Sept.`), not a full stop after a full name.
    let skip_dot = |k: usize| {
        let abbreviated = k.checked_sub(1).and_then(|p| t.get(p)).and_then(|m| month_number(m.s).map(|n| m.s.len() < MONTHS[n as usize - 1].len()));
        if is(k, ".") && abbreviated != Some(false) { k + 1 } else { k }
    };
    // Month [day[,]] [year]
    if let Some(m) = get(i).and_then(|x| month_number(x.s)) {
        let mut k = skip_dot(i + 1);
        let mut day = None;
        if let Some(d) = get(k).and_then(ordinal_day).filter(|_| get(k).is_some_and(|x| x.s.len() <= 4 && year(x).is_none())) {
            day = Some(d);
            k += 1;
            if is(k, ",") {
                k += 1;
            }
        } else if is(k, ",") && get(k + 1).and_then(year).is_some() {
            k += 1;
        }
        if let Some(y) = get(k).and_then(year) {
            return Some((MonthDay { month: m, day }, Some(y), k + 1));
        }
        // A bare month name is too often a word ("may", "march").
        let end = if day.is_some() { if is(k - 1, ",") { k - 1 } else { k } } else { return None };
        return Some((MonthDay { month: m, day }, None, end));
    }
    // [the] day [of] Month [,] [year]
    let mut k = i;
    if get(k).is_some_and(|x| x.s.eq_ignore_ascii_case("the")) {
        k += 1;
    }
    if let Some(d) = get(k).and_then(ordinal_day) {
        let mut j = k + 1;
        if is(j, "of") {
            j += 1;
        }
        if let Some(m) = get(j).and_then(|x| month_number(x.s)) {
            let mut e = skip_dot(j + 1);
            let comma = is(e, ",");
            if comma {
                e += 1;
            }
            if let Some(y) = get(e).and_then(year) {
                return Some((MonthDay { month: m, day: Some(d) }, Some(y), e + 1));
            }
            return Some((MonthDay { month: m, day: Some(d) }, None, if comma { e - 1 } else { e }));
        }
        // 29.3.1929 and 1929-03-29, written without spaces
        if is(k + 1, ".") && is(k + 3, ".")
            && let (Some(mo), Some(y)) = (get(k + 2).and_then(number), get(k + 4).and_then(year))
                && (1..=12).contains(&mo) && adjacent(t, k, k + 4) {
                    return Some((MonthDay { month: mo as u8, day: Some(d) }, Some(y), k + 5));
                }
    }
    if let Some(y) = get(i).and_then(year) {
        // 1919-03, as ISO 8601 writes a month
        if is(i + 1, "-") && !is(i + 3, "-") && adjacent(t, i, i + 2) && get(i + 2).is_some_and(|x| x.s.len() == 2)
            && let Some(mo) = get(i + 2).and_then(number).filter(|m| (1..=12).contains(m)) {
                return Some((MonthDay { month: mo as u8, day: None }, Some(y), i + 3));
            }
        if is(i + 1, "-") && is(i + 3, "-") && adjacent(t, i, i + 4)
            && let (Some(mo), Some(d)) = (get(i + 2).and_then(number), get(i + 4).and_then(number))
                && (1..=12).contains(&mo) && (1..=31).contains(&d) && get(i + 2).is_some_and(|x| x.s.len() == 2) {
                    return Some((MonthDay { month: mo as u8, day: Some(d as u8) }, Some(y), i + 5));
                }
    }
    None
}

/// Whether tokens `a..=b` touch each other with no space between.
pub(crate) fn adjacent(t: &[Tok<'_>], a: usize, b: usize) -> bool {
    (a..b).all(|k| t.get(k + 1).is_some_and(|n| t.get(k).is_some_and(|p| p.end == n.start)))
}

pub(crate) fn complete(md: MonthDay, y: i32) -> Option<PartialDate> {
    match md.day {
        Some(d) => PartialDate::day(y, md.month, d),
        None => PartialDate::month(y, md.month),
    }
}

/// Finds the first absolute date in `text`: `March 29, 1929`, `28 May 2021`,
/// `the 9th of February, 1929`, `October 1940`, `29.3.1929`, `1929-03-29`,
/// a range such as `April 23 through July 20, 1938`, or, failing all of
/// these, a year standing alone (`1925`).
///
/// Dates printed without a year are not returned here: giving them a year
/// needs the document's own date.
pub fn find_date(text: &str) -> Option<DateMatch> {
    let t = tokens(text);
    let mut lone_year = None;
    for i in 0..t.len() {
        if let Some((md, y, next)) = date_at(&t, i) {
            // A range: DATE (through|to|until|till|-|–|—) DATE
            let sep = t.get(next).map(|x| x.s.to_ascii_lowercase());
            if matches!(sep.as_deref(), Some("through" | "to" | "until" | "till" | "-" | "–" | "—" | "and")) {
                if let Some((md2, y2, next2)) = date_at(&t, next + 1)
                    && let Some(y2) = y2.or(y) {
                        let y1 = y.unwrap_or(y2);
                        if let (Some(a), Some(b)) = (complete(md, y1), complete(md2, y2))
                            && a <= b {
                                return Some(DateMatch { start: t[i].start, end: t[next2 - 1].end, first: a, last: Some(b) });
                            }
                    }
                // "April 23-25, 1938": a day range within one month
                if let (Some(d2), Some(_)) = (t.get(next + 1).and_then(ordinal_day), md.day)
                    && let Some(yy) = t.get(next + 2).filter(|x| x.s == ",").and_then(|_| t.get(next + 3)).and_then(year)
                        && let (Some(a), Some(b)) = (complete(md, yy), PartialDate::day(yy, md.month, d2))
                            && a <= b {
                                return Some(DateMatch { start: t[i].start, end: t[next + 3].end, first: a, last: Some(b) });
                            }
            }
            if let Some(y) = y
                && let Some(d) = complete(md, y) {
                    return Some(DateMatch { start: t[i].start, end: t[next - 1].end, first: d, last: None });
                }
        }
        if lone_year.is_none()
            && let Some(y) = t.get(i).and_then(year).filter(|y| (100..=2999).contains(y)) {
                // Not a page, volume or issue number.
                let prev = i.checked_sub(1).and_then(|p| t.get(p)).map(|x| x.s.to_ascii_lowercase());
                if !matches!(prev.as_deref(), Some("p" | "pp" | "no" | "vol" | "." | "#")) {
                    lone_year = Some(DateMatch { start: t[i].start, end: t[i].end, first: PartialDate::year(y), last: None });
                }
            }
    }
    lone_year
}

#[cfg(test)]
mod find_tests {
    use super::*;

    fn found(text: &str) -> Option<(String, String, Option<String>)> {
        find_date(text).map(|m| (text[m.start..m.end].to_string(), m.first.to_string(), m.last.map(|d| d.to_string())))
    }

    #[test]
    fn finds_the_forms_of_archive_headers() {
        let cases: &[(&str, &str, &str)] = &[
            ("March 29, 1929.", "March 29, 1929", "1929-03-29"),
            ("The Militant, New York, Vol. 2 No. 11, July 1, 1929.", "July 1, 1929", "1929-07-01"),
            ("Last updated on: 28 May 2021", "28 May 2021", "2021-05-28"),
            ("Fourth International, Vol. 1 No. 5, October 1940, pp. 115–123.", "October 1940", "1940-10"),
            ("Einde O’Callaghan (September 2015).", "September 2015", "2015-09"),
            ("on the 9th of February, 1929", "the 9th of February, 1929", "1929-02-09"),
            ("29.3.1929", "29.3.1929", "1929-03-29"),
            ("1929-03-29", "1929-03-29", "1929-03-29"),
            ("1919-03", "1919-03", "1919-03"),
            ("published by Merit Publishers in 1969.", "1969", "1969"),
            ("Sept. 3, 1939", "Sept. 3, 1939", "1939-09-03"),
        ];
        for (text, span, value) in cases {
            let (s, v, _) = found(text).unwrap_or_else(|| panic!("no date in {text}"));
            assert_eq!((s.as_str(), v.as_str()), (*span, *value), "in {text}");
        }
    }

    #[test]
    fn finds_ranges() {
        assert_eq!(
            found("Discussed: April 23 through July 20, 1938."),
            Some(("April 23 through July 20, 1938".into(), "1938-04-23".into(), Some("1938-07-20".into())))
        );
        assert_eq!(
            found("May 5-7, 1925"),
            Some(("May 5-7, 1925".into(), "1925-05-05".into(), Some("1925-05-07".into())))
        );
    }

    #[test]
    fn ignores_what_is_not_a_date() {
        assert_eq!(found("Vol. 2 No. 11"), None);
        assert_eq!(found("you may come in March"), None);
        assert_eq!(found("pp. 1150"), None);
        // An impossible day falls back to the year it names.
        assert_eq!(found("February 30, 1929").map(|f| f.1), Some("1929".into()));
    }
}
