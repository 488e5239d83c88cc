//! A `--screenshot` run: lay the window out until it has settled, take the picture, write the
//! PNG, close.
//!
//! In software OpenGL (CI, VMs) drawing the whole window costs more than everything else in the
//! run, so only one frame is drawn in full: the passes that settle the layout are discarded
//! before they are drawn (egui's multi-pass), the pass that asks for the picture draws nothing,
//! and the picture is of the next frame (eframe takes it after drawing the frame that follows
//! the request).

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

/// At most this many passes lay the window out before the picture is asked for.
const SETTLING_PASSES: NonZeroUsize = NonZeroUsize::new(6).expect("6 is not zero");

/// Gives the settling passes room within the first frame: to be called when the context is
/// made, before the first pass.
pub fn prepare(ctx: &egui::Context) {
    ctx.options_mut(|o| o.max_passes = SETTLING_PASSES.saturating_add(1));
}

pub struct Screenshot {
    path: PathBuf,
    /// Passes laid out so far.
    passes: usize,
    requested: bool,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
}

impl Screenshot {
    /// `exit_code` is the run's exit status if the window closes without a picture: failed.
    /// Once the picture is written the process ends with 0 (see `finish`).
    pub fn new(path: PathBuf, exit_code: &AtomicU8) -> Screenshot {
        exit_code.store(1, Ordering::SeqCst);
        Screenshot {
            path,
            passes: 0,
            requested: false,
            image: Arc::new(Mutex::new(None)),
        }
    }

    /// Called at the start of every pass, with whether the view has settled (the map fitted to
    /// its final size). Returns whether this pass should draw nothing: the picture has arrived
    /// (it is written and the window closes), or it has just been asked for.
    pub fn begin(&mut self, ctx: &egui::Context, view_settled: bool) -> bool {
        if self.finish(ctx) {
            return true;
        }
        let settled = self.passes >= 2 && view_settled;
        if self.requested || !(settled || self.passes >= SETTLING_PASSES.get()) {
            return false;
        }
        self.requested = true;
        request(ctx, &self.image);
        true
    }

    /// Called at the end of every pass that drew the window.
    pub fn end(&mut self, ctx: &egui::Context) {
        self.passes += 1;
        ctx.request_repaint();
        if !self.requested && self.passes < SETTLING_PASSES.get() {
            ctx.request_discard("the window settles before its screenshot");
        }
        if self.passes > 600 {
            eprintln!("error: no screenshot after {} passes", self.passes);
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Once the picture has arrived, writes it and ends the run.
    fn finish(&mut self, ctx: &egui::Context) -> bool {
        let image = self.image.lock().ok().and_then(|mut slot| slot.take());
        let Some(image) = image else {
            return false;
        };
        match write_png(&self.path, &image) {
            Ok(()) => {
                let [w, h] = image.size;
                println!("wrote {} ({w}x{h})", self.path.display());
                // Nothing is left to do or save (a screenshot run keeps no state), and the
                // orderly teardown of the GL context and the software rasteriser's threads
                // took a sixth of the whole run: the process ends here.
                std::process::exit(0);
            }
            Err(e) => eprintln!("error: {e} ({})", self.path.display()),
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        true
    }
}

/// A picture of the window for File > Export image: asked for at the first frame (with the
/// caption drawn), written beside its path and renamed into place when it comes back.
pub struct Capture {
    path: PathBuf,
    requested: bool,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
}

impl Capture {
    pub fn new(path: PathBuf) -> Capture {
        Capture {
            path,
            requested: false,
            image: Arc::new(Mutex::new(None)),
        }
    }

    /// Called once a frame: asks for the picture, then `Some` with where it went (or why it
    /// could not be written) once it has come back.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<Result<PathBuf, String>> {
        if !self.requested {
            self.requested = true;
            request(ctx, &self.image);
            return None;
        }
        let image = self.image.lock().ok().and_then(|mut slot| slot.take())?;
        Some(
            write_png(&self.path, &image)
                .map(|()| self.path.clone())
                .map_err(|e| format!("{e} ({})", self.path.display())),
        )
    }
}

/// Asks egui for a picture of the window, to land in `slot`, and for the frame that takes it.
fn request(ctx: &egui::Context, slot: &Arc<Mutex<Option<Arc<egui::ColorImage>>>>) {
    let slot = slot.clone();
    let repaint = ctx.clone();
    ctx.request_screenshot(move |image| {
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(image);
        }
        repaint.request_repaint();
    });
    ctx.request_repaint();
}

/// Writes the picture as a PNG, whole or not at all (as every export is written).
fn write_png(path: &Path, image: &egui::ColorImage) -> Result<(), crate::export::ExportError> {
    let png_error = |e: png::EncodingError| std::io::Error::other(e.to_string());
    crate::export::to_file(path, |out| {
        let [w, h] = image.size;
        let mut encoder = png::Encoder::new(out, w as u32, h as u32);
        // A picture of flat colours compresses well even at the fastest setting, which takes a
        // fraction of the default's time.
        encoder.set_compression(png::Compression::Fast);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(png_error)?;
        let bytes: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(|c| super::partial::opaque(*c))
            .collect();
        writer.write_image_data(&bytes).map_err(png_error)?;
        writer.finish().map_err(png_error)?;
        Ok(())
    })
}
