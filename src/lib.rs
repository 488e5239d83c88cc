//! Truce Atlas: where a truce held, when, and who said so.
//!
//! The library is layered so that the compiler keeps the truth layer on its own: [`model`],
//! [`load`], [`engine`], [`timefmt`], [`axis`], [`verify`], [`geometry`], [`session`],
//! [`present`] and [`report`] import nothing from egui and build without the `gui` feature;
//! [`cli`] prints their answers; [`ui`] (feature `gui`) only draws them and imports nothing
//! from [`cli`]. See docs/ARCHITECTURE.md.
#![deny(clippy::unwrap_used)]

pub mod animation;
pub mod axis;
pub mod calendar;
pub mod cli;
pub mod compare;
pub mod engine;
pub mod export;
pub mod filter;
pub mod geometry;
pub mod load;
pub mod model;
pub mod playback;
pub mod present;
pub mod report;
pub mod search;
pub mod session;
pub mod synth;
pub mod timefmt;
#[cfg(feature = "gui")]
pub mod ui;
pub mod verify;

use std::path::Path;

/// Opens a dataset, a folder or (with `None`) the embedded default, and indexes it: the one way
/// in for the app, the command line and tests. Every problem found is in the error.
pub fn open(dir: Option<&Path>) -> Result<engine::Engine, load::DatasetError> {
    let (dataset, origin) = match dir {
        Some(dir) => (load::load_folder(dir)?, dir.display().to_string()),
        None => (
            load::load_embedded()?,
            load::DatasetFiles::origin(&load::EmbeddedFiles),
        ),
    };
    engine::Engine::new(dataset).map_err(|mut e| {
        e.origin = origin;
        e
    })
}

/// Opens the embedded default dataset. It is checked by the test suite, so a failure here is a
/// build defect, reported like any other dataset error rather than a panic.
pub fn default_engine() -> Result<engine::Engine, load::DatasetError> {
    open(None)
}
