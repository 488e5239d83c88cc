//! A story: a title and ordered steps through the data, each a view (an instant, "as known on",
//! a selected zone, whose word counts, the kinds shown, the time window, the zones to frame)
//! with a short title, a text and the citations it leans on (data/FORMAT.md, "Stories").
//! Every reference is resolved here: indices into the dataset, times in UTC.

use chrono::{DateTime, Utc};

use super::{Kinds, Window};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Story {
    pub title: String,
    pub steps: Vec<StoryStep>,
}

/// One step: the view it shows and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryStep {
    pub at: DateTime<Utc>,
    /// The end of the local day given, as everywhere ("as known on").
    pub known_on: Option<DateTime<Utc>>,
    pub zone: Option<usize>,
    /// Whose word counts; `None`: everyone's.
    pub filter: Option<StoryFilter>,
    /// The kinds of event shown on the lanes.
    pub kinds: Kinds,
    pub window: Window,
    /// The zones to frame on the map (empty: all).
    pub frame: Vec<usize>,
    pub title: String,
    /// Plain text; bare http/https addresses become links, nothing else is markup.
    pub text: String,
    pub citations: Vec<StoryCite>,
}

/// Whose word counts in a step, as indices (sources, `meta.sides`) and actors' names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoryFilter {
    pub sources: Vec<usize>,
    pub sides: Vec<usize>,
    pub actors: Vec<String>,
}

/// A citation a step leans on: an event (all its quotes) or one source's quotes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryCite {
    pub event: usize,
    pub source: Option<usize>,
}

/// A piece of a step's text: plain words, or a bare http(s) address made a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// Splits a text into words and links: a link is a bare `http://` or `https://` address, up to
/// the next white space, less trailing punctuation that ends a sentence around it.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find_link(rest) {
        let tail = &rest[start..];
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        let link = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Link(link));
        rest = &rest[start + link.len()..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Where the next address starts: `http://` or `https://` at a word's start, with more after.
fn find_link(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = text[from..].find("http") {
        let at = from + k;
        let tail = &text[at..];
        let word_start = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "(\"'".contains(c));
        let scheme = ["https://", "http://"]
            .iter()
            .find(|s| tail.starts_with(**s))
            .map(|s| s.len());
        if let Some(len) = scheme
            && word_start
            && tail[len..].starts_with(|c: char| !c.is_whitespace())
        {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_address_becomes_a_link_and_its_sentence_s_full_stop_stays_text() {
        let text = "See https://example.org/a?b=1. And (http://x.y/z), not xhttp://no.";
        assert_eq!(
            pieces(text),
            [
                Piece::Text("See "),
                Piece::Link("https://example.org/a?b=1"),
                Piece::Text(". And ("),
                Piece::Link("http://x.y/z"),
                Piece::Text("), not xhttp://no."),
            ]
        );
    }

    #[test]
    fn text_without_an_address_is_one_piece_and_a_lone_scheme_is_not_a_link() {
        assert_eq!(pieces("plain words"), [Piece::Text("plain words")]);
        assert_eq!(pieces("https:// alone"), [Piece::Text("https:// alone")]);
        assert!(pieces("").is_empty());
    }
}
