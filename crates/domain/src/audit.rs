//! What the audit log records about a write: the action and each field's old and new value.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Created,
    Updated,
    Deleted,
    Disabled,
    Enabled,
    /// A lifecycle action changed the status (qualify, disqualify, …).
    StatusChanged,
    Converted,
    /// Another record was merged into this one, or this one into another.
    Merged,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
            Self::Disabled => "disabled",
            Self::Enabled => "enabled",
            Self::StatusChanged => "status_changed",
            Self::Converted => "converted",
            Self::Merged => "merged",
        }
    }
}

/// One changed field.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// The fields whose values differ between two JSON objects (a missing key counts as `null`),
/// in the order of `new`'s keys then any keys only `old` has.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let mut changes: Vec<Change> = new
        .iter()
        .filter(|(key, value)| old.get(*key).unwrap_or(&Value::Null) != *value)
        .map(|(key, value)| Change {
            field: key.clone(),
            old: old.get(key).cloned().unwrap_or(Value::Null),
            new: value.clone(),
        })
        .collect();
    changes.extend(
        old.iter()
            .filter(|(key, value)| !new.contains_key(*key) && !value.is_null())
            .map(|(key, value)| Change {
                field: key.clone(),
                old: value.clone(),
                new: Value::Null,
            }),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_recorded() {
        let old = json!({"company_name": "甲", "email": null, "region": "华东"});
        let new = json!({"company_name": "乙", "email": null, "region": "华东"});
        assert_eq!(
            diff(&old, &new),
            vec![Change {
                field: "company_name".into(),
                old: json!("甲"),
                new: json!("乙")
            }]
        );
    }

    #[test]
    fn a_creation_records_every_set_field_from_null() {
        let changes = diff(&Value::Null, &json!({"company_name": "甲", "email": null}));
        assert_eq!(
            changes,
            vec![Change {
                field: "company_name".into(),
                old: Value::Null,
                new: json!("甲")
            }]
        );
    }
}
