//! A lead's editable fields and the rules that make them valid.

use crm_api_types::leads::{CreateLeadRequest, LeadSource, LeadStatus, UpdateLeadRequest};
use serde_json::{Value, json};
use uuid::Uuid;

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
    pub owner_id: Uuid,
    pub notes: Option<String>,
}

/// A lead as stored: its fields plus what the system keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub id: Uuid,
    pub fields: LeadFields,
    pub status: LeadStatus,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub created_by: Uuid,
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
            owner_id: request.owner_id.unwrap_or(caller_id),
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
            next.owner_id = v;
        }
        if let Some(v) = &patch.notes {
            next.notes = errors.optional_text("notes", v.as_deref(), NOTES_MAX);
        }
        errors.finish(next)
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
        assert_eq!(lead.owner_id, me);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad = request();
        bad.company_name = String::new();
        bad.email = Some("wanglei@".to_owned());
        bad.mobile = Some("12345".to_owned());
        let errors = LeadFields::parse_new(&bad, Uuid::nil()).err().unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|(f, v)| (f, v.code())).collect();
        assert_eq!(
            fields,
            vec![("company_name", "required"), ("mobile", "invalid_format"), ("email", "invalid_format")]
        );
    }

    #[test]
    fn a_patch_leaves_absent_fields_clears_nulls_and_refuses_status() {
        let lead = LeadFields::parse_new(&request(), Uuid::nil()).unwrap_or_else(|e| panic!("{e:?}"));
        let patch = UpdateLeadRequest { region: Some(None), contact_name: Some("李娜".to_owned()), ..Default::default() };
        let next = lead.apply(&patch).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(next.region, None);
        assert_eq!(next.contact_name, "李娜");
        assert_eq!(next.email, lead.email);

        let status = UpdateLeadRequest { status: Some(LeadStatus::New), ..Default::default() };
        let errors = lead.apply(&status).err().unwrap_or_default();
        assert_eq!(errors.iter().next(), Some(("status", Violation::ReadOnly)));
    }
}
