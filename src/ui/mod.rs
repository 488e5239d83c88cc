//! The desktop app (in progress).
pub fn run_app(_cli: &crate::cli::Cli) -> u8 {
    0
}
