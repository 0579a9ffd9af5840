use crate::{Diagnostic, Span};

/// A sentence of a text block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sentence {
    /// Its text, from its first character to its final punctuation (and
    /// closing quotation marks or brackets).
    pub span: Span,
    /// The index of the block it belongs to.
    pub block: usize,
}

/// What a quotation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteKind {
    /// Words someone said or wrote.
    Speech,
    /// A term, a scare quote, a title, a signature or a name: words mentioned, not reported.
    Term,
}

impl QuoteKind {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Speech => "speech",
            QuoteKind::Term => "term",
        }
    }
}

/// A span of quoted words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Quotation {
    /// From the opening mark to the closing mark, both included.
    pub span: Span,
    /// The quoted words: one piece per paragraph it runs over, marks excluded.
    pub pieces: Vec<Span>,
    /// Speech or term.
    pub kind: QuoteKind,
    /// The opening mark.
    pub open: char,
    /// The closing mark, `None` when the text never closes it.
    pub close: Option<char>,
    /// The quotation this one stands inside, by index.
    pub parent: Option<usize>,
    /// How deep it is nested: 0 for an outermost quotation.
    pub depth: u32,
    /// The editorial layers inside it, by index.
    pub layers: Vec<usize>,
    /// The block it opens in.
    pub block: usize,
}

/// What an editorial layer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LayerKind {
    /// Square brackets inside a quotation: the reporter's words, not the speaker's.
    Interpolation,
    /// Square brackets outside quotations: an editor's insertion.
    EditorialNote,
    /// Parentheses outside quotations holding a comment of the reporter's
    /// own: a sentence, an exclamation, a question.
    Aside,
    /// Parentheses outside quotations holding an explanation: a name, a
    /// clarification, a reference.
    Gloss,
    /// Parentheses inside a quotation: part of the quoted words.
    Parenthesis,
}

impl LayerKind {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            LayerKind::Interpolation => "interpolation",
            LayerKind::EditorialNote => "editorial-note",
            LayerKind::Aside => "aside",
            LayerKind::Gloss => "gloss",
            LayerKind::Parenthesis => "parenthesis",
        }
    }

    /// Whether the layer's words are the reporter's (or an editor's), never
    /// the speaker's.
    pub fn is_reporter(self) -> bool {
        !matches!(self, LayerKind::Parenthesis)
    }
}

/// A bracketed or parenthesised span and whose words it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Layer {
    /// From the opening bracket to the closing one, both included.
    pub span: Span,
    /// The words inside the brackets.
    pub content: Span,
    /// Its kind.
    pub kind: LayerKind,
    /// The innermost quotation it stands in, by index.
    pub quotation: Option<usize>,
}

/// The result of segmenting a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// The sentences of the text blocks, in order.
    pub sentences: Vec<Sentence>,
    /// The quotations, ordered by start (an outer quotation before the ones inside it).
    pub quotations: Vec<Quotation>,
    /// The editorial layers, ordered by start.
    pub layers: Vec<Layer>,
    /// What segmentation noticed and recovered from.
    pub diagnostics: Vec<Diagnostic>,
}
