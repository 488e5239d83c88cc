//! Truce Atlas: where a truce held, when, and who said so.
//!
//! The library is split so that the truth layer stands on its own: [`model`], [`load`],
//! [`engine`], [`timefmt`], [`verify`] and [`geometry`] import nothing from egui and are fully
//! unit-tested; [`cli`] prints their answers; [`ui`] only draws them.
#![deny(clippy::unwrap_used)]

pub mod cli;
pub mod engine;
pub mod geometry;
pub mod load;
pub mod model;
pub mod report;
pub mod timefmt;
pub mod ui;
pub mod verify;

/// Loads the embedded default dataset. It is checked by the test suite, so a failure here is a
/// build defect, reported like any other dataset error rather than a panic.
pub fn default_engine() -> Result<engine::Engine, load::DatasetError> {
    load::load_embedded().map(engine::Engine::new)
}
