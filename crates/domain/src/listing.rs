//! The rules every list endpoint shares: page size and sort parameters.

use crate::validation::{FieldErrors, Violation};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// `limit` defaults to 50; 0 or more than 200 is refused, never silently capped.
pub fn parse_limit(limit: Option<u32>) -> Result<u64, FieldErrors> {
    match limit.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=MAX_LIMIT => Ok(u64::from(n)),
        _ => Err(FieldErrors::single(
            "limit",
            Violation::OutOfRange {
                min: 1,
                max: i64::from(MAX_LIMIT),
            },
        )),
    }
}

/// A sort parameter: a key the list offers, ascending or (with `-`) descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<K> {
    pub key: K,
    pub descending: bool,
}

/// Parses `sort` against the keys a list offers (`keys` pairs each name with its key).
pub fn parse_sort<K: Copy>(
    sort: Option<&str>,
    keys: &[(&str, K)],
    default: Sort<K>,
) -> Result<Sort<K>, FieldErrors> {
    let Some(sort) = sort else { return Ok(default) };
    let (name, descending) = match sort.strip_prefix('-') {
        Some(name) => (name, true),
        None => (sort, false),
    };
    keys.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, key)| Sort {
            key: *key,
            descending,
        })
        .ok_or_else(|| FieldErrors::single("sort", Violation::UnknownValue))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_outside_one_to_two_hundred_are_refused() {
        assert_eq!(parse_limit(None), Ok(50));
        assert_eq!(parse_limit(Some(200)), Ok(200));
        assert!(parse_limit(Some(201)).is_err());
        assert!(parse_limit(Some(0)).is_err());
    }

    #[test]
    fn sort_names_a_known_key_with_an_optional_minus() {
        let keys = [("created_at", 1), ("company_name", 2)];
        let default = Sort {
            key: 1,
            descending: true,
        };
        assert_eq!(parse_sort(None, &keys, default), Ok(default));
        assert_eq!(
            parse_sort(Some("company_name"), &keys, default),
            Ok(Sort {
                key: 2,
                descending: false
            })
        );
        assert_eq!(
            parse_sort(Some("-created_at"), &keys, default),
            Ok(Sort {
                key: 1,
                descending: true
            })
        );
        assert!(parse_sort(Some("password_hash"), &keys, default).is_err());
    }
}
