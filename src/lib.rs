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
pub mod basemap;
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
pub mod text;
pub mod timefmt;
#[cfg(feature = "gui")]
pub mod ui;
pub mod verify;

/// The one way in for the app, the command line and tests (in the engine, so that the session
/// can open a dataset without reaching above its layer).
pub use engine::{default_engine, open};
