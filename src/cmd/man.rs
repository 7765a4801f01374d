//! `kgdb man` (hidden; `just man` writes it to `target/man/kgdb.1`): the man page in roff.
//!
//! Why generated: the page is rendered from the same clap definition as the parser and
//! `--help`, so it cannot drift from the real flags. The binary hands its
//! [`clap::Command`] in; no config is read.

use std::io::{self, Write};

use crate::Exit;

use super::{CmdError, Summary};

/// The rendered page (roff).
#[derive(Debug, Clone)]
pub struct ManPage {
    pub roff: Vec<u8>,
}

impl Summary for ManPage {
    fn print(&self, out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.roff)
    }

    fn exit(&self) -> Exit {
        Exit::Ok
    }
}

/// `kgdb man`: the section-1 page of `cli`, listing its subcommands.
pub fn execute(cli: clap::Command) -> Result<ManPage, CmdError> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(cli)
        .render(&mut roff)
        .map_err(CmdError::ManPage)?;
    Ok(ManPage { roff })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_a_title_and_the_subcommands() {
        let cli = clap::Command::new("demo")
            .about("A demo.")
            .subcommand(clap::Command::new("fetch").about("Download."));
        let page = execute(cli).expect("rendered");
        let text = String::from_utf8(page.roff).expect("UTF-8");
        assert!(text.contains(".TH demo 1"), "{text}");
        assert!(text.contains("fetch"), "{text}");
    }
}
