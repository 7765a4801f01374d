//! A gene's annotations: one typed part per annotation that covers the gene, by JSON key.
//!
//! Why a module of its own, above the registry: the parts' types live in their annotation
//! modules ([`crate::annotations`]), and only the registry's list
//! ([`crate::registry::ANNOTATIONS`]) knows them all, in order. [`GeneAnnotations`] keeps
//! them in that order, so the JSON shape (`{"hpo": …, "constraint": …}`) is that of one struct
//! with a field per annotation while no code outside a module names its part; it reads a
//! stored part back through the registry's entry. Living here, it lets the annotation modules
//! stay below the registry that lists them.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::annotations::{Part, PartType, part_of};

/// A stored annotation could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AnnotationError {
    #[error("unknown annotation `{0}`")]
    Unknown(String),
    #[error("annotation {name}: {error}")]
    Unreadable {
        name: String,
        #[source]
        error: serde_json::Error,
    },
}

/// Everything kgdb knows about one gene besides its evidence: one part per annotation that
/// covers it, kept in registry order (the order of the JSON keys).
#[derive(Debug, Default)]
pub struct GeneAnnotations {
    parts: Vec<(usize, &'static str, Box<dyn Part>)>,
}

impl Clone for GeneAnnotations {
    fn clone(&self) -> Self {
        GeneAnnotations {
            parts: self
                .parts
                .iter()
                .map(|(rank, key, p)| (*rank, *key, p.clone_box()))
                .collect(),
        }
    }
}

impl PartialEq for GeneAnnotations {
    fn eq(&self, other: &Self) -> bool {
        let raw = |a: &GeneAnnotations| {
            a.parts
                .iter()
                .map(|(_, k, p)| (*k, p.to_raw().map(|r| r.get().to_string()).ok()))
                .collect::<Vec<_>>()
        };
        raw(self) == raw(other)
    }
}

/// Position of a JSON key in the registry (unknown keys last).
fn rank(key: &str) -> usize {
    crate::registry::ANNOTATIONS
        .iter()
        .position(|e| e.part.key == key)
        .unwrap_or(usize::MAX)
}

impl GeneAnnotations {
    /// True when no annotation covers the gene.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Set the part of annotation `name` from its stored JSON.
    pub fn set(&mut self, name: &str, json: &str) -> Result<(), AnnotationError> {
        let entry = crate::registry::ANNOTATIONS
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| AnnotationError::Unknown(name.to_string()))?;
        let part = (entry.part.parse)(json).map_err(|error| AnnotationError::Unreadable {
            name: name.to_string(),
            error,
        })?;
        self.put(entry.part.key, part);
        Ok(())
    }

    /// With a part of a module's own type (builder form of [`GeneAnnotations::insert`]).
    pub fn with<T: PartType>(mut self, part: T) -> Self {
        self.insert(part);
        self
    }

    /// Set a part of a module's own type.
    pub fn insert<T: PartType>(&mut self, part: T) {
        self.put(T::KEY, Box::new(part));
    }

    fn put(&mut self, key: &'static str, part: Box<dyn Part>) {
        self.parts.retain(|(_, k, _)| *k != key);
        let r = rank(key);
        let at = self.parts.partition_point(|(other, _, _)| *other <= r);
        self.parts.insert(at, (r, key, part));
    }

    /// The part stored under a JSON key.
    pub fn part(&self, key: &str) -> Option<&dyn Part> {
        self.parts
            .iter()
            .find(|(_, k, _)| *k == key)
            .map(|(_, _, p)| p.as_ref())
    }

    /// The part of a module's own type.
    pub fn get<T: PartType>(&self) -> Option<&T> {
        self.part(T::KEY).and_then(part_of::<T>)
    }

    pub fn get_mut<T: PartType>(&mut self) -> Option<&mut T> {
        self.parts
            .iter_mut()
            .find(|(_, k, _)| *k == T::KEY)
            .and_then(|(_, _, p)| p.as_any_mut().downcast_mut::<T>())
    }

    /// Whether a part is stored under the JSON key.
    /// Replace the part stored under `key` (the network's view of an interaction part).
    pub fn replace(&mut self, key: &'static str, part: Box<dyn Part>) {
        self.put(key, part);
    }

    pub fn has(&self, key: &str) -> bool {
        self.part(key).is_some()
    }

    /// Drop the part under a JSON key (used for link-only licences).
    pub fn remove(&mut self, key: &str) {
        self.parts.retain(|(_, k, _)| *k != key);
    }
}

impl Serialize for GeneAnnotations {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        let mut map = s.serialize_map(Some(self.parts.len()))?;
        for (_, key, part) in &self.parts {
            let raw = part.to_raw().map_err(S::Error::custom)?;
            map.serialize_entry(key, &raw)?;
        }
        map.end()
    }
}

/// Read back as written: each key is an annotation's JSON key (see
/// [`crate::registry::ANNOTATIONS`]), its value that annotation's part. Unknown keys are an
/// error (a fixture or an old file naming an annotation kgdb no longer has).
impl<'de> Deserialize<'de> for GeneAnnotations {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let raw: std::collections::BTreeMap<String, Box<RawValue>> =
            std::collections::BTreeMap::deserialize(d)?;
        let mut out = GeneAnnotations::default();
        for (key, json) in raw {
            let entry = crate::registry::ANNOTATIONS
                .iter()
                .find(|e| e.part.key == key)
                .ok_or_else(|| D::Error::custom(format!("unknown annotation key `{key}`")))?;
            let part = (entry.part.parse)(json.get())
                .map_err(|e| D::Error::custom(format!("annotation `{key}`: {e}")))?;
            out.put(entry.part.key, part);
        }
        Ok(out)
    }
}
