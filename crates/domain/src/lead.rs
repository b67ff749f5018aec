//! A lead's editable fields and the rules that make them valid.

use chrono::{DateTime, Utc};
use crm_api_types::leads::{CreateLeadRequest, LeadSource, LeadStatus, UpdateLeadRequest};
use crm_api_types::settings::QualificationField;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Error;
use crate::validation::{FieldErrors, Violation, parse_email, parse_mobile, parse_phone};

/// Everything about a lead that a user edits. A value of this type is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFields {
    pub company_name: String,
    pub contact_name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub source: LeadSource,
    pub region: Option<String>,
    pub industry: Option<String>,
    /// `None`: in the pool (公海).
    pub owner_id: Option<Uuid>,
    pub notes: Option<String>,
}

/// A lead as stored: its fields plus what the system keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub id: Uuid,
    pub fields: LeadFields,
    pub status: LeadStatus,
    pub progress: LeadProgress,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
}

/// What the lifecycle actions recorded on a lead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadProgress {
    pub disqualify_reason: Option<String>,
    pub disqualify_note: Option<String>,
    pub qualified_at: Option<DateTime<Utc>>,
    pub converted_at: Option<DateTime<Utc>>,
    pub customer_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub last_activity_at: Option<DateTime<Utc>>,
}

/// The actions that move a lead between states; the only way its status changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadAction {
    /// 开始跟进 (also taken by the first activity logged on a new lead).
    StartWorking,
    Qualify,
    Disqualify,
    /// A disqualified lead gets another chance.
    Reopen,
    Convert,
}

impl LeadAction {
    /// The state `self` leads to from `from`; a `409 invalid_transition` otherwise.
    pub fn target(self, from: LeadStatus) -> Result<LeadStatus, Error> {
        use LeadStatus::{Converted, Disqualified, New, Qualified, Working};
        match (self, from) {
            (Self::StartWorking, New) => Ok(Working),
            (Self::Qualify, New | Working) => Ok(Qualified),
            (Self::Disqualify, New | Working | Qualified) => Ok(Disqualified),
            (Self::Reopen, Disqualified) => Ok(Working),
            (Self::Convert, Qualified) => Ok(Converted),
            _ => Err(Error::Conflict {
                code: "invalid_transition",
                field: Some("status"),
            }),
        }
    }
}

const COMPANY_MAX: usize = 200;
const NAME_MAX: usize = 100;
const SHORT_MAX: usize = 50;
const NOTES_MAX: usize = 5000;

impl LeadFields {
    /// Validates a create request; the owner defaults to `caller_id`.
    pub fn parse_new(request: &CreateLeadRequest, caller_id: Uuid) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let fields = Self {
            company_name: errors.required_text("company_name", &request.company_name, COMPANY_MAX),
            contact_name: errors.required_text("contact_name", &request.contact_name, NAME_MAX),
            title: errors.optional_text("title", request.title.as_deref(), NAME_MAX),
            phone: errors.optional_parsed("phone", request.phone.as_deref(), 40, parse_phone),
            mobile: errors.optional_parsed("mobile", request.mobile.as_deref(), 20, parse_mobile),
            email: errors.optional_parsed("email", request.email.as_deref(), 254, parse_email),
            source: request.source,
            region: errors.optional_text("region", request.region.as_deref(), SHORT_MAX),
            industry: errors.optional_text("industry", request.industry.as_deref(), SHORT_MAX),
            owner_id: Some(request.owner_id.unwrap_or(caller_id)),
            notes: errors.optional_text("notes", request.notes.as_deref(), NOTES_MAX),
        };
        errors.finish(fields)
    }

    /// Applies a PATCH: absent fields stay, `null` clears, values are validated as on create.
    pub fn apply(&self, patch: &UpdateLeadRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if patch.status.is_some() {
            errors.add("status", Violation::ReadOnly);
        }
        let mut next = self.clone();
        if let Some(v) = &patch.company_name {
            next.company_name = errors.required_text("company_name", v, COMPANY_MAX);
        }
        if let Some(v) = &patch.contact_name {
            next.contact_name = errors.required_text("contact_name", v, NAME_MAX);
        }
        if let Some(v) = &patch.title {
            next.title = errors.optional_text("title", v.as_deref(), NAME_MAX);
        }
        if let Some(v) = &patch.phone {
            next.phone = errors.optional_parsed("phone", v.as_deref(), 40, parse_phone);
        }
        if let Some(v) = &patch.mobile {
            next.mobile = errors.optional_parsed("mobile", v.as_deref(), 20, parse_mobile);
        }
        if let Some(v) = &patch.email {
            next.email = errors.optional_parsed("email", v.as_deref(), 254, parse_email);
        }
        if let Some(v) = patch.source {
            next.source = v;
        }
        if let Some(v) = &patch.region {
            next.region = errors.optional_text("region", v.as_deref(), SHORT_MAX);
        }
        if let Some(v) = &patch.industry {
            next.industry = errors.optional_text("industry", v.as_deref(), SHORT_MAX);
        }
        if let Some(v) = patch.owner_id {
            next.owner_id = Some(v);
        }
        if let Some(v) = &patch.notes {
            next.notes = errors.optional_text("notes", v.as_deref(), NOTES_MAX);
        }
        errors.finish(next)
    }

    /// 线索认定规则: every field the tenant requires that is still empty, all at once.
    pub fn check_qualification(&self, required: &[QualificationField]) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for field in required {
            let filled = match field {
                QualificationField::Title => self.title.is_some(),
                QualificationField::Phone => self.phone.is_some(),
                QualificationField::Mobile => self.mobile.is_some(),
                QualificationField::Email => self.email.is_some(),
                QualificationField::Region => self.region.is_some(),
                QualificationField::Industry => self.industry.is_some(),
                QualificationField::Notes => self.notes.is_some(),
            };
            if !filled {
                errors.add(field.as_str(), Violation::Required);
            }
        }
        errors.finish(())
    }

    /// The fields as a JSON object, the shape the audit log compares.
    pub fn audit_view(&self) -> Value {
        json!({
            "company_name": self.company_name,
            "contact_name": self.contact_name,
            "title": self.title,
            "phone": self.phone,
            "mobile": self.mobile,
            "email": self.email,
            "source": self.source.as_str(),
            "region": self.region,
            "industry": self.industry,
            "owner_id": self.owner_id,
            "notes": self.notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateLeadRequest {
        CreateLeadRequest {
            company_name: " 苏州精工机械有限公司 ".to_owned(),
            contact_name: "王磊".to_owned(),
            title: Some("".to_owned()),
            phone: None,
            mobile: Some("+86 138 1234 5678".to_owned()),
            email: Some("WangLei@JingGong.cn".to_owned()),
            source: LeadSource::Exhibition,
            region: Some("华东".to_owned()),
            industry: None,
            owner_id: None,
            assign_by_rules: false,
            notes: None,
        }
    }

    #[test]
    fn a_new_lead_is_trimmed_normalized_and_owned_by_its_creator() {
        let me = Uuid::from_u128(7);
        let lead = LeadFields::parse_new(&request(), me).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(lead.company_name, "苏州精工机械有限公司");
        assert_eq!(lead.title, None, "blank optional text is stored as absent");
        assert_eq!(lead.mobile.as_deref(), Some("13812345678"));
        assert_eq!(lead.email.as_deref(), Some("wanglei@jinggong.cn"));
        assert_eq!(lead.owner_id, Some(me));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad = request();
        bad.company_name = String::new();
        bad.email = Some("wanglei@".to_owned());
        bad.mobile = Some("12345".to_owned());
        let errors = LeadFields::parse_new(&bad, Uuid::nil())
            .err()
            .unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|(f, v)| (f, v.code())).collect();
        assert_eq!(
            fields,
            vec![
                ("company_name", "required"),
                ("mobile", "invalid_format"),
                ("email", "invalid_format")
            ]
        );
    }

    #[test]
    fn a_patch_leaves_absent_fields_clears_nulls_and_refuses_status() {
        let lead =
            LeadFields::parse_new(&request(), Uuid::nil()).unwrap_or_else(|e| panic!("{e:?}"));
        let patch = UpdateLeadRequest {
            region: Some(None),
            contact_name: Some("李娜".to_owned()),
            ..Default::default()
        };
        let next = lead.apply(&patch).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(next.region, None);
        assert_eq!(next.contact_name, "李娜");
        assert_eq!(next.email, lead.email);

        let status = UpdateLeadRequest {
            status: Some(LeadStatus::New),
            ..Default::default()
        };
        let errors = lead.apply(&status).err().unwrap_or_default();
        assert_eq!(errors.iter().next(), Some(("status", Violation::ReadOnly)));
    }

    #[test]
    fn qualification_reports_every_missing_required_field() {
        let lead =
            LeadFields::parse_new(&request(), Uuid::nil()).unwrap_or_else(|e| panic!("{e:?}"));
        let required = [
            QualificationField::Mobile,
            QualificationField::Industry,
            QualificationField::Title,
        ];
        let errors = lead
            .check_qualification(&required)
            .err()
            .unwrap_or_default();
        let missing: Vec<_> = errors.iter().collect();
        assert_eq!(
            missing,
            vec![
                ("industry", Violation::Required),
                ("title", Violation::Required)
            ]
        );
        assert!(
            lead.check_qualification(&[QualificationField::Mobile])
                .is_ok()
        );
    }

    #[test]
    fn the_lifecycle_allows_only_its_transitions() {
        use LeadStatus::{Converted, Disqualified, New, Qualified, Working};
        assert_eq!(LeadAction::StartWorking.target(New).ok(), Some(Working));
        assert_eq!(LeadAction::Qualify.target(Working).ok(), Some(Qualified));
        assert_eq!(LeadAction::Convert.target(Qualified).ok(), Some(Converted));
        assert_eq!(LeadAction::Reopen.target(Disqualified).ok(), Some(Working));
        assert_eq!(
            LeadAction::Disqualify.target(Qualified).ok(),
            Some(Disqualified)
        );
        for (action, from) in [
            (LeadAction::Convert, Working),
            (LeadAction::Qualify, Converted),
            (LeadAction::Disqualify, Converted),
            (LeadAction::StartWorking, Qualified),
            (LeadAction::Reopen, New),
        ] {
            assert!(action.target(from).is_err(), "{action:?} from {from:?}");
        }
    }
}
