use super::*;

fn engine() -> Engine {
    crate::default_engine().expect("valid")
}

fn written(f: impl FnOnce(&mut Vec<u8>) -> Result<(), ExportError>) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out).expect("writes");
    out
}

fn rows(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().expect("a header").clone();
    let rows = r
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("valid CSV");
    (header, rows)
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    (!text.is_empty()).then(|| {
        DateTime::parse_from_rfc3339(text)
            .expect("RFC 3339")
            .with_timezone(&Utc)
    })
}

#[test]
fn the_interval_csv_reads_back_as_the_engines_timelines() {
    let engine = engine();
    for known_on in [None, Some("2016-04-28T00:00:00Z".parse().expect("time"))] {
        let (header, rows) = rows(&written(|o| intervals_csv(&engine, known_on, None, o)));
        assert_eq!(header.iter().collect::<Vec<_>>(), INTERVAL_COLUMNS);
        let col = |name: &str| {
            INTERVAL_COLUMNS
                .iter()
                .position(|c| *c == name)
                .expect("column")
        };
        let mut k = 0;
        for (z, zone) in engine.dataset().zones.iter().enumerate() {
            for interval in engine.timeline(z, known_on) {
                let row = &rows[k];
                k += 1;
                assert_eq!(&row[col("zone_id")], zone.id);
                assert_eq!(&row[col("status")], interval.resolution.status.as_str());
                assert_eq!(
                    row[col("contested")] == *"true",
                    interval.resolution.contested
                );
                assert_eq!(parse_time(&row[col("start")]), interval.start);
                assert_eq!(parse_time(&row[col("end")]), interval.end);
                let cites = row[col("citations")]
                    .split(" | ")
                    .filter(|c| !c.is_empty())
                    .count();
                assert_eq!(cites, interval.resolution.citations.len());
            }
        }
        assert_eq!(k, rows.len(), "every row is an interval of the engine");
    }
}

#[test]
fn a_quote_with_commas_and_quotation_marks_survives_the_csv() {
    let engine = engine();
    let (_, rows) = rows(&written(|o| events_csv(&engine, o)));
    let ds = engine.dataset();
    assert_eq!(rows.len(), ds.events.len());
    let tricky = ds
        .events
        .iter()
        .flat_map(|e| &e.citations)
        .find(|c| c.quote.contains(',') && c.quote.contains('"'))
        .expect("the Syria data quotes someone with commas and quotation marks");
    let col = EVENT_COLUMNS
        .iter()
        .position(|c| *c == "citations")
        .expect("column");
    assert!(rows.iter().any(|r| r[col].contains(tricky.quote.as_str())));
    // In time order, each with its own id.
    let at = EVENT_COLUMNS
        .iter()
        .position(|c| *c == "moment")
        .expect("column");
    let times: Vec<_> = rows.iter().map(|r| parse_time(&r[at])).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_geojson_snapshot_holds_every_zone_with_its_status_at_the_instant() {
    let engine = engine();
    let at: DateTime<Utc> = "2016-05-01T09:00:00Z".parse().expect("time");
    let text = geojson_snapshot(&engine, at, None, None).to_string();
    let back: geojson::FeatureCollection = text.parse().expect("valid GeoJSON");
    let ds = engine.dataset();
    assert_eq!(back.features.len(), ds.zones.len());
    for (z, f) in back.features.iter().enumerate() {
        let prop = |k: &str| f.property(k).cloned().unwrap_or_default();
        let r = engine.status(z, at, None);
        assert_eq!(prop("id"), ds.zones[z].id.as_str());
        assert_eq!(prop("status"), r.status.as_str());
        assert_eq!(prop("contested"), r.contested);
        let lead = r
            .citations
            .first()
            .map(|c| &ds.events[c.event].citations[c.citation]);
        assert_eq!(
            prop("lead_quote"),
            lead.map_or(serde_json::Value::Null, |c| c.quote.as_str().into())
        );
        let geometry = f.geometry.as_ref().expect("an outline");
        assert!(matches!(
            geometry.value,
            geojson::GeometryValue::MultiPolygon { .. }
        ));
    }
    let aleppo = ds.zone_index("aleppo").expect("aleppo");
    assert_eq!(
        back.features[aleppo].property("status").cloned(),
        Some("negotiating".into())
    );
}
