//! Opening a big dataset on a worker thread, so the window keeps drawing (and says so) while
//! the files are read, checked and indexed. Small ones open at once, as before: a spinner that
//! flashes for a few milliseconds helps nobody.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::load::{DATASET_FILE, EVENTS_FILE, PLACES_FILE, SOURCES_FILE, ZONES_FILE};
use crate::session::Opened;

/// Datasets whose files add up to more than this open on a worker thread (the Syria dataset is
/// 60 KB; 1,000 zones with 100,000 events about 60 MB, half a second to open).
pub const BACKGROUND_FROM_BYTES: u64 = 4 << 20;

/// The files' total size, as far as it can be read (a file that cannot is left to the loader
/// to report).
fn dataset_bytes(dir: &Path) -> u64 {
    [
        DATASET_FILE,
        ZONES_FILE,
        SOURCES_FILE,
        EVENTS_FILE,
        PLACES_FILE,
    ]
    .iter()
    .filter_map(|name| std::fs::metadata(dir.join(name)).ok())
    .map(|m| m.len())
    .sum()
}

/// Whether `dir` is big enough to open on a worker thread.
pub fn in_background(dir: Option<&Path>, from_bytes: u64) -> bool {
    dir.is_some_and(|d| dataset_bytes(d) >= from_bytes)
}

/// A dataset being opened on a worker thread.
pub struct Loading {
    pub dir: PathBuf,
    pub started: Instant,
    done: Receiver<Opened>,
}

impl Loading {
    pub fn start(dir: PathBuf, ctx: &egui::Context) -> Loading {
        let (tx, done) = channel();
        let ctx = ctx.clone();
        let for_thread = dir.clone();
        std::thread::spawn(move || {
            let _ = tx.send(Opened::read(Some(for_thread)));
            ctx.request_repaint();
        });
        Loading {
            dir,
            started: Instant::now(),
            done,
        }
    }

    /// The opened dataset once it is ready. A worker that died (it cannot panic by design, but
    /// a thread can be killed) gives an error, not a wait for ever.
    pub fn poll(&self) -> Option<Result<Opened, String>> {
        match self.done.try_recv() {
            Ok(opened) => Some(Ok(opened)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(format!(
                "Opening {} stopped before it finished.",
                self.dir.display()
            ))),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
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
    started: Instant,
    done: Receiver<crate::session::Filtered>,
}

impl Filtering {
    pub fn start(
        refilter: crate::engine::Refilter,
        generation: u64,
        filter: crate::filter::Filter,
        ctx: &egui::Context,
    ) -> Filtering {
        let (tx, done) = channel();
        let ctx = ctx.clone();
        let for_thread = filter.clone();
        std::thread::spawn(move || {
            let engine = std::sync::Arc::new(refilter.run(&for_thread));
            let _ = tx.send(crate::session::Filtered { generation, engine });
            ctx.request_repaint();
        });
        Filtering {
            filter,
            started: Instant::now(),
            done,
        }
    }

    /// The filtered engine once it is ready; an error if the worker stopped without one.
    pub fn poll(&self) -> Option<Result<crate::session::Filtered, String>> {
        match self.done.try_recv() {
            Ok(filtered) => Some(Ok(filtered)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(
                "Recomputing the statuses for the new choice of sources stopped before it finished."
                    .to_owned(),
            )),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
