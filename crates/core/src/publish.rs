//! A story published as a web page (`export story`): one `index.html` beside one captioned
//! picture per step. The page needs nothing from outside its folder (no script, no font, no
//! style sheet to fetch; links are plain `<a href>`), reads on a phone and prints a step a
//! page. Every picture's alt text says in words what the map shows: each zone's status at
//! that step. Pure: the pictures are drawn by the app; here is what goes around them.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::engine::Engine;
use crate::filter::Filter;
use crate::model::story::{Piece, Story, StoryStep, pieces};

/// The page and the picture files it names, in step order.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryPage {
    pub html: String,
    pub pictures: Vec<String>,
}

/// The file name of step `k`'s picture (from 0): `step-01.png`.
pub fn picture_name(k: usize) -> String {
    format!("step-{:02}.png", k + 1)
}

/// How long an animation shows a step: longer for a longer text (about a reader's pace of
/// four words a second, after two seconds to take in the map), at most 20 seconds.
pub fn step_delay_ms(step: &StoryStep) -> u16 {
    let words =
        (step.title.split_whitespace().count() + step.text.split_whitespace().count()) as u64;
    (2_000 + words * 250).min(20_000) as u16
}

/// The page for `story` over the dataset's own (unfiltered) engine, its pictures `size` points.
pub fn story_page(engine: &Engine, story: &Story, size: (u32, u32)) -> StoryPage {
    let ds = engine.dataset();
    let mut html = String::new();
    let title = escape(&story.title);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n\
         <h1 dir=\"auto\">{title}</h1>\n<p class=\"about\">{} steps through <cite dir=\"auto\">{}</cite>. \
         Each map shows every zone's truce status at that instant; the quotes are the reports' own words.</p>\n</header>\n<main>\n",
        story.steps.len(),
        escape(&ds.meta.name),
    );
    for (k, step) in story.steps.iter().enumerate() {
        section(&mut html, engine, story, k, step, size);
    }
    let _ = write!(
        html,
        "</main>\n<footer>\n<p dir=\"auto\">{}</p>\n<p>Made with Truce Atlas.</p>\n</footer>\n</body>\n</html>\n",
        escape(&ds.meta.attribution)
    );
    StoryPage {
        html,
        pictures: (0..story.steps.len()).map(picture_name).collect(),
    }
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;\
color:#1b1b1b;background:#fff;max-width:46rem;margin:0 auto;padding:1rem}\n\
img{display:block;max-width:100%;height:auto;border:1px solid #bbb}\n\
figure{margin:1rem 0}\nsection{margin:0 0 3rem}\nh2{margin-bottom:.25rem}\n\
.when,.according,.cite,.about{color:#4a4a4a;font-size:.95rem}\n\
blockquote{margin:.75rem 0 .25rem;padding-left:.75rem;border-left:3px solid #777;font-style:italic}\n\
a,blockquote,p{overflow-wrap:anywhere}\n\
@media print{section{break-after:page;page-break-after:always}a{color:inherit}}\n";

fn section(
    html: &mut String,
    unfiltered: &Engine,
    story: &Story,
    k: usize,
    step: &StoryStep,
    (w, h): (u32, u32),
) {
    let filter = step.filter.as_ref().and_then(Filter::of_story);
    let filtered = filter.as_ref().map(|f| unfiltered.filtered(f));
    let engine = filtered.as_ref().unwrap_or(unfiltered);
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let _ = write!(
        html,
        "<section id=\"step-{n}\">\n<h2 dir=\"auto\">{n}. {}</h2>\n<p class=\"when\">Step {n} of {}: {}",
        escape(&step.title),
        story.steps.len(),
        escape(&crate::timefmt::instant_words(step.at, tz)),
        n = k + 1,
    );
    if step.known_on.is_some() {
        let known = crate::present::known_on_label(step.known_on, tz);
        let _ = write!(html, " · as known on {}", escape(&known));
    }
    html.push_str("</p>\n");
    if let Some(according) = filter.as_ref().and_then(|f| f.according_to(ds)) {
        let _ = writeln!(html, "<p class=\"according\">{}.</p>", escape(&according));
    }
    let _ = writeln!(
        html,
        "<figure><img src=\"{}\" width=\"{w}\" height=\"{h}\" alt=\"{}\" /></figure>",
        picture_name(k),
        escape(&alt_text(engine, step.at, step.known_on))
    );
    for paragraph in step.text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(html, "<p dir=\"auto\">{}</p>", text_html(paragraph.trim()));
    }
    quotes(html, engine, step);
    html.push_str("</section>\n");
}

/// What the map shows, in words: the instant, then every zone's status.
pub fn alt_text(engine: &Engine, at: DateTime<Utc>, known_on: Option<DateTime<Utc>>) -> String {
    let ds = engine.dataset();
    let tz = ds.meta.timezone;
    let after = engine.after_reports(at, known_on);
    let zones: Vec<String> = (0..ds.zones.len())
        .map(|z| {
            let r = engine.status(z, at, known_on);
            crate::present::zone_summary(engine, z, r, after).words(&ds.zones[z].name, ds)
        })
        .collect();
    let last = if after {
        " Past the last report: every status is as last reported."
    } else {
        ""
    };
    format!(
        "Map of the zones at {}. {}.{last}",
        crate::timefmt::instant_words(at, tz),
        zones.join("; ")
    )
}

fn quotes(html: &mut String, engine: &Engine, step: &StoryStep) {
    if step.citations.is_empty() {
        return;
    }
    let ds = engine.dataset();
    html.push_str("<h3>Who says so</h3>\n");
    for cite in &step.citations {
        let event = &ds.events[cite.event];
        let chosen = event
            .citations
            .iter()
            .filter(|c| cite.source.is_none_or(|s| s == c.source));
        for c in chosen {
            let source = &ds.sources[c.source];
            let _ = writeln!(
                html,
                "<blockquote dir=\"auto\">“{}”</blockquote>",
                escape(&c.quote)
            );
            let speaker = c
                .speaker
                .as_deref()
                .map_or(String::new(), |s| format!(", {}", escape(s)));
            let date = source.published.time.format("%-d %B %Y");
            let link = match &source.url {
                Some(url) if is_web(url) => {
                    format!(" · <a href=\"{}\">the report</a>", escape(url))
                }
                _ => String::new(),
            };
            let _ = writeln!(
                html,
                "<p class=\"cite\" dir=\"auto\">— {}, {date}{speaker}{link}</p>",
                escape(&source.outlet)
            );
        }
    }
}

/// A paragraph of the author's text: words escaped, bare addresses made links.
fn text_html(text: &str) -> String {
    pieces(text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => escape(t),
            Piece::Link(url) => format!("<a href=\"{0}\">{0}</a>", escape(url)),
        })
        .collect()
}

fn is_web(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// Text for HTML, in an element or an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
