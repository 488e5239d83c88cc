//! The command line. With no subcommand, `truce-atlas` opens the app; the subcommands answer
//! the same questions in a terminal, as tables or stable JSON.
//!
//! Exit status: 0 success, 1 an invalid dataset or failed check, 2 a usage error.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use crate::engine::Engine;
use crate::incidents::listing;
use crate::report;
use crate::timefmt::parse_user_time;
use crate::verify;

pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "truce-atlas",
    version,
    about = "Where a truce held, when, and who said so.",
    long_about = "Where a truce held, when, and who said so.\n\nWith no subcommand, opens the map app. \
Times are RFC 3339 with an offset (2016-05-01T12:00:00+03:00) or a local time in the dataset's \
time zone (\"2016-05-01 12:00\")."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Dataset to use instead of the embedded default: a folder of JSON or CSV files, or an
    /// .xlsx or .ods workbook (see data/FORMAT.md)
    #[arg(long, value_name = "PATH", global = true)]
    pub data: Option<PathBuf>,

    /// The largest dataset file read, e.g. 2GiB or 500MiB (default 1GiB; see data/FORMAT.md,
    /// "Limits")
    #[arg(long, value_name = "SIZE", global = true, value_parser = crate::load::limits::parse_size)]
    pub max_file_size: Option<u64>,

    /// App: open at this instant
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// App: open with this zone selected (its id, e.g. aleppo)
    #[arg(long, value_name = "ID")]
    pub zone: Option<String>,

    /// App: show only what had been reported by this time (a date alone: the end of that day)
    #[arg(long, value_name = "TIME")]
    pub known_on: Option<String>,

    /// App: render the view to this PNG file and exit (needs a display, e.g. Xvfb)
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,

    /// App: window size in logical pixels, for --screenshot or the first start
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<(u32, u32)>,

    /// App: start without the state saved by the last run
    #[arg(long)]
    pub fresh: bool,

    /// App: use the high-contrast look (also in the View menu, and remembered)
    #[arg(long)]
    pub high_contrast: bool,

    /// App: read this ACLED or UCDP incident file with the dataset (repeat for more; also
    /// File > Add incident data…)
    #[arg(long = "incidents", value_name = "FILE")]
    pub incidents: Vec<PathBuf>,

    /// App: open reading the dataset's story at its first step (Story > Read the story)
    #[arg(long)]
    pub story: bool,

    /// App: hide these kinds of event on the lanes and in the event list (comma-separated,
    /// e.g. statement,talks); statuses still count them
    #[arg(long, value_name = "KIND,KIND")]
    pub hide_kinds: Option<String>,

    #[command(flatten)]
    pub who: WhoFlags,
}

/// "According to whom": every status recomputed from these sources, sides and actors alone
/// (see data/FORMAT.md, "Filters").
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WhoFlags {
    /// Only these sources' citations count (their ids, comma-separated)
    #[arg(long, value_name = "ID,ID")]
    pub sources: Option<String>,
    /// Only events on these sides count (ids declared in dataset.json, comma-separated)
    #[arg(long, value_name = "ID,ID")]
    pub sides: Option<String>,
    /// Only events by this actor count, as the events write it (repeat for more actors)
    #[arg(long = "actor", value_name = "NAME")]
    pub actors: Vec<String>,
}

impl WhoFlags {
    /// The first of these flags given, if any.
    pub fn first_given(&self) -> Option<&'static str> {
        if self.sources.is_some() {
            Some("--sources")
        } else if self.sides.is_some() {
            Some("--sides")
        } else if !self.actors.is_empty() {
            Some("--actor")
        } else {
            None
        }
    }

    /// The engine these flags ask for: `engine` itself with none given, else `engine` heard
    /// only through them; an id the dataset lacks is a usage error listing the ids it has.
    pub fn apply(&self, engine: Engine) -> Result<Engine, String> {
        Ok(match self.filter(engine.dataset())? {
            Some(filter) => engine.filtered(&filter),
            None => engine,
        })
    }

    /// The filter these flags give, `None` with none of them given.
    pub fn filter(
        &self,
        ds: &crate::model::Dataset,
    ) -> Result<Option<crate::filter::Filter>, String> {
        if self.first_given().is_none() {
            return Ok(None);
        }
        crate::filter::Filter::from_ids(
            ds,
            self.sources.as_deref(),
            self.sides.as_deref(),
            &self.actors,
        )
        .map(Some)
        .map_err(|e| e.to_string())
    }
}

impl Cli {
    /// The app's flags given on this command line (clap's own conflict rule would refuse the
    /// global `--data` too, which goes with either).
    pub fn app_flags(&self) -> Vec<&'static str> {
        let given = [
            ("--at", self.at.is_some()),
            ("--zone", self.zone.is_some()),
            ("--known-on", self.known_on.is_some()),
            ("--screenshot", self.screenshot.is_some()),
            ("--size", self.size.is_some()),
            ("--fresh", self.fresh),
            ("--high-contrast", self.high_contrast),
            ("--sources", self.who.sources.is_some()),
            ("--sides", self.who.sides.is_some()),
            ("--actor", !self.who.actors.is_empty()),
            ("--hide-kinds", self.hide_kinds.is_some()),
            ("--incidents", !self.incidents.is_empty()),
            ("--story", self.story),
        ];
        given
            .into_iter()
            .filter_map(|(flag, on)| on.then_some(flag))
            .collect()
    }

    /// A usage error if the app's flags come with a subcommand, which would ignore them:
    /// `truce-atlas --zone aleppo events` lists every event, not Aleppo's.
    pub fn check_app_flags(&self) -> Result<(), clap::Error> {
        let flags = self.app_flags();
        let (Some(command), [first, ..]) = (&self.command, flags.as_slice()) else {
            return Ok(());
        };
        let name = command.name();
        let message = format!(
            "{first} is a flag of the app, not of the `{name}` subcommand, which would ignore it \
             (see `truce-atlas {name} --help` for its own flags)"
        );
        Err(<Self as clap::CommandFactory>::command()
            .error(clap::error::ErrorKind::ArgumentConflict, message))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableJsonCsv {
    Table,
    Json,
    Csv,
}

/// Incident files to read beside the dataset's own (data/FORMAT.md, "Incidents").
#[derive(Debug, Clone, Default, clap::Args)]
pub struct IncidentFlags {
    /// An ACLED CSV export or a UCDP GED CSV, recognised by its header (repeat for more; each
    /// file is its own set, never added to another)
    #[arg(long = "incidents", value_name = "FILE")]
    pub incidents: Vec<PathBuf>,
}

impl IncidentFlags {
    /// Reads the dataset's own incidents, the files its dataset.json names (beside `data`) and
    /// these; a file that cannot be read at all is an error naming it.
    pub fn open(
        &self,
        engine: &Engine,
        data: Option<&Path>,
    ) -> Result<crate::incidents::Incidents, String> {
        let ds = engine.dataset();
        let named = data
            .map(|d| crate::incidents::import::beside(d, &ds.meta.incident_files))
            .unwrap_or_default();
        let cap = crate::load::limits::file_cap();
        let mut sets = Vec::new();
        for path in named.iter().chain(&self.incidents) {
            let set =
                crate::incidents::import::read_file(path, ds.meta.timezone, cap, &mut |_, _| true)
                    .map_err(|e| format!("error: {e}"))?;
            sets.push(std::sync::Arc::new(set));
        }
        Ok(crate::incidents::Incidents::new(ds, &sets))
    }

    /// The sets, when any holds an incident (a dataset with aggregate reports only adds
    /// nothing to the other commands' output).
    fn open_if_any(
        &self,
        engine: &Engine,
        data: Option<&Path>,
    ) -> Result<Option<crate::incidents::Incidents>, Failure> {
        let incidents = self.open(engine, data).map_err(|e| (EXIT_INVALID, e))?;
        let any = incidents.sets.iter().any(|p| !p.set.incidents.is_empty());
        Ok(any.then_some(incidents))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every zone's status at an instant, with the quotes behind it
    Status {
        /// The instant, e.g. 2016-05-01T12:00:00+03:00
        #[arg(long, value_name = "TIME")]
        at: String,
        /// Use only what had been reported by this time (a date alone: the end of that day)
        #[arg(long, value_name = "TIME")]
        known_on: Option<String>,
        #[command(flatten)]
        who: WhoFlags,
        /// Also each zone's incidents of the 7 days up to the instant (an `incidents` member)
        #[command(flatten)]
        files: IncidentFlags,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The zones whose status, contested flag or instrument changed between two instants (or
    /// between what was known on two dates), with the events between
    Diff {
        /// The first instant
        #[arg(long, value_name = "TIME")]
        from: String,
        /// The second instant
        #[arg(long, value_name = "TIME")]
        to: String,
        /// Both views use only what had been reported by this time
        #[arg(long, value_name = "TIME", conflicts_with_all = ["known_on_from", "known_on_to"])]
        known_on: Option<String>,
        /// The first view uses only what had been reported by this time
        #[arg(long, value_name = "TIME")]
        known_on_from: Option<String>,
        /// The second view uses only what had been reported by this time
        #[arg(long, value_name = "TIME")]
        known_on_to: Option<String>,
        #[command(flatten)]
        who: WhoFlags,
        /// Also each zone's incidents between the two instants, set by set (an `incidents`
        /// member)
        #[command(flatten)]
        files: IncidentFlags,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Incidents against the truce: per zone and set (the dataset's incidents.json, each
    /// --incidents file, the files dataset.json names), counted over all time or in each status
    /// interval with an equal stretch before it, beside the aggregate reports that overlap it
    Incidents {
        /// Only this zone (its id)
        #[arg(long, value_name = "ID")]
        zone: Option<String>,
        /// Count in each status interval, with the same length just before it and the aggregate
        /// reports with their quotes
        #[arg(long)]
        by_status: bool,
        /// Use only the dataset's records reported by this time (imported rows carry no date)
        #[arg(long, value_name = "TIME")]
        known_on: Option<String>,
        #[command(flatten)]
        files: IncidentFlags,
        #[command(flatten)]
        who: WhoFlags,
        #[arg(long, value_enum, default_value_t = TableJsonCsv::Table)]
        format: TableJsonCsv,
    },
    /// The chronology of events, with their citations
    Events {
        /// Only the events concerning this zone id
        #[arg(long, value_name = "ID")]
        zone: Option<String>,
        /// Only the editorial choices: events with a note or an approximate time, with the note
        #[arg(long)]
        notes: bool,
        /// Also the incidents (of the zone, with --zone) and the aggregate reports, in time
        /// order, with their quotes or the source's summary (an `incidents` member)
        #[command(flatten)]
        files: IncidentFlags,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Find the events whose quotes, outlets, headlines, speakers, actor, note or zone names
    /// hold every word of TEXT (case and accents ignored), in time order
    Search {
        /// The words to find, e.g. "Kuralenko Aleppo"
        #[arg(value_name = "TEXT")]
        text: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Check a dataset: a one-line summary, or every problem found
    Validate,
    /// Check that every quote is an exact excerpt of its source's archived text
    Verify {
        /// Folder of archived source texts, matched by sha256 or by `archive_file` name
        #[arg(long, value_name = "DIR")]
        sources: PathBuf,
    },
    /// Write the data out: status intervals or events as CSV, or the zones at an instant as
    /// GeoJSON (for spreadsheets, QGIS, Datawrapper, geojson.io); or draw the map with a caption
    /// as a PNG, or as an animated GIF or APNG over a range of time
    Export {
        #[arg(value_enum)]
        what: ExportWhat,
        /// geojson: the instant (default: the dataset's opening instant)
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// csv, geojson: use only what had been reported by this time (a date alone: the end of
        /// that day)
        #[arg(long, value_name = "TIME")]
        known_on: Option<String>,
        /// The file to write (replaced only once the export is complete); standard output if
        /// not given (png: required)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// png, animation: the zone whose status and lead quote the caption gives (its id)
        #[arg(long, value_name = "ID")]
        zone: Option<String>,
        /// png, animation: the picture's size in logical pixels (default 1400x900)
        #[arg(long, value_name = "WxH", value_parser = parse_size)]
        size: Option<(u32, u32)>,
        #[command(flatten)]
        animation: AnimationFlags,
        #[command(flatten)]
        who: WhoFlags,
        /// csv: each set's counts in every interval; geojson: each zone's 7 days up to the
        /// instant; png, animation: the marks on the map. With the credit lines
        #[command(flatten)]
        files: IncidentFlags,
    },
    /// List the areas a zone can name by `admin_code`: countries and their first-level
    /// divisions in the built-in world basemap, with their names. TEXT matches a code or any
    /// name, with case, accents and punctuation ignored ("Donetsk" and "Donets'k" find UA-14)
    Areas {
        /// Words of a name or a code, e.g. Donetsk (every area if not given)
        #[arg(value_name = "TEXT")]
        text: Option<String>,
        /// Only this country's areas (its ISO 3166-1 alpha-2 code, e.g. UA)
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Start a dataset in a spreadsheet: writes DIR/dataset.xlsx, every sheet with its columns,
    /// drop-down lists, one example row each and a README sheet (see data/FORMAT.md, "Writing
    /// a dataset in a spreadsheet")
    New {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Write a dataset in another format: a JSON folder, a CSV folder or an .xlsx workbook
    /// (with zones.geojson and places.geojson beside it), whole or not at all. SRC is a folder
    /// or workbook (default: --data, else the embedded dataset)
    Convert {
        #[arg(value_name = "SRC")]
        src: Option<PathBuf>,
        /// Where to write it; it must not exist yet. A name ending in .xlsx is a workbook
        #[arg(short, long, value_name = "DEST")]
        output: PathBuf,
        /// The format to write (default: xlsx for a name ending in .xlsx, else json)
        #[arg(long, value_enum)]
        to: Option<ConvertTo>,
    },
    /// Print the JSON Schema of a dataset file (the copies in data/schema/ are these)
    Schema {
        #[arg(value_enum)]
        file: SchemaArg,
    },
}

/// The formats `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConvertTo {
    /// A folder of dataset.json, zones.geojson, sources.json and events.json
    Json,
    /// A folder of CSV files, one per sheet
    Csv,
    /// An .xlsx workbook
    Xlsx,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    /// Every zone's status intervals, one row each (see data/FORMAT.md, "Exports")
    Csv,
    /// Every event, one row each, with its citations
    EventsCsv,
    /// Every zone at an instant, with its status as properties
    Geojson,
    /// The map at an instant with a caption (dataset, instant, the zone's status and lead
    /// quote, the command that reopens the view): draws in a window, so it needs a display
    Png,
    /// The map from --from to --to by --step, with the caption on every picture, as an
    /// animated GIF or APNG: draws in a window, so it needs a display
    Animation,
    /// The dataset's story as a web page: -o DIR gets index.html and a captioned picture per
    /// step (or, with --format gif|apng, -o FILE an animation of the steps); needs a display
    Story,
}

impl ExportWhat {
    /// Whether the export is drawn in a window (and needs the app and a display).
    pub fn draws(self) -> bool {
        matches!(
            self,
            ExportWhat::Png | ExportWhat::Animation | ExportWhat::Story
        )
    }
}

/// `export animation`'s own flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AnimationFlags {
    /// animation: the first instant pictured
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// animation: the last instant pictured (always pictured, even off the step)
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// animation: the time between pictures: minutes, hours or days, e.g. 30m, 6h, 1d
    /// (default 1d)
    #[arg(long, value_name = "STEP")]
    pub step: Option<String>,
    /// animation: gif or apng (default: from the file name, .gif or .png)
    #[arg(long, value_enum)]
    pub format: Option<crate::animation::Format>,
    /// animation: how long each picture is shown, in milliseconds (default 500)
    #[arg(long, value_name = "MS")]
    pub delay: Option<u16>,
}

impl AnimationFlags {
    /// The first of these flags given, for "only with `export animation`".
    fn first_given(&self) -> Option<&'static str> {
        [
            ("--from", self.from.is_some()),
            ("--to", self.to.is_some()),
            ("--step", self.step.is_some()),
            ("--format", self.format.is_some()),
            ("--delay", self.delay.is_some()),
        ]
        .into_iter()
        .find_map(|(flag, on)| on.then_some(flag))
    }
}

/// An animation's plan from its flags (see [`crate::animation::Request::plan`]).
pub fn animation_plan(
    engine: &Engine,
    flags: &AnimationFlags,
    output: &Path,
) -> Result<crate::animation::Plan, String> {
    crate::animation::Request {
        from: flags.from.clone(),
        to: flags.to.clone(),
        step: flags.step.clone(),
        format: flags.format,
        delay_ms: flags.delay,
    }
    .plan(engine, output)
}

/// `export story`: the flags a story sets itself refused, then the plan of its pictures.
fn story_export(
    cli: &Cli,
    engine: Engine,
    (given, who, animation): (&[(&str, bool)], &WhoFlags, &AnimationFlags),
    size: Option<(u32, u32)>,
    output: PathBuf,
) -> Result<DrawnExport, Failure> {
    if let Some((flag, _)) = given.iter().find(|(_, on)| *on) {
        return Err(usage(format!(
            "{flag}: each step of a story sets its own view"
        )));
    }
    if who.first_given().is_some() {
        return Err(usage(
            "--sources, --sides, --actor: each step of a story sets whose word counts".into(),
        ));
    }
    let size = size.unwrap_or((1400, 900));
    let plan = story_plan(&engine, animation, size, &output)?;
    Ok(DrawnExport {
        args: AppArgs {
            start: crate::session::Start {
                data_dir: cli.data.clone(),
                ..Default::default()
            },
            engine,
            screenshot: None,
            size: Some(size),
            fresh: true,
        },
        output,
        animation: Some(plan),
    })
}

/// `export story`'s plan: a picture per step, into a web page's folder (which must not exist
/// yet), or with `--format` an animation of the steps.
fn story_plan(
    engine: &Engine,
    flags: &AnimationFlags,
    size: (u32, u32),
    output: &Path,
) -> Result<crate::animation::Plan, Failure> {
    let only_format = AnimationFlags {
        format: None,
        ..flags.clone()
    };
    if let Some(flag) = only_format.first_given() {
        return Err(usage(format!(
            "{flag} is for `export animation`; a story's steps set their own instants and times"
        )));
    }
    let story = engine
        .dataset()
        .story
        .as_ref()
        .filter(|s| !s.steps.is_empty())
        .ok_or_else(|| {
            usage("export story: this dataset has no story (a story.json beside its files; see data/FORMAT.md, \"Stories\")".into())
        })?;
    if output.exists() {
        return Err(usage(format!(
            "export story: {} already exists; give a new {}",
            output.display(),
            if flags.format.is_some() {
                "file"
            } else {
                "folder"
            }
        )));
    }
    let page = match flags.format {
        Some(_) => None,
        None => Some(crate::publish::story_page(engine, story, size)),
    };
    let format = flags.format.unwrap_or_default();
    Ok(crate::animation::Plan::story(story, format, page))
}

/// The dataset files that have a JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaArg {
    Dataset,
    Sources,
    Events,
    Zones,
    Incidents,
    Story,
}

impl From<SchemaArg> for crate::load::schema::SchemaFile {
    fn from(arg: SchemaArg) -> Self {
        use crate::load::schema::SchemaFile;
        match arg {
            SchemaArg::Dataset => SchemaFile::Dataset,
            SchemaArg::Sources => SchemaFile::Sources,
            SchemaArg::Events => SchemaFile::Events,
            SchemaArg::Zones => SchemaFile::Zones,
            SchemaArg::Incidents => SchemaFile::Incidents,
            SchemaArg::Story => SchemaFile::Story,
        }
    }
}

impl Command {
    /// The subcommand as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Status { .. } => "status",
            Command::Diff { .. } => "diff",
            Command::Events { .. } => "events",
            Command::Incidents { .. } => "incidents",
            Command::Search { .. } => "search",
            Command::Validate => "validate",
            Command::Verify { .. } => "verify",
            Command::Export { .. } => "export",
            Command::Schema { .. } => "schema",
            Command::Areas { .. } => "areas",
            Command::New { .. } => "new",
            Command::Convert { .. } => "convert",
        }
    }
}

pub fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let err = || format!("\"{text}\" is not a size like 1400x900");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(err)?;
    let w: u32 = w.trim().parse().map_err(|_| err())?;
    let h: u32 = h.trim().parse().map_err(|_| err())?;
    if !(200..=8192).contains(&w) || !(200..=8192).contains(&h) {
        return Err(format!(
            "{text}: width and height must be between 200 and 8192"
        ));
    }
    Ok((w, h))
}

/// A failure: the exit code and the message for stderr.
/// An exit code and the message that goes with it.
pub type Failure = (u8, String);

fn usage(message: String) -> Failure {
    (EXIT_USAGE, format!("error: {message}"))
}

fn open_dataset(data: Option<&Path>) -> Result<Engine, Failure> {
    crate::open(data).map_err(|e| {
        (
            EXIT_INVALID,
            format!("error: invalid dataset\n{}", e.report()),
        )
    })
}

/// A time flag, read in the dataset's zone. Shared by the subcommands and the app's flags.
pub fn time_flag(engine: &Engine, flag: &str, text: &str) -> Result<DateTime<Utc>, String> {
    parse_user_time(text, engine.dataset().meta.timezone).map_err(|e| format!("--{flag}: {e}"))
}

/// `--known-on`: a date alone means the end of that local day, in the app and the CLI alike.
pub fn known_on_flag(engine: &Engine, text: &str) -> Result<DateTime<Utc>, String> {
    crate::timefmt::parse_known_on(text, engine.dataset().meta.timezone)
        .map_err(|e| format!("--known-on: {e}"))
}

/// A zone flag: a zone id of the dataset, or a message listing them.
pub fn zone_flag(engine: &Engine, id: &str) -> Result<usize, String> {
    let ds = engine.dataset();
    ds.zone_index(id).ok_or_else(|| {
        let ids: Vec<&str> = ds.zones.iter().map(|z| z.id.as_str()).collect();
        format!(
            "--zone: unknown zone \"{id}\"; the zones are {}",
            ids.join(", ")
        )
    })
}

/// What the app's flags ask for, checked against the dataset before any window opens.
pub struct AppArgs {
    pub engine: Engine,
    pub start: crate::session::Start,
    pub screenshot: Option<PathBuf>,
    pub size: Option<(u32, u32)>,
    pub fresh: bool,
}

/// Loads the dataset and checks the app's flags, as the subcommands check theirs.
pub fn app_args(cli: &Cli) -> Result<AppArgs, Failure> {
    let engine = open_dataset(cli.data.as_deref())?;
    let filter = cli.who.filter(engine.dataset()).map_err(usage)?;
    let time = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| time_flag(&engine, flag, t))
            .transpose()
            .map_err(usage)
    };
    let instant = time("at", &cli.at)?;
    let known_on = cli
        .known_on
        .as_deref()
        .map(|k| known_on_flag(&engine, k))
        .transpose()
        .map_err(usage)?;
    let zone = cli
        .zone
        .as_deref()
        .map(|id| zone_flag(&engine, id))
        .transpose()
        .map_err(usage)?;
    let no_story = engine
        .dataset()
        .story
        .as_ref()
        .is_none_or(|s| s.steps.is_empty());
    if cli.story && no_story {
        return Err(usage(
            "--story: this dataset has no story (a story.json beside its files; see data/FORMAT.md, \"Stories\")".into(),
        ));
    }
    Ok(AppArgs {
        start: crate::session::Start {
            instant,
            zone,
            known_on,
            data_dir: cli.data.clone(),
            high_contrast: cli.high_contrast,
            filter,
            kinds: cli
                .hide_kinds
                .as_deref()
                .map(crate::session::Kinds::hiding)
                .transpose()
                .map_err(usage)?,
            incident_files: cli.incidents.clone(),
            story: cli.story,
        },
        engine,
        screenshot: cli.screenshot.clone(),
        size: cli.size,
        fresh: cli.fresh,
    })
}

/// A drawn export (`export png` or `export animation`): the view to draw, the file, the size,
/// and for an animation its plan, all checked against the dataset before any window opens.
pub struct DrawnExport {
    pub args: AppArgs,
    pub output: PathBuf,
    pub animation: Option<crate::animation::Plan>,
}

/// `export png`'s and `export animation`'s flags, checked.
pub fn drawn_args(cli: &Cli) -> Result<DrawnExport, Failure> {
    let Some(Command::Export {
        what,
        at,
        known_on,
        output,
        zone,
        size,
        animation,
        who,
        files,
    }) = &cli.command
    else {
        return Err(usage("not an `export` command line".into()));
    };
    let name = match what {
        ExportWhat::Png => "png",
        ExportWhat::Animation => "animation",
        ExportWhat::Story => "story",
        _ => return Err(usage("not a drawn export".into())),
    };
    let output = output
        .clone()
        .ok_or_else(|| usage(format!("export {name}: -o FILE is required")))?;
    let engine = open_dataset(cli.data.as_deref())?;
    if *what == ExportWhat::Story {
        let given = [
            ("--at", at.is_some()),
            ("--known-on", known_on.is_some()),
            ("--zone", zone.is_some()),
            ("--incidents", !files.incidents.is_empty()),
        ];
        return story_export(cli, engine, (&given, who, animation), *size, output);
    }
    let plan = match what {
        ExportWhat::Animation if at.is_some() => {
            return Err(usage(
                "--at: an animation runs from --from to --to; --at is for `export png`".into(),
            ));
        }
        ExportWhat::Animation => Some(animation_plan(&engine, animation, &output).map_err(usage)?),
        _ => match animation.first_given() {
            Some(flag) => {
                return Err(usage(format!("{flag} is for `export animation`")));
            }
            None => None,
        },
    };
    let instant = match &plan {
        Some(plan) => plan.instants.first().copied(),
        None => at
            .as_deref()
            .map(|t| time_flag(&engine, "at", t))
            .transpose()
            .map_err(usage)?,
    };
    let known_on = known_on
        .as_deref()
        .map(|k| known_on_flag(&engine, k))
        .transpose()
        .map_err(usage)?;
    let zone = zone
        .as_deref()
        .map(|id| zone_flag(&engine, id))
        .transpose()
        .map_err(usage)?;
    let args = AppArgs {
        start: crate::session::Start {
            instant,
            zone,
            known_on,
            data_dir: cli.data.clone(),
            high_contrast: false,
            filter: who.filter(engine.dataset()).map_err(usage)?,
            kinds: None,
            incident_files: files.incidents.clone(),
            story: false,
        },
        engine,
        screenshot: plan.is_none().then(|| output.clone()),
        size: Some(size.unwrap_or((1400, 900))),
        fresh: true,
    };
    Ok(DrawnExport {
        args,
        output,
        animation: plan,
    })
}

/// Runs a subcommand, writing its output to `out` and messages to `err`. Returns the exit code.
pub fn run(command: &Command, data: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result = match without_dataset(command, out) {
        Some(result) => result,
        None => with_dataset(command, data, out),
    };
    match result {
        Ok(()) => 0,
        Err((code, message)) => {
            let _ = writeln!(err, "{}", message.trim_end());
            code
        }
    }
}

/// The commands that read no dataset: the schema is the format's, the areas the built-in
/// basemap's. `None` for every other command.
fn without_dataset(command: &Command, out: &mut dyn Write) -> Option<Result<(), Failure>> {
    match command {
        Command::Schema { file } => {
            let text = crate::load::schema::schema((*file).into());
            Some(
                out.write_all(text.as_bytes())
                    .map_err(|e| (EXIT_INVALID, format!("error: cannot write output: {e}"))),
            )
        }
        Command::Areas {
            text,
            country,
            format,
        } => Some(areas(
            text.as_deref().unwrap_or(""),
            country.as_deref(),
            *format,
            out,
        )),
        Command::New { dir } => Some(new_workbook(dir, out)),
        _ => None,
    }
}

fn new_workbook(dir: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let path = crate::convert::template(dir).map_err(|e| (EXIT_INVALID, format!("error: {e}")))?;
    writeln!(
        out,
        "wrote {}: fill it in (its README sheet says how), then: truce-atlas validate --data {}",
        path.display(),
        path.display()
    )
    .map_err(write_failed)
}

/// `convert`: the source is read and checked whole before anything is written.
fn convert(
    src: Option<&Path>,
    dest: &Path,
    to: Option<ConvertTo>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    use crate::convert::Format as F;
    let format = match to {
        Some(ConvertTo::Json) => F::Json,
        Some(ConvertTo::Csv) => F::Csv,
        Some(ConvertTo::Xlsx) => F::Xlsx,
        None => F::of(dest, false).map_err(usage)?,
    };
    if format == F::Xlsx
        && dest
            .extension()
            .is_none_or(|e| !e.eq_ignore_ascii_case("xlsx"))
    {
        return Err(usage(format!(
            "{}: a workbook's name ends in .xlsx",
            dest.display()
        )));
    }
    let engine = open_dataset(src)?;
    crate::convert::write(engine.dataset(), dest, format)
        .map_err(|e| (EXIT_INVALID, format!("error: {e}")))?;
    writeln!(out, "wrote {}", dest.display()).map_err(write_failed)
}

fn with_dataset(
    command: &Command,
    data: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if let Command::Convert { src, output, to } = command {
        return convert(src.as_deref().or(data), output, *to, out);
    }
    open_dataset(data).and_then(|engine| match command {
        Command::Status {
            at,
            known_on,
            who,
            files,
            format,
        } => {
            let engine = who.apply(engine).map_err(usage)?;
            let incidents = files.open_if_any(&engine, data)?;
            status(&engine, at, known_on.as_deref(), *format, incidents.as_ref(), out)
        }
        Command::Diff {
            from,
            to,
            known_on,
            known_on_from,
            known_on_to,
            who,
            files,
            format,
        } => {
            let engine = who.apply(engine).map_err(usage)?;
            let views = (from.as_str(), to.as_str());
            let known = (known_on, known_on_from, known_on_to);
            diff_command(&engine, data, views, known, files, *format, out)
        }
        Command::Events {
            zone,
            notes,
            files,
            format,
        } => {
            let incidents = files.open_if_any(&engine, data)?;
            events(&engine, zone.as_deref(), *notes, incidents.as_ref(), *format, out)
        }
        Command::Incidents {
            zone,
            by_status,
            known_on,
            files,
            who,
            format,
        } => {
            let engine = who.apply(engine).map_err(usage)?;
            let flags = (zone.as_deref(), *by_status, known_on.as_deref());
            incidents_command(&engine, data, files, flags, *format, out)
        }
        Command::Search { text, format } => search(&engine, text, *format, out),
        Command::Validate => validate(&engine, out),
        Command::Verify { sources } => verify_quotes(&engine, sources, out),
        Command::Export {
            what,
            at,
            known_on,
            output,
            zone,
            size,
            animation,
            who,
            files,
        } => {
            let engine = who.apply(engine).map_err(usage)?;
            if *what == ExportWhat::EventsCsv && !files.incidents.is_empty() {
                return Err(usage(
                    "--incidents: the event list holds events only; use `events --incidents` or `incidents --format csv`".into(),
                ));
            }
            if !what.draws() && (zone.is_some() || size.is_some()) {
                return Err(usage(
                    "--zone and --size are for `export png` and `export animation`; the data exports hold every zone"
                        .into(),
                ));
            }
            if let (false, Some(flag)) = (*what == ExportWhat::Animation, animation.first_given()) {
                return Err(usage(format!("{flag} is for `export animation`")));
            }
            let flags = ExportFlags {
                at: at.as_deref(),
                known_on: known_on.as_deref(),
                output: output.as_deref(),
            };
            let incidents = files.open_if_any(&engine, data)?;
            export(&engine, *what, &flags, incidents.as_ref(), out)
        }
        Command::Schema { .. } | Command::Areas { .. } | Command::New { .. } | Command::Convert { .. } => Ok(()),
    })
}

/// `diff`: the two views (each with its "as known on"), and the incidents between them.
fn diff_command(
    engine: &Engine,
    data: Option<&Path>,
    (from, to): (&str, &str),
    (known_on, known_on_from, known_on_to): (&Option<String>, &Option<String>, &Option<String>),
    files: &IncidentFlags,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let flag = |name: &str, text: &Option<String>| {
        text.as_deref()
            .map(|k| known_on_flag(engine, k).map_err(|e| e.replacen("--known-on", name, 1)))
            .transpose()
            .map_err(usage)
    };
    let both = flag("--known-on", known_on)?;
    let from = crate::compare::View {
        at: time_flag(engine, "from", from).map_err(usage)?,
        known_on: flag("--known-on-from", known_on_from)?.or(both),
    };
    let to = crate::compare::View {
        at: time_flag(engine, "to", to).map_err(usage)?,
        known_on: flag("--known-on-to", known_on_to)?.or(both),
    };
    let incidents = files.open_if_any(engine, data)?;
    let extra = incidents
        .as_ref()
        .map(|i| listing::between(engine, i, (from.at, to.at), to.known_on));
    match format {
        Format::Json => with_member(out, &report::diff_doc(engine, from, to), extra),
        Format::Table => {
            write!(out, "{}", report::diff_table(engine, from, to)).map_err(write_failed)?;
            let lines = extra.map(|d| listing::between_lines(engine, &d));
            lines_out(out, lines)
        }
    }
}

/// `incidents`: the flags `--zone`, `--by-status` and `--known-on` checked, the files read.
fn incidents_command(
    engine: &Engine,
    data: Option<&Path>,
    files: &IncidentFlags,
    (zone, by_status, known_on): (Option<&str>, bool, Option<&str>),
    format: TableJsonCsv,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    use crate::incidents::doc;
    let ask = doc::Ask {
        zone: zone
            .map(|id| zone_flag(engine, id))
            .transpose()
            .map_err(usage)?,
        by_status,
        known_on: known_on
            .map(|k| known_on_flag(engine, k))
            .transpose()
            .map_err(usage)?,
    };
    let incidents = &files.open(engine, data).map_err(|e| (EXIT_INVALID, e))?;
    let document = doc::incidents_doc(engine, incidents, ask);
    match format {
        TableJsonCsv::Json => json(out, &document),
        TableJsonCsv::Table => {
            write!(out, "{}", doc::incidents_table(&document)).map_err(write_failed)
        }
        TableJsonCsv::Csv => doc::incidents_csv(&document, out).map_err(write_failed),
    }
}

struct ExportFlags<'a> {
    at: Option<&'a str>,
    known_on: Option<&'a str>,
    output: Option<&'a Path>,
}

fn export(
    engine: &Engine,
    what: ExportWhat,
    flags: &ExportFlags<'_>,
    incidents: Option<&crate::incidents::Incidents>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if flags.at.is_some() && what != ExportWhat::Geojson {
        return Err(usage(
            "--at: the CSV exports hold every time; --at is for `export geojson`".into(),
        ));
    }
    let known_on = flags
        .known_on
        .map(|k| known_on_flag(engine, k))
        .transpose()
        .map_err(usage)?;
    if known_on.is_some() && what == ExportWhat::EventsCsv {
        return Err(usage(
            "--known-on: the event list is every event; use it with `export csv` or `export geojson`"
                .into(),
        ));
    }
    let at = match flags.at {
        Some(t) => time_flag(engine, "at", t).map_err(usage)?,
        None => engine.default_instant(),
    };
    let kind = match what {
        ExportWhat::Csv => crate::export::Kind::Intervals,
        ExportWhat::EventsCsv => crate::export::Kind::Events,
        ExportWhat::Geojson => crate::export::Kind::Snapshot,
        // The binary draws them through the app (main.rs); here there is no window to draw in.
        ExportWhat::Png | ExportWhat::Animation | ExportWhat::Story => {
            return Err(usage(
                "export png, export animation and export story draw the map in a window: they need the app (the `gui` feature) and a display".into(),
            ));
        }
    };
    let write = |w: &mut dyn Write| kind.write(engine, at, known_on, incidents, w);
    let failed = |e: crate::export::ExportError| (EXIT_INVALID, format!("error: {e}"));
    match flags.output {
        None => write(out).map_err(failed),
        Some(path) => crate::export::to_file(path, write).map_err(failed),
    }
}

fn write_failed(e: std::io::Error) -> Failure {
    (EXIT_INVALID, format!("error: cannot write output: {e}"))
}

fn json(out: &mut dyn Write, doc: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(doc).map_err(|e| (EXIT_INVALID, e.to_string()))?;
    writeln!(out, "{text}").map_err(write_failed)
}

fn status(
    engine: &Engine,
    at: &str,
    known_on: Option<&str>,
    format: Format,
    incidents: Option<&crate::incidents::Incidents>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let at = time_flag(engine, "at", at).map_err(usage)?;
    let known_on = known_on
        .map(|k| known_on_flag(engine, k))
        .transpose()
        .map_err(usage)?;
    let extra = incidents
        .and_then(|i| crate::incidents::doc::status_incidents_doc(engine, i, at, known_on));
    match format {
        Format::Json => with_member(out, &report::status_doc(engine, at, known_on), extra),
        Format::Table => {
            write!(out, "{}", report::status_table(engine, at, known_on)).map_err(write_failed)?;
            lines_out(out, extra.map(|d| status_incident_lines(engine, &d)))
        }
    }
}

/// The table's lines for `status --incidents`: a zone's counts of the 7 days, set by set.
fn status_incident_lines(
    engine: &Engine,
    doc: &crate::incidents::doc::StatusIncidentsDoc,
) -> Vec<String> {
    let mut lines = vec![format!(
        "\nIncidents from {} to {} (7 local days):",
        doc.from, doc.to
    )];
    for (z, zone) in doc.zones.iter().enumerate() {
        let sets: Vec<String> = zone
            .sets
            .iter()
            .map(|c| match c.killed_at_least {
                Some(k) => format!("{}: {} incidents, at least {k} killed", c.set, c.incidents),
                None => format!("{}: {} incidents", c.set, c.incidents),
            })
            .collect();
        let violence = if zone.violence_reported_during_truce {
            " · violence reported during the truce"
        } else {
            ""
        };
        lines.push(format!(
            "  {}: {}{violence}",
            engine.dataset().zones[z].name,
            sets.join("; ")
        ));
    }
    lines.push(doc.note.to_string());
    lines.extend(doc.credits.iter().map(|c| format!("Data: {c}")));
    lines
}

fn events(
    engine: &Engine,
    zone: Option<&str>,
    notes: bool,
    incidents: Option<&crate::incidents::Incidents>,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let zone = zone
        .map(|id| zone_flag(engine, id))
        .transpose()
        .map_err(usage)?;
    let filter = report::EventFilter { zone, notes };
    let extra = incidents.map(|i| listing::chronology(engine, i, zone));
    match format {
        Format::Json => with_member(out, &report::events_doc(engine, filter), extra),
        Format::Table => {
            write!(out, "{}", report::events_table(engine, filter)).map_err(write_failed)?;
            lines_out(out, extra.map(|d| listing::chronology_lines(&d)))
        }
    }
}

/// A document with an `incidents` member added when there is one.
fn with_member(
    out: &mut dyn Write,
    doc: &impl serde::Serialize,
    extra: Option<impl serde::Serialize>,
) -> Result<(), Failure> {
    let failed = |e: serde_json::Error| (EXIT_INVALID, e.to_string());
    let mut doc = serde_json::to_value(doc).map_err(failed)?;
    if let (Some(extra), Some(map)) = (extra, doc.as_object_mut()) {
        map.insert(
            "incidents".into(),
            serde_json::to_value(extra).map_err(failed)?,
        );
    }
    json(out, &doc)
}

fn lines_out(out: &mut dyn Write, lines: Option<Vec<String>>) -> Result<(), Failure> {
    for line in lines.unwrap_or_default() {
        writeln!(out, "{line}").map_err(write_failed)?;
    }
    Ok(())
}

fn search(engine: &Engine, text: &str, format: Format, out: &mut dyn Write) -> Result<(), Failure> {
    let ds = engine.dataset();
    if crate::search::words(text).is_empty() {
        return Err(usage("search: give at least one word to find".into()));
    }
    let hits = crate::search::Index::new(ds).search(ds, text);
    match format {
        Format::Json => json(out, &crate::search::search_doc(ds, text, &hits)),
        Format::Table => {
            write!(out, "{}", crate::search::search_table(ds, &hits)).map_err(write_failed)
        }
    }
}

/// `areas`: nothing found is an error (exit 1), as for grep, so that a script can tell.
fn areas(
    text: &str,
    country: Option<&str>,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let world = crate::basemap::Basemap::shared();
    let doc = report::areas_doc(world, text, country);
    if doc.areas.is_empty() {
        let near = world.suggest(text, 5);
        let within = country
            .map(|c| format!(" in {}", c.to_uppercase()))
            .unwrap_or_default();
        return Err((
            EXIT_INVALID,
            format!(
                "error: no area{within} matches \"{text}\"; nearest codes: {}",
                near.join(", ")
            ),
        ));
    }
    match format {
        Format::Json => json(out, &doc),
        Format::Table => write!(out, "{}", report::areas_table(&doc)).map_err(write_failed),
    }
}

fn validate(engine: &Engine, out: &mut dyn Write) -> Result<(), Failure> {
    let ds = engine.dataset();
    let citations: usize = ds.events.iter().map(|e| e.citations.len()).sum();
    let story = ds.story.as_ref().map_or(String::new(), |s| {
        let n = s.steps.len();
        format!(", a story of {n} step{}", if n == 1 { "" } else { "s" })
    });
    writeln!(
        out,
        "ok: \"{}\": {} zones, {} sources, {} instruments, {} events, {} citations{story}",
        ds.meta.name,
        ds.zones.len(),
        ds.sources.len(),
        ds.instruments.len(),
        ds.events.len(),
        citations
    )
    .map_err(write_failed)?;
    for note in &ds.notes {
        writeln!(out, "note: {note}").map_err(write_failed)?;
    }
    Ok(())
}

fn verify_quotes(engine: &Engine, sources: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let report = verify::verify(engine.dataset(), sources)
        .map_err(|e| (EXIT_INVALID, format!("error: {e}")))?;
    for skipped in &report.skipped {
        writeln!(out, "note: not read: {skipped}").map_err(write_failed)?;
    }
    if report.misses.is_empty() {
        writeln!(
            out,
            "ok: {} quotes are exact excerpts of {} archived sources",
            report.quotes_checked, report.sources_found
        )
        .map_err(write_failed)
    } else {
        let mut text = format!(
            "error: {} problem(s) verifying quotes\n",
            report.misses.len()
        );
        for miss in &report.misses {
            text.push_str(&format!("  {miss}\n"));
        }
        Err((EXIT_INVALID, text))
    }
}
