//! One pattern for work off the UI thread: opening a big dataset, filtering one, building the
//! search index, the system's file pickers. A [`Job`] runs a closure on a thread of its own and
//! wakes the window when it is done; the app polls it once a frame, and nothing else waits.
//!
//! - **Progress**: the work may report how far it is ([`Control::report`]); the job says how
//!   long it has run ([`Job::elapsed`]) either way, for a spinner with seconds.
//! - **Cancel**: [`Job::cancel`] raises a flag the work reads ([`Control::cancelled`]); dropping
//!   the job also drops its result, so a replaced job needs no more than being overwritten.
//! - **The dataset replaced under it**: a job started for one dataset is stamped with the
//!   session's generation ([`Job::for_generation`]); once another dataset is opened it polls as
//!   [`Poll::Stale`], done or not, and its result is never used.
//! - **A worker that dies** (it cannot panic by design, but a thread can fail to start or be
//!   killed) gives [`Poll::Died`] with words for the status bar, never a wait for ever.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// What the work sees of its job: whether it was cancelled, and where to say how far it is.
#[derive(Clone, Default)]
pub struct Control {
    cancelled: Arc<AtomicBool>,
    /// Parts per million done; `u32::MAX` while nothing was reported.
    progress: Arc<AtomicU32>,
}

impl Control {
    fn new() -> Control {
        Control {
            cancelled: Arc::default(),
            progress: Arc::new(AtomicU32::new(u32::MAX)),
        }
    }

    /// Whether the job was cancelled: long work checks it between steps and stops early.
    pub fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// How much is done, from 0 to 1.
    pub fn report(&self, done: f32) {
        let ppm = (done.clamp(0.0, 1.0) * 1e6) as u32;
        self.progress.store(ppm, Ordering::Relaxed);
    }
}

/// Where a job stands.
#[derive(Debug, PartialEq)]
pub enum Poll<T> {
    Running,
    Done(T),
    /// Started for a dataset that has since been replaced: its result is not to be used.
    Stale,
    /// The worker stopped without a result: what was being done, in words.
    Died(String),
}

/// Work running on a thread of its own.
pub struct Job<T> {
    /// What is being done, in words ("Opening /data/x"), for the message if it dies.
    what: String,
    started: Instant,
    generation: Option<u64>,
    control: Control,
    done: Receiver<T>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread; `wake` (the window) is asked to repaint when it ends.
    /// A job whose window repaints every frame anyway (an animation being pictured) needs none.
    pub fn start(
        what: impl Into<String>,
        wake: Option<&egui::Context>,
        work: impl FnOnce(&Control) -> T + Send + 'static,
    ) -> Job<T> {
        let (tx, done) = channel();
        let control = Control::new();
        let (for_worker, wake) = (control.clone(), wake.cloned());
        let what = what.into();
        // A thread that cannot be made drops `tx` with the closure: the job reports Died.
        let _ = std::thread::Builder::new()
            .name("job".to_owned())
            .spawn(move || {
                let _ = tx.send(work(&for_worker));
                if let Some(ctx) = wake {
                    ctx.request_repaint();
                }
            });
        Job {
            what,
            started: Instant::now(),
            generation: None,
            control,
            done,
        }
    }
}

impl<T> Job<T> {
    /// Stamps the job with the session generation (the dataset) it works on.
    pub fn for_generation(mut self, generation: u64) -> Job<T> {
        self.generation = Some(generation);
        self
    }

    /// The result once it is there. `current` is the session's generation now: a job for
    /// another one is [`Poll::Stale`] at once, finished or not (drop it; its thread's result
    /// goes nowhere).
    pub fn poll(&self, current: u64) -> Poll<T> {
        if self.generation.is_some_and(|g| g != current) {
            return Poll::Stale;
        }
        match self.done.try_recv() {
            Ok(result) => Poll::Done(result),
            Err(TryRecvError::Empty) => Poll::Running,
            Err(TryRecvError::Disconnected) => {
                Poll::Died(format!("{} stopped before it finished.", self.what))
            }
        }
    }

    /// Waits for the result, for the few places that must (an export finishing, or dropped
    /// with the window, removes its partial file before the process ends). Err: the worker
    /// stopped without one, in words.
    pub fn wait(self) -> Result<T, String> {
        self.done
            .recv()
            .map_err(|_| format!("{} stopped before it finished.", self.what))
    }

    /// Asks the work to stop; its result, if it still comes, is [`Poll::Done`] as usual.
    pub fn cancel(&self) {
        self.control.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// How much is done (0 to 1), if the work says.
    pub fn progress(&self) -> Option<f32> {
        let ppm = self.control.progress.load(Ordering::Relaxed);
        (ppm != u32::MAX).then(|| ppm as f32 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls until the job is no longer running (at most ten seconds).
    fn settle<T>(job: &Job<T>, current: u64) -> Poll<T> {
        for _ in 0..1000 {
            match job.poll(current) {
                Poll::Running => std::thread::sleep(Duration::from_millis(10)),
                other => return other,
            }
        }
        Poll::Running
    }

    #[test]
    fn a_job_gives_its_result_once_its_work_is_done() {
        let ctx = egui::Context::default();
        let job = Job::start("Adding", Some(&ctx), |_| 2 + 2);
        assert_eq!(settle(&job, 0), Poll::Done(4));
    }

    #[test]
    fn a_job_says_how_far_its_work_got() {
        let ctx = egui::Context::default();
        let job = Job::start("Reading", Some(&ctx), |control| {
            control.report(0.25);
            1
        });
        assert_eq!(settle(&job, 0), Poll::Done(1));
        assert_eq!(job.progress(), Some(0.25));
    }

    #[test]
    fn a_result_for_a_dataset_since_replaced_is_stale() {
        let ctx = egui::Context::default();
        let job = Job::start("Indexing", Some(&ctx), |_| "index").for_generation(3);
        assert_eq!(settle(&job, 4), Poll::Stale);
    }

    #[test]
    fn cancelling_tells_the_work_which_stops_early_and_reports_how_far_it_got() {
        let ctx = egui::Context::default();
        let (go, wait) = channel::<()>();
        let job = Job::start("Counting", Some(&ctx), move |control| {
            let _ = wait.recv();
            let mut n = 0;
            while !control.cancelled() && n < 1_000_000_000u64 {
                n += 1;
                control.report(0.5);
            }
            n
        });
        job.cancel();
        let _ = go.send(());
        match settle(&job, 0) {
            Poll::Done(n) => assert_eq!(n, 0, "it stopped at once"),
            other => panic!("{:?}", std::mem::discriminant(&other)),
        }
        assert_eq!(job.progress(), None, "nothing was reported before the stop");
    }

    #[test]
    fn a_worker_that_stops_without_a_result_is_said_in_words() {
        let ctx = egui::Context::default();
        let job: Job<u8> = Job::start("Opening /data/x", Some(&ctx), |_| {
            // A worker thread that ends without sending: the closure panics on purpose.
            std::panic::panic_any("killed");
        });
        assert_eq!(
            settle(&job, 0),
            Poll::Died("Opening /data/x stopped before it finished.".into())
        );
    }
}
