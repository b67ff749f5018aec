//! A customer's and a contact's editable fields and the rules that make them valid.

use chrono::NaiveDate;
use crm_api_types::customers::{
    CreateContactRequest, CreateCustomerRequest, CustomerStatus, DecisionRole,
    UpdateContactRequest, UpdateCustomerRequest,
};
use crm_api_types::leads::LeadSource;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::company::{name_core, name_key, parse_credit_code};
use crate::settings::Settings;
use crate::validation::{
    FieldErrors, Violation, parse_email, parse_mobile, parse_phone, patch_nullable as set,
};

const NAME_MAX: usize = 200;
const SHORT_MAX: usize = 50;
const PLACE_MAX: usize = 30;
const LONG_MAX: usize = 200;
const NOTES_MAX: usize = 5000;
const TAGS_MAX: usize = 20;
const TAG_MAX: usize = 20;

/// Everything about a customer that a user edits. A value of this type is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFields {
    pub name: String,
    pub short_name: Option<String>,
    pub credit_code: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub tier: Option<String>,
    pub tags: Vec<String>,
    pub source: Option<LeadSource>,
    pub status: CustomerStatus,
    pub parent_id: Option<Uuid>,
    /// `None`: in the pool (公海).
    pub owner_id: Option<Uuid>,
    pub notes: Option<String>,
}

/// The keys the database keeps unique per tenant, derived from the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerKeys {
    pub name_key: String,
    pub name_core: String,
}

impl CustomerFields {
    /// Validates a create request; the owner defaults to `caller_id`.
    pub fn parse_new(
        request: &CreateCustomerRequest,
        caller_id: Uuid,
        settings: &Settings,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let fields = Self {
            name: errors.required_text("name", &request.name, NAME_MAX),
            short_name: errors.optional_text(
                "short_name",
                request.short_name.as_deref(),
                SHORT_MAX,
            ),
            credit_code: errors.optional_parsed(
                "credit_code",
                request.credit_code.as_deref(),
                18,
                parse_credit_code,
            ),
            industry: errors.optional_text("industry", request.industry.as_deref(), SHORT_MAX),
            region: errors.optional_text("region", request.region.as_deref(), SHORT_MAX),
            province: errors.optional_text("province", request.province.as_deref(), PLACE_MAX),
            city: errors.optional_text("city", request.city.as_deref(), PLACE_MAX),
            address: errors.optional_text("address", request.address.as_deref(), LONG_MAX),
            website: errors.optional_parsed(
                "website",
                request.website.as_deref(),
                LONG_MAX,
                parse_website,
            ),
            tier: tier(&mut errors, request.tier.as_deref(), settings),
            tags: tags(&mut errors, &request.tags),
            source: request.source,
            status: request.status.unwrap_or(CustomerStatus::Potential),
            parent_id: request.parent_id,
            owner_id: Some(request.owner_id.unwrap_or(caller_id)),
            notes: errors.optional_text("notes", request.notes.as_deref(), NOTES_MAX),
        };
        errors.finish(fields)
    }

    /// Applies a PATCH: absent fields stay, `null` clears, values are validated as on create.
    pub fn apply(
        &self,
        patch: &UpdateCustomerRequest,
        settings: &Settings,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut next = self.clone();
        let e = &mut errors;
        if let Some(v) = &patch.name {
            next.name = e.required_text("name", v, NAME_MAX);
        }
        set(&mut next.short_name, &patch.short_name, |v| {
            e.optional_text("short_name", v, SHORT_MAX)
        });
        set(&mut next.credit_code, &patch.credit_code, |v| {
            e.optional_parsed("credit_code", v, 18, parse_credit_code)
        });
        set(&mut next.industry, &patch.industry, |v| {
            e.optional_text("industry", v, SHORT_MAX)
        });
        set(&mut next.region, &patch.region, |v| {
            e.optional_text("region", v, SHORT_MAX)
        });
        set(&mut next.province, &patch.province, |v| {
            e.optional_text("province", v, PLACE_MAX)
        });
        set(&mut next.city, &patch.city, |v| {
            e.optional_text("city", v, PLACE_MAX)
        });
        set(&mut next.address, &patch.address, |v| {
            e.optional_text("address", v, LONG_MAX)
        });
        set(&mut next.website, &patch.website, |v| {
            e.optional_parsed("website", v, LONG_MAX, parse_website)
        });
        if let Some(v) = &patch.tier {
            next.tier = tier(e, v.as_deref(), settings);
        }
        if let Some(v) = &patch.tags {
            next.tags = tags(e, v);
        }
        if let Some(v) = patch.source {
            next.source = v;
        }
        if let Some(v) = patch.status {
            next.status = v;
        }
        if let Some(v) = patch.parent_id {
            next.parent_id = v;
        }
        if let Some(v) = patch.owner_id {
            next.owner_id = Some(v);
        }
        set(&mut next.notes, &patch.notes, |v| {
            e.optional_text("notes", v, NOTES_MAX)
        });
        errors.finish(next)
    }

    pub fn keys(&self) -> CustomerKeys {
        let name_key = name_key(&self.name);
        CustomerKeys {
            name_core: name_core(&name_key),
            name_key,
        }
    }

    /// The fields as a JSON object, the shape the audit log compares.
    pub fn audit_view(&self) -> Value {
        json!({
            "name": self.name,
            "short_name": self.short_name,
            "credit_code": self.credit_code,
            "industry": self.industry,
            "region": self.region,
            "province": self.province,
            "city": self.city,
            "address": self.address,
            "website": self.website,
            "tier": self.tier,
            "tags": self.tags,
            "source": self.source.map(LeadSource::as_str),
            "status": self.status.as_str(),
            "parent_id": self.parent_id,
            "owner_id": self.owner_id,
            "notes": self.notes,
        })
    }

    /// What a merge keeps: the survivor's values, with its blanks filled from the merged
    /// customer and the tags of both.
    pub fn absorb(&self, other: &CustomerFields) -> CustomerFields {
        fn fill<T: Clone>(mine: &Option<T>, theirs: &Option<T>) -> Option<T> {
            mine.clone().or_else(|| theirs.clone())
        }
        let mut tags = self.tags.clone();
        tags.extend(
            other
                .tags
                .iter()
                .filter(|t| !self.tags.contains(t))
                .cloned(),
        );
        tags.truncate(TAGS_MAX);
        CustomerFields {
            short_name: fill(&self.short_name, &other.short_name),
            credit_code: fill(&self.credit_code, &other.credit_code),
            industry: fill(&self.industry, &other.industry),
            region: fill(&self.region, &other.region),
            province: fill(&self.province, &other.province),
            city: fill(&self.city, &other.city),
            address: fill(&self.address, &other.address),
            website: fill(&self.website, &other.website),
            tier: fill(&self.tier, &other.tier),
            source: fill(&self.source, &other.source),
            notes: fill(&self.notes, &other.notes),
            tags,
            ..self.clone()
        }
    }
}

fn tier(errors: &mut FieldErrors, value: Option<&str>, settings: &Settings) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if !settings.is_customer_tier(value) {
        errors.add("tier", Violation::UnknownValue);
    }
    Some(value.to_owned())
}

/// Trimmed, blank ones dropped, repeats dropped, order kept.
fn tags(errors: &mut FieldErrors, values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if value.chars().count() > TAG_MAX {
            errors.add("tags", Violation::TooLong { max: TAG_MAX });
        }
        if !out.iter().any(|t| t == value) {
            out.push(value.to_owned());
        }
    }
    if out.len() > TAGS_MAX {
        errors.add(
            "tags",
            Violation::OutOfRange {
                min: 0,
                max: TAGS_MAX as i64,
            },
        );
    }
    out
}

/// A host with an optional scheme and path: `www.jinggong.cn`, `https://jinggong.cn/about`.
pub fn parse_website(value: &str) -> Option<String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .unwrap_or(value);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    (host_ok && !value.chars().any(char::is_whitespace)).then(|| value.to_owned())
}

/// Everything about a contact that a user edits. A value of this type is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFields {
    pub customer_id: Uuid,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub mobile: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub decision_role: Option<DecisionRole>,
    pub is_primary: bool,
    pub notes: Option<String>,
}

const PERSON_MAX: usize = 100;

impl ContactFields {
    pub fn parse_new(request: &CreateContactRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let fields = Self {
            customer_id: request.customer_id,
            name: errors.required_text("name", &request.name, PERSON_MAX),
            title: errors.optional_text("title", request.title.as_deref(), PERSON_MAX),
            department: errors.optional_text(
                "department",
                request.department.as_deref(),
                PERSON_MAX,
            ),
            mobile: errors.optional_parsed("mobile", request.mobile.as_deref(), 20, parse_mobile),
            phone: errors.optional_parsed("phone", request.phone.as_deref(), 40, parse_phone),
            email: errors.optional_parsed("email", request.email.as_deref(), 254, parse_email),
            wechat: errors.optional_text("wechat", request.wechat.as_deref(), SHORT_MAX),
            birthday: birthday(&mut errors, request.birthday),
            decision_role: request.decision_role,
            is_primary: request.is_primary,
            notes: errors.optional_text("notes", request.notes.as_deref(), NOTES_MAX),
        };
        errors.finish(fields)
    }

    pub fn apply(&self, patch: &UpdateContactRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut next = self.clone();
        let e = &mut errors;
        if let Some(v) = &patch.name {
            next.name = e.required_text("name", v, PERSON_MAX);
        }
        set(&mut next.title, &patch.title, |v| {
            e.optional_text("title", v, PERSON_MAX)
        });
        set(&mut next.department, &patch.department, |v| {
            e.optional_text("department", v, PERSON_MAX)
        });
        set(&mut next.mobile, &patch.mobile, |v| {
            e.optional_parsed("mobile", v, 20, parse_mobile)
        });
        set(&mut next.phone, &patch.phone, |v| {
            e.optional_parsed("phone", v, 40, parse_phone)
        });
        set(&mut next.email, &patch.email, |v| {
            e.optional_parsed("email", v, 254, parse_email)
        });
        set(&mut next.wechat, &patch.wechat, |v| {
            e.optional_text("wechat", v, SHORT_MAX)
        });
        if let Some(v) = patch.birthday {
            next.birthday = birthday(e, v);
        }
        if let Some(v) = patch.decision_role {
            next.decision_role = v;
        }
        if let Some(v) = patch.is_primary {
            next.is_primary = v;
        }
        set(&mut next.notes, &patch.notes, |v| {
            e.optional_text("notes", v, NOTES_MAX)
        });
        errors.finish(next)
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "customer_id": self.customer_id,
            "name": self.name,
            "title": self.title,
            "department": self.department,
            "mobile": self.mobile,
            "phone": self.phone,
            "email": self.email,
            "wechat": self.wechat,
            "birthday": self.birthday,
            "decision_role": self.decision_role.map(DecisionRole::as_str),
            "is_primary": self.is_primary,
            "notes": self.notes,
        })
    }
}

/// A phone as duplicate checks compare it: digits only, without a `+86`/`0086` country code.
pub fn phone_key(value: &str) -> String {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let trimmed = if value.trim_start().starts_with('+') {
        digits.strip_prefix("86")
    } else {
        digits.strip_prefix("0086")
    };
    trimmed.map(str::to_owned).unwrap_or(digits)
}

fn birthday(errors: &mut FieldErrors, value: Option<NaiveDate>) -> Option<NaiveDate> {
    let value = value?;
    let plausible = NaiveDate::from_ymd_opt(1900, 1, 1).is_some_and(|min| value >= min)
        && value <= crate::now().date_naive();
    if !plausible {
        errors.add("birthday", Violation::InvalidFormat);
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateCustomerRequest {
        CreateCustomerRequest {
            name: " 苏州精工机械有限公司 ".to_owned(),
            credit_code: Some("91320500ma1mxxxx0x".to_owned()),
            tier: Some("A".to_owned()),
            tags: vec![
                "重点".to_owned(),
                " 重点 ".to_owned(),
                "".to_owned(),
                "华东".to_owned(),
            ],
            website: Some("www.jinggong.cn".to_owned()),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_customer_is_normalized_owned_and_potential() {
        let me = Uuid::from_u128(1);
        let customer = CustomerFields::parse_new(&request(), me, &Settings::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(customer.name, "苏州精工机械有限公司");
        assert_eq!(customer.credit_code.as_deref(), Some("91320500MA1MXXXX0X"));
        assert_eq!(customer.tags, vec!["重点", "华东"]);
        assert_eq!(customer.owner_id, Some(me));
        assert_eq!(customer.status, CustomerStatus::Potential);
        assert_eq!(customer.keys().name_key, "苏州精工机械");
        assert_eq!(customer.keys().name_core, "精工机械");
    }

    #[test]
    fn bad_codes_unknown_tiers_and_websites_are_reported_together() {
        let mut bad = request();
        bad.credit_code = Some("91320500MA1MXXXX01".to_owned());
        bad.tier = Some("Z".to_owned());
        bad.website = Some("not a site".to_owned());
        let errors = CustomerFields::parse_new(&bad, Uuid::nil(), &Settings::default())
            .err()
            .unwrap_or_default();
        let found: Vec<_> = errors.iter().map(|(f, v)| (f, v.code())).collect();
        assert_eq!(
            found,
            vec![
                ("credit_code", "invalid_format"),
                ("website", "invalid_format"),
                ("tier", "unknown_value")
            ]
        );
    }

    #[test]
    fn a_merge_fills_the_survivors_blanks_and_unites_tags() {
        let settings = Settings::default();
        let survivor = CustomerFields::parse_new(&request(), Uuid::nil(), &settings)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut other = survivor.clone();
        other.credit_code = Some("91350100M000100Y43".to_owned());
        other.industry = Some("机械".to_owned());
        other.tags = vec!["华东".to_owned(), "老客户".to_owned()];
        let merged = survivor.absorb(&other);
        assert_eq!(
            merged.credit_code, survivor.credit_code,
            "the survivor's own value wins"
        );
        assert_eq!(merged.industry.as_deref(), Some("机械"));
        assert_eq!(merged.tags, vec!["重点", "华东", "老客户"]);
    }

    #[test]
    fn phones_compare_as_bare_digits() {
        assert_eq!(phone_key("+86 0512-6688 1234"), "051266881234");
        assert_eq!(phone_key("0512-66881234"), "051266881234");
        assert_eq!(phone_key("008613812345678"), "13812345678");
    }

    #[test]
    fn a_contact_patch_clears_and_validates() {
        let request = CreateContactRequest {
            customer_id: Uuid::nil(),
            name: "王磊".to_owned(),
            title: Some("采购经理".to_owned()),
            department: None,
            mobile: Some("138-1234-5678".to_owned()),
            phone: None,
            email: None,
            wechat: None,
            birthday: NaiveDate::from_ymd_opt(1985, 6, 1),
            decision_role: Some(DecisionRole::DecisionMaker),
            is_primary: true,
            notes: None,
        };
        let contact = ContactFields::parse_new(&request).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(contact.mobile.as_deref(), Some("13812345678"));
        let patch = UpdateContactRequest {
            title: Some(None),
            email: Some(Some("x@".to_owned())),
            ..Default::default()
        };
        let errors = contact.apply(&patch).err().unwrap_or_default();
        assert_eq!(
            errors.iter().next(),
            Some(("email", Violation::InvalidFormat))
        );
        let cleared = contact.apply(&UpdateContactRequest {
            title: Some(None),
            ..Default::default()
        });
        assert_eq!(cleared.map(|c| c.title), Ok(None));
    }
}
