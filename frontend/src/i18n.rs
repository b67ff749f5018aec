//! Every visible string, in Simplified Chinese (the default) and English.
//!
//! A typed key enum with one exhaustive `match` per language: a missing translation or a
//! misspelt key is a compile error. (`leptos_i18n` 0.6 was tried: its non-deprecated
//! build-script path pulls ICU data-export crates with a networking feature into the build, and
//! the deprecated macro path warns; neither fits a warning-free offline build.)
//! The language lives in a signal, so switching re-renders every text at once.

use crm_api_types::identity::{DataScope, Permission};
use crm_api_types::leads::{LeadSource, LeadStatus};
use leptos::prelude::*;

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

    pub fn total(self, n: u64) -> String {
        match self.lang() {
            Lang::ZhCn => format!("共 {n} 条"),
            Lang::En if n == 1 => "1 record".to_owned(),
            Lang::En => format!("{n} records"),
        }
    }

    pub fn page_no(self, n: usize) -> String {
        match self.lang() {
            Lang::ZhCn => format!("第 {n} 页"),
            Lang::En => format!("Page {n}"),
        }
    }

    pub fn coming_soon_body(self, module: K) -> String {
        let name = self.t(module);
        match self.lang() {
            Lang::ZhCn => format!("「{name}」模块正在开发中，上线后会出现在这里。"),
            Lang::En => format!("The {name} module is being built and will appear here soon."),
        }
    }

    pub fn confirm_delete_named(self, name: &str) -> String {
        match self.lang() {
            Lang::ZhCn => format!("确定删除「{name}」吗？此操作无法撤销。"),
            Lang::En => format!("Delete “{name}”? This cannot be undone."),
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

    SourcePhone,
    SourceReferral,
    SourceExhibition,
    SourceWebsite,
    SourceDesignInstitute,
    SourceCampaign,
    SourceOther,
    StatusNew,

    ComingSoonTitle,
    ComingSoonHint,

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
}

impl K {
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.zh(),
            Lang::En => self.en(),
        }
    }

    fn zh(self) -> &'static str {
        match self {
            K::AppName => "CRM",
            K::AppTagline => "B2B 销售管理",
            K::NavLeads => "线索",
            K::NavCustomers => "客户",
            K::NavOpportunities => "商机",
            K::NavQuotes => "报价",
            K::NavOrders => "订单",
            K::NavReceivables => "应收",
            K::NavReports => "报表",
            K::NavSettings => "设置",
            K::NavMain => "主导航",
            K::Logout => "退出登录",
            K::Language => "语言",
            K::Loading => "加载中…",
            K::Save => "保存",
            K::Saving => "保存中…",
            K::Cancel => "取消",
            K::Edit => "编辑",
            K::Delete => "删除",
            K::Deleting => "删除中…",
            K::Confirm => "确认",
            K::Back => "返回",
            K::Reload => "重新加载",
            K::Close => "关闭",
            K::Search => "搜索",
            K::Actions => "操作",
            K::Prev => "上一页",
            K::Next => "下一页",
            K::LoadMore => "加载更多",
            K::Empty => "—",
            K::Required => "必填",
            K::SelectPlaceholder => "请选择",
            K::ClearFilters => "清除筛选",

            K::LoginTitle => "登录",
            K::LoginSubtitle => "使用企业账号登录",
            K::LoginTenant => "企业代码",
            K::LoginTenantPlaceholder => "例如 demo",
            K::LoginTenantHint => "单企业部署时可留空",
            K::LoginEmail => "邮箱",
            K::LoginPassword => "密码",
            K::LoginSubmit => "登录",
            K::LoginSubmitting => "登录中…",
            K::LoginSide1 => "线索、客户、商机一站式管理",
            K::LoginSide2 => "按部门与角色精细控制数据权限",
            K::LoginSide3 => "每一次修改都有据可查",
            K::SessionExpired => "登录已过期，请重新登录",

            K::NetworkError => "网络连接失败，请检查网络后重试",
            K::UnexpectedError => "服务器返回了无法识别的响应，请稍后重试",
            K::StaleTitle => "该记录已被他人修改",
            K::StaleBody => {
                "您编辑的是旧版本，保存未生效。重新加载可获取最新数据（当前未保存的修改将被丢弃）。"
            }
            K::StaleReload => "加载最新数据",
            K::NotFoundTitle => "页面不存在",
            K::NotFoundBody => "您访问的页面不存在或已被移除。",
            K::BackToLeads => "返回线索列表",
            K::NoPermissionTitle => "没有访问权限",
            K::NoPermissionBody => "您的角色没有访问此页面的权限，如需开通请联系管理员。",
            K::ValueRequired => "此项为必填项",
            K::ErrorsBelow => "请修正标红的字段后重试",

            K::LeadsTitle => "线索",
            K::LeadsSubtitle => "汇总各渠道获取的潜在客户，及时跟进转化",
            K::NewLead => "新建线索",
            K::LeadsSearchPlaceholder => "搜索公司、联系人、电话或邮箱",
            K::AllStatuses => "全部状态",
            K::AllSources => "全部来源",
            K::RegionPlaceholder => "区域，如 华东",
            K::IndustryPlaceholder => "行业，如 机械制造",
            K::EmptyLeadsTitle => "还没有线索",
            K::EmptyLeadsHint => "点击右上角「新建线索」录入第一条线索。",
            K::EmptyFilteredTitle => "没有符合条件的线索",
            K::EmptyFilteredHint => "试试更换搜索词，或清除筛选条件。",
            K::SortAscending => "升序",
            K::SortDescending => "降序",

            K::FieldCompanyName => "公司名称",
            K::FieldContactName => "联系人",
            K::FieldTitle => "职务",
            K::FieldPhone => "固定电话",
            K::FieldMobile => "手机",
            K::FieldEmail => "邮箱",
            K::FieldSource => "来源",
            K::FieldRegion => "区域",
            K::FieldIndustry => "行业",
            K::FieldStatus => "状态",
            K::FieldOwner => "负责人",
            K::FieldNotes => "备注",
            K::FieldCreatedAt => "创建时间",
            K::FieldUpdatedAt => "更新时间",
            K::OwnerDefaultMe => "我（默认）",
            K::SectionBasic => "基本信息",
            K::SectionContact => "联系方式",
            K::SectionClassification => "分类与归属",
            K::SectionNotes => "补充信息",
            K::EditLead => "编辑线索",
            K::LeadCreated => "线索已创建",
            K::LeadSaved => "线索已保存",
            K::NoChanges => "没有需要保存的修改",
            K::DeleteLead => "删除线索",
            K::DeleteLeadConfirm => "确定删除这条线索吗？删除后它将不再出现在列表中。",
            K::LeadDeleted => "线索已删除",
            K::LeadDetails => "线索信息",
            K::LeadNotFound => "线索不存在，或您无权查看。",
            K::History => "操作记录",
            K::HistoryEmpty => "暂无操作记录",
            K::SystemActor => "系统",
            K::ActionCreated => "创建了记录",
            K::ActionUpdated => "修改了记录",
            K::ActionDeleted => "删除了记录",
            K::ActionDisabled => "停用了记录",
            K::ActionEnabled => "启用了记录",

            K::SourcePhone => "电话",
            K::SourceReferral => "转介绍",
            K::SourceExhibition => "展会",
            K::SourceWebsite => "官网",
            K::SourceDesignInstitute => "设计院",
            K::SourceCampaign => "市场活动",
            K::SourceOther => "其他",
            K::StatusNew => "新建",

            K::ComingSoonTitle => "即将上线",
            K::ComingSoonHint => "如需优先开通，请联系您的客户成功经理。",

            K::SettingsTitle => "系统设置",
            K::SettingsSubtitle => "管理组织架构、用户与角色权限",
            K::TabDepartments => "部门",
            K::TabUsers => "用户",
            K::TabRoles => "角色",

            K::NewDepartment => "新建部门",
            K::EditDepartment => "编辑部门",
            K::AddSubDepartment => "添加子部门",
            K::DeptName => "部门名称",
            K::DeptParent => "上级部门",
            K::DeptManager => "部门负责人",
            K::NoParent => "（无，顶级部门）",
            K::NoManager => "（暂无）",
            K::DeptEmpty => "还没有部门，先创建一个顶级部门吧。",
            K::DeptCreated => "部门已创建",
            K::DeptSaved => "部门已保存",
            K::DeptDeleted => "部门已删除",
            K::DeptMembers => "人",

            K::NewUser => "新建用户",
            K::EditUser => "编辑用户",
            K::UserName => "姓名",
            K::UserEmail => "邮箱",
            K::UserPhone => "手机",
            K::UserDepartment => "部门",
            K::UserRole => "角色",
            K::UserPassword => "初始密码",
            K::UserNewPassword => "重置密码",
            K::UserNewPasswordHint => "留空则不修改；修改后该用户需重新登录",
            K::UserStatus => "状态",
            K::UserActive => "启用",
            K::UserDisabled => "已停用",
            K::Disable => "停用",
            K::Enable => "启用",
            K::UserCreated => "用户已创建",
            K::UserSaved => "用户已保存",
            K::UserWasDisabled => "用户已停用",
            K::UserWasEnabled => "用户已启用",
            K::UsersSearchPlaceholder => "搜索姓名或邮箱",
            K::UsersEmpty => "没有找到用户",

            K::NewRole => "新建角色",
            K::EditRole => "编辑角色",
            K::RoleKey => "角色标识",
            K::RoleKeyHint => "小写字母、数字和下划线，创建后不可修改",
            K::RoleName => "角色名称",
            K::RolePermissions => "功能权限",
            K::RoleDataScope => "数据范围",
            K::RoleBuiltin => "内置",
            K::RoleCustom => "自定义",
            K::RoleCreated => "角色已创建",
            K::RoleSaved => "角色已保存",
            K::RoleDeleted => "角色已删除",
            K::RolesEmpty => "还没有角色",

            K::PermLeadRead => "查看线索",
            K::PermLeadWrite => "新建和编辑线索",
            K::PermLeadDelete => "删除线索",
            K::PermUserManage => "管理部门、用户和角色",
            K::PermAuditRead => "查看操作记录",
            K::ScopeOwn => "仅本人",
            K::ScopeDepartment => "本部门",
            K::ScopeDepartmentTree => "本部门及下级部门",
            K::ScopeAll => "全部数据",
        }
    }

    fn en(self) -> &'static str {
        match self {
            K::AppName => "CRM",
            K::AppTagline => "B2B sales",
            K::NavLeads => "Leads",
            K::NavCustomers => "Customers",
            K::NavOpportunities => "Opportunities",
            K::NavQuotes => "Quotes",
            K::NavOrders => "Orders",
            K::NavReceivables => "Receivables",
            K::NavReports => "Reports",
            K::NavSettings => "Settings",
            K::NavMain => "Main navigation",
            K::Logout => "Log out",
            K::Language => "Language",
            K::Loading => "Loading…",
            K::Save => "Save",
            K::Saving => "Saving…",
            K::Cancel => "Cancel",
            K::Edit => "Edit",
            K::Delete => "Delete",
            K::Deleting => "Deleting…",
            K::Confirm => "Confirm",
            K::Back => "Back",
            K::Reload => "Reload",
            K::Close => "Close",
            K::Search => "Search",
            K::Actions => "Actions",
            K::Prev => "Previous",
            K::Next => "Next",
            K::LoadMore => "Load more",
            K::Empty => "—",
            K::Required => "required",
            K::SelectPlaceholder => "Select…",
            K::ClearFilters => "Clear filters",

            K::LoginTitle => "Sign in",
            K::LoginSubtitle => "Sign in with your company account",
            K::LoginTenant => "Company code",
            K::LoginTenantPlaceholder => "e.g. demo",
            K::LoginTenantHint => "May be left blank on a single-company deployment",
            K::LoginEmail => "Email",
            K::LoginPassword => "Password",
            K::LoginSubmit => "Sign in",
            K::LoginSubmitting => "Signing in…",
            K::LoginSide1 => "Leads, customers and opportunities in one place",
            K::LoginSide2 => "Data access by department and role",
            K::LoginSide3 => "Every change on record",
            K::SessionExpired => "Your session has expired. Please sign in again.",

            K::NetworkError => "Could not reach the server. Check your connection and try again.",
            K::UnexpectedError => "The server sent an unexpected response. Please try again later.",
            K::StaleTitle => "Someone else changed this record",
            K::StaleBody => {
                "You were editing an older version, so nothing was saved. Load the latest data to continue (your unsaved changes will be discarded)."
            }
            K::StaleReload => "Load latest data",
            K::NotFoundTitle => "Page not found",
            K::NotFoundBody => "The page you asked for does not exist or has been removed.",
            K::BackToLeads => "Back to leads",
            K::NoPermissionTitle => "No access",
            K::NoPermissionBody => {
                "Your role does not include this page. Ask an administrator if you need it."
            }
            K::ValueRequired => "This field is required",
            K::ErrorsBelow => "Please fix the highlighted fields and try again",

            K::LeadsTitle => "Leads",
            K::LeadsSubtitle => "Prospects from every channel, ready to follow up",
            K::NewLead => "New lead",
            K::LeadsSearchPlaceholder => "Search company, contact, phone or email",
            K::AllStatuses => "All statuses",
            K::AllSources => "All sources",
            K::RegionPlaceholder => "Region, e.g. 华东",
            K::IndustryPlaceholder => "Industry, e.g. 机械制造",
            K::EmptyLeadsTitle => "No leads yet",
            K::EmptyLeadsHint => "Use “New lead” at the top right to add your first one.",
            K::EmptyFilteredTitle => "No leads match",
            K::EmptyFilteredHint => "Try another search term or clear the filters.",
            K::SortAscending => "ascending",
            K::SortDescending => "descending",

            K::FieldCompanyName => "Company",
            K::FieldContactName => "Contact",
            K::FieldTitle => "Job title",
            K::FieldPhone => "Landline",
            K::FieldMobile => "Mobile",
            K::FieldEmail => "Email",
            K::FieldSource => "Source",
            K::FieldRegion => "Region",
            K::FieldIndustry => "Industry",
            K::FieldStatus => "Status",
            K::FieldOwner => "Owner",
            K::FieldNotes => "Notes",
            K::FieldCreatedAt => "Created",
            K::FieldUpdatedAt => "Updated",
            K::OwnerDefaultMe => "Me (default)",
            K::SectionBasic => "Basics",
            K::SectionContact => "Contact details",
            K::SectionClassification => "Classification and owner",
            K::SectionNotes => "Additional information",
            K::EditLead => "Edit lead",
            K::LeadCreated => "Lead created",
            K::LeadSaved => "Lead saved",
            K::NoChanges => "Nothing to save",
            K::DeleteLead => "Delete lead",
            K::DeleteLeadConfirm => "Delete this lead? It will no longer appear in the list.",
            K::LeadDeleted => "Lead deleted",
            K::LeadDetails => "Lead details",
            K::LeadNotFound => "This lead does not exist, or you may not see it.",
            K::History => "History",
            K::HistoryEmpty => "No history yet",
            K::SystemActor => "System",
            K::ActionCreated => "created the record",
            K::ActionUpdated => "updated the record",
            K::ActionDeleted => "deleted the record",
            K::ActionDisabled => "disabled the record",
            K::ActionEnabled => "enabled the record",

            K::SourcePhone => "Phone call",
            K::SourceReferral => "Referral",
            K::SourceExhibition => "Trade show",
            K::SourceWebsite => "Website",
            K::SourceDesignInstitute => "Design institute",
            K::SourceCampaign => "Campaign",
            K::SourceOther => "Other",
            K::StatusNew => "New",

            K::ComingSoonTitle => "Coming soon",
            K::ComingSoonHint => "Ask your customer success manager if you need it early.",

            K::SettingsTitle => "Settings",
            K::SettingsSubtitle => "Your organization, users, roles and permissions",
            K::TabDepartments => "Departments",
            K::TabUsers => "Users",
            K::TabRoles => "Roles",

            K::NewDepartment => "New department",
            K::EditDepartment => "Edit department",
            K::AddSubDepartment => "Add sub-department",
            K::DeptName => "Name",
            K::DeptParent => "Parent department",
            K::DeptManager => "Manager",
            K::NoParent => "(none, top level)",
            K::NoManager => "(none)",
            K::DeptEmpty => "No departments yet. Start with a top-level one.",
            K::DeptCreated => "Department created",
            K::DeptSaved => "Department saved",
            K::DeptDeleted => "Department deleted",
            K::DeptMembers => "members",

            K::NewUser => "New user",
            K::EditUser => "Edit user",
            K::UserName => "Name",
            K::UserEmail => "Email",
            K::UserPhone => "Mobile",
            K::UserDepartment => "Department",
            K::UserRole => "Role",
            K::UserPassword => "Initial password",
            K::UserNewPassword => "Reset password",
            K::UserNewPasswordHint => {
                "Leave blank to keep it; changing it signs the user out elsewhere"
            }
            K::UserStatus => "Status",
            K::UserActive => "Active",
            K::UserDisabled => "Disabled",
            K::Disable => "Disable",
            K::Enable => "Enable",
            K::UserCreated => "User created",
            K::UserSaved => "User saved",
            K::UserWasDisabled => "User disabled",
            K::UserWasEnabled => "User enabled",
            K::UsersSearchPlaceholder => "Search name or email",
            K::UsersEmpty => "No users found",

            K::NewRole => "New role",
            K::EditRole => "Edit role",
            K::RoleKey => "Key",
            K::RoleKeyHint => "Lowercase letters, digits and _; fixed once created",
            K::RoleName => "Name",
            K::RolePermissions => "Permissions",
            K::RoleDataScope => "Data scope",
            K::RoleBuiltin => "Built-in",
            K::RoleCustom => "Custom",
            K::RoleCreated => "Role created",
            K::RoleSaved => "Role saved",
            K::RoleDeleted => "Role deleted",
            K::RolesEmpty => "No roles yet",

            K::PermLeadRead => "View leads",
            K::PermLeadWrite => "Create and edit leads",
            K::PermLeadDelete => "Delete leads",
            K::PermUserManage => "Manage departments, users and roles",
            K::PermAuditRead => "View history",
            K::ScopeOwn => "Own records",
            K::ScopeDepartment => "Own department",
            K::ScopeDepartmentTree => "Department and sub-departments",
            K::ScopeAll => "All records",
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

pub fn status_key(status: LeadStatus) -> K {
    match status {
        LeadStatus::New => K::StatusNew,
    }
}

pub fn permission_key(permission: Permission) -> K {
    match permission {
        Permission::LeadRead => K::PermLeadRead,
        Permission::LeadWrite => K::PermLeadWrite,
        Permission::LeadDelete => K::PermLeadDelete,
        Permission::UserManage => K::PermUserManage,
        Permission::AuditRead => K::PermAuditRead,
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
        _ => return None,
    })
}

pub fn audit_action_key(action: &str) -> Option<K> {
    Some(match action {
        "created" => K::ActionCreated,
        "updated" => K::ActionUpdated,
        "deleted" => K::ActionDeleted,
        "disabled" => K::ActionDisabled,
        "enabled" => K::ActionEnabled,
        _ => return None,
    })
}
