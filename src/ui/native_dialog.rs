//! The system's folder picker (the XDG desktop portal, or zenity), run on its own thread so
//! the window keeps drawing while it is open. Where neither is there (a bare X server, CI) the
//! app's own folder browser (`open_dialog`) is used instead, and always in tests.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

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
    answer: Receiver<Option<PathBuf>>,
    started: Instant,
}

impl Pending {
    /// Opens the picker at `start`; `ctx` is woken when it closes.
    pub fn open(start: &Path, ctx: &egui::Context) -> Pending {
        let (tx, answer) = channel();
        let start = start.to_path_buf();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let chosen = rfd::FileDialog::new()
                .set_title("Open a dataset folder")
                .set_directory(&start)
                .pick_folder();
            let _ = tx.send(chosen);
            ctx.request_repaint();
        });
        Pending {
            answer,
            started: Instant::now(),
        }
    }

    /// Opens the save dialog in `folder`, offering `name`; `ctx` is woken when it closes.
    pub fn save(folder: &Path, name: &str, ctx: &egui::Context) -> Pending {
        let (tx, answer) = channel();
        let (folder, name) = (folder.to_path_buf(), name.to_string());
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let chosen = rfd::FileDialog::new()
                .set_title("Export")
                .set_directory(&folder)
                .set_file_name(&name)
                .save_file();
            let _ = tx.send(chosen);
            ctx.request_repaint();
        });
        Pending {
            answer,
            started: Instant::now(),
        }
    }

    pub fn poll(&self) -> Outcome {
        match self.answer.try_recv() {
            Ok(Some(dir)) => Outcome::Chosen(dir),
            Ok(None) if self.started.elapsed() < TOO_QUICK => Outcome::Unavailable,
            Ok(None) => Outcome::Cancelled,
            Err(TryRecvError::Empty) => Outcome::Waiting,
            Err(TryRecvError::Disconnected) => Outcome::Unavailable,
        }
    }
}
