use super::*;
use crate::geometry::validity::multipolygon;

#[test]
fn every_embedded_outline_at_every_level_passes_the_loaders_validity_rules() {
    let world = Basemap::embedded();
    assert_eq!(world.levels(), 3, "{world:?}");
    let mut checked = 0;
    for layer in [Layer::Countries, Layer::Regions] {
        for (i, area) in world.areas(layer).iter().enumerate() {
            for (level, parts) in area.shapes.iter().enumerate() {
                if parts.is_none() {
                    continue;
                }
                let outline = world.parts(layer, i, level).expect("decodes");
                if let Err(e) = multipolygon(&outline) {
                    panic!("{} ({}) at level {level}: {e}", area.code, area.name);
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 3 * 4_400, "{checked} outlines checked");
}

#[test]
fn the_world_has_every_country_and_the_divisions_reports_name() {
    let world = Basemap::shared();
    assert!(world.areas(Layer::Countries).len() >= 235);
    assert!(world.areas(Layer::Regions).len() >= 4_400);
    for (code, name) in [
        ("SY", "Syria"),
        ("UA", "Ukraine"),
        ("FR", "France"),
        ("CL", "Chile"),
        ("PS", "Palestine"),
        ("UA-14", "Donetsk"),
        ("SY-HL", "Aleppo"),
        ("FR-75", "Paris"),
        ("CL-RM", "Santiago"),
    ] {
        let (layer, i) = world.find(code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(world.areas(layer)[i].name, name, "{code}");
    }
    assert!(world.attribution().contains("Natural Earth"));
    assert!(world.source().contains("5.0"));
}

#[test]
fn every_area_has_an_outline_at_every_level_and_coarse_levels_are_smaller() {
    let world = Basemap::shared();
    let (layer, i) = world.find("CL").expect("Chile");
    let points = |level| -> usize {
        world
            .parts(layer, i, level)
            .expect("decodes")
            .iter()
            .flatten()
            .map(Vec::len)
            .sum()
    };
    let (coarse, middle, fine) = (points(0), points(1), points(2));
    assert!(
        coarse * 3 < middle && middle < fine,
        "{coarse} {middle} {fine}"
    );
    for layer in [Layer::Countries, Layer::Regions] {
        for i in 0..world.areas(layer).len() {
            for level in 0..world.levels() {
                assert!(
                    !world.pieces(layer, i, level).is_empty(),
                    "{} has no outline at level {level}",
                    world.areas(layer)[i].code
                );
            }
        }
    }
}

#[test]
fn the_level_follows_the_zoom() {
    let world = Basemap::shared();
    let at = |zoom: f64| world.level_for(256.0 * 2f64.powf(zoom));
    assert_eq!(at(1.0), 0);
    assert_eq!(at(3.9), 0);
    assert_eq!(at(4.0), 1);
    assert_eq!(at(6.9), 1);
    assert_eq!(at(7.0), 2);
    assert_eq!(at(18.0), 2);
}

#[test]
fn the_country_under_a_point_is_found() {
    let world = Basemap::shared();
    let code = |lon, lat| {
        world
            .country_at(lon, lat)
            .map(|i| world.areas(Layer::Countries)[i].code.to_string())
    };
    assert_eq!(code(37.16, 36.2).as_deref(), Some("SY"));
    assert_eq!(code(2.35, 48.86).as_deref(), Some("FR"));
    assert_eq!(code(-70.65, -33.45).as_deref(), Some("CL"));
    assert_eq!(code(-30.0, 30.0), None, "the Atlantic");
}

#[test]
fn a_region_is_found_by_any_of_its_names_and_an_unknown_code_gets_near_ones() {
    let world = Basemap::shared();
    let codes = |text: &str, country: Option<&str>| -> Vec<String> {
        world
            .search(text, country)
            .into_iter()
            .map(|(layer, i)| world.areas(layer)[i].code.to_string())
            .collect()
    };
    for text in ["Donetsk", "Donets'k", "donetsk", "Донецька", "Донецкая"] {
        assert!(codes(text, None).contains(&"UA-14".to_string()), "{text}");
    }
    assert_eq!(codes("UA-14", None), ["UA-14"]);
    assert_eq!(
        codes("so", None).first().map(String::as_str),
        Some("SO"),
        "exact code first"
    );
    assert!(codes("", Some("sy")).len() >= 14);
    assert!(
        codes("", Some("SY"))
            .iter()
            .all(|c| c == "SY" || c.starts_with("SY-"))
    );
    assert!(world.suggest("UA-41", 5).contains(&"UA-14") || world.suggest("UA-41", 5).len() == 5);
    assert!(world.suggest("Donetsk Oblast", 5).contains(&"UA-14"));
    assert!(world.suggest("SY-HLL", 5).contains(&"SY-HL"));
}

#[test]
fn a_corrupt_basemap_is_an_error_and_the_embedded_one_falls_back_to_empty_not_a_panic() {
    assert!(Basemap::from_bytes(b"TAWORLD3\xff\xff\xff").is_err());
    assert!(Basemap::from_bytes(b"").is_err());
    let empty = Basemap::empty();
    assert_eq!(empty.areas(Layer::Countries).len(), 0);
    assert_eq!(empty.level_for(1e6), 0);
    assert!(empty.country_at(0.0, 0.0).is_none());
}

#[test]
fn disputed_areas_follow_natural_earths_de_facto_view_as_the_docs_say() {
    // README and the attribution say that the borders are Natural Earth's de facto ones: in
    // its version 5.0, Crimea and Sevastopol are divisions of Russia, under their Ukrainian
    // codes. If a data update changes that, the docs must change with it.
    let world = Basemap::shared();
    for code in ["UA-43", "UA-40"] {
        let (layer, i) = world.find(code).expect(code);
        assert_eq!(world.areas(layer)[i].country, "RU", "{code}");
    }
}
