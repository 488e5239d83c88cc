//! The integration tests, in one crate so they link once: the command line as a user meets it,
//! the app driven headless (egui_kittest), and the real window under Xvfb. The tests that count
//! memory keep their own crate (tests/alloc.rs): a global allocator is process-wide.

mod cli;
mod layers;
#[cfg(feature = "gui")]
mod real_window;
mod story_save;
#[cfg(feature = "gui")]
mod ui;
