//! Extraction: from a canonical [`Document`] to what it says.
//!
//! So far: segmentation into sentences, quotations (with nesting, runs over
//! several paragraphs, speech or term) and editorial layers (the reporter's
//! bracketed interpolations, parenthesised asides and glosses).
//!
//! Architecture invariant: every function here is pure and deterministic
//! (no I/O, no clock, no randomness, no hash-map order in output) and cannot
//! fail: odd text gives diagnostics, never errors or panics.

pub mod attribute;
pub mod cast;
mod segment;
pub mod sentences;

use kulisy_model::{Document, Segmentation};

pub use segment::segment;

/// Everything extraction finds in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extraction {
    /// Sentences, quotations and editorial layers.
    pub segmentation: Segmentation,
}

/// Runs every extraction stage on `doc`.
pub fn extract(doc: &Document) -> Extraction {
    Extraction { segmentation: segment(doc) }
}
