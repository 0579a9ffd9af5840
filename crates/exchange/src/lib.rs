//! Wire formats: where the model meets the outside world.
//!
//! The model derives no serialisation; each format here has its own wire
//! types, converted from the model by hand, so that a change to the model
//! never silently changes a published format.
//!
//! - [`json`]: the `kulisy extract` JSON (schema `kulisy.extract/1`,
//!   described in `docs/extract-json.md` and `docs/extract.schema.json`).
//! - [`text`]: the same content as a report for people.
//! - [`gazetteer`]: entities known beforehand, in TOML (`docs/gazetteer.md`).

pub mod gazetteer;
pub mod json;
pub mod text;
