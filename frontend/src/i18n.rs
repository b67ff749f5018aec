//! Every visible string, in Simplified Chinese (the default) and English.
//!
//! A typed key enum with one exhaustive `match` per language (`i18n/zh_cn.rs`, `i18n/en.rs`):
//! a missing translation or a misspelt key is a compile error. (`leptos_i18n` 0.6 was tried: its non-deprecated
//! build-script path pulls ICU data-export crates with a networking feature into the build, and
//! the deprecated macro path warns; neither fits a warning-free offline build.)
//! The language lives in a signal, so switching re-renders every text at once.

use crm_api_types::activities::ActivityKind;
use crm_api_types::approvals::{
    ApprovalEventKind, ApprovalStatus, Decision, DocumentKind, MatchMode, StepMode, StepStatus,
};
use crm_api_types::contracts::ContractStatus;
use crm_api_types::customers::{CustomerStatus, DecisionRole, MatchReason};
use crm_api_types::identity::{DataScope, Permission};
use crm_api_types::imports::{ImportKind, ImportStatus};
use crm_api_types::leads::{LeadSource, LeadStatus};
use crm_api_types::notifications::{NotificationKind, NotificationResponse};
use crm_api_types::opportunities::{OpportunityKind, StageChangeKind};
use crm_api_types::ownership::OwnerChangeReason;
use crm_api_types::pipelines::StageKind;
use crm_api_types::products::{PriceEvent, PriceSource, VatRate};
use crm_api_types::quotes::{LineChangeKind, QuoteStatus};
use crm_api_types::receivables::{
    AgingBucket, AgingGroup, InstalmentStatus, InvoiceKind, PaymentMethod, PlanEvent,
};
use crm_api_types::reports::{OrderGrouping, WinRateGrouping};
use crm_api_types::sales_orders::{SalesOrderStatus, ShipmentStatus, TimelineKind};
use crm_api_types::settings::{CreditCheckMode, QualificationField};
use crm_api_types::sync::{SyncResult, SyncedKind};
use crm_api_types::webhooks::{DeliveryStatus, DisabledReason};
use leptos::prelude::*;

mod en;
mod zh_cn;

/// The UI languages. Also sent as `Accept-Language`, so server messages match the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag, for `Accept-Language` and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag() == tag)
    }

    /// The language's own name, shown in the switch whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::En => "English",
        }
    }
}

const LANG_STORAGE_KEY: &str = "crm.lang";

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// Starts in the remembered language, else zh-CN.
    pub fn new() -> Self {
        let lang = crate::storage::get(LANG_STORAGE_KEY)
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default();
        set_document_lang(lang);
        Self {
            lang: RwSignal::new(lang),
        }
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    pub fn lang_untracked(self) -> Lang {
        self.lang.get_untracked()
    }

    pub fn set_lang(self, lang: Lang) {
        crate::storage::set(LANG_STORAGE_KEY, lang.tag());
        set_document_lang(lang);
        self.lang.set(lang);
    }

    /// The text of `key` in the current language (tracked).
    pub fn t(self, key: K) -> &'static str {
        key.text(self.lang.get())
    }

    /// A reactive text for views and attributes: re-renders when the language changes.
    pub fn tr(self, key: K) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// The text of `key` as a signal, for components that take one (titles, hints).
    pub fn signal(self, key: K) -> Signal<String> {
        Signal::derive(move || self.t(key).to_owned())
    }

    pub fn total(self, n: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("共 {n} 条"),
            Lang::En if n == 1 => "1 record".to_owned(),
            Lang::En => format!("{n} records"),
        }
    }

    /// `30 天` / `30 days`.
    pub fn days_count(self, n: u32) -> String {
        match self.lang() {
            Lang::ZhCn => format!("{n} 天"),
            Lang::En if n == 1 => "1 day".to_owned(),
            Lang::En => format!("{n} days"),
        }
    }

    pub fn page_no(self, n: usize) -> String {
        match self.lang() {
            Lang::ZhCn => format!("第 {n} 页"),
            Lang::En => format!("Page {n}"),
        }
    }

    pub fn confirm_delete_named(self, name: &str) -> String {
        match self.lang() {
            Lang::ZhCn => format!("确定删除「{name}」吗？此操作无法撤销。"),
            Lang::En => format!("Delete “{name}”? This cannot be undone."),
        }
    }

    pub fn confirm_revoke_key(self, name: &str) -> String {
        match self.lang() {
            Lang::ZhCn => {
                format!(
                    "确定吊销「{name}」吗？吊销后使用该密钥的请求将立即被拒绝，此操作无法撤销。"
                )
            }
            Lang::En => format!(
                "Revoke “{name}”? Requests made with it are refused from now on. This cannot be undone."
            ),
        }
    }

    /// Where an existing customer sits: `已存在：华东区 张*`, or the pool when it has no owner.
    pub fn exists_at(self, owner_hint: Option<&str>) -> String {
        let place = owner_hint.map_or_else(|| self.t(K::InPool).to_owned(), str::to_owned);
        match self.lang() {
            Lang::ZhCn => format!("已存在：{place}"),
            Lang::En => format!("Exists already: {place}"),
        }
    }

    pub fn next_follow_up(self, date: &str) -> String {
        match self.lang() {
            Lang::ZhCn => format!("下次跟进：{date}"),
            Lang::En => format!("Next follow-up: {date}"),
        }
    }

    /// A reported figure's name: `paid` → 已收款, `lines[0].shipped_quantity` → 第 1 行已发货
    /// (positions count from 0, people from 1); an unknown field as the API names it.
    pub fn figure_field(self, field: &str) -> String {
        let line = field
            .strip_prefix("lines[")
            .and_then(|rest| rest.strip_suffix("].shipped_quantity"))
            .and_then(|n| n.parse::<u64>().ok());
        match (field, line) {
            (_, Some(position)) => {
                let n = position + 1;
                match self.lang() {
                    Lang::ZhCn => format!("第 {n} 行已发货"),
                    Lang::En => format!("Line {n} shipped"),
                }
            }
            ("total", _) => self.t(K::FigureTotal).to_owned(),
            ("invoiced", _) => self.t(K::FigureInvoiced).to_owned(),
            ("paid", _) => self.t(K::FigurePaid).to_owned(),
            (other, None) => other.to_owned(),
        }
    }

    pub fn overdue_days(self, days: i64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("逾期 {days} 天"),
            Lang::En if days == 1 => "1 day overdue".to_owned(),
            Lang::En => format!("{days} days overdue"),
        }
    }

    /// How many orders some lines belong to: `涉及 2 个订单` / `in 2 orders`.
    pub fn orders_count(self, n: usize) -> String {
        match self.lang() {
            Lang::ZhCn => format!("涉及 {n} 个订单"),
            Lang::En if n == 1 => "in 1 order".to_owned(),
            Lang::En => format!("in {n} orders"),
        }
    }

    /// A funnel bar's count: `3 个` / `3 deals`.
    pub fn deal_count(self, n: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("{n} 个"),
            Lang::En if n == 1 => "1 deal".to_owned(),
            Lang::En => format!("{n} deals"),
        }
    }

    /// What the funnel chart says to a screen reader: every stage and its count, in order.
    pub fn funnel_summary(self, pipeline: &str, stages: &[(String, u64)]) -> String {
        let (sep, list_sep) = match self.lang() {
            Lang::ZhCn => ("：", "，"),
            Lang::En => (": ", ", "),
        };
        let parts: Vec<String> = stages
            .iter()
            .map(|(name, n)| format!("{name} {}", self.deal_count(*n)))
            .collect();
        format!(
            "{} · {pipeline}{sep}{}",
            self.t(K::FunnelTitle),
            parts.join(list_sep)
        )
    }

    /// A win-rate bar's counts: `赢 2 · 输 1` / `2 won · 1 lost`.
    pub fn won_lost(self, won: u64, lost: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("赢 {won} · 输 {lost}"),
            Lang::En => format!("{won} won · {lost} lost"),
        }
    }

    /// How many orders a report row counts: `2 单` / `2 orders`.
    pub fn order_count(self, n: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("{n} 单"),
            Lang::En if n == 1 => "1 order".to_owned(),
            Lang::En => format!("{n} orders"),
        }
    }

    /// How many customers: `3 个客户` / `3 customers`.
    pub fn customer_count(self, n: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("{n} 个客户"),
            Lang::En if n == 1 => "1 customer".to_owned(),
            Lang::En => format!("{n} customers"),
        }
    }

    /// A number of days: `180 天` / `180 days`.
    pub fn day_count(self, n: u32) -> String {
        match self.lang() {
            Lang::ZhCn => format!("{n} 天"),
            Lang::En if n == 1 => "1 day".to_owned(),
            Lang::En => format!("{n} days"),
        }
    }

    /// The dormant customers' heading: how many, and how many of them are listed.
    pub fn dormant_listed(self, count: u64, listed: usize) -> String {
        match self.lang() {
            Lang::ZhCn if (listed as u64) < count => {
                format!("共 {count} 个，列出最久未下单的 {listed} 个")
            }
            Lang::ZhCn => format!("共 {count} 个"),
            Lang::En if (listed as u64) < count => {
                format!("{count} in all; the {listed} longest dormant listed")
            }
            Lang::En => format!("{count} in all"),
        }
    }

    /// What a report is grouped by: `按负责人` / `by owner`.
    pub fn grouped_by(self, label: K) -> String {
        match self.lang() {
            Lang::ZhCn => format!("按{}", self.t(label)),
            Lang::En => format!("by {}", self.t(label).to_lowercase()),
        }
    }

    /// What the win-rate chart says to a screen reader: every group's win rate, in order.
    pub fn win_rate_summary(self, grouping: K, groups: &[(String, String)]) -> String {
        let (sep, list_sep) = match self.lang() {
            Lang::ZhCn => ("：", "，"),
            Lang::En => (": ", ", "),
        };
        let parts: Vec<String> = groups
            .iter()
            .map(|(name, rate)| format!("{name} {rate}"))
            .collect();
        format!(
            "{} · {}{sep}{}",
            self.t(K::WinRateTitle),
            self.grouped_by(grouping),
            parts.join(list_sep)
        )
    }

    pub fn import_file_summary(self, name: &str, rows: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("{name}：共 {rows} 行数据"),
            Lang::En if rows == 1 => format!("{name}: 1 data row"),
            Lang::En => format!("{name}: {rows} data rows"),
        }
    }

    /// The required import fields no column fills yet, by their labels.
    pub fn missing_required(self, labels: &[String]) -> String {
        match self.lang() {
            Lang::ZhCn => format!("请为必填字段选择对应的列：{}", labels.join("、")),
            Lang::En => format!(
                "Choose the columns of the required fields: {}",
                labels.join(", ")
            ),
        }
    }

    pub fn import_progress(self, processed: u64, total: u64, percent: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("已处理 {processed} / {total} 行（{percent}%）"),
            Lang::En => format!("{processed} of {total} rows ({percent}%)"),
        }
    }

    pub fn import_summary(self, inserted: u64, rejected: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("成功导入 {inserted} 行，{rejected} 行未导入"),
            Lang::En => format!("{inserted} rows imported, {rejected} not"),
        }
    }

    pub fn moved_to(self, stage: &str) -> String {
        match self.lang() {
            Lang::ZhCn => format!("已移至「{stage}」"),
            Lang::En => format!("Moved to “{stage}”"),
        }
    }

    /// Time spent in a stage, in its two largest units: `3天4小时`, `5小时20分钟`, `3d 4h`.
    pub fn duration(self, seconds: i64) -> String {
        let minutes = seconds.max(0) / 60;
        let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
        let zh = self.lang() == Lang::ZhCn;
        let unit = |n: i64, zh_unit: &str, en_unit: &str| {
            if zh {
                format!("{n}{zh_unit}")
            } else {
                format!("{n}{en_unit}")
            }
        };
        let sep = if zh { "" } else { " " };
        let parts: Vec<String> = if days > 0 {
            [(days, "天", "d"), (hours, "小时", "h")]
                .into_iter()
                .filter(|(n, ..)| *n > 0)
                .map(|(n, z, e)| unit(n, z, e))
                .collect()
        } else if hours > 0 {
            [(hours, "小时", "h"), (mins, "分钟", "min")]
                .into_iter()
                .filter(|(n, ..)| *n > 0)
                .map(|(n, z, e)| unit(n, z, e))
                .collect()
        } else {
            vec![unit(mins.max(1), "分钟", "min")]
        };
        parts.join(sep)
    }

    /// 上 2 级经理, 2 levels up.
    pub fn manager_levels_up(self, levels: u8) -> String {
        match self.lang() {
            Lang::ZhCn => format!("上 {levels} 级经理"),
            Lang::En if levels == 1 => "Manager 1 level up".to_owned(),
            Lang::En => format!("Manager {levels} levels up"),
        }
    }

    /// A due rule counted from an order event: `确认后 7 天`, `7 days after confirmation`.
    pub fn days_after(self, event: PlanEvent, days: u16) -> String {
        let event = self.t(match event {
            PlanEvent::OrderConfirmed => K::DueAfterConfirmed,
            PlanEvent::FirstShipment => K::DueAfterFirstShipment,
            PlanEvent::FullyShipped => K::DueAfterFullyShipped,
            PlanEvent::Accepted => K::DueAfterAccepted,
        });
        match (self.lang(), days) {
            (Lang::ZhCn, 0) => format!("{event}即付"),
            (Lang::ZhCn, d) => format!("{event} {d} 天"),
            (Lang::En, 0) => format!("on {event}"),
            (Lang::En, 1) => format!("1 day after {event}"),
            (Lang::En, d) => format!("{d} days after {event}"),
        }
    }

    /// The toast after 登记收款: the payment's number, and what it left unapplied.
    pub fn payment_recorded(self, number: &str, unapplied: Option<&str>) -> String {
        match (self.lang(), unapplied) {
            (Lang::ZhCn, None) => format!("已登记收款 {number}"),
            (Lang::ZhCn, Some(rest)) => {
                format!("已登记收款 {number}，{rest} 未核销，作为客户预收款")
            }
            (Lang::En, None) => format!("Payment {number} recorded"),
            (Lang::En, Some(rest)) => {
                format!("Payment {number} recorded; {rest} left unapplied as the customer's credit")
            }
        }
    }

    /// One day's reminder as a sentence: 您有 3 个订单交期超期，最长 5 天.
    pub fn notification_text(self, n: &NotificationResponse) -> String {
        let count = n.order_count;
        let days = n.days_overdue;
        let amount = n.amount.map(|a| crate::format::money(a, "CNY"));
        match (self.lang(), n.kind) {
            (Lang::ZhCn, NotificationKind::DeliveryOverdue) => {
                let who = if n.as_manager {
                    "您的团队有"
                } else {
                    "您有"
                };
                format!("{who} {count} 个订单交期超期，最长 {days} 天")
            }
            (Lang::ZhCn, NotificationKind::ReceivableOverdue) => {
                let who = if n.as_manager {
                    "您的团队有"
                } else {
                    "您有"
                };
                match amount {
                    Some(amount) => {
                        format!("{who} {count} 个订单应收逾期，共 {amount}，最长 {days} 天")
                    }
                    None => format!("{who} {count} 个订单应收逾期，最长 {days} 天"),
                }
            }
            (Lang::ZhCn, NotificationKind::WebhookDisabled) => {
                "一个 Webhook 推送地址连续失败，已被停用，请检查接收方后重新启用".to_owned()
            }
            (Lang::En, kind) => {
                let who = if n.as_manager {
                    "Your team has"
                } else {
                    "You have"
                };
                let orders = if count == 1 { "order" } else { "orders" };
                let day_word = if days == 1 { "day" } else { "days" };
                match (kind, amount) {
                    (NotificationKind::DeliveryOverdue, _) => format!(
                        "{who} {count} {orders} with overdue deliveries, up to {days} {day_word}"
                    ),
                    (NotificationKind::ReceivableOverdue, Some(amount)) => format!(
                        "{who} {count} {orders} with overdue receivables totalling {amount}, up to {days} {day_word}"
                    ),
                    (NotificationKind::ReceivableOverdue, None) => format!(
                        "{who} {count} {orders} with overdue receivables, up to {days} {day_word}"
                    ),
                    (NotificationKind::WebhookDisabled, _) => "A webhook endpoint kept failing and was switched off; check the receiver and enable it again".to_owned(),
                }
            }
        }
    }

    /// How many events an endpoint subscribes to.
    pub fn events_count(self, n: usize) -> String {
        match self.lang() {
            Lang::ZhCn => format!("{n} 个事件"),
            Lang::En if n == 1 => "1 event".to_owned(),
            Lang::En => format!("{n} events"),
        }
    }

    /// After a replay: how many deliveries were queued.
    pub fn replay_queued(self, n: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("已加入发送队列：{n} 条推送"),
            Lang::En if n == 1 => "1 delivery queued".to_owned(),
            Lang::En => format!("{n} deliveries queued"),
        }
    }

    /// An error about one line of a list typed one entry per line.
    pub fn line_error(self, line: usize, message: &str) -> String {
        match self.lang() {
            Lang::ZhCn => format!("第 {line} 行：{message}"),
            Lang::En => format!("Line {line}: {message}"),
        }
    }

    pub fn fields_changed(self, n: usize) -> String {
        match self.lang() {
            Lang::ZhCn => format!("修改了 {n} 个字段"),
            Lang::En if n == 1 => "changed 1 field".to_owned(),
            Lang::En => format!("changed {n} fields"),
        }
    }
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Keeps `<html lang>` right, so CJK fonts and screen readers follow the switch.
fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Failing to set an attribute only loses a hint; nothing to recover.
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// Every UI text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum K {
    AppName,
    AppTagline,
    NavLeads,
    NavCustomers,
    NavOpportunities,
    NavQuotes,
    NavOrders,
    NavReceivables,
    NavReports,
    NavSettings,
    NavMain,
    Logout,
    Language,
    Loading,
    Save,
    Saving,
    Cancel,
    Edit,
    Delete,
    Deleting,
    Confirm,
    Back,
    Reload,
    Close,
    Search,
    Actions,
    Prev,
    Next,
    LoadMore,
    Empty,
    Required,
    SelectPlaceholder,
    ClearFilters,

    LoginTitle,
    LoginSubtitle,
    LoginTenant,
    LoginTenantPlaceholder,
    LoginTenantHint,
    LoginEmail,
    LoginPassword,
    LoginSubmit,
    LoginSubmitting,
    LoginSide1,
    LoginSide2,
    LoginSide3,
    SessionExpired,

    NetworkError,
    UnexpectedError,
    StaleTitle,
    StaleBody,
    StaleReload,
    NotFoundTitle,
    NotFoundBody,
    BackToLeads,
    NoPermissionTitle,
    NoPermissionBody,
    ValueRequired,
    ErrorsBelow,

    LeadsTitle,
    LeadsSubtitle,
    NewLead,
    LeadsSearchPlaceholder,
    AllStatuses,
    AllSources,
    RegionPlaceholder,
    IndustryPlaceholder,
    EmptyLeadsTitle,
    EmptyLeadsHint,
    EmptyFilteredTitle,
    EmptyFilteredHint,
    SortAscending,
    SortDescending,

    FieldCompanyName,
    FieldContactName,
    FieldTitle,
    FieldPhone,
    FieldMobile,
    FieldEmail,
    FieldSource,
    FieldRegion,
    FieldIndustry,
    FieldStatus,
    FieldOwner,
    FieldNotes,
    FieldCreatedAt,
    FieldUpdatedAt,
    OwnerDefaultMe,
    SectionBasic,
    SectionContact,
    SectionClassification,
    SectionNotes,
    EditLead,
    LeadCreated,
    LeadSaved,
    NoChanges,
    DeleteLead,
    DeleteLeadConfirm,
    LeadDeleted,
    LeadDetails,
    LeadNotFound,
    History,
    HistoryEmpty,
    SystemActor,
    ActionCreated,
    ActionUpdated,
    ActionDeleted,
    ActionDisabled,
    ActionEnabled,
    ActionStatusChanged,
    ActionConverted,
    ActionMerged,
    FieldCustomer,
    FieldContact,

    SourcePhone,
    SourceReferral,
    SourceExhibition,
    SourceWebsite,
    SourceDesignInstitute,
    SourceCampaign,
    SourceOther,
    StatusNew,

    SettingsTitle,
    SettingsSubtitle,
    TabDepartments,
    TabUsers,
    TabRoles,

    NewDepartment,
    EditDepartment,
    AddSubDepartment,
    DeptName,
    DeptParent,
    DeptManager,
    NoParent,
    NoManager,
    DeptEmpty,
    DeptCreated,
    DeptSaved,
    DeptDeleted,
    DeptMembers,

    NewUser,
    EditUser,
    UserName,
    UserEmail,
    UserPhone,
    UserDepartment,
    UserRole,
    UserPassword,
    UserNewPassword,
    UserNewPasswordHint,
    UserStatus,
    UserActive,
    UserDisabled,
    Disable,
    Enable,
    UserCreated,
    UserSaved,
    UserWasDisabled,
    UserWasEnabled,
    UsersSearchPlaceholder,
    UsersEmpty,

    NewRole,
    EditRole,
    RoleKey,
    RoleKeyHint,
    RoleName,
    RolePermissions,
    RoleDataScope,
    RoleBuiltin,
    RoleCustom,
    RoleCreated,
    RoleSaved,
    RoleDeleted,
    RolesEmpty,

    PermLeadRead,
    PermLeadWrite,
    PermLeadDelete,
    PermUserManage,
    PermAuditRead,
    ScopeOwn,
    ScopeDepartment,
    ScopeDepartmentTree,
    ScopeAll,

    NavHome,
    Add,
    Remove,
    InPool,

    StatusWorking,
    StatusQualified,
    StatusDisqualified,
    StatusConverted,

    PermLeadQualify,
    PermCustomerRead,
    PermCustomerWrite,
    PermCustomerDelete,
    PermCustomerMerge,
    PermSettingsManage,

    CustomersTitle,
    CustomersSubtitle,
    NewCustomer,
    CustomersSearchPlaceholder,
    AllTiers,
    EmptyCustomersTitle,
    EmptyCustomersHint,
    EmptyCustomersFilteredTitle,
    BackToCustomers,

    CustomerPotential,
    CustomerActive,
    CustomerDormant,
    CustomerLost,

    FieldCustomerName,
    FieldShortName,
    FieldCreditCode,
    FieldProvince,
    FieldCity,
    FieldAddress,
    FieldWebsite,
    FieldTier,
    FieldTags,
    FieldParent,
    FieldLastActivity,
    CreditCodeHint,
    TagsPlaceholder,
    RemoveTag,
    CustomerSearchPlaceholder,
    NoCustomerFound,
    ClearChoice,
    SectionLocation,
    EditCustomer,
    CustomerCreated,
    CustomerSaved,
    DeleteCustomer,
    DeleteCustomerConfirm,
    CustomerDeleted,
    CustomerDetails,
    CustomerNotFound,

    DuplicateChecking,
    DuplicateExactTitle,
    DuplicateExactBody,
    DuplicateSimilarTitle,
    DuplicateSimilarBody,
    DuplicateRefusedTitle,
    DuplicateRefusedBody,
    MatchName,
    MatchCreditCode,
    MatchPhone,
    MatchEmail,
    MatchSimilarName,

    Contacts,
    NewContact,
    EditContact,
    ContactsEmpty,
    PrimaryContact,
    MakePrimary,
    ContactName,
    FieldDepartment,
    FieldWechat,
    FieldBirthday,
    FieldDecisionRole,
    RoleDecisionMaker,
    RoleInfluencer,
    RoleUser,
    RoleTechnicalGate,
    ContactCreated,
    ContactSaved,
    ContactDeleted,
    DeleteContact,

    Merge,
    MergeTitle,
    MergeHint,
    MergeThis,
    MergeOther,
    MergeKeep,
    MergeKeepThis,
    MergeKeepOther,
    MergeConfirm,
    Merging,
    CustomersMerged,

    Activities,
    LogActivity,
    ActivitiesEmpty,
    FieldKind,
    KindCall,
    KindVisit,
    KindEmail,
    KindMeeting,
    KindWechat,
    KindOther,
    FieldSubject,
    FieldOutcome,
    FieldOccurredAt,
    OccurredAtHint,
    FieldNextFollowUp,
    NextFollowUpHint,
    FieldContacts,
    ActivityLogged,
    ActivityDeleted,
    DeleteActivity,
    DeleteActivityConfirm,
    FromLead,

    StartWorking,
    Qualify,
    Disqualify,
    Reopen,
    Convert,
    LeadStartedWorking,
    LeadQualified,
    LeadDisqualified,
    LeadReopened,
    LeadConverted,
    QualifyMissingTitle,
    QualifyMissingFix,
    DisqualifyTitle,
    FieldReason,
    FieldNote,
    FieldDisqualifyReason,
    FieldQualifiedAt,
    FieldConvertedAt,
    ConvertTitle,
    ConvertHint,
    ConvertCreateNew,
    ConvertUseExisting,
    ConvertNoMatches,
    ConvertCreateContact,
    ConvertChoose,
    ConvertSubmit,
    Converting,
    ConvertedInto,
    ViewCustomer,
    ViewContact,

    HomeTitle,
    HomeSubtitle,
    MyTasks,
    HomeViewMine,
    HomeViewTeam,
    HomeViewFinance,
    HomeTeamSubtitle,
    HomeFinanceSubtitle,
    HomeOpenReport,
    HomeTarget,
    HomeNoTarget,
    HomeMyPipeline,
    HomeWonThisMonth,
    HomeOverdueReceivables,
    HomeOverdueDeliveries,
    HomeMyFunnel,
    HomeTeamFunnel,
    HomeForecast,
    HomeAwaitingMe,
    HomeCommit,
    HomeExpectedThisMonth,
    HomeOver90Days,
    HomeOutstanding,
    HomeCollectionRate,
    HomeDso,
    HomeDsoHint,
    TasksEmpty,
    TasksEmptyHint,
    DueToday,
    FieldDueOn,
    FieldRelated,
    Complete,
    TaskCompleted,

    TabRules,
    RulesQualification,
    RulesQualificationHint,
    RulesReasons,
    RulesReasonsHint,
    RulesTiers,
    RulesTiersHint,
    ChoiceKey,
    ChoiceLabel,
    ChoiceKeyHint,
    RulesSaved,
    InvalidDate,
    FieldProvinceCity,
    MoveUp,
    ConvertPickHint,

    ViewMine,
    ViewAll,
    Claim,
    Claiming,
    Claimed,
    ClaimLimitReached,
    NotInPool,
    EmptyPoolTitle,
    EmptyPoolHint,
    Release,
    ReleaseHint,
    ReleaseConfirm,
    Released,
    Assign,
    AssignTitle,
    NewOwner,
    AssignSubmit,
    AssignByRules,
    AssignByRulesHint,
    Assigned,
    AssignedToPool,
    OwnerHistory,
    OwnerHistoryEmpty,
    ReasonCreated,
    ReasonAssigned,
    ReasonRule,
    ReasonClaimed,
    ReasonReleased,
    ReasonAutoReturned,
    AssignByRulesOption,
    AssignByRulesOptionHint,
    RulesPool,
    RulesPoolHint,
    FieldPoolReturnDays,
    PoolReturnDaysHint,
    FieldPoolWarningDays,
    PoolWarningDaysHint,
    FieldPoolClaimLimit,
    PoolClaimLimitHint,
    AssignmentRules,
    AssignmentRulesHint,
    AssignmentRulesEmpty,
    NewAssignmentRule,
    EditAssignmentRule,
    DeleteAssignmentRule,
    DeleteAssignmentRuleConfirm,
    AssignmentRuleCreated,
    AssignmentRuleSaved,
    AssignmentRuleDeleted,
    FieldPosition,
    PositionHint,
    FieldTarget,
    TargetUser,
    TargetDepartment,
    AnyValue,
    RoundRobin,
    WholeNumber,

    Import,
    ExportCsv,
    ExportExcel,
    DownloadFailed,
    ExportTruncated,
    ImportTitle,
    ImportSubtitle,
    StepFile,
    StepMapping,
    StepPreview,
    StepRun,
    ImportKind,
    ImportFile,
    ImportFileHint,
    ImportUpload,
    Uploading,
    FileTooLarge,
    MappingHint,
    SkipColumn,
    ImportOwnerMe,
    ImportOwnerPool,
    ChooseAnotherFile,
    PreviewAction,
    Previewing,
    RowsValid,
    RowsRejected,
    NoProblems,
    ProblemRow,
    ProblemField,
    ProblemMessage,
    ProblemsTruncated,
    BackToMapping,
    CommitImport,
    Committing,
    ImportUploaded,
    ImportPreviewed,
    ImportQueued,
    ImportRunning,
    ImportDone,
    ImportFailed,
    RejectedRows,
    RejectionsHint,
    DownloadRejectionsCsv,
    DownloadRejectionsExcel,
    ImportErrorForbidden,
    ImportErrorInactive,
    ImportErrorInternal,
    ImportAnother,
    BackHome,
    NavProducts,
    OpportunitiesTitle,
    OpportunitiesSubtitle,
    ViewMode,
    ViewBoard,
    ViewList,
    NewOpportunity,
    OpportunitiesSearchPlaceholder,
    FieldPipeline,
    AllOwners,
    FieldOpportunityKind,
    AllKinds,
    FieldStage,
    AllStages,
    CloseFrom,
    CloseTo,
    SavedFilters,
    SaveFilter,
    SavedFilterName,
    SavedFilterSaved,
    SavedFilterDeleted,
    DeleteSavedFilter,
    MoveRefusedClosed,
    LostTitle,
    LostHint,
    FieldLostReason,
    FieldWinningCompetitor,
    MarkLost,
    Weighted,
    FieldExpectedClose,
    EmptyOpportunitiesTitle,
    EmptyOpportunitiesHint,
    EmptyOpportunitiesFilteredTitle,
    FieldOpportunityName,
    FieldAmount,
    FieldProbability,
    FieldNextStep,
    StageOpen,
    StageWon,
    StageLost,
    KindSimple,
    KindProject,
    ChangeCreated,
    ChangeMoved,
    ChangeWon,
    ChangeLost,
    ChangeReopened,
    PriceFromCustomer,
    PriceFromTier,
    PriceFromList,
    PriceEventWon,
    PriceEventQuoted,
    PriceEventSold,
    PermOpportunityRead,
    PermOpportunityWrite,
    PermOpportunityDelete,
    PermQuoteRead,
    PermQuoteWrite,
    PermQuoteDelete,
    PermProductManage,
    RulesLostReasons,
    RulesLostReasonsHint,
    BackToOpportunities,
    OpportunityNotFound,
    InvalidNumber,
    OpportunityCreated,
    OpportunitySaved,
    FirstStage,
    SectionDeal,
    FieldCurrency,
    AmountHint,
    AmountFromLinesHint,
    ProbabilityHint,
    FieldDescription,
    EditOpportunity,
    NoProductFound,
    ProductSearchPlaceholder,
    OpportunityDeleted,
    DeleteOpportunity,
    DeleteOpportunityConfirm,
    FieldWeightedAmount,
    OpportunityDetails,
    FieldStageEnteredAt,
    FieldWonOn,
    OpportunityLost,
    OpportunityReopened,
    ReopenTitle,
    StageClosedFrom,
    TimeInPrevious,
    StageHistory,
    DecisionChainEmpty,
    DecisionChain,
    TeamEmpty,
    TeamMember,
    TeamRole,
    TeamRolePlaceholder,
    Team,
    CompetitorsEmpty,
    CompetitorName,
    CompetitorPrice,
    Strengths,
    Weaknesses,
    Competitors,
    PartnersEmpty,
    PartnerName,
    PartnerRole,
    PartnerRolePlaceholder,
    Partners,
    PriceByHand,
    LinesEmpty,
    FieldProduct,
    FieldQuantity,
    FieldUnitPrice,
    PriceSourceLabel,
    FieldDiscount,
    Total,
    LastPrice,
    Lines,
    ProductCreated,
    ProductSaved,
    ProductDeleted,
    DeleteProduct,
    Inactive,
    PriceHistory,
    ProductsEmpty,
    ProductsEmptyHint,
    ProductsTitle,
    ProductsSubtitle,
    PriceLists,
    NewProduct,
    FieldActive,
    ActiveOnly,
    InactiveOnly,
    AllProducts,
    FieldProductCode,
    FieldProductName,
    FieldSpec,
    FieldUnit,
    FieldCategory,
    FieldListPrice,
    FieldVatRate,
    FieldExternalId,
    CategoryCreated,
    CategorySaved,
    CategoryDeleted,
    AddSubCategory,
    NewCategory,
    EditCategory,
    AllCategories,
    DeleteCategory,
    CategoryName,
    CategoryParent,
    EditProduct,
    NoCategory,
    FieldExternalSource,
    PriceHistoryEmpty,
    FieldRecordedAt,
    PriceEvent,
    PriceSourceRecord,
    BackToProducts,
    AudienceTier,
    AudienceCustomer,
    PriceListsEmpty,
    PriceListsEmptyHint,
    PriceListsSubtitle,
    NewPriceList,
    PriceListName,
    Audience,
    Validity,
    ItemCount,
    PriceListNotFound,
    PriceListSaved,
    PriceListDeleted,
    DeletePriceList,
    PriceListActive,
    ValidFrom,
    ValidTo,
    ValidFromHint,
    ValidToHint,
    PriceListItems,
    PriceListItemsHint,
    MinQuantity,
    ProbabilityRange,
    PipelineSaved,
    PipelineDeleted,
    StageName,
    StageKindLabel,
    MoveDown,
    DefaultPipeline,
    Pipelines,
    PipelinesHint,
    NewPipeline,
    PipelineName,
    DefaultPipelineHint,
    AddStage,
    DeletePipeline,
    ConvertCreateOpportunity,
    ReopenOpportunity,
    QuotesTitle,
    QuotesSubtitle,
    NewQuote,
    NewQuoteShort,
    QuotesSearchPlaceholder,
    QuotesEmpty,
    QuotesEmptyHint,
    QuoteNumber,
    QuoteTitle,
    QuoteTotal,
    ValidUntil,
    BackToQuotes,
    QuoteNotFound,
    QuoteDraft,
    QuotePendingApproval,
    QuoteApproved,
    QuoteRejected,
    QuoteSentStatus,
    QuoteAcceptedStatus,
    QuoteDeclinedStatus,
    QuoteExpired,
    Superseded,
    EditQuote,
    SectionCustomer,
    SectionTerms,
    FieldOpportunity,
    NoOpportunity,
    QuoteOpportunityHint,
    QuoteTitlePlaceholder,
    ValidUntilHint,
    HeaderDiscountPercent,
    HeaderDiscount,
    PaymentTerms,
    PaymentTermsPlaceholder,
    DeliveryTerms,
    DeliveryTermsPlaceholder,
    QuoteNotes,
    InternalNote,
    FreeLine,
    AddFreeLine,
    QuoteLinesEmpty,
    QuoteLinesHint,
    LineDescriptionPlaceholder,
    PriceFromPriceLists,
    DefaultChoice,
    QuoteLastPrice,
    LinesTotal,
    TotalExclVat,
    VatAmount,
    GrandTotal,
    PreviewHint,
    PreviewPending,
    PreviewFailed,
    EditApprovedWarning,
    QuoteNotEditable,
    QuoteCreated,
    QuoteSaved,
    QuoteDetails,
    QuoteVersion,
    SentAt,
    AcceptedAt,
    DeclinedAt,
    DeclineReason,
    RevisedFrom,
    PreviousVersion,
    CopiedFrom,
    OriginalQuote,
    SubmitQuote,
    SendQuote,
    AcceptQuote,
    DeclineQuote,
    ReviseQuote,
    CopyQuote,
    DeleteQuote,
    DeleteQuoteConfirm,
    DeclineTitle,
    QuoteSubmitted,
    QuoteSent,
    QuoteAccepted,
    QuoteDeclined,
    QuoteRevised,
    QuoteCopied,
    QuoteDeleted,
    PrintQuote,
    PdfVariant,
    PdfPriced,
    PdfNoPrices,
    PdfLanguage,
    Preview,
    Download,
    OpenInNewTab,
    QuoteVersions,
    Compare,
    CompareVersions,
    CompareFields,
    CompareNoFieldChanges,
    CompareField,
    CompareChange,
    CompareTotals,
    Before,
    After,
    Changed,
    ChangedFields,
    LineAdded,
    LineRemoved,
    LineChanged,
    LineUnchanged,
    OpportunityQuotesEmpty,
    NavApprovals,
    Approval,
    ApprovalsTitle,
    ApprovalsSubtitle,
    ApprovalsAwaitingMe,
    ApprovalsSubmitted,
    ApprovalsAll,
    ApprovalsInboxEmpty,
    ApprovalsEmpty,
    ApprovalsHint,
    DocumentNumber,
    DocumentTitle,
    CurrentStep,
    Submitter,
    SubmittedAt,
    ApprovalPolicy,
    ApprovalPending,
    ApprovalStatusApproved,
    ApprovalStatusRejected,
    ApprovalStatusReturned,
    ApprovalStatusWithdrawn,
    StepWaiting,
    StepPending,
    StepApproved,
    StepRejected,
    StepReturned,
    StepCancelled,
    DecisionApproved,
    DecisionRejected,
    DecisionReturned,
    DecisionDelegated,
    Undecided,
    EventSubmitted,
    EventApproved,
    EventRejected,
    EventReturned,
    EventWithdrawn,
    EventDelegated,
    EventStepCompleted,
    EventCompleted,
    ModeAny,
    ModeAll,
    MatchAny,
    MatchAll,
    ApprovalTimeline,
    ApprovalComment,
    CommentRequired,
    Approve,
    Reject,
    ReturnToSubmitter,
    Delegate,
    Withdraw,
    ApprovalApproved,
    ApprovalRejected,
    ApprovalReturned,
    ApprovalWithdrawn,
    ApprovalDelegated,
    ApprovalNotFound,
    DelegateTitle,
    DelegateHint,
    DelegateTo,
    DelegatedTo,
    DelegatedFrom,
    TabApprovalPolicies,
    TabDocumentTemplate,
    ApprovalPolicies,
    DocumentQuote,
    PoliciesHint,
    PoliciesEmpty,
    PoliciesEmptyHint,
    NewPolicy,
    EditPolicy,
    DeletePolicy,
    PolicyCreated,
    PolicySaved,
    PolicyDeleted,
    PolicyName,
    PolicyNamePlaceholder,
    PolicyPriority,
    PolicyPriorityHint,
    PolicyActive,
    AllowSelfApproval,
    PolicyConditions,
    PolicySteps,
    PolicyStepsHint,
    AlwaysApplies,
    AlwaysAppliesHint,
    Or,
    And,
    ConditionKind,
    ConditionTotal,
    ConditionDiscount,
    ConditionTier,
    AddCondition,
    EffectiveDiscount,
    StepName,
    StepNamePlaceholder,
    StepModeLabel,
    AddStep,
    ApproverKind,
    ApproverUser,
    ApproverRole,
    ApproverDepartmentManager,
    ApproverLevelsUp,
    ApproverTopManager,
    ApproverLevels,
    LevelsUp,
    AddApprover,
    TemplateLetterhead,
    TemplateHint,
    TemplateCompanyName,
    TemplateTaxId,
    TemplateAddress,
    TemplatePhone,
    TemplateEmail,
    TemplateWebsite,
    TemplateBankName,
    TemplateBankAccount,
    TemplateQuoteTitle,
    TemplateSellerSignature,
    TemplateBuyerSignature,
    TemplateQuoteIntro,
    TemplateQuoteClosing,
    TemplateSaved,
    TemplateLogo,
    UploadLogo,
    LogoHint,
    NoLogo,
    RemoveLogo,
    LogoUploaded,
    LogoRemoved,
    LogoTooLarge,
    LogoWrongType,
    DocumentSalesOrder,
    PermSalesOrderRead,
    PermSalesOrderWrite,
    PermSalesOrderDelete,
    PermReceivableRead,
    PermReceivableWrite,
    RulesCreditCheck,
    RulesCreditCheckHint,
    FieldCreditCheckMode,
    RulesForecast,
    RulesForecastHint,
    FieldForecastCommitProbability,
    TabTargets,
    TargetsHint,
    TargetsYear,
    TargetsMetric,
    TargetsDepartments,
    TargetsPeople,
    TargetsSaved,
    TargetsNotAmount,
    MetricWonAmount,
    MetricOrderAmount,
    MetricCollections,
    ForecastTitle,
    ForecastSubtitle,
    ForecastChartTitle,
    ForecastTableTitle,
    ForecastMonth,
    ForecastOpen,
    ForecastPipeline,
    ForecastWeighted,
    ForecastCommit,
    ForecastWon,
    ForecastTarget,
    ForecastCompletion,
    ForecastPastDue,
    ForecastEmpty,
    ForecastEmptyHint,
    ForecastTargetAll,
    ForecastTargetOf,
    ForecastOtherCurrencies,
    PerformanceTitle,
    PerformanceSubtitle,
    PerformanceTableTitle,
    PerformanceRank,
    PerformanceSubject,
    PerformanceActual,
    PerformanceEmpty,
    PerformanceEmptyHint,
    CreditCheckOff,
    CreditCheckWarn,
    CreditCheckBlock,
    OrdersTitle,
    OrdersSubtitle,
    OrdersSearchPlaceholder,
    OrdersEmpty,
    OrdersEmptyHint,
    OrderNumber,
    OrderTotal,
    OrderDate,
    ReceivedAmount,
    NextPromisedDate,
    DeliveryOverdue,
    OverdueDeliveries,
    OverdueSubtitle,
    OverdueEmpty,
    OverdueHint,
    DaysOverdue,
    OrderDraft,
    OrderPendingApproval,
    OrderConfirmed,
    OrderPartiallyShipped,
    OrderShipped,
    OrderCompleted,
    OrderCancelled,
    OrderNotFound,
    BackToOrders,
    OrderDetails,
    CustomerPo,
    ShippingAddress,
    ConfirmedAt,
    CancelledAt,
    CancelReason,
    CancelledAmount,
    InvoicedAmount,
    CreateOrder,
    OrderCreated,
    SubmitOrder,
    Submitting,
    OrderSubmitted,
    OrderConfirmedToast,
    CancelOrder,
    CancelOrderTitle,
    CancelOrderHint,
    CancelPartlyShippedHint,
    OrderCancelledToast,
    DeleteOrder,
    DeleteOrderConfirm,
    OrderDeleted,
    CreditCheckTitle,
    CreditWarned,
    CreditBlocked,
    CreditLimit,
    OpenReceivables,
    ThisOrder,
    CreditExposure,
    CreditOver,
    SubmitAnyway,
    PromisedDate,
    ShippedQuantity,
    DeliveredQuantity,
    OpenQuantity,
    Shipments,
    ShipmentsEmpty,
    ShipmentNumber,
    ShippedOn,
    Carrier,
    TrackingNumber,
    ShipmentInTransit,
    ShipmentDelivered,
    Ship,
    ShipTitle,
    ShipQuantity,
    MoreThanOpen,
    NothingToShip,
    ShippedToast,
    Deliver,
    DeliverTitle,
    DeliveredOn,
    ReceivedBy,
    ShipmentDeliveredToast,
    CollectionPlan,
    PlanEmpty,
    EditPlan,
    EditPlanTitle,
    PlanHint,
    InstalmentName,
    InstalmentNamePlaceholder,
    Share,
    ShareKind,
    ByPercent,
    ByAmount,
    Percent,
    DueRule,
    DueAfterEvent,
    DueOnDate,
    PlanEventLabel,
    Days,
    DueDate,
    PaidAmount,
    Outstanding,
    AddInstalment,
    AmountOwed,
    PlanNeedsInstalment,
    PlanSaved,
    EventOrderConfirmed,
    EventFirstShipment,
    EventFullyShipped,
    EventAccepted,
    DueAfterConfirmed,
    DueAfterFirstShipment,
    DueAfterFullyShipped,
    DueAfterAccepted,
    InstalmentScheduled,
    InstalmentNotDue,
    InstalmentOverdue,
    InstalmentPaid,
    RecordPayment,
    RecordPaymentTitle,
    OrderOutstanding,
    PaymentAmount,
    PaymentMethod,
    ReceivedOn,
    PaymentReference,
    PaymentReferencePlaceholder,
    MethodBankTransfer,
    MethodBankAcceptanceBill,
    MethodCash,
    MethodOther,
    Invoices,
    InvoicesEmpty,
    IssueInvoice,
    IssueInvoiceTitle,
    InvoiceNumber,
    IssuedOn,
    InvoiceAmount,
    TaxAmount,
    InvoiceKind,
    InvoiceVatSpecial,
    InvoiceVatGeneral,
    InvoiceRecorded,
    OrderTimeline,
    TimelineEmpty,
    TimelineQuoteAccepted,
    TimelineCreated,
    TimelineUpdated,
    TimelineStatusChanged,
    TimelineApproval,
    TimelineShipped,
    TimelineDelivered,
    TimelineInvoiced,
    TimelinePaymentAllocated,
    TimelinePlanChanged,
    ReceivablesTitle,
    ReceivablesSubtitle,
    AgingTitle,
    AgingEmpty,
    AgingEmptyHint,
    AsOf,
    GroupBy,
    BucketNotDue,
    Bucket1To30,
    Bucket31To60,
    Bucket61To90,
    Bucket91To180,
    BucketOver180,
    AllBuckets,
    OpenInstalments,
    ReceivablesEmpty,
    PermContractRead,
    PermContractWrite,
    PermContractDelete,
    DocumentContract,
    NavContracts,
    ContractsTitle,
    ContractsSubtitle,
    ContractsSearchPlaceholder,
    ContractsEmpty,
    ContractsEmptyHint,
    ContractNumber,
    ContractName,
    ContractTotal,
    SignedOn,
    StartsOn,
    EndsOn,
    ContractDraft,
    ContractPendingApproval,
    ContractActive,
    ContractCompleted,
    ContractTerminated,
    ContractNotFound,
    BackToContracts,
    ContractDetails,
    ContractTerms,
    ActivatedAt,
    CompletedAt,
    TerminatedAt,
    TerminationReason,
    SubmitContract,
    ContractSubmitted,
    ContractActivated,
    CompleteContract,
    ContractCompletedToast,
    TerminateContract,
    TerminateContractTitle,
    TerminateContractHint,
    ContractTerminatedToast,
    OrderFromContract,
    DeleteContract,
    DeleteContractConfirm,
    ContractDeleted,
    CreateContract,
    ContractCreated,
    Attachments,
    AttachmentsEmpty,
    UploadAttachment,
    AttachmentUploaded,
    AttachmentDeleted,
    DeleteAttachment,
    DeleteAttachmentConfirm,
    AttachmentTooLarge,
    FileName,
    FileSize,
    UploadedBy,
    UploadedAt,
    Notifications,
    NotificationsSubtitle,
    NotificationsEmpty,
    NotificationsUnreadOnly,
    MarkAllRead,
    AllMarkedRead,
    NotificationsUnread,
    CreditLimitSaved,
    NoCreditLimit,
    UnappliedCredit,
    CreditAvailable,
    CreditLimitCny,
    CreditLimitHint,
    MoreThanOutstanding,
    AllocatedMoreThanPaid,
    NoOpenInstalments,
    AllocateAmount,
    AllocateAll,
    CustomerCreditNow,
    AllocationMode,
    AllocateAuto,
    AllocateManual,
    Allocated,
    UnallocatedAsCredit,
    ApplyCredit,
    ApplyCreditTitle,
    ApplyAvailable,
    ApplyNothingTyped,
    CreditApplied,
    PaymentsTitle,
    PaymentsSubtitle,
    PaymentNumber,
    PaymentAllocatedTo,
    PaymentsEmpty,
    PaymentsEmptyHint,
    UnappliedOnly,
    UnappliedAmount,
    AllocatedAmount,
    BackToReceivables,
    NewOrder,
    EditOrder,
    OrderSaved,
    OrderLinesEmpty,
    OrderLinesHint,
    DefaultPromisedDate,
    OrderTitle,
    OrderSubmittedEditHint,
    ChangePromisedDates,
    NewContract,
    ContractLinesHint,
    ContractTitlePlaceholder,
    EditContract,
    ContractSaved,
    ContractNotEditable,

    TabApiKeys,
    NewApiKey,
    ApiKeyName,
    ApiKeyNameExample,
    ApiKeyPrefix,
    ApiKeyUser,
    ApiKeyUserHint,
    ApiKeyExpires,
    ApiKeyExpiresHint,
    ApiKeyNeverExpires,
    ApiKeyLastUsed,
    ApiKeyNeverUsed,
    ApiKeyActive,
    ApiKeyExpired,
    ApiKeyRevoked,
    Revoke,
    Revoking,
    RevokeApiKey,
    ApiKeyRevokedToast,
    ApiKeyCreatedTitle,
    ApiKeyShownOnce,
    ApiKeyUsage,
    ApiKeySavedClose,
    Copy,
    Copied,
    CopyFailed,
    ApiKeysEmpty,
    ApiKeysEmptyHint,

    TabWebhooks,
    NewWebhook,
    WebhookUrl,
    WebhookUrlHint,
    WebhookDescription,
    WebhookDescriptionExample,
    WebhookEvents,
    WebhookEventsHint,
    WebhookAllEvents,
    WebhookAllEventsHint,
    WebhookEventsRequired,
    WebhookEnabledOnCreate,
    WebhookStatusEnabled,
    WebhookStatusDisabled,
    WebhookReasonManual,
    WebhookReasonGone,
    WebhookReasonFailing,
    WebhookFailures,
    WebhookPendingDeliveries,
    WebhooksEmpty,
    WebhooksEmptyHint,
    WebhookCreatedTitle,
    WebhookSecretOnce,
    WebhookSecretLater,
    WebhookInternalAddressHint,
    EventGroupLead,
    EventGroupCustomer,
    EventGroupContact,
    EventGroupOpportunity,
    EventGroupQuote,
    EventGroupApproval,
    EventGroupContract,
    EventGroupSalesOrder,
    EventGroupShipment,
    EventGroupInvoice,
    EventGroupPayment,
    EventGroupInstalment,
    BackToWebhooks,
    WebhookNotFound,
    WebhookEndpoint,
    WebhookSaved,
    WebhookEnabledToast,
    WebhookDisabledToast,
    DeleteWebhook,
    WebhookDeleted,
    WebhookFailingSince,
    WebhookSecret,
    WebhookSecretHint,
    RevealSecret,
    HideSecret,
    RotateSecret,
    RotatingSecret,
    OverlapHours,
    OverlapHoursHint,
    SecretRotated,
    PreviousSecret,
    PreviousSecretUntil,
    Deliveries,
    DeliveryTime,
    DeliveryEvent,
    DeliveryAttempts,
    DeliveryLastCode,
    DeliveryNextAttempt,
    DeliveryPending,
    DeliveryDelivered,
    DeliveryFailed,
    DeliveriesEmpty,
    DeliveriesEmptyHint,
    Resend,
    Resent,
    ShowAttempts,
    HideAttempts,
    AttemptTime,
    AttemptStatusCode,
    AttemptLatency,
    AttemptResponse,
    AttemptsEmpty,
    NoAnswer,
    Replay,
    ReplayTitle,
    ReplayHint,
    ReplayFrom,
    ReplayTo,
    ReplayOrder,
    RulesWebhookHosts,
    RulesWebhookHostsHint,

    TabDataSync,
    ErpSync,
    SyncResultLabel,
    SyncSucceeded,
    SyncFailed,
    NotSyncedYet,
    LastSyncedAt,
    SyncedAt,
    SyncProblem,
    SyncKindLabel,
    SyncKindCustomer,
    SyncKindContact,
    SyncKindProduct,
    SyncKindSalesOrder,
    SyncKindShipment,
    SyncKindInvoice,
    SyncKindPayment,
    SyncRecord,
    SyncRecordOpen,
    SyncRecordExists,
    SyncRecordNone,
    SyncFilterFailed,
    SyncFilterSucceeded,
    SyncFilterAll,
    SyncsFailedEmpty,
    SyncsFailedEmptyHint,
    SyncsEmpty,
    SyncsEmptyHint,

    ErpReconciliation,
    ReconciliationTitle,
    ReconciliationSubtitle,
    ReconciliationEmpty,
    ReconciliationEmptyHint,
    ReconciliationFilter,
    FiguresAgree,
    ReportedAt,
    FigureField,
    FigureDifferences,
    FigureTotal,
    FigureInvoiced,
    FigurePaid,
    FunnelTitle,
    FunnelSubtitle,
    ReportFilterBar,
    PeriodFrom,
    PeriodTo,
    PeriodShown,
    AllDepartments,
    AllProductCategories,
    FieldProductCategory,
    Print,
    FunnelChartTitle,
    FunnelTableTitle,
    FunnelClosedNote,
    FunnelCount,
    FunnelWeighted,
    FunnelEntered,
    FunnelAdvanced,
    FunnelConversion,
    FunnelAverageDays,
    ReportCountLinkTitle,
    FunnelEmpty,
    FunnelEmptyHint,
    ReportEmptyFilteredHint,
    ReportFilters,
    FieldClosedOn,
    BoardNeedsNoReportFilters,
    SomeDepartment,
    SomeCategory,
    WinRateTitle,
    WinRateTab,
    WinRateSubtitle,
    WinRateGroupBy,
    WinRateChartTitle,
    WinRateTableTitle,
    WinRateClosedNote,
    WinRate,
    WonAmount,
    AverageCycleDays,
    OverallWinRate,
    NoSource,
    NoIndustry,
    WinRateEmpty,
    WinRateEmptyHint,
    ReportNoDrillNote,
    IdleFor,
    LeadReached,
    LeadReachedQualified,
    LeadReachedWon,
    LeadSourcesTitle,
    LeadSourcesSubtitle,
    LeadSourcesChartTitle,
    LeadSourcesTableTitle,
    LeadSourcesLeads,
    LeadSourcesQualified,
    LeadSourcesConverted,
    LeadSourcesWonLeads,
    LeadSourcesWonDeals,
    LeadSourcesWonAmount,
    LeadSourcesQualifiedRate,
    LeadSourcesConvertedRate,
    LeadSourcesQualifiedWonRate,
    LeadSourcesWonRate,
    LeadSourcesEmpty,
    LeadSourcesEmptyHint,
    LeadSourcesLeadsLink,
    LeadSourcesCampaignNote,
    ActivityTitle,
    ActivitySubtitle,
    ActivityChartTitle,
    ActivityTableTitle,
    ActivityRep,
    ActivityKinds,
    ActivityTotal,
    ActivityEmpty,
    ActivityEmptyHint,
    ActivityWeekNote,
    IdleTitle,
    IdleDaysLabel,
    IdleLink,
    IdleLastFollowUp,
    IdleNever,
    IdleEmpty,
    IdleEmptyHint,
    IdleShownNote,
    CollectionsTitle,
    CollectionsSubtitle,
    CollectionsChartTitle,
    CollectionsTableTitle,
    CollectionsDue,
    CollectionsCollected,
    CollectionsRate,
    CollectionsOutstanding,
    CollectionsReceived,
    CollectionsEmpty,
    CollectionsEmptyHint,
    CollectionsOutstandingLink,
    CollectionsReceivedLink,
    DsoTitle,
    DsoOutstanding,
    DsoOrdered,
    DsoDays,
    OrderReportTitle,
    OrderReportSubtitle,
    OrderReportChartTitle,
    OrderReportTableTitle,
    OrderReportOrders,
    OrderReportAmount,
    OrderReportNoProduct,
    OrderReportEmpty,
    OrderReportEmptyHint,
    OrderReportLink,
    OnTimeDelivery,
    ShippedLines,
    OnTimeLines,
    CustomerValueTitle,
    CustomerValueSubtitle,
    CustomerValueCustomers,
    CustomerValueRevenue,
    CustomerValueTopFifth,
    CustomerValueNewShare,
    CustomerValueParetoTitle,
    CustomerValueCumulative,
    CustomerValueClassesTitle,
    CustomerValueClass,
    ValueClassA,
    ValueClassB,
    ValueClassC,
    CustomerValueCustomerShare,
    CustomerValueRevenueShare,
    CustomerValueTopTitle,
    CustomerValueRank,
    CustomerValueCohortTitle,
    CustomerValueNew,
    CustomerValueRepeat,
    CustomerValueCohortHint,
    CustomerValueDormantTitle,
    CustomerValueDormantAfter,
    CustomerValueLastOrder,
    CustomerValueDaysSince,
    CustomerValueLifetime,
    CustomerValueEmpty,
    CustomerValueEmptyHint,
    CustomerValueDormantEmpty,
    CustomerValueDormantEmptyHint,
    CustomerValueDrillLink,
    CustomerValueOrdersLink,
}

impl K {
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => zh_cn::text(self),
            Lang::En => en::text(self),
        }
    }
}

pub fn source_key(source: LeadSource) -> K {
    match source {
        LeadSource::Phone => K::SourcePhone,
        LeadSource::Referral => K::SourceReferral,
        LeadSource::Exhibition => K::SourceExhibition,
        LeadSource::Website => K::SourceWebsite,
        LeadSource::DesignInstitute => K::SourceDesignInstitute,
        LeadSource::Campaign => K::SourceCampaign,
        LeadSource::Other => K::SourceOther,
    }
}

pub fn win_rate_grouping_key(grouping: WinRateGrouping) -> K {
    match grouping {
        WinRateGrouping::Owner => K::FieldOwner,
        WinRateGrouping::Department => K::FieldDepartment,
        WinRateGrouping::Source => K::FieldSource,
        WinRateGrouping::Industry => K::FieldIndustry,
    }
}

pub fn order_grouping_key(grouping: OrderGrouping) -> K {
    match grouping {
        OrderGrouping::Month => K::ForecastMonth,
        OrderGrouping::Product => K::FieldProduct,
        OrderGrouping::Customer => K::FieldCustomer,
    }
}

pub fn status_key(status: LeadStatus) -> K {
    match status {
        LeadStatus::New => K::StatusNew,
        LeadStatus::Working => K::StatusWorking,
        LeadStatus::Qualified => K::StatusQualified,
        LeadStatus::Disqualified => K::StatusDisqualified,
        LeadStatus::Converted => K::StatusConverted,
    }
}

pub fn customer_status_key(status: CustomerStatus) -> K {
    match status {
        CustomerStatus::Potential => K::CustomerPotential,
        CustomerStatus::Active => K::CustomerActive,
        CustomerStatus::Dormant => K::CustomerDormant,
        CustomerStatus::Lost => K::CustomerLost,
    }
}

pub fn decision_role_key(role: DecisionRole) -> K {
    match role {
        DecisionRole::DecisionMaker => K::RoleDecisionMaker,
        DecisionRole::Influencer => K::RoleInfluencer,
        DecisionRole::User => K::RoleUser,
        DecisionRole::TechnicalGate => K::RoleTechnicalGate,
    }
}

pub fn activity_kind_key(kind: ActivityKind) -> K {
    match kind {
        ActivityKind::Call => K::KindCall,
        ActivityKind::Visit => K::KindVisit,
        ActivityKind::Email => K::KindEmail,
        ActivityKind::Meeting => K::KindMeeting,
        ActivityKind::Wechat => K::KindWechat,
        ActivityKind::Other => K::KindOther,
    }
}

pub fn match_reason_key(reason: MatchReason) -> K {
    match reason {
        MatchReason::Name => K::MatchName,
        MatchReason::CreditCode => K::MatchCreditCode,
        MatchReason::Phone => K::MatchPhone,
        MatchReason::Email => K::MatchEmail,
        MatchReason::SimilarName => K::MatchSimilarName,
    }
}

pub fn owner_change_reason_key(reason: OwnerChangeReason) -> K {
    match reason {
        OwnerChangeReason::Created => K::ReasonCreated,
        OwnerChangeReason::Assigned => K::ReasonAssigned,
        OwnerChangeReason::Rule => K::ReasonRule,
        OwnerChangeReason::Claimed => K::ReasonClaimed,
        OwnerChangeReason::Released => K::ReasonReleased,
        OwnerChangeReason::AutoReturned => K::ReasonAutoReturned,
    }
}

pub fn import_kind_key(kind: ImportKind) -> K {
    match kind {
        ImportKind::Leads => K::NavLeads,
        ImportKind::Customers => K::NavCustomers,
        ImportKind::Contacts => K::Contacts,
    }
}

pub fn import_status_key(status: ImportStatus) -> K {
    match status {
        ImportStatus::Uploaded => K::ImportUploaded,
        ImportStatus::Previewed => K::ImportPreviewed,
        ImportStatus::Queued => K::ImportQueued,
        ImportStatus::Running => K::ImportRunning,
        ImportStatus::Done => K::ImportDone,
        ImportStatus::Failed => K::ImportFailed,
    }
}

pub fn qualification_field_key(field: QualificationField) -> K {
    match field {
        QualificationField::Title => K::FieldTitle,
        QualificationField::Phone => K::FieldPhone,
        QualificationField::Mobile => K::FieldMobile,
        QualificationField::Email => K::FieldEmail,
        QualificationField::Region => K::FieldRegion,
        QualificationField::Industry => K::FieldIndustry,
        QualificationField::Notes => K::FieldNotes,
    }
}

pub fn permission_key(permission: Permission) -> K {
    match permission {
        Permission::LeadRead => K::PermLeadRead,
        Permission::LeadWrite => K::PermLeadWrite,
        Permission::LeadDelete => K::PermLeadDelete,
        Permission::UserManage => K::PermUserManage,
        Permission::LeadQualify => K::PermLeadQualify,
        Permission::CustomerRead => K::PermCustomerRead,
        Permission::CustomerWrite => K::PermCustomerWrite,
        Permission::CustomerDelete => K::PermCustomerDelete,
        Permission::CustomerMerge => K::PermCustomerMerge,
        Permission::OpportunityRead => K::PermOpportunityRead,
        Permission::OpportunityWrite => K::PermOpportunityWrite,
        Permission::OpportunityDelete => K::PermOpportunityDelete,
        Permission::QuoteRead => K::PermQuoteRead,
        Permission::QuoteWrite => K::PermQuoteWrite,
        Permission::QuoteDelete => K::PermQuoteDelete,
        Permission::SalesOrderRead => K::PermSalesOrderRead,
        Permission::SalesOrderWrite => K::PermSalesOrderWrite,
        Permission::SalesOrderDelete => K::PermSalesOrderDelete,
        Permission::ReceivableRead => K::PermReceivableRead,
        Permission::ReceivableWrite => K::PermReceivableWrite,
        Permission::ContractRead => K::PermContractRead,
        Permission::ContractWrite => K::PermContractWrite,
        Permission::ContractDelete => K::PermContractDelete,
        Permission::ProductManage => K::PermProductManage,
        Permission::SettingsManage => K::PermSettingsManage,
        Permission::AuditRead => K::PermAuditRead,
    }
}

pub fn stage_kind_key(kind: StageKind) -> K {
    match kind {
        StageKind::Open => K::StageOpen,
        StageKind::Won => K::StageWon,
        StageKind::Lost => K::StageLost,
    }
}

pub fn opportunity_kind_key(kind: OpportunityKind) -> K {
    match kind {
        OpportunityKind::Simple => K::KindSimple,
        OpportunityKind::Project => K::KindProject,
    }
}

pub fn stage_change_kind_key(kind: StageChangeKind) -> K {
    match kind {
        StageChangeKind::Created => K::ChangeCreated,
        StageChangeKind::Moved => K::ChangeMoved,
        StageChangeKind::Won => K::ChangeWon,
        StageChangeKind::Lost => K::ChangeLost,
        StageChangeKind::Reopened => K::ChangeReopened,
    }
}

pub fn price_source_key(source: PriceSource) -> K {
    match source {
        PriceSource::Customer => K::PriceFromCustomer,
        PriceSource::Tier => K::PriceFromTier,
        PriceSource::ListPrice => K::PriceFromList,
    }
}

pub fn price_event_key(event: PriceEvent) -> K {
    match event {
        PriceEvent::Won => K::PriceEventWon,
        PriceEvent::Quoted => K::PriceEventQuoted,
        PriceEvent::Sold => K::PriceEventSold,
    }
}

/// `13%`: the same in every language.
pub fn vat_rate_label(rate: VatRate) -> &'static str {
    match rate {
        VatRate::Goods13 => "13%",
        VatRate::Reduced9 => "9%",
        VatRate::Services6 => "6%",
        VatRate::Zero => "0%",
    }
}

pub fn scope_key(scope: DataScope) -> K {
    match scope {
        DataScope::Own => K::ScopeOwn,
        DataScope::Department => K::ScopeDepartment,
        DataScope::DepartmentTree => K::ScopeDepartmentTree,
        DataScope::All => K::ScopeAll,
    }
}

pub fn quote_status_key(status: QuoteStatus) -> K {
    match status {
        QuoteStatus::Draft => K::QuoteDraft,
        QuoteStatus::PendingApproval => K::QuotePendingApproval,
        QuoteStatus::Approved => K::QuoteApproved,
        QuoteStatus::Rejected => K::QuoteRejected,
        QuoteStatus::Sent => K::QuoteSentStatus,
        QuoteStatus::Accepted => K::QuoteAcceptedStatus,
        QuoteStatus::Declined => K::QuoteDeclinedStatus,
        QuoteStatus::Expired => K::QuoteExpired,
    }
}

pub fn line_change_key(kind: LineChangeKind) -> K {
    match kind {
        LineChangeKind::Added => K::LineAdded,
        LineChangeKind::Removed => K::LineRemoved,
        LineChangeKind::Changed => K::LineChanged,
        LineChangeKind::Unchanged => K::LineUnchanged,
    }
}

pub fn document_kind_key(kind: DocumentKind) -> K {
    match kind {
        DocumentKind::Quote => K::DocumentQuote,
        DocumentKind::SalesOrder => K::DocumentSalesOrder,
        DocumentKind::Contract => K::DocumentContract,
    }
}

pub fn sales_order_status_key(status: SalesOrderStatus) -> K {
    match status {
        SalesOrderStatus::Draft => K::OrderDraft,
        SalesOrderStatus::PendingApproval => K::OrderPendingApproval,
        SalesOrderStatus::Confirmed => K::OrderConfirmed,
        SalesOrderStatus::PartiallyShipped => K::OrderPartiallyShipped,
        SalesOrderStatus::Shipped => K::OrderShipped,
        SalesOrderStatus::Completed => K::OrderCompleted,
        SalesOrderStatus::Cancelled => K::OrderCancelled,
    }
}

pub fn contract_status_key(status: ContractStatus) -> K {
    match status {
        ContractStatus::Draft => K::ContractDraft,
        ContractStatus::PendingApproval => K::ContractPendingApproval,
        ContractStatus::Active => K::ContractActive,
        ContractStatus::Completed => K::ContractCompleted,
        ContractStatus::Terminated => K::ContractTerminated,
    }
}

pub fn shipment_status_key(status: ShipmentStatus) -> K {
    match status {
        ShipmentStatus::Shipped => K::ShipmentInTransit,
        ShipmentStatus::Delivered => K::ShipmentDelivered,
    }
}

pub fn instalment_status_key(status: InstalmentStatus) -> K {
    match status {
        InstalmentStatus::Scheduled => K::InstalmentScheduled,
        InstalmentStatus::NotDue => K::InstalmentNotDue,
        InstalmentStatus::Overdue => K::InstalmentOverdue,
        InstalmentStatus::Paid => K::InstalmentPaid,
    }
}

/// The order event an instalment counts from: 订单确认, 首次发货, 全部发货, 验收.
pub fn plan_event_key(event: PlanEvent) -> K {
    match event {
        PlanEvent::OrderConfirmed => K::EventOrderConfirmed,
        PlanEvent::FirstShipment => K::EventFirstShipment,
        PlanEvent::FullyShipped => K::EventFullyShipped,
        PlanEvent::Accepted => K::EventAccepted,
    }
}

pub fn payment_method_key(method: PaymentMethod) -> K {
    match method {
        PaymentMethod::BankTransfer => K::MethodBankTransfer,
        PaymentMethod::BankAcceptanceBill => K::MethodBankAcceptanceBill,
        PaymentMethod::Cash => K::MethodCash,
        PaymentMethod::Other => K::MethodOther,
    }
}

pub fn invoice_kind_key(kind: InvoiceKind) -> K {
    match kind {
        InvoiceKind::VatSpecial => K::InvoiceVatSpecial,
        InvoiceKind::VatGeneral => K::InvoiceVatGeneral,
    }
}

pub fn timeline_kind_key(kind: TimelineKind) -> K {
    match kind {
        TimelineKind::QuoteAccepted => K::TimelineQuoteAccepted,
        TimelineKind::Created => K::TimelineCreated,
        TimelineKind::Updated => K::TimelineUpdated,
        TimelineKind::StatusChanged => K::TimelineStatusChanged,
        TimelineKind::Approval => K::TimelineApproval,
        TimelineKind::Shipped => K::TimelineShipped,
        TimelineKind::Delivered => K::TimelineDelivered,
        TimelineKind::Invoiced => K::TimelineInvoiced,
        TimelineKind::PaymentAllocated => K::TimelinePaymentAllocated,
        TimelineKind::PlanChanged => K::TimelinePlanChanged,
    }
}

/// 未到期, 1–30 天 …
pub fn aging_bucket_key(bucket: AgingBucket) -> K {
    match bucket {
        AgingBucket::NotDue => K::BucketNotDue,
        AgingBucket::Days1To30 => K::Bucket1To30,
        AgingBucket::Days31To60 => K::Bucket31To60,
        AgingBucket::Days61To90 => K::Bucket61To90,
        AgingBucket::Days91To180 => K::Bucket91To180,
        AgingBucket::Over180 => K::BucketOver180,
    }
}

pub fn aging_group_key(group: AgingGroup) -> K {
    match group {
        AgingGroup::Customer => K::FieldCustomer,
        AgingGroup::Owner => K::FieldOwner,
        AgingGroup::Department => K::FieldDepartment,
    }
}

pub fn credit_check_mode_key(mode: CreditCheckMode) -> K {
    match mode {
        CreditCheckMode::Off => K::CreditCheckOff,
        CreditCheckMode::Warn => K::CreditCheckWarn,
        CreditCheckMode::Block => K::CreditCheckBlock,
    }
}

pub fn approval_status_key(status: ApprovalStatus) -> K {
    match status {
        ApprovalStatus::Pending => K::ApprovalPending,
        ApprovalStatus::Approved => K::ApprovalStatusApproved,
        ApprovalStatus::Rejected => K::ApprovalStatusRejected,
        ApprovalStatus::Returned => K::ApprovalStatusReturned,
        ApprovalStatus::Withdrawn => K::ApprovalStatusWithdrawn,
    }
}

pub fn step_status_key(status: StepStatus) -> K {
    match status {
        StepStatus::Waiting => K::StepWaiting,
        StepStatus::Pending => K::StepPending,
        StepStatus::Approved => K::StepApproved,
        StepStatus::Rejected => K::StepRejected,
        StepStatus::Returned => K::StepReturned,
        StepStatus::Cancelled => K::StepCancelled,
    }
}

pub fn decision_key(decision: Decision) -> K {
    match decision {
        Decision::Approved => K::DecisionApproved,
        Decision::Rejected => K::DecisionRejected,
        Decision::Returned => K::DecisionReturned,
        Decision::Delegated => K::DecisionDelegated,
    }
}

pub fn approval_event_key(kind: ApprovalEventKind) -> K {
    match kind {
        ApprovalEventKind::Submitted => K::EventSubmitted,
        ApprovalEventKind::Approved => K::EventApproved,
        ApprovalEventKind::Rejected => K::EventRejected,
        ApprovalEventKind::Returned => K::EventReturned,
        ApprovalEventKind::Withdrawn => K::EventWithdrawn,
        ApprovalEventKind::Delegated => K::EventDelegated,
        ApprovalEventKind::StepCompleted => K::EventStepCompleted,
        ApprovalEventKind::Completed => K::EventCompleted,
    }
}

/// 或签 / 会签.
pub fn step_mode_key(mode: StepMode) -> K {
    match mode {
        StepMode::Any => K::ModeAny,
        StepMode::All => K::ModeAll,
    }
}

pub fn match_mode_key(mode: MatchMode) -> K {
    match mode {
        MatchMode::Any => K::MatchAny,
        MatchMode::All => K::MatchAll,
    }
}

/// The label of a quote header or line field by its API name (version comparisons and
/// changed fields name them that way).
pub fn quote_field_key(field: &str) -> Option<K> {
    Some(match field {
        "contact_id" => K::FieldContact,
        "title" => K::QuoteTitle,
        "currency" => K::FieldCurrency,
        "valid_until" => K::ValidUntil,
        "payment_terms" => K::PaymentTerms,
        "delivery_terms" => K::DeliveryTerms,
        "notes" => K::QuoteNotes,
        "internal_note" => K::InternalNote,
        "header_discount_percent" => K::HeaderDiscountPercent,
        "name" => K::FieldProductName,
        "spec" => K::FieldSpec,
        "description" => K::FieldDescription,
        "quantity" => K::FieldQuantity,
        "unit" => K::FieldUnit,
        "unit_price" => K::FieldUnitPrice,
        "discount_percent" => K::FieldDiscount,
        "vat_rate" => K::FieldVatRate,
        _ => return None,
    })
}

/// The label of a lead field by its API name (audit entries name fields that way).
pub fn lead_field_key(field: &str) -> Option<K> {
    Some(match field {
        "company_name" => K::FieldCompanyName,
        "contact_name" => K::FieldContactName,
        "title" => K::FieldTitle,
        "phone" => K::FieldPhone,
        "mobile" => K::FieldMobile,
        "email" => K::FieldEmail,
        "source" => K::FieldSource,
        "region" => K::FieldRegion,
        "industry" => K::FieldIndustry,
        "status" => K::FieldStatus,
        "owner_id" | "owner_name" => K::FieldOwner,
        "notes" => K::FieldNotes,
        "disqualify_reason" => K::FieldDisqualifyReason,
        "disqualify_note" => K::FieldNote,
        "qualified_at" => K::FieldQualifiedAt,
        "converted_at" => K::FieldConvertedAt,
        "customer_id" => K::FieldCustomer,
        "contact_id" => K::FieldContact,
        _ => return None,
    })
}

/// The group heading of an event catalogue's subject kind (`sales_order` → 销售订单).
pub fn event_group_key(subject_kind: &str) -> Option<K> {
    Some(match subject_kind {
        "lead" => K::EventGroupLead,
        "customer" => K::EventGroupCustomer,
        "contact" => K::EventGroupContact,
        "opportunity" => K::EventGroupOpportunity,
        "quote" => K::EventGroupQuote,
        "approval" => K::EventGroupApproval,
        "contract" => K::EventGroupContract,
        "sales_order" => K::EventGroupSalesOrder,
        "shipment" => K::EventGroupShipment,
        "invoice" => K::EventGroupInvoice,
        "payment" => K::EventGroupPayment,
        "instalment" => K::EventGroupInstalment,
        _ => return None,
    })
}

pub fn disabled_reason_key(reason: DisabledReason) -> K {
    match reason {
        DisabledReason::Manual => K::WebhookReasonManual,
        DisabledReason::Gone => K::WebhookReasonGone,
        DisabledReason::Failing => K::WebhookReasonFailing,
    }
}

pub fn delivery_status_key(status: DeliveryStatus) -> K {
    match status {
        DeliveryStatus::Pending => K::DeliveryPending,
        DeliveryStatus::Delivered => K::DeliveryDelivered,
        DeliveryStatus::Failed => K::DeliveryFailed,
    }
}

pub fn sync_kind_key(kind: SyncedKind) -> K {
    match kind {
        SyncedKind::Customer => K::SyncKindCustomer,
        SyncedKind::Contact => K::SyncKindContact,
        SyncedKind::Product => K::SyncKindProduct,
        SyncedKind::SalesOrder => K::SyncKindSalesOrder,
        SyncedKind::Shipment => K::SyncKindShipment,
        SyncedKind::Invoice => K::SyncKindInvoice,
        SyncedKind::Payment => K::SyncKindPayment,
    }
}

pub fn sync_result_key(result: SyncResult) -> K {
    match result {
        SyncResult::Succeeded => K::SyncSucceeded,
        SyncResult::Failed => K::SyncFailed,
    }
}

pub fn audit_action_key(action: &str) -> Option<K> {
    Some(match action {
        "created" => K::ActionCreated,
        "updated" => K::ActionUpdated,
        "deleted" => K::ActionDeleted,
        "disabled" => K::ActionDisabled,
        "enabled" => K::ActionEnabled,
        "status_changed" => K::ActionStatusChanged,
        "converted" => K::ActionConverted,
        "merged" => K::ActionMerged,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reported_figures_read_as_their_names_and_lines_count_from_one() {
        let owner = Owner::new();
        owner.with(|| {
            let i18n = I18n {
                lang: RwSignal::new(Lang::ZhCn),
            };
            assert_eq!(i18n.figure_field("paid"), "已收款");
            assert_eq!(
                i18n.figure_field("lines[0].shipped_quantity"),
                "第 1 行已发货"
            );
            assert_eq!(
                i18n.figure_field("lines[x].shipped_quantity"),
                "lines[x].shipped_quantity"
            );
            i18n.lang.set(Lang::En);
            assert_eq!(
                i18n.figure_field("lines[2].shipped_quantity"),
                "Line 3 shipped"
            );
            assert_eq!(i18n.figure_field("total"), "Total");
        });
    }

    #[test]
    fn reminders_read_as_sentences() {
        let owner = Owner::new();
        owner.with(|| {
            let i18n = I18n {
                lang: RwSignal::new(Lang::ZhCn),
            };
            let at = chrono::DateTime::<chrono::Utc>::default();
            let mut n = NotificationResponse {
                id: uuid::Uuid::nil(),
                kind: NotificationKind::DeliveryOverdue,
                subject_id: uuid::Uuid::nil(),
                order_count: 3,
                amount: None,
                days_overdue: 5,
                as_manager: false,
                created_at: at,
                read_at: None,
            };
            assert_eq!(
                i18n.notification_text(&n),
                "您有 3 个订单交期超期，最长 5 天"
            );
            n.as_manager = true;
            assert_eq!(
                i18n.notification_text(&n),
                "您的团队有 3 个订单交期超期，最长 5 天"
            );
            n.as_manager = false;
            n.kind = NotificationKind::ReceivableOverdue;
            n.order_count = 2;
            n.amount = Some(rust_decimal::Decimal::new(100_000, 0));
            assert_eq!(
                i18n.notification_text(&n),
                "您有 2 个订单应收逾期，共 ¥100,000.00，最长 5 天"
            );
            i18n.lang.set(Lang::En);
            assert_eq!(
                i18n.notification_text(&n),
                "You have 2 orders with overdue receivables totalling ¥100,000.00, up to 5 days"
            );
        });
    }

    #[test]
    fn durations_in_their_two_largest_units() {
        let owner = Owner::new();
        owner.with(|| {
            let i18n = I18n {
                lang: RwSignal::new(Lang::ZhCn),
            };
            assert_eq!(i18n.duration(3 * 86_400 + 4 * 3600 + 59), "3天4小时");
            assert_eq!(i18n.duration(5 * 3600 + 20 * 60), "5小时20分钟");
            assert_eq!(i18n.duration(2 * 86_400), "2天");
            assert_eq!(i18n.duration(10), "1分钟");
            i18n.lang.set(Lang::En);
            assert_eq!(i18n.duration(3 * 86_400 + 4 * 3600), "3d 4h");
        });
    }
}
