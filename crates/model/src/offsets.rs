use crate::Span;

/// One piece of the correspondence between canonical text and original bytes.
///
/// A copy segment maps byte for byte (the canonical bytes are the original
/// bytes, or a same-length recoding of them); a replacement maps a canonical
/// range to an original range as a whole (`&amp;` to `&`, `\r\n` to `\n`, a
/// run of markup and white space to a paragraph break).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Start in the canonical text.
    pub canon: usize,
    /// Length in the canonical text.
    pub canon_len: usize,
    /// Start in the original bytes.
    pub orig: usize,
    /// Length in the original bytes; never zero.
    pub orig_len: usize,
    /// Whether the segment maps byte for byte.
    pub copy: bool,
}

impl Segment {
    fn canon_end(&self) -> usize {
        self.canon + self.canon_len
    }
    fn orig_end(&self) -> usize {
        self.orig + self.orig_len
    }
}

/// The map from canonical text offsets to original byte offsets and back.
///
/// Every canonical byte comes from some original bytes; original bytes that
/// produce no canonical text (markup, a byte-order mark) fall in the gaps
/// between segments. Both sides increase together, so both directions are a
/// binary search.
///
/// Round trip: for an offset at a segment start or inside a copy segment,
/// mapping to the other side and back gives the offset again. An offset inside
/// a replacement snaps to the replacement's start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segments: Vec<Segment>,
    canon_len: usize,
    orig_len: usize,
}

impl OffsetMap {
    /// The identity map over `len` bytes.
    pub fn identity(len: usize) -> OffsetMap {
        let mut b = OffsetMapBuilder::new();
        b.copy(0, len);
        b.finish(len)
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The canonical text's length in bytes.
    pub fn canon_len(&self) -> usize {
        self.canon_len
    }

    /// The original's length in bytes.
    pub fn orig_len(&self) -> usize {
        self.orig_len
    }

    /// The original offset of canonical offset `c` (clamped to the text).
    pub fn to_original(&self, c: usize) -> usize {
        if c >= self.canon_len {
            return self.segments.last().map_or(self.orig_len.min(c), |s| s.orig_end());
        }
        let i = self.segments.partition_point(|s| s.canon_end() <= c);
        match self.segments.get(i) {
            Some(s) if s.copy => s.orig + (c - s.canon),
            Some(s) => s.orig,
            None => self.orig_len,
        }
    }

    /// The original byte range that produced canonical `span`.
    pub fn to_original_span(&self, span: Span) -> Span {
        let start = self.to_original(span.start);
        if span.is_empty() {
            return Span::new(start, start);
        }
        let last = span.end - 1;
        let i = self.segments.partition_point(|s| s.canon_end() <= last);
        let end = match self.segments.get(i) {
            Some(s) if s.copy => s.orig + (span.end.min(s.canon_end()) - s.canon),
            Some(s) => s.orig_end(),
            None => self.orig_len,
        };
        Span::new(start, end)
    }

    /// The canonical offset of original offset `o`: inside markup that
    /// produced no text, the canonical offset where the next text begins.
    pub fn to_canonical(&self, o: usize) -> usize {
        let i = self.segments.partition_point(|s| s.orig_end() <= o);
        match self.segments.get(i) {
            Some(s) if s.copy && o >= s.orig => s.canon + (o - s.orig),
            Some(s) => s.canon,
            None => self.canon_len,
        }
    }
}

/// Builds an [`OffsetMap`] while a reader appends canonical text in order.
#[derive(Debug, Default)]
pub struct OffsetMapBuilder {
    segments: Vec<Segment>,
    canon: usize,
}

impl OffsetMapBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The canonical length so far.
    pub fn canon_len(&self) -> usize {
        self.canon
    }

    /// `len` canonical bytes copied from original offset `orig`.
    pub fn copy(&mut self, orig: usize, len: usize) {
        self.push(Segment { canon: self.canon, canon_len: len, orig, orig_len: len, copy: true });
    }

    /// `canon_len` canonical bytes standing for the original range `orig`.
    /// A replacement of an empty original range is ignored in the map (its
    /// canonical bytes then belong to the preceding segment's end).
    pub fn replace(&mut self, orig: Span, canon_len: usize) {
        if orig.is_empty() {
            // Canonical bytes with no original of their own: extend the previous
            // segment so that no canonical byte is left unmapped.
            if let Some(last) = self.segments.last_mut() {
                last.canon_len += canon_len;
                last.copy = false;
                self.canon += canon_len;
                return;
            }
        }
        self.push(Segment {
            canon: self.canon,
            canon_len,
            orig: orig.start,
            orig_len: orig.len().max(1),
            copy: false,
        });
    }

    fn push(&mut self, seg: Segment) {
        if seg.canon_len == 0 {
            return;
        }
        self.canon += seg.canon_len;
        if seg.copy
            && let Some(last) = self.segments.last_mut()
                && last.copy && last.canon_end() == seg.canon && last.orig_end() == seg.orig {
                    last.canon_len += seg.canon_len;
                    last.orig_len += seg.orig_len;
                    return;
                }
        self.segments.push(seg);
    }

    /// The finished map over an original of `orig_len` bytes.
    pub fn finish(self, orig_len: usize) -> OffsetMap {
        OffsetMap { segments: self.segments, canon_len: self.canon, orig_len }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn entity_replacement_maps_as_a_whole() {
        // "a&amp;b" -> "a&b"
        let mut b = OffsetMapBuilder::new();
        b.copy(0, 1);
        b.replace(Span::new(1, 6), 1);
        b.copy(6, 1);
        let m = b.finish(7);
        assert_eq!(m.to_original(0), 0);
        assert_eq!(m.to_original(1), 1);
        assert_eq!(m.to_original(2), 6);
        assert_eq!(m.to_original_span(Span::new(1, 2)), Span::new(1, 6));
        assert_eq!(m.to_canonical(3), 1);
        assert_eq!(m.to_canonical(6), 2);
        assert_eq!(m.to_canonical(7), 3);
    }

    #[test]
    fn skipped_markup_maps_to_the_next_text() {
        // "<b>x</b>" -> "x"
        let mut b = OffsetMapBuilder::new();
        b.copy(3, 1);
        let m = b.finish(8);
        assert_eq!(m.to_canonical(0), 0);
        assert_eq!(m.to_canonical(4), 1);
        assert_eq!(m.to_original_span(Span::new(0, 1)), Span::new(3, 4));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Copy(usize),
        Skip(usize),
        Replace(usize, usize),
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        prop::collection::vec(
            prop_oneof![
                (1usize..20).prop_map(Op::Copy),
                (1usize..20).prop_map(Op::Skip),
                (1usize..10, 1usize..10).prop_map(|(a, b)| Op::Replace(a, b)),
            ],
            0..40,
        )
    }

    proptest! {
        #[test]
        fn round_trips_at_segment_starts_and_inside_copies(ops in ops()) {
            let mut b = OffsetMapBuilder::new();
            let mut orig = 0;
            for op in &ops {
                match *op {
                    Op::Copy(n) => { b.copy(orig, n); orig += n; }
                    Op::Skip(n) => orig += n,
                    Op::Replace(o, c) => { b.replace(Span::new(orig, orig + o), c); orig += o; }
                }
            }
            let m = b.finish(orig);
            for s in m.segments() {
                let points: Vec<usize> = if s.copy { (s.canon..s.canon_end()).collect() } else { vec![s.canon] };
                for c in points {
                    let o = m.to_original(c);
                    prop_assert_eq!(m.to_canonical(o), c);
                }
                let opoints: Vec<usize> = if s.copy { (s.orig..s.orig_end()).collect() } else { vec![s.orig] };
                for o in opoints {
                    let c = m.to_canonical(o);
                    prop_assert_eq!(m.to_original(c), o);
                }
            }
            // Monotone in both directions.
            let mut prev = 0;
            for c in 0..=m.canon_len() {
                let o = m.to_original(c);
                prop_assert!(o >= prev);
                prev = o;
            }
        }
    }
}
