//! View > Watch files: the open dataset's folder watched, so that a save in LibreOffice, Excel
//! or an editor reloads the map within a second, without a restart.
//!
//! The folder is watched, not the file: a program that saves by writing a new file and renaming
//! it over the old one replaces the file a file watch would be on. Only the dataset's own files
//! count (a workbook's lock file `.~lock.x.xlsx#`, Excel's `~$x.xlsx` and any temporary file are
//! other names). After the last change the files must hold still (size and time unchanged over
//! a short wait) before they are read, on this module's thread; a read that fails is tried once
//! more a moment later, since a half-written file is no version to report.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, SystemTime};

use notify::{RecursiveMode, Watcher as _};

use crate::session::Opened;

/// Changes closer together than this are one save.
const QUIET: Duration = Duration::from_millis(250);
/// How long the files must hold still before they are read.
const STILL: Duration = Duration::from_millis(100);
/// How long to wait before trying a failed read again.
const RETRY: Duration = Duration::from_millis(400);
/// Past this, files that keep changing are read as they are.
const MOST: Duration = Duration::from_secs(5);

/// A file as it was seen: its path, length and modification time.
type Stamp = (PathBuf, u64, Option<SystemTime>);

pub struct Watcher {
    path: PathBuf,
    results: Receiver<Opened>,
    /// Files the app wrote itself (a saved story), as it left them: a change that is only
    /// these is the app's own and reloads nothing.
    own: std::sync::Arc<std::sync::Mutex<Vec<Stamp>>>,
    /// Dropped with the watcher, which stops the events and so the thread.
    _watcher: notify::RecommendedWatcher,
}

impl Watcher {
    /// Watches the dataset at `path` (a folder, or a workbook in one). `Err` says why it cannot
    /// be watched (a network drive may not report changes; File > Reload still works).
    pub fn start(path: &Path, ctx: &egui::Context) -> Result<Watcher, String> {
        let dir = if path.is_file() {
            path.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."))
        } else {
            path.to_path_buf()
        };
        let (events_tx, events) = channel::<notify::Event>();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(event) = event {
                    let _ = events_tx.send(event);
                }
            })
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        watcher
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        let (results_tx, results) = channel();
        let (ctx, dataset) = (ctx.clone(), path.to_path_buf());
        let own = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let theirs = own.clone();
        std::thread::Builder::new()
            .name("watch files".into())
            .spawn(move || run(&dataset, &events, &results_tx, &ctx, &theirs))
            .map_err(|e| format!("cannot watch: {e}"))?;
        Ok(Watcher {
            path: path.to_path_buf(),
            results,
            own,
            _watcher: watcher,
        })
    }

    /// The app has just written `file` itself: its change is not a reason to reload.
    pub fn wrote(&self, file: &Path) {
        let stamp = std::fs::metadata(file)
            .ok()
            .map(|m| (file.to_path_buf(), m.len(), m.modified().ok()));
        if let (Some(stamp), Ok(mut own)) = (stamp, self.own.lock()) {
            own.retain(|(p, _, _)| p != file);
            own.push(stamp);
        }
    }

    /// The dataset this watches.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The newest version read since the last poll, if any.
    pub fn poll(&self) -> Option<Opened> {
        self.results.try_iter().last()
    }
}

/// Whether a file of the folder is part of the dataset at `dataset`.
pub fn counts(dataset: &Path, file: &Path) -> bool {
    let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with(".~lock.") || name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    if dataset.is_file() {
        return dataset.file_name().is_some_and(|own| own == name)
            || name == crate::load::ZONES_FILE
            || name == crate::load::PLACES_FILE
            || name == crate::load::STORY_FILE;
    }
    name.ends_with(".json") || name.ends_with(".geojson") || name.ends_with(".csv")
}

fn run(
    dataset: &Path,
    events: &Receiver<notify::Event>,
    results: &Sender<Opened>,
    ctx: &egui::Context,
    own: &std::sync::Mutex<Vec<Stamp>>,
) {
    let relevant = |e: &notify::Event| {
        !matches!(e.kind, notify::EventKind::Access(_))
            && e.paths.iter().any(|p| counts(dataset, p))
    };
    let mut last = stamp(dataset);
    loop {
        // Wait for a change of one of the dataset's files; a closed channel ends the thread.
        match events.recv() {
            Ok(e) if relevant(&e) => {}
            Ok(_) => continue,
            Err(_) => return,
        }
        // Then for the writes to stop.
        loop {
            match events.recv_timeout(QUIET) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        hold_still(dataset);
        let now = stamp(dataset);
        let only_own = own
            .lock()
            .is_ok_and(|own| only_own_changes(&last, &now, &own));
        last = now;
        if only_own {
            continue;
        }
        let mut opened = Opened::read(Some(dataset.to_path_buf()));
        if opened.result.is_err() {
            std::thread::sleep(RETRY);
            hold_still(dataset);
            opened = Opened::read(Some(dataset.to_path_buf()));
        }
        if results.send(opened).is_err() {
            return;
        }
        ctx.request_repaint();
    }
}

/// Whether every file that changed from `before` to `after` is one the app wrote, as it left it.
fn only_own_changes(before: &[Stamp], after: &[Stamp], own: &[Stamp]) -> bool {
    let changed: Vec<&Stamp> = after.iter().filter(|s| !before.contains(s)).collect();
    let gone = before.iter().any(|b| !after.iter().any(|a| a.0 == b.0));
    !gone && !changed.is_empty() && changed.iter().all(|c| own.contains(c))
}

/// Waits until the dataset's files keep their sizes and times over [`STILL`] (at most
/// [`MOST`]).
fn hold_still(dataset: &Path) {
    let started = std::time::Instant::now();
    let mut last = stamp(dataset);
    while started.elapsed() < MOST {
        std::thread::sleep(STILL);
        let now = stamp(dataset);
        if now == last {
            return;
        }
        last = now;
    }
}

fn stamp(dataset: &Path) -> Vec<Stamp> {
    let dir = if dataset.is_file() {
        dataset.parent().unwrap_or(Path::new("."))
    } else {
        dataset
    };
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| counts(dataset, p))
        .filter_map(|p| {
            let m = std::fs::metadata(&p).ok()?;
            Some((p, m.len(), m.modified().ok()))
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_and_temporary_files_do_not_count_and_the_dataset_files_do() {
        let dir = std::env::temp_dir().join(format!("truce-atlas-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let book = dir.join("truce.xlsx");
        std::fs::write(&book, b"x").expect("write");
        assert!(counts(&book, &dir.join("truce.xlsx")));
        assert!(counts(&book, &dir.join("zones.geojson")));
        assert!(!counts(&book, &dir.join(".~lock.truce.xlsx#")));
        assert!(!counts(&book, &dir.join("~$truce.xlsx")));
        assert!(!counts(&book, &dir.join("lu12345.tmp")));
        assert!(!counts(&book, &dir.join("other.xlsx")));
        assert!(counts(&dir, &dir.join("events.csv")));
        assert!(!counts(&dir, &dir.join(".events.json.swp")));
        assert!(
            counts(&book, &dir.join("story.json")),
            "a workbook's story beside it"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_change_that_is_only_the_app_s_own_write_is_no_reason_to_reload() {
        let t = |s: u64| Some(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        let story = |len: u64, at: u64| (PathBuf::from("d/story.json"), len, t(at));
        let events = |len: u64| (PathBuf::from("d/events.json"), len, t(1));
        let before = [events(10), story(5, 1)];
        let own = [story(7, 2)];
        assert!(only_own_changes(&before, &[events(10), story(7, 2)], &own));
        // Someone else saved the story after the app did, or another file changed too.
        assert!(!only_own_changes(&before, &[events(10), story(8, 3)], &own));
        assert!(!only_own_changes(&before, &[events(11), story(7, 2)], &own));
        assert!(
            !only_own_changes(&before, &[story(7, 2)], &own),
            "a file went"
        );
    }
}
