//! The indexing progress bar: the library reports counts, this draws them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use gazette::index::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar on stderr, hidden when stderr is not a terminal or with --quiet.
pub struct Bar {
    bar: ProgressBar,
    articles: AtomicU64,
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
        }
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
}
