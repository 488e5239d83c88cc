//! JSON read strictly, with every error placed at a line and column of the file.
//!
//! serde_json keeps the last of two members with the same name, so `"time"` written twice
//! silently loses the first. A first pass over the whole text refuses duplicate members (and
//! reports syntax errors); records are then parsed one by one from borrowed slices of the text
//! ([`RawValue`]), so one bad record is reported without hiding the others and memory stays
//! proportional to the file.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// Where an error sits in a file, found from a byte offset on demand: the line index is built
/// once, the first time an error needs it.
pub struct Text<'a> {
    pub text: &'a str,
    line_starts: OnceLock<Vec<usize>>,
}

impl<'a> Text<'a> {
    pub fn new(text: &'a str) -> Self {
        Text {
            text,
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// Line and column (both from 1, the column in characters) of a byte offset.
    /// The line (from 1) of a byte offset: a binary search, without counting the columns, which
    /// in a minified file (one line of megabytes) would make placing every record quadratic.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&s| s <= offset).max(1)
    }

    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let start = starts[line - 1];
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    /// The byte offset of a slice borrowed from this text.
    pub fn offset_of(&self, part: &str) -> usize {
        (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    /// "line L, column C" for an error serde_json found inside `part` (a slice of this text).
    pub fn place_in(&self, part: &str, e: &serde_json::Error) -> String {
        let base = self.offset_of(part);
        let (line, column) = self.line_column(base);
        let (line, column) = match e.line() {
            0 => (line, column),
            1 => (line, column + e.column().saturating_sub(1)),
            l => (line + l - 1, e.column()),
        };
        format!("line {line}, column {column}")
    }
}

/// serde_json's message without its " at line L column C" (the place is reported separately).
pub fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(pos) => text[..pos].to_string(),
        None => text,
    }
}

/// Checks that `text` is one JSON value with no duplicate member in any object. Returns a
/// place and a message otherwise.
pub fn check(text: &Text<'_>) -> Result<(), (String, String)> {
    let mut de = serde_json::Deserializer::from_str(text.text);
    let result = Strict.deserialize(&mut de).and_then(|()| de.end());
    result.map_err(|e| {
        let place = format!("line {}, column {}", e.line(), e.column());
        let text = message(&e);
        let message = match e.classify() {
            serde_json::error::Category::Eof => {
                format!("JSON ends too early ({text}); is the file truncated?")
            }
            serde_json::error::Category::Syntax => format!("JSON syntax error: {text}"),
            _ => text,
        };
        (place, message)
    })
}

/// Parses a record from a slice of the text; the error's place is in the whole file.
pub fn record<'a, T: Deserialize<'a>>(
    text: &Text<'_>,
    raw: &'a RawValue,
) -> Result<T, (String, String)> {
    serde_json::from_str::<T>(raw.get()).map_err(|e| (text.place_in(raw.get(), &e), message(&e)))
}

/// A visitor that reads any JSON value and keeps nothing, refusing duplicate member names.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Strict)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Objects are small as a rule: a list is faster than a set until they are not.
        let mut few: Vec<Cow<'de, str>> = Vec::new();
        let mut many: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let duplicate = if many.is_empty() && few.len() < 32 {
                let seen = few.contains(&key);
                few.push(key.clone());
                seen
            } else {
                many.extend(few.drain(..));
                !many.insert(key.clone())
            };
            if duplicate {
                return Err(de::Error::custom(format!(
                    "duplicate member `{key}`: a name may appear once in an object (the reader would otherwise keep only the last)"
                )));
            }
            map.next_value_seed(Strict)?;
        }
        Ok(())
    }
}

/// A member name, borrowed from the text when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_written_twice_is_refused_at_its_line() {
        let text = Text::new("{\n  \"time\": 1,\n  \"time\": 2\n}");
        let (place, message) = check(&text).expect_err("refused");
        assert!(message.contains("duplicate member `time`"), "{message}");
        assert!(place.starts_with("line 3"), "{place}");
    }

    #[test]
    fn duplicates_are_found_in_large_objects_and_escaped_names_too() {
        let mut members: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        members.push("\"k\\u0037\": 0".into()); // "k7", spelt with an escape
        let json = format!("{{{}}}", members.join(","));
        let (_, message) = check(&Text::new(&json)).expect_err("refused");
        assert!(message.contains("duplicate member `k7`"), "{message}");
    }

    #[test]
    fn the_same_name_in_different_objects_is_fine() {
        let text = Text::new(r#"[{"id": 1}, {"id": 2, "inner": {"id": 3}}]"#);
        assert_eq!(check(&text), Ok(()));
    }

    #[test]
    fn a_record_error_is_placed_in_the_whole_file() {
        let json = "{\"events\": [\n  {\"id\": \"a\"},\n  {\"id\": 5}\n]}";
        let text = Text::new(json);
        #[derive(Deserialize)]
        struct Top<'a> {
            #[serde(borrow)]
            events: Vec<&'a RawValue>,
        }
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Ev {
            id: String,
        }
        let top: Top<'_> = serde_json::from_str(json).expect("valid");
        assert!(record::<Ev>(&text, top.events[0]).is_ok());
        let (place, message) = record::<Ev>(&text, top.events[1]).expect_err("refused");
        assert_eq!(place, "line 3, column 10");
        assert!(message.contains("invalid type: integer `5`"), "{message}");
    }

    #[test]
    fn trailing_garbage_after_the_value_is_a_syntax_error() {
        let (_, message) = check(&Text::new("{} {}")).expect_err("refused");
        assert!(message.contains("trailing characters"), "{message}");
    }
}
