//! The factoid model of kulisy: the types every other crate speaks.
//!
//! This crate holds data and the pure operations on it (span arithmetic, offset
//! mapping, date ordering). It performs no I/O, knows no wire format and has no
//! dependencies: readers build these types, extraction fills them, storage and
//! exchange convert them at the edges.
//!
//! Architecture invariant: nothing here reads files, clocks or the environment,
//! and no type here derives a serialisation format.

mod date;
mod diagnostic;
mod document;
mod entity;
mod event;
mod offsets;
mod segment;
mod span;
mod time;

pub use date::{find_date, month_number, DateMatch, PartialDate};
pub use diagnostic::{Diagnostic, Severity};
pub use document::{
    Annotation, Block, BlockKind, Document, EncodingInfo, EncodingSource, HeaderField, Licence,
    LicenceKind, Metadata, Publication, SourceFormat, SpannedDate, SpannedText,
};
pub use entity::{Attribution, Entity, EntityKind, Gender, Mention, MentionKind};
pub use event::{DateMention, DateSource, Event, EventKind, Participant, Place, Role, TimelineEntry};
pub use offsets::{OffsetMap, OffsetMapBuilder, Segment};
pub use segment::{Layer, LayerKind, QuoteKind, Quotation, Segmentation, Sentence};
pub use span::Span;
pub use time::{
    day_number, find_times, from_day_number, julian_day_number, Anchor, Calendar, HistoricalDate, Inference,
    InferenceRule, Precision, Qualifier, Relative, Season, SortKey, TimeMatch, Unit, Yearless,
};
