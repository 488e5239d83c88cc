//! The app asks for every zone's status on every frame while the slider moves: a lookup must
//! not allocate. A counting allocator proves it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn status_lookups_and_event_steps_do_not_allocate() {
    let engine = truce_atlas::default_engine().expect("valid dataset");
    let (start, end) = engine.span();
    let known = Some(start + (end - start) / 2);
    let steps = 2_000;
    let step = (end - start) / steps;
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let mut in_effect = 0usize;
    for i in 0..steps {
        let at = start + step * i;
        for zone in 0..engine.dataset().zones.len() {
            let r = engine.status(zone, at, None);
            let k = engine.status(zone, at, known);
            in_effect +=
                usize::from(r.status == truce_atlas::model::Status::InEffect) + k.citations.len();
            in_effect += engine.next_event(Some(zone), at, known).unwrap_or(0);
            in_effect += engine.previous_event(None, at, None).unwrap_or(0);
        }
    }
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    assert!(in_effect > 0, "the lookups did real work");
    assert_eq!(
        after - before,
        0,
        "lookups allocated {} times",
        after - before
    );
}
