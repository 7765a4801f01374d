//! clingen: not implemented yet (issue 3).

use super::Staged;
use crate::config::RawClinGen;
use crate::session::Session;

/// Whether `kgdb fetch` can fetch this source yet.
pub const IMPLEMENTED: bool = false;

/// Fetch and stage this source.
pub async fn fetch(session: &mut Session<'_>, _settings: &RawClinGen) -> Result<Staged, String> {
    Err(format!("{}: not implemented yet", session.source))
}
