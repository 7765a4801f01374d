//! One block of `sources.yaml`, deserialized on its own.
//!
//! Why: a source module owns the type of its settings (see [`crate::sources`]), so the
//! config loader cannot name those types. Each module asks for its block by path
//! (`sources.<name>`) and gets it typed, with `deny_unknown_fields` and the line numbers of
//! the whole file intact (the block is read from the same text, not from a copy).

use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// Deserialize the value at `path` (map keys from the document root) as `T`; `None` when a
/// key on the path is absent.
pub(super) fn pick<T: DeserializeOwned>(
    text: &str,
    path: &[&str],
) -> Result<Option<T>, serde_saphyr::Error> {
    serde_saphyr::with_deserializer_from_str(text, |de| {
        Pick::<T> {
            path,
            t: PhantomData,
        }
        .deserialize(de)
    })
}

struct Pick<'p, T> {
    path: &'p [&'p str],
    t: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Pick<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        if self.path.is_empty() {
            return T::deserialize(d).map(Some);
        }
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Pick<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a map with the key `{}`", self.path[0])
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let mut out = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.path[0] {
                out = map.next_value_seed(Pick::<T> {
                    path: &self.path[1..],
                    t: PhantomData,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Block {
        url: serde_saphyr::Spanned<String>,
    }

    #[test]
    fn picks_a_nested_block_with_its_line_and_rejects_unknown_keys() {
        let text = "http:\n  x: 1\nsources:\n  a:\n    url: one\n  b:\n    url: two\n";
        let b: Block = pick(text, &["sources", "b"]).unwrap().unwrap();
        assert_eq!(b.url.value, "two");
        assert_eq!(b.url.referenced.line(), 7);
        assert!(pick::<Block>(text, &["sources", "c"]).unwrap().is_none());
        let bad = "sources:\n  a:\n    url: one\n    typo: 1\n";
        let e = pick::<Block>(bad, &["sources", "a"]).unwrap_err();
        assert!(e.to_string().contains("typo"), "{e}");
        assert_eq!(e.location().map(|l| l.line()), Some(4));
    }
}
