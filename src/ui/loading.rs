//! Opening a big dataset on a worker thread, so the window keeps drawing (and says so) while
//! the files are read, checked and indexed; filtering one likewise. Both are [`Job`]s. Small ones open at once, as before: a spinner that
//! flashes for a few milliseconds helps nobody.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::load::{DATASET_FILE, EVENTS_FILE, PLACES_FILE, SOURCES_FILE, ZONES_FILE};
use crate::session::Opened;
use crate::ui::job::{Job, Poll};

/// Datasets whose files add up to more than this open on a worker thread (the Syria dataset is
/// 60 KB; 1,000 zones with 100,000 events about 60 MB, half a second to open).
pub const BACKGROUND_FROM_BYTES: u64 = 4 << 20;

/// The files' total size, as far as it can be read (a file that cannot is left to the loader
/// to report).
fn dataset_bytes(dir: &Path) -> u64 {
    // A workbook is compressed: its sheets hold about five times its size of text.
    if dir.is_file() {
        return std::fs::metadata(dir).map_or(0, |m| m.len().saturating_mul(5));
    }
    let csv: u64 = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    csv + [
        DATASET_FILE,
        ZONES_FILE,
        SOURCES_FILE,
        EVENTS_FILE,
        PLACES_FILE,
    ]
    .iter()
    .filter_map(|name| std::fs::metadata(dir.join(name)).ok())
    .map(|m| m.len())
    .sum::<u64>()
}

/// Whether `dir` is big enough to open on a worker thread.
pub fn in_background(dir: Option<&Path>, from_bytes: u64) -> bool {
    dir.is_some_and(|d| dataset_bytes(d) >= from_bytes)
}

/// A dataset being opened on a worker thread.
pub struct Loading {
    pub dir: PathBuf,
    /// File > Reload of the open dataset (kept view), not a new one.
    pub reload: bool,
    job: Job<Opened>,
}

impl Loading {
    pub fn start(dir: PathBuf, ctx: &egui::Context) -> Loading {
        let for_thread = dir.clone();
        let job = Job::start(format!("Opening {}", dir.display()), Some(ctx), move |_| {
            Opened::read(Some(for_thread))
        });
        Loading {
            dir,
            reload: false,
            job,
        }
    }

    /// The open dataset read again on a worker thread (File > Reload of a big one).
    pub fn reload(dir: PathBuf, ctx: &egui::Context) -> Loading {
        Loading {
            reload: true,
            ..Loading::start(dir, ctx)
        }
    }

    /// The opened dataset once it is ready, or why there is none.
    pub fn poll(&self) -> Option<Result<Opened, String>> {
        // Opening replaces the dataset: no generation can make its result stale.
        match self.job.poll(0) {
            Poll::Done(opened) => Some(Ok(opened)),
            Poll::Running | Poll::Stale => None,
            Poll::Died(message) => Some(Err(message)),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.job.elapsed()
    }
}

/// Datasets with at least this many events are filtered on a worker thread: 100,000 events
/// take 0.12 s to re-index on the 2-core machine of docs/PERFORMANCE.md, 20,000 some 25 ms;
/// slower machines are why the line is drawn this low. The Syria dataset's 32 take a blink.
pub const BACKGROUND_FILTER_FROM_EVENTS: usize = 20_000;

/// A filtered engine being built on a worker thread, while the window keeps showing (and
/// answering with) the one before.
pub struct Filtering {
    pub filter: crate::filter::Filter,
    job: Job<crate::session::Filtered>,
}

impl Filtering {
    pub fn start(
        refilter: crate::engine::Refilter,
        generation: u64,
        filter: crate::filter::Filter,
        ctx: &egui::Context,
    ) -> Filtering {
        let for_thread = filter.clone();
        let what = "Recomputing the statuses for the new choice of sources";
        let job = Job::start(what, Some(ctx), move |_| {
            let engine = std::sync::Arc::new(refilter.run(&for_thread));
            crate::session::Filtered { generation, engine }
        })
        .for_generation(generation);
        Filtering { filter, job }
    }

    /// The filtered engine once it is ready, `Ok(None)` if it was built for a dataset since
    /// replaced, or why there is none.
    pub fn poll(
        &self,
        generation: u64,
    ) -> Option<Result<Option<crate::session::Filtered>, String>> {
        match self.job.poll(generation) {
            Poll::Done(filtered) => Some(Ok(Some(filtered))),
            Poll::Stale => Some(Ok(None)),
            Poll::Running => None,
            Poll::Died(message) => Some(Err(message)),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.job.elapsed()
    }
}
