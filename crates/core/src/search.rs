//! Search over what a dataset says: quotes, outlets, headlines, speakers, actors, event notes
//! and zone names, case- and accent-insensitive ("aleppo" finds "Alep", "ALEPPO"; "halab" finds
//! "Ḥalab"). Pure: the CLI's `search` and the app's search box read the same results.
//!
//! Every field is folded once, when the index is built (lower case, accents and other combining
//! marks removed, after canonical decomposition), and an event's fields are kept together in one
//! folded text, so a query scans each event once per word. Where a word matched is worked out
//! again only for the results shown, in the field's own text, to highlight it.

use chrono::{DateTime, Utc};

use crate::model::Dataset;

/// Which part of an event a match is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Quote,
    Speaker,
    Outlet,
    Headline,
    Actor,
    Note,
    Zone,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Quote => "quote",
            Field::Speaker => "speaker",
            Field::Outlet => "outlet",
            Field::Headline => "headline",
            Field::Actor => "actor",
            Field::Note => "note",
            Field::Zone => "zone",
        }
    }
}

pub use crate::text::fold;

/// The byte ranges of `text` where `word` (already folded) occurs once folded. Each range covers
/// whole characters of the original text.
pub fn find_in(text: &str, word: &str) -> Vec<(usize, usize)> {
    if word.is_empty() {
        return Vec::new();
    }
    // The folded text, with for each of its bytes the original character it came from.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let before = folded.len();
        folded.push_str(&fold(c.encode_utf8(&mut [0; 4])));
        let span = (at, at + c.len_utf8());
        origin.extend(std::iter::repeat_n(span, folded.len() - before));
    }
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (start, m) in folded.match_indices(word) {
        let end = start + m.len() - 1;
        if let (Some(a), Some(b)) = (origin.get(start), origin.get(end)) {
            ranges.push((a.0, b.1));
        }
    }
    ranges
}

/// One field's text where a query matched, with the matched ranges in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Match {
    pub field: Field,
    /// The source the quote, outlet or headline is from (its index in the dataset).
    #[serde(skip)]
    pub source: Option<usize>,
    pub text: String,
    /// Byte ranges in `text`, in order.
    pub ranges: Vec<(usize, usize)>,
}

/// An event that matches every word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub event: usize,
    pub time: DateTime<Utc>,
    pub matches: Vec<Match>,
}

/// Every event's searchable text, folded once.
pub struct Index {
    /// Per event, its fields folded and joined by a separator no word can hold.
    folded: Vec<String>,
}

/// Between fields in an event's folded text, so no match runs from one field into the next.
const SEPARATOR: char = '\u{1f}';

impl Index {
    pub fn new(ds: &Dataset) -> Index {
        let folded = ds
            .events
            .iter()
            .map(|e| {
                let mut text = String::new();
                for (_, _, field) in fields(ds, e) {
                    text.push_str(&fold(field));
                    text.push(SEPARATOR);
                }
                text
            })
            .collect();
        Index { folded }
    }

    /// The events that hold every word of `query` (in any of their fields), in time order.
    pub fn search(&self, ds: &Dataset, query: &str) -> Vec<Hit> {
        let words = words(query);
        if words.is_empty() {
            return Vec::new();
        }
        self.folded
            .iter()
            .enumerate()
            .filter(|(_, text)| words.iter().all(|w| text.contains(w.as_str())))
            .map(|(i, _)| hit(ds, i, &words))
            .collect()
    }
}

/// The query's words, folded; a word is anything between spaces.
pub fn words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = fold(query)
        .split_whitespace()
        .map(str::to_string)
        .filter(|w| !w.contains(SEPARATOR))
        .collect();
    words.dedup();
    words
}

/// An event's searchable fields: (field, source, text).
fn fields<'a>(
    ds: &'a Dataset,
    e: &'a crate::model::Event,
) -> impl Iterator<Item = (Field, Option<usize>, &'a str)> {
    let citations = e.citations.iter().flat_map(move |c| {
        let source = &ds.sources[c.source];
        [
            Some((Field::Quote, Some(c.source), c.quote.as_str())),
            c.speaker
                .as_deref()
                .map(|s| (Field::Speaker, Some(c.source), s)),
            Some((Field::Outlet, Some(c.source), source.outlet.as_str())),
            Some((Field::Headline, Some(c.source), source.headline.as_str())),
        ]
        .into_iter()
        .flatten()
    });
    let zones = e
        .zones
        .iter()
        .map(move |&z| (Field::Zone, None, ds.zones[z].name.as_str()));
    std::iter::once((Field::Actor, None, e.actor.as_str()))
        .chain(e.note.as_deref().map(|n| (Field::Note, None, n)))
        .chain(zones)
        .chain(citations)
}

/// The fields of event `i` where the words are, with where.
fn hit(ds: &Dataset, i: usize, words: &[String]) -> Hit {
    let e = &ds.events[i];
    let mut matches: Vec<Match> = Vec::new();
    for (field, source, text) in fields(ds, e) {
        let mut ranges: Vec<(usize, usize)> = words.iter().flat_map(|w| find_in(text, w)).collect();
        if ranges.is_empty() {
            continue;
        }
        ranges.sort_unstable();
        // One source's outlet and headline are listed once, however many of its quotes the
        // event cites.
        let seen = matches
            .iter()
            .any(|m| m.field == field && m.text == text && m.source == source);
        if !seen {
            matches.push(Match {
                field,
                source,
                text: text.to_string(),
                ranges,
            });
        }
    }
    Hit {
        event: i,
        time: e.moment.utc(),
        matches,
    }
}

/// A piece of `text` around its first range, at most about `width` characters, with the ranges
/// moved to the piece: for a results list.
pub fn context(
    text: &str,
    ranges: &[(usize, usize)],
    width: usize,
) -> (String, Vec<(usize, usize)>) {
    let Some(&(first, _)) = ranges.first() else {
        return (text.chars().take(width).collect(), Vec::new());
    };
    let before = width / 3;
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(before.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    // Start at a word, not inside one.
    let start = match text[start..first]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
    {
        Some((i, c)) if start > 0 => start + i + c.len_utf8(),
        _ => start,
    };
    let end = text[start..]
        .char_indices()
        .nth(width)
        .map_or(text.len(), |(i, _)| start + i);
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    let piece = format!("{lead}{}{tail}", &text[start..end]);
    let shift = lead.len();
    let moved = ranges
        .iter()
        .filter(|&&(a, b)| a >= start && b <= end)
        .map(|&(a, b)| (a - start + shift, b - start + shift))
        .collect();
    (piece, moved)
}

/// `search --format json`: the query and every hit, in time order.
#[derive(Debug, serde::Serialize)]
pub struct SearchDoc {
    pub query: String,
    pub count: usize,
    pub results: Vec<HitDoc>,
}

#[derive(Debug, serde::Serialize)]
pub struct HitDoc {
    pub event: String,
    /// RFC 3339 in the dataset's time zone.
    pub time: String,
    pub kind: &'static str,
    pub zones: Vec<String>,
    pub matches: Vec<MatchDoc>,
}

#[derive(Debug, serde::Serialize)]
pub struct MatchDoc {
    pub field: Field,
    /// The source's id, for a quote, speaker, outlet or headline.
    pub source: Option<String>,
    pub text: String,
    /// Where the words are in `text`: [start, end) in Unicode characters (code points).
    pub ranges: Vec<(usize, usize)>,
}

pub fn search_doc(ds: &Dataset, query: &str, hits: &[Hit]) -> SearchDoc {
    let tz = ds.meta.timezone;
    let chars = |text: &str, byte: usize| text[..byte].chars().count();
    let results: Vec<HitDoc> = hits
        .iter()
        .map(|h| {
            let e = &ds.events[h.event];
            HitDoc {
                event: e.id.clone(),
                time: crate::timefmt::rfc3339_local(h.time, tz),
                kind: e.kind.as_str(),
                zones: e.zones.iter().map(|&z| ds.zones[z].id.clone()).collect(),
                matches: h
                    .matches
                    .iter()
                    .map(|m| MatchDoc {
                        field: m.field,
                        source: m.source.map(|s| ds.sources[s].id.clone()),
                        text: m.text.clone(),
                        ranges: m
                            .ranges
                            .iter()
                            .map(|&(a, b)| (chars(&m.text, a), chars(&m.text, b)))
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    SearchDoc {
        query: query.to_string(),
        count: results.len(),
        results,
    }
}

/// `search` as a table: one line per hit (time, kind, zones), then its matches in context, the
/// words in [brackets].
pub fn search_table(ds: &Dataset, hits: &[Hit]) -> String {
    let tz = ds.meta.timezone;
    let mut out = String::new();
    for h in hits {
        let e = &ds.events[h.event];
        let zones: Vec<&str> = e.zones.iter().map(|&z| ds.zones[z].name.as_str()).collect();
        out.push_str(&format!(
            "{}  {}  {}  ({})\n",
            crate::timefmt::rfc3339_local(h.time, tz),
            e.kind.as_str(),
            zones.join(", "),
            e.id
        ));
        for m in &h.matches {
            let (piece, ranges) = context(&m.text, &m.ranges, 90);
            let mut marked = String::new();
            let mut at = 0;
            for (a, b) in ranges {
                if a < at {
                    continue;
                }
                marked.push_str(&piece[at..a]);
                marked.push('[');
                marked.push_str(&piece[a..b]);
                marked.push(']');
                at = b;
            }
            marked.push_str(&piece[at..]);
            out.push_str(&format!("    {}: {marked}\n", m.field.as_str()));
        }
    }
    out.push_str(&format!(
        "{} event{} found\n",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syria() -> Dataset {
        crate::load::load_embedded().expect("the default dataset loads")
    }

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Ḥalab ALEPPO Alép"), "halab aleppo alep");
        assert_eq!(fold("Straße"), "straße");
        // Arabic short vowels are combining marks too.
        assert_eq!(fold("حَلَب"), "حلب");
    }

    #[test]
    fn a_match_is_placed_in_the_original_text_whole_characters_and_all() {
        let text = "Le cessez-le-feu à Alép tient";
        let ranges = find_in(text, "alep");
        assert_eq!(ranges.len(), 1);
        let (a, b) = ranges[0];
        assert_eq!(&text[a..b], "Alép");
        assert_eq!(find_in("ALEPPO, Aleppo", "aleppo").len(), 2);
        assert!(find_in("Damascus", "").is_empty());
    }

    #[test]
    fn every_word_must_be_found_somewhere_in_the_event() {
        let ds = syria();
        let index = Index::new(&ds);
        let calm = index.search(&ds, "regime of calm");
        assert!(!calm.is_empty());
        let kuralenko = index.search(&ds, "KURALENKO aleppo");
        assert!(!kuralenko.is_empty());
        for hit in &kuralenko {
            let e = &ds.events[hit.event];
            let all: String = fields(&ds, e).map(|(_, _, t)| fold(t)).collect();
            assert!(
                all.contains("kuralenko") && all.contains("aleppo"),
                "{}",
                e.id
            );
        }
        assert!(index.search(&ds, "kuralenko zzzz-nowhere").is_empty());
        assert!(index.search(&ds, "   ").is_empty());
    }

    #[test]
    fn results_come_in_time_order_with_the_words_highlighted() {
        let ds = syria();
        let index = Index::new(&ds);
        let hits = index.search(&ds, "Kerry");
        assert!(hits.len() >= 2);
        assert!(hits.windows(2).all(|w| w[0].time <= w[1].time));
        for hit in &hits {
            assert!(!hit.matches.is_empty());
            for m in &hit.matches {
                for &(a, b) in &m.ranges {
                    assert_eq!(fold(&m.text[a..b]), "kerry");
                }
            }
        }
    }

    #[test]
    fn a_search_finds_exactly_the_events_whose_text_holds_the_word() {
        // Checked against a plain scan of every field, for a few words of the dataset.
        let ds = syria();
        let index = Index::new(&ds);
        for word in [
            "truce",
            "aleppo",
            "russia",
            "ghouta",
            "interfax",
            "breakdown",
        ] {
            let found: Vec<usize> = index.search(&ds, word).iter().map(|h| h.event).collect();
            let expected: Vec<usize> = (0..ds.events.len())
                .filter(|&i| fields(&ds, &ds.events[i]).any(|(_, _, t)| fold(t).contains(word)))
                .collect();
            assert_eq!(found, expected, "{word}");
        }
    }

    #[test]
    fn context_cuts_around_the_first_match_and_moves_the_ranges() {
        let text = "one two three four five six seven eight nine ten";
        let ranges = find_in(text, "seven");
        let (piece, moved) = context(text, &ranges, 20);
        assert!(piece.starts_with('…') && piece.ends_with('…'), "{piece}");
        assert!(piece.starts_with("…six "), "cut at a word: {piece}");
        assert_eq!(&piece[moved[0].0..moved[0].1], "seven");
        let (whole, same) = context("short", &find_in("short", "short"), 20);
        assert_eq!((whole.as_str(), same), ("short", vec![(0, 5)]));
    }
}
