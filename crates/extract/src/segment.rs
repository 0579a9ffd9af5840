//! Quotations and editorial layers.
//!
//! One left-to-right pass over the text blocks keeps a stack of open
//! quotation marks and brackets. Apostrophes are told from single quotation
//! marks by their neighbours; a quotation still open at the end of a
//! paragraph continues when the next paragraph opens with the same mark (the
//! convention for speech over several paragraphs) and is otherwise closed
//! there with a diagnostic. Mismatched marks are recovered the same way:
//! whatever is open inside is closed where its container closes.

use kulisy_model::{
    Block, BlockKind, Diagnostic, Document, Layer, LayerKind, QuoteKind, Quotation, Segmentation, Sentence, Span,
};

use crate::sentences::sentences;

/// Which marks pair with which.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    /// “ ” „ and straight double quotes.
    Double,
    /// ‘ ’ ‚ and straight single quotes.
    Single,
    /// « »
    Guillemet,
    /// ‹ ›
    SingleGuillemet,
    /// [ ]
    Bracket,
    /// ( )
    Paren,
}

impl Family {
    fn is_quote(self) -> bool {
        !matches!(self, Family::Bracket | Family::Paren)
    }
}

#[derive(Clone, Copy, Debug)]
enum Mark {
    Open(Family),
    Close(Family),
}

/// An open quotation or bracket on the stack.
#[derive(Debug)]
struct OpenItem {
    family: Family,
    /// Offset of the opening mark.
    start: usize,
    open_char: char,
    /// Where the current piece of content starts.
    piece_start: usize,
    pieces: Vec<Span>,
    block: usize,
    /// Index in the output vectors, reserved when opened so that outer items
    /// come before inner ones.
    index: usize,
}

/// Segments the text blocks of `doc`.
pub fn segment(doc: &Document) -> Segmentation {
    let text = doc.text.as_str();
    let mut seg = Segmentation::default();
    let blocks: Vec<(usize, &Block)> = doc.blocks.iter().enumerate().filter(|(_, b)| is_segmented(b.kind)).collect();
    for &(bi, b) in &blocks {
        for s in sentences(text, b.span) {
            seg.sentences.push(Sentence { span: s, block: bi });
        }
    }
    let mut scanner = Scanner { block_starts: doc.blocks.iter().map(|b| b.span.start).collect(), too_deep: false, text, seg, quotes: Vec::new(), layers: Vec::new(), stack: Vec::new() };
    for (k, &(bi, b)) in blocks.iter().enumerate() {
        let next = blocks.get(k + 1).map(|(_, nb)| *nb);
        scanner.block(bi, b, next);
    }
    scanner.finish()
}

fn is_segmented(kind: BlockKind) -> bool {
    kind.is_text() || matches!(kind, BlockKind::EditorialNote | BlockKind::Title | BlockKind::Subtitle)
}

/// Bytes that may start a mark: ASCII quotes and brackets, and the lead
/// bytes of the curly quotation marks (`E2`) and guillemets (`C2`).
const MAY_MARK: [bool; 256] = {
    let mut t = [false; 256];
    let ascii = *b"\"'()[]";
    let mut k = 0;
    while k < ascii.len() {
        t[ascii[k] as usize] = true;
        k += 1;
    }
    t[0xE2] = true;
    t[0xC2] = true;
    t
};

/// The deepest nesting of quotations and brackets followed.
const MAX_DEPTH: usize = 64;

/// Diagnostics kept per document; a text broken everywhere gets a count of the rest.
const MAX_DIAGNOSTICS: usize = 1000;

struct Scanner<'t> {
    /// Where each block of the document starts, by block index.
    block_starts: Vec<usize>,
    too_deep: bool,
    text: &'t str,
    seg: Segmentation,
    quotes: Vec<Option<Quotation>>,
    layers: Vec<Option<Layer>>,
    stack: Vec<OpenItem>,
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

fn is_opening_context(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘' | '«' | '„' | ':'))
}

impl<'t> Scanner<'t> {
    fn block(&mut self, bi: usize, b: &Block, next: Option<&Block>) {
        let text = self.text;
        let body = b.span.text(text);
        let base = b.span.start;
        // A quotation continued from the previous paragraph: its new opening
        // mark is a continuation mark, not a new quotation.
        let mut skip_first_mark = false;
        if let Some(top) = self.stack.last_mut() {
            top.piece_start = base;
            let first = body.chars().next();
            if first.is_some_and(|c| opens(c) == Some(top.family)) {
                top.piece_start = base + first.map_or(0, char::len_utf8);
                skip_first_mark = true;
            }
        }
        // Only mark characters matter: find them by their first byte and
        // decode their neighbours only there.
        let bytes = body.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && !MAY_MARK[bytes[i] as usize] {
                i += 1;
            }
            if i >= bytes.len() {
                break;
            }
            let lead = bytes[i];
            let candidate = match lead {
                b'"' | b'\'' | b'(' | b')' | b'[' | b']' => true,
                0xE2 => bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0x98..=0x9E | 0xB9 | 0xBA)),
                0xC2 => matches!(bytes.get(i + 1), Some(0xAB | 0xBB)),
                _ => false,
            };
            if !candidate || (i == 0 && skip_first_mark) {
                i += 1;
                continue;
            }
            let Some(c) = body[i..].chars().next() else { break };
            let len = c.len_utf8();
            if !is_mark_char(c) {
                i += len;
                continue;
            }
            let prev = body[..i].chars().next_back();
            let rest = &body[i + len..];
            let next_c = rest.chars().next();
            if let Some(mark) = self.classify(c, prev, next_c, rest) {
                let at = base + i;
                match mark {
                    Mark::Open(f) => self.open(f, at, c, bi),
                    Mark::Close(f) => self.close(f, at, c),
                }
            }
            i += len;
        }
        let end = b.span.end;
        // At the end of the paragraph: brackets close; quotations continue
        // when the next paragraph opens with the same mark.
        let continues = |item: &OpenItem| {
            item.family.is_quote() && next.is_some_and(|nb| nb.span.text(text).chars().next().and_then(opens) == Some(item.family))
        };
        while let Some(top) = self.stack.last() {
            if continues(top) && self.stack.iter().all(|it| it.family.is_quote()) {
                for item in &mut self.stack {
                    item.pieces.push(Span::new(item.piece_start, end));
                }
                return;
            }
            let (family, start) = (top.family, top.start);
            {
                self.seg.diagnostics.push(Diagnostic::warning(
                    if family.is_quote() { "unclosed-quotation" } else { "unclosed-bracket" },
                    format!("{} opened here is not closed by the end of its paragraph; closed there", describe(family)),
                    Some(Span::new(start, end)),
                ));
                self.unwind_one(end, None);
            }
        }
    }

    /// What a mark character is here, or `None` when it is not a mark
    /// (an apostrophe, a list number's parenthesis).
    fn classify(&self, c: char, prev: Option<char>, next: Option<char>, rest: &str) -> Option<Mark> {
        let open_top = |f: Family| self.stack.iter().rev().any(|it| it.family == f);
        Some(match c {
            '„' => Mark::Open(Family::Double),
            '“' => {
                // An opening mark typed for a closing one: `feudal.“ Under`.
                if prev.is_some_and(|p| !p.is_whitespace()) && next.is_none_or(char::is_whitespace) && open_top(Family::Double) {
                    Mark::Close(Family::Double)
                } else {
                    Mark::Open(Family::Double)
                }
            }
            '”' => {
                // A closing mark used as an opening one (`”word`) after a space.
                if is_opening_context(prev) && is_word(next) && !open_top(Family::Double) {
                    Mark::Open(Family::Double)
                } else {
                    Mark::Close(Family::Double)
                }
            }
            '«' => Mark::Open(Family::Guillemet),
            '»' => Mark::Close(Family::Guillemet),
            '‹' => Mark::Open(Family::SingleGuillemet),
            '›' => Mark::Close(Family::SingleGuillemet),
            '[' => Mark::Open(Family::Bracket),
            ']' => Mark::Close(Family::Bracket),
            '(' => Mark::Open(Family::Paren),
            ')' => {
                if !open_top(Family::Paren) {
                    return None; // `1)`, `a)`: a list marker, not a bracket
                }
                Mark::Close(Family::Paren)
            }
            '"' => {
                // Straight marks pair by context: one that is open closes
                // unless this mark clearly opens a word (`say "no" to`).
                if open_top(Family::Double) {
                    if is_opening_context(prev) && is_word(next) && self.stack.last().is_some_and(|t| t.family != Family::Double) {
                        Mark::Open(Family::Double)
                    } else {
                        Mark::Close(Family::Double)
                    }
                } else if next.is_some_and(|n| !n.is_whitespace()) || is_opening_context(prev) {
                    // `say "no"`, and the spaced `the " critics,"` of careless typing
                    Mark::Open(Family::Double)
                } else {
                    Mark::Close(Family::Double)
                }
            }
            '‘' | '‚' | '’' | '\'' => {
                if is_word(prev) && is_word(next) {
                    return None; // haven’t, Opposition’s, O’Callaghan
                }
                let opening = is_opening_context(prev) && next.is_some_and(|n| !n.is_whitespace());
                if opening {
                    // An elision (’tis, ’em, ’90s) has no closing partner;
                    // nor has a contraction printed apart from its word
                    // (`Dat 's so`, `you 're`, `I 've`).
                    if c != '‘' && (next.is_some_and(|n| n.is_ascii_digit()) || is_detached_contraction(rest)) {
                        return None;
                    }
                    let inside_double = open_top(Family::Double) || open_top(Family::Guillemet);
                    if c == '‘' || c == '‚' || has_closing_single(rest, inside_double) {
                        return Some(Mark::Open(Family::Single));
                    }
                    return None;
                }
                let closing = prev.is_some_and(|p| !p.is_whitespace());
                if closing && open_top(Family::Single) {
                    return Some(Mark::Close(Family::Single));
                }
                if c == '‘' {
                    return Some(Mark::Open(Family::Single));
                }
                return None; // the workers’ state: a plural possessive
            }
            _ => return None,
        })
    }

    fn open(&mut self, family: Family, at: usize, c: char, block: usize) {
        if self.stack.len() >= MAX_DEPTH {
            // No text nests this deep; keeping the stack short keeps every step bounded.
            if !self.too_deep {
                self.too_deep = true;
                self.seg.diagnostics.push(Diagnostic::warning(
                    "nesting-too-deep",
                    format!("quotations and brackets nest deeper than {MAX_DEPTH}; further opening marks are ignored"),
                    Some(Span::new(at, at + c.len_utf8())),
                ));
            }
            return;
        }
        let index = if family.is_quote() {
            self.quotes.push(None);
            self.quotes.len() - 1
        } else {
            self.layers.push(None);
            self.layers.len() - 1
        };
        let start_content = at + c.len_utf8();
        self.stack.push(OpenItem { family, start: at, open_char: c, piece_start: start_content, pieces: Vec::new(), block, index });
    }

    fn close(&mut self, family: Family, at: usize, c: char) {
        let Some(pos) = self.stack.iter().rposition(|it| it.family == family) else {
            self.seg.diagnostics.push(Diagnostic::warning(
                "unmatched-closing-mark",
                format!("closing {c} with nothing open to close"),
                Some(Span::new(at, at + c.len_utf8())),
            ));
            return;
        };
        // Whatever opened inside and is still open closes here too.
        while self.stack.len() > pos + 1 {
            if let Some(inner) = self.stack.last() {
                self.seg.diagnostics.push(Diagnostic::warning(
                    if inner.family.is_quote() { "unclosed-quotation" } else { "unclosed-bracket" },
                    format!("{} not closed before the {c} that closes its container; closed there", describe(inner.family)),
                    Some(Span::new(inner.start, at)),
                ));
            }
            self.unwind_one(at, None);
        }
        self.unwind_one(at, Some(c));
    }

    /// Pops the top item and records it, ending at `at` (its closing mark,
    /// when there is one, starts there).
    fn unwind_one(&mut self, at: usize, close: Option<char>) {
        let Some(mut item) = self.stack.pop() else { return };
        item.pieces.push(Span::new(item.piece_start.min(at), at));
        let end = at + close.map_or(0, char::len_utf8);
        let span = Span::new(item.start, end);
        let enclosing_quote = self.stack.iter().rev().find(|it| it.family.is_quote()).map(|it| it.index);
        if item.family.is_quote() {
            let depth = self.stack.iter().filter(|it| it.family.is_quote()).count() as u32;
            self.quotes[item.index] = Some(Quotation {
                span,
                pieces: item.pieces,
                kind: QuoteKind::Term, // classified once every quotation is known
                open: item.open_char,
                close,
                parent: enclosing_quote,
                depth,
                layers: Vec::new(),
                block: item.block,
            });
        } else {
            let content = item.pieces.first().copied().unwrap_or(Span::new(at, at));
            let nearest = self.stack.iter().rev().find(|it| it.family.is_quote() || it.family == Family::Bracket).map(|it| it.family);
            let kind = match item.family {
                Family::Bracket if enclosing_quote.is_some() => LayerKind::Interpolation,
                Family::Bracket => LayerKind::EditorialNote,
                _ if nearest.is_some_and(Family::is_quote) => LayerKind::Parenthesis,
                _ if is_aside(content.text(self.text)) => LayerKind::Aside,
                _ => LayerKind::Gloss,
            };
            self.layers[item.index] = Some(Layer { span, content, kind, quotation: enclosing_quote });
        }
    }

    fn finish(mut self) -> Segmentation {
        let end = self.text.len();
        while let Some(top) = self.stack.last() {
            let (family, start) = (top.family, top.start);
            self.seg.diagnostics.push(Diagnostic::warning(
                "unclosed-quotation",
                format!("{} is not closed by the end of the text", describe(family)),
                Some(Span::new(start, end)),
            ));
            self.unwind_one(end, None);
        }
        // Renumber: indices were reserved at opening, so order is by start.
        let quotes: Vec<Quotation> = self.quotes.into_iter().flatten().collect();
        let layers: Vec<Layer> = self.layers.into_iter().flatten().collect();
        let mut seg = self.seg;
        seg.quotations = quotes;
        seg.layers = layers;
        for (li, layer) in seg.layers.iter().enumerate() {
            if let Some(q) = layer.quotation.and_then(|q| seg.quotations.get_mut(q)) {
                q.layers.push(li);
            }
        }
        for qi in 0..seg.quotations.len() {
            let block_start = self.block_starts.get(seg.quotations[qi].block).copied().unwrap_or(0);
            let kind = classify_quotation(self.text, &seg, qi, block_start);
            seg.quotations[qi].kind = kind;
        }
        if seg.diagnostics.len() > MAX_DIAGNOSTICS {
            let more = seg.diagnostics.len() - MAX_DIAGNOSTICS;
            seg.diagnostics.truncate(MAX_DIAGNOSTICS);
            seg.diagnostics.push(Diagnostic::warning("more-diagnostics", format!("{more} more diagnostics not listed"), None));
        }
        seg
    }
}

fn describe(f: Family) -> &'static str {
    match f {
        Family::Double | Family::Single | Family::Guillemet | Family::SingleGuillemet => "a quotation",
        Family::Bracket => "a square bracket",
        Family::Paren => "a parenthesis",
    }
}

fn is_mark_char(c: char) -> bool {
    matches!(c, '“' | '”' | '„' | '‘' | '’' | '‚' | '"' | '\'' | '«' | '»' | '‹' | '›' | '[' | ']' | '(' | ')')
}

/// The family a character opens as the first character of a paragraph.
fn opens(c: char) -> Option<Family> {
    match c {
        '“' | '„' | '"' => Some(Family::Double),
        '‘' | '\'' => Some(Family::Single),
        '«' => Some(Family::Guillemet),
        '‹' => Some(Family::SingleGuillemet),
        _ => None,
    }
}

/// Whether `rest` (the text after an apostrophe) starts with the end of a
/// contraction and then a word's end: `s`, `ll`, `re`, `ve`, `d`, `m` or `t`.
fn is_detached_contraction(rest: &str) -> bool {
    ["s", "ll", "re", "ve", "d", "m", "t"].iter().any(|e| rest.strip_prefix(e).is_some_and(|r| !is_word(r.chars().next())))
}

/// Whether a single closing mark follows within the paragraph: a mark after
/// a non-space that is not between letters.
///
/// The partner is looked for up to the end of the enclosing double quotation
/// when there is one, else within a few hundred characters; another opening
/// candidate first means this mark was an elision (`'eighties and 'nineties`).
fn has_closing_single(rest: &str, inside_double: bool) -> bool {
    let limit = if inside_double { 5000 } else { 400 };
    let mut prev: Option<char> = None;
    let mut it = rest.chars().take(limit).peekable();
    while let Some(c) = it.next() {
        let next = it.peek().copied();
        match c {
            '’' | '\'' => {
                let closes = prev.is_some_and(|p| !p.is_whitespace()) && !is_word(next);
                let opens_again = is_opening_context(prev) && is_word(next);
                if closes {
                    return true;
                }
                if opens_again {
                    return false;
                }
            }
            '”' | '"' | '»' if inside_double => return false,
            _ => {}
        }
        prev = Some(c);
    }
    false
}

/// A parenthesis outside quotations is the reporter's own comment when it
/// exclaims, asks, or is a whole sentence; otherwise it explains.
///
/// A clause of the reporter's (`since Ordzhonikidze did not help him, a
/// thesis must be written`) is an aside too; a relative clause or a
/// reference that only locates or identifies (`where Zinoviev is working`,
/// `in The Conscience of the Revolution`) is a gloss.
fn is_aside(content: &str) -> bool {
    let t = content.trim().trim_end_matches(['”', '’', '"', '\'']);
    let starts_capital = t.chars().next().is_some_and(char::is_uppercase);
    let words: Vec<String> = t.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '’').to_lowercase()).collect();
    if t.ends_with(['!', '?']) || (starts_capital && t.ends_with('.') && words.len() >= 3) {
        return true;
    }
    let first = words.first().map(String::as_str).unwrap_or("");
    let identifies = matches!(first, "where" | "who" | "whom" | "whose" | "which" | "when" | "i.e" | "e.g" | "in" | "see" | "cf" | "that" | "namely" | "now" | "then" | "formerly" | "later" | "née" | "born" | "died" | "of");
    words.len() >= 3 && !identifies && words.iter().skip(1).any(|w| CLAUSE_WORDS.contains(&w.as_str()))
}

/// Pronouns and finite verbs: a short quotation holding one is a clause
/// someone said (“there is no chief”), not a term.
const CLAUSE_WORDS: &[&str] = &[
    "i", "we", "you", "he", "she", "they", "me", "us", "is", "are", "was", "were", "am", "be", "been", "have", "has",
    "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "don’t",
    "can’t", "won’t", "isn’t", "it’s", "i’m", "let", "don't", "can't", "won't", "isn't", "it's", "i'm",
];

/// Function words that stay lowercase in a title.
const TITLE_SMALL_WORDS: &[&str] = &["a", "an", "the", "of", "on", "in", "and", "or", "to", "for", "with", "at", "by", "from", "as", "de", "la", "le"];

/// Verbs that attribute words to a speaker, for the cue after a quotation.
const SPEECH_VERBS: &[&str] = &[
    "said", "says", "say", "asked", "asks", "replied", "replies", "answered", "answers", "cried", "shouted",
    "declared", "exclaimed", "added", "continued", "remarked", "told", "wrote", "writes", "responded", "retorted",
    "insisted", "objected", "interrupted", "whispered", "muttered", "observed", "explained", "stated", "announced",
    "repeated", "suggested", "protested", "demanded", "called", "yelled", "screamed", "began", "went", "put", "thought",
];

/// Speech or term, from where the quotation stands and what it holds.
///
/// Only the first words are looked at: past a handful of words a quotation
/// is speech unless it is a title, which shows in its first words too.
fn classify_quotation(text: &str, seg: &Segmentation, qi: usize, block_start: usize) -> QuoteKind {
    const LOOK: usize = 24;
    let q = &seg.quotations[qi];
    if q.pieces.len() > 1 {
        return QuoteKind::Speech; // runs over paragraphs
    }
    let piece = q.pieces[0];
    // The words, without the reporter's interpolations.
    let mut words: Vec<&str> = Vec::with_capacity(LOOK);
    let mut pos = piece.start;
    let mut cuts: Vec<Span> = q.layers.iter().map(|&li| seg.layers[li]).filter(|l| l.kind == LayerKind::Interpolation).map(|l| l.span).collect();
    cuts.push(Span::new(piece.end, piece.end));
    'outer: for cut in cuts {
        let chunk = &text[pos.min(cut.start)..cut.start.max(pos)];
        for w in chunk.split_whitespace() {
            if words.len() >= LOOK {
                break 'outer;
            }
            words.push(w);
        }
        pos = cut.end.max(pos);
    }
    let last = text[piece.start..piece.end].trim_end().trim_end_matches(['”', '’', '"', '\'']).trim_end();
    let clean = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'').to_string();
    let count = words.iter().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    // What stands before the opening mark in its paragraph.
    let before = text[block_start.min(q.span.start)..q.span.start].trim_end();
    let before = before.rsplit('\n').next().unwrap_or("");
    let at_paragraph_start = before.is_empty() && q.depth == 0;
    // `and timidly said “...”`: a speech verb right before the words.
    let verb_before = !before.ends_with(['.', '!', '?', ';']) && before.rsplit(char::is_whitespace).next().is_some_and(|w| {
        let w = clean(w).to_lowercase();
        // `which he called “walks”` names a thing and `went “off the
        // tracks”` moves; neither quotes speech.
        !w.ends_with("ing") && !matches!(w.as_str(), "called" | "calls" | "call" | "went" | "put" | "began" | "told") && SPEECH_VERBS.contains(&w.as_str())
    });
    let cue_before = before.ends_with([':', ',']) || before.ends_with("that") && count >= 3 || verb_before && count >= 1;
    // A speech verb just after the closing mark: “...,” said Kamenev.
    let after = &text[q.span.end.min(text.len())..];
    let after = &after[..after.floor_char_boundary(120)];
    let cue_after = after.trim_start().chars().next().is_some_and(|c| c.is_lowercase() || c == ',')
        && after.split_whitespace().take(3).any(|w| SPEECH_VERBS.contains(&clean(w).to_lowercase().as_str()))
        && last.ends_with([',', '?', '!', '.']);
    let exclaims = last.ends_with(['?', '!']);
    let clause = words.iter().any(|w| {
        let w = clean(w);
        CLAUSE_WORDS.iter().any(|c| c.eq_ignore_ascii_case(&w))
    });
    let title_case = count >= 2
        && words.iter().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.is_empty() || w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) || TITLE_SMALL_WORDS.iter().any(|s| s.eq_ignore_ascii_case(w))
        });
    let speech = cue_before
        || cue_after
        || (at_paragraph_start && count > 0)
        || exclaims
        || (count >= 5 && !title_case)
        || (count >= 2 && clause && !title_case);
    if speech { QuoteKind::Speech } else { QuoteKind::Term }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn doc(paragraphs: &[&str]) -> Document {
        Document::from_paragraphs("test", paragraphs)
    }

    fn quotes(paragraphs: &[&str]) -> Vec<(String, &'static str, u32)> {
        let d = doc(paragraphs);
        let s = segment(&d);
        s.quotations.iter().map(|q| (q.span.text(&d.text).to_string(), q.kind.as_str(), q.depth)).collect()
    }

    #[test]
    fn apostrophes_are_not_marks() {
        let q = quotes(&["Uglanov couldn’t stand it; the Opposition’s pamphlet; Thälmann’s party; the workers’ state; O’Callaghan."]);
        assert!(q.is_empty(), "{q:?}");
    }

    #[test]
    fn a_contraction_printed_apart_opens_nothing() {
        let q = quotes(&["\"Dat 's de way, suh, an' I ain't gwine change it. You 're wrong, an' I 've said so,\" said Berry."]);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].2, 0, "{q:?}");
    }

    #[test]
    fn a_speech_verb_right_before_the_words_makes_them_speech() {
        let q = quotes(&["The accused said “No” when asked. The King timidly said “Consider.” These trips, which he called “walks,” were rare. They went “off the tracks.” He asked. “Why?”"]);
        let kinds: Vec<(&str, &str)> = q.iter().map(|(t, k, _)| (t.as_str(), *k)).collect();
        assert_eq!(kinds, vec![("“No”", "speech"), ("“Consider.”", "speech"), ("“walks,”", "term"), ("“off the tracks.”", "term"), ("“Why?”", "speech")]);
    }

    #[test]
    fn nested_quotation_has_its_parent() {
        let d = doc(&["“Stalin said: ‘To extend their rights means to make a bloc. What will the Rights say?’” (But are not the Rights the “main enemy”?)"]);
        let s = segment(&d);
        assert_eq!(s.quotations.len(), 3);
        assert_eq!(s.quotations[1].parent, Some(0));
        assert_eq!(s.quotations[1].depth, 1);
        assert_eq!(s.quotations[1].span.text(&d.text), "‘To extend their rights means to make a bloc. What will the Rights say?’");
        assert_eq!(s.quotations[2].kind, QuoteKind::Term);
        assert_eq!(s.layers[0].kind, LayerKind::Aside);
    }

    #[test]
    fn speech_over_several_paragraphs_is_one_quotation() {
        let d = doc(&["“The first paragraph of a long speech,", "“the second,", "“and the end.”", "Then they parted."]);
        let s = segment(&d);
        assert_eq!(s.quotations.len(), 1, "{:?}", s.quotations);
        assert_eq!(s.quotations[0].pieces.len(), 3);
        assert_eq!(s.quotations[0].pieces[2].text(&d.text), "and the end.");
        assert!(s.diagnostics.is_empty());
    }

    #[test]
    fn unbalanced_marks_recover_with_a_diagnostic() {
        let d = doc(&["He said, “this never closes", "A new paragraph.", "A stray ” mark) here."]);
        let s = segment(&d);
        assert_eq!(s.quotations.len(), 1);
        assert_eq!(s.quotations[0].close, None);
        assert_eq!(s.quotations[0].span.end, d.blocks[0].span.end);
        let codes: Vec<&str> = s.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec!["unclosed-quotation", "unmatched-closing-mark"]);
    }

    #[test]
    fn interpolations_are_the_reporters_words() {
        let d = doc(&["“He [Stalin] babbles about left measures.” (That is correct!) Our (the Opposition’s) pamphlet [Sixteenth Party Conference]."]);
        let s = segment(&d);
        let kinds: Vec<(&str, &str)> = s.layers.iter().map(|l| (l.content.text(&d.text), l.kind.as_str())).collect();
        assert_eq!(
            kinds,
            vec![("Stalin", "interpolation"), ("That is correct!", "aside"), ("the Opposition’s", "gloss"), ("Sixteenth Party Conference", "editorial-note")]
        );
        assert_eq!(s.quotations[0].layers, vec![0]);
    }

    #[test]
    fn terms_and_speech_are_told_apart() {
        let q = quotes(&[
            "They conducted a trial of the “trio.” The article is signed “G.G.” and renamed “With the Right-Centrist Bloc”: a note.",
            "Everyone is saying, “Yes, the party has been blindfolded!” Zinoviev answered that there was no one to protest to, because “there is no chief” and they were “raked over the coals” enough.",
        ]);
        let kinds: Vec<(&str, &str)> = q.iter().map(|(t, k, _)| (t.as_str(), *k)).collect();
        assert_eq!(
            kinds,
            vec![
                ("“trio.”", "term"),
                ("“G.G.”", "term"),
                ("“With the Right-Centrist Bloc”", "term"),
                ("“Yes, the party has been blindfolded!”", "speech"),
                ("“there is no chief”", "speech"),
                ("“raked over the coals”", "term"),
            ]
        );
    }

    #[test]
    fn straight_quotes_pair_by_context() {
        let q = quotes(&["He said, \"It's done,\" and left. The 'so-called' plan was 'good'."]);
        let texts: Vec<&str> = q.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(texts, vec!["\"It's done,\"", "'so-called'", "'good'"]);
    }
}
