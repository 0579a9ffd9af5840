//! TEI P5: the `teiHeader` to metadata, the `text` to canonical text, and the
//! annotations already in the markup kept with their spans.
//!
//! Entities declared in a DOCTYPE are never expanded and external entities
//! are never fetched: only XML's five predefined entities and character
//! references are decoded.

use kulisy_model::{
    find_date, Annotation, BlockKind, Diagnostic, Licence, LicenceKind, Metadata, OffsetMap, Publication, Span,
    SpannedDate, SpannedText,
};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::canon::Flow;
use crate::{Layout, ReadError};

/// The deepest element nesting read; deeper documents are refused.
const MAX_DEPTH: usize = 256;

/// Elements kept as curated annotations.
const ANNOTATED: &[&str] = &[
    "said", "q", "quote", "persName", "placeName", "orgName", "name", "rs", "note", "date", "title", "foreign", "sic", "corr",
];

struct Open {
    name: String,
    /// Index of the annotation this element opened.
    annotation: Option<usize>,
    block: bool,
}

fn attrs(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            let key = a.key.into_inner().to_string();
            let raw = a.value.into_owned();
            let value = quick_xml::escape::unescape(&raw).map(|c| c.into_owned()).unwrap_or(raw);
            (key, value)
        })
        .collect()
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or("").to_string()
}

fn block_kind(name: &str, parent_is_text_block: bool) -> Option<BlockKind> {
    Some(match name {
        "p" | "ab" | "lg" | "sp" | "opener" | "closer" | "dateline" | "salute" | "signed" | "byline" | "docAuthor" | "docTitle" => {
            BlockKind::Paragraph
        }
        "head" => BlockKind::Heading(2),
        "item" | "label" => BlockKind::ListItem,
        "l" | "speaker" => BlockKind::Paragraph,
        "quote" | "cit" if !parent_is_text_block => BlockKind::BlockQuote,
        "note" if !parent_is_text_block => BlockKind::Footnote,
        "div" | "body" | "front" | "back" | "list" | "table" | "row" | "cell" | "titlePage" | "floatingText" => BlockKind::Paragraph,
        _ => return None,
    })
}

/// Reads a TEI document already decoded to UTF-8.
pub(crate) fn read(
    name: &str,
    decoded: &str,
    map: &OffsetMap,
) -> Result<Layout, ReadError> {
    let mut reader = Reader::from_str(decoded);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut flow = Flow::new(map, decoded);
    let mut stack: Vec<Open> = Vec::new();
    let mut annotations: Vec<Annotation> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut meta = Metadata::default();
    let mut header_path: Vec<String> = Vec::new();
    let mut header_text = String::new();
    let mut in_header = false;
    let mut in_text = false;
    let mut saw_tei = false;
    let mut pending_bibl = Publication::default();
    let mut header_attrs: Vec<Vec<(String, String)>> = Vec::new();

    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| ReadError::Malformed {
            name: name.to_string(),
            reason: format!("xml error near original byte {}: {e}", map.to_original(reader.error_position() as usize)),
        })?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) if in_header => {
                header_text.clear();
                header_path.push(local(e.name().as_ref()));
                header_attrs.push(attrs(&e));
            }
            Event::Empty(e) if in_header
                // <date when="1929-03-29"/> inside <creation>
                && local(e.name().as_ref()) == "date" => {
                    header_date(&header_path, &attrs(&e), "", &mut meta, &mut pending_bibl);
                }
            Event::End(e) if in_header => {
                let n = local(e.name().as_ref());
                if n == "teiHeader" && header_path.is_empty() {
                    in_header = false;
                    if !pending_bibl.text.is_empty() || pending_bibl.venue.is_some() {
                        meta.first_published = Some(std::mem::take(&mut pending_bibl));
                    }
                    continue;
                }
                let value = header_text.split_whitespace().collect::<Vec<_>>().join(" ");
                let a = header_attrs.pop().unwrap_or_default();
                header_field(&header_path, &a, &value, &mut meta, &mut pending_bibl);
                header_path.pop();
                header_text.clear();
            }
            Event::Text(t) if in_header => header_text.push_str(&t),
            Event::GeneralRef(r) if in_header => {
                let s = r.to_string();
                header_text.push_str(&predefined(&s).unwrap_or_default());
            }
            Event::Start(e) => {
                let n = local(e.name().as_ref());
                if !saw_tei {
                    if n != "TEI" && n != "teiCorpus" {
                        return Err(ReadError::Malformed { name: name.to_string(), reason: format!("root element is <{n}>, not <TEI>") });
                    }
                    saw_tei = true;
                }
                if n == "teiHeader" {
                    in_header = true;
                    continue;
                }
                if n == "text" {
                    in_text = true;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(ReadError::Malformed { name: name.to_string(), reason: format!("elements nest deeper than {MAX_DEPTH}") });
                }
                let parent_is_text_block = stack.iter().any(|o| o.block && matches!(o.name.as_str(), "p" | "ab" | "l" | "item" | "head"));
                let kind = if in_text { block_kind(&n, parent_is_text_block) } else { None };
                if let Some(k) = kind {
                    flow.block(k);
                } else if in_text && n == "note" {
                    flow.space(before);
                }
                let annotation = (in_text && ANNOTATED.contains(&n.as_str())).then(|| {
                    annotations.push(Annotation { element: n.clone(), attributes: attrs(&e), span: Span::new(usize::MAX, 0) });
                    annotations.len() - 1
                });
                stack.push(Open { name: n, annotation, block: kind.is_some() });
            }
            Event::Empty(e) => {
                let n = local(e.name().as_ref());
                if !saw_tei {
                    return Err(ReadError::Malformed { name: name.to_string(), reason: format!("root element is <{n}>, not <TEI>") });
                }
                if in_text && matches!(n.as_str(), "lb" | "cb") {
                    flow.line_break();
                }
            }
            Event::End(_) => {
                if let Some(open) = stack.pop() {
                    if open.name == "note" && !open.block {
                        flow.space(before);
                    }
                    if let Some(i) = open.annotation {
                        let end = flow.out.len();
                        let a = &mut annotations[i];
                        if a.span.start == usize::MAX {
                            a.span = Span::new(end, end);
                        } else {
                            a.span.end = end;
                        }
                    }
                    if open.block {
                        let parent = stack.iter().rev().find(|o| o.block).map(|o| o.name.clone());
                        let pib = stack.iter().any(|o| o.block && matches!(o.name.as_str(), "p" | "ab" | "l" | "item" | "head"));
                        flow.block(parent.and_then(|p| block_kind(&p, pib)).unwrap_or(BlockKind::Paragraph));
                    }
                    if open.name == "text" {
                        in_text = false;
                    }
                }
            }
            Event::Text(_) if in_text => {
                let raw = decoded.get(before..after).unwrap_or("");
                mark_open_annotations(&stack, &mut annotations, &flow, raw);
                flow.text(before, raw);
            }
            Event::CData(_) if in_text => {
                // <![CDATA[ ... ]]>: the content is literal text.
                let inner_start = before + 9;
                let inner_end = after.saturating_sub(3).max(inner_start);
                let raw = decoded.get(inner_start..inner_end).unwrap_or("");
                mark_open_annotations(&stack, &mut annotations, &flow, raw);
                flow.text(inner_start, raw);
            }
            Event::GeneralRef(r) if in_text => {
                let s = r.to_string();
                match predefined(&s) {
                    Some(c) => {
                        mark_open_annotations(&stack, &mut annotations, &flow, "x");
                        flow.replaced(Span::new(before, after), &c);
                    }
                    None => {
                        mark_open_annotations(&stack, &mut annotations, &flow, "x");
                        let raw = decoded.get(before..after).unwrap_or("");
                        flow.text(before, raw);
                        diagnostics.push(Diagnostic::warning(
                            "entity-not-expanded",
                            format!("entity reference &{s}; is not expanded: kulisy never resolves entities declared in a doctype"),
                            None,
                        ));
                    }
                }
            }
            Event::DocType(d)
                if d.contains("ENTITY") => {
                    diagnostics.push(Diagnostic::warning(
                        "doctype-entities-ignored",
                        "the doctype declares entities; they are ignored and never fetched",
                        None,
                    ));
                }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_tei {
        return Err(ReadError::Malformed { name: name.to_string(), reason: "no <TEI> element".into() });
    }
    let (text, offsets, blocks) = flow.finish(map.orig_len());
    let mut annotations: Vec<Annotation> = annotations.into_iter().filter(|a| a.span.start != usize::MAX).collect();
    // Spans were opened before a possible separator: move starts past white space.
    for a in &mut annotations {
        while a.span.start < a.span.end && text.as_bytes().get(a.span.start).is_some_and(|b| b.is_ascii_whitespace()) {
            a.span.start += 1;
        }
        a.span.end = a.span.end.min(text.len()).max(a.span.start);
    }
    Ok(Layout { text, offsets, blocks, metadata: meta, annotations, diagnostics })
}

/// Opens the spans of annotations that have no text yet, at the place the
/// next text will start.
fn mark_open_annotations(stack: &[Open], annotations: &mut [Annotation], flow: &Flow<'_>, next: &str) {
    if next.trim().is_empty() {
        return;
    }
    let at = flow.out.len();
    for o in stack {
        if let Some(i) = o.annotation
            && annotations[i].span.start == usize::MAX {
                annotations[i].span = Span::new(at, at);
            }
    }
}

/// XML's predefined entities and character references; `None` for anything else.
fn predefined(name: &str) -> Option<String> {
    Some(match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?.to_string()
        }
    })
}

fn attr<'a>(a: &'a [(String, String)], key: &str) -> Option<&'a str> {
    a.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn iso_date(s: &str) -> Option<SpannedDate> {
    let m = find_date(s)?;
    Some(SpannedDate { start: m.first, end: m.last, text: s.to_string(), span: None })
}

fn header_date(path: &[String], a: &[(String, String)], value: &str, meta: &mut Metadata, bibl: &mut Publication) {
    let when = attr(a, "when").or(attr(a, "notBefore")).map(str::to_string).unwrap_or_else(|| value.to_string());
    let Some(d) = iso_date(&when) else { return };
    let d = SpannedDate { text: if value.is_empty() { when.clone() } else { value.to_string() }, ..d };
    if path.iter().any(|p| p == "creation") {
        meta.written.get_or_insert(d);
    } else if path.iter().any(|p| p == "sourceDesc") {
        bibl.date.get_or_insert(d);
    }
}

fn header_field(path: &[String], a: &[(String, String)], value: &str, meta: &mut Metadata, bibl: &mut Publication) {
    let Some(leaf) = path.last().map(String::as_str) else { return };
    let within = |p: &str| path.iter().any(|x| x == p);
    let text = || SpannedText { text: value.to_string(), span: None };
    match leaf {
        "title" if within("titleStmt") && !within("sourceDesc") => {
            if meta.title.is_none() && attr(a, "type").is_none_or(|t| t == "main") {
                meta.title = Some(text());
            } else if meta.subtitle.is_none() {
                meta.subtitle = Some(text());
            }
        }
        "author" if within("titleStmt") && !value.is_empty() => meta.authors.push(text()),
        "name" | "persName" if within("respStmt") && !value.is_empty() => {
            meta.transcribers.push(value.to_string());
        }
        "licence" | "p" if within("availability") && !value.is_empty() => {
            let lower = value.to_lowercase();
            let target = attr(a, "target").unwrap_or("").to_lowercase();
            let kind = if lower.contains("public domain") || target.contains("publicdomain") {
                LicenceKind::PublicDomain
            } else if lower.contains("share") || lower.contains("by-sa") || target.contains("by-sa") {
                LicenceKind::Copyleft
            } else {
                LicenceKind::Other
            };
            meta.licence.get_or_insert(Licence { kind, text: value.to_string(), span: None });
        }
        "date" => header_date(path, a, value, meta, bibl),
        "title" if within("sourceDesc") => {
            if bibl.venue.is_none() {
                bibl.venue = Some(value.to_string());
            }
            if !bibl.text.is_empty() {
                bibl.text.push_str(", ");
            }
            bibl.text.push_str(value);
        }
        "pubPlace" if within("sourceDesc") => bibl.place = Some(value.to_string()),
        "biblScope" if within("sourceDesc") => match attr(a, "unit").or(attr(a, "type")) {
            Some("volume" | "vol") => bibl.volume = Some(value.to_string()),
            Some("issue" | "number" | "no") => bibl.issue = Some(value.to_string()),
            Some("page" | "pp" | "pages") => bibl.pages = Some(value.to_string()),
            _ => {}
        },
        _ => {}
    }
}
