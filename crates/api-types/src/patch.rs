//! PATCH bodies must tell "field absent" (leave it) from "field: null" (clear it).
//! A nullable field is `Option<Option<T>>` with `#[serde(default, deserialize_with = "patch::some")]`:
//! absent → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.

use serde::{Deserialize, Deserializer};

pub fn some<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
