//! gazette: full-text search for archives of news articles.
//!
//! Data flows one way: [`ingest`] reads archives into raw records,
//! [`analyze`] turns them into articles with language, passages and dates,
//! [`index`] writes one tantivy document per passage, [`search`] answers
//! queries with ranked, highlighted passages, and [`output`] renders them
//! for a terminal or for tools. [`extract`] runs ingest and analyze alone,
//! to show what gazette sees in an input.
//!
//! The whole path, from a folder to a highlighted passage:
//!
//! ```
//! use gazette::index::{index_paths, IndexOptions, NoProgress};
//! use gazette::search::{search, SearchOptions, Filters, Sort};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let archive = dir.path().join("archive");
//! std::fs::create_dir(&archive)?;
//! std::fs::write(
//!     archive.join("2024-03-05-mining.txt"),
//!     "Mining spreads\n\nLa minería ilegal de oro avanza en el estado Bolívar, \
//!      denuncian las comunidades indígenas del sur de Venezuela.\n",
//! )?;
//!
//! let mut options = IndexOptions::new(dir.path().join("index"));
//! options.threads = 1;
//! let report = index_paths(&[archive], &options, &NoProgress)?;
//! assert_eq!(report.articles, 1);
//!
//! let index = gazette::index::open(&options.index_dir)?;
//! let results = search(&index, &SearchOptions {
//!     query: "mineria".to_owned(),
//!     filters: Filters::default(),
//!     limit: Some(10),
//!     per_article: None,
//!     sort: Sort::Relevance,
//!     conjunction: false,
//! })?;
//! let hit = &results.hits[0];
//! let highlighted = &hit.text[hit.highlights[0].clone()];
//! assert_eq!(highlighted, "minería");
//! assert_eq!(hit.published.map(|d| d.format("%F").to_string()).as_deref(), Some("2024-03-05"));
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

pub mod analyze;
pub mod bench;
pub mod error;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod output;
pub mod schema;
pub mod search;
pub mod train_ner;

pub use error::{Error, Result};
