//! Activities (跟进记录) and the tasks that remind an owner of the next follow-up.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use crm_api_types::activities::{ActivityKind, CreateActivityRequest, CreateTaskRequest};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::validation::{FieldErrors, Violation};

/// The record an activity or task is about: exactly one, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Lead(Uuid),
    Customer(Uuid),
}

impl Subject {
    /// The one id given; `None` when neither is. Both is an error on `customer_id`.
    fn parse(
        errors: &mut FieldErrors,
        lead_id: Option<Uuid>,
        customer_id: Option<Uuid>,
    ) -> Option<Self> {
        match (lead_id, customer_id) {
            (Some(lead), None) => Some(Self::Lead(lead)),
            (None, Some(customer)) => Some(Self::Customer(customer)),
            (Some(_), Some(_)) => {
                errors.add("customer_id", Violation::MutuallyExclusive);
                None
            }
            (None, None) => None,
        }
    }

    pub fn lead_id(self) -> Option<Uuid> {
        match self {
            Self::Lead(id) => Some(id),
            Self::Customer(_) => None,
        }
    }

    pub fn customer_id(self) -> Option<Uuid> {
        match self {
            Self::Customer(id) => Some(id),
            Self::Lead(_) => None,
        }
    }
}

const SUBJECT_MAX: usize = 200;
const CONTACTS_MAX: usize = 20;

/// A valid activity as a user records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFields {
    pub kind: ActivityKind,
    pub occurred_at: DateTime<Utc>,
    pub subject_line: String,
    pub notes: Option<String>,
    pub outcome: Option<String>,
    pub about: Subject,
    /// The customer's opportunity it was about; `about` is then that customer.
    pub opportunity_id: Option<Uuid>,
    pub contact_ids: Vec<Uuid>,
    pub next_follow_up_on: Option<NaiveDate>,
}

impl ActivityFields {
    /// `now` is the server's clock: an activity records what happened, so it may not lie more
    /// than a day in the future, and a follow-up may not be planned before the activity.
    pub fn parse_new(
        request: &CreateActivityRequest,
        now: DateTime<Utc>,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let occurred_at = request.occurred_at.unwrap_or(now);
        if occurred_at > now + Duration::days(1) {
            errors.add("occurred_at", Violation::InvalidFormat);
        }
        let subject_line = errors.required_text("subject", &request.subject, SUBJECT_MAX);
        let notes = errors.optional_text("notes", request.notes.as_deref(), 5000);
        let outcome = errors.optional_text("outcome", request.outcome.as_deref(), 500);
        let about = Subject::parse(&mut errors, request.lead_id, request.customer_id);
        if about.is_none() && request.lead_id.is_none() {
            errors.add("customer_id", Violation::Required);
        }
        if request.opportunity_id.is_some() && request.lead_id.is_some() {
            errors.add("opportunity_id", Violation::MutuallyExclusive);
        }
        let mut contact_ids = request.contact_ids.clone();
        contact_ids.sort();
        contact_ids.dedup();
        if contact_ids.len() > CONTACTS_MAX {
            errors.add(
                "contact_ids",
                Violation::OutOfRange {
                    min: 0,
                    max: CONTACTS_MAX as i64,
                },
            );
        } else if !contact_ids.is_empty() && request.customer_id.is_none() {
            errors.add("contact_ids", Violation::NotFound);
        }
        if request
            .next_follow_up_on
            .is_some_and(|day| day < occurred_at.date_naive())
        {
            errors.add("next_follow_up_on", Violation::InvalidFormat);
        }
        let fields = about.map(|about| Self {
            kind: request.kind,
            occurred_at,
            subject_line,
            notes,
            outcome,
            about,
            opportunity_id: request.opportunity_id,
            contact_ids,
            next_follow_up_on: request.next_follow_up_on,
        });
        match fields {
            Some(fields) => errors.finish(fields),
            None => Err(errors),
        }
    }

    /// The reminder this activity leaves for the record's owner, if it planned a follow-up.
    pub fn follow_up(&self) -> Option<TaskFields> {
        self.next_follow_up_on.map(|due_on| TaskFields {
            subject_line: format!("跟进：{}", self.subject_line)
                .chars()
                .take(SUBJECT_MAX)
                .collect(),
            due_on,
            about: Some(self.about),
        })
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "kind": self.kind.as_str(),
            "occurred_at": self.occurred_at,
            "subject": self.subject_line,
            "notes": self.notes,
            "outcome": self.outcome,
            "lead_id": self.about.lead_id(),
            "customer_id": self.about.customer_id(),
            "opportunity_id": self.opportunity_id,
            "contact_ids": self.contact_ids,
            "next_follow_up_on": self.next_follow_up_on,
        })
    }
}

/// A valid task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFields {
    pub subject_line: String,
    pub due_on: NaiveDate,
    pub about: Option<Subject>,
}

impl TaskFields {
    pub fn parse_new(request: &CreateTaskRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let subject_line = errors.required_text("subject", &request.subject, SUBJECT_MAX);
        let about = Subject::parse(&mut errors, request.lead_id, request.customer_id);
        errors.finish(Self {
            subject_line,
            due_on: request.due_on,
            about,
        })
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "subject": self.subject_line,
            "due_on": self.due_on,
            "lead_id": self.about.and_then(Subject::lead_id),
            "customer_id": self.about.and_then(Subject::customer_id),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateActivityRequest {
        CreateActivityRequest {
            kind: ActivityKind::Visit,
            occurred_at: None,
            subject: "上门拜访".to_owned(),
            notes: None,
            outcome: Some("有扩产计划".to_owned()),
            lead_id: None,
            customer_id: Some(Uuid::from_u128(9)),
            opportunity_id: None,
            contact_ids: vec![Uuid::from_u128(3)],
            next_follow_up_on: NaiveDate::from_ymd_opt(2026, 12, 1),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T08:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn an_activity_with_a_next_date_leaves_a_task() {
        let activity =
            ActivityFields::parse_new(&request(), now()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(activity.occurred_at, now(), "defaults to now");
        let task = activity.follow_up().unwrap_or_else(|| panic!("a task"));
        assert_eq!(
            task.due_on,
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
        );
        assert_eq!(task.about, Some(Subject::Customer(Uuid::from_u128(9))));
        assert_eq!(task.subject_line, "跟进：上门拜访");
    }

    #[test]
    fn an_activity_is_about_exactly_one_record() {
        let mut neither = request();
        neither.customer_id = None;
        neither.contact_ids.clear();
        let errors = ActivityFields::parse_new(&neither, now())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors.iter().next(),
            Some(("customer_id", Violation::Required))
        );

        let mut both = request();
        both.lead_id = Some(Uuid::from_u128(1));
        assert!(ActivityFields::parse_new(&both, now()).is_err());
    }

    #[test]
    fn the_future_and_a_follow_up_before_the_activity_are_refused() {
        let mut bad = request();
        bad.occurred_at = Some(now() + Duration::days(3));
        bad.next_follow_up_on = NaiveDate::from_ymd_opt(2026, 11, 1);
        let errors = ActivityFields::parse_new(&bad, now())
            .err()
            .unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["occurred_at", "next_follow_up_on"]);
    }
}
