//! Where the bytes of a dataset come from, read so that no file can hang or balloon the loader.
//!
//! A folder on a user's laptop can hold anything: a link to `/dev/zero`, a named pipe left by a
//! half-finished export, a 10 GB log under the right name, a link to `/etc/passwd`. Only regular
//! files inside the folder are read (links are followed only while they stay inside it), the size
//! is checked before reading and the read itself is capped, so a file that grows while it is read
//! still costs no more than the limit.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{
    DATASET_FILE, EVENTS_FILE, INCIDENTS_FILE, PLACES_FILE, SOURCES_FILE, STORY_FILE, ZONES_FILE,
};

/// Where the bytes of a dataset come from: a folder on disk, the copy built into the binary, or
/// memory (tests, fuzzing).
pub trait DatasetFiles {
    /// A human description for messages.
    fn origin(&self) -> String;
    /// `Ok(None)` when the file does not exist; `Err` says why it could not be read.
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String>;
}

/// A dataset folder on disk.
pub struct FolderFiles {
    root: PathBuf,
    /// The folder with every link resolved: files must resolve to somewhere inside it.
    real_root: PathBuf,
    /// The largest file read, in bytes.
    cap: u64,
}

impl FolderFiles {
    /// Fails when the folder cannot be resolved (it does not exist, or cannot be listed).
    pub fn new(root: &Path) -> Result<FolderFiles, String> {
        let real_root = std::fs::canonicalize(root).map_err(|e| format!("cannot open: {e}"))?;
        if !real_root.is_dir() {
            return Err("is not a folder".into());
        }
        Ok(FolderFiles {
            root: root.to_path_buf(),
            real_root,
            cap: super::limits::file_cap(),
        })
    }

    /// The same folder read with another size cap (tests; the process's cap is
    /// `--max-file-size`).
    pub fn with_cap(mut self, bytes: u64) -> FolderFiles {
        self.cap = bytes;
        self
    }
}

impl DatasetFiles for FolderFiles {
    fn origin(&self) -> String {
        self.root.display().to_string()
    }

    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        read_inside(&self.real_root, name, self.cap).map_err(|e| match e.contains("the limit is") {
            true => format!("{e} (raise it with --max-file-size)"),
            false => e,
        })
    }
}

/// Reads `dir/name` if it is a regular file that resolves inside `dir` (which must already be
/// canonical) and holds at most `limit` bytes. `Ok(None)` when there is no such entry.
pub fn read_inside(dir: &Path, name: &str, limit: u64) -> Result<Option<Vec<u8>>, String> {
    let path = dir.join(name);
    match std::fs::symlink_metadata(&path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    }
    let real = resolve_inside(dir, &path)?;
    let meta = std::fs::metadata(&real).map_err(|e| format!("cannot read: {e}"))?;
    check_regular(&meta, limit)?;
    read_capped(&real, limit).map(Some)
}

/// Where `path` (an entry of `dir`) really is, refusing links that lead out of `dir`.
pub fn resolve_inside(dir: &Path, path: &Path) -> Result<PathBuf, String> {
    let real = std::fs::canonicalize(path).map_err(|e| match std::fs::read_link(path) {
        Ok(target) => format!(
            "is a link to {}, which cannot be opened ({e})",
            target.display()
        ),
        Err(_) => format!("cannot read: {e}"),
    })?;
    if real.starts_with(dir) {
        Ok(real)
    } else {
        Err(format!(
            "is a link to {}, outside the folder; links may only point inside it (copy the file in instead)",
            real.display()
        ))
    }
}

/// Only plain files: a device (`/dev/zero`), a named pipe or a socket would hang the read or
/// never end, and reports 0 as its size.
pub fn check_regular(meta: &Metadata, limit: u64) -> Result<(), String> {
    if meta.is_dir() {
        return Err("is a folder, expected a file".into());
    }
    if !meta.is_file() {
        return Err(
            "is not a regular file (a device, named pipe or socket); only plain files are read"
                .into(),
        );
    }
    if meta.len() > limit {
        return Err(format!(
            "file is {} bytes; the limit is {limit} bytes",
            meta.len()
        ));
    }
    Ok(())
}

/// Reads at most `limit` bytes, checking the opened file again: the path could have been
/// swapped for something else between the check and the open.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    check_regular(&meta, limit)?;
    let capacity = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "file grew past the limit of {limit} bytes while it was read"
        ));
    }
    Ok(bytes)
}

/// The default dataset, embedded so that the binary works from any directory.
pub struct EmbeddedFiles;

impl DatasetFiles for EmbeddedFiles {
    fn origin(&self) -> String {
        "embedded default dataset (data/syria-2016)".into()
    }

    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let bytes: &[u8] = match name {
            DATASET_FILE => include_bytes!("../../../../data/syria-2016/dataset.json"),
            ZONES_FILE => include_bytes!("../../../../data/syria-2016/zones.geojson"),
            SOURCES_FILE => include_bytes!("../../../../data/syria-2016/sources.json"),
            EVENTS_FILE => include_bytes!("../../../../data/syria-2016/events.json"),
            PLACES_FILE => include_bytes!("../../../../data/syria-2016/places.geojson"),
            INCIDENTS_FILE => include_bytes!("../../../../data/syria-2016/incidents.json"),
            STORY_FILE => include_bytes!("../../../../data/syria-2016/story.json"),
            _ => return Ok(None),
        };
        Ok(Some(bytes.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("truce-atlas-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::canonicalize(&dir).expect("canonical")
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_device_is_refused_without_reading_it() {
        let dir = temp_dir("device");
        std::os::unix::fs::symlink("/dev/zero", dir.join("events.json")).expect("link");
        let err = read_inside(&dir, "events.json", 1024).expect_err("refused");
        assert!(err.contains("outside the folder"), "{err}");
        // Even a device inside the folder's reach is not a plain file.
        let meta = std::fs::metadata("/dev/zero").expect("exists");
        let err = check_regular(&meta, 1024).expect_err("refused");
        assert!(err.contains("not a regular file"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_instead_of_hanging_the_read() {
        let dir = temp_dir("fifo");
        let fifo = dir.join("events.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let err = read_inside(&dir, "events.json", 1024).expect_err("refused");
            assert!(err.contains("not a regular file"), "{err}");
        }
        std::fs::remove_dir_all(&dir).ok();
        assert!(made, "mkfifo is available on every Unix this runs on");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_that_leaves_the_folder_is_refused_and_one_inside_it_is_followed() {
        let dir = temp_dir("links");
        std::os::unix::fs::symlink("/etc/passwd", dir.join("sources.json")).expect("link");
        std::fs::write(dir.join("real.json"), "{}").expect("write");
        std::os::unix::fs::symlink(dir.join("real.json"), dir.join("events.json")).expect("link");
        let err = read_inside(&dir, "sources.json", 1024).expect_err("refused");
        assert!(
            err.contains("/etc/passwd") && err.contains("outside"),
            "{err}"
        );
        let inside = read_inside(&dir, "events.json", 1024).expect("followed");
        assert_eq!(inside.as_deref(), Some(&b"{}"[..]));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_missing_file_is_none_and_an_oversized_one_is_refused() {
        let dir = temp_dir("sizes");
        assert_eq!(read_inside(&dir, "nothing.json", 10), Ok(None));
        std::fs::write(dir.join("big.json"), "0123456789A").expect("write");
        let err = read_inside(&dir, "big.json", 10).expect_err("refused");
        assert!(err.contains("the limit is 10 bytes"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
