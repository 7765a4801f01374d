//! `kgdb mcp`: the database as a Model Context Protocol server, for AI assistants.
//!
//! Why a module of its own: an assistant asking "is PKD1 a kidney gene, and why?" needs the
//! same answers the site gives (score, tier, each source's part, the evidence records, the
//! annotations, where the data came from and how to cite it) through typed tools with
//! bounded answers, not by scraping pages. This module holds what that means, independent of
//! the wire: [`model`] is one read model loaded either from a data folder (the SQLite store,
//! opened read-only) or from a built site folder alone (its `downloads/` and `genes/` JSON),
//! so anyone holding a published release can serve it; [`tools`] answers each tool from that
//! model as plain JSON; [`budget`] keeps every answer within its response mode's character
//! budget (lists cut with a note); [`server`] is the rmcp glue (tool router, stdio and
//! Streamable HTTP transports).
//!
//! Read-only by construction: the model is loaded once at start; no tool writes anywhere.
//!
//! Adding a tool: one function
//! in [`tools`] returning `Result<Value, ToolError>`, one `#[tool]` method in [`server`]
//! calling it, and one entry in [`tools::TOOLS`] (what `capabilities` lists).
//!
//! Layering: above `site_data` and `site::model` (it reads what a build publishes), below
//! the commands (`cmd::mcp`).

pub mod budget;
pub mod model;
pub mod server;
#[cfg(test)]
mod tests;
pub mod tools;

pub use budget::ResponseMode;
pub use model::{ModelError, ReadModel};
pub use tools::ToolError;
