//! Repainting only what changed: an egui plugin that sees each frame's final paint list.
//!
//! eframe clears and repaints the whole window every frame. Where the window's back buffer still
//! holds the last painted frame (Mesa's software rasteriser on X11 copies it to the screen and
//! keeps it), only the damage ([`super::damage`]) needs painting: the plugin clears the damaged
//! rectangles to the window's colour and hands egui only the shapes that touch them, clipped to
//! them. Every pixel then comes out as a full repaint would make it.
//!
//! Whether the back buffer still holds the last frame is checked, not assumed: the last
//! painted frame leaves a counter in the alpha of the window's bottom-left pixel (the window is
//! opaque; nothing shows or saves that alpha), and a frame is painted in part only if the
//! counter is still there, the window's size and pixel density are the same, and the textures
//! are the same set. Anything else (a first frame, a resize, a driver that swaps buffers
//! rather than copying them, a second viewport) is a full repaint.
//!
//! eframe clears the window before every frame; for a partial frame that clear must not
//! happen. The last painted frame ends by switching OpenGL's rasteriser discard on, which
//! makes the clear a no-op; the next frame's first paint callback switches it off (and clears
//! the window itself when it repaints in full). The plugin puts that first callback first and
//! the last one last in the paint list, so nothing of egui's is drawn while discard is on.

use std::sync::{Arc, Mutex};

use eframe::egui_glow;
use eframe::glow::{self, HasContext as _};
use egui::epaint::ClippedShape;
use egui::{Color32, Rect, Shape};

use super::damage;
use super::flat::{self, FlatGl};

/// The share of the window beyond which a changed frame is repainted in full.
const FULL_BEYOND: f32 = 0.5;

/// What the window's back buffer holds after a frame the plugin painted.
struct Shown {
    frame: Vec<ClippedShape>,
    size_px: [u32; 2],
    pixels_per_point: f32,
    textures: u64,
    signature: u8,
}

/// Shared between the plugin (at the end of a pass) and its paint callbacks (at paint time).
#[derive(Default)]
struct State {
    /// The last painted frame, if it left rasteriser discard on and its signature behind.
    shown: Option<Shown>,
    /// Rasteriser discard is on (the last painted frame switched it on).
    armed: bool,
    counter: u8,
}

/// The plugin: with OpenGL, routes flat fills ([`flat::route`]) and paints only the damage
/// where it can.
pub struct Partial {
    gl: Arc<glow::Context>,
    flat: Arc<FlatGl>,
    /// Off: every frame is painted in full, as eframe paints it (only flat fills routed).
    enabled: bool,
    state: Arc<Mutex<State>>,
}

/// Where the window's clear colour is kept in egui's memory for the plugin.
fn clear_key() -> egui::Id {
    egui::Id::unique("truce-atlas-clear-colour")
}

/// Tells the plugin the colour eframe clears the window to (`App::clear_color`), which a
/// partial frame clears its damage to. Call once per pass.
pub fn set_clear_colour(ctx: &egui::Context, rgba: [f32; 4]) {
    ctx.data_mut(|d| d.insert_temp(clear_key(), rgba));
}

impl Partial {
    pub fn new(gl: Arc<glow::Context>, flat: Arc<FlatGl>, enabled: bool) -> Partial {
        Partial {
            gl,
            flat,
            enabled,
            state: Arc::default(),
        }
    }

    /// Whether the back buffer still shows `shown`, so that this frame may be painted as a
    /// change to it.
    fn can_paint_in_part(&self, shown: &Shown, size_px: [u32; 2], ppp: f32, textures: u64) -> bool {
        shown.size_px == size_px
            && shown.pixels_per_point == ppp
            && shown.textures == textures
            && read_signature(&self.gl) == shown.signature
    }
}

impl egui::Plugin for Partial {
    fn debug_name(&self) -> &'static str {
        "truce-atlas partial repaint"
    }

    fn output_hook(&mut self, ctx: &egui::Context, output: &mut egui::FullOutput) {
        let max_passes = ctx.options(|o| o.max_passes.get());
        let more_passes = output.platform_output.requested_discard()
            && output.platform_output.num_completed_passes < max_passes;
        // A pass egui throws away is never painted.
        if more_passes {
            return;
        }
        let ppp = output.pixels_per_point;
        if !self.enabled {
            let frame = std::mem::take(&mut output.shapes);
            output.shapes = flat::route(&self.flat, frame, ppp);
            return;
        }
        let size_px = window_size_px(ctx, ppp);
        let textures = texture_set(ctx);
        let single_viewport = output.viewport_output.len() <= 1;
        let clear = ctx
            .data(|d| d.get_temp::<[f32; 4]>(clear_key()))
            .unwrap_or([0.0, 0.0, 0.0, 1.0]);
        let frame = std::mem::take(&mut output.shapes);
        let damage = {
            let state = lock(&self.state);
            state
                .shown
                .as_ref()
                .filter(|s| single_viewport && self.can_paint_in_part(s, size_px, ppp, textures))
                .map(|shown| damage::merge(&damage::changed(&shown.frame, &frame), ppp))
        };
        let screen = Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(size_px[0] as f32, size_px[1] as f32) / ppp,
        );
        // Where most of the window changed, one full repaint costs less than the pieces.
        let damage = damage.filter(|rects| {
            rects.iter().map(|r| r.area()).sum::<f32>() < FULL_BEYOND * screen.area()
        });
        let painted = match &damage {
            Some(rects) => damage::restrict(&frame, rects),
            None => frame.clone(),
        };
        let mut shapes = Vec::with_capacity(painted.len() + 2);
        shapes.push(self.first(screen, damage, clear));
        shapes.extend(flat::route(&self.flat, painted, ppp));
        let next = single_viewport.then_some(Shown {
            frame,
            size_px,
            pixels_per_point: ppp,
            textures,
            signature: 0,
        });
        shapes.push(self.last(screen, next));
        output.shapes = shapes;
    }
}

impl Partial {
    /// The frame's first paint callback: rasteriser discard off, and the window (or only its
    /// damage) cleared as eframe would have.
    fn first(&self, screen: Rect, damage: Option<Vec<Rect>>, clear: [f32; 4]) -> ClippedShape {
        let state = Arc::clone(&self.state);
        let callback = egui_glow::CallbackFn::new(move |info, painter| {
            let mut state = lock(&state);
            let gl = painter.gl();
            let ppp = info.pixels_per_point;
            let [w, h] = info.screen_size_px;
            // SAFETY: plain OpenGL calls on the context eframe made current to paint; egui
            // restores its own state after a callback.
            unsafe {
                if state.armed {
                    gl.disable(glow::RASTERIZER_DISCARD);
                    state.armed = false;
                } else if damage.is_none() {
                    // eframe's clear took effect.
                    return;
                }
                gl.viewport(0, 0, w as i32, h as i32);
                gl.clear_color(clear[0], clear[1], clear[2], clear[3]);
                match &damage {
                    None => {
                        gl.disable(glow::SCISSOR_TEST);
                        gl.clear(glow::COLOR_BUFFER_BIT);
                    }
                    Some(rects) => {
                        gl.enable(glow::SCISSOR_TEST);
                        for r in rects {
                            let px = |v: f32| (v * ppp).round() as i32;
                            let (x0, x1) = (px(r.min.x), px(r.max.x));
                            let (top, bottom) = (px(r.min.y), px(r.max.y));
                            gl.scissor(x0, h as i32 - bottom, x1 - x0, bottom - top);
                            gl.clear(glow::COLOR_BUFFER_BIT);
                        }
                    }
                }
            }
        });
        callback_shape(screen, callback)
    }

    /// The frame's last paint callback: leaves a signature and rasteriser discard on, and
    /// records what the window now shows, or (with several viewports) records nothing.
    fn last(&self, screen: Rect, next: Option<Shown>) -> ClippedShape {
        let state = Arc::clone(&self.state);
        let next = Mutex::new(next);
        let callback = egui_glow::CallbackFn::new(move |_info, painter| {
            let mut state = lock(&state);
            let Some(mut shown) = lock(&next).take() else {
                state.shown = None;
                return;
            };
            // 1..=254: never what a cleared (opaque) or zeroed buffer holds.
            state.counter = state.counter % 254 + 1;
            shown.signature = state.counter;
            let gl = painter.gl();
            // SAFETY: as in `first`.
            unsafe {
                gl.enable(glow::SCISSOR_TEST);
                gl.scissor(0, 0, 1, 1);
                gl.color_mask(false, false, false, true);
                gl.clear_color(0.0, 0.0, 0.0, f32::from(shown.signature) / 255.0);
                gl.clear(glow::COLOR_BUFFER_BIT);
                gl.color_mask(true, true, true, true);
                gl.enable(glow::RASTERIZER_DISCARD);
            }
            state.armed = true;
            state.shown = Some(shown);
        });
        callback_shape(screen, callback)
    }
}

/// The state, even if a panic elsewhere poisoned its lock: the first and last callbacks must
/// run every frame, or rasteriser discard could stay on.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn callback_shape(screen: Rect, callback: egui_glow::CallbackFn) -> ClippedShape {
    ClippedShape {
        clip_rect: screen,
        shape: Shape::Callback(egui::PaintCallback {
            rect: screen,
            callback: Arc::new(callback),
        }),
        transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
    }
}

/// The alpha of the window's bottom-left pixel, where the last frame left its signature.
fn read_signature(gl: &glow::Context) -> u8 {
    let mut pixel = [0u8; 4];
    // SAFETY: reads one pixel of the bound (window) framebuffer into a buffer of its size.
    unsafe {
        gl.read_pixels(
            0,
            0,
            1,
            1,
            glow::RGBA,
            glow::UNSIGNED_BYTE,
            glow::PixelPackData::Slice(Some(&mut pixel)),
        );
    }
    pixel[3]
}

fn window_size_px(ctx: &egui::Context, ppp: f32) -> [u32; 2] {
    let size = ctx.viewport_rect().size() * ppp;
    [size.x.round() as u32, size.y.round() as u32]
}

/// A fingerprint of the textures egui has (which and how big): a texture replaced under the
/// same shapes must not leave its old pixels on screen.
fn texture_set(ctx: &egui::Context) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    let manager = ctx.tex_manager();
    let manager = manager.read();
    // Order-free: the map's iteration order is not the textures' identity.
    let mut all = 0u64;
    for (id, meta) in manager.allocated() {
        let mut one = std::hash::DefaultHasher::new();
        (id, meta.size).hash(&mut one);
        all ^= one.finish();
    }
    all.hash(&mut h);
    h.finish()
}

/// A pixel of the window's picture as sRGB bytes. The window is opaque: its alpha channel is
/// not part of the picture (a partial repaint keeps its signature there).
pub fn opaque(pixel: Color32) -> [u8; 4] {
    [pixel.r(), pixel.g(), pixel.b(), 255]
}

/// Whether an OpenGL renderer string names a software rasteriser (Mesa's llvmpipe and
/// softpipe, SwiftShader, Microsoft's GDI renderer), where shading a pixel costs the CPU.
pub fn is_software(renderer: &str) -> bool {
    let r = renderer.to_ascii_lowercase();
    [
        "llvmpipe",
        "softpipe",
        "swrast",
        "swiftshader",
        "gdi generic",
        "software",
    ]
    .iter()
    .any(|name| r.contains(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_renderers_are_told_from_graphics_cards() {
        assert!(is_software("llvmpipe (LLVM 15.0.6, 256 bits)"));
        assert!(is_software("Google SwiftShader"));
        assert!(is_software("GDI Generic"));
        assert!(!is_software("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
        assert!(!is_software("NVIDIA GeForce RTX 3060/PCIe/SSE2"));
        assert!(!is_software(
            "AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15.0.6, DRM 3.49)"
        ));
    }

    #[test]
    fn the_windows_picture_is_saved_opaque() {
        let half = Color32::from_rgba_premultiplied(100, 50, 25, 128);
        assert_eq!(opaque(half), [100, 50, 25, 255]);
    }
}
