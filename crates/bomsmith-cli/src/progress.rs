//! A progress line on standard error for work that takes more than about a second: only on a
//! terminal, never with `--quiet`, never in piped or redirected output, and cleared when done so
//! nothing of it stays in the terminal's scrollback between the command's own lines.

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long work runs before a progress line appears, unless `BOMSMITH_PROGRESS_DELAY` (in
/// milliseconds) says otherwise.
const DELAY: Duration = Duration::from_millis(1000);

fn delay() -> Duration {
    std::env::var("BOMSMITH_PROGRESS_DELAY")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(120);

/// A progress line drawn by a thread of its own while the work runs; dropped or
/// [`Activity::done`], it is cleared.
#[derive(Debug)]
pub struct Activity {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

/// What the line shows, asked again at each tick: files and bytes done so far.
pub type Counters = Box<dyn Fn() -> (u64, u64) + Send>;

impl Activity {
    /// Starts the line for `what` (the input's name) unless `quiet` or standard error is not a
    /// terminal; `counters` says how many `unit`s (files, documents) and bytes are done.
    pub fn start(what: String, unit: &'static str, quiet: bool, counters: Counters) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        if quiet || !std::io::stderr().is_terminal() {
            return Activity { stop, handle: None };
        }
        let flag = Arc::clone(&stop);
        let handle = std::thread::spawn(move || draw(&what, unit, &flag, &counters));
        Activity {
            stop,
            handle: Some(handle),
        }
    }

    /// Stops and clears the line.
    pub fn done(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            // The drawing thread never panics on its own; if it did, there is nothing to clear.
            let _ = h.join();
        }
    }
}

impl Drop for Activity {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Waits out the delay, then redraws until told to stop.
fn draw(what: &str, unit: &str, stop: &AtomicBool, counters: &Counters) {
    let started = Instant::now();
    let delay = delay();
    while started.elapsed() < delay {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(TICK.min(delay));
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let style = ProgressStyle::with_template("{spinner} {prefix}: {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_prefix(what.to_owned());
    bar.set_draw_target(ProgressDrawTarget::stderr());
    // Past the delay the work has taken long enough: at least one frame, then until told.
    loop {
        let (done, bytes) = counters();
        let secs = started.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!(
            "{done} {unit}, {} ({}/s, {:.0} {unit}/s), {secs:.0} s",
            HumanBytes(bytes),
            HumanBytes((bytes as f64 / secs) as u64),
            done as f64 / secs
        ));
        bar.tick();
        if stop.load(Ordering::Relaxed) {
            break;
        }
        std::thread::sleep(TICK);
    }
    bar.finish_and_clear();
}
