//! Collecting problems: every rule reports into a [`Scope`] that already knows the file and the
//! record, so a rule says only what is wrong.

use std::collections::BTreeMap;

use super::Problem;

/// More problems than this in one file are counted, not listed: a file where every one of a
/// million records is wrong needs one fix, not a million lines.
pub const MAX_PROBLEMS_PER_FILE: usize = 1_000;

#[derive(Debug, Default)]
pub struct Collector {
    pub problems: Vec<Problem>,
    /// What was read past without being an error (GeoJSON foreign members, unused properties).
    pub notes: Vec<Problem>,
    per_file: BTreeMap<String, usize>,
}

impl Collector {
    pub fn add(&mut self, file: &str, place: impl Into<String>, message: impl Into<String>) {
        let count = self.per_file.entry(file.to_string()).or_default();
        *count += 1;
        if *count <= MAX_PROBLEMS_PER_FILE {
            self.problems.push(Problem {
                file: file.to_string(),
                place: place.into(),
                message: message.into(),
            });
        }
    }

    pub fn note(&mut self, file: &str, place: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Problem {
            file: file.to_string(),
            place: place.into(),
            message: message.into(),
        });
    }

    /// Whether `file` has any problem so far.
    pub fn has_problems_in(&self, file: &str) -> bool {
        self.per_file.get(file).is_some_and(|n| *n > 0)
    }

    /// A scope for one record of a file, starting at `line` when it is known.
    pub fn scope(&mut self, file: &'static str, place: String, line: Option<usize>) -> Scope<'_> {
        Scope {
            c: self,
            file,
            place,
            line,
            failed: false,
        }
    }

    /// Adds the "and N more" lines for files with more problems than were listed.
    pub fn finish(&mut self) {
        for (file, &count) in &self.per_file {
            if count > MAX_PROBLEMS_PER_FILE {
                self.problems.push(Problem {
                    file: file.clone(),
                    place: String::new(),
                    message: format!(
                        "and {} more problems in this file (only the first {MAX_PROBLEMS_PER_FILE} are listed)",
                        count - MAX_PROBLEMS_PER_FILE
                    ),
                });
            }
        }
    }
}

/// Problems about one record: each one marks the record as refused.
pub struct Scope<'a> {
    c: &'a mut Collector,
    file: &'static str,
    place: String,
    line: Option<usize>,
    failed: bool,
}

impl Scope<'_> {
    pub fn add(&mut self, message: impl Into<String>) {
        self.add_at("", message);
    }

    /// A problem at a more precise place inside the record (a citation, a field):
    /// `events[3] "id" citations[0] (line 104)`.
    pub fn add_at(&mut self, inner: &str, message: impl Into<String>) {
        self.failed = true;
        let mut place = self.place.clone();
        if !inner.is_empty() {
            place = format!("{place} {inner}");
        }
        if let Some(line) = self.line {
            place = format!("{place} (line {line})");
        }
        self.c.add(self.file, place, message);
    }

    /// Refuses the record without a message of its own, where another problem already says
    /// why (the file it refers to could not be read at all).
    pub fn fail(&mut self) {
        self.failed = true;
    }

    /// Whether the record has no problem so far.
    pub fn ok(&self) -> bool {
        !self.failed
    }

    /// Checks a text's length, naming the field and the limit.
    pub fn limit(&mut self, field: &str, text: &str, max: usize) {
        if super::limits::too_long(text, max) {
            self.add(format!(
                "`{field}` is {} characters long; the limit is {max}",
                text.chars().count()
            ));
        }
    }
}
