use std::process::ExitCode;

use clap::Parser;
use truce_atlas::cli::{Cli, run};

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with status 2.
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => {
            let code = run(
                command,
                cli.data.as_deref(),
                &mut std::io::stdout(),
                &mut std::io::stderr(),
            );
            ExitCode::from(code)
        }
        None => ExitCode::from(truce_atlas::ui::run_app(&cli)),
    }
}
