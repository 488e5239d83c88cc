//! The offline basemap built into the binary (Natural Earth: Syria, its neighbours and its
//! governorates), read from its embedded GeoJSON with the loader's readers and prepared as
//! geometry. It sits above `load`, which it reads with, and `geometry`, which it builds.

use crate::geometry::Shape;
use crate::geometry::validity::to_multipolygon;
use crate::load::geojson;
use crate::load::json::Text;

/// A named shape of the basemap (a country or a governorate).
#[derive(Debug, Clone)]
pub struct BaseFeature {
    pub name: String,
    /// Whether the name is written on the map.
    pub labelled: bool,
    pub shape: Shape,
}

/// The offline basemap: neighbouring countries and the country's first-level divisions.
#[derive(Debug, Clone, Default)]
pub struct Basemap {
    pub countries: Vec<BaseFeature>,
    pub divisions: Vec<BaseFeature>,
    pub attribution: String,
}

/// Reads a FeatureCollection of polygons, skipping anything that is not one: the basemap is
/// embedded and checked by tests, so a bad feature is dropped, not fatal.
fn read_features(text: &str) -> (Vec<BaseFeature>, String) {
    #[derive(serde::Deserialize)]
    struct Top {
        #[serde(default)]
        attribution: String,
    }
    let text = Text::new(text);
    let attribution = serde_json::from_str::<Top>(text.text)
        .map(|t| t.attribution)
        .unwrap_or_default();
    let Ok(collection) = geojson::collection(&text) else {
        return (Vec::new(), attribution);
    };
    let features = collection
        .features
        .iter()
        .filter_map(|raw| {
            let feature = geojson::feature(&text, raw).ok()?;
            let parts = feature.geometry.as_ref()?.polygon_parts()?;
            let name = feature
                .text("name")
                .ok()
                .flatten()
                .unwrap_or("")
                .to_string();
            // The data can keep a shape's name off the map (`"label": false`), as for the
            // UN buffer zone, which is no governorate.
            let labelled = feature.properties.get("label") != Some(&serde_json::Value::Bool(false));
            Some(BaseFeature {
                name,
                labelled,
                shape: Shape::new(&to_multipolygon(&parts)),
            })
        })
        .collect();
    (features, attribution)
}

impl Basemap {
    /// The embedded basemap, read once per process: a window, its tests and its exports share
    /// it. [`Basemap::prepare_shared`] reads it on another thread ahead of need.
    pub fn shared() -> &'static Basemap {
        static SHARED: std::sync::OnceLock<Basemap> = std::sync::OnceLock::new();
        SHARED.get_or_init(Basemap::embedded)
    }

    /// Starts reading [`Basemap::shared`] on a thread of its own, so that it is ready (or
    /// nearly) when first asked for; where no thread can be made, it is read when asked for.
    pub fn prepare_shared() {
        let _ = std::thread::Builder::new()
            .name("basemap".to_owned())
            .spawn(|| {
                Basemap::shared();
            });
    }

    /// The basemap built into the binary (Natural Earth, Syria and its neighbours).
    pub fn embedded() -> Basemap {
        let (countries, attribution) =
            read_features(include_str!("../../../assets/basemap/countries.geojson"));
        let (divisions, _) =
            read_features(include_str!("../../../assets/basemap/governorates.geojson"));
        Basemap {
            countries,
            divisions,
            attribution,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_basemap_has_syria_its_neighbours_and_its_governorates() {
        let basemap = Basemap::embedded();
        let names: Vec<&str> = basemap.countries.iter().map(|c| c.name.as_str()).collect();
        for expected in [
            "Syria",
            "Turkey",
            "Lebanon",
            "Israel",
            "Palestine",
            "Jordan",
            "Iraq",
            "Cyprus",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        assert!(
            basemap.divisions.len() >= 14,
            "{} governorates",
            basemap.divisions.len()
        );
        assert!(
            basemap
                .divisions
                .iter()
                .all(|d| !d.shape.fill.indices.is_empty())
        );
        assert!(basemap.attribution.contains("Natural Earth"));
    }
}
