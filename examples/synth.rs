//! Writes a synthetic, valid dataset folder of a chosen size, for benchmarks and scale tests:
//!
//!     cargo run --release --example synth -- --zones 1000 --events 100000 --report-days 1000 \
//!         --seed 1 --out /tmp/synth
//!
//! The same arguments always write the same files (see `truce_atlas::synth`).

use std::path::PathBuf;

use clap::Parser;
use truce_atlas::synth::{Spec, write};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 100)]
    zones: usize,
    #[arg(long, default_value_t = 10_000)]
    events: usize,
    #[arg(long, default_value_t = 100)]
    report_days: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Every event after each zone's opening is an affirmation, one report a day
    #[arg(long)]
    affirmations_only: bool,
    #[arg(long)]
    out: PathBuf,
}

fn main() -> std::io::Result<()> {
    let a = Args::parse();
    let spec = Spec {
        zones: a.zones,
        events: a.events,
        report_days: a.report_days,
        seed: a.seed,
        affirmations_only: a.affirmations_only,
    };
    write(spec, &a.out)?;
    println!("{}: {spec:?}", a.out.display());
    Ok(())
}
