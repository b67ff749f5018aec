//! The caller's language (from `Accept-Language`) and the messages of every error code.

use crm_domain::Violation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

impl Lang {
    /// zh-CN unless the caller prefers English over Chinese (highest `q` wins, order breaks ties).
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let Some(header) = header else {
            return Self::ZhCn;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Lang::ZhCn
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(best_q, _)| q > best_q) {
                best = Some((q, lang));
            }
        }
        best.map_or(Self::ZhCn, |(_, lang)| lang)
    }
}

/// The title of a problem, by its stable code.
pub fn title(lang: Lang, code: &str) -> &'static str {
    let (zh, en) = match code {
        "malformed_json" => (
            "请求体不是有效的 JSON",
            "The request body is not valid JSON",
        ),
        "unauthorized" => ("需要登录", "Authentication required"),
        "invalid_credentials" => ("账号或密码错误", "Wrong email or password"),
        "invalid_refresh_token" => (
            "登录已失效，请重新登录",
            "The session has ended; please log in again",
        ),
        "forbidden" => ("没有权限执行此操作", "You are not allowed to do this"),
        "not_found" => ("记录不存在", "Not found"),
        "version_conflict" => (
            "记录已被他人修改，请刷新后重试",
            "Someone else changed this record; reload and try again",
        ),
        "payload_too_large" => ("请求体过大", "The request body is too large"),
        "validation_failed" => ("请求参数有误", "Some fields are invalid"),
        "rate_limited" => (
            "请求过于频繁，请稍后再试",
            "Too many requests; slow down and retry later",
        ),
        "idempotency_key_in_use" => (
            "相同幂等键的请求仍在处理中，请稍后重试",
            "A request with this idempotency key is still running; retry later",
        ),
        "too_many_attempts" => (
            "尝试次数过多，请稍后再试",
            "Too many attempts; try again later",
        ),
        "slug_taken" => ("企业标识已被使用", "This tenant slug is taken"),
        "email_taken" => ("该邮箱已被使用", "This email is already in use"),
        "role_key_taken" => ("角色标识已存在", "A role with this key exists"),
        "department_name_taken" => ("部门名称已存在", "A department with this name exists"),
        "target_set_concurrently" => (
            "目标刚被他人修改，请刷新后重试",
            "Someone set these targets at the same time; reload and try again",
        ),
        "builtin_role" => ("内置角色不能删除", "Built-in roles cannot be deleted"),
        "role_in_use" => ("仍有用户使用该角色", "Users still hold this role"),
        "department_not_empty" => (
            "部门下仍有子部门或用户",
            "The department still has sub-departments or users",
        ),
        "cannot_disable_self" => ("不能停用自己的账号", "You cannot disable your own account"),
        "cannot_change_own_role" => ("不能修改自己的角色", "You cannot change your own role"),
        "admin_role_fixed" => (
            "内置管理员角色的权限不可修改",
            "The built-in admin role keeps all permissions",
        ),
        "customer_duplicate" => ("客户已存在", "This customer exists already"),
        "record_merged" => (
            "该记录已合并到另一条记录",
            "This record was merged into another",
        ),
        "invalid_transition" => (
            "当前状态不允许此操作",
            "The record's status does not allow this",
        ),
        "lead_already_converted" => (
            "线索已转化为另一个客户",
            "The lead was converted into another customer",
        ),
        "not_in_pool" => (
            "该记录已有负责人，不在公海中",
            "Someone owns this record; it is not in the pool",
        ),
        "already_in_pool" => ("该记录已在公海中", "This record is in the pool already"),
        "claim_limit_reached" => (
            "已达到可领取的上限",
            "You hold as many records as you may claim",
        ),
        "stage_in_use" => (
            "该阶段仍有商机，不能删除或更改类型",
            "Opportunities are in this stage; it cannot be dropped or change kind",
        ),
        "pipeline_in_use" => ("该销售流程仍有商机", "Opportunities use this pipeline"),
        "pipeline_is_default" => (
            "默认销售流程不能删除",
            "The default pipeline cannot be deleted",
        ),
        "saved_filter_name_taken" => ("已有同名的常用筛选", "A saved filter has this name"),
        "too_many_saved_filters" => (
            "常用筛选已达上限",
            "You have as many saved filters as allowed",
        ),
        "product_code_taken" => ("产品编码已存在", "A product with this code exists"),
        "product_external_id_taken" => (
            "已有产品使用该外部系统编号",
            "A product with this external id exists",
        ),
        "category_in_use" => (
            "该分类下仍有子分类或产品",
            "The category still has sub-categories or products",
        ),
        "quote_superseded" => (
            "该版本已被新版本取代，不能再修改",
            "A later version replaced this one; it is frozen",
        ),
        "quote_revised" => (
            "该报价单刚刚已生成新版本",
            "A new version of this quote was just made",
        ),
        "quote_expired" => (
            "报价已过有效期，请修改有效期后重新审批",
            "The quote's validity has passed; change the date and have it approved again",
        ),
        "quote_not_accepted" => (
            "只有客户已接受的最新版报价才能生成订单",
            "Only the latest version of an accepted quote becomes an order",
        ),
        "opportunity_not_won" => (
            "只有赢单的商机才能生成合同",
            "Only a won opportunity becomes a contract",
        ),
        "contract_not_active" => (
            "只有生效中的合同才能下单",
            "Only an active contract takes orders",
        ),
        "quote_already_ordered" => (
            "该报价已生成订单",
            "An order was already made from this quote",
        ),
        "credit_limit_exceeded" => (
            "客户应收款加本单金额超出信用额度，不能提交",
            "The customer's open receivables and this order exceed their credit limit",
        ),
        "payments_received" => (
            "订单已有收款，不能整单取消",
            "Payments were applied to this order; it cannot be cancelled whole",
        ),
        "payments_exceed_remaining" => (
            "已收款超过取消后的应收金额",
            "More was paid than the order is worth after the cancellation",
        ),
        "shipment_delivered" => ("该发货单已签收", "The shipment was already signed for"),
        "number_taken" => (
            "单据编号冲突，请重试",
            "The document number was just taken; try again",
        ),
        "invoice_number_taken" => ("发票号码已存在", "An invoice with this number exists"),
        "nothing_unapplied" => (
            "该收款已全部核销",
            "Nothing of this payment is left to apply",
        ),
        "concurrent_update" => (
            "数据刚被他人修改，请重试",
            "Someone changed the same records a moment ago; try again",
        ),
        "no_approver" => (
            "审批流程中有步骤找不到审批人，请联系管理员",
            "A step of the approval chain has nobody to approve it; ask an administrator",
        ),
        "approval_closed" => ("该审批已结束", "This approval has ended"),
        "already_decided" => ("您已处理过该审批步骤", "You decided this step already"),
        "step_decided" => (
            "该审批步骤已由他人处理",
            "Someone else decided this step already",
        ),
        "approval_decided" => (
            "审批已有人处理，不能撤回",
            "Someone decided already; it can no longer be withdrawn",
        ),
        "approval_busy" => (
            "审批正在被他人处理，请刷新后重试",
            "Others are deciding this approval; reload and try again",
        ),
        "approval_outdated" => (
            "该审批已不对应单据的当前版本",
            "This approval no longer belongs to the document's current version",
        ),
        "method_not_allowed" => ("不支持该请求方法", "Method not allowed"),
        "not_acceptable" => ("不支持的请求格式", "Unsupported request format"),
        _ => ("服务器内部错误", "Internal server error"),
    };
    pick(lang, zh, en)
}

/// The message shown next to a field.
pub fn field_message(lang: Lang, violation: Violation) -> String {
    match (lang, violation) {
        (Lang::ZhCn, Violation::Required) => "必填".to_owned(),
        (Lang::En, Violation::Required) => "Required".to_owned(),
        (Lang::ZhCn, Violation::TooLong { max }) => format!("不能超过 {max} 个字符"),
        (Lang::En, Violation::TooLong { max }) => format!("At most {max} characters"),
        (Lang::ZhCn, Violation::TooShort { min }) => format!("至少 {min} 个字符"),
        (Lang::En, Violation::TooShort { min }) => format!("At least {min} characters"),
        (Lang::ZhCn, Violation::InvalidFormat) => "格式不正确".to_owned(),
        (Lang::En, Violation::InvalidFormat) => "Invalid format".to_owned(),
        (Lang::ZhCn, Violation::UnknownValue) => "不支持的取值".to_owned(),
        (Lang::En, Violation::UnknownValue) => "Unsupported value".to_owned(),
        (Lang::ZhCn, Violation::ReadOnly) => "不能直接修改，请使用对应的操作".to_owned(),
        (Lang::En, Violation::ReadOnly) => "Cannot be set here; use the matching action".to_owned(),
        (Lang::ZhCn, Violation::NotFound) => "引用的记录不存在或无权使用".to_owned(),
        (Lang::En, Violation::NotFound) => "No such record, or not yours to use".to_owned(),
        (Lang::ZhCn, Violation::OutOfRange { min, max }) => format!("必须在 {min} 到 {max} 之间"),
        (Lang::En, Violation::OutOfRange { min, max }) => {
            format!("Must be between {min} and {max}")
        }
        (Lang::ZhCn, Violation::UnknownField) => "不支持的参数".to_owned(),
        (Lang::En, Violation::UnknownField) => "Unknown parameter".to_owned(),
        (Lang::ZhCn, Violation::InvalidType) => "类型不正确".to_owned(),
        (Lang::En, Violation::InvalidType) => "Wrong type".to_owned(),
        (Lang::ZhCn, Violation::Duplicate) => "与前面的值重复".to_owned(),
        (Lang::En, Violation::Duplicate) => "Repeats an earlier value".to_owned(),
        (Lang::ZhCn, Violation::MutuallyExclusive) => "只能填写其中一项".to_owned(),
        (Lang::En, Violation::MutuallyExclusive) => "Give only one of these".to_owned(),
        (Lang::ZhCn, Violation::ExceedsAvailable) => "超出可用数量或金额".to_owned(),
        (Lang::En, Violation::ExceedsAvailable) => "More than is available".to_owned(),
        (Lang::ZhCn, Violation::BelowPaid) => "不能低于已收金额".to_owned(),
        (Lang::En, Violation::BelowPaid) => "Cannot be less than what was paid".to_owned(),
        (Lang::ZhCn, Violation::SumMismatch) => "合计与应收金额不一致".to_owned(),
        (Lang::En, Violation::SumMismatch) => "Does not add up to the amount owed".to_owned(),
        (Lang::ZhCn, Violation::NotInFuture) => "须晚于当前时间".to_owned(),
        (Lang::En, Violation::NotInFuture) => "Must be in the future".to_owned(),
        (Lang::ZhCn, Violation::InternalAddress) => {
            "地址位于内网，需管理员在“允许的内网地址”中放行".to_owned()
        }
        (Lang::En, Violation::InternalAddress) => {
            "Resolves to an internal network address; an admin must allow it first".to_owned()
        }
        (Lang::ZhCn, Violation::KeyReused) => "该键已用于另一个请求，请换一个新键".to_owned(),
        (Lang::En, Violation::KeyReused) => {
            "Already used for a different request; send a new key".to_owned()
        }
    }
}

pub fn validation_detail(lang: Lang, count: usize) -> String {
    match lang {
        Lang::ZhCn => format!("{count} 个字段未通过校验"),
        Lang::En => format!("{count} field(s) failed validation"),
    }
}

pub fn forbidden_detail(lang: Lang, permission: &str) -> String {
    match lang {
        Lang::ZhCn => format!("需要权限 {permission}"),
        Lang::En => format!("Requires the permission {permission}"),
    }
}

/// "已存在：苏州**有限公司（华东区 张*）": the masked hint a duplicate answer gives.
pub fn duplicate_detail(lang: Lang, existing: &crm_api_types::customers::DuplicateMatch) -> String {
    match (lang, &existing.owner_hint) {
        (Lang::ZhCn, Some(owner)) => format!("已存在：{}（{owner}）", existing.name),
        (Lang::ZhCn, None) => format!("已存在：{}（公海）", existing.name),
        (Lang::En, Some(owner)) => format!("Exists already: {} ({owner})", existing.name),
        (Lang::En, None) => format!("Exists already: {} (in the pool)", existing.name),
    }
}

pub fn stale_detail(lang: Lang, current: i32) -> String {
    match lang {
        Lang::ZhCn => format!("当前版本为 {current}"),
        Lang::En => format!("The current version is {current}"),
    }
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default_and_q_values_decide() {
        assert_eq!(Lang::from_accept_language(None), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("en;q=0.5, zh-CN")),
            Lang::ZhCn
        );
        assert_eq!(Lang::from_accept_language(Some("fr-FR")), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language(Some("fr, en;q=0.8")), Lang::En);
    }
}
