//! A `--screenshot` run: render a few frames, take the picture, write the PNG, close.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

pub struct Screenshot {
    path: PathBuf,
    frames: u32,
    requested: bool,
    image: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    /// Failed (1) until the picture is written, then 0: the process exit code.
    exit_code: Arc<AtomicU8>,
}

impl Screenshot {
    pub fn new(path: PathBuf, exit_code: Arc<AtomicU8>) -> Screenshot {
        exit_code.store(1, Ordering::SeqCst);
        Screenshot {
            path,
            frames: 0,
            requested: false,
            image: Arc::new(Mutex::new(None)),
            exit_code,
        }
    }

    /// Called at the end of every frame.
    pub fn step(&mut self, ctx: &egui::Context) {
        self.frames += 1;
        ctx.request_repaint();
        // A few frames first: the map fits itself to the window on the first ones.
        if self.frames == 6 && !self.requested {
            self.requested = true;
            let slot = self.image.clone();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(image);
                }
                repaint.request_repaint();
            });
        }
        let image = self.image.lock().ok().and_then(|mut slot| slot.take());
        if let Some(image) = image {
            match write_png(&self.path, &image) {
                Ok(()) => {
                    let [w, h] = image.size;
                    println!("wrote {} ({w}x{h})", self.path.display());
                    self.exit_code.store(0, Ordering::SeqCst);
                }
                Err(e) => eprintln!("error: cannot write {}: {e}", self.path.display()),
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else if self.frames > 600 {
            eprintln!("error: no screenshot after {} frames", self.frames);
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

fn write_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let [w, h] = image.size;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    writer.write_image_data(&bytes).map_err(|e| e.to_string())
}
