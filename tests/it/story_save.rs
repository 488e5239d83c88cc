//! The story editor's save, killed in the middle: the file is the old story or the new, never
//! a mix. A child process (this test binary, running the writer below) saves two versions in
//! turn as fast as it can; it is killed at random moments and the file read back each time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use truce_atlas::convert::story::{story_text, write_whole};

/// Where the child writes, when it is the child.
const CHILD_ENV: &str = "TRUCE_ATLAS_STORY_WRITER_DIR";

/// The two versions: the default story, and the same with a long text (a few megabytes, so
/// that a kill often lands while it is being written).
fn versions() -> [String; 2] {
    let engine = truce_atlas::default_engine().expect("the default dataset");
    let ds = engine.dataset();
    let story = ds.story.clone().expect("a story");
    let mut long = story.clone();
    long.title = "The long version".into();
    long.steps[0].text = "All four zones are in effect from that day. ".repeat(60_000);
    [story_text(ds, &story), story_text(ds, &long)]
}

/// The child: saves the versions in turn until it is killed.
#[test]
#[ignore = "run by the test below as a child process"]
fn story_writer_child() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let path = PathBuf::from(dir).join("story.json");
    let versions = versions();
    for k in 0.. {
        write_whole(&path, &versions[k % 2]).expect("written");
    }
}

fn read_back(path: &Path, versions: &[String; 2]) -> usize {
    let text = std::fs::read_to_string(path).expect("story.json is there");
    versions
        .iter()
        .position(|v| *v == text)
        .unwrap_or_else(|| panic!("a mix: {} bytes, neither version", text.len()))
}

#[test]
fn a_story_save_killed_in_the_middle_leaves_the_old_file_or_the_new_never_a_mix() {
    let dir = std::env::temp_dir().join(format!("truce-atlas-story-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let versions = versions();
    let path = dir.join("story.json");
    write_whole(&path, &versions[0]).expect("the first save");
    let mut seen = [0usize; 2];
    for round in 0..12u64 {
        let mut child = Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "--exact",
                "story_save::story_writer_child",
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD_ENV, &dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the writer starts");
        // Killed at a different moment each round, once it has had time to write a few.
        std::thread::sleep(Duration::from_millis(150 + round * 37 % 200));
        child.kill().expect("killed");
        child.wait().expect("reaped");
        seen[read_back(&path, &versions)] += 1;
    }
    // The partial files a kill leaves are hidden names, never the dataset's story.
    let stray: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "story.json" && !n.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    assert!(seen[0] + seen[1] == 12, "{seen:?}");
    std::fs::remove_dir_all(&dir).ok();
}
