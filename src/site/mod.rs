//! The static site: HTML pages, a compact JS data file, a static JSON API and the downloads,
//! rendered from a [`model::SiteData`]. Not implemented yet (issue 5).

pub mod model;
