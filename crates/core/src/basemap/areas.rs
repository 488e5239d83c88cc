//! Finding areas by code or name: for `truce-atlas areas`, and for the loader's suggestions
//! when a zone names a code that does not exist.

use super::{Area, Basemap, Layer};
use crate::text::fold_loose;

impl Basemap {
    /// Countries, then divisions, whose code is `text` or whose code or any name holds `text`,
    /// with case, accents, punctuation and spaces ignored; only those of `country` (an ISO
    /// 3166-1 alpha-2 code) if given. The area whose code is `text` first, then each layer in
    /// code order. An empty `text` matches all.
    pub fn search(&self, text: &str, country: Option<&str>) -> Vec<(Layer, usize)> {
        let wanted = fold_loose(text);
        let country = country.map(str::to_uppercase);
        let matches = |a: &Area<'_>| {
            country.as_deref().is_none_or(|c| a.country == c)
                && (wanted.is_empty()
                    || fold_loose(a.code).contains(&wanted)
                    || a.names().any(|n| fold_loose(n).contains(&wanted)))
        };
        let mut out = Vec::new();
        for layer in [Layer::Countries, Layer::Regions] {
            let mut found: Vec<usize> = (0..self.areas(layer).len())
                .filter(|&i| matches(&self.areas(layer)[i]))
                .collect();
            found.sort_by(|&a, &b| self.areas(layer)[a].code.cmp(self.areas(layer)[b].code));
            out.extend(found.into_iter().map(|i| (layer, i)));
        }
        // An area whose code is the text itself comes first ("SO" is Somalia before South
        // Africa, whose name holds "so").
        let exact = text.trim().to_uppercase();
        out.sort_by_key(|&(layer, i)| self.areas(layer)[i].code != exact);
        out
    }

    /// Up to `n` codes nearest to `code`, a code that is not known: by edit distance to each
    /// area's code and to its names (for a zone that wrote a name where the code goes).
    pub fn suggest(&self, code: &str, n: usize) -> Vec<&'static str> {
        let as_code = code.trim().to_uppercase();
        let as_name = fold_loose(code);
        let distance = |a: &Area<'_>| {
            let by_code = strsim::levenshtein(&as_code, a.code);
            let by_name = a
                .names()
                .map(|name| strsim::levenshtein(&as_name, &fold_loose(name)))
                .min()
                .unwrap_or(usize::MAX);
            by_code.min(by_name)
        };
        let mut scored: Vec<(usize, &str)> = [Layer::Countries, Layer::Regions]
            .into_iter()
            .flat_map(|layer| self.areas(layer).iter())
            .map(|a| (distance(a), a.code))
            .collect();
        scored.sort();
        scored.dedup_by_key(|(_, c)| *c);
        scored.into_iter().take(n).map(|(_, c)| c).collect()
    }
}
