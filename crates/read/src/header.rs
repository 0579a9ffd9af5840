//! The archive header (`Written:`, `Source:`, licence lines), the front
//! matter above it, the editor's note below it and the navigation residue at
//! the end: shared by every reader, since archives print the same header in
//! plain text and in HTML.

use kulisy_model::{
    find_date, Block, BlockKind, HeaderField, Licence, LicenceKind, Metadata, Publication, Span,
    SpannedDate, SpannedText,
};

/// Header keys archives print, lowercased. A block counts as a header when
/// most of its lines are `Key: value` and at least one key is among these.
const KNOWN_KEYS: &[&str] = &[
    "written", "dictated", "delivered", "discussed", "first published", "published", "first appeared",
    "source", "translated", "translation", "transcription/html markup", "transcription/markup",
    "transcription", "html markup", "markup", "transcribed", "proofread", "proofreading",
    "public domain", "copyleft", "copyright", "licence", "license", "online version", "original",
    "last updated", "last updated on", "editor", "edited", "date",
];

/// Splits a `Key: value` line; the key is short and starts with a capital.
fn split_field(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = line[..colon].trim();
    if key.is_empty() || key.len() > 40 || !key.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    if key.split_whitespace().count() > 4 || key.contains(['.', ',', '“', '"', '(']) {
        return None;
    }
    Some((key, line[colon + 1..].trim_start()))
}

/// A header line in prose, as some archive pages print it: the key it
/// stands for, and the value within the line.
fn free_field(line: &str) -> Option<(&'static str, &str)> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix("From ") {
        return Some(("Source", rest));
    }
    let lower = t.to_lowercase();
    if lower.starts_with("transcribed") || lower.starts_with("transcription") || lower.starts_with("marked up") {
        let by = lower.find(" by ")? + 4;
        let rest = &t[by..];
        let end = rest.find(" for ").or_else(|| rest.find(" from ")).unwrap_or(rest.len());
        return Some(("Transcribed", &rest[..end]));
    }
    if lower.starts_with("proofread") {
        let by = lower.find(" by ")? + 4;
        return Some(("Proofread", &t[by..]));
    }
    None
}

fn is_known(key: &str) -> bool {
    KNOWN_KEYS.contains(&key.to_lowercase().as_str())
}

/// The lines of a block with their spans.
fn lines(text: &str, span: Span) -> impl Iterator<Item = (&str, Span)> {
    let body = span.text(text);
    let mut pos = span.start;
    body.split('\n').map(move |l| {
        let s = Span::new(pos, pos + l.len());
        pos += l.len() + 1;
        (l, s)
    })
}

/// Whether a block reads as an archive header.
pub(crate) fn is_header_block(text: &str, span: Span) -> bool {
    let mut fields = 0;
    let mut known = 0;
    let mut total = 0;
    for (line, _) in lines(text, span) {
        if line.trim().is_empty() {
            continue;
        }
        total += 1;
        if let Some((key, _)) = split_field(line) {
            fields += 1;
            known += usize::from(is_known(key));
        } else if free_field(line).is_some() {
            fields += 1;
        }
    }
    known > 0 && fields * 2 >= total
}

/// A block whose whole text is one bracketed note: `[The actual article ...]`.
fn is_bracketed(s: &str) -> bool {
    let s = s.trim();
    s.starts_with('[') && s.ends_with(']') && {
        // the opening bracket closes only at the end
        let mut depth = 0i32;
        let mut closes_early = false;
        for (i, c) in s.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 && i + 1 < s.len() {
                        closes_early = true;
                    }
                }
                _ => {}
            }
        }
        !closes_early
    }
}

/// Words of page furniture: links back to indexes, to the top, to other pages.
const NAV_WORDS: &[&str] = &[
    "return", "top", "of", "the", "page", "index", "home", "contents", "content", "back", "next",
    "previous", "prev", "main", "archive", "section", "to", "chapter", "writers", "up", "go", "table",
    "marxists", "internet", "mia", "works", "trotsky", "library",
];

/// Whether a block is navigation residue.
fn is_residue(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return true;
    }
    if t.len() > 400 {
        return false; // prose, not page furniture
    }
    let lower = t.to_lowercase();
    if lower.starts_with("last updated") || lower.starts_with("top of the page") || lower.starts_with("top of page") {
        return true;
    }
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    !words.is_empty()
        && words.len() <= 24
        && words.iter().all(|w| NAV_WORDS.contains(w))
        && words.iter().any(|w| matches!(*w, "return" | "top" | "index" | "home" | "contents" | "next" | "previous" | "back"))
}

/// Classifies front matter, header, editorial note and residue among the
/// blocks, and fills the metadata from them.
///
/// `from_headings`: the blocks come from HTML or TEI, where the title and
/// author are headings; in plain text they are the short paragraphs above
/// the header.
pub(crate) fn lay_out(text: &str, blocks: &mut [Block], meta: &mut Metadata, from_headings: bool) {
    // Navigation residue at either end.
    for b in blocks.iter_mut().rev() {
        if is_residue(b.span.text(text)) {
            b.kind = BlockKind::Residue;
        } else if b.kind != BlockKind::Residue {
            break;
        }
    }
    for b in blocks.iter_mut() {
        if b.kind == BlockKind::Residue || is_residue(b.span.text(text)) && b.span.len() < 80 {
            b.kind = BlockKind::Residue;
        } else {
            break;
        }
    }
    // "Last updated" lines anywhere are residue too.
    for b in blocks.iter_mut() {
        let t = b.span.text(text).trim_start();
        if t.get(..12).is_some_and(|p| p.eq_ignore_ascii_case("last updated")) {
            b.kind = BlockKind::Residue;
            if meta.last_updated.is_none() {
                meta.last_updated = date_in(text, b.span);
            }
        }
    }

    // The header: marked by the reader, or found among the first blocks.
    let mut header: Vec<usize> = blocks.iter().enumerate().filter(|(_, b)| b.kind == BlockKind::Header).map(|(i, _)| i).collect();
    if header.is_empty() {
        for (i, b) in blocks.iter().enumerate().take(12) {
            if matches!(b.kind, BlockKind::Paragraph) && is_header_block(text, b.span) {
                header.push(i);
            } else if !header.is_empty() {
                break;
            }
        }
    }
    for &i in &header {
        blocks[i].kind = BlockKind::Header;
        for (line, span) in lines(text, blocks[i].span) {
            if let Some((key, value)) = split_field(line) {
                let value_start = span.end - value.len();
                let value = value.trim_end();
                let vspan = Span::new(value_start, value_start + value.len());
                meta.fields.push(HeaderField { key: key.to_string(), value: value.to_string(), span });
                apply_field(text, key, vspan, meta);
            } else if let Some((key, value)) = free_field(line) {
                // Headers written as prose: `From Pravda, 12 April 1922.`,
                // `Transcribed & marked up by Einde O’Callaghan for the MIA.`
                let value_start = span.start + (value.as_ptr() as usize - line.as_ptr() as usize);
                let vspan = Span::new(value_start, value_start + value.len());
                meta.fields.push(HeaderField { key: key.to_string(), value: value.to_string(), span });
                apply_field(text, key, vspan, meta);
            } else if let Some(last) = meta.fields.last_mut() {
                // A wrapped header line continues the previous field.
                if !line.trim().is_empty() {
                    last.value.push(' ');
                    last.value.push_str(line.trim());
                    last.span.end = span.end;
                }
            }
        }
    }

    // Front matter: what stands above the header (or, in HTML, the headings
    // that open the page).
    let first_header = header.first().copied();
    let front_end = first_header.unwrap_or_else(|| {
        if from_headings { blocks.iter().position(|b| !matches!(b.kind, BlockKind::Heading(_) | BlockKind::Residue)).unwrap_or(blocks.len()) } else { 0 }
    });
    let front: Vec<usize> = (0..front_end).filter(|&i| blocks[i].kind != BlockKind::Residue).collect();
    if from_headings {
        let title = front.iter().copied().find(|&i| blocks[i].kind == BlockKind::Heading(1)).or_else(|| front.first().copied());
        if let Some(t) = title {
            for &i in &front {
                blocks[i].kind = if i == t {
                    BlockKind::Title
                } else if i < t && looks_like_name(blocks[i].span.text(text)) && !blocks.iter().any(|b| b.kind == BlockKind::Author) {
                    BlockKind::Author
                } else {
                    BlockKind::Subtitle
                };
            }
        }
    } else if first_header.is_some() && !front.is_empty() {
        let title_at = if front.len() >= 2 && looks_like_name(blocks[front[0]].span.text(text)) { 1 } else { 0 };
        for (k, &i) in front.iter().enumerate() {
            blocks[i].kind = match k {
                k if k < title_at => BlockKind::Author,
                k if k == title_at => BlockKind::Title,
                _ => BlockKind::Subtitle,
            };
        }
    }
    for b in blocks.iter() {
        let value = || SpannedText { text: one_line(b.span.text(text)), span: Some(b.span) };
        match b.kind {
            BlockKind::Author => meta.authors.push(value()),
            BlockKind::Title if meta.title.is_none() => meta.title = Some(value()),
            BlockKind::Subtitle if meta.subtitle.is_none() => meta.subtitle = Some(value()),
            _ => {}
        }
    }

    // The editor's note: a bracketed block right after the header.
    if let Some(&last) = header.last()
        && let Some(b) = blocks.get_mut(last + 1)
            && is_bracketed(b.span.text(text)) {
                b.kind = BlockKind::EditorialNote;
            }
}

/// Whether a short line reads as a person's name: two to five capitalised words.
fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && !s.contains(|c: char| c.is_ascii_digit() || matches!(c, ':' | '(' | '“' | '"' | '!' | '?'))
        && words.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()) || matches!(*w, "de" | "von" | "van" | "der" | "la" | "le" | "and" | "&"))
}

/// A block's text on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn date_in(text: &str, span: Span) -> Option<SpannedDate> {
    let s = span.text(text);
    find_date(s).map(|m| SpannedDate {
        start: m.first,
        end: m.last,
        text: s[m.start..m.end].to_string(),
        span: Some(Span::new(span.start + m.start, span.start + m.end)),
    })
}

/// The value without its final full stop, unless that stop ends an initial.
fn clean(s: &str) -> String {
    let t = s.trim();
    match t.strip_suffix('.') {
        Some(rest) if !ends_with_initial(rest) => rest.trim_end().to_string(),
        _ => t.to_string(),
    }
}

fn ends_with_initial(s: &str) -> bool {
    let last = s.rsplit(|c: char| c.is_whitespace() || c == '.').next().unwrap_or("");
    last.chars().count() == 1 && last.chars().all(char::is_uppercase)
}

/// Names in a credit line: `Chris Harman and David Walters.`, `D. Walters.`;
/// a parenthesised date after a name is dropped.
fn names(value: &str) -> Vec<String> {
    let mut v = String::new();
    let mut depth = 0;
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => v.push(c),
            _ => {}
        }
    }
    v.replace(" and ", ",")
        .replace(" & ", ",")
        .split([',', ';'])
        .map(clean)
        .filter(|n| !n.is_empty())
        .collect()
}

fn apply_field(text: &str, key: &str, vspan: Span, meta: &mut Metadata) {
    let value = vspan.text(text);
    let lower = key.to_lowercase();
    let spanned = || SpannedText { text: clean(value), span: Some(vspan) };
    match lower.as_str() {
        "written" | "dictated" => meta.written = meta.written.take().or_else(|| date_in(text, vspan)),
        "delivered" | "discussed" => meta.delivered = meta.delivered.take().or_else(|| date_in(text, vspan)),
        "first published" | "published" | "first appeared" => {
            meta.first_published = meta.first_published.take().or_else(|| Some(publication(text, vspan)))
        }
        "source" | "original" => meta.source = meta.source.take().or_else(|| Some(publication(text, vspan))),
        "translated" | "translation" => meta.translated = Some(spanned()),
        "proofread" | "proofreading" => meta.proofreaders.extend(names(value)),
        "public domain" => meta.licence = Some(Licence { kind: LicenceKind::PublicDomain, text: clean(value), span: Some(vspan) }),
        "copyleft" => meta.licence = Some(Licence { kind: LicenceKind::Copyleft, text: clean(value), span: Some(vspan) }),
        "copyright" | "licence" | "license" => {
            let v = value.to_lowercase();
            let kind = if v.contains("public domain") {
                LicenceKind::PublicDomain
            } else if v.contains("share") || v.contains("by-sa") || v.contains("copyleft") {
                LicenceKind::Copyleft
            } else {
                LicenceKind::Other
            };
            meta.licence = Some(Licence { kind, text: clean(value), span: Some(vspan) });
        }
        "last updated" | "last updated on" => meta.last_updated = date_in(text, vspan),
        k if k.starts_with("transcri") || k.contains("markup") => {
            for n in names(value) {
                if !meta.transcribers.contains(&n) {
                    meta.transcribers.push(n);
                }
            }
        }
        _ => {}
    }
}

/// Splits at top-level commas, keeping byte offsets.
fn parts(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth <= 0 => {
                out.push((start, &s[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start, &s[start..]));
    out
}

fn without_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for c in s.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `The Militant, New York, Vol. 2 No. 11, July 1, 1929.`
fn publication(text: &str, vspan: Span) -> Publication {
    let value = vspan.text(text);
    let mut p = Publication { text: clean(value), span: Some(vspan), ..Publication::default() };
    let date = find_date(value);
    p.date = date.map(|m| SpannedDate {
        start: m.first,
        end: m.last,
        text: value[m.start..m.end].to_string(),
        span: Some(Span::new(vspan.start + m.start, vspan.start + m.end)),
    });
    let mut plain: Vec<String> = Vec::new();
    for (off, part) in parts(value) {
        let trimmed = part.trim().trim_end_matches('.').trim();
        if trimmed.is_empty() {
            continue;
        }
        let in_date = date.is_some_and(|m| off < m.end && m.start < off + part.len());
        // Bracketed corrections (`Vol. 26 No. 2 [Vol. 2 No. 26]`) are not read as numbers.
        let unbracketed = without_brackets(trimmed);
        let words: Vec<&str> = unbracketed.split_whitespace().collect();
        let mut numbered = false;
        let mut k = 0;
        while k < words.len() {
            let w = words[k].trim_end_matches('.').to_lowercase();
            let next = words.get(k + 1).map(|n| n.trim_end_matches(['.', ',']).to_string());
            match (w.as_str(), next) {
                ("vol" | "volume", Some(n)) => { p.volume = Some(n); numbered = true; k += 2; }
                ("no" | "nos" | "number" | "issue", Some(n)) => { p.issue = Some(n); numbered = true; k += 2; }
                ("p" | "pp" | "page" | "pages", Some(_)) => {
                    p.pages = Some(words[k + 1..].join(" ").trim_end_matches('.').to_string());
                    numbered = true;
                    k = words.len();
                }
                _ => k += 1,
            }
        }
        if !in_date && !numbered {
            plain.push(trimmed.to_string());
        }
    }
    let mut it = plain.into_iter();
    p.venue = it.next();
    if let Some(second) = it.next() {
        let words: Vec<&str> = second.split_whitespace().collect();
        if words.len() <= 4 && words.iter().all(|w| w.starts_with(|c: char| c.is_uppercase())) && !second.contains(|c: char| c.is_ascii_digit()) {
            p.place = Some(second);
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publication_line_is_taken_apart() {
        let t = "The Militant, New York, Vol. 2 No. 11, July 1, 1929.";
        let p = publication(t, Span::new(0, t.len()));
        assert_eq!(p.venue.as_deref(), Some("The Militant"));
        assert_eq!(p.place.as_deref(), Some("New York"));
        assert_eq!(p.volume.as_deref(), Some("2"));
        assert_eq!(p.issue.as_deref(), Some("11"));
        assert_eq!(p.date.map(|d| d.start.to_string()).as_deref(), Some("1929-07-01"));

        let t = "Fourth International, Vol. 1 No. 5, October 1940, pp. 115–123.";
        let p = publication(t, Span::new(0, t.len()));
        assert_eq!(p.venue.as_deref(), Some("Fourth International"));
        assert_eq!(p.place, None);
        assert_eq!(p.pages.as_deref(), Some("115–123"));
        assert_eq!(p.date.map(|d| d.start.to_string()).as_deref(), Some("1940-10"));
    }

    #[test]
    fn credit_lines_give_names() {
        assert_eq!(names("D. Walters."), vec!["D. Walters"]);
        assert_eq!(names("Chris Harman and David Walters."), vec!["Chris Harman", "David Walters"]);
        assert_eq!(names("Einde O’Callaghan (September 2015)."), vec!["Einde O’Callaghan"]);
    }

    #[test]
    fn residue_is_recognised_and_prose_is_not() {
        assert!(is_residue("return return return return return"));
        assert!(is_residue("Last updated on: 28 May 2021"));
        assert!(is_residue("Top of the page"));
        assert!(!is_residue("Then they parted."));
        assert!(!is_residue("Return to the main question of the plenum."));
    }
}
