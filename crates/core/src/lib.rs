//! The truth layer of Truce Atlas: the dataset's model, its loader, the status engine and every
//! query, and the text both front ends print. No GUI crate is in its dependency tree; the
//! command line and the app (the `truce-atlas` crate) stand on it.
//!
//! Its modules are layered (docs/ARCHITECTURE.md, "The core's layers"): each uses only modules
//! of the layers below its own, which `tests/it/layers.rs` checks.
#![deny(clippy::unwrap_used)]

pub mod animation;
pub mod axis;
pub mod basemap;
pub mod calendar;
pub mod compare;
pub mod convert;
pub mod engine;
pub mod export;
pub mod filter;
pub mod geometry;
pub mod incidents;
pub mod load;
pub mod model;
pub mod playback;
pub mod present;
pub mod publish;
pub mod report;
pub mod search;
pub mod session;
pub mod synth;
pub mod text;
pub mod timefmt;
pub mod verify;

/// The one way in for the app, the command line and tests (in the engine, so that the session
/// can open a dataset without reaching above its layer).
pub use engine::{default_engine, open};
