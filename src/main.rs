use std::process::ExitCode;

use clap::Parser;
use truce_atlas::cli::{Cli, run};

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with status 2.
    let cli = Cli::parse();
    if let Err(e) = cli.check_app_flags() {
        e.exit();
    }
    if let Some(bytes) = cli.max_file_size {
        truce_atlas::load::limits::set_file_cap(bytes);
    }
    match &cli.command {
        Some(truce_atlas::cli::Command::Export { what, .. })
            if what.draws() && cfg!(feature = "gui") =>
        {
            ExitCode::from(export_drawn(&cli))
        }
        Some(command) => {
            let code = run(
                command,
                cli.data.as_deref(),
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            );
            ExitCode::from(code)
        }
        None => ExitCode::from(app(&cli)),
    }
}

/// With no subcommand: the app, on the dataset and at the instant the flags name.
#[cfg(feature = "gui")]
fn app(cli: &Cli) -> u8 {
    open_window(truce_atlas::cli::app_args(cli), false, None)
}

/// `export png` and `export animation`: the view drawn in a window with its caption, pictured
/// (at each instant of the animation), and the window gone.
#[cfg(feature = "gui")]
fn export_drawn(cli: &Cli) -> u8 {
    match truce_atlas::cli::drawn_args(cli) {
        Ok(drawn) => {
            let animation = drawn.animation.map(|plan| (plan, drawn.output));
            open_window(Ok(drawn.args), true, animation)
        }
        Err(e) => open_window(Err(e), true, None),
    }
}

/// The window on checked flags, or their error and its exit code.
#[cfg(feature = "gui")]
fn open_window(
    args: Result<truce_atlas::cli::AppArgs, truce_atlas::cli::Failure>,
    caption: bool,
    animation: Option<(truce_atlas::animation::Plan, std::path::PathBuf)>,
) -> u8 {
    use truce_atlas::ui::app::StartOptions;
    let args = match args {
        Ok(args) => args,
        Err((code, message)) => {
            eprintln!("{}", message.trim_end());
            return code;
        }
    };
    let start = StartOptions {
        session: args.start,
        ephemeral: args.fresh || args.screenshot.is_some(),
        // A window of its own: the system's folder picker where there is one.
        native_dialogs: args.screenshot.is_none() && animation.is_none(),
        background_open_from: None,
        background_filter_from: None,
        screenshot: args.screenshot,
        exit_code: Default::default(),
        caption,
        animation,
    };
    truce_atlas::ui::run_app(args.engine, start, args.size)
}

#[cfg(not(feature = "gui"))]
fn app(_: &Cli) -> u8 {
    eprintln!(
        "error: this build has no app (it was built without the `gui` feature); use a subcommand: status, events, validate or verify (see --help)"
    );
    truce_atlas::cli::EXIT_USAGE
}

/// Never called: without the app, `export png` and `export animation` go to the subcommands,
/// which say they need it.
#[cfg(not(feature = "gui"))]
fn export_drawn(_: &Cli) -> u8 {
    truce_atlas::cli::EXIT_USAGE
}
