//! The annotation data model: what kgdb stores and shows for a gene besides its evidence.
//!
//! Why: every annotation stages one typed *part* per gene (as the JSON `details` of its
//! staged row), the store keeps it per (HGNC id, annotation) after normalization, and the
//! site, `genes.json` and `annotations.csv` read the same part through its module. The part
//! types live in their modules; [`GeneAnnotations`] holds them by JSON key, in registry
//! order, so the JSON shape (`{"hpo": …, "constraint": …}`) is that of one struct with a field
//! per annotation while no code outside a module names its part. A part is absent when its
//! source has nothing for the gene; values are as upstream reported them (no rescaling).

use std::any::Any;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// An annotation's typed part: a plain serde struct with its JSON key.
pub trait PartType:
    Serialize + DeserializeOwned + Clone + fmt::Debug + PartialEq + Send + Sync + 'static
{
    /// The key under a gene's `annotations` (`constraint` for gnomAD).
    const KEY: &'static str;
}

/// A part behind the trait (what [`GeneAnnotations`] holds); its module downcasts it with
/// [`part_of`].
pub trait Part: fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn clone_box(&self) -> Box<dyn Part>;
    /// The part as JSON text, fields in declaration order.
    fn to_raw(&self) -> Result<Box<RawValue>, serde_json::Error>;
}

impl<T: PartType> Part for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn clone_box(&self) -> Box<dyn Part> {
        Box::new(self.clone())
    }
    fn to_raw(&self) -> Result<Box<RawValue>, serde_json::Error> {
        serde_json::value::to_raw_value(self)
    }
}

/// The part of a module's own type, if `part` is one.
pub fn part_of<T: PartType>(part: &dyn Part) -> Option<&T> {
    part.as_any().downcast_ref::<T>()
}

/// What an annotation stores for a gene, known statically (a registry entry's `part`).
#[derive(Clone, Copy)]
pub struct PartKind {
    /// The JSON key under a gene's `annotations`.
    pub key: &'static str,
    /// Read a stored part (the `details` JSON of its staged row).
    pub parse: fn(&str) -> Result<Box<dyn Part>, serde_json::Error>,
}

impl PartKind {
    pub const fn of<T: PartType>() -> PartKind {
        PartKind {
            key: T::KEY,
            parse: parse_part::<T>,
        }
    }
}

fn parse_part<T: PartType>(json: &str) -> Result<Box<dyn Part>, serde_json::Error> {
    Ok(Box::new(serde_json::from_str::<T>(json)?))
}

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

/// An ontology term or disease with its label.
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

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    pub name: String,
}
