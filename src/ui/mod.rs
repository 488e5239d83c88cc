//! The desktop app: an eframe window that only reads the session and the engine and draws them.
//! It knows nothing of the command line: `main` turns flags into a checked [`StartOptions`].

pub mod animate;
pub(crate) mod announce;
pub mod app;
mod caption;
pub mod commands;
pub mod compare_box;
mod damage;
mod dialogs;
pub mod encode;
pub mod export_dialog;
pub mod flat;
pub mod fonts;
pub mod incidents;
pub mod job;
pub mod lanes;
mod loading;
pub mod map;
mod native_dialog;
pub mod open_dialog;
mod partial;
mod screenshot;
pub mod script;
pub mod search_box;
pub mod sidebar;
pub mod story;
pub mod theme;
pub mod timebar;
mod watch;

use std::sync::atomic::Ordering;

use crate::engine::Engine;
use app::{AtlasApp, SAVE_KEY, StartOptions};

const ICON: &[u8] = include_bytes!("../../assets/icon.png");

/// The exit code when the window could not open.
const EXIT_NO_WINDOW: u8 = 1;

/// A storage path nothing has ever written: a fresh name in the temporary folder.
fn ephemeral_storage() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    std::env::temp_dir()
        .join(format!(
            "truce-atlas-ephemeral-{}-{nanos}",
            std::process::id()
        ))
        .join("app.ron")
}

/// The window: its size, title and where (if anywhere) eframe keeps its state.
fn native_options(
    start: &StartOptions,
    size: Option<(u32, u32)>,
    title: String,
) -> eframe::NativeOptions {
    let (w, h) = size.unwrap_or((1400, 900));
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(title)
        .with_app_id("truce-atlas")
        .with_min_inner_size([900.0, 600.0])
        .with_inner_size([w as f32, h as f32]);
    // The same picture as the desktop entry's (assets/truce-atlas.desktop), not eframe's logo.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON) {
        viewport = viewport.with_icon(icon);
    }
    eframe::NativeOptions {
        viewport,
        // Glow runs under software OpenGL (Mesa llvmpipe), as on CI and many VMs.
        renderer: eframe::Renderer::Glow,
        // A screenshot is rendered at the size asked for, not the size the user last left.
        persist_window: !start.ephemeral && size.is_none(),
        // `--fresh` and `--screenshot` must neither read nor write what the last run saved:
        // eframe 0.37 restores its saved window and egui's memory (panel widths) whatever
        // `persist_window` says, so these runs get a storage file that does not exist. Nothing
        // is written to it either: the app and egui's memory save nothing in these runs.
        persistence_path: start.ephemeral.then(ephemeral_storage),
        ..Default::default()
    }
}

/// "Truce Atlas — " and the dataset's name.
pub fn window_title(engine: &Engine) -> String {
    let name = &engine.dataset().meta.name;
    format!("Truce Atlas — {}", crate::text::clip(name, 80))
}

/// Opens the window on a loaded dataset. Returns the process exit code: 0, or 1 when the
/// window could not open or a screenshot could not be written.
pub fn run_app(engine: Engine, start: StartOptions, size: Option<(u32, u32)>) -> u8 {
    let title = window_title(&engine);
    let options = native_options(&start, size, title);
    let exit_code = start.exit_code.clone();
    // Read while the window and OpenGL come up (loading the driver takes longer): about a
    // tenth of a launch's CPU, off its path.
    crate::basemap::Basemap::prepare_shared();
    let result = eframe::run_native(
        "Truce Atlas",
        options,
        Box::new(move |cc| {
            cc.egui_ctx.set_theme(egui::Theme::Light);
            // eframe 0.37 gives the window the size saved by the last run even when
            // `persist_window` is off: a size asked for on the command line is sent again.
            if let Some((w, h)) = size {
                cc.egui_ctx
                    .send_viewport_cmd(egui::ViewportCommand::InnerSize(egui::vec2(
                        w as f32, h as f32,
                    )));
            }
            if start.screenshot.is_some() {
                screenshot::prepare(&cc.egui_ctx);
            } else {
                // A screenshot run draws one frame: pictures kept for later frames would only
                // cost it their shaders' compilation (about 60 ms of its 430 here).
                install_painting(cc);
            }
            let saved = cc.storage.and_then(|s| s.get_string(SAVE_KEY));
            Ok(Box::new(AtlasApp::new(engine, start, saved)))
        }),
    );
    match result {
        Ok(()) => exit_code.load(Ordering::SeqCst),
        Err(e) => {
            eprintln!("error: cannot open the window: {e}");
            eprintln!(
                "(Truce Atlas needs a display with OpenGL 2+, and so do `export png` and `export animation`, which draw the view in a window: on a machine without one, run them under a virtual display, e.g. `xvfb-run truce-atlas export png ...`. The subcommands status, events, validate, verify and the CSV and GeoJSON exports work without one.)"
            );
            EXIT_NO_WINDOW
        }
    }
}

/// With OpenGL 3: flat fills through our shader, the basemap kept as a picture (`flat`), and,
/// on a software rasteriser, only what changed repainted (`partial`). `TRUCE_ATLAS_FLAT_FILLS=off`
/// leaves all drawing to egui; `TRUCE_ATLAS_PARTIAL=off` repaints every frame in full and
/// `=on` repaints in part on a graphics card too (a driver that draws our shader wrong or
/// keeps the window's picture wrong; before/after measurements).
fn install_painting(cc: &eframe::CreationContext<'_>) {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("TRUCE_ATLAS_FLAT_FILLS") == "off" {
        return;
    }
    let Some(gl) = cc.gl.clone() else {
        return;
    };
    let Some(flat) = flat::FlatGl::new(&gl).map(std::sync::Arc::new) else {
        return;
    };
    flat::install(&cc.egui_ctx, std::sync::Arc::clone(&flat));
    // A graphics card repaints a whole frame for next to nothing, and reading a pixel back
    // (how a partial frame checks the window kept its picture) stalls its pipeline.
    let partial = match var("TRUCE_ATLAS_PARTIAL").as_str() {
        "off" => false,
        "on" => true,
        // SAFETY: a query on the context eframe made current for this call.
        _ => partial::is_software(&unsafe {
            eframe::glow::HasContext::get_parameter_string(&*gl, eframe::glow::RENDERER)
        }),
    };
    cc.egui_ctx
        .add_plugin(partial::Partial::new(gl, flat, partial));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_or_screenshot_run_gets_a_storage_file_that_does_not_exist() {
        let start = StartOptions {
            ephemeral: true,
            ..StartOptions::default()
        };
        let options = native_options(&start, Some((1600, 1000)), "t".into());
        let path = options.persistence_path.expect("a path of its own");
        assert!(!path.exists() && !path.parent().is_some_and(std::path::Path::exists));
        assert!(!options.persist_window);
        let app = AtlasApp::new(crate::default_engine().expect("valid"), start, None);
        assert!(
            !eframe::App::persist_egui_memory(&app),
            "panel widths are not kept"
        );
    }

    #[test]
    fn an_ordinary_run_keeps_its_state_where_eframe_puts_it() {
        let options = native_options(&StartOptions::default(), None, "t".into());
        assert_eq!(options.persistence_path, None);
        assert!(options.persist_window);
    }
}
