//! `kgdb completions SHELL`: a shell completion script on stdout.
//!
//! Why generated: the script is derived from the same clap definition as the parser, so a new
//! subcommand or flag can never be missing from completion. The command line itself lives in
//! the binary (`src/cli.rs`), which hands its [`clap::Command`] in; nothing here reads the
//! config, so completions work before a `sources.yaml` exists.

use std::io::{self, Write};

pub use clap_complete::Shell;

use crate::Exit;

use super::{CmdError, Summary};

/// The generated script.
#[derive(Debug, Clone)]
pub struct CompletionScript {
    pub shell: Shell,
    pub script: Vec<u8>,
}

impl Summary for CompletionScript {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.script)
    }

    fn exit(&self) -> Exit {
        Exit::Ok
    }
}

/// `kgdb completions SHELL` for the command line `cli` (named after its binary).
pub fn execute(mut cli: clap::Command, shell: Shell) -> Result<CompletionScript, CmdError> {
    let name = cli.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli, name, &mut script);
    Ok(CompletionScript { shell, script })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli() -> clap::Command {
        clap::Command::new("demo")
            .arg(clap::Arg::new("mirror").long("mirror"))
            .subcommand(clap::Command::new("fetch"))
    }

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let s = execute(cli(), shell).expect("generated");
            let mut out = Vec::new();
            s.print(&mut out, &mut io::sink()).expect("printed");
            let text = String::from_utf8(out).expect("UTF-8");
            assert!(text.contains("fetch"), "{shell}: {text}");
            assert!(text.contains("mirror"), "{shell}: {text}");
            assert_eq!(s.exit(), Exit::Ok);
        }
    }
}
