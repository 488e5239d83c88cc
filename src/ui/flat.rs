//! Flat fills through a shader of our own, and the basemap kept as a picture.
//!
//! egui paints every shape through one textured, blended fragment shader, which a software
//! rasteriser (Mesa's llvmpipe: CI, virtual machines, remote desktops) pays for per pixel and
//! per triangle. Two things here make a frame cheaper there (docs/PERFORMANCE.md, "Dragging,
//! 2026-12-06"):
//!
//! - [`route`]: in each frame's final paint list (the `partial` plugin calls it), every run
//!   of flat shapes (filled rectangles without corners, texture or stroke; meshes that sample
//!   only the white texel) goes to [`FlatGl`]'s one-colour shader as one paint callback, in its
//!   place in the paint order. About a tenth of a full frame.
//! - [`backdrop`]: what does not change while the user moves through time (the basemap's
//!   tens of thousands of thin triangles) is drawn once into an offscreen framebuffer and
//!   copied on later frames. Most of the saving.
//!
//! The picture is the same, less egui's dithering (our colours have no gradients to band).
//! Which shapes go and how runs merge is decided by [`plan`], which knows nothing of OpenGL
//! and is unit-tested; headless tests (kittest) have no OpenGL and draw everything through
//! egui, as does a machine whose OpenGL is older than 3.0.

use std::sync::Arc;

use eframe::egui_glow;
use eframe::glow::{self, HasContext as _};
use egui::emath::GuiRounding as _;
use egui::epaint::{ClippedShape, Mesh, RectShape, Shape, Vertex, WHITE_UV};
use egui::{Color32, CornerRadius, Rect, TextureId};

/// A run of flat shapes to paint as one: where it was in the layer and what it draws.
#[derive(Debug, PartialEq)]
pub struct Run {
    /// The run's shapes are `first..end` in the layer's paint list.
    pub first: usize,
    pub end: usize,
    pub clip: Rect,
    /// Their triangles, in paint order, in points.
    pub mesh: Mesh,
}

/// The mesh of a shape that only lays flat colour, or `None` where egui must draw it.
fn flat_mesh(shape: &Shape, pixels_per_point: f32) -> Option<Mesh> {
    match shape {
        Shape::Rect(r) => flat_rect(r, pixels_per_point),
        Shape::Mesh(m)
            if m.texture_id == TextureId::default()
                && !m.indices.is_empty()
                && m.vertices.iter().all(|v| v.uv == WHITE_UV) =>
        {
            Some((**m).clone())
        }
        _ => None,
    }
}

/// A filled rectangle as two triangles. Rounded corners, strokes, blur, textures, rotation and
/// hairlines (which egui draws as anti-aliased lines) stay egui's.
fn flat_rect(r: &RectShape, pixels_per_point: f32) -> Option<Mesh> {
    let plain = r.corner_radius == CornerRadius::ZERO
        && r.stroke.is_empty()
        && r.blur_width == 0.0
        && r.brush.is_none()
        && r.angle == 0.0
        && r.fill != Color32::TRANSPARENT;
    // egui draws rectangles two pixels thin or less as lines, anti-aliased.
    if !plain || r.rect.width() <= 2.0 || r.rect.height() <= 2.0 {
        return None;
    }
    // As egui's tessellator does, so that rectangles that tile still tile.
    let rect = if r.round_to_pixels.unwrap_or(true) {
        r.rect.round_to_pixels(pixels_per_point)
    } else {
        r.rect
    };
    let mut mesh = Mesh::default();
    mesh.add_colored_rect(rect, r.fill);
    Some(mesh)
}

/// The runs of consecutive flat shapes that share a clip rectangle (and are not transformed
/// after tessellation), in order. Everything between runs is left where it is.
pub fn plan<'a>(
    shapes: impl IntoIterator<Item = &'a ClippedShape>,
    pixels_per_point: f32,
) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (i, clipped) in shapes.into_iter().enumerate() {
        if clipped.transform_after_tessellation != egui::emath::TSTransform::IDENTITY {
            continue;
        }
        let Some(mesh) = flat_mesh(&clipped.shape, pixels_per_point) else {
            continue;
        };
        match runs.last_mut() {
            Some(run) if run.end == i && run.clip == clipped.clip_rect => {
                run.mesh.append(mesh);
                run.end = i + 1;
            }
            _ => runs.push(Run {
                first: i,
                end: i + 1,
                clip: clipped.clip_rect,
                mesh,
            }),
        }
    }
    runs
}

/// Where the window's flat-fill painter is kept in egui's memory, for the code that paints.
fn key_in_memory() -> egui::Id {
    egui::Id::unique("truce-atlas-flat-gl")
}

/// Makes `gl` the painter of flat fills and backdrops for this window.
pub fn install(ctx: &egui::Context, gl: Arc<FlatGl>) {
    ctx.data_mut(|d| d.insert_temp(key_in_memory(), gl));
}

/// The window's flat-fill painter, if it has one (not in headless tests).
pub fn installed(ctx: &egui::Context) -> Option<Arc<FlatGl>> {
    ctx.data(|d| d.get_temp::<Arc<FlatGl>>(key_in_memory()))
}

/// `frame` (a final paint list, in paint order) with its runs of flat shapes moved to `gl`:
/// each run becomes one paint callback in the place of its first shape.
pub fn route(
    gl: &Arc<FlatGl>,
    frame: Vec<ClippedShape>,
    pixels_per_point: f32,
) -> Vec<ClippedShape> {
    let runs = plan(&frame, pixels_per_point);
    if runs.is_empty() {
        return frame;
    }
    let mut out = Vec::with_capacity(frame.len());
    let mut runs = runs.into_iter().peekable();
    let mut shapes = frame.into_iter().enumerate();
    while let Some((i, clipped)) = shapes.next() {
        let Some(run) = runs.next_if(|r| r.first == i) else {
            out.push(clipped);
            continue;
        };
        // The run's other shapes are in its mesh.
        for _ in run.first + 1..run.end {
            shapes.next();
        }
        let gl = Arc::clone(gl);
        let mesh = run.mesh;
        let callback = egui_glow::CallbackFn::new(move |info, painter| {
            gl.paint(painter.gl(), &info, &mesh);
        });
        out.push(ClippedShape {
            clip_rect: run.clip,
            shape: Shape::Callback(egui::PaintCallback {
                rect: run.clip,
                callback: Arc::new(callback),
            }),
            transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
        });
    }
    out
}

/// Paints `meshes` over `background` in `rect` from a picture kept by the installed painter,
/// redrawn only when `key` changes; returns false (and paints nothing) where there is no
/// installed painter, so the caller paints the meshes itself.
///
/// For what stays the same while the user drags through time: the basemap's land, borders
/// and divisions are tens of thousands of thin triangles, and a software rasteriser pays for
/// each triangle in every tile it crosses (about 24 ms a frame for the Syria view on this
/// machine); copying the kept picture costs a fraction of a millisecond.
pub fn backdrop(
    painter: &egui::Painter,
    rect: Rect,
    key: u64,
    background: Color32,
    meshes: Vec<Arc<Mesh>>,
) -> bool {
    let Some(gl) = installed(painter.ctx()) else {
        return false;
    };
    // The same picture, the same callback: a frame compared with the last (`damage`) sees an
    // unchanged backdrop as unchanged only if it is the same callback.
    let same = (rect, key, background);
    let Ok(mut last) = gl.backdrop_callback.lock() else {
        return false;
    };
    let callback = match &*last {
        Some((was, callback)) if *was == same => Arc::clone(callback),
        _ => {
            // Weak: the painter keeps this callback, which must not keep the painter.
            let painter_gl = Arc::downgrade(&gl);
            let callback: Arc<dyn std::any::Any + Send + Sync> =
                Arc::new(egui_glow::CallbackFn::new(move |info, painter| {
                    let Some(gl) = painter_gl.upgrade() else {
                        return;
                    };
                    let picture = Picture {
                        rect,
                        key,
                        background,
                        meshes: &meshes,
                    };
                    gl.backdrop(painter.gl(), &info, &picture);
                }));
            *last = Some((same, Arc::clone(&callback)));
            callback
        }
    };
    painter.add(egui::PaintCallback { rect, callback });
    true
}

/// What a backdrop shows: `meshes` over `background`, filling `rect`; the same `key`, the
/// same picture.
struct Picture<'a> {
    rect: Rect,
    key: u64,
    background: Color32,
    meshes: &'a [Arc<Mesh>],
}

/// A picture kept in an offscreen framebuffer.
struct Kept {
    framebuffer: glow::Framebuffer,
    renderbuffer: glow::Renderbuffer,
    size: [i32; 2],
    key: Option<u64>,
}

/// The shader program and buffers, made once with the window's OpenGL context.
pub struct FlatGl {
    program: glow::Program,
    vao: glow::VertexArray,
    vbo: glow::Buffer,
    ebo: glow::Buffer,
    u_screen_size: glow::UniformLocation,
    u_origin: glow::UniformLocation,
    kept: std::sync::Mutex<Option<Kept>>,
    /// The last backdrop's callback and what it shows, to give an unchanged backdrop the same
    /// callback again.
    backdrop_callback: std::sync::Mutex<Option<(BackdropKey, BackdropCallback)>>,
}

type BackdropKey = (Rect, u64, Color32);
type BackdropCallback = Arc<dyn std::any::Any + Send + Sync>;

const VERTEX: &str = r"
#if NEW_SHADER_INTERFACE
    #define I in
    #define O out
#else
    #define I attribute
    #define O varying
#endif
uniform vec2 u_screen_size;
uniform vec2 u_origin;
I vec2 a_pos;
I vec4 a_srgba;
O vec4 v_rgba;
void main() {
    // Points to clip space, as egui's own vertex shader does (from an origin, for pictures
    // drawn offscreen).
    vec2 p = a_pos - u_origin;
    gl_Position = vec4(2.0 * p.x / u_screen_size.x - 1.0,
                       1.0 - 2.0 * p.y / u_screen_size.y, 0.0, 1.0);
    v_rgba = a_srgba;
}
";

const FRAGMENT: &str = r"
#ifdef GL_ES
    precision mediump float;
#endif
#if NEW_SHADER_INTERFACE
    in vec4 v_rgba;
    out vec4 f_color;
    void main() { f_color = v_rgba; }
#else
    varying vec4 v_rgba;
    void main() { gl_FragColor = v_rgba; }
#endif
";

impl FlatGl {
    /// `None` where the context cannot run it (OpenGL before 3.0 or ES 3.0, which lack vertex
    /// array objects and framebuffer blits, or a shader that does not compile): egui then
    /// draws everything.
    pub fn new(gl: &glow::Context) -> Option<FlatGl> {
        let version = egui_glow::ShaderVersion::get(gl);
        if !version.is_new_shader_interface() {
            return None;
        }
        let header = format!(
            "{}\n#define NEW_SHADER_INTERFACE 1\n",
            version.version_declaration()
        );
        // SAFETY: plain OpenGL calls on the context eframe made current on this thread.
        unsafe {
            let program = link(gl, &header)?;
            let u_screen_size = gl.get_uniform_location(program, "u_screen_size")?;
            let u_origin = gl.get_uniform_location(program, "u_origin")?;
            let a_pos = gl.get_attrib_location(program, "a_pos")?;
            let a_srgba = gl.get_attrib_location(program, "a_srgba")?;
            let vao = gl.create_vertex_array().ok()?;
            let vbo = gl.create_buffer().ok()?;
            let ebo = gl.create_buffer().ok()?;
            // The attribute layout and the index buffer are the vertex array's state: set once.
            gl.bind_vertex_array(Some(vao));
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(vbo));
            gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(ebo));
            let stride = std::mem::size_of::<Vertex>() as i32;
            let pos = std::mem::offset_of!(Vertex, pos) as i32;
            gl.vertex_attrib_pointer_f32(a_pos, 2, glow::FLOAT, false, stride, pos);
            gl.enable_vertex_attrib_array(a_pos);
            let color = std::mem::offset_of!(Vertex, color) as i32;
            gl.vertex_attrib_pointer_f32(a_srgba, 4, glow::UNSIGNED_BYTE, true, stride, color);
            gl.enable_vertex_attrib_array(a_srgba);
            gl.bind_vertex_array(None);
            gl.bind_buffer(glow::ARRAY_BUFFER, None);
            Some(FlatGl {
                program,
                vao,
                vbo,
                ebo,
                u_screen_size,
                u_origin,
                kept: std::sync::Mutex::new(None),
                backdrop_callback: std::sync::Mutex::new(None),
            })
        }
    }

    /// Binds the program and vertex array for drawing into a target of `size` points whose
    /// top left is `origin`.
    unsafe fn begin(&self, gl: &glow::Context, size: [f32; 2], origin: [f32; 2]) {
        // SAFETY: the caller's.
        unsafe {
            gl.use_program(Some(self.program));
            gl.uniform_2_f32(Some(&self.u_screen_size), size[0], size[1]);
            gl.uniform_2_f32(Some(&self.u_origin), origin[0], origin[1]);
            gl.bind_vertex_array(Some(self.vao));
        }
    }

    /// [`Self::begin`] for drawing into the window itself. egui set the viewport to the
    /// callback's rectangle; our positions are the window's, in points, as egui's are.
    unsafe fn begin_window(&self, gl: &glow::Context, info: &egui::PaintCallbackInfo) {
        let [w, h] = info.screen_size_px;
        let ppp = info.pixels_per_point;
        // SAFETY: the caller's.
        unsafe {
            gl.viewport(0, 0, w as i32, h as i32);
            self.begin(gl, [w as f32 / ppp, h as f32 / ppp], [0.0, 0.0]);
        }
    }

    /// Uploads and draws one mesh (after [`Self::begin`]).
    unsafe fn draw(&self, gl: &glow::Context, mesh: &Mesh) {
        let Ok(count) = i32::try_from(mesh.indices.len()) else {
            return;
        };
        // SAFETY: the caller's; the buffers hold exactly the slices uploaded here.
        unsafe {
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(self.vbo));
            gl.buffer_data_u8_slice(
                glow::ARRAY_BUFFER,
                bytemuck::cast_slice(&mesh.vertices),
                glow::STREAM_DRAW,
            );
            gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(self.ebo));
            gl.buffer_data_u8_slice(
                glow::ELEMENT_ARRAY_BUFFER,
                bytemuck::cast_slice(&mesh.indices),
                glow::STREAM_DRAW,
            );
            gl.draw_elements(glow::TRIANGLES, count, glow::UNSIGNED_INT, 0);
        }
    }

    /// Draws one run. egui_glow has set the scissor to the run's clip rectangle and blending
    /// to its own (premultiplied alpha, as our colours are), and restores its state after the
    /// callback.
    fn paint(&self, gl: &glow::Context, info: &egui::PaintCallbackInfo, mesh: &Mesh) {
        // SAFETY: as in `new`.
        unsafe {
            self.begin_window(gl, info);
            self.draw(gl, mesh);
            gl.bind_vertex_array(None);
        }
    }

    /// Copies the kept picture to the window, drawing it first if its key changed. Without a
    /// framebuffer to keep it in, draws the meshes straight to the window.
    fn backdrop(&self, gl: &glow::Context, info: &egui::PaintCallbackInfo, picture: &Picture) {
        let ppp = info.pixels_per_point;
        let screen_h = info.screen_size_px[1] as i32;
        let px = |v: f32| (v * ppp).round() as i32;
        let (x0, y0) = (px(picture.rect.min.x), px(picture.rect.min.y));
        let size = [px(picture.rect.width()), px(picture.rect.height())];
        if size[0] <= 0 || size[1] <= 0 {
            return;
        }
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        // SAFETY: as in `new`; the window's framebuffer is bound again before returning.
        unsafe {
            let window = gl.get_parameter_framebuffer(glow::DRAW_FRAMEBUFFER_BINDING);
            let Some(k) = self.kept_of_size(gl, &mut kept, size) else {
                // No offscreen framebuffer: draw straight to the window, over its clear colour.
                self.begin_window(gl, info);
                for mesh in picture.meshes {
                    self.draw(gl, mesh);
                }
                gl.bind_vertex_array(None);
                return;
            };
            if k.key != Some(picture.key) {
                // The whole picture, whatever part of the window this frame repaints.
                gl.disable(glow::SCISSOR_TEST);
                gl.bind_framebuffer(glow::FRAMEBUFFER, Some(k.framebuffer));
                gl.viewport(0, 0, size[0], size[1]);
                let [r, g, b, a] = picture.background.to_normalized_gamma_f32();
                gl.clear_color(r, g, b, a);
                gl.clear(glow::COLOR_BUFFER_BIT);
                let origin = [picture.rect.min.x, picture.rect.min.y];
                self.begin(gl, [size[0] as f32 / ppp, size[1] as f32 / ppp], origin);
                for mesh in picture.meshes {
                    self.draw(gl, mesh);
                }
                gl.bind_vertex_array(None);
                k.key = Some(picture.key);
                // egui's scissor box is untouched: only what this frame repaints is copied.
                gl.enable(glow::SCISSOR_TEST);
            }
            gl.bind_framebuffer(glow::READ_FRAMEBUFFER, Some(k.framebuffer));
            gl.bind_framebuffer(glow::DRAW_FRAMEBUFFER, window);
            // Window coordinates count from the bottom.
            let bottom = screen_h - y0 - size[1];
            gl.blit_framebuffer(
                0,
                0,
                size[0],
                size[1],
                x0,
                bottom,
                x0 + size[0],
                bottom + size[1],
                glow::COLOR_BUFFER_BIT,
                glow::NEAREST,
            );
            gl.bind_framebuffer(glow::FRAMEBUFFER, window);
        }
    }

    /// The kept picture, its framebuffer made (again) at this size if need be; `None` if the
    /// context cannot make one.
    unsafe fn kept_of_size<'k>(
        &self,
        gl: &glow::Context,
        kept: &'k mut Option<Kept>,
        size: [i32; 2],
    ) -> Option<&'k mut Kept> {
        if kept.as_ref().is_some_and(|k| k.size != size)
            && let Some(old) = kept.take()
        {
            // SAFETY: the caller's; these objects are ours and no longer used.
            unsafe {
                gl.delete_framebuffer(old.framebuffer);
                gl.delete_renderbuffer(old.renderbuffer);
            }
        }
        if kept.is_none() {
            // SAFETY: the caller's.
            *kept = unsafe { new_kept(gl, size) };
        }
        kept.as_mut()
    }
}

/// An offscreen framebuffer of `size` pixels, RGBA8, or `None` where it cannot be made. Leaves
/// no framebuffer bound but the caller's, which the caller restores.
unsafe fn new_kept(gl: &glow::Context, size: [i32; 2]) -> Option<Kept> {
    // SAFETY: the caller's.
    unsafe {
        let renderbuffer = gl.create_renderbuffer().ok()?;
        gl.bind_renderbuffer(glow::RENDERBUFFER, Some(renderbuffer));
        gl.renderbuffer_storage(glow::RENDERBUFFER, glow::RGBA8, size[0], size[1]);
        gl.bind_renderbuffer(glow::RENDERBUFFER, None);
        let framebuffer = gl.create_framebuffer().ok()?;
        gl.bind_framebuffer(glow::FRAMEBUFFER, Some(framebuffer));
        gl.framebuffer_renderbuffer(
            glow::FRAMEBUFFER,
            glow::COLOR_ATTACHMENT0,
            glow::RENDERBUFFER,
            Some(renderbuffer),
        );
        let complete = gl.check_framebuffer_status(glow::FRAMEBUFFER) == glow::FRAMEBUFFER_COMPLETE;
        if !complete {
            gl.delete_framebuffer(framebuffer);
            gl.delete_renderbuffer(renderbuffer);
            return None;
        }
        Some(Kept {
            framebuffer,
            renderbuffer,
            size,
            key: None,
        })
    }
}

/// Compiles and links the program; `None` (said on standard error) if the driver refuses.
unsafe fn link(gl: &glow::Context, header: &str) -> Option<glow::Program> {
    // SAFETY: the caller's.
    unsafe {
        let program = gl.create_program().ok()?;
        let mut shaders = Vec::new();
        for (kind, source) in [
            (glow::VERTEX_SHADER, VERTEX),
            (glow::FRAGMENT_SHADER, FRAGMENT),
        ] {
            let shader = gl.create_shader(kind).ok()?;
            gl.shader_source(shader, &format!("{header}{source}"));
            gl.compile_shader(shader);
            if !gl.get_shader_compile_status(shader) {
                log_failure("shader", &gl.get_shader_info_log(shader));
                return None;
            }
            gl.attach_shader(program, shader);
            shaders.push(shader);
        }
        gl.link_program(program);
        for shader in shaders {
            gl.detach_shader(program, shader);
            gl.delete_shader(shader);
        }
        if !gl.get_program_link_status(program) {
            log_failure("program", &gl.get_program_info_log(program));
            return None;
        }
        Some(program)
    }
}

/// Said once on standard error: the app still works, drawn by egui alone.
fn log_failure(what: &str, log: &str) {
    eprintln!("note: the flat-fill {what} did not build ({log}); egui draws everything instead");
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Stroke, pos2, vec2};

    fn clipped(shape: impl Into<Shape>, clip: Rect) -> ClippedShape {
        ClippedShape {
            clip_rect: clip,
            shape: shape.into(),
            transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
        }
    }

    fn rect(x: f32, w: f32) -> Rect {
        Rect::from_min_size(pos2(x, 0.0), vec2(w, 40.0))
    }

    const SCREEN: Rect = Rect::EVERYTHING;

    #[test]
    fn consecutive_flat_fills_in_one_clip_become_one_run_in_paint_order() {
        let a = RectShape::filled(rect(0.0, 100.0), 0.0, Color32::RED);
        let b = RectShape::filled(rect(100.0, 50.0), 0.0, Color32::BLUE);
        let runs = plan(&[clipped(a, SCREEN), clipped(b, SCREEN)], 1.0);
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!((run.first, run.end), (0, 2));
        assert_eq!(run.mesh.indices.len(), 12);
        // Red first, then blue: the order egui would have painted them in.
        assert_eq!(run.mesh.vertices[0].color, Color32::RED);
        assert_eq!(run.mesh.vertices[4].color, Color32::BLUE);
    }

    #[test]
    fn text_patterns_and_rounded_widgets_stay_with_egui_and_split_the_runs() {
        let flat = || {
            clipped(
                RectShape::filled(rect(0.0, 100.0), 0.0, Color32::RED),
                SCREEN,
            )
        };
        let rounded = clipped(
            RectShape::filled(rect(0.0, 100.0), 4.0, Color32::RED),
            SCREEN,
        );
        let stroked = clipped(
            RectShape::new(
                rect(0.0, 100.0),
                0.0,
                Color32::RED,
                Stroke::new(1.0, Color32::BLACK),
                egui::StrokeKind::Inside,
            ),
            SCREEN,
        );
        let mut textured = Mesh::with_texture(TextureId::User(7));
        textured.add_rect_with_uv(
            rect(0.0, 10.0),
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::WHITE,
        );
        let hairline = clipped(RectShape::filled(rect(0.0, 1.0), 0.0, Color32::RED), SCREEN);
        let shapes = [
            flat(),
            rounded,
            flat(),
            stroked,
            flat(),
            clipped(textured, SCREEN),
            hairline,
            flat(),
        ];
        let runs = plan(&shapes, 1.0);
        let spans: Vec<_> = runs.iter().map(|r| (r.first, r.end)).collect();
        assert_eq!(spans, [(0, 1), (2, 3), (4, 5), (7, 8)]);
    }

    #[test]
    fn a_mesh_sampling_only_the_white_texel_is_flat_and_one_sampling_a_glyph_is_not() {
        let mut land = Mesh::default();
        land.add_colored_rect(rect(0.0, 300.0), Color32::from_rgb(240, 235, 220));
        let mut glyph = Mesh::default();
        glyph.add_rect_with_uv(
            rect(0.0, 8.0),
            Rect::from_min_max(pos2(0.1, 0.1), pos2(0.2, 0.2)),
            Color32::BLACK,
        );
        let runs = plan(&[clipped(land, SCREEN), clipped(glyph, SCREEN)], 1.0);
        assert_eq!(runs.len(), 1);
        assert_eq!((runs[0].first, runs[0].end), (0, 1));
    }

    #[test]
    fn a_change_of_clip_rectangle_starts_a_new_run() {
        let map = Rect::from_min_size(pos2(0.0, 0.0), vec2(500.0, 500.0));
        let fill = |c| clipped(RectShape::filled(rect(0.0, 100.0), 0.0, Color32::RED), c);
        let runs = plan(&[fill(SCREEN), fill(map), fill(map)], 1.0);
        let spans: Vec<_> = runs.iter().map(|r| (r.first, r.end, r.clip)).collect();
        assert_eq!(spans, [(0, 1, SCREEN), (1, 3, map)]);
    }

    #[test]
    fn rectangles_are_snapped_to_pixels_as_egui_snaps_them() {
        let r = Rect::from_min_max(pos2(10.3, 5.6), pos2(99.6, 40.2));
        let runs = plan(
            &[clipped(RectShape::filled(r, 0.0, Color32::RED), SCREEN)],
            2.0,
        );
        let xs: Vec<f32> = runs[0].mesh.vertices.iter().map(|v| v.pos.x).collect();
        assert!(xs.contains(&10.5) && xs.contains(&99.5), "{xs:?}");
    }
}
