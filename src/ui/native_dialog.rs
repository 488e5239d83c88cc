//! The system's folder picker (the XDG desktop portal, or zenity), run on its own thread so
//! the window keeps drawing while it is open. Where neither is there (a bare X server, CI) the
//! app's own folder browser (`open_dialog`) is used instead, and always in tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::ui::job::{Job, Poll};

/// A picker that comes back with nothing sooner than this never showed itself: nobody cancels
/// a dialog in a fifth of a second. The app's own browser opens instead.
const TOO_QUICK: Duration = Duration::from_millis(200);

/// Whether a system picker may be there: a session bus for the portal, or zenity.
pub fn available() -> bool {
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|dir| Path::new(&dir).join("bus").exists());
    let zenity = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()));
    bus || zenity
}

/// What came of an open picker.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Waiting,
    Chosen(PathBuf),
    Cancelled,
    /// It could not be shown: use the app's own browser.
    Unavailable,
}

pub struct Pending {
    job: Job<Option<PathBuf>>,
}

impl Pending {
    /// Opens the picker at `start`; `ctx` is woken when it closes.
    pub fn open(start: &Path, ctx: &egui::Context) -> Pending {
        let start = start.to_path_buf();
        let job = Job::start("The folder picker", Some(ctx), move |_| {
            rfd::FileDialog::new()
                .set_title("Open a dataset folder")
                .set_directory(&start)
                .pick_folder()
        });
        Pending { job }
    }

    /// Opens the file picker for a workbook at `start`; `ctx` is woken when it closes.
    pub fn open_workbook(start: &Path, ctx: &egui::Context) -> Pending {
        let start = start.to_path_buf();
        let job = Job::start("The file picker", Some(ctx), move |_| {
            rfd::FileDialog::new()
                .set_title("Open a dataset workbook")
                .set_directory(&start)
                .add_filter("Spreadsheet (.xlsx, .ods)", &["xlsx", "ods"])
                .pick_file()
        });
        Pending { job }
    }

    /// Opens the file picker for an incident file (ACLED or UCDP CSV) at `start`.
    pub fn open_incidents(start: &Path, ctx: &egui::Context) -> Pending {
        let start = start.to_path_buf();
        let job = Job::start("The file picker", Some(ctx), move |_| {
            rfd::FileDialog::new()
                .set_title("Add incident data (an ACLED export or a UCDP GED CSV)")
                .set_directory(&start)
                .add_filter("CSV (.csv)", &["csv"])
                .pick_file()
        });
        Pending { job }
    }

    /// Opens the save dialog in `folder`, offering `name`; `ctx` is woken when it closes.
    pub fn save(folder: &Path, name: &str, ctx: &egui::Context) -> Pending {
        let (folder, name) = (folder.to_path_buf(), name.to_string());
        let job = Job::start("The save dialog", Some(ctx), move |_| {
            rfd::FileDialog::new()
                .set_title("Export")
                .set_directory(&folder)
                .set_file_name(&name)
                .save_file()
        });
        Pending { job }
    }

    pub fn poll(&self) -> Outcome {
        // A dialog depends on no dataset: nothing makes its answer stale.
        match self.job.poll(0) {
            Poll::Done(Some(dir)) => Outcome::Chosen(dir),
            Poll::Done(None) if self.job.elapsed() < TOO_QUICK => Outcome::Unavailable,
            Poll::Done(None) => Outcome::Cancelled,
            Poll::Running => Outcome::Waiting,
            Poll::Stale | Poll::Died(_) => Outcome::Unavailable,
        }
    }
}
