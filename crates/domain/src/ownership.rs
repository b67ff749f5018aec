//! Who gets a record: assignment rules (分配规则) and the pool (公海) clock.

use chrono::{DateTime, Duration, Utc};
use crm_api_types::ownership::AssignmentRuleRequest;
use uuid::Uuid;

use crate::settings::Settings;
use crate::validation::{FieldErrors, Violation};

/// Where a rule sends a matching lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleTarget {
    User(Uuid),
    /// Round-robin among the department's users who may work leads.
    Department(Uuid),
}

/// A valid assignment rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFields {
    pub position: Option<i32>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub target: RuleTarget,
}

impl RuleFields {
    pub fn parse(request: &AssignmentRuleRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let region = errors.optional_text("region", request.region.as_deref(), 50);
        let industry = errors.optional_text("industry", request.industry.as_deref(), 50);
        let target = match (request.user_id, request.department_id) {
            (Some(user), None) => Some(RuleTarget::User(user)),
            (None, Some(department)) => Some(RuleTarget::Department(department)),
            (Some(_), Some(_)) => {
                errors.add("department_id", Violation::MutuallyExclusive);
                None
            }
            (None, None) => {
                errors.add("user_id", Violation::Required);
                None
            }
        };
        match target {
            Some(target) => errors.finish(Self {
                position: request.position,
                region,
                industry,
                target,
            }),
            None => Err(errors),
        }
    }

    /// A rule matches when each of its conditions equals the lead's value; no condition
    /// matches anything.
    pub fn matches(&self, region: Option<&str>, industry: Option<&str>) -> bool {
        let fits = |condition: &Option<String>, value: Option<&str>| {
            condition.as_deref().is_none_or(|c| Some(c) == value)
        };
        fits(&self.region, region) && fits(&self.industry, industry)
    }
}

/// The next user in a rotation: the one after `last` in `candidates` (sorted, so the order
/// is stable as people join and leave), wrapping around; the first when `last` is gone.
pub fn next_in_rotation(candidates: &[Uuid], last: Option<Uuid>) -> Option<Uuid> {
    let mut sorted = candidates.to_vec();
    sorted.sort();
    let after = last.and_then(|last| sorted.iter().find(|c| **c > last).copied());
    after.or_else(|| sorted.first().copied())
}

/// When a customer last followed up at `clock` leaves its owner, and when the owner is warned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolDeadlines {
    pub warn_before: DateTime<Utc>,
    pub return_before: DateTime<Utc>,
}

impl PoolDeadlines {
    /// Clocks older than these instants are due, as of `now`; `None` when returns are off.
    pub fn as_of(settings: &Settings, now: DateTime<Utc>) -> Option<Self> {
        let days = i64::from(settings.pool_return_days);
        (days > 0).then(|| Self {
            return_before: now - Duration::days(days),
            warn_before: now - Duration::days(days - i64::from(settings.pool_warning_days)),
        })
    }

    /// The day a customer whose clock reads `clock` returns to the pool.
    pub fn return_date(settings: &Settings, clock: DateTime<Utc>) -> chrono::NaiveDate {
        (clock + Duration::days(i64::from(settings.pool_return_days))).date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_matches_on_the_conditions_it_has() {
        let rule = RuleFields {
            position: None,
            region: Some("华东".into()),
            industry: None,
            target: RuleTarget::User(Uuid::nil()),
        };
        assert!(rule.matches(Some("华东"), Some("机械")));
        assert!(rule.matches(Some("华东"), None));
        assert!(!rule.matches(Some("华南"), Some("机械")));
        assert!(!rule.matches(None, None));
    }

    #[test]
    fn a_rule_needs_exactly_one_target() {
        let both = AssignmentRuleRequest {
            user_id: Some(Uuid::nil()),
            department_id: Some(Uuid::nil()),
            ..Default::default()
        };
        assert_eq!(
            RuleFields::parse(&both)
                .err()
                .unwrap_or_default()
                .iter()
                .next(),
            Some(("department_id", Violation::MutuallyExclusive))
        );
        let neither = AssignmentRuleRequest::default();
        assert_eq!(
            RuleFields::parse(&neither)
                .err()
                .unwrap_or_default()
                .iter()
                .next(),
            Some(("user_id", Violation::Required))
        );
    }

    #[test]
    fn the_rotation_moves_on_and_wraps_around() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(next_in_rotation(&[c, a, b], None), Some(a));
        assert_eq!(next_in_rotation(&[c, a, b], Some(a)), Some(b));
        assert_eq!(next_in_rotation(&[c, a, b], Some(c)), Some(a));
        assert_eq!(
            next_in_rotation(&[a, c], Some(b)),
            Some(c),
            "a departed user's successor"
        );
        assert_eq!(next_in_rotation(&[], Some(a)), None);
    }

    #[test]
    fn the_pool_clock_warns_before_it_returns() {
        let settings = Settings {
            pool_return_days: 30,
            pool_warning_days: 3,
            ..Settings::default()
        };
        let now = DateTime::parse_from_rfc3339("2026-11-23T00:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let deadlines = PoolDeadlines::as_of(&settings, now).unwrap_or_else(|| panic!("on"));
        assert_eq!(deadlines.return_before, now - Duration::days(30));
        assert_eq!(deadlines.warn_before, now - Duration::days(27));
        assert!(
            PoolDeadlines::as_of(
                &Settings {
                    pool_return_days: 0,
                    ..settings.clone()
                },
                now
            )
            .is_none()
        );
        assert_eq!(
            PoolDeadlines::return_date(&settings, now).to_string(),
            "2026-12-23"
        );
    }
}
