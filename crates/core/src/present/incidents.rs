//! Incidents in words, for the side panel, the map's labels, a screen reader and the CLI.

use chrono::{DateTime, Utc};

use crate::engine::Engine;
use crate::incidents::view::{Days, WindowCount, violence_during_truce, window, window_counts};
use crate::incidents::{Incidents, StatusStretch, Tally, by_status};
use crate::model::incidents::SetKind;
use crate::timefmt::local;

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "no incidents", "1 incident", "12 incidents": a screen reader says "0" less kindly.
fn incidents_word(n: u64) -> String {
    if n == 0 {
        "no incidents".into()
    } else {
        plural(n, "incident", "incidents")
    }
}

/// "in the 7 days up to 1 May", "on 1 May".
pub fn window_words(at: DateTime<Utc>, tz: chrono_tz::Tz, days: Days) -> String {
    let day = local(at, tz).format("%-d %B %Y");
    match days {
        Days::Today => format!("on {day}"),
        other => format!("in the {} days up to {day}", other.count()),
    }
}

fn count_words(c: &WindowCount) -> String {
    let mut text = incidents_word(c.incidents);
    if let Some(k) = c.killed.filter(|&k| k > 0) {
        text.push_str(&format!(", at least {k} killed"));
    }
    text
}

/// "12 incidents, at least 340 killed, in the 7 days up to 1 May" (each set by its name when
/// there are several; they are never added together). `None` without any set of incidents.
pub fn zone_window_words(
    engine: &Engine,
    incidents: &Incidents,
    zone: usize,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
    days: Days,
) -> Option<String> {
    let tz = engine.dataset().meta.timezone;
    let sets: Vec<usize> = (0..incidents.sets.len())
        .filter(|&s| !incidents.sets[s].set.incidents.is_empty())
        .collect();
    if sets.is_empty() {
        return None;
    }
    let range = window(at, tz, days)?;
    let counts = window_counts(engine, incidents, zone, range, known_on);
    let when = window_words(at, tz, days);
    if let [only] = sets.as_slice() {
        return Some(format!("{}, {when}", count_words(&counts[*only])));
    }
    let parts: Vec<String> = sets
        .iter()
        .map(|&s| {
            format!(
                "{}: {}",
                incidents.sets[s].set.name,
                count_words(&counts[s])
            )
        })
        .collect();
    Some(format!("{}, {when}", parts.join("; ")))
}

/// "Violence reported during the truce" where the zone is shown in effect and an incident falls
/// on the instant's local day; past the evidence horizon "…while the truce was last reported in
/// effect". A fact about the records, never the word "violated".
pub fn violence_words(
    engine: &Engine,
    incidents: &Incidents,
    zone: usize,
    at: DateTime<Utc>,
    known_on: Option<DateTime<Utc>>,
) -> Option<&'static str> {
    if !violence_during_truce(engine, incidents, zone, at, known_on) {
        return None;
    }
    Some(if engine.after_reports(at, known_on) {
        "Violence reported while the truce was last reported in effect"
    } else {
        "Violence reported during the truce"
    })
}

/// Whole local days between two instants, rounded ("55 days" across a clock change).
fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    ((to - from).num_minutes() as f64 / 1440.0).round() as i64
}

fn tally_words(t: &Tally) -> String {
    let mut text = incidents_word(t.whole);
    if t.partly > 0 {
        text.push_str(&format!(" (+{} in part)", t.partly));
    }
    if let Some(k) = t.best.or(t.low).filter(|&k| k > 0) {
        text.push_str(&format!(", at least {k} killed"));
    }
    text
}

/// One status stretch in words: "In effect 27 Feb – 22 Apr (55 days): 3 incidents; the 55 days
/// before: 9", a line per set with incidents.
fn stretch_lines(engine: &Engine, incidents: &Incidents, s: &StatusStretch) -> Vec<String> {
    let tz = engine.dataset().meta.timezone;
    let day = |t: DateTime<Utc>| local(t, tz).format("%-d %b %Y").to_string();
    let head = match (s.from, s.to) {
        (Some(a), Some(b)) => {
            let n = days_between(a, b);
            format!(
                "{} {} – {} ({})",
                s.status.label(),
                day(a),
                day(b),
                plural(n.max(0) as u64, "day", "days")
            )
        }
        (Some(a), None) => format!("{} from {}", s.status.label(), day(a)),
        (None, Some(b)) => format!("{} until {}", s.status.label(), day(b)),
        (None, None) => s.status.label().to_string(),
    };
    let named = incidents
        .sets
        .iter()
        .filter(|p| !p.set.incidents.is_empty())
        .count()
        > 1;
    let mut lines = Vec::new();
    for (k, p) in incidents.sets.iter().enumerate() {
        if p.set.incidents.is_empty() {
            continue;
        }
        let name = if named {
            format!(" ({})", p.set.name)
        } else {
            String::new()
        };
        let mut line = format!("{head}{name}: {}", tally_words(&s.sets[k]));
        if let (Some(before), Some(a), Some(b)) = (&s.before, s.from, s.to) {
            let n = days_between(a, b);
            line.push_str(&format!(
                "; the {} before: {}",
                plural(n.max(0) as u64, "day", "days"),
                tally_words(&before[k])
            ));
        }
        lines.push(line);
    }
    lines
}

/// The selected zone's comparison, for the side panel: each status stretch with each set's
/// counts and the same length before it, then the aggregate reports that overlap it, by their
/// words. Empty without incidents or reports for the zone.
pub fn comparison(
    engine: &Engine,
    incidents: &Incidents,
    zone: usize,
    known_on: Option<DateTime<Utc>>,
) -> Vec<(String, Vec<String>)> {
    let ds = engine.dataset();
    let has_reports = ds.incidents.reports.iter().any(|r| r.zones.contains(&zone));
    let has_incidents = incidents.sets.iter().any(|p| !p.set.incidents.is_empty());
    if !has_reports && !has_incidents {
        return Vec::new();
    }
    by_status(engine, incidents, zone, known_on)
        .iter()
        .filter(|s| s.from.is_some())
        .map(|s| {
            let lines = stretch_lines(engine, incidents, s);
            let head = lines
                .first()
                .cloned()
                .unwrap_or_else(|| stretch_head(engine, s));
            let mut rest: Vec<String> = lines.into_iter().skip(1).collect();
            rest.extend(s.reports.iter().map(|&r| {
                let r = &ds.incidents.reports[r];
                let source = r
                    .citations
                    .first()
                    .map(|c| ds.sources[c.source].outlet.as_str())
                    .unwrap_or("");
                format!(
                    "Reported total: “{}” {} ({}; {source})",
                    r.as_reported,
                    r.what,
                    period_words(r, engine)
                )
            }));
            (head, rest)
        })
        .collect()
}

fn stretch_head(engine: &Engine, s: &StatusStretch) -> String {
    let tz = engine.dataset().meta.timezone;
    let day = |t: DateTime<Utc>| local(t, tz).format("%-d %b %Y").to_string();
    match (s.from, s.to) {
        (Some(a), Some(b)) => format!("{} {} – {}", s.status.label(), day(a), day(b)),
        (Some(a), None) => format!("{} from {}", s.status.label(), day(a)),
        _ => s.status.label().to_string(),
    }
}

fn period_words(r: &crate::model::incidents::AggregateReport, _engine: &Engine) -> String {
    let (from, to) = crate::incidents::doc::days(&r.when);
    match &r.period_as_reported {
        Some(words) => format!("{words}, {from} to {to}"),
        None => format!("{from} to {to}"),
    }
}

/// What a set is called where its rows are shown: the file's name and whose data it is.
pub fn set_label(kind: SetKind, name: &str) -> String {
    match kind {
        SetKind::Dataset => "This dataset".to_string(),
        SetKind::Acled => format!("ACLED ({name})"),
        SetKind::Ucdp => format!("UCDP GED ({name})"),
    }
}
