//! The indexing progress bar: the library reports counts, this draws them.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use gazette::index::{Disposition, DispositionKind, Progress};
use gazette::output::json::DispositionLine;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar on stderr, hidden when stderr is not a terminal or with
/// --quiet; with a stream, every skipped, failed and warned-about entry is
/// also written to it as a JSON line as it happens.
pub struct Bar {
    bar: ProgressBar,
    articles: AtomicU64,
    stream: Option<Mutex<Box<dyn Write + Send>>>,
}

impl Bar {
    pub fn new(visible: bool) -> Bar {
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} \
                 {binary_bytes_per_sec} · {msg} · ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar {
            bar,
            articles: AtomicU64::new(0),
            stream: None,
        }
    }

    /// Also writes every entry to `stream`, one JSON line each.
    pub fn streaming_to(mut self, stream: Box<dyn Write + Send>) -> Bar {
        self.stream = Some(Mutex::new(stream));
        self
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, total_bytes: u64, _files: usize) {
        self.bar.set_length(total_bytes);
    }

    fn bytes_read(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn articles_written(&self, articles: u64) {
        let total = self.articles.fetch_add(articles, Ordering::Relaxed) + articles;
        let seconds = self.bar.elapsed().as_secs_f64().max(0.001);
        self.bar.set_message(format!(
            "{total} articles ({:.0}/s)",
            total as f64 / seconds
        ));
    }

    fn committing(&self) {
        self.bar.set_message("committing");
    }

    fn noted(&self, kind: DispositionKind, entry: &Disposition) {
        let Some(stream) = &self.stream else {
            return;
        };
        let mut stream = stream.lock().unwrap_or_else(PoisonError::into_inner);
        // A closed pipe shows again when the summary is written, which
        // ends the command quietly.
        if serde_json::to_writer(&mut *stream, &DispositionLine::new(kind, entry)).is_ok() {
            let _ = stream.write_all(b"\n");
        }
    }
}
