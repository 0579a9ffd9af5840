//! Readers: bytes of a source in, one canonical [`Document`] out.
//!
//! Plain text (with the archive header Marxists Internet Archive and
//! Encyclopedia of Trotskyism pages carry), HTML and TEI P5 are read into
//! canonical text (UTF-8, `\n` line ends, no markup), an offset map back to
//! the original bytes, a layout of blocks and the metadata the source gives
//! about itself.
//!
//! Limits: a file larger than [`ReadOptions::max_bytes`] is refused before it
//! is read, empty and binary files are refused, and XML that is not
//! well-formed is refused with the place of the fault. Everything else odd
//! is read with a diagnostic. DTD entities are never expanded and nothing is
//! ever fetched.
//!
//! Architecture invariant: a reader never panics and never fails on odd
//! text; only the refusals above are errors.

mod canon;
mod decode;
mod header;
mod html;
mod tei;
mod text;

use std::io::Read;
use std::path::Path;

use kulisy_model::{Document, SourceFormat};

/// What a reader makes of decoded text, before the document is assembled.
pub(crate) struct Layout {
    text: String,
    offsets: kulisy_model::OffsetMap,
    blocks: Vec<kulisy_model::Block>,
    metadata: kulisy_model::Metadata,
    annotations: Vec<kulisy_model::Annotation>,
    diagnostics: Vec<kulisy_model::Diagnostic>,
}

/// Why a file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{name}: cannot read: {source}")]
    Io {
        /// The file.
        name: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file holds no text.
    #[error("{name}: empty file")]
    Empty {
        /// The file.
        name: String,
    },
    /// The file is binary, not text.
    #[error("{name}: binary file, not text (found NUL or control bytes)")]
    Binary {
        /// The file.
        name: String,
    },
    /// The file is larger than the configured limit.
    #[error("{name}: {size} bytes is over the limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge {
        /// The file.
        name: String,
        /// Its size, or at least how much was seen.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The markup is broken beyond recovery (XML only: HTML always recovers).
    #[error("{name}: {reason}")]
    Malformed {
        /// The file.
        name: String,
        /// Where and what.
        reason: String,
    },
}

/// How to read.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Files larger than this are refused. Memory use is a small multiple of it.
    pub max_bytes: u64,
    /// Read as this format instead of guessing from the name and content.
    pub format: Option<SourceFormat>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_bytes: 256 * 1024 * 1024, format: None }
    }
}

/// The format a file's name suggests.
pub fn format_from_name(name: &str) -> Option<SourceFormat> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" | "md" => Some(SourceFormat::Text),
        "htm" | "html" | "xhtml" | "shtml" => Some(SourceFormat::Html),
        "xml" | "tei" => Some(SourceFormat::Tei),
        _ => None,
    }
}

/// The format the content shows: a `<TEI` root, an HTML document, or text.
pub fn sniff_format(bytes: &[u8]) -> SourceFormat {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let start = lower.iter().position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF)).unwrap_or(0);
    let rest = &lower[start..];
    if rest.starts_with(b"<") {
        if memchr::memmem::find(head, b"<TEI").is_some() || memchr::memmem::find(head, b"<teiCorpus").is_some() {
            return SourceFormat::Tei;
        }
        if memchr::memmem::find(&lower, b"<html").is_some() || rest.starts_with(b"<!doctype html") || memchr::memmem::find(&lower, b"<body").is_some() || memchr::memmem::find(&lower, b"<p").is_some() {
            return SourceFormat::Html;
        }
    }
    SourceFormat::Text
}

/// Reads a file.
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<Document, ReadError> {
    let name = path.display().to_string();
    let io = |source| ReadError::Io { name: name.clone(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > options.max_bytes {
        return Err(ReadError::TooLarge { name, size, limit: options.max_bytes });
    }
    let bytes = read_limited(file, options.max_bytes).map_err(io)?;
    if bytes.len() as u64 > options.max_bytes {
        return Err(ReadError::TooLarge { name, size: bytes.len() as u64, limit: options.max_bytes });
    }
    let format = options.format.or_else(|| format_from_name(&name));
    read_bytes(&name, bytes, format)
}

/// Reads everything from `input` (standard input, a pipe), refusing more than the limit.
pub fn read_stream(name: &str, input: impl Read, options: &ReadOptions) -> Result<Document, ReadError> {
    let bytes = read_limited(input, options.max_bytes).map_err(|source| ReadError::Io { name: name.to_string(), source })?;
    if bytes.len() as u64 > options.max_bytes {
        return Err(ReadError::TooLarge { name: name.to_string(), size: bytes.len() as u64, limit: options.max_bytes });
    }
    read_bytes(name, bytes, options.format)
}

/// Reads at most `limit + 1` bytes, so that a stream over the limit is seen
/// to be over it without being held in memory whole.
fn read_limited(input: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads bytes already in memory. `format`: as given, or guessed from the content.
pub fn read_bytes(name: &str, bytes: Vec<u8>, format: Option<SourceFormat>) -> Result<Document, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty { name: name.to_string() });
    }
    if decode::looks_binary(&bytes) {
        return Err(ReadError::Binary { name: name.to_string() });
    }
    let format = format.unwrap_or_else(|| sniff_format(&bytes));
    let decoded = decode::decode(&bytes)?;
    let mut diagnostics = Vec::new();
    if decoded.encoding.source == kulisy_model::EncodingSource::Detected {
        diagnostics.push(kulisy_model::Diagnostic::info(
            "encoding-assumed",
            format!("not valid utf-8 and no declaration; assumed {}", decoded.encoding.name),
            None,
        ));
    }
    if decoded.encoding.had_errors {
        diagnostics.push(kulisy_model::Diagnostic::warning(
            "encoding-errors",
            format!("some bytes are not valid {} and were replaced by U+FFFD", decoded.encoding.name),
            None,
        ));
    }
    let layout = match format {
        SourceFormat::Text => text::read(&decoded.text, &decoded.map),
        SourceFormat::Html => html::read(&decoded.text, &decoded.map),
        SourceFormat::Tei => tei::read(name, &decoded.text, &decoded.map)?,
    };
    let Layout { text, offsets, blocks, metadata, annotations, diagnostics: found } = layout;
    diagnostics.extend(found);
    if text.trim().is_empty() {
        return Err(ReadError::Empty { name: name.to_string() });
    }
    Ok(Document {
        name: name.to_string(),
        format,
        encoding: decoded.encoding,
        original: bytes,
        text,
        offsets,
        blocks,
        metadata,
        annotations,
        diagnostics,
    })
}
