//! HTML: text of the body in document order, blocks from block elements,
//! entities decoded, scripts and styles ignored.

use html5gum::{DefaultEmitter, Token, Tokenizer};
use kulisy_model::{BlockKind, Diagnostic, Metadata, OffsetMap, Span, SpannedText};

use crate::canon::Flow;
use crate::header::lay_out;
use crate::Layout;

/// Elements whose content is not text of the page.
const SKIPPED: &[&str] = &["head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "select", "button"];

/// The deepest element nesting followed; deeper tags are treated as transparent.
const MAX_DEPTH: usize = 256;

/// Elements that start and end a block.
const BLOCKS: &[&str] = &[
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "dt", "dd", "tr", "td", "th", "table",
    "pre", "hr", "ul", "ol", "dl", "center", "section", "article", "header", "footer", "nav", "aside", "address",
    "figure", "figcaption", "caption", "main", "body", "form", "fieldset", "legend", "details", "summary",
];

struct Open {
    name: String,
    kind: Option<BlockKind>,
}

/// The kind a block element gives its text, from its name and class.
fn kind_of(name: &str, class: &str) -> Option<BlockKind> {
    let class = class.to_ascii_lowercase();
    let has = |w: &str| class.split_whitespace().any(|c| c.contains(w));
    Some(match name {
        "h1" => BlockKind::Heading(1),
        "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        _ if has("information") || class.split_whitespace().any(|c| c == "info") => BlockKind::Header,
        _ if has("updat") || has("footer") || has("nav") || has("toplink") => BlockKind::Residue,
        _ if has("endnote") || has("footnote") || class.split_whitespace().any(|c| c == "note" || c == "fst-note") => BlockKind::Footnote,
        "blockquote" => BlockKind::BlockQuote,
        _ if has("quote") || has("indent") => BlockKind::BlockQuote,
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "nav" | "footer" => BlockKind::Residue,
        _ => return None,
    })
}

/// Reads HTML already decoded to UTF-8 (`map`: decoded offsets to original).
pub(crate) fn read(decoded: &str, map: &OffsetMap) -> Layout {
    let mut flow = Flow::new(map, decoded);
    let mut stack: Vec<Open> = Vec::new();
    let mut skip_depth = 0usize;
    let mut in_title = false;
    let mut page_title = String::new();
    let mut diagnostics = Vec::new();
    let mut in_pre = 0usize;

    let current_kind = |stack: &[Open]| stack.iter().rev().find_map(|o| o.kind).unwrap_or(BlockKind::Paragraph);

    for token in Tokenizer::new_with_emitter(decoded, DefaultEmitter::new_with_span()) {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "title" {
                    in_title = !tag.self_closing;
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    // Deeper markup is read as if transparent: no page nests this deep.
                    continue;
                }
                if SKIPPED.contains(&name.as_str()) {
                    if !tag.self_closing {
                        skip_depth += 1;
                        stack.push(Open { name, kind: None });
                    }
                    continue;
                }
                if skip_depth > 0 {
                    continue;
                }
                if name == "br" {
                    flow.line_break();
                    continue;
                }
                if name == "img" || name == "hr" || name == "area" {
                    if name == "hr" {
                        flow.block(current_kind(&stack));
                    }
                    continue;
                }
                if BLOCKS.contains(&name.as_str()) {
                    let class = tag.attributes.get(&b"class"[..]).map(|v| String::from_utf8_lossy(v).into_owned()).unwrap_or_default();
                    let kind = kind_of(&name, &class);
                    if name == "pre" {
                        in_pre += 1;
                        flow.preserve = true;
                    }
                    if tag.self_closing {
                        continue;
                    }
                    // A new <p> or <li> closes an open one of the same name (HTML's implied end tags).
                    if matches!(name.as_str(), "p" | "li" | "dt" | "dd")
                        && let Some(pos) = stack.iter().rposition(|o| o.name == name)
                            && stack[pos + 1..].iter().all(|o| !BLOCKS.contains(&o.name.as_str()) || o.name == name) {
                                stack.truncate(pos);
                            }
                    stack.push(Open { name, kind });
                    flow.block(current_kind(&stack));
                } else if !tag.self_closing && !is_void(&name) {
                    stack.push(Open { name, kind: None });
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "title" {
                    in_title = false;
                    continue;
                }
                if let Some(pos) = stack.iter().rposition(|o| o.name == name) {
                    let removed: Vec<Open> = stack.drain(pos..).collect();
                    for o in &removed {
                        if SKIPPED.contains(&o.name.as_str()) {
                            skip_depth = skip_depth.saturating_sub(1);
                        }
                        if o.name == "pre" {
                            in_pre = in_pre.saturating_sub(1);
                            flow.preserve = in_pre > 0;
                        }
                    }
                    if skip_depth == 0 && removed.iter().any(|o| BLOCKS.contains(&o.name.as_str())) {
                        flow.block(current_kind(&stack));
                    }
                } else if name == "br" || name == "p" {
                    // </br> and a stray </p> act as breaks in browsers.
                    flow.line_break();
                }
            }
            Token::String(s) => {
                let span = s.span;
                if in_title {
                    page_title.push_str(&String::from_utf8_lossy(&s.value));
                    continue;
                }
                if skip_depth > 0 {
                    continue;
                }
                let raw = decoded.get(span.start..span.end).unwrap_or("");
                push_decoded(&mut flow, span.start, raw);
            }
            Token::Comment(_) | Token::Doctype(_) => {}
            Token::Error(e) => {
                if diagnostics.len() < 20 {
                    let at = map.to_original(e.span.start);
                    diagnostics.push(Diagnostic::info("html-syntax", format!("html syntax error at original byte {at}: {}", e.value), None));
                }
            }
        }
    }
    let (text, offsets, mut blocks) = flow.finish(map.orig_len());
    let mut meta = Metadata::default();
    lay_out(&text, &mut blocks, &mut meta, true);
    if meta.title.is_none() {
        let t = page_title.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            meta.title = Some(SpannedText { text: t, span: None });
        }
    }
    Layout { text, offsets, blocks, metadata: meta, annotations: Vec::new(), diagnostics }
}

fn is_void(name: &str) -> bool {
    matches!(name, "area" | "base" | "br" | "col" | "embed" | "hr" | "img" | "input" | "link" | "meta" | "param" | "source" | "track" | "wbr")
}

/// Pushes raw character data standing at decoded offset `at`, decoding
/// character references one by one so that each maps to its own source bytes.
pub(crate) fn push_decoded(flow: &mut Flow<'_>, at: usize, raw: &str) {
    let bytes = raw.as_bytes();
    let mut pos = 0;
    while let Some(amp) = memchr::memchr(b'&', &bytes[pos..]).map(|i| i + pos) {
        let end = reference_end(bytes, amp);
        if end > amp + 1 {
            let candidate = &raw[amp..end];
            let decoded = htmlize::unescape(candidate);
            if decoded != candidate {
                // Legacy references without `;` may decode only a prefix.
                let common = candidate.bytes().rev().zip(decoded.bytes().rev()).take_while(|(a, b)| a == b).count();
                let common = common.min(candidate.len() - 1).min(decoded.len());
                let (mut ref_end, mut dec_len) = (end - common, decoded.len() - common);
                if !raw.is_char_boundary(ref_end) || !decoded.is_char_boundary(dec_len) {
                    (ref_end, dec_len) = (end, decoded.len());
                }
                let dec = &decoded[..dec_len];
                flow.text(at + pos, &raw[pos..amp]);
                flow.replaced(Span::new(at + amp, at + ref_end), dec);
                pos = ref_end;
                continue;
            }
        }
        flow.text(at + pos, &raw[pos..amp + 1]);
        pos = amp + 1;
    }
    flow.text(at + pos, &raw[pos..]);
}

/// The end of a character reference candidate starting at `amp`.
fn reference_end(b: &[u8], amp: usize) -> usize {
    let mut i = amp + 1;
    if b.get(i) == Some(&b'#') {
        i += 1;
        if matches!(b.get(i), Some(b'x' | b'X')) {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_hexdigit) {
                i += 1;
            }
        } else {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    } else {
        while b.get(i).is_some_and(u8::is_ascii_alphanumeric) && i - amp < 40 {
            i += 1;
        }
    }
    if b.get(i) == Some(&b';') {
        i += 1;
    }
    i
}
