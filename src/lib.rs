//! gazette: full-text search for archives of news articles.
//!
//! Data flows one way: [`ingest`] reads archives into raw records,
//! [`analyze`] turns them into articles with language, passages and dates,
//! [`index`] writes one tantivy document per passage, [`search`] answers
//! queries with ranked, highlighted passages, and [`output`] renders them
//! for a terminal or for tools.
#![warn(missing_docs)]

pub mod analyze;
pub mod error;
pub mod extract;
pub mod ingest;
pub mod schema;

pub use error::{Error, Result};
pub mod index;
pub mod output;
pub mod search;
