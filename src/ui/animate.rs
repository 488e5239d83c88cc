//! File > Export animation… and `export animation`: the window shows each instant of the plan in
//! turn, with the caption, is pictured, and the picture goes to the encoder's thread.
//!
//! One picture at a time: the instant is set before the panels are drawn, the picture is asked
//! for in the same frame, and the next instant is set only once it has come back and the encoder
//! has room for it, so a picture always shows the instant it is filed under. In the app a
//! progress strip with a Cancel button sits above the menu, and is cut off every picture.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::animation::{Plan, Progress};
use crate::ui::encode::{Encoder, Picture};

/// How often the window looks again while it waits for the encoder.
const WAIT: Duration = Duration::from_millis(15);

/// What became of a job, once it is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Written { path: PathBuf, pictures: usize },
    Cancelled,
    Failed(String),
}

/// An animation export under way: the window pictures each instant of the plan in turn (on
/// the UI thread, where egui draws) and hands the pictures to the encoder, a background
/// [`Job`](crate::ui::job::Job) that writes the file.
pub struct Picturing {
    plan: Plan,
    /// The picture being drawn or waited for.
    next: usize,
    encoder: Option<Encoder>,
    slot: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    requested: bool,
    /// Set by Cancel, Escape, or Ctrl+C on the terminal.
    cancel: Arc<AtomicBool>,
    /// Rows of the window's picture to leave out at the top (the progress strip), in points.
    pub cut_top: f32,
    /// `export animation` run: progress goes to the terminal.
    terminal: bool,
    /// Where the user was, to go back to when the job is over.
    pub return_to: DateTime<Utc>,
    /// A story's step is shown for this many frames before its picture is taken: the map
    /// frames the step's zones over two frames as the panels settle.
    settling: u8,
}

/// Frames a story's step is shown before it is pictured.
const SETTLE_FRAMES: u8 = 3;

impl Picturing {
    pub fn start(plan: Plan, path: PathBuf, terminal: bool, return_to: DateTime<Utc>) -> Picturing {
        let encoder = Encoder::start(path, &plan);
        Picturing {
            plan,
            next: 0,
            encoder: Some(encoder),
            slot: Arc::new(Mutex::new(None)),
            requested: false,
            cancel: Arc::new(AtomicBool::new(false)),
            cut_top: 0.0,
            terminal,
            return_to,
            settling: 0,
        }
    }

    /// A flag that cancels the job when set (for a Ctrl+C handler).
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    /// Whether the job pictures a story's steps (not a range of instants).
    pub fn is_story(&self) -> bool {
        self.plan.story.is_some()
    }

    /// An `export animation` run, reporting on the terminal.
    pub fn terminal(&self) -> bool {
        self.terminal
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn progress(&self) -> Progress {
        Progress {
            done: self.next,
            total: self.plan.len(),
        }
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        self.encoder.as_ref().map(Encoder::path)
    }

    /// Called at the start of a frame, before the panels: the instant this frame must show (to
    /// be applied to the session), or the outcome once the job is over.
    pub fn step(&mut self, ctx: &egui::Context) -> Step {
        if self.cancel.load(Ordering::SeqCst) {
            if let Some(encoder) = self.encoder.take() {
                encoder.cancel();
            }
            self.say_done("cancelled");
            return Step::Over(Outcome::Cancelled);
        }
        let Some(encoder) = &mut self.encoder else {
            return Step::Over(Outcome::Cancelled);
        };
        // The encoder still busy with the last picture: look again shortly.
        match encoder.flush() {
            Ok(true) => {}
            Ok(false) => {
                ctx.request_repaint_after(WAIT);
                return Step::Wait;
            }
            Err(_) => return self.finish(),
        }
        if self.requested {
            let image = self.slot.lock().ok().and_then(|mut slot| slot.take());
            let Some(image) = image else {
                // The picture is taken as the frame is painted; a repaint asked for from its
                // callback can come too late for eframe to honour, so the window looks again.
                ctx.request_repaint_after(WAIT);
                return Step::Wait;
            };
            self.requested = false;
            let picture = cut(&image, self.cut_top * ctx.pixels_per_point());
            self.next += 1;
            let sent = encoder.send(picture);
            self.say_progress();
            match sent {
                Ok(true) => ctx.request_repaint(),
                // Taken once the encoder has room (the flush above, next frame).
                Ok(false) => {
                    ctx.request_repaint_after(WAIT);
                    return Step::Wait;
                }
                Err(_) => return self.finish(),
            }
        }
        if self.next >= self.plan.len() {
            return self.finish();
        }
        let at = self.plan.instants[self.next];
        let show = match self.plan.story {
            Some(_) => Step::ShowStep(self.next),
            None => Step::Show(at),
        };
        if self.plan.story.is_some() && self.settling < SETTLE_FRAMES {
            self.settling += 1;
            ctx.request_repaint();
            return show;
        }
        self.settling = 0;
        self.requested = true;
        let slot = self.slot.clone();
        let repaint = ctx.clone();
        ctx.request_screenshot(move |image| {
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(image);
            }
            repaint.request_repaint();
        });
        // The frame after this one collects the picture.
        ctx.request_repaint();
        show
    }

    /// Every picture handed over: waits for the last to be written and the file put in place.
    fn finish(&mut self) -> Step {
        let Some(encoder) = self.encoder.take() else {
            return Step::Over(Outcome::Cancelled);
        };
        let pictures = self.next;
        let outcome = match encoder.finish() {
            Ok(path) => Outcome::Written { path, pictures },
            Err(e) => Outcome::Failed(e.to_string()),
        };
        match &outcome {
            Outcome::Written { path, .. } => self.say_done(&format!("wrote {}", path.display())),
            Outcome::Failed(e) => self.say_done(&format!("error: {e}")),
            Outcome::Cancelled => {}
        }
        Step::Over(outcome)
    }

    fn say_progress(&self) {
        if !self.terminal {
            return;
        }
        let p = self.progress();
        let mut err = std::io::stderr();
        if std::io::IsTerminal::is_terminal(&err) {
            let filled = (p.fraction() * 30.0).round() as usize;
            let bar = format!("{}{}", "#".repeat(filled), "-".repeat(30 - filled.min(30)));
            let _ = write!(err, "\r[{bar}] {} (Ctrl+C cancels) ", p.text());
            let _ = err.flush();
        } else {
            let _ = writeln!(err, "{}", p.text());
        }
    }

    fn say_done(&self, words: &str) {
        if !self.terminal {
            return;
        }
        let mut err = std::io::stderr();
        if std::io::IsTerminal::is_terminal(&err) {
            let _ = writeln!(err);
        }
        let _ = writeln!(err, "{words}");
    }
}

/// What a frame does for the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Show this instant: its picture is taken at the end of the frame.
    Show(DateTime<Utc>),
    /// Show this step of the story (its view, its zones framed); pictured once settled.
    ShowStep(usize),
    /// Nothing changes this frame (a picture or the encoder is awaited).
    Wait,
    Over(Outcome),
}

/// The window's picture without its top `cut` pixels (the progress strip).
fn cut(image: &egui::ColorImage, cut: f32) -> Picture {
    let [w, h] = image.size;
    let skip = (cut.round().max(0.0) as usize).min(h.saturating_sub(1));
    let rgba = image.pixels[skip * w..]
        .iter()
        .flat_map(|c| super::partial::opaque(*c))
        .collect();
    Picture {
        width: w,
        height: h - skip,
        rgba,
    }
}

/// The progress strip: a bar, the words, Cancel. Returns whether Cancel was pressed (or Escape).
pub fn strip(ui: &mut egui::Ui, job: &Picturing) -> bool {
    let p = job.progress();
    let mut cancel = ui.input(|i| i.key_pressed(egui::Key::Escape));
    ui.horizontal(|ui| {
        let path = job
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        ui.label(format!("Exporting the animation to {path}:"));
        ui.add(
            egui::ProgressBar::new(p.fraction())
                .desired_width(240.0)
                .text(p.text()),
        );
        cancel |= ui.button("Cancel").clicked();
    });
    cancel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_strip_is_cut_from_the_top_of_every_picture() {
        let mut image = egui::ColorImage::filled([3, 4], egui::Color32::WHITE);
        image.pixels[3] = egui::Color32::RED; // the first pixel of the second row
        let picture = cut(&image, 1.0);
        assert_eq!((picture.width, picture.height), (3, 3));
        assert_eq!(&picture.rgba[0..4], &[255, 0, 0, 255]);
        assert_eq!(cut(&image, 99.0).height, 1, "never the whole picture");
    }
}
