//! Imports: which fields a file's columns can fill, the mapping guessed from header names
//! (Chinese and English), and a row of text turned into valid fields by the same rules as
//! the single-record endpoints (`LeadFields::parse_new`, `CustomerFields::parse_new`,
//! `ContactFields::parse_new`), or into the problems that keep it out.

use std::collections::HashMap;

use chrono::NaiveDate;
use crm_api_types::customers::{
    CreateContactRequest, CreateCustomerRequest, CustomerStatus, DecisionRole,
};
use crm_api_types::imports::{ImportKind, ImportOwner};
use crm_api_types::leads::{CreateLeadRequest, LeadSource};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::customer::{ContactFields, CustomerFields};
use crate::lead::LeadFields;
use crate::settings::Settings;
use crate::validation::{FieldErrors, Violation};

/// A field that a column can be mapped to. `zh`/`en` are its names, also used as export
/// headers, so an exported file imports again without remapping.
#[derive(Debug)]
pub struct FieldSpec {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub required: bool,
    /// Other header names that mean this field (besides `zh` and `en`).
    aliases: &'static [&'static str],
}

const fn spec(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    required: bool,
    aliases: &'static [&'static str],
) -> FieldSpec {
    FieldSpec {
        key,
        zh,
        en,
        required,
        aliases,
    }
}

const TITLE: &[&str] = &["职位", "头衔", "job title", "position"];
const PHONE: &[&str] = &[
    "固定电话",
    "座机",
    "办公电话",
    "联系电话",
    "公司电话",
    "telephone",
    "tel",
    "landline",
    "office phone",
    "work phone",
];
const MOBILE: &[&str] = &[
    "手机号",
    "手机号码",
    "移动电话",
    "联系手机",
    "mobile phone",
    "cell",
    "cellphone",
    "cell phone",
];
const EMAIL: &[&str] = &[
    "电子邮箱",
    "邮件",
    "电子邮件",
    "e-mail",
    "mail",
    "email address",
];
const REGION: &[&str] = &["地区", "销售区域", "所属区域", "area", "territory"];
const INDUSTRY: &[&str] = &["所属行业", "sector"];
const NOTES: &[&str] = &[
    "说明",
    "描述",
    "note",
    "remarks",
    "remark",
    "comments",
    "description",
];
const SOURCE: &[&str] = &["线索来源", "客户来源", "lead source"];

const LEAD_FIELDS: &[FieldSpec] = &[
    spec(
        "company_name",
        "公司名称",
        "Company",
        true,
        &[
            "公司",
            "企业名称",
            "单位名称",
            "客户名称",
            "客户",
            "公司全称",
            "company name",
            "organization",
            "organisation",
            "account",
            "account name",
        ],
    ),
    spec(
        "contact_name",
        "联系人",
        "Contact",
        true,
        &[
            "联系人姓名",
            "姓名",
            "联系人名称",
            "contact name",
            "name",
            "full name",
        ],
    ),
    spec("title", "职务", "Title", false, TITLE),
    spec("phone", "电话", "Phone", false, PHONE),
    spec("mobile", "手机", "Mobile", false, MOBILE),
    spec("email", "邮箱", "Email", false, EMAIL),
    spec("source", "来源", "Source", false, SOURCE),
    spec("region", "区域", "Region", false, REGION),
    spec("industry", "行业", "Industry", false, INDUSTRY),
    spec("notes", "备注", "Notes", false, NOTES),
];

const CUSTOMER_FIELDS: &[FieldSpec] = &[
    spec(
        "name",
        "客户名称",
        "Customer",
        true,
        &[
            "公司名称",
            "企业名称",
            "单位名称",
            "客户全称",
            "公司全称",
            "客户",
            "公司",
            "名称",
            "company",
            "company name",
            "customer name",
            "name",
            "account name",
        ],
    ),
    spec(
        "short_name",
        "简称",
        "Short name",
        false,
        &["客户简称", "公司简称", "abbreviation"],
    ),
    spec(
        "credit_code",
        "统一社会信用代码",
        "Credit code",
        false,
        &[
            "社会信用代码",
            "信用代码",
            "统一信用代码",
            "纳税人识别号",
            "税号",
            "unified social credit code",
            "uscc",
            "tax id",
        ],
    ),
    spec("industry", "行业", "Industry", false, INDUSTRY),
    spec("region", "区域", "Region", false, REGION),
    spec(
        "province",
        "省份",
        "Province",
        false,
        &["省", "所在省份", "所在省", "state"],
    ),
    spec("city", "城市", "City", false, &["市", "所在城市", "所在市"]),
    spec(
        "address",
        "地址",
        "Address",
        false,
        &["详细地址", "公司地址", "办公地址", "联系地址"],
    ),
    spec(
        "website",
        "网址",
        "Website",
        false,
        &["官网", "网站", "公司网址", "url", "web", "homepage"],
    ),
    spec(
        "tier",
        "客户等级",
        "Tier",
        false,
        &["等级", "级别", "客户级别", "level", "grade"],
    ),
    spec(
        "tags",
        "标签",
        "Tags",
        false,
        &["客户标签", "tag", "labels"],
    ),
    spec("source", "来源", "Source", false, SOURCE),
    spec("status", "客户状态", "Status", false, &["状态"]),
    spec("notes", "备注", "Notes", false, NOTES),
];

const CONTACT_FIELDS: &[FieldSpec] = &[
    spec(
        "customer_name",
        "客户名称",
        "Customer",
        true,
        &[
            "公司名称",
            "所属客户",
            "所属公司",
            "客户",
            "公司",
            "单位名称",
            "企业名称",
            "customer name",
            "company",
            "company name",
            "account",
        ],
    ),
    spec(
        "name",
        "联系人",
        "Contact",
        true,
        &["姓名", "联系人姓名", "name", "contact name", "full name"],
    ),
    spec("title", "职务", "Title", false, TITLE),
    spec(
        "department",
        "部门",
        "Department",
        false,
        &["所属部门", "dept"],
    ),
    spec("mobile", "手机", "Mobile", false, MOBILE),
    spec("phone", "电话", "Phone", false, PHONE),
    spec("email", "邮箱", "Email", false, EMAIL),
    spec(
        "wechat",
        "微信",
        "WeChat",
        false,
        &["微信号", "weixin", "wechat id"],
    ),
    spec(
        "birthday",
        "生日",
        "Birthday",
        false,
        &["出生日期", "date of birth", "birth date", "dob"],
    ),
    spec(
        "decision_role",
        "决策角色",
        "Decision role",
        false,
        &["角色", "决策链角色", "role"],
    ),
    spec("notes", "备注", "Notes", false, NOTES),
];

/// The fields a column of a `kind` file can be mapped to.
pub fn fields(kind: ImportKind) -> &'static [FieldSpec] {
    match kind {
        ImportKind::Leads => LEAD_FIELDS,
        ImportKind::Customers => CUSTOMER_FIELDS,
        ImportKind::Contacts => CONTACT_FIELDS,
    }
}

pub fn field(kind: ImportKind, key: &str) -> Option<&'static FieldSpec> {
    fields(kind).iter().find(|f| f.key == key)
}

/// A header as compared with the names above: full-width folded, lowercase, bracketed
/// remarks (`手机（必填）`) dropped, only letters and digits kept (`E-mail` = `email`).
fn normalize_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        match c {
            '(' | '[' | '【' => depth += 1,
            ')' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

impl FieldSpec {
    fn names(&self) -> impl Iterator<Item = String> + '_ {
        [self.zh, self.en]
            .into_iter()
            .chain(self.aliases.iter().copied())
            .map(normalize_header)
    }
}

/// The field each header suggests, or `None`: an exact name first, else the longest name the
/// header ends with (`联系人手机` → mobile, `Work Email` → email). Each field is suggested
/// for one column at most, the first.
pub fn suggest_mapping(kind: ImportKind, headers: &[String]) -> Vec<Option<&'static str>> {
    let specs = fields(kind);
    let mut taken: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|header| {
            let header = normalize_header(header);
            if header.is_empty() {
                return None;
            }
            let free = || specs.iter().filter(|s| !taken.contains(&s.key));
            let exact = free().find(|s| s.names().any(|n| n == header));
            let guess = exact.or_else(|| {
                free()
                    .filter_map(|s| {
                        s.names()
                            .filter(|n| n.chars().count() >= 2 && header.ends_with(n.as_str()))
                            .map(|n| n.chars().count())
                            .max()
                            .map(|len| (len, s))
                    })
                    .max_by_key(|(len, _)| *len)
                    .map(|(_, s)| s)
            })?;
            taken.push(guess.key);
            Some(guess.key)
        })
        .collect()
}

/// Which column fills which field. A value of this type names only known fields, each once,
/// and every required one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    kind: ImportKind,
    columns: Vec<Option<&'static str>>,
}

impl Mapping {
    /// Checks a mapping sent by a client for a file of `column_count` columns. Problems are
    /// named `mapping[i]` (a column) or `mapping.<field>` (a required field left unmapped).
    pub fn parse(
        kind: ImportKind,
        raw: &[Option<String>],
        column_count: usize,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if raw.len() != column_count {
            errors.add(
                "mapping",
                Violation::OutOfRange {
                    min: column_count as i64,
                    max: column_count as i64,
                },
            );
            return Err(errors);
        }
        let mut columns = Vec::with_capacity(raw.len());
        for (i, key) in raw.iter().enumerate() {
            let key = key.as_deref().map(str::trim).filter(|k| !k.is_empty());
            let Some(key) = key else {
                columns.push(None);
                continue;
            };
            match field(kind, key) {
                None => {
                    errors.add(&format!("mapping[{i}]"), Violation::UnknownValue);
                    columns.push(None);
                }
                Some(spec) if columns.contains(&Some(spec.key)) => {
                    errors.add(&format!("mapping[{i}]"), Violation::Duplicate);
                    columns.push(None);
                }
                Some(spec) => columns.push(Some(spec.key)),
            }
        }
        for spec in fields(kind).iter().filter(|s| s.required) {
            if !columns.contains(&Some(spec.key)) {
                errors.add(&format!("mapping.{}", spec.key), Violation::Required);
            }
        }
        errors.finish(Self { kind, columns })
    }

    /// The suggestion for `headers`, when it maps every required field.
    pub fn suggested(kind: ImportKind, headers: &[String]) -> Option<Self> {
        let raw: Vec<Option<String>> = suggest_mapping(kind, headers)
            .into_iter()
            .map(|k| k.map(str::to_owned))
            .collect();
        Self::parse(kind, &raw, headers.len()).ok()
    }

    pub fn kind(&self) -> ImportKind {
        self.kind
    }

    /// One entry per column, as stored and returned.
    pub fn keys(&self) -> Vec<Option<String>> {
        self.columns.iter().map(|k| k.map(str::to_owned)).collect()
    }

    /// The column that fills `key`.
    pub fn column_of(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|k| *k == Some(key))
    }

    fn cell<'a>(&self, cells: &'a [String], key: &str) -> Option<&'a str> {
        self.column_of(key)
            .and_then(|i| cells.get(i))
            .map(String::as_str)
    }

    fn text(&self, cells: &[String], key: &str) -> Option<String> {
        self.cell(cells, key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }
}

/// Why a row stays out, as stored until someone reads it in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    #[serde(rename = "f")]
    pub field: String,
    /// A `Violation` code, or `duplicate_in_file`, `customer_duplicate`, `not_processed`.
    #[serde(rename = "c")]
    pub code: String,
    /// What the message needs: a limit, the earlier row, the existing customer (masked).
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

pub const DUPLICATE_IN_FILE: &str = "duplicate_in_file";
pub const CUSTOMER_DUPLICATE: &str = "customer_duplicate";
pub const NOT_PROCESSED: &str = "not_processed";

impl RowProblem {
    pub fn new(field: &str, code: &str, detail: Option<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            detail,
        }
    }

    pub fn from_violation(field: &str, violation: Violation) -> Self {
        let detail = match violation {
            Violation::TooLong { max } => Some(max.to_string()),
            Violation::TooShort { min } => Some(min.to_string()),
            Violation::OutOfRange { min, max } => Some(format!("{min},{max}")),
            _ => None,
        };
        Self::new(field, violation.code(), detail)
    }

    /// The violation this problem records, when it is one (with its limits).
    pub fn violation(&self) -> Option<Violation> {
        let number = || self.detail.as_deref().and_then(|d| d.parse().ok());
        Some(match self.code.as_str() {
            "required" => Violation::Required,
            "too_long" => Violation::TooLong { max: number()? },
            "too_short" => Violation::TooShort { min: number()? },
            "invalid_format" => Violation::InvalidFormat,
            "unknown_value" => Violation::UnknownValue,
            "not_found" => Violation::NotFound,
            "out_of_range" => {
                let (min, max) = self.detail.as_deref()?.split_once(',')?;
                Violation::OutOfRange {
                    min: min.parse().ok()?,
                    max: max.parse().ok()?,
                }
            }
            "invalid_type" => Violation::InvalidType,
            "duplicate" => Violation::Duplicate,
            _ => return None,
        })
    }
}

fn problems_of(errors: &FieldErrors) -> Vec<RowProblem> {
    errors
        .iter()
        .map(|(field, v)| RowProblem::from_violation(field, v))
        .collect()
}

/// A row turned into valid fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Draft {
    Lead(LeadFields),
    Customer(CustomerFields),
    /// `customer_id` is still nil: the customer is found by `customer_name` in storage.
    Contact {
        customer_name: String,
        fields: ContactFields,
    },
}

/// What building a row needs besides the row.
#[derive(Debug, Clone, Copy)]
pub struct RowContext<'a> {
    pub caller_id: Uuid,
    pub owner: ImportOwner,
    pub settings: &'a Settings,
}

impl RowContext<'_> {
    fn owner_id(&self) -> Option<Uuid> {
        match self.owner {
            ImportOwner::Me => Some(self.caller_id),
            ImportOwner::Pool => None,
        }
    }
}

/// Validates one row of text. Every problem of the row is reported at once.
pub fn build(
    mapping: &Mapping,
    cells: &[String],
    context: &RowContext<'_>,
) -> Result<Draft, Vec<RowProblem>> {
    let mut errors = FieldErrors::new();
    let text = |key: &str| mapping.text(cells, key);
    match mapping.kind {
        ImportKind::Leads => {
            let source =
                choice(&mut errors, "source", text("source"), SOURCES).unwrap_or(LeadSource::Other);
            let request = CreateLeadRequest {
                company_name: text("company_name").unwrap_or_default(),
                contact_name: text("contact_name").unwrap_or_default(),
                title: text("title"),
                phone: text("phone"),
                mobile: text("mobile"),
                email: text("email"),
                source,
                region: text("region"),
                industry: text("industry"),
                owner_id: None,
                assign_by_rules: false,
                notes: text("notes"),
            };
            let parsed = LeadFields::parse_new(&request, context.caller_id);
            finish(errors, parsed, |mut fields| {
                fields.owner_id = context.owner_id();
                Draft::Lead(fields)
            })
        }
        ImportKind::Customers => {
            let source = choice(&mut errors, "source", text("source"), SOURCES);
            let status = choice(&mut errors, "status", text("status"), STATUSES);
            let request = CreateCustomerRequest {
                name: text("name").unwrap_or_default(),
                short_name: text("short_name"),
                credit_code: text("credit_code"),
                industry: text("industry"),
                region: text("region"),
                province: text("province"),
                city: text("city"),
                address: text("address"),
                website: text("website"),
                tier: text("tier"),
                tags: text("tags").map(|t| split_tags(&t)).unwrap_or_default(),
                source,
                status,
                notes: text("notes"),
                ..Default::default()
            };
            let parsed = CustomerFields::parse_new(&request, context.caller_id, context.settings);
            finish(errors, parsed, |mut fields| {
                fields.owner_id = context.owner_id();
                Draft::Customer(fields)
            })
        }
        ImportKind::Contacts => {
            let decision_role = choice(
                &mut errors,
                "decision_role",
                text("decision_role"),
                DECISION_ROLES,
            );
            let birthday = text("birthday").and_then(|b| {
                let parsed = parse_date(&b);
                if parsed.is_none() {
                    errors.add("birthday", Violation::InvalidFormat);
                }
                parsed
            });
            let customer_name = text("customer_name").unwrap_or_default();
            if customer_name.is_empty() {
                errors.add("customer_name", Violation::Required);
            }
            let request = CreateContactRequest {
                customer_id: Uuid::nil(),
                name: text("name").unwrap_or_default(),
                title: text("title"),
                department: text("department"),
                mobile: text("mobile"),
                phone: text("phone"),
                email: text("email"),
                wechat: text("wechat"),
                birthday,
                decision_role,
                is_primary: false,
                notes: text("notes"),
            };
            let parsed = ContactFields::parse_new(&request);
            finish(errors, parsed, |fields| Draft::Contact {
                customer_name,
                fields,
            })
        }
    }
}

/// Our own problems (choices, dates) first, then the domain's, in one list.
fn finish<T>(
    errors: FieldErrors,
    parsed: Result<T, FieldErrors>,
    draft: impl FnOnce(T) -> Draft,
) -> Result<Draft, Vec<RowProblem>> {
    let mut problems = problems_of(&errors);
    match parsed {
        Ok(value) if problems.is_empty() => Ok(draft(value)),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(problems_of(&more));
            Err(problems)
        }
    }
}

const SOURCES: &[(LeadSource, &[&str])] = &[
    (LeadSource::Phone, &["电话", "电话营销", "phone"]),
    (LeadSource::Referral, &["转介绍", "介绍", "referral"]),
    (
        LeadSource::Exhibition,
        &["展会", "exhibition", "trade show"],
    ),
    (LeadSource::Website, &["官网", "网站", "website", "web"]),
    (
        LeadSource::DesignInstitute,
        &["设计院", "design_institute", "design institute"],
    ),
    (LeadSource::Campaign, &["市场活动", "活动", "campaign"]),
    (LeadSource::Other, &["其他", "其它", "other"]),
];

const STATUSES: &[(CustomerStatus, &[&str])] = &[
    (
        CustomerStatus::Potential,
        &["潜在", "潜在客户", "potential"],
    ),
    (CustomerStatus::Active, &["成交", "成交客户", "active"]),
    (CustomerStatus::Dormant, &["沉睡", "沉睡客户", "dormant"]),
    (CustomerStatus::Lost, &["流失", "流失客户", "lost"]),
];

const DECISION_ROLES: &[(DecisionRole, &[&str])] = &[
    (
        DecisionRole::DecisionMaker,
        &["决策者", "decision_maker", "decision maker"],
    ),
    (DecisionRole::Influencer, &["影响者", "influencer"]),
    (DecisionRole::User, &["使用者", "用户", "user"]),
    (
        DecisionRole::TechnicalGate,
        &["技术把关", "技术把关者", "technical_gate", "technical gate"],
    ),
];

/// The Chinese label (as exports write it) of a lead source.
pub fn source_label(source: LeadSource) -> &'static str {
    label(source, SOURCES)
}

pub fn status_label(status: CustomerStatus) -> &'static str {
    label(status, STATUSES)
}

pub fn decision_role_label(role: DecisionRole) -> &'static str {
    label(role, DECISION_ROLES)
}

fn label<T: PartialEq>(value: T, table: &[(T, &[&'static str])]) -> &'static str {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .and_then(|(_, names)| names.first().copied())
        .unwrap_or_default()
}

/// A value from a fixed list, by its Chinese name or its key (case and spaces ignored).
fn choice<T: Copy>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    table: &[(T, &[&str])],
) -> Option<T> {
    let value = value?;
    let wanted = value.trim().to_lowercase();
    let found = table
        .iter()
        .find(|(_, names)| names.iter().any(|n| *n == wanted))
        .map(|(v, _)| *v);
    if found.is_none() {
        errors.add(field, Violation::UnknownValue);
    }
    found
}

/// Tags in one cell: `重点,华东`, `重点、华东`, `重点；华东`.
fn split_tags(cell: &str) -> Vec<String> {
    cell.split([',', '，', ';', '；', '、', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `1985-06-01`, `1985/6/1`, `1985.6.1`, `1985年6月1日`, `19850601`; a time after the date
/// (Excel date cells) is ignored.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    let date = value.split([' ', 'T']).next().unwrap_or(value);
    if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(date, "%Y%m%d").ok();
    }
    let parts: Vec<&str> = date
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

/// Customers already claimed by earlier valid rows of the same file, by name key and credit
/// code: a later row with either is a duplicate of that row.
#[derive(Debug, Clone, Default)]
pub struct FileKeys {
    names: HashMap<String, u64>,
    codes: HashMap<String, u64>,
}

impl FileKeys {
    pub fn new() -> Self {
        Self::default()
    }

    /// A problem naming the earlier row when `fields` repeats one; otherwise the row's keys
    /// are now taken by `row`.
    pub fn claim(&mut self, fields: &CustomerFields, row: u64) -> Option<RowProblem> {
        let key = fields.keys().name_key;
        if let Some(first) = self.names.get(&key) {
            return Some(RowProblem::new(
                "name",
                DUPLICATE_IN_FILE,
                Some(first.to_string()),
            ));
        }
        if let Some(code) = &fields.credit_code
            && let Some(first) = self.codes.get(code)
        {
            return Some(RowProblem::new(
                "credit_code",
                DUPLICATE_IN_FILE,
                Some(first.to_string()),
            ));
        }
        self.names.insert(key, row);
        if let Some(code) = &fields.credit_code {
            self.codes.insert(code.clone(), row);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    fn context(settings: &Settings) -> RowContext<'_> {
        RowContext {
            caller_id: Uuid::from_u128(7),
            owner: ImportOwner::Me,
            settings,
        }
    }

    #[test]
    fn chinese_and_english_headers_suggest_fields() {
        let headers = strings(&[
            "公司名称",
            "统一社会信用代码",
            "行业",
            "所在省份",
            "城市",
            "详细地址",
            "备注（选填）",
            "备用列",
            "客户等级",
        ]);
        assert_eq!(
            suggest_mapping(ImportKind::Customers, &headers),
            vec![
                Some("name"),
                Some("credit_code"),
                Some("industry"),
                Some("province"),
                Some("city"),
                Some("address"),
                Some("notes"),
                None,
                Some("tier"),
            ]
        );
        let english = strings(&[
            "Company",
            "Contact Name",
            "Mobile",
            "E-mail",
            "Job Title",
            "Lead Source",
        ]);
        assert_eq!(
            suggest_mapping(ImportKind::Leads, &english),
            vec![
                Some("company_name"),
                Some("contact_name"),
                Some("mobile"),
                Some("email"),
                Some("title"),
                Some("source"),
            ]
        );
    }

    #[test]
    fn a_header_ending_in_a_name_suggests_it_and_each_field_goes_once() {
        let headers = strings(&["客户名称", "联系人", "联系人手机", "Work Email", "公司名称"]);
        assert_eq!(
            suggest_mapping(ImportKind::Contacts, &headers),
            vec![
                Some("customer_name"),
                Some("name"),
                Some("mobile"),
                Some("email"),
                None,
            ],
            "the second company column is left for the user to decide"
        );
    }

    #[test]
    fn mappings_refuse_unknown_repeated_and_missing_fields() {
        let raw = |keys: &[Option<&str>]| -> Vec<Option<String>> {
            keys.iter().map(|k| k.map(str::to_owned)).collect()
        };
        let errors = Mapping::parse(
            ImportKind::Leads,
            &raw(&[
                Some("company_name"),
                Some("shoe_size"),
                Some("company_name"),
            ]),
            3,
        )
        .err()
        .unwrap_or_default();
        let found: Vec<_> = errors
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("mapping[1]".to_owned(), "unknown_value"),
                ("mapping[2]".to_owned(), "duplicate"),
                ("mapping.contact_name".to_owned(), "required"),
            ]
        );
        assert!(Mapping::parse(ImportKind::Leads, &raw(&[Some("company_name")]), 2).is_err());
        let ok = Mapping::parse(
            ImportKind::Leads,
            &raw(&[None, Some("contact_name"), Some("company_name")]),
            3,
        );
        assert_eq!(ok.map(|m| m.column_of("company_name")), Ok(Some(2)));
    }

    #[test]
    fn a_customer_row_is_built_with_chinese_choices_and_tags() {
        let settings = Settings::default();
        let headers = strings(&["客户名称", "统一社会信用代码", "标签", "来源", "客户状态"]);
        let mapping = Mapping::suggested(ImportKind::Customers, &headers)
            .unwrap_or_else(|| panic!("suggested"));
        let row = strings(&[
            " 苏州精工机械有限公司 ",
            "91320500ma1mxxxx0x",
            "重点、华东",
            "展会",
            "成交",
        ]);
        let draft = build(&mapping, &row, &context(&settings));
        let Ok(Draft::Customer(fields)) = draft else {
            panic!("{draft:?}")
        };
        assert_eq!(fields.name, "苏州精工机械有限公司");
        assert_eq!(fields.credit_code.as_deref(), Some("91320500MA1MXXXX0X"));
        assert_eq!(fields.tags, vec!["重点", "华东"]);
        assert_eq!(fields.source, Some(LeadSource::Exhibition));
        assert_eq!(fields.status, CustomerStatus::Active);
        assert_eq!(fields.owner_id, Some(Uuid::from_u128(7)));

        let pool = RowContext {
            owner: ImportOwner::Pool,
            ..context(&settings)
        };
        let pooled = build(&mapping, &row, &pool);
        assert!(matches!(pooled, Ok(Draft::Customer(f)) if f.owner_id.is_none()));
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let settings = Settings::default();
        let headers = strings(&["客户名称", "统一社会信用代码", "来源", "网址"]);
        let mapping = Mapping::suggested(ImportKind::Customers, &headers)
            .unwrap_or_else(|| panic!("suggested"));
        let row = strings(&["", "91320500MA1MXXXX01", "电视", "not a site"]);
        let problems = build(&mapping, &row, &context(&settings))
            .err()
            .unwrap_or_default();
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("source", "unknown_value"),
                ("name", "required"),
                ("credit_code", "invalid_format"),
                ("website", "invalid_format"),
            ]
        );
    }

    #[test]
    fn leads_default_their_source_and_contacts_need_a_customer_name() {
        let settings = Settings::default();
        let lead_headers = strings(&["公司名称", "联系人", "手机"]);
        let mapping = Mapping::suggested(ImportKind::Leads, &lead_headers)
            .unwrap_or_else(|| panic!("suggested"));
        let lead = build(
            &mapping,
            &strings(&["精工", "王磊", "138 1234 5678"]),
            &context(&settings),
        );
        assert!(
            matches!(&lead, Ok(Draft::Lead(f)) if f.source == LeadSource::Other && f.mobile.as_deref() == Some("13812345678")),
            "{lead:?}"
        );

        let contact_headers = strings(&["客户名称", "姓名", "生日", "决策角色"]);
        let mapping = Mapping::suggested(ImportKind::Contacts, &contact_headers)
            .unwrap_or_else(|| panic!("suggested"));
        let contact = build(
            &mapping,
            &strings(&["精工", "王磊", "1985年6月1日", "决策者"]),
            &context(&settings),
        );
        assert!(
            matches!(&contact, Ok(Draft::Contact { customer_name, fields })
                if customer_name == "精工" && fields.birthday == NaiveDate::from_ymd_opt(1985, 6, 1)
                    && fields.decision_role == Some(DecisionRole::DecisionMaker)),
            "{contact:?}"
        );
        let problems = build(
            &mapping,
            &strings(&["", "王磊", "1985-13-01", ""]),
            &context(&settings),
        )
        .err()
        .unwrap_or_default();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["birthday", "customer_name"]);
    }

    #[test]
    fn dates_come_in_many_spellings() {
        let day = NaiveDate::from_ymd_opt(1985, 6, 1);
        for text in [
            "1985-06-01",
            "1985/6/1",
            "1985.6.1",
            "1985年6月1日",
            "19850601",
            "1985-06-01 00:00:00",
        ] {
            assert_eq!(parse_date(text), day, "{text}");
        }
        assert_eq!(parse_date("6/1/1985"), None);
        assert_eq!(parse_date("1985-02-30"), None);
    }

    #[test]
    fn a_later_row_repeating_a_name_or_code_names_the_first() {
        let settings = Settings::default();
        let parse = |name: &str, code: Option<&str>| {
            let request = CreateCustomerRequest {
                name: name.to_owned(),
                credit_code: code.map(str::to_owned),
                ..Default::default()
            };
            CustomerFields::parse_new(&request, Uuid::nil(), &settings)
                .unwrap_or_else(|e| panic!("{e:?}"))
        };
        let mut keys = FileKeys::new();
        assert_eq!(
            keys.claim(
                &parse("苏州精工机械有限公司", Some("91350100M000100Y43")),
                2
            ),
            None
        );
        let again = keys.claim(&parse("苏州精工机械股份有限公司", None), 5);
        assert_eq!(
            again,
            Some(RowProblem::new("name", DUPLICATE_IN_FILE, Some("2".into())))
        );
        let code = keys.claim(&parse("福州某公司", Some("91350100M000100Y43")), 6);
        assert_eq!(code.map(|p| p.field), Some("credit_code".to_owned()));
    }

    #[test]
    fn problems_keep_their_limits_for_the_message() {
        let problem = RowProblem::from_violation("name", Violation::TooLong { max: 200 });
        assert_eq!(problem.violation(), Some(Violation::TooLong { max: 200 }));
        let range = RowProblem::from_violation("tags", Violation::OutOfRange { min: 0, max: 20 });
        assert_eq!(
            range.violation(),
            Some(Violation::OutOfRange { min: 0, max: 20 })
        );
        assert_eq!(
            RowProblem::new("name", DUPLICATE_IN_FILE, None).violation(),
            None
        );
    }
}
