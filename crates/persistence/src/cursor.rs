//! Keyset cursors: the sort value and id of the last row of a page, opaque to clients.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use crm_domain::{FieldErrors, Violation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The position after which the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The last row's sort value, as text (RFC 3339 for times).
    #[serde(rename = "v")]
    pub value: String,
    #[serde(rename = "i")]
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// A cursor the client altered or invented is a 422 on `cursor`, not a 500.
    pub fn decode(text: &str) -> Result<Self, FieldErrors> {
        URL_SAFE_NO_PAD
            .decode(text)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| FieldErrors::single("cursor", Violation::InvalidFormat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_a_field_error() {
        let cursor = Cursor {
            value: "2026-11-23T08:00:00Z".into(),
            id: Uuid::from_u128(9),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
        assert!(Cursor::decode("not a cursor").is_err());
        assert!(
            Cursor::decode("e30").is_err(),
            "valid base64 of {{}} lacks the fields"
        );
    }
}
