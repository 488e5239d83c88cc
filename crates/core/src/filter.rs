//! "According to whom": the sources, sides and actors a reader chooses to hear. The engine
//! recomputes every status from those alone (see [`crate::engine::Engine::filtered`]), as if
//! the dataset held only their citations.
//!
//! The rule, stated once (data/FORMAT.md repeats it): an event counts when its side and its
//! actor are among those chosen (each dimension left open keeps everything); of its citations,
//! only those from chosen sources count; an event left with no citation does not count at all,
//! and it was first reported when the earliest chosen source behind it was published.

use std::collections::BTreeSet;

use crate::model::{Dataset, Event};

/// Whose word counts. `None` in a dimension keeps everything in it; `Some` of an empty set
/// keeps nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// Source indices.
    pub sources: Option<BTreeSet<usize>>,
    /// Side indices (`meta.sides`); an event without a side is left out when this is set.
    pub sides: Option<BTreeSet<usize>>,
    /// Actors, exactly as the events write them (an actor may hold commas).
    pub actors: Option<BTreeSet<String>>,
}

/// A flag's list named something the dataset does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{flag}: no {what} \"{id}\" in this dataset; it has: {known}")]
pub struct UnknownId {
    pub flag: &'static str,
    pub what: &'static str,
    pub id: String,
    pub known: String,
}

impl Filter {
    /// Everything counts: no filter is on.
    pub fn is_all(&self) -> bool {
        self.sources.is_none() && self.sides.is_none() && self.actors.is_none()
    }

    pub fn keeps_source(&self, source: usize) -> bool {
        self.sources.as_ref().is_none_or(|s| s.contains(&source))
    }

    /// Whether the event's side and actor are chosen (its citations are judged apart).
    pub fn keeps_party(&self, event: &Event) -> bool {
        let side = self
            .sides
            .as_ref()
            .is_none_or(|sides| event.side.is_some_and(|s| sides.contains(&s)));
        let actor = self
            .actors
            .as_ref()
            .is_none_or(|actors| actors.contains(&event.actor));
        side && actor
    }

    /// Reads the command line's lists: `--sources ID,ID`, `--sides ID,ID` and any number of
    /// `--actor NAME`. An id the dataset does not have is an error that lists the ones it has.
    pub fn from_ids(
        ds: &Dataset,
        sources: Option<&str>,
        sides: Option<&str>,
        actors: &[String],
    ) -> Result<Filter, UnknownId> {
        let source_ids: Vec<&str> = ds.sources.iter().map(|s| s.id.as_str()).collect();
        let side_ids: Vec<&str> = ds.meta.sides.iter().map(|s| s.id.as_str()).collect();
        let mut known_actors: Vec<&str> = ds.events.iter().map(|e| e.actor.as_str()).collect();
        known_actors.sort_unstable();
        known_actors.dedup();
        let actors = if actors.is_empty() {
            None
        } else {
            let mut kept = BTreeSet::new();
            for a in actors {
                if known_actors.binary_search(&a.as_str()).is_err() {
                    return Err(unknown("--actor", "actor", a, &known_actors));
                }
                kept.insert(a.clone());
            }
            Some(kept)
        };
        Ok(Filter {
            sources: sources
                .map(|list| indices(list, &source_ids, "--sources", "source"))
                .transpose()?,
            sides: sides
                .map(|list| indices(list, &side_ids, "--sides", "side"))
                .transpose()?,
            actors,
        })
    }

    /// The same filter for a new version of the dataset (a reload): sources and sides found
    /// again by id, actors by name. Returns it (`None` when nothing of it is left) and the names
    /// of what is no longer there, for a notice.
    pub fn carried(&self, old: &Dataset, new: &Dataset) -> (Option<Filter>, Vec<String>) {
        let mut gone = Vec::new();
        let mut by_id =
            |set: &Option<BTreeSet<usize>>, old_ids: Vec<&str>, new_ids: Vec<&str>, what: &str| {
                let set = set.as_ref()?;
                let kept: BTreeSet<usize> = set
                    .iter()
                    .filter_map(|&i| {
                        let id = old_ids.get(i)?;
                        let found = new_ids.iter().position(|n| n == id);
                        if found.is_none() {
                            gone.push(format!("{what} \"{id}\""));
                        }
                        found
                    })
                    .collect();
                (!kept.is_empty()).then_some(kept)
            };
        let sources = by_id(
            &self.sources,
            old.sources.iter().map(|s| s.id.as_str()).collect(),
            new.sources.iter().map(|s| s.id.as_str()).collect(),
            "source",
        );
        let sides = by_id(
            &self.sides,
            old.meta.sides.iter().map(|s| s.id.as_str()).collect(),
            new.meta.sides.iter().map(|s| s.id.as_str()).collect(),
            "side",
        );
        let actors = self.actors.as_ref().and_then(|actors| {
            let kept: BTreeSet<String> = actors
                .iter()
                .filter(|a| {
                    let found = new.events.iter().any(|e| &e.actor == *a);
                    if !found {
                        gone.push(format!("actor \"{a}\""));
                    }
                    found
                })
                .cloned()
                .collect();
            (!kept.is_empty()).then_some(kept)
        });
        let filter = Filter {
            sources,
            sides,
            actors,
        };
        ((!filter.is_all()).then_some(filter), gone)
    }

    /// The flags that give this filter back (for "Copy view as command line").
    pub fn args(&self, ds: &Dataset) -> Vec<String> {
        let mut args = Vec::new();
        let ids = |set: &BTreeSet<usize>, id: &dyn Fn(usize) -> String| {
            set.iter().map(|&i| id(i)).collect::<Vec<_>>().join(",")
        };
        if let Some(s) = &self.sources {
            args.push("--sources".to_owned());
            args.push(ids(s, &|i| ds.sources[i].id.clone()));
        }
        if let Some(s) = &self.sides {
            args.push("--sides".to_owned());
            args.push(ids(s, &|i| ds.meta.sides[i].id.clone()));
        }
        for a in self.actors.iter().flatten() {
            args.push("--actor".to_owned());
            args.push(a.clone());
        }
        args
    }

    /// What a reader is told while the filter is on: "according to: RFE/RL, Middle East Eye;
    /// sides: Russian officials". `None` when everything counts.
    /// The filter a story's step asks for (`None`: everyone's word).
    pub fn of_story(f: &crate::model::story::StoryFilter) -> Option<Filter> {
        let filter = Filter {
            sources: (!f.sources.is_empty()).then(|| f.sources.iter().copied().collect()),
            sides: (!f.sides.is_empty()).then(|| f.sides.iter().copied().collect()),
            actors: (!f.actors.is_empty()).then(|| f.actors.iter().cloned().collect()),
        };
        (!filter.is_all()).then_some(filter)
    }

    pub fn according_to(&self, ds: &Dataset) -> Option<String> {
        if self.is_all() {
            return None;
        }
        let mut parts = Vec::new();
        if let Some(s) = &self.sources {
            // Outlets, each once, in the order of the sources file.
            let mut outlets: Vec<&str> = Vec::new();
            for &i in s {
                let outlet = ds.sources[i].outlet.as_str();
                if !outlets.contains(&outlet) {
                    outlets.push(outlet);
                }
            }
            // A long list is cut: the notice must fit on the map; the side panel has them all.
            let more = outlets.len().saturating_sub(SHOWN_OUTLETS);
            outlets.truncate(SHOWN_OUTLETS);
            parts.push(match (outlets.is_empty(), more) {
                (true, _) => "no source".to_owned(),
                (false, 0) => outlets.join(", "),
                (false, 1) => format!("{} and 1 more outlet", outlets.join(", ")),
                (false, more) => format!("{} and {more} more outlets", outlets.join(", ")),
            });
        }
        if let Some(s) = &self.sides {
            let names: Vec<&str> = s.iter().map(|&i| ds.meta.sides[i].name.as_str()).collect();
            parts.push(format!("sides: {}", none_if_empty(&names)));
        }
        if let Some(a) = &self.actors {
            let names: Vec<&str> = a.iter().map(String::as_str).collect();
            parts.push(format!("actors: {}", none_if_empty(&names)));
        }
        Some(format!("According to: {}", parts.join("; ")))
    }
}

/// Outlets named in the notice before "and N more outlets".
const SHOWN_OUTLETS: usize = 6;

fn none_if_empty(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

fn indices(
    list: &str,
    known: &[&str],
    flag: &'static str,
    what: &'static str,
) -> Result<BTreeSet<usize>, UnknownId> {
    list.split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| {
            known
                .iter()
                .position(|k| *k == id)
                .ok_or_else(|| unknown(flag, what, id, known))
        })
        .collect()
}

fn unknown(flag: &'static str, what: &'static str, id: &str, known: &[&str]) -> UnknownId {
    const SHOWN: usize = 12;
    let mut list = known
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > SHOWN {
        list.push_str(&format!(" and {} more", known.len() - SHOWN));
    }
    if known.is_empty() {
        list = "none".to_owned();
    }
    UnknownId {
        flag,
        what,
        id: id.to_owned(),
        known: list,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syria() -> crate::engine::Engine {
        crate::default_engine().expect("the default dataset is valid")
    }

    #[test]
    fn the_flags_name_sources_and_sides_by_id_and_say_which_ids_exist() {
        let e = syria();
        let ds = e.dataset();
        let f = Filter::from_ids(
            ds,
            Some("rferl-2016-05-01, mee-2016-05-04"),
            Some("russia"),
            &[],
        )
        .expect("known ids");
        let rferl = ds.sources.iter().position(|s| s.id == "rferl-2016-05-01");
        assert!(
            f.sources
                .as_ref()
                .is_some_and(|s| s.len() == 2 && s.contains(&rferl.expect("source")))
        );
        assert_eq!(f.sides.as_ref().map(BTreeSet::len), Some(1));
        assert_eq!(f.actors, None);
        let e = Filter::from_ids(ds, Some("rferl"), None, &[]).expect_err("no such source");
        assert_eq!(e.flag, "--sources");
        assert!(e.to_string().contains("no source \"rferl\" in this dataset; it has: panarmenian-2016-05-01, rferl-2016-05-01"), "{e}");
        let e = Filter::from_ids(ds, None, None, &["Kerry".into()]).expect_err("actors are exact");
        assert!(
            e.to_string().starts_with("--actor: no actor \"Kerry\""),
            "{e}"
        );
    }

    #[test]
    fn the_notice_names_outlets_once_and_the_args_give_the_filter_back() {
        let e = syria();
        let ds = e.dataset();
        let f = Filter::from_ids(
            ds,
            Some("mee-2016-05-04,rferl-2016-05-01"),
            Some("us,russia"),
            &["Syrian army".into()],
        )
        .expect("known ids");
        assert_eq!(
            f.according_to(ds).as_deref(),
            Some(
                "According to: Radio Free Europe/Radio Liberty (based on Reuters, AP, AFP, Interfax), \
                 Middle East Eye (with AFP); sides: Russian officials, US officials; actors: Syrian army"
            )
        );
        let args = f.args(ds);
        assert_eq!(
            args,
            [
                "--sources",
                "rferl-2016-05-01,mee-2016-05-04",
                "--sides",
                "russia,us",
                "--actor",
                "Syrian army"
            ]
        );
        let back = Filter::from_ids(ds, Some(&args[1]), Some(&args[3]), &[args[5].clone()]);
        assert_eq!(back, Ok(f));
        assert_eq!(Filter::default().according_to(ds), None);
    }

    #[test]
    fn an_empty_choice_keeps_nothing_and_says_so() {
        let e = syria();
        let ds = e.dataset();
        let f = Filter {
            sources: Some(BTreeSet::new()),
            ..Filter::default()
        };
        assert!(!f.is_all());
        assert_eq!(
            f.according_to(ds).as_deref(),
            Some("According to: no source")
        );
        let filtered = e.filtered(&f);
        let at = e.default_instant();
        for z in 0..ds.zones.len() {
            assert_eq!(
                filtered.status(z, at, None).status,
                crate::model::Status::Unknown
            );
        }
    }

    #[test]
    fn hearing_only_the_opposition_leaves_the_regime_of_calm_unknown_in_damascus() {
        // The 44 factions speak of the cessation and reject regional truces; only the Syrian
        // army and Russian officials report the regime of calm in Damascus.
        let e = syria();
        let ds = e.dataset();
        let damascus = ds.zone_index("damascus").expect("zone");
        let at = e.default_instant();
        assert_eq!(
            e.status(damascus, at, None).status,
            crate::model::Status::InEffect
        );
        let f = Filter::from_ids(ds, None, Some("opposition"), &[]).expect("known side");
        let opposition = e.filtered(&f);
        let r = opposition.status(damascus, at, None);
        assert_ne!(
            r.instrument.map(|i| ds.instruments[i].id.as_str()),
            Some("roc-2016-04"),
            "{r:?}"
        );
        for c in r.citations.iter().chain(&r.disputed_by) {
            let side = ds.events[c.event]
                .side
                .map(|s| ds.meta.sides[s].id.as_str());
            assert_eq!(side, Some("opposition"));
        }
    }
}
