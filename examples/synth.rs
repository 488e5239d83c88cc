//! Writes a synthetic, valid dataset folder of a chosen size, for benchmarks and scale tests:
//!
//!     cargo run --release --example synth -- --zones 1000 --events 100000 --report-days 1000 \
//!         --seed 1 --out /tmp/synth
//!
//! The same arguments always write the same files (see `truce_atlas::synth`). `--format csv`
//! writes them as a folder of CSV files, `--format xlsx` as a workbook (`--out` ends in .xlsx):
//! the dataset is written as JSON, loaded and converted, as `truce-atlas convert` does.

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
    /// json (a folder), csv (a folder of CSV files) or xlsx (a workbook; --out names the file)
    #[arg(long, default_value = "json")]
    format: String,
    #[arg(long)]
    out: PathBuf,
    /// Also write this many incidents in ACLED's export layout, as acled.csv beside the dataset
    #[arg(long, default_value_t = 0)]
    acled: usize,
    /// Also write this many incidents in UCDP GED's layout, as ucdp.csv beside the dataset
    #[arg(long, default_value_t = 0)]
    ucdp: usize,
    /// The incidents' first day (default 2020-01-01, the dataset's), e.g. 2016-02-20 to lay
    /// them over the default Syria dataset's months
    #[arg(long)]
    incidents_from: Option<chrono::NaiveDate>,
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
    use truce_atlas::convert::Format;
    let format = match a.format.as_str() {
        "json" => None,
        "csv" => Some(Format::Csv),
        "xlsx" => Some(Format::Xlsx),
        other => {
            return Err(std::io::Error::other(format!(
                "--format {other}: json, csv or xlsx"
            )));
        }
    };
    match format {
        None => write(spec, &a.out)?,
        Some(format) => {
            let json =
                std::env::temp_dir().join(format!("truce-atlas-synth-{}", std::process::id()));
            write(spec, &json)?;
            let ds = truce_atlas::load::load_path(&json)
                .map_err(|e| std::io::Error::other(e.report()))?;
            truce_atlas::convert::write(&ds, &a.out, format).map_err(std::io::Error::other)?;
            std::fs::remove_dir_all(&json)?;
        }
    }
    let beside = if a.out.is_dir() {
        a.out.clone()
    } else {
        a.out.parent().map(PathBuf::from).unwrap_or_default()
    };
    type Writer = fn(i64, usize, usize, u64, &mut dyn std::io::Write) -> std::io::Result<()>;
    let layouts: [(usize, &str, Writer); 2] = [
        (a.acled, "acled.csv", truce_atlas::synth::acled_csv_from),
        (a.ucdp, "ucdp.csv", truce_atlas::synth::ucdp_csv_from),
    ];
    let first = a
        .incidents_from
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(1_577_836_800, |t| t.and_utc().timestamp());
    for (count, name, write_csv) in layouts {
        if count > 0 {
            let file = std::fs::File::create(beside.join(name))?;
            let mut out = std::io::BufWriter::new(file);
            write_csv(first, count, a.report_days, a.seed, &mut out)?;
            println!("{}: {count} incidents", beside.join(name).display());
        }
    }
    println!("{}: {spec:?}", a.out.display());
    Ok(())
}
