//! The floor under the app's drawing cost: an eframe window (glow, like the app) that holds
//! nothing but a date line and a slider handle, repainting on every mouse move as the app does.
//! Dragged by the same side-by-side benchmark as the app, it shows what any egui window costs
//! per move on this machine before a single zone is drawn (docs/PERFORMANCE.md).
//!
//!     cargo build --release --example floor
//!     target/release/examples/floor [--size WxH] [--fills N] [--gl-fills N] [--calls N]
//!
//! `--fills N` paints N window-sized rectangles first, as any egui panel paints its background:
//! in software OpenGL the first one is most of the cost. `--gl-fills N` draws them with a
//! one-colour shader of our own instead of egui's (a paint callback), `--calls N` adds N small
//! squares that each take a draw call. It takes (and ignores) the app's other
//! flags, so a harness can start it in the app's place.

use eframe::egui;

/// The app's instant handle: a red disc in the time bar, where the harness looks for it.
const HANDLE: egui::Color32 = egui::Color32::from_rgb(0xc0, 0x1c, 0x28);

struct Floor {
    /// 0..=1 along the track.
    value: f32,
    fills: usize,
    /// `--gl-fills N`: the same rectangles drawn by a one-colour shader of our own.
    gl_fills: usize,
    flat: Option<std::sync::Arc<FlatFill>>,
}

/// A window-sized quad drawn by the simplest shader there is, through egui_glow's paint
/// callback: what a fill costs without egui's textured, dithered fragment shader.
struct FlatFill {
    program: eframe::glow::Program,
    vao: eframe::glow::VertexArray,
}

impl FlatFill {
    fn new(gl: &eframe::glow::Context) -> Option<Self> {
        use eframe::glow::HasContext as _;
        let vs = "#version 330\nconst vec2 P[3] = vec2[3](vec2(-1.,-1.), vec2(3.,-1.), vec2(-1.,3.));\nvoid main() { gl_Position = vec4(P[gl_VertexID], 0., 1.); }";
        let fs = "#version 330\nout vec4 c;\nvoid main() { c = vec4(0.94, 0.94, 0.94, 1.); }";
        // SAFETY: plain GL calls on the context eframe made current for this thread.
        unsafe {
            let program = gl.create_program().ok()?;
            for (kind, src) in [
                (eframe::glow::VERTEX_SHADER, vs),
                (eframe::glow::FRAGMENT_SHADER, fs),
            ] {
                let sh = gl.create_shader(kind).ok()?;
                gl.shader_source(sh, src);
                gl.compile_shader(sh);
                if !gl.get_shader_compile_status(sh) {
                    eprintln!("{}", gl.get_shader_info_log(sh));
                    return None;
                }
                gl.attach_shader(program, sh);
            }
            gl.link_program(program);
            let vao = gl.create_vertex_array().ok()?;
            Some(Self { program, vao })
        }
    }
}

impl eframe::App for Floor {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let full = ui.max_rect();
        for _ in 0..self.gl_fills {
            if let Some(flat) = self.flat.clone() {
                let cb = eframe::egui_glow::CallbackFn::new(move |_info, painter| {
                    use eframe::glow::HasContext as _;
                    let gl = painter.gl();
                    // SAFETY: as above; egui_glow restores its own state after a callback.
                    unsafe {
                        gl.disable(eframe::glow::BLEND);
                        gl.use_program(Some(flat.program));
                        gl.bind_vertex_array(Some(flat.vao));
                        gl.draw_arrays(eframe::glow::TRIANGLES, 0, 3);
                    }
                });
                ui.painter().add(egui::PaintCallback {
                    rect: full,
                    callback: std::sync::Arc::new(cb),
                });
            }
        }
        // `--fills N`: N window-sized rectangles under the handle, as a panel's background is.
        // `--calls N`: N small squares, each its own draw call (its own clip rectangle).
        for i in 0..arg::<usize>("--calls").unwrap_or(0) {
            let at = egui::pos2(20.0 + (i % 60) as f32 * 20.0, 20.0 + (i / 60) as f32 * 20.0);
            let r = egui::Rect::from_min_size(at, egui::vec2(10.0, 10.0));
            ui.painter()
                .with_clip_rect(r)
                .rect_filled(r, 0.0, egui::Color32::from_gray(200));
        }
        for _ in 0..self.fills {
            ui.painter()
                .rect_filled(full, 0.0, egui::Color32::from_gray(240));
        }
        // Where the app's date line and slider are: 26 px above the handle, 742 px down.
        let track = egui::Rect::from_min_max(
            egui::pos2(full.left() + 170.0, full.top() + 732.0),
            egui::pos2(full.right() - 40.0, full.top() + 752.0),
        );
        let response = ui.interact(track, ui.scope_id().with("track"), egui::Sense::drag());
        if let Some(p) = response.interact_pointer_pos() {
            self.value = ((p.x - track.left()) / track.width()).clamp(0.0, 1.0);
        }
        let painter = ui.painter();
        let hours = (self.value * 1_752.0).round();
        painter.text(
            egui::pos2(full.left() + 250.0, track.center().y - 26.0),
            egui::Align2::LEFT_CENTER,
            format!("hour {hours} of the slider"),
            egui::FontId::proportional(18.0),
            ui.visuals().text_color(),
        );
        painter.line_segment(
            [track.left_center(), track.right_center()],
            egui::Stroke::new(2.0, egui::Color32::GRAY),
        );
        let x = track.left() + self.value * track.width();
        painter.circle_filled(egui::pos2(x, track.center().y), 10.0, HANDLE);
    }
}

/// The value after `flag`, parsed.
fn arg<T: std::str::FromStr>(flag: &str) -> Option<T> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1)?.parse().ok()
}

fn size_from_args() -> [f32; 2] {
    arg::<String>("--size")
        .and_then(|s| {
            let (w, h) = s.split_once('x')?;
            Some([w.parse().ok()?, h.parse().ok()?])
        })
        .unwrap_or([1400.0, 900.0])
}

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Truce Atlas floor")
            .with_inner_size(size_from_args()),
        renderer: eframe::Renderer::Glow,
        persist_window: false,
        ..Default::default()
    };
    eframe::run_native(
        "Truce Atlas floor",
        options,
        Box::new(|cc| {
            Ok(Box::new(Floor {
                value: 0.9,
                fills: arg("--fills").unwrap_or(0),
                gl_fills: arg("--gl-fills").unwrap_or(0),
                flat: cc
                    .gl
                    .as_deref()
                    .and_then(FlatFill::new)
                    .map(std::sync::Arc::new),
            }))
        }),
    )
}
