//! Truce Atlas: where a truce held, when, and who said so.
//!
//! The truth layer is the `truce-atlas-core` crate (crates/core), re-exported here under its
//! module names so that the app, the command line, the tests and the benches read
//! `truce_atlas::engine` wherever they stand. Above it: [`cli`] prints its answers; [`ui`]
//! (feature `gui`) only draws them and imports nothing from [`cli`]. See docs/ARCHITECTURE.md.
#![deny(clippy::unwrap_used)]

pub use truce_atlas_core::{
    animation, axis, basemap, calendar, compare, convert, default_engine, engine, export, filter,
    geometry, incidents, load, model, open, playback, present, publish, report, search, session,
    synth, text, timefmt, verify,
};

pub mod cli;
#[cfg(feature = "gui")]
pub mod ui;
