//! kgdb's integration tests: one binary, driving the real `kgdb` executable against the
//! offline upstream mirror (`../shared/mirror/serve.py`) serving real upstream data.

mod annotations;
mod archive;
mod bounds;
mod cli;
mod clingen;
mod curated;
mod curation;
mod gencc;
mod guard;
mod hgnc;
mod hpo;
mod locks;
mod mcp;
mod network;
mod offline;
mod panelapp;
mod pubtator;
mod run;
mod score;
mod site;
mod support;
#[path = "../testkit/evidence.rs"]
mod testkit_evidence;
#[path = "../testkit/site.rs"]
mod testkit_site;
