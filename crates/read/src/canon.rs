//! Building canonical text while keeping every byte's way back to the original.

use kulisy_model::{Block, BlockKind, OffsetMap, OffsetMapBuilder, Span};

/// Appends canonical text whose pieces come from the decoded source, and
/// records in the offset map where each piece came from in the original bytes.
pub(crate) struct CanonBuilder<'a> {
    /// Decoded offsets to original offsets.
    decoded: &'a OffsetMap,
    pub text: String,
    map: OffsetMapBuilder,
}

impl<'a> CanonBuilder<'a> {
    pub fn new(decoded: &'a OffsetMap, capacity: usize) -> Self {
        CanonBuilder { decoded, text: String::with_capacity(capacity), map: OffsetMapBuilder::new() }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Appends `s`, which stands literally at decoded offset `at`.
    pub fn copy(&mut self, at: usize, s: &str) {
        if s.is_empty() {
            return;
        }
        self.text.push_str(s);
        let end = at + s.len();
        let segs = self.decoded.segments();
        if let [only] = segs
            && only.copy {
                self.map.copy(only.orig + at - only.canon, s.len());
                return;
            }
        // Walk the decoding segments the piece overlaps.
        let mut i = segs.partition_point(|g| g.canon + g.canon_len <= at);
        let mut pos = at;
        while pos < end {
            let Some(g) = segs.get(i) else { break };
            let g_end = g.canon + g.canon_len;
            let stop = end.min(g_end);
            if g.copy {
                self.map.copy(g.orig + (pos - g.canon), stop - pos);
            } else {
                // A decoding unit (or part of one): map to the whole unit.
                self.map.replace(Span::new(g.orig, g.orig + g.orig_len), stop - pos);
            }
            pos = stop;
            i += 1;
        }
    }

    /// Appends `s` standing for the decoded range `from` as a whole (an
    /// entity, a line end, a run of markup and white space).
    pub fn replace(&mut self, from: Span, s: &str) {
        if s.is_empty() {
            return;
        }
        self.text.push_str(s);
        let orig = self.decoded.to_original_span(from);
        self.map.replace(orig, s.len());
    }

    pub fn finish(self, orig_len: usize) -> (String, OffsetMap) {
        (self.text, self.map.finish(orig_len))
    }
}

/// A stream of inline text with HTML-like white-space rules: runs of white
/// space collapse to one space, blocks are separated by a blank line, a line
/// break by a newline. Used by the HTML and TEI readers.
pub(crate) struct Flow<'a> {
    pub out: CanonBuilder<'a>,
    /// The decoded source the offsets refer to.
    src: &'a str,
    /// Decoded offset where the last emitted text ended.
    last_end: usize,
    /// The strongest break requested since the last text: 0 none, 1 space, 2 line, 3 block.
    pending: u8,
    /// Where pending white space began, when it was white space rather than markup.
    block_start: Option<usize>,
    pub blocks: Vec<Block>,
    kind: BlockKind,
    /// Whether white space is kept as it is (`<pre>`).
    pub preserve: bool,
}

impl<'a> Flow<'a> {
    pub fn new(decoded: &'a OffsetMap, src: &'a str) -> Self {
        Flow {
            out: CanonBuilder::new(decoded, src.len() / 2),
            src,
            last_end: 0,
            pending: 0,
            block_start: None,
            blocks: Vec::new(),
            kind: BlockKind::Paragraph,
            preserve: false,
        }
    }

    /// Ends the current block; the next text starts a block of `kind`.
    pub fn block(&mut self, kind: BlockKind) {
        self.close_block();
        self.pending = self.pending.max(3);
        self.kind = kind;
    }

    /// White space between inline elements that print apart (an inline note).
    pub fn space(&mut self, at: usize) {
        if self.pending == 0 && self.block_start.is_some() {
            self.pending = 1;
            self.last_end = at;
        }
    }

    /// A line break within the block.
    pub fn line_break(&mut self) {
        if self.block_start.is_some() {
            self.pending = self.pending.max(2);
        }
    }

    fn close_block(&mut self) {
        if let Some(start) = self.block_start.take() {
            let end = self.out.len();
            if end > start {
                self.blocks.push(Block { kind: self.kind, span: Span::new(start, end) });
            }
        }
    }

    /// Emits the separator owed before text at decoded offset `at`.
    fn separate(&mut self, at: usize) {
        if self.block_start.is_none() {
            if self.out.len() > 0 {
                self.out.replace(Span::new(self.last_end, at), "\n\n");
            }
            self.block_start = Some(self.out.len());
        } else {
            match self.pending {
                0 => {}
                1 => self.out.replace(Span::new(self.last_end, at), " "),
                2 => self.out.replace(Span::new(self.last_end, at), "\n"),
                _ => {}
            }
        }
        self.pending = 0;
    }

    /// Text standing literally at decoded offset `at`, white space still raw.
    ///
    /// Words separated by single spaces are copied as one run, so that the
    /// common case costs one append and one map segment per run of prose.
    pub fn text(&mut self, at: usize, s: &str) {
        if self.preserve {
            return self.preformatted(at, s);
        }
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let ws_start = i;
            while let Some(n) = space_len(b, i) {
                i += n;
            }
            if i > ws_start && self.pending == 0 {
                self.pending = 1;
                self.last_end = at + ws_start;
            }
            if i >= b.len() {
                break;
            }
            let run_start = i;
            let mut j = i;
            loop {
                while j < b.len() && space_len(b, j).is_none() {
                    j += 1;
                }
                // A single ordinary space between words stays inside the run.
                if j + 1 < b.len() && b[j] == b' ' && space_len(b, j + 1).is_none() {
                    j += 1;
                    continue;
                }
                break;
            }
            if self.pending == 1 && self.block_start.is_some() {
                self.collapse_space(at + run_start);
            } else {
                self.separate(at + run_start);
            }
            self.out.copy(at + run_start, &s[run_start..j]);
            self.last_end = at + j;
            i = j;
        }
    }

    /// A decoded character standing for the decoded range `from` (an entity).
    pub fn replaced(&mut self, from: Span, s: &str) {
        if s.chars().all(is_space) {
            if self.pending == 0 {
                self.pending = 1;
                self.last_end = from.start;
            }
            return;
        }
        if self.pending == 1 && self.block_start.is_some() {
            self.collapse_space(from.start);
        } else {
            self.separate(from.start);
        }
        self.out.replace(from, s);
        self.last_end = from.end;
    }

    /// The white space (and markup) from the last text up to `at` becomes one
    /// space. A lone space is copied rather than replaced, so that the offset
    /// map keeps one segment for a run of ordinary prose.
    fn collapse_space(&mut self, at: usize) {
        let ws = Span::new(self.last_end, at);
        if ws.len() == 1 && self.src.as_bytes().get(ws.start) == Some(&b' ') {
            self.out.copy(ws.start, " ");
        } else {
            self.out.replace(ws, " ");
        }
        self.pending = 0;
    }

    fn preformatted(&mut self, at: usize, s: &str) {
        for (i, line) in s.split('\n').enumerate() {
            let start = at + s.split('\n').take(i).map(|l| l.len() + 1).sum::<usize>();
            if i > 0 {
                self.pending = self.pending.max(2);
                if self.pending == 2 && self.block_start.is_some() {
                    self.last_end = start - 1;
                }
            }
            let trimmed = line.trim_end_matches('\r');
            if !trimmed.trim().is_empty() {
                self.separate(start);
                self.out.copy(start, trimmed);
                self.last_end = start + trimmed.len();
            }
        }
    }

    pub fn finish(mut self, orig_len: usize) -> (String, OffsetMap, Vec<Block>) {
        self.close_block();
        let blocks = self.blocks;
        let (text, map) = self.out.finish(orig_len);
        (text, map, blocks)
    }
}

/// The length of the white space character at byte `i`, if there is one:
/// ASCII white space, or the no-break space (`C2 A0`).
fn space_len(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0C => Some(1),
        0xC2 if b.get(i + 1) == Some(&0xA0) => Some(2),
        _ => None,
    }
}

/// White space as HTML and TEI collapse it, the no-break space included.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C' | '\u{A0}')
}
