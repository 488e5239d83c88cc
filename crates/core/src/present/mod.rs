//! The engine's answers as text people read, built once for the app and the command line: a
//! zone's status line, a citation's attribution and copy text, an event's labels. As easy_mark
//! puts its parsed items between parser and widgets, this sits between the engine and both
//! front ends, so that a since/until line or an attribution is written in one place.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::engine::{CiteRef, Engine, Resolution};
use crate::model::{Dataset, Moment};
use crate::timefmt::{moment_label, moment_short};

pub mod incidents;

/// A zone's status at an instant: what the map, the labels and the lists need to draw it. The
/// words for it are made on demand ([`ZoneSummary::detail`], [`ZoneSummary::as_last_reported`]):
/// the summaries of every zone are rebuilt each time the instant moves, and most are never read
/// as text (a zone off screen, or without a label at this zoom).
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneSummary {
    pub zone: usize,
    pub status: crate::model::Status,
    pub contested: bool,
    /// Past the last report: the status is only "as last reported" (see `as_last_reported`).
    pub after_reports: bool,
    pub instrument: Option<usize>,
    pub since: Option<Moment>,
    pub until: Option<Moment>,
    /// The latest report behind the status; kept only past the last report.
    pub last_reported: Option<Moment>,
    pub timezone: Tz,
}

impl ZoneSummary {
    /// "As last reported on Wed 4 May 2016", past the last report.
    pub fn as_last_reported(&self) -> Option<String> {
        self.after_reports
            .then(|| last_reported_words(self.last_reported, self.timezone))
    }

    /// "Negotiating · Cessation of hostilities of 27 February 2016", then the since and until
    /// lines (and the horizon past the last report): the map tooltip.
    pub fn detail(&self, ds: &Dataset) -> String {
        let tz = self.timezone;
        let mut detail = self.status.label().to_string();
        if let Some(name) = self.instrument.and_then(|i| ds.instruments.get(i)) {
            detail.push_str(&format!(" · {}", name.name));
        }
        if let Some(since) = self.since {
            detail.push_str(&format!("\nSince {}", moment_label(&since, tz)));
        }
        if let Some(until) = self.until {
            detail.push_str(&format!("\nUntil {}", moment_label(&until, tz)));
        }
        if let Some(words) = self.as_last_reported() {
            detail.push_str(&format!("\n{words}: no report covers this instant"));
        }
        detail
    }
}

impl ZoneSummary {
    /// The zone in one line of words, for a screen reader: "Aleppo: Negotiating, contested,
    /// Regime of calm of 30 April 2016, since Sun 1 May 2016, until Wed 4 May 2016".
    pub fn words(&self, name: &str, ds: &Dataset) -> String {
        let mut words = format!("{name}: {}", self.status.label());
        if self.contested {
            words.push_str(", contested");
        }
        if let Some(i) = self.instrument.and_then(|i| ds.instruments.get(i)) {
            words.push_str(&format!(", {}", i.name));
        }
        // The tooltip's other lines ("Since …", "Until …", past the last report), lower-cased
        // to run on in one sentence.
        for line in self.detail(ds).lines().skip(1) {
            let mut chars = line.chars();
            if let Some(first) = chars.next() {
                words.push_str(", ");
                words.extend(first.to_lowercase());
                words.push_str(chars.as_str());
            }
        }
        words
    }
}

pub fn zone_summary(
    engine: &Engine,
    zone: usize,
    r: &Resolution,
    after_reports: bool,
) -> ZoneSummary {
    ZoneSummary {
        zone,
        status: r.status,
        contested: r.contested,
        after_reports,
        instrument: r.instrument,
        since: r.since,
        until: r.until,
        last_reported: if after_reports {
            engine.last_reported(r)
        } else {
            None
        },
        timezone: engine.dataset().meta.timezone,
    }
}

/// "As last reported on Wed 4 May 2016" (the latest report behind the status), or "As last
/// reported" when nothing is cited.
pub fn as_last_reported(engine: &Engine, r: &Resolution) -> String {
    last_reported_words(engine.last_reported(r), engine.dataset().meta.timezone)
}

fn last_reported_words(last: Option<Moment>, tz: Tz) -> String {
    match last {
        Some(m) => format!(
            "As last reported on {}",
            crate::timefmt::local(m.utc(), tz).format("%a %-d %b %Y")
        ),
        None => "As last reported".to_string(),
    }
}

/// What a screen reader says when the view moves: the instant in words, then the selected
/// zone's status ("Monday 2 May 2016, 12:00, Damascus, UTC+3. Aleppo: Negotiating, …"). The
/// slider's value text, the status bar's announcement and the words spoken after a step are
/// this one sentence, so a listener hears the same thing whichever way the instant moved.
pub fn instant_announcement(
    engine: &Engine,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
    selected: Option<usize>,
) -> String {
    let mut words = crate::timefmt::instant_words(at, engine.dataset().meta.timezone);
    if let Some(zone) = selected.and_then(|z| selected_words(engine, z, at, known_on)) {
        words.push_str(". ");
        words.push_str(&zone);
    }
    words
}

/// What a screen reader says when a zone is selected or the selection is cleared: "Selected
/// Aleppo: Negotiating, …" or "Selection cleared".
pub fn selection_announcement(
    engine: &Engine,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
    selected: Option<usize>,
) -> String {
    match selected.and_then(|z| selected_words(engine, z, at, known_on)) {
        Some(zone) => format!("Selected {zone}"),
        None => "Selection cleared".to_string(),
    }
}

/// A zone's status in one line of words ([`ZoneSummary::words`]), if the zone exists.
fn selected_words(
    engine: &Engine,
    zone: usize,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
) -> Option<String> {
    let name = &engine.dataset().zones.get(zone)?.name;
    let r = engine.status(zone, at, known_on);
    let summary = zone_summary(engine, zone, r, engine.after_reports(at, known_on));
    Some(summary.words(name, engine.dataset()))
}

/// Every zone's summary at an instant.
pub fn zone_summaries(
    engine: &Engine,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
) -> Vec<ZoneSummary> {
    let after = engine.after_reports(at, known_on);
    (0..engine.dataset().zones.len())
        .map(|z| zone_summary(engine, z, engine.status(z, at, known_on), after))
        .collect()
}

/// The "Since" and "Until" cells of a status, as precisely as the reports allow.
pub fn since_until(ds: &Dataset, r: &Resolution) -> (String, String) {
    let tz = ds.meta.timezone;
    let since = r
        .since
        .map(|m| moment_label(&m, tz))
        .unwrap_or_else(|| "no cited information".into());
    let until = r
        .until
        .map(|m| moment_label(&m, tz))
        .unwrap_or_else(|| "nothing reported ends it".into());
    (since, until)
}

/// One quote with who said it, where and when.
#[derive(Debug, Clone, PartialEq)]
pub struct CitationView {
    pub quote: String,
    /// "— Gen. Sergei Kuralenko, in Radio Free Europe/Radio Liberty", or "— Outlet".
    pub by: String,
    /// "“Headline”, Sun 1 May 2016 (date inferred)".
    pub source: String,
    /// How the publication date was read, when it was.
    pub source_note: String,
    /// "Talks · Sun 1 May 2016".
    pub event: String,
    pub url: Option<String>,
    /// The quote with its attribution, as the Copy button puts it on the clipboard.
    pub copy: String,
    /// The event's id, for stable JSON.
    pub event_id: String,
    pub source_id: String,
    pub outlet: String,
    pub speaker: Option<String>,
    /// The publication day, `2016-05-01`.
    pub published: String,
}

pub fn citation(ds: &Dataset, cite: CiteRef) -> CitationView {
    let tz = ds.meta.timezone;
    let ev = &ds.events[cite.event];
    let c = &ev.citations[cite.citation];
    let src = &ds.sources[c.source];
    let by = match &c.speaker {
        Some(speaker) => format!("— {speaker}, in {}", src.outlet),
        None => format!("— {}", src.outlet),
    };
    // "(no headline captured)" is a note, not a headline to quote.
    let headline = if src.headline.starts_with('(') {
        src.headline.clone()
    } else {
        format!("“{}”", src.headline)
    };
    let mut source = format!("{headline}, {}", moment_label(&src.published, tz));
    if !src.published_note.is_empty() {
        source.push_str(" (date inferred)");
    }
    let speaker = c
        .speaker
        .as_ref()
        .map(|s| format!("{s}, "))
        .unwrap_or_default();
    let published = src.published.time.date_naive().to_string();
    CitationView {
        quote: c.quote.clone(),
        by,
        source,
        source_note: src.published_note.clone(),
        event: format!("{} · {}", ev.kind.label(), moment_label(&ev.moment, tz)),
        url: src.url.clone(),
        copy: format!(
            "“{}” — {speaker}{}, “{}”, {published}{}",
            c.quote,
            src.outlet,
            src.headline,
            src.url
                .as_deref()
                .map(|u| format!(", {u}"))
                .unwrap_or_default()
        ),
        event_id: ev.id.clone(),
        source_id: src.id.clone(),
        outlet: src.outlet.clone(),
        speaker: c.speaker.clone(),
        published,
    }
}

/// One event, as lists, lanes and tooltips show it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    /// "1 May 12:00  ·  Talks  ·  John Kerry": a row of the zone's chronology.
    pub row: String,
    /// "Event: Talks in Aleppo, Sun 1 May 2016, by Russia": the lane marker's accessible name.
    pub marker: String,
    /// "Talks · Sun 1 May 2016": the tooltip's title.
    pub title: String,
    /// "Sun 1 May 2016, 12:00".
    pub when: String,
    pub as_reported: Option<String>,
    pub by: String,
    /// The first quote and its outlet.
    pub lead: Option<(String, String)>,
    pub note: Option<String>,
    /// Reported by the "as known on" date (always, without one).
    pub known: bool,
}

/// "Event: Talks in Aleppo, Sun 1 May 2016, by Russia": a lane marker's accessible name, alone (a screen
/// reader asks for every marker in view each frame; the rest of [`EventView`] is not needed).
pub fn marker_name(ds: &Dataset, event: usize, zone: usize) -> String {
    let ev = &ds.events[event];
    // Who, and the first words of what they said, as well as what and when: one party's two
    // disputes in one zone on one day are two events.
    let opening = ev
        .citations
        .first()
        .map(|c| {
            let words: Vec<&str> = c.quote.split_whitespace().take(5).collect();
            format!(": “{}…”", words.join(" "))
        })
        .unwrap_or_default();
    format!(
        "Event: {} in {}, {}, by {}{opening}",
        ev.kind.label(),
        ds.zones[zone].name,
        moment_label(&ev.moment, ds.meta.timezone),
        ev.actor
    )
}

pub fn event(
    engine: &Engine,
    event: usize,
    zone: usize,
    known_on: Option<DateTime<Utc>>,
) -> EventView {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let ev = &ds.events[event];
    let when = moment_label(&ev.moment, tz);
    EventView {
        row: format!(
            "{}  ·  {}  ·  {}",
            moment_short(&ev.moment, tz),
            ev.kind.label(),
            ev.actor
        ),
        marker: marker_name(ds, event, zone),
        title: format!("{} · {when}", ev.kind.label()),
        when,
        as_reported: ev.as_reported.clone(),
        by: format!("By {}", ev.actor),
        lead: ev
            .citations
            .iter()
            .find(|c| engine.hears(c.source))
            .map(|c| (c.quote.clone(), ds.sources[c.source].outlet.clone())),
        note: ev.note.clone(),
        known: engine.known(event, known_on),
    }
}

/// The "as known on" choices: every distinct report day, as the end of that local day, so that
/// everything published that day counts as known. `None` is "all reports".
pub fn known_on_choices(engine: &Engine) -> Vec<(DateTime<Utc>, String)> {
    let tz = engine.dataset().meta.timezone;
    let mut ends: Vec<DateTime<Utc>> = engine
        .report_instants()
        .iter()
        .filter_map(|&day| crate::timefmt::end_of_local_day(day, tz))
        .collect();
    // Two reports on one day are one choice.
    ends.dedup();
    ends.into_iter()
        .map(|end| (end, known_on_label(Some(end), tz)))
        .collect()
}

/// "all reports" or "reports published by Sun 1 May 2016".
pub fn known_on_label(known_on: Option<DateTime<Utc>>, tz: chrono_tz::Tz) -> String {
    match known_on {
        None => "all reports".to_string(),
        Some(k) => format!(
            "reports published by {}",
            crate::timefmt::local(k, tz).format("%a %-d %b %Y")
        ),
    }
}

/// A word for a shell: as it is if it needs no quoting, else in single quotes.
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:+=,@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The command line that reopens a view: the dataset folder (none for the built-in one), the
/// instant with its offset, the selected zone and the "as known on" date. For citing a view.
pub fn view_command(
    engine: &Engine,
    data_dir: Option<&std::path::Path>,
    at: DateTime<Utc>,
    zone: Option<usize>,
    known_on: Option<DateTime<Utc>>,
    kinds: crate::model::Kinds,
) -> String {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let mut words = vec!["truce-atlas".to_string()];
    if let Some(dir) = data_dir {
        words.push("--data".into());
        words.push(shell_word(&dir.to_string_lossy()));
    }
    words.push("--at".into());
    words.push(shell_word(&at.with_timezone(&tz).to_rfc3339()));
    if let Some(z) = zone {
        words.push("--zone".into());
        words.push(shell_word(&ds.zones[z].id));
    }
    if let Some(k) = known_on {
        words.push("--known-on".into());
        words.push(shell_word(&k.with_timezone(&tz).to_rfc3339()));
    }
    if let Some(filter) = engine.filter() {
        words.extend(filter.args(ds).iter().map(|w| shell_word(w)));
    }
    if let Some(hidden) = kinds.hidden_flag() {
        words.push("--hide-kinds".into());
        words.push(shell_word(&hidden));
    }
    words.join(" ")
}

/// The caption burnt into an exported picture, so that it says what it shows and who says so
/// even out of context: the dataset, the instant with its offset (and "as known on"), the
/// selected zone's status with its lead quote and outlet, and in small print the sources'
/// count and the command line that reopens the view.
pub struct Caption {
    pub title: String,
    pub instant: String,
    pub zone: Option<String>,
    pub quote: Option<String>,
    pub small_print: String,
}

pub fn caption(
    engine: &Engine,
    data_dir: Option<&std::path::Path>,
    at: DateTime<Utc>,
    zone: Option<usize>,
    known_on: Option<DateTime<Utc>>,
    kinds: crate::model::Kinds,
) -> Caption {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let mut instant = crate::timefmt::instant_words(at, tz);
    if known_on.is_some() {
        instant.push_str(&format!(" · as known on: {}", known_on_label(known_on, tz)));
    }
    if let Some(according_to) = engine.filter().and_then(|f| f.according_to(ds)) {
        instant.push_str(&format!(" · {according_to}"));
    }
    let status = zone.map(|z| (z, engine.status(z, at, known_on)));
    let zone_line = status.map(|(z, r)| {
        let after = engine.after_reports(at, known_on);
        zone_summary(engine, z, r, after).words(&ds.zones[z].name, ds)
    });
    let quote = status.and_then(|(_, r)| {
        let view = citation(ds, *r.citations.first()?);
        Some(format!("“{}” {}, {}", view.quote, view.by, view.source))
    });
    let small_print = format!(
        "{} sources, {} events · Truce Atlas · reopen with: {}",
        ds.sources.len(),
        ds.events.len(),
        view_command(engine, data_dir, at, zone, known_on, kinds)
    );
    Caption {
        title: ds.meta.name.clone(),
        instant,
        zone: zone_line,
        quote,
        small_print,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caption_for_aleppo_on_1_may_says_what_when_and_who() {
        let engine = crate::default_engine().expect("valid");
        let at = "2016-05-01T09:00:00Z".parse().expect("time");
        let c = caption(&engine, None, at, Some(3), None, crate::model::Kinds::ALL);
        assert_eq!(c.title, engine.dataset().meta.name);
        assert_eq!(c.instant, "Sunday 1 May 2016, 12:00, Damascus, UTC+3");
        let zone = c.zone.expect("a zone line");
        assert!(zone.starts_with("Aleppo: Negotiating"), "{zone}");
        let quote = c.quote.expect("a lead quote");
        assert!(quote.starts_with("“") && quote.contains("— "), "{quote}");
        assert!(
            c.small_print
                .ends_with("--at 2016-05-01T12:00:00+03:00 --zone aleppo")
        );
        let k = "2016-05-01T20:59:59Z".parse().expect("time");
        let known = caption(&engine, None, at, None, Some(k), crate::model::Kinds::ALL);
        assert!(known.instant.contains("as known on"), "{}", known.instant);
        assert!(known.zone.is_none() && known.quote.is_none());
    }

    #[test]
    fn the_words_after_a_step_say_the_instant_and_then_the_selected_zones_status() {
        let engine = crate::default_engine().expect("valid");
        let at = "2016-05-01T09:00:00Z".parse().expect("time");
        let alone = instant_announcement(&engine, at, None, None);
        assert_eq!(alone, "Sunday 1 May 2016, 12:00, Damascus, UTC+3");
        let aleppo = engine.dataset().zones.iter().position(|z| z.id == "aleppo");
        let with = instant_announcement(&engine, at, None, aleppo);
        assert!(
            with.starts_with("Sunday 1 May 2016, 12:00, Damascus, UTC+3. Aleppo: Negotiating,"),
            "{with}"
        );
        // A zone index past the dataset (a stale selection) adds nothing rather than panicking.
        assert_eq!(instant_announcement(&engine, at, None, Some(99)), alone);
    }

    #[test]
    fn selecting_a_zone_is_said_with_its_status_and_clearing_it_is_said_too() {
        let engine = crate::default_engine().expect("valid");
        let at = "2016-05-01T09:00:00Z".parse().expect("time");
        let latakia = engine
            .dataset()
            .zones
            .iter()
            .position(|z| z.id == "latakia");
        let said = selection_announcement(&engine, at, None, latakia);
        assert!(
            said.starts_with("Selected Latakia: In effect, contested,"),
            "{said}"
        );
        assert_eq!(
            selection_announcement(&engine, at, None, None),
            "Selection cleared"
        );
    }

    #[test]
    fn a_view_command_quotes_a_folder_with_spaces_and_apostrophes_for_the_shell() {
        let engine = crate::default_engine().expect("valid");
        let at = "2016-05-01T09:00:00Z".parse().expect("time");
        let dir = std::path::Path::new("/home/x/Syria data/al-Sha'ar");
        let command = view_command(
            &engine,
            Some(dir),
            at,
            Some(3),
            None,
            crate::model::Kinds::ALL,
        );
        assert_eq!(
            command,
            "truce-atlas --data '/home/x/Syria data/al-Sha'\\''ar' --at 2016-05-01T12:00:00+03:00 --zone aleppo"
        );
        let bare = view_command(&engine, None, at, None, None, crate::model::Kinds::ALL);
        assert_eq!(bare, "truce-atlas --at 2016-05-01T12:00:00+03:00");
    }

    fn engine() -> Engine {
        crate::default_engine().expect("valid")
    }

    #[test]
    fn hidden_kinds_are_in_the_command_that_reopens_the_view() {
        let engine = engine();
        let at = "2016-05-01T09:00:00Z".parse().expect("time");
        let kinds = crate::model::Kinds::hiding("statement, talks").expect("kinds");
        let command = view_command(&engine, None, at, None, None, kinds);
        assert!(
            command.ends_with(" --hide-kinds talks,statement"),
            "{command}"
        );
        let back = crate::model::Kinds::hiding("talks,statement").expect("reads back");
        assert_eq!(back, kinds);
        let e = crate::model::Kinds::hiding("statements").expect_err("no such kind");
        assert!(e.contains("the kinds are truce_start, extension"), "{e}");
    }

    #[test]
    fn a_filtered_view_gives_its_filter_back_as_flags_and_says_so_in_the_caption() {
        let whole = engine();
        let ds = whole.dataset();
        let filter = crate::filter::Filter::from_ids(
            ds,
            Some("rferl-2016-05-01"),
            None,
            &["John Kerry, US Secretary of State".into()],
        )
        .expect("known ids");
        let engine = whole.filtered(&filter);
        let at = "2016-05-01T09:00:00Z".parse().expect("time");
        let command = view_command(&engine, None, at, None, None, crate::model::Kinds::ALL);
        assert_eq!(
            command,
            "truce-atlas --at 2016-05-01T12:00:00+03:00 --sources rferl-2016-05-01 --actor 'John Kerry, US Secretary of State'"
        );
        let words = caption(&engine, None, at, None, None, crate::model::Kinds::ALL).instant;
        assert!(
            words.ends_with(" · According to: Radio Free Europe/Radio Liberty (based on Reuters, AP, AFP, Interfax); actors: John Kerry, US Secretary of State"),
            "{words}"
        );
    }

    #[test]
    fn a_citation_reads_speaker_outlet_headline_and_date() {
        let engine = engine();
        let ds = engine.dataset();
        let e = ds.event_index("kerry-deep-concern").expect("event");
        let view = citation(
            ds,
            CiteRef {
                event: e,
                citation: 0,
            },
        );
        assert!(view.by.starts_with("— "), "{}", view.by);
        assert!(
            view.copy.starts_with(&format!("“{}” — ", view.quote)),
            "{}",
            view.copy
        );
        assert!(view.copy.ends_with(&view.published), "{}", view.copy);
    }

    #[test]
    fn a_zone_summary_words_its_status_and_says_past_the_last_report_it_is_only_as_reported() {
        let engine = engine();
        let ds = engine.dataset();
        let aleppo = ds.zone_index("aleppo").expect("zone");
        let tz = ds.meta.timezone;
        let at = |text: &str| crate::timefmt::parse_user_time(text, tz).expect("time");
        let before = zone_summaries(&engine, at("2016-05-01 12:00"), None);
        let words = before[aleppo].detail(ds);
        assert!(words.starts_with("Negotiating · "), "{words}");
        assert!(words.contains("\nSince "), "{words}");
        assert_eq!(before[aleppo].as_last_reported(), None);
        let after = zone_summaries(&engine, at("2016-05-20 12:00"), None);
        let horizon = after[aleppo].as_last_reported().expect("past the reports");
        assert!(horizon.starts_with("As last reported on "), "{horizon}");
        assert!(
            after[aleppo]
                .detail(ds)
                .ends_with(": no report covers this instant")
        );
    }

    #[test]
    fn the_known_on_choices_end_each_report_day() {
        let engine = engine();
        let choices = known_on_choices(&engine);
        assert_eq!(
            choices.len(),
            engine.report_instants().len(),
            "one report a day here"
        );
        let tz = engine.dataset().meta.timezone;
        for ((end, label), day) in choices.iter().zip(engine.report_instants()) {
            assert!(end > day);
            assert_eq!(
                crate::timefmt::local(*end, tz).date_naive(),
                crate::timefmt::local(*day, tz).date_naive()
            );
            assert!(label.starts_with("reports published by "), "{label}");
        }
    }

    #[test]
    fn an_event_not_yet_reported_says_so() {
        let engine = engine();
        let ds = engine.dataset();
        let last = ds.events.len() - 1;
        let zone = ds.events[last].zones[0];
        let first_report = engine.report_instants()[0];
        assert!(!event(&engine, last, zone, Some(first_report)).known);
        assert!(event(&engine, last, zone, None).known);
    }
}
