//! Integration tests: each runs the real `gazette` binary, on `corpus/` or
//! on inputs generated in a temporary directory.

// Shared helpers: running the binary, the corpus index, typed JSON output.
mod util;

// Indexing: accounting, the JSON report, re-indexing, bad input of every kind.
mod index;
// Searching the corpus: ranking, phrases, stemming, folding, filters, formats, exit codes.
mod search;
// `gazette extract` and `gazette stats`: what gazette sees and what an index holds.
mod inspect;
// Growing collections: skip/replace/prune, duplicates, kills, Ctrl-C, locks, check.
mod robust;
// HTML pages and WARC/ARC archives: extraction, dates, damage and recovery.
mod web;
// Entities: authority aliases, the recogniser, filters, facets, co-occurrence and timelines.
mod entities;
// Issue 22's data-loss cases, one by one through the binary.
mod incremental;
// Issue 18: one date for facets, filters and sorts; timelines, shares, charts and CSV.
mod timelines;
// Published dates: datelines, metadata date formats, bounds, --explain-dates (issue 18).
mod dates;
// Countries: hierarchy, demonyms, datelines, dated aliases; --country, country:, facets.
mod countries;
// The learned recogniser: train-ner, repeatable models, --ner-model (issue 17).
mod ner;
