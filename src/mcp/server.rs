//! The rmcp glue: the tool router, the server's description, and its two transports.
//!
//! Why thin: each tool method only unpacks its typed input (whose JSON Schema rmcp derives
//! from the [`super::tools`] structs and their doc comments) and hands it to the tool
//! function; an answer becomes a result with structured content, a [`ToolError`] a tool
//! error (`isError`) whose text says what to change. Over stdio, stdout carries only the
//! protocol (logs go to stderr); over Streamable HTTP the endpoint is `/mcp`.

use std::net::SocketAddr;
use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, ServiceExt, tool, tool_handler, tool_router};
use serde_json::Value;

use super::model::ReadModel;
use super::tools::{
    self, AnnotationParams, EvidenceParams, GeneParams, ModeParams, PartnerParams, ResolveParams,
    SearchParams, ToolError,
};

/// Why the server stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("MCP over stdio: {0}")]
    Stdio(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("MCP over HTTP: {0}")]
    Http(std::io::Error),
}

/// The kgdb MCP server: the read model and the tool router.
#[derive(Clone)]
pub struct KgdbServer {
    model: Arc<ReadModel>,
    tool_router: ToolRouter<Self>,
}

fn reply(result: Result<Value, ToolError>) -> CallToolResult {
    match result {
        Ok(v) => CallToolResult::structured(v),
        Err(e) => CallToolResult::error(vec![ContentBlock::text(e.to_string())]),
    }
}

const CAPABILITIES: &str = tools::TOOLS[0].1;
const RESOLVE_GENE: &str = tools::TOOLS[1].1;
const SEARCH_GENES: &str = tools::TOOLS[2].1;
const GET_GENE: &str = tools::TOOLS[3].1;
const GET_GENE_EVIDENCE: &str = tools::TOOLS[4].1;
const GET_GENE_ANNOTATIONS: &str = tools::TOOLS[5].1;
const DATABASE_STATS: &str = tools::TOOLS[6].1;
const LIST_SOURCES: &str = tools::TOOLS[7].1;
const RELEASE_CITATION: &str = tools::TOOLS[8].1;
const GET_INTERACTION_PARTNERS: &str = tools::TOOLS[9].1;

#[tool_router]
impl KgdbServer {
    pub fn new(model: Arc<ReadModel>) -> KgdbServer {
        KgdbServer {
            model,
            tool_router: Self::tool_router(),
        }
    }

    #[tool(description = CAPABILITIES, annotations(read_only_hint = true))]
    async fn capabilities(&self, Parameters(p): Parameters<ModeParams>) -> CallToolResult {
        reply(Ok(tools::capabilities(&self.model, p.response_mode)))
    }

    #[tool(description = RESOLVE_GENE, annotations(read_only_hint = true))]
    async fn resolve_gene(&self, Parameters(p): Parameters<ResolveParams>) -> CallToolResult {
        reply(tools::resolve_gene(&self.model, &p))
    }

    #[tool(description = SEARCH_GENES, annotations(read_only_hint = true))]
    async fn search_genes(&self, Parameters(p): Parameters<SearchParams>) -> CallToolResult {
        reply(tools::search_genes(&self.model, &p))
    }

    #[tool(description = GET_GENE, annotations(read_only_hint = true))]
    async fn get_gene(&self, Parameters(p): Parameters<GeneParams>) -> CallToolResult {
        reply(tools::get_gene(&self.model, &p))
    }

    #[tool(description = GET_GENE_EVIDENCE, annotations(read_only_hint = true))]
    async fn get_gene_evidence(&self, Parameters(p): Parameters<EvidenceParams>) -> CallToolResult {
        reply(tools::get_gene_evidence(&self.model, &p))
    }

    #[tool(description = GET_GENE_ANNOTATIONS, annotations(read_only_hint = true))]
    async fn get_gene_annotations(
        &self,
        Parameters(p): Parameters<AnnotationParams>,
    ) -> CallToolResult {
        reply(tools::get_gene_annotations(&self.model, &p))
    }

    #[tool(description = GET_INTERACTION_PARTNERS, annotations(read_only_hint = true))]
    async fn get_interaction_partners(
        &self,
        Parameters(p): Parameters<PartnerParams>,
    ) -> CallToolResult {
        reply(tools::get_interaction_partners(&self.model, &p))
    }

    #[tool(description = DATABASE_STATS, annotations(read_only_hint = true))]
    async fn database_stats(&self, Parameters(p): Parameters<ModeParams>) -> CallToolResult {
        reply(Ok(tools::database_stats(&self.model, p.response_mode)))
    }

    #[tool(description = LIST_SOURCES, annotations(read_only_hint = true))]
    async fn list_sources(&self, Parameters(p): Parameters<ModeParams>) -> CallToolResult {
        reply(Ok(tools::list_sources(&self.model, p.response_mode)))
    }

    #[tool(description = RELEASE_CITATION, annotations(read_only_hint = true))]
    async fn release_citation(&self, Parameters(p): Parameters<ModeParams>) -> CallToolResult {
        reply(Ok(tools::release_citation(&self.model, p.response_mode)))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for KgdbServer {
    fn get_info(&self) -> ServerConfig {
        let r = &self.model.release;
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("kgdb", crate::VERSION))
            .with_instructions(format!(
                "The Kidney-Genetics Database (kgdb), release {} ({} genes scored for evidence of a role in kidney disease), read-only. Call capabilities first; resolve_gene turns any gene name or ID into one gene; get_gene explains its score; every answer carries a citation block. Answers fit the character budget of their response_mode (default compact); a cut list is named under `truncated`.",
                r.name,
                self.model.genes.len()
            ))
    }
}

/// Serve over stdin/stdout until the client closes the connection.
pub async fn serve_stdio(model: Arc<ReadModel>) -> Result<(), ServeError> {
    let running = KgdbServer::new(model)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| ServeError::Stdio(e.to_string()))?;
    running
        .waiting()
        .await
        .map_err(|e| ServeError::Stdio(e.to_string()))?;
    Ok(())
}

/// Serve Streamable HTTP at `http://ADDR/mcp` until the process is stopped; `ready` is told
/// the bound address (port 0 picks a free one).
pub async fn serve_http(
    model: Arc<ReadModel>,
    addr: &str,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: addr.to_string(),
            source,
        })?;
    let local = listener.local_addr().map_err(ServeError::Http)?;
    let mut config = StreamableHttpServerConfig::default();
    // Loopback hosts are allowed by default (against DNS rebinding); a server bound to
    // another address also answers to that address.
    if !local.ip().is_loopback() && !local.ip().is_unspecified() {
        config.allowed_hosts.push(local.ip().to_string());
        config.allowed_hosts.push(local.to_string());
    }
    let service: StreamableHttpService<KgdbServer, LocalSessionManager> =
        StreamableHttpService::new(
            move || Ok(KgdbServer::new(model.clone())),
            Default::default(),
            config,
        );
    let router = axum::Router::new().nest_service("/mcp", service);
    ready(local);
    axum::serve(listener, router)
        .await
        .map_err(ServeError::Http)
}
