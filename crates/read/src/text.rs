//! Plain text: line ends normalised, paragraphs at blank lines.

use kulisy_model::{Block, BlockKind, Metadata, OffsetMap, Span};

use crate::canon::CanonBuilder;
use crate::header::lay_out;
use crate::Layout;

/// Canonical text (`\r\n` and `\r` become `\n`), its map, and its blocks.
pub(crate) fn read(decoded: &str, map: &OffsetMap) -> Layout {
    let mut out = CanonBuilder::new(map, decoded.len());
    let bytes = decoded.as_bytes();
    let mut pos = 0;
    for cr in memchr::memchr_iter(b'\r', bytes) {
        if cr < pos {
            continue;
        }
        out.copy(pos, &decoded[pos..cr]);
        let len = if bytes.get(cr + 1) == Some(&b'\n') { 2 } else { 1 };
        out.replace(Span::new(cr, cr + len), "\n");
        pos = cr + len;
    }
    out.copy(pos, &decoded[pos..]);
    let (text, offsets) = out.finish(map.orig_len());
    let mut blocks = paragraphs(&text);
    let mut meta = Metadata::default();
    lay_out(&text, &mut blocks, &mut meta, false);
    mark_headings(&text, &mut blocks);
    Layout { text, offsets, blocks, metadata: meta, annotations: Vec::new(), diagnostics: Vec::new() }
}

/// Paragraphs: runs of lines separated by blank lines, trimmed.
fn paragraphs(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                blocks.push(Block { kind: BlockKind::Paragraph, span: Span::new(s, end) });
            }
        } else {
            let lead = content.len() - content.trim_start().len();
            if start.is_none() {
                start = Some(pos + lead);
            }
            end = pos + content.trim_end().len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        blocks.push(Block { kind: BlockKind::Paragraph, span: Span::new(s, end) });
    }
    blocks
}

/// A one-line paragraph of a few words with no closing punctuation, set
/// between paragraphs of the body, is a section heading.
fn mark_headings(text: &str, blocks: &mut [Block]) {
    for b in blocks.iter_mut().filter(|b| b.kind == BlockKind::Paragraph) {
        let s = b.span.text(text);
        let words = s.split_whitespace().count();
        if !s.contains('\n')
            && (1..=10).contains(&words)
            && s.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            && !s.ends_with(|c: char| ".,;:!?”\"’'–—-)".contains(c))
            && !s.contains(['“', '"'])
        {
            b.kind = BlockKind::Heading(2);
        }
    }
}
