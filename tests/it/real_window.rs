//! The end-to-end smoke test: the real binary opens a real window (glow on software OpenGL under
//! Xvfb), renders 1 May 2016 at midday and saves it with `--screenshot`; the PNG must be a map.
//!
//! It needs Xvfb and Mesa, so plain `cargo test` skips it; `.ci/run` installs them and runs
//! `cargo test --release --test it real_window -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use egui::Color32;
use truce_atlas::model::Status;
use truce_atlas::ui::theme;

struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM, so that the server removes its socket and lock file: killed outright it
        // leaves them, and the display numbers look taken to the next Xvfb (here and in the
        // peer bench) long after the tests have ended.
        let terminated = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(5);
        while terminated && Instant::now() < deadline {
            if self.0.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Display numbers handed out in this process: tests run in parallel, and two of them must not
/// both find the same number free before either server has made its socket.
static NEXT_DISPLAY: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(90);

/// Starts Xvfb on a free display and waits for its socket.
fn start_xvfb() -> (Xvfb, String) {
    loop {
        let n = NEXT_DISPLAY.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert!(n < 200, "no Xvfb display came up");
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if socket.exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let child = Command::new("Xvfb")
            .args([
                format!(":{n}").as_str(),
                "-screen",
                "0",
                "1600x1000x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb runs (apt-get install xvfb)");
        let mut xvfb = Xvfb(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            // A server that lost the race for this number (to another process) has exited.
            if xvfb.0.try_wait().ok().flatten().is_some() {
                break;
            }
            if socket.exists() {
                return (xvfb, format!(":{n}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn read_png(path: &Path) -> (u32, u32, Vec<[u8; 4]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("the PNG exists"),
    ));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let pixels = buf[..info.buffer_size()]
        .chunks_exact(4)
        .map(|c| [c[0], c[1], c[2], c[3]])
        .collect();
    (info.width, info.height, pixels)
}

/// A zone fill as it appears over the focus country's land.
fn blended(fill: Color32) -> [u8; 3] {
    let a = f32::from(theme::TOKENS.zone_fill_alpha) / 255.0;
    let land = theme::TOKENS.colors.focus_land;
    let mix = |f: u8, l: u8| (f32::from(f) * a + f32::from(l) * (1.0 - a)).round() as u8;
    [
        mix(fill.r(), land.r()),
        mix(fill.g(), land.g()),
        mix(fill.b(), land.b()),
    ]
}

fn count_near(pixels: &[[u8; 4]], target: [u8; 3], tolerance: i16) -> usize {
    pixels
        .iter()
        .filter(|p| (0..3).all(|i| (i16::from(p[i]) - i16::from(target[i])).abs() <= tolerance))
        .count()
}

#[test]
#[ignore = "needs Xvfb and Mesa; .ci/run installs them and runs it"]
fn the_real_window_renders_1_may_as_a_map_with_the_zone_colours() {
    let (_xvfb, display) = start_xvfb();
    let out = std::env::temp_dir().join(format!("truce-atlas-smoke-{}.png", std::process::id()));
    let _ = std::fs::remove_file(&out);
    // A saved state that would shrink the window and shift the view if it were read: a
    // screenshot run must neither read it nor write over it.
    let data = std::env::temp_dir().join(format!("truce-atlas-smoke-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(data.join("truce-atlas")).expect("data dir");
    let saved = data.join("truce-atlas").join("app.ron");
    let poisoned = "{\n    \"window\": \"(normal_geometry:(outer_position_pixels:None,scale_factor:1.0,inner_size_points:(x:900.0,y:600.0)),fullscreen:false,maximized:false)\",\n    \"truce-atlas-view\": \"{\\\"instant\\\":0}\",\n}\n";
    std::fs::write(&saved, poisoned).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_truce-atlas"))
        .args([
            "--at",
            "2016-05-01T12:00:00+03:00",
            "--zone",
            "aleppo",
            "--size",
            "1400x900",
            "--screenshot",
        ])
        .arg(&out)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        // A fresh home, so no saved state or cache of the developer's leaks into the run.
        .env("HOME", std::env::temp_dir())
        .env("XDG_DATA_HOME", &data)
        .spawn()
        .expect("the binary starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("no screenshot within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "the app exited with {status}");

    let after = std::fs::read_to_string(&saved).expect("still there");
    let files = std::fs::read_dir(data.join("truce-atlas"))
        .expect("dir")
        .count();
    std::fs::remove_dir_all(&data).ok();
    assert_eq!(after, poisoned, "the saved state is left as it was");
    assert_eq!(files, 1, "nothing else is written");

    let (width, height, pixels) = read_png(&out);
    std::fs::remove_file(&out).ok();
    assert_eq!((width, height), (1400, 900), "the size asked for");
    let mut colours: Vec<[u8; 4]> = pixels.clone();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 500,
        "a map has many colours, not {}",
        colours.len()
    );
    assert!(
        count_near(
            &pixels,
            [
                theme::TOKENS.colors.sea.r(),
                theme::TOKENS.colors.sea.g(),
                theme::TOKENS.colors.sea.b()
            ],
            2
        ) > 10_000,
        "the sea is drawn"
    );
    // Damascus, Latakia and Eastern Ghouta are in effect; Aleppo negotiating.
    let in_effect = count_near(
        &pixels,
        blended(theme::status_style(Status::InEffect).fill),
        14,
    );
    let negotiating = count_near(
        &pixels,
        blended(theme::status_style(Status::Negotiating).fill),
        14,
    );
    assert!(in_effect > 300, "in-effect fill: {in_effect} pixels");
    assert!(
        negotiating > 3_000,
        "negotiating fill: {negotiating} pixels"
    );
}

/// A tool's output, or `None` if it is missing or failed.
fn run_tool(program: &str, args: &[&str], display: &str) -> Option<String> {
    let out = Command::new("timeout")
        .arg("30")
        .arg(program)
        .args(args)
        .env("DISPLAY", display)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The app in a real window, with `data` as its place for saved state.
fn spawn_app(display: &str, data: &Path, args: &[&str]) -> Child {
    spawn_app_with(display, data, args, &[])
}

/// [`spawn_app`] with these variables added to its environment.
fn spawn_app_with(display: &str, data: &Path, args: &[&str], vars: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_truce-atlas"))
        .args(args)
        .envs(vars.iter().copied())
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env("HOME", std::env::temp_dir())
        .env("XDG_DATA_HOME", data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts")
}

/// The app's window id, once it is mapped.
fn app_window(display: &str) -> String {
    let found = run_tool(
        "xdotool",
        &["search", "--sync", "--name", "^Truce Atlas"],
        display,
    )
    .expect("xdotool finds the window (apt-get install xdotool)");
    found.lines().next().unwrap_or_default().to_string()
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A stand-in for zenity, the dialog rfd falls back on without a desktop portal, answering with
/// `answer` as a user choosing it would; then the app started with it first on its PATH.
fn app_with_fake_zenity(display: &str, data: &Path, answer: &Path, args: &[&str]) -> Killed {
    let bin = data.join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let zenity = bin.join("zenity");
    std::fs::write(&zenity, format!("#!/bin/sh\necho '{}'\n", answer.display())).expect("write");
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&zenity, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let app = Command::new(env!("CARGO_BIN_EXE_truce-atlas"))
        .args(args)
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", std::env::temp_dir())
        .env("XDG_DATA_HOME", data)
        .env("PATH", path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    Killed(app)
}

fn saved_state_dir(name: &str, window: (u32, u32)) -> PathBuf {
    let data = std::env::temp_dir().join(format!("truce-atlas-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(data.join("truce-atlas")).expect("data dir");
    let (w, h) = window;
    let saved = format!(
        "{{\n    \"window\": \"(normal_geometry:(outer_position_pixels:None,scale_factor:1.0,inner_size_points:(x:{w}.0,y:{h}.0)),fullscreen:false,maximized:false)\",\n}}\n"
    );
    std::fs::write(data.join("truce-atlas").join("app.ron"), saved).expect("write");
    data
}

#[test]
#[ignore = "needs Xvfb, Mesa and xdotool; .ci/run installs them and runs it"]
fn a_size_on_the_command_line_wins_over_the_window_saved_by_the_last_run() {
    let (_xvfb, display) = start_xvfb();
    let data = saved_state_dir("size", (900, 600));
    let _app = Killed(spawn_app(&display, &data, &["--size", "1300x800"]));
    // The window may open at the saved size for a moment before the size asked for is applied
    // (eframe restores it; the app then resizes): the size that counts is the one it settles on.
    let mut geometry = String::new();
    for _ in 0..40 {
        geometry = run_tool(
            "xdotool",
            &[
                "search",
                "--sync",
                "--name",
                "^Truce Atlas",
                "getwindowgeometry",
            ],
            &display,
        )
        .expect("xdotool finds the window (apt-get install xdotool)");
        if geometry.contains("Geometry: 1300x800") {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    std::fs::remove_dir_all(&data).ok();
    assert!(geometry.contains("Geometry: 1300x800"), "{geometry}");
}

#[test]
#[ignore = "needs Xvfb, Mesa, xdotool and xclip; .ci/run installs them and runs it"]
fn the_copy_button_puts_the_quote_on_the_system_clipboard() {
    let (_xvfb, display) = start_xvfb();
    let data = saved_state_dir("copy", (900, 600));
    let args = [
        "--fresh",
        "--size",
        "1400x900",
        "--at",
        "2016-05-01T12:00:00+03:00",
        "--zone",
        "aleppo",
    ];
    let _app = Killed(spawn_app(&display, &data, &args));
    run_tool(
        "xdotool",
        &["search", "--sync", "--name", "^Truce Atlas"],
        &display,
    )
    .expect("xdotool finds the window (apt-get install xdotool)");
    // The first quote's Copy button, where this view at this size draws it (the fonts are
    // bundled, so the layout is the same on every machine). Tried until the window has drawn.
    let mut copied = String::new();
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(250));
        run_tool(
            "xdotool",
            &["mousemove", "1150", "478", "click", "1"],
            &display,
        );
        std::thread::sleep(Duration::from_millis(250));
        copied =
            run_tool("xclip", &["-selection", "clipboard", "-o"], &display).unwrap_or_default();
        if !copied.is_empty() {
            break;
        }
    }
    std::fs::remove_dir_all(&data).ok();
    assert!(
        copied.starts_with("“\"At present, there is an active negotiation process"),
        "{copied:?}"
    );
    assert!(copied.contains("— Gen. Sergei Kuralenko, Radio Free Europe/Radio Liberty"));
}

#[test]
#[ignore = "needs Xvfb, Mesa and xdotool; .ci/run installs them and runs it"]
fn file_open_uses_the_system_folder_picker_where_there_is_one() {
    let (_xvfb, display) = start_xvfb();
    let data = saved_state_dir("picker", (900, 600));
    // The system picker answers with the example dataset's folder.
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example-minimal");
    let _app = app_with_fake_zenity(
        &display,
        &data,
        &example,
        &["--fresh", "--size", "1000x650"],
    );
    run_tool(
        "xdotool",
        &["search", "--sync", "--name", "^Truce Atlas"],
        &display,
    )
    .expect("xdotool finds the window (apt-get install xdotool)");
    // File, then "Open dataset…", where the menu draws them at this size; tried until the
    // window has drawn and the title names the example.
    let mut opened = None;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(300));
        run_tool(
            "xdotool",
            &["mousemove", "20", "12", "click", "1"],
            &display,
        );
        std::thread::sleep(Duration::from_millis(300));
        run_tool(
            "xdotool",
            &["mousemove", "60", "40", "click", "1"],
            &display,
        );
        std::thread::sleep(Duration::from_millis(500));
        opened = run_tool("xdotool", &["search", "--name", "Worked example"], &display);
        if opened.is_some() {
            break;
        }
    }
    std::fs::remove_dir_all(&data).ok();
    assert!(opened.is_some(), "the picked folder was not opened");
}

#[test]
#[ignore = "needs Xvfb and Mesa; .ci/run installs them and runs it"]
fn export_png_draws_the_view_at_the_size_asked_with_a_caption_under_it() {
    let (_xvfb, display) = start_xvfb();
    let dir = std::env::temp_dir().join(format!("truce-atlas-png-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let run = |args: &[&str]| {
        let status = Command::new(env!("CARGO_BIN_EXE_truce-atlas"))
            .args(args)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("HOME", &dir)
            .env("XDG_DATA_HOME", &dir)
            .status()
            .expect("the binary runs");
        assert!(status.success(), "{args:?}");
    };
    let (export, plain) = (dir.join("export.png"), dir.join("plain.png"));
    let view = [
        "--at",
        "2016-05-05 12:00",
        "--zone",
        "aleppo",
        "--size",
        "1200x800",
    ];
    let mut args = vec!["export", "png"];
    args.extend(view);
    args.extend(["-o", export.to_str().expect("utf-8")]);
    run(&args);
    let mut args = view.to_vec();
    args.extend(["--screenshot", plain.to_str().expect("utf-8")]);
    run(&args);
    let (w, h, with) = read_png(&export);
    assert_eq!((w, h), (1200, 800));
    let (_, _, without) = read_png(&plain);
    // The caption takes the bottom of the window: its rows differ from the plain view's.
    let bottom = (w * (h - 90)) as usize;
    let differ = with[bottom..]
        .iter()
        .zip(&without[bottom..])
        .filter(|(a, b)| a != b)
        .count();
    assert!(differ > 5_000, "{differ} pixels differ in the bottom rows");
    // And the map is still there, in the zone colours.
    let in_effect = blended(theme::status_style(Status::InEffect).fill);
    assert!(count_near(&with, in_effect, 12) > 2_000);
}

#[test]
#[ignore = "needs Xvfb and Mesa; .ci/run installs them and runs it"]
fn export_animation_writes_every_picture_of_the_range_with_the_caption_and_changing_colours() {
    let (_xvfb, display) = start_xvfb();
    let dir = std::env::temp_dir().join(format!("truce-atlas-anim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let run = |format: &str, out: &std::path::Path| {
        let o = Command::new(env!("CARGO_BIN_EXE_truce-atlas"))
            .args(["export", "animation", "--from", "2016-05-01 00:00"])
            .args([
                "--to",
                "2016-05-08 00:00",
                "--step",
                "1d",
                "--zone",
                "aleppo",
            ])
            .args(["--size", "1000x650", "--format", format, "-o"])
            .arg(out)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("HOME", &dir)
            .env("XDG_DATA_HOME", &dir)
            .output()
            .expect("the binary runs");
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(o.status.success(), "{err}");
        assert!(
            err.contains("picture 8 of 8"),
            "progress on the terminal: {err}"
        );
    };
    // GIF: eight pictures (1 to 8 May by a day), each the window's size.
    let gif_path = dir.join("may.gif");
    run("gif", &gif_path);
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let file = std::fs::File::open(&gif_path).expect("the GIF");
    let mut decoder = options.read_info(file).expect("a GIF");
    assert_eq!((decoder.width(), decoder.height()), (1000, 650));
    let mut frames = Vec::new();
    while let Some(frame) = decoder.read_next_frame().expect("a frame") {
        let pixels: Vec<[u8; 4]> = frame
            .buffer
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect();
        frames.push(pixels);
    }
    assert_eq!(frames.len(), 8);
    // Aleppo goes from the regime of calm's breakdown to the 48-hour truce of 4-6 May: the
    // zones' colours are not the same in every picture.
    let in_effect = blended(theme::status_style(Status::InEffect).fill);
    let counts: Vec<usize> = frames
        .iter()
        .map(|f| count_near(f, in_effect, 16))
        .collect();
    assert!(
        counts.iter().any(|&c| c > 1_000),
        "no zone in effect: {counts:?}"
    );
    assert!(
        counts.iter().max() != counts.iter().min(),
        "every picture has the same colours: {counts:?}"
    );
    // The caption is on every picture and says its instant: its rows (the bottom of the
    // window, the instant's line among them) change from each picture to the next.
    let caption = 1000 * (650 - 130);
    for (i, pair) in frames.windows(2).enumerate() {
        let differ = pair[0][caption..]
            .iter()
            .zip(&pair[1][caption..])
            .filter(|(a, b)| a != b)
            .count();
        assert!(
            differ > 300,
            "pictures {i} and {} have the same caption ({differ} pixels differ)",
            i + 1
        );
    }
    // APNG: the same number of pictures, in every colour.
    let apng_path = dir.join("may.png");
    run("apng", &apng_path);
    let reader = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&apng_path).expect("the APNG"),
    ))
    .read_info()
    .expect("a PNG");
    assert_eq!(
        reader.info().animation_control().map(|c| c.num_frames),
        Some(8)
    );
    assert_eq!((reader.info().width, reader.info().height), (1000, 650));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
#[ignore = "needs Xvfb, Mesa and xdotool; .ci/run installs them and runs it"]
fn ctrl_e_exports_the_window_as_a_picture_where_the_save_dialog_says() {
    let (_xvfb, display) = start_xvfb();
    let data = saved_state_dir("export-image", (900, 600));
    let out = data.join("view.png");
    // The save dialog answers with a file name.
    let args = [
        "--fresh",
        "--size",
        "1000x650",
        "--zone",
        "aleppo",
        "--at",
        "2016-05-01 12:00",
    ];
    let _app = app_with_fake_zenity(&display, &data, &out, &args);
    let window = app_window(&display);
    for _ in 0..20 {
        if out.exists() {
            break;
        }
        run_tool("xdotool", &["windowfocus", "--sync", &window], &display);
        run_tool("xdotool", &["key", "ctrl+e"], &display);
        std::thread::sleep(Duration::from_millis(800));
    }
    assert!(out.exists(), "no picture at {}", out.display());
    let (w, h, pixels) = read_png(&out);
    assert_eq!((w, h), (1000, 650));
    let negotiating = blended(theme::status_style(Status::Negotiating).fill);
    assert!(
        count_near(&pixels, negotiating, 12) > 1_000,
        "Aleppo is not on it"
    );
    std::fs::remove_dir_all(&data).ok();
}

/// What the X server shows of the window at the top left (no window manager places it
/// elsewhere), through ImageMagick's `import`.
fn grab_window(display: &str, out: &Path, size: &str) -> Vec<[u8; 4]> {
    let _ = std::fs::remove_file(out);
    let crop = format!("{size}+0+0");
    // RGBA, as `read_png` reads.
    let path = format!("png32:{}", out.display());
    run_tool(
        "import",
        &["-window", "root", "-crop", &crop, &path],
        display,
    )
    .expect("import grabs the screen (apt-get install imagemagick)");
    let (_, _, pixels) = read_png(out);
    pixels
}

#[test]
#[ignore = "needs Xvfb, Mesa, xdotool and ImageMagick; .ci/run installs them and runs it"]
fn panning_redraws_the_basemap_the_window_keeps_as_a_picture() {
    // The sea, land and borders are drawn once per camera into a kept picture and copied on
    // later frames: a pan must draw them again, not show the old picture under moved zones.
    let (_xvfb, display) = start_xvfb();
    let data = saved_state_dir("pan", (900, 600));
    let shot = data.join("shot.png");
    let args = ["--fresh", "--size", "1000x650", "--at", "2016-05-01 12:00"];
    let _app = Killed(spawn_app(&display, &data, &args));
    let window = app_window(&display);
    let sea = theme::TOKENS.colors.sea;
    let sea = [sea.r(), sea.g(), sea.b()];
    // Once the window has drawn and the map has fitted the zones.
    let before = count_near(&grab_settled(&display, &shot, "1000x650"), sea, 2);
    // West, two steps: more of the Mediterranean comes into view.
    run_tool("xdotool", &["windowfocus", "--sync", &window], &display);
    for _ in 0..2 {
        run_tool("xdotool", &["key", "alt+Left"], &display);
        std::thread::sleep(Duration::from_millis(300));
    }
    std::thread::sleep(Duration::from_millis(500));
    let after = count_near(&grab_window(&display, &shot, "1000x650"), sea, 2);
    std::fs::remove_dir_all(&data).ok();
    assert!(
        after > before + 20_000,
        "sea pixels before the pan {before}, after {after}"
    );
}

/// Grabs the window until two grabs in a row are the same (drawn, and done animating).
fn grab_settled(display: &str, out: &Path, size: &str) -> Vec<[u8; 4]> {
    let mut last = grab_window(display, out, size);
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(250));
        let now = grab_window(display, out, size);
        if now == last {
            break;
        }
        last = now;
    }
    last
}

/// The window after a session of keys that move the instant, pan and zoom; with `vars` in the app's environment. Also the picture before the keys.
fn after_a_session(name: &str, vars: &[(&str, &str)]) -> (Vec<[u8; 4]>, Vec<[u8; 4]>) {
    let (_xvfb, display) = start_xvfb();
    let data = saved_state_dir(name, (900, 600));
    let shot = data.join("shot.png");
    let args = ["--fresh", "--size", "1000x650", "--at", "2016-05-01 12:00"];
    let _app = Killed(spawn_app_with(&display, &data, &args, vars));
    let window = app_window(&display);
    let before = grab_settled(&display, &shot, "1000x650");
    run_tool("xdotool", &["windowfocus", "--sync", &window], &display);
    let keys = [
        "Right",
        "Right",
        "Right",
        "Page_Up",
        "Page_Up",
        "shift+Left",
        "alt+Left",
        "plus",
        "Left",
        "Page_Down",
    ];
    for key in keys {
        run_tool("xdotool", &["key", key], &display);
        std::thread::sleep(Duration::from_millis(150));
    }
    let after = grab_settled(&display, &shot, "1000x650");
    std::fs::remove_dir_all(&data).ok();
    (before, after)
}

#[test]
#[ignore = "needs Xvfb, Mesa, xdotool and ImageMagick; .ci/run installs them and runs it"]
fn a_window_repainted_only_where_it_changed_shows_what_a_full_repaint_shows() {
    // Frames after the first paint only what changed over the picture the window kept; after
    // a session of changes, every pixel must be what repainting every frame in full gives.
    let (start, partial) = after_a_session("partial", &[]);
    let (_, full) = after_a_session("full", &[("TRUCE_ATLAS_PARTIAL", "off")]);
    let changed = start.iter().zip(&partial).filter(|(a, b)| a != b).count();
    assert!(changed > 20_000, "the keys changed only {changed} pixels");
    // The software rasteriser may round a gradient (a scroll area's fade) one level apart
    // when the same triangles are drawn under another scissor box; anything more is a pixel
    // the partial repaint got wrong.
    let off = |a: [u8; 4], b: [u8; 4]| (0..3).any(|c| a[c].abs_diff(b[c]) > 1);
    let differ: Vec<usize> = (0..full.len())
        .filter(|&i| off(full[i], partial[i]))
        .collect();
    assert!(
        differ.is_empty(),
        "{} pixels differ from a full repaint, the first at {:?}",
        differ.len(),
        differ.first().map(|i| (i % 1000, i / 1000))
    );
}

/// The Syria dataset saved as a workbook named `name`, into `dir` (written beside and renamed
/// over, as a spreadsheet program saves).
fn save_workbook(dir: &Path, file: &str, name: &str) {
    let mut ds = truce_atlas::load::load_embedded().expect("the default dataset");
    ds.meta.name = name.to_string();
    let staging = dir.join(format!("staging-{}", name.len()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).expect("staging");
    let book = staging.join(file);
    truce_atlas::convert::write(&ds, &book, truce_atlas::convert::Format::Xlsx).expect("written");
    for beside in ["zones.geojson", "places.geojson"] {
        let _ = std::fs::rename(staging.join(beside), dir.join(beside));
    }
    std::fs::rename(&book, dir.join(file)).expect("saved over");
    std::fs::remove_dir_all(&staging).ok();
}

/// Waits up to `secs` for a window whose title matches `pattern`.
fn window_named(display: &str, pattern: &str, secs: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if run_tool("xdotool", &["search", "--name", pattern], display)
            .is_some_and(|w| !w.trim().is_empty())
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

#[test]
#[ignore = "needs Xvfb, Mesa, xdotool and ImageMagick; .ci/run installs them and runs it"]
fn a_saved_workbook_reloads_the_map_keeping_the_instant_and_selection_and_a_broken_save_keeps_it() {
    let (_xvfb, display) = start_xvfb();
    let data = saved_state_dir("watch", (1000, 650));
    let books = data.join("books");
    std::fs::create_dir_all(&books).expect("dir");
    save_workbook(&books, "truce.xlsx", "Syria as first saved");
    let book = books.join("truce.xlsx").display().to_string();
    // 25 April: Aleppo's truce had collapsed (the default instant, 1 May, is another status).
    let args = [
        "--fresh",
        "--size",
        "1000x650",
        "--data",
        &book,
        "--at",
        "2016-04-25 12:00",
        "--zone",
        "aleppo",
    ];
    let _app = Killed(spawn_app(&display, &data, &args));
    assert!(
        window_named(&display, "Syria as first saved", 20),
        "the workbook opened"
    );
    let shot = data.join("shot.png");
    let collapsed = blended(theme::status_style(Status::Collapsed).fill);
    let before = grab_settled(&display, &shot, "1000x650");
    assert!(
        count_near(&before, collapsed, 12) > 1_000,
        "Aleppo collapsed on 25 April"
    );
    // The side panel: the selected zone's status and quotes.
    let panel = |pixels: &[[u8; 4]]| -> Vec<[u8; 4]> {
        pixels
            .chunks(1000)
            .skip(40)
            .take(380)
            .flat_map(|row| row[760..].to_vec())
            .collect()
    };

    save_workbook(&books, "truce.xlsx", "Syria as saved again");
    assert!(
        window_named(&display, "Syria as saved again", 10),
        "the map followed the file without a restart"
    );
    let after = grab_settled(&display, &shot, "1000x650");
    assert!(
        count_near(&after, collapsed, 12) > 1_000,
        "the instant stayed on 25 April"
    );
    let (a, b) = (panel(&before), panel(&after));
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert!(
        differing < a.len() / 50,
        "the selection and its quotes stayed: {differing} of {} pixels differ",
        a.len()
    );

    // A save that breaks the file: the last good dataset stays on screen.
    std::fs::write(books.join("half.xlsx"), b"PK\x03\x04 not a whole workbook").expect("write");
    std::fs::rename(books.join("half.xlsx"), books.join("truce.xlsx")).expect("rename");
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        window_named(&display, "Syria as saved again", 2),
        "the last good dataset stays"
    );
    let broken = grab_settled(&display, &shot, "1000x650");
    assert!(count_near(&broken, collapsed, 12) > 1_000, "its map stays");
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs Xvfb and Mesa; .ci/run installs them and runs it"]
fn export_story_writes_a_page_whose_every_picture_is_there_with_alt_text_and_nothing_loads_from_outside()
 {
    use quick_xml::events::Event;
    let (_xvfb, display) = start_xvfb();
    let dir = std::env::temp_dir().join(format!("truce-atlas-story-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("story");
    let o = Command::new(env!("CARGO_BIN_EXE_truce-atlas"))
        .args(["export", "story", "--size", "1000x650", "-o"])
        .arg(&out)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("index.html")).expect("the page");
    let mut reader = quick_xml::Reader::from_str(&html);
    reader.config_mut().check_end_names = true;
    let mut pictures = Vec::new();
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_lowercase();
                assert!(
                    ![
                        "script", "link", "iframe", "object", "embed", "video", "audio"
                    ]
                    .contains(&name.as_str()),
                    "<{name}>"
                );
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| a.value.to_string())
                };
                if name == "img" {
                    let src = attr("src").expect("a picture's file");
                    assert!(
                        !src.contains('/') && !src.contains(':'),
                        "{src} is beside the page"
                    );
                    let alt = attr("alt").unwrap_or_default();
                    assert!(
                        alt.contains("Aleppo: ") && alt.contains("Damascus: "),
                        "{alt}"
                    );
                    pictures.push(src);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(pictures.len(), 7, "one picture a step");
    // Each picture is there, at the size asked, and shows its step: Aleppo collapsed in the
    // second (24 April), not in the first (27 February).
    let collapsed = blended(theme::status_style(Status::Collapsed).fill);
    let mut seen = Vec::new();
    for file in &pictures {
        let (w, h, pixels) = read_png(&out.join(file));
        assert_eq!((w, h), (1000, 650), "{file}");
        seen.push(count_near(&pixels, collapsed, 12));
    }
    assert!(seen[1] > 2_000 && seen[0] < seen[1] / 10, "{seen:?}");
    // A second export into the same folder is refused, the first left as it was.
    let again = Command::new(env!("CARGO_BIN_EXE_truce-atlas"))
        .args(["export", "story", "-o"])
        .arg(&out)
        .env("DISPLAY", &display)
        .output()
        .expect("the binary runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(out.join("index.html").exists());
    std::fs::remove_dir_all(&dir).ok();
}
