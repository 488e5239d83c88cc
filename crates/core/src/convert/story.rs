//! A story written back as `story.json` (data/FORMAT.md, "Stories"): by `convert`, beside
//! every format, and by the app's story editor, whole or not at all.

use std::io::Write as _;
use std::path::Path;

use serde_json::{Map, Value, json};
use strum::VariantArray;

use super::{WriteError, io};
use crate::model::story::{Story, StoryStep};
use crate::model::{Dataset, EventKind, Window};
use crate::timefmt::{end_of_local_day, rfc3339_local};

/// The story as the text of `story.json`, ids for indices, times in the dataset's zone.
pub fn story_text(ds: &Dataset, story: &Story) -> String {
    let steps: Vec<Value> = story.steps.iter().map(|s| step(ds, s)).collect();
    let top = json!({
        "$schema": "../schema/story.schema.json",
        "title": story.title,
        "steps": steps,
    });
    let mut text = serde_json::to_string_pretty(&top).unwrap_or_default();
    text.push('\n');
    text
}

fn step(ds: &Dataset, s: &StoryStep) -> Value {
    let tz = ds.meta.timezone;
    let mut o = Map::new();
    o.insert("title".into(), json!(s.title));
    o.insert("at".into(), json!(rfc3339_local(s.at, tz)));
    if let Some(k) = s.known_on {
        // The end of a local day is written as that day, as a person would write it.
        let local = k.with_timezone(&tz);
        let whole_day = end_of_local_day(k, tz) == Some(k);
        let text = if whole_day {
            local.format("%Y-%m-%d").to_string()
        } else {
            rfc3339_local(k, tz)
        };
        o.insert("known_on".into(), json!(text));
    }
    if let Some(z) = s.zone {
        o.insert("zone".into(), json!(ds.zones[z].id));
    }
    if let Some(f) = &s.filter {
        let sources: Vec<&str> = f
            .sources
            .iter()
            .map(|&i| ds.sources[i].id.as_str())
            .collect();
        let sides: Vec<&str> = f
            .sides
            .iter()
            .map(|&i| ds.meta.sides[i].id.as_str())
            .collect();
        o.insert(
            "filter".into(),
            json!({"sources": sources, "sides": sides, "actors": f.actors}),
        );
    }
    let hidden: Vec<&str> = EventKind::VARIANTS
        .iter()
        .filter(|&&k| !s.kinds.shows(k))
        .map(|k| k.as_str())
        .collect();
    if !hidden.is_empty() {
        o.insert("hide_kinds".into(), json!(hidden));
    }
    let window = match s.window {
        Window::All => None,
        Window::TwoWeeks => Some("two_weeks"),
        Window::TwoDays => Some("two_days"),
    };
    if let Some(w) = window {
        o.insert("window".into(), json!(w));
    }
    if !s.frame.is_empty() {
        let frame: Vec<&str> = s.frame.iter().map(|&z| ds.zones[z].id.as_str()).collect();
        o.insert("frame".into(), json!(frame));
    }
    o.insert("text".into(), json!(s.text));
    let citations: Vec<Value> = s
        .citations
        .iter()
        .map(|c| {
            let event = &ds.events[c.event].id;
            match c.source {
                None => json!(event),
                Some(src) => json!({"event": event, "source": ds.sources[src].id}),
            }
        })
        .collect();
    if !citations.is_empty() {
        o.insert("citations".into(), Value::Array(citations));
    }
    Value::Object(o)
}

/// Writes `text` to `path` whole or not at all: into a temporary file beside it, flushed to
/// disk, then renamed over it. A kill at any point leaves the old file or the new, never a mix.
pub fn write_whole(path: &Path, text: &str) -> Result<(), WriteError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{name}.{}.partial", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp).map_err(io(&temp))?;
        file.write_all(text.as_bytes()).map_err(io(&temp))?;
        file.sync_all().map_err(io(&temp))?;
        std::fs::rename(&temp, path).map_err(io(path))?;
        // The rename itself reaches the disk with the folder's entry.
        if let Ok(folder) = std::fs::File::open(dir) {
            let _ = folder.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
