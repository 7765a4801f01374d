//! The annotation data model: what kgdb stores and shows for a gene besides its evidence.
//!
//! Why: every annotation stages one typed *part* per gene (as the JSON `details` of its
//! staged row), the store keeps it per (HGNC id, annotation) after normalization, and the
//! site, `genes.json` and `annotations.csv` read the same part through its module. The part
//! types live in their modules, behind [`Part`]; [`crate::gene_annotations::GeneAnnotations`]
//! (above the registry, which it needs for the order of the keys) holds a gene's parts. A
//! part is absent when its source has nothing for the gene; values are as upstream reported
//! them (no rescaling).

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

/// A part behind the trait (what a gene's annotations hold); its module downcasts it with
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

/// An ontology term or disease with its label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    pub name: String,
}
