//! Sentence boundaries within a block.

use kulisy_model::Span;

/// Words that end in a full stop without ending a sentence, lowercased.
/// `etc.` is not among them: it ends sentences as often as not, and a
/// capital after it is taken as a new sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "st", "vol", "vols", "no", "nos", "pp", "p", "gen", "col", "lt", "capt",
    "prof", "rev", "jr", "sr", "vs", "cf", "ed", "eds", "trans", "fig", "ch", "chap", "art", "sec", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "op", "cit", "ibid",
    "approx", "dept", "govt", "esq", "hon", "sgt", "maj", "adm", "gov", "pres", "comrade", "cde", "tov", "ca",
];

fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | ')' | ']' | '»' | '›')
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '“' | '‘' | '"' | '\'' | '(' | '[' | '«' | '„' | '–' | '—')
}

/// Whether the word ending just before the full stop at `dot` keeps the
/// sentence going: an initial (`L.D.`, `E.H. Carr`) or a known abbreviation.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '.')).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    let last = word.rsplit('.').next().unwrap_or("");
    if last.chars().count() == 1 && last.chars().all(char::is_uppercase) {
        return true; // an initial
    }
    if word.contains('.') && last.chars().count() <= 2 {
        return true; // i.e, e.g, U.S
    }
    ABBREVIATIONS.contains(&last.to_lowercase().as_str())
}

/// Bytes that may end a sentence: `.`, `!`, `?`, and the lead byte of `…`.
const MAY_STOP: [bool; 256] = {
    let mut t = [false; 256];
    t[b'.' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[0xE2] = true;
    t
};

/// The sentences of `text[span]`, trimmed, in order.
///
/// Only the bytes that can end a sentence (`.`, `!`, `?`, and the first byte
/// of `…`) are looked at closely; everything between them is skipped.
pub fn sentences(text: &str, span: Span) -> Vec<Span> {
    let body = span.text(text);
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        if start.is_none() {
            if bytes[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if let Some(c) = body[i..].chars().next()
                && c.is_whitespace() {
                    i += c.len_utf8();
                    continue;
                }
            start = Some(i);
        }
        // Skip to the next byte that may end a sentence.
        while i < bytes.len() && !MAY_STOP[bytes[i] as usize] {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let b = bytes[i];
        let is_stop = b != 0xE2 || (bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA6));
        if !is_stop {
            i += 1;
            continue;
        }
        let c = if b == 0xE2 { '…' } else { b as char };
        // Take further stops and closing marks: `?!`, `...”`, `.)`.
        let mut end = i + c.len_utf8();
        for d in body[end..].chars() {
            if matches!(d, '.' | '!' | '?' | '…') || is_closer(d) {
                end += d.len_utf8();
            } else {
                break;
            }
        }
        let dot = i;
        i = end;
        let rest = &body[end..];
        let after_space = rest.trim_start();
        if after_space.len() == rest.len() && !rest.is_empty() {
            continue; // no space: `3.5`, `U.S.A`, `“trio.”,`
        }
        let next = after_space.chars().next();
        if next.is_some_and(|n| !starts_sentence(n)) {
            continue;
        }
        if c == '.' && end == dot + 1 && is_abbreviation(body, dot) {
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Span::new(span.start + s, span.start + end));
        }
    }
    if let Some(s) = start {
        let trimmed = body.trim_end();
        if trimmed.len() > s {
            out.push(Span::new(span.start + s, span.start + trimmed.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        sentences(s, Span::new(0, s.len())).into_iter().map(|sp| &s[sp.start..sp.end]).collect()
    }

    #[test]
    fn initials_and_abbreviations_do_not_end_sentences() {
        assert_eq!(
            split("Robert V. Daniels thinks that Trotsky did; E.H. Carr thinks that he didn’t. Unable to resolve it, they print it."),
            vec!["Robert V. Daniels thinks that Trotsky did; E.H. Carr thinks that he didn’t.", "Unable to resolve it, they print it."]
        );
        assert_eq!(split("The Militant, Vol. 2 No. 11, July 1. Mr. Smith came."), vec!["The Militant, Vol. 2 No. 11, July 1.", "Mr. Smith came."]);
    }

    #[test]
    fn quotation_marks_close_with_their_sentence() {
        assert_eq!(
            split("Everyone is saying, “Yes, the party has been blindfolded!” As a result of all this, they met."),
            vec!["Everyone is saying, “Yes, the party has been blindfolded!”", "As a result of all this, they met."]
        );
        assert_eq!(split("said stupid things, etc., etc. I learned that."), vec!["said stupid things, etc., etc.", "I learned that."]);
    }

    #[test]
    fn lowercase_after_a_stop_continues() {
        assert_eq!(split("a trial of the “trio.” we give details"), vec!["a trial of the “trio.” we give details"]);
    }
}
