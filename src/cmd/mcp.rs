//! `kgdb mcp`: serve the database to AI assistants over the Model Context Protocol.
//!
//! Why a command: an assistant (Claude Desktop, VS Code, any MCP client) starts `kgdb mcp`
//! and asks it typed questions over stdin/stdout; `--http ADDR` serves Streamable HTTP
//! instead. Over a data folder the store is opened read-only (the config names the
//! sources); with `--site DIR` a built site folder alone is served, no config or database
//! needed. The answers live in [`crate::mcp`]; this module loads the model and runs the
//! server until the client goes away.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use crate::Exit;
use crate::mcp::ReadModel;
use crate::store::Store;

use super::{App, CmdError, Summary};

/// What `kgdb mcp` says when the client has gone (on stderr: stdout is the protocol).
#[derive(Debug)]
pub struct McpSummary {
    pub serving: String,
    pub release: String,
    pub genes: usize,
}

/// `kgdb mcp`: over the site folder `site` when given, else over the data folder of `ctx`
/// (the config and data folder of the invocation).
pub fn serve(
    ctx: Option<&App>,
    site: Option<&Path>,
    http: &Option<String>,
) -> Result<McpSummary, CmdError> {
    let model = match (site, ctx) {
        (Some(dir), _) => ReadModel::from_site(dir)?,
        (None, Some(ctx)) => {
            let store = Store::open_read_only(&ctx.data_dir)?;
            ReadModel::from_store(&ctx.registry, &store)?
        }
        (None, None) => return Err(CmdError::McpNothingToServe),
    };
    run_server(model, http.as_deref())
}

fn run_server(model: ReadModel, http: Option<&str>) -> Result<McpSummary, CmdError> {
    let summary = McpSummary {
        serving: model.origin.describe(),
        release: model.release.name.clone(),
        genes: model.genes.len(),
    };
    eprintln!(
        "kgdb mcp: {} genes of release {} from the {}",
        summary.genes, summary.release, summary.serving
    );
    let model = Arc::new(model);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CmdError::Mcp(crate::mcp::server::ServeError::Http(e)))?;
    runtime.block_on(async {
        match http {
            None => crate::mcp::server::serve_stdio(model).await,
            Some(addr) => {
                crate::mcp::server::serve_http(model, addr, |a| {
                    eprintln!("kgdb mcp: listening on http://{a}/mcp");
                })
                .await
            }
        }
    })?;
    Ok(summary)
}

impl Summary for McpSummary {
    fn print(&self, _out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
        writeln!(err, "kgdb mcp: the client closed the connection")
    }

    fn exit(&self) -> Exit {
        Exit::Ok
    }
}
