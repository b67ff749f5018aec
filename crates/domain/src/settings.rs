//! Tenant settings: their defaults and the rules an admin's edit must satisfy.

use crm_api_types::settings::{Choice, CreditCheckMode, QualificationField, UpdateSettingsRequest};
use serde::{Deserialize, Serialize};

use crate::validation::{FieldErrors, Violation};

/// What a tenant configured. Stored as one JSON document per tenant; a field missing from an
/// older document takes its default, so adding a setting needs no data migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lead_qualification_fields: Vec<QualificationField>,
    pub disqualify_reasons: Vec<Choice>,
    pub customer_tiers: Vec<Choice>,
    pub lost_reasons: Vec<Choice>,
    pub pool_return_days: u32,
    pub pool_warning_days: u32,
    pub pool_claim_limit: u32,
    pub credit_check_mode: CreditCheckMode,
    pub webhook_allowed_hosts: Vec<String>,
    pub forecast_commit_probability: u8,
}

fn choices(pairs: &[(&str, &str)]) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(key, label)| Choice {
            key: (*key).to_owned(),
            label: (*label).to_owned(),
        })
        .collect()
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lead_qualification_fields: vec![
                QualificationField::Mobile,
                QualificationField::Industry,
            ],
            disqualify_reasons: choices(&[
                ("no_need", "无需求"),
                ("no_budget", "无预算"),
                ("unreachable", "无法联系"),
                ("duplicate", "重复线索"),
                ("competitor", "同行/竞争对手"),
                ("other", "其他"),
            ]),
            customer_tiers: choices(&[
                ("A", "A 类（重点）"),
                ("B", "B 类（普通）"),
                ("C", "C 类（一般）"),
            ]),
            lost_reasons: choices(&[
                ("price", "价格偏高"),
                ("product_fit", "产品不满足需求"),
                ("relationship", "竞争对手关系更好"),
                ("delivery", "交期/服务不满足"),
                ("budget_cut", "预算取消"),
                ("project_cancelled", "项目取消/延期"),
                ("other", "其他"),
            ]),
            pool_return_days: 30,
            pool_warning_days: 3,
            pool_claim_limit: 200,
            credit_check_mode: CreditCheckMode::default(),
            webhook_allowed_hosts: Vec::new(),
            // 商务谈判 and later in the standard pipeline.
            forecast_commit_probability: 75,
        }
    }
}

/// Most entries an allow-list takes.
const ALLOWED_HOSTS_MAX: usize = 50;

fn allowed_hosts(hosts: &[String], errors: &mut FieldErrors) -> Vec<String> {
    if hosts.len() > ALLOWED_HOSTS_MAX {
        errors.add(
            "webhook_allowed_hosts",
            Violation::OutOfRange {
                min: 0,
                max: ALLOWED_HOSTS_MAX as i64,
            },
        );
    }
    let hosts: Vec<String> = hosts
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if let Err((index, violation)) = crate::webhook::AllowList::parse(&hosts) {
        errors.add(&format!("webhook_allowed_hosts[{index}]"), violation);
    }
    hosts
}

impl Settings {
    /// The hosts and networks webhooks may reach although internal.
    pub fn webhook_allow_list(&self) -> crate::webhook::AllowList {
        crate::webhook::AllowList::parse(&self.webhook_allowed_hosts).unwrap_or_default()
    }

    /// Applies an admin's edit: each list given replaces the current one after validation.
    pub fn apply(&self, update: &UpdateSettingsRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut next = self.clone();
        if let Some(fields) = &update.lead_qualification_fields {
            let mut fields = fields.clone();
            fields.sort();
            fields.dedup();
            next.lead_qualification_fields = fields;
        }
        if let Some(reasons) = &update.disqualify_reasons {
            next.disqualify_reasons = check_choices(&mut errors, "disqualify_reasons", reasons, 30);
        }
        if let Some(tiers) = &update.customer_tiers {
            next.customer_tiers = check_choices(&mut errors, "customer_tiers", tiers, 10);
        }
        if let Some(reasons) = &update.lost_reasons {
            next.lost_reasons = check_choices(&mut errors, "lost_reasons", reasons, 30);
        }
        let mut number = |field: &str, value: Option<u32>, min: u32, max: u32, target: &mut u32| {
            if let Some(value) = value {
                if !(min..=max).contains(&value) {
                    errors.add(
                        field,
                        Violation::OutOfRange {
                            min: i64::from(min),
                            max: i64::from(max),
                        },
                    );
                }
                *target = value;
            }
        };
        number(
            "pool_return_days",
            update.pool_return_days,
            0,
            3650,
            &mut next.pool_return_days,
        );
        number(
            "pool_warning_days",
            update.pool_warning_days,
            0,
            30,
            &mut next.pool_warning_days,
        );
        number(
            "pool_claim_limit",
            update.pool_claim_limit,
            1,
            100_000,
            &mut next.pool_claim_limit,
        );
        if let Some(mode) = update.credit_check_mode {
            next.credit_check_mode = mode;
        }
        if let Some(probability) = update.forecast_commit_probability {
            if probability > 100 {
                errors.add(
                    "forecast_commit_probability",
                    Violation::OutOfRange { min: 0, max: 100 },
                );
            }
            next.forecast_commit_probability = probability;
        }
        if let Some(hosts) = &update.webhook_allowed_hosts {
            next.webhook_allowed_hosts = allowed_hosts(hosts, &mut errors);
        }
        if next.pool_return_days > 0 && next.pool_warning_days >= next.pool_return_days {
            errors.add(
                "pool_warning_days",
                Violation::OutOfRange {
                    min: 0,
                    max: i64::from(next.pool_return_days) - 1,
                },
            );
        }
        errors.finish(next)
    }

    pub fn is_disqualify_reason(&self, key: &str) -> bool {
        self.disqualify_reasons.iter().any(|c| c.key == key)
    }

    pub fn is_lost_reason(&self, key: &str) -> bool {
        self.lost_reasons.iter().any(|c| c.key == key)
    }

    pub fn is_customer_tier(&self, key: &str) -> bool {
        self.customer_tiers.iter().any(|c| c.key == key)
    }
}

/// 1..=`max` choices, keys well formed and distinct, labels 1–50 characters.
fn check_choices(
    errors: &mut FieldErrors,
    field: &str,
    choices: &[Choice],
    max: usize,
) -> Vec<Choice> {
    if choices.is_empty() {
        errors.add(field, Violation::Required);
    } else if choices.len() > max {
        errors.add(
            field,
            Violation::OutOfRange {
                min: 1,
                max: max as i64,
            },
        );
    }
    let mut out: Vec<Choice> = Vec::with_capacity(choices.len());
    for (i, choice) in choices.iter().enumerate() {
        let key = choice.key.trim();
        let well_formed = (1..=40).contains(&key.len())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !well_formed {
            errors.add(&format!("{field}[{i}].key"), Violation::InvalidFormat);
        } else if out.iter().any(|c| c.key == key) {
            errors.add(&format!("{field}[{i}].key"), Violation::Duplicate);
        }
        let label = errors.required_text(&format!("{field}[{i}].label"), &choice.label, 50);
        out.push(Choice {
            key: key.to_owned(),
            label,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_stored_document_takes_defaults_for_what_it_lacks() {
        let stored: Settings = serde_json::from_str(r#"{"lead_qualification_fields":["email"]}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            stored.lead_qualification_fields,
            vec![QualificationField::Email]
        );
        assert_eq!(stored.customer_tiers, Settings::default().customer_tiers);
    }

    #[test]
    fn choice_lists_need_distinct_well_formed_keys() {
        let update = UpdateSettingsRequest {
            customer_tiers: Some(choices(&[("A", "重点"), ("A", "又一个"), ("b c", "空格")])),
            disqualify_reasons: Some(Vec::new()),
            ..Default::default()
        };
        let errors = Settings::default().apply(&update).err().unwrap_or_default();
        let found: Vec<_> = errors
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("disqualify_reasons".to_owned(), "required"),
                ("customer_tiers[1].key".to_owned(), "duplicate"),
                ("customer_tiers[2].key".to_owned(), "invalid_format"),
            ]
        );
    }
}
