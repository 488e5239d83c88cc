use quick_xml::events::Event;

use super::*;

/// Every element of a page, with its attributes, read by a strict XML reader (the page is
/// written as polyglot HTML: well-formed, so that it parses both ways).
pub fn elements(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = quick_xml::Reader::from_str(html);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = e.name().as_ref().to_lowercase();
                let attributes = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("a well-formed attribute");
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("an attribute value")
                            .into_owned();
                        (a.key.as_ref().to_string(), value)
                    })
                    .collect();
                out.push((name, attributes));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "the page is not well-formed at {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    out
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn default_page() -> (Engine, StoryPage) {
    let engine = crate::engine::default_engine().expect("the default dataset");
    let story = engine.dataset().story.clone().expect("a story");
    let page = story_page(&engine, &story, (1400, 900));
    (engine, page)
}

#[test]
fn the_page_loads_nothing_from_outside_its_folder_and_every_picture_says_what_it_shows() {
    let (engine, page) = default_page();
    let elements = elements(&page.html);
    let names: Vec<&str> = elements.iter().map(|(n, _)| n.as_str()).collect();
    for loader in [
        "script", "link", "iframe", "object", "embed", "video", "audio", "source",
    ] {
        assert!(!names.contains(&loader), "a <{loader}> element");
    }
    assert!(!page.html.contains("url("), "no style fetches anything");
    let images: Vec<&Vec<(String, String)>> = elements
        .iter()
        .filter(|(n, _)| n == "img")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(images.len(), page.pictures.len());
    let zones = &engine.dataset().zones;
    for (img, file) in images.iter().zip(&page.pictures) {
        assert_eq!(
            attribute(img, "src"),
            Some(file.as_str()),
            "the picture beside the page"
        );
        let alt = attribute(img, "alt").unwrap_or_default();
        for z in zones {
            assert!(
                alt.contains(&format!("{}: ", z.name)),
                "{alt} names {}",
                z.name
            );
        }
    }
    let last = images
        .last()
        .and_then(|img| attribute(img, "alt"))
        .unwrap_or_default();
    assert!(last.contains("as last reported"), "{last}");
    // Links are plain links to the web; every quote reads in its own direction.
    for (name, a) in &elements {
        if name == "a" {
            let href = attribute(a, "href").unwrap_or_default();
            assert!(
                href.starts_with("https://") || href.starts_with("http://"),
                "{href}"
            );
        }
        if name == "blockquote" {
            assert_eq!(attribute(a, "dir"), Some("auto"));
        }
    }
    let viewport = elements
        .iter()
        .any(|(n, a)| n == "meta" && attribute(a, "name") == Some("viewport"));
    assert!(viewport, "it reads on a phone");
    assert!(
        page.html.contains("According to"),
        "the filtered step says whose word counts"
    );
    assert!(
        page.html.contains("@media print"),
        "a step a page when printed"
    );
}

#[test]
fn words_that_look_like_markup_are_shown_as_words() {
    assert_eq!(
        escape(r#"<script>alert("x")</script> & 'y'"#),
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
    );
    assert_eq!(
        text_html("see https://a.b/c?d=1&e=2."),
        "see <a href=\"https://a.b/c?d=1&amp;e=2\">https://a.b/c?d=1&amp;e=2</a>."
    );
}

#[test]
fn a_longer_text_is_shown_longer_in_an_animation_within_bounds() {
    let (engine, _) = default_page();
    let story = engine.dataset().story.clone().expect("a story");
    let mut step = story.steps[0].clone();
    let short = step_delay_ms(&step);
    step.text.push_str(&" word".repeat(40));
    assert!(step_delay_ms(&step) > short);
    step.text.push_str(&" word".repeat(10_000));
    assert_eq!(step_delay_ms(&step), 20_000);
}
