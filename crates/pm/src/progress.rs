//! The progress display on a terminal (a spinner, then a bar while fetching); nothing otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        if !enabled {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template("{spinner} {msg}").unwrap());
        bar.enable_steady_tick(Duration::from_millis(80));
        Progress { bar: Some(bar) }
    }

    pub fn message(&self, text: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(text.to_string());
        }
    }

    /// Switches to a bar counting `total` steps.
    pub fn length(&self, total: usize) {
        if let Some(bar) = &self.bar {
            if total > 0 {
                bar.set_style(ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}").unwrap().progress_chars("=> "));
                bar.set_length(total as u64);
                bar.set_position(0);
            }
        }
    }

    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
