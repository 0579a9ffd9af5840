use crate::{Diagnostic, OffsetMap, PartialDate, Span};

/// The format a source was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// Plain text, possibly with an archive header.
    Text,
    /// An HTML page.
    Html,
    /// A TEI P5 XML document.
    Tei,
}

impl SourceFormat {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Html => "html",
            SourceFormat::Tei => "tei",
        }
    }
}

/// How the character encoding of the original was determined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EncodingSource {
    /// A byte-order mark said so.
    Bom,
    /// The bytes were valid UTF-8.
    Valid,
    /// The document declared it (an HTML `charset`, an XML declaration).
    Declared,
    /// Guessed from the bytes; the guess is an assumption.
    Detected,
}

impl EncodingSource {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Valid => "valid-utf-8",
            EncodingSource::Declared => "declared",
            EncodingSource::Detected => "detected",
        }
    }
}

/// The character encoding assumed for the original bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EncodingInfo {
    /// The WHATWG name of the encoding, such as `UTF-8` or `windows-1252`.
    pub name: &'static str,
    /// How it was determined.
    pub source: EncodingSource,
    /// Whether some bytes were not valid in it and were replaced by U+FFFD.
    pub had_errors: bool,
}

/// What a block of the canonical text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// The author line above the title.
    Author,
    /// The title.
    Title,
    /// A subtitle, a dateline or a second title line below the title.
    Subtitle,
    /// A section heading within the body, with its level (1 highest).
    Heading(u8),
    /// The archive header: `Written:`, `Source:`, licence lines and the like.
    Header,
    /// An editor's note about the source as a whole, not part of its body.
    EditorialNote,
    /// A paragraph of the body.
    Paragraph,
    /// A quoted block of the body (an indented extract, a letter quoted whole).
    BlockQuote,
    /// An item of a list in the body.
    ListItem,
    /// A footnote or endnote.
    Footnote,
    /// Navigation residue and page furniture: not text of the source.
    Residue,
}

impl BlockKind {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Author => "author",
            BlockKind::Title => "title",
            BlockKind::Subtitle => "subtitle",
            BlockKind::Heading(_) => "heading",
            BlockKind::Header => "header",
            BlockKind::EditorialNote => "editorial-note",
            BlockKind::Paragraph => "paragraph",
            BlockKind::BlockQuote => "block-quote",
            BlockKind::ListItem => "list-item",
            BlockKind::Footnote => "footnote",
            BlockKind::Residue => "residue",
        }
    }

    /// Whether the block is part of what the source says: body text and its
    /// notes, where quotations and speakers are looked for.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            BlockKind::Heading(_)
                | BlockKind::Paragraph
                | BlockKind::BlockQuote
                | BlockKind::ListItem
                | BlockKind::Footnote
        )
    }
}

/// A block of the layout: a span of canonical text and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Its text, without the separating line breaks.
    pub span: Span,
}

/// A value read from the text, with where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SpannedText {
    /// The value, cleaned of surrounding punctuation.
    pub text: String,
    /// Where it stands in the canonical text, when it stands there.
    pub span: Option<Span>,
}

/// A date read from the text, as printed and as a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SpannedDate {
    /// The first (or only) day, month or year.
    pub start: PartialDate,
    /// The last one, when the text gives a range.
    pub end: Option<PartialDate>,
    /// The text as printed.
    pub text: String,
    /// Where it stands in the canonical text.
    pub span: Option<Span>,
}

/// Where and when a text appeared: a `First Published:` or `Source:` line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Publication {
    /// The whole value as printed.
    pub text: String,
    /// Where it stands.
    pub span: Option<Span>,
    /// The periodical, book or publisher named first.
    pub venue: Option<String>,
    /// The place of publication, when named.
    pub place: Option<String>,
    /// The volume, as printed (`2`, `XII`).
    pub volume: Option<String>,
    /// The issue number, as printed.
    pub issue: Option<String>,
    /// The pages, as printed (`115–123`).
    pub pages: Option<String>,
    /// The date of publication.
    pub date: Option<SpannedDate>,
}

/// What kind of licence a source states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LicenceKind {
    /// Stated to be in the public domain.
    PublicDomain,
    /// A copyleft licence (Creative Commons share-alike and the like).
    Copyleft,
    /// Any other statement of rights.
    Other,
}

impl LicenceKind {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceKind::PublicDomain => "public-domain",
            LicenceKind::Copyleft => "copyleft",
            LicenceKind::Other => "other",
        }
    }
}

/// The licence a source states for itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Licence {
    /// Its kind.
    pub kind: LicenceKind,
    /// The statement as printed.
    pub text: String,
    /// Where it stands.
    pub span: Option<Span>,
}

/// One `Key: value` line of an archive header, as printed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HeaderField {
    /// The key, without its colon.
    pub key: String,
    /// The value.
    pub value: String,
    /// Where the whole line stands.
    pub span: Span,
}

/// What a source says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Metadata {
    /// The title.
    pub title: Option<SpannedText>,
    /// A subtitle or dateline under the title.
    pub subtitle: Option<SpannedText>,
    /// The authors the source names for itself.
    pub authors: Vec<SpannedText>,
    /// When it was written (`Written:`, `Dictated:`).
    pub written: Option<SpannedDate>,
    /// When it was spoken (`Delivered:`, `Discussed:`).
    pub delivered: Option<SpannedDate>,
    /// Where and when it first appeared.
    pub first_published: Option<Publication>,
    /// The source the transcription was made from.
    pub source: Option<Publication>,
    /// The translation statement.
    pub translated: Option<SpannedText>,
    /// Who transcribed and marked it up.
    pub transcribers: Vec<String>,
    /// Who proofread it.
    pub proofreaders: Vec<String>,
    /// The licence it states.
    pub licence: Option<Licence>,
    /// When the page was last updated.
    pub last_updated: Option<SpannedDate>,
    /// Every header line as printed, the parsed ones included.
    pub fields: Vec<HeaderField>,
}

/// An annotation that came with the source (from TEI markup), curated by its editors.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Annotation {
    /// The element name, such as `said`, `persName`, `q` or `note`.
    pub element: String,
    /// Its attributes, in document order.
    pub attributes: Vec<(String, String)>,
    /// The canonical text it covers.
    pub span: Span,
}

/// A source read into canonical form: what every later stage works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// A name for people: the file path, or `-` for standard input.
    pub name: String,
    /// The format it was read as.
    pub format: SourceFormat,
    /// The encoding assumed for the original.
    pub encoding: EncodingInfo,
    /// The original bytes, untouched.
    pub original: Vec<u8>,
    /// The canonical text: UTF-8, `\n` line ends, markup removed.
    pub text: String,
    /// Canonical offsets to original offsets and back.
    pub offsets: OffsetMap,
    /// The layout, in text order; blocks do not overlap.
    pub blocks: Vec<Block>,
    /// What the source says about itself.
    pub metadata: Metadata,
    /// Annotations the source came with.
    pub annotations: Vec<Annotation>,
    /// What the reader noticed and recovered from.
    pub diagnostics: Vec<Diagnostic>,
}

impl Document {
    /// A document made of text already canonical (UTF-8, `\n` line ends) and
    /// laid out in `blocks`: its bytes are its text, mapped one for one.
    /// For sources that never were files: generated, typed, or under test.
    pub fn from_text(name: impl Into<String>, text: String, blocks: Vec<Block>) -> Document {
        Document {
            name: name.into(),
            format: SourceFormat::Text,
            encoding: EncodingInfo { name: "UTF-8", source: EncodingSource::Valid, had_errors: false },
            original: text.clone().into_bytes(),
            offsets: OffsetMap::identity(text.len()),
            text,
            blocks,
            metadata: Metadata::default(),
            annotations: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// A document of plain paragraphs, joined by blank lines.
    pub fn from_paragraphs(name: impl Into<String>, paragraphs: &[&str]) -> Document {
        let mut blocks = Vec::with_capacity(paragraphs.len());
        let mut pos = 0;
        for p in paragraphs {
            blocks.push(Block { kind: BlockKind::Paragraph, span: Span::new(pos, pos + p.len()) });
            pos += p.len() + 2;
        }
        Document::from_text(name, paragraphs.join("\n\n"), blocks)
    }
}
