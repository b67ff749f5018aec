//! Status badges, coloured by where a record stands.

use crm_api_types::api_keys::ApiKeyStatus;
use crm_api_types::approvals::ApprovalStatus;
use crm_api_types::contracts::ContractStatus;
use crm_api_types::customers::CustomerStatus;
use crm_api_types::leads::LeadStatus;
use crm_api_types::pipelines::StageKind;
use crm_api_types::quotes::QuoteStatus;
use crm_api_types::receivables::InstalmentStatus;
use crm_api_types::sales_orders::{SalesOrderStatus, ShipmentStatus};
use crm_api_types::sync::SyncResult;
use crm_api_types::webhooks::{DeliveryStatus, DisabledReason};
use leptos::prelude::*;

use crate::components::sync_status::result_value;
use crate::i18n::{
    K, approval_status_key, contract_status_key, customer_status_key, delivery_status_key,
    disabled_reason_key, instalment_status_key, quote_status_key, sales_order_status_key,
    shipment_status_key, status_key, sync_result_key, use_i18n,
};

#[component]
pub fn LeadStatusBadge(
    status: LeadStatus,
    #[prop(optional)] title: bool,
    #[prop(default = "lead-status")] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        LeadStatus::New => "badge-blue",
        LeadStatus::Working => "badge-orange",
        LeadStatus::Qualified => "badge-green",
        LeadStatus::Disqualified => "badge-gray",
        LeadStatus::Converted => "badge-purple",
    };
    view! {
        <span
            class=format!("badge {colour}")
            class:title-badge=title
            data-testid=testid
            data-status=status.as_str()
        >
            {i18n.tr(status_key(status))}
        </span>
    }
}

#[component]
pub fn CustomerStatusBadge(status: CustomerStatus, #[prop(optional)] title: bool) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        CustomerStatus::Potential => "badge-blue",
        CustomerStatus::Active => "badge-green",
        CustomerStatus::Dormant => "badge-orange",
        CustomerStatus::Lost => "badge-gray",
    };
    view! {
        <span
            class=format!("badge {colour}")
            class:title-badge=title
            data-testid="customer-status"
            data-status=status.as_str()
        >
            {i18n.tr(customer_status_key(status))}
        </span>
    }
}

/// Where an opportunity stands: open stages blue, won green, lost grey.
#[component]
pub fn StageBadge(
    kind: StageKind,
    name: String,
    #[prop(optional)] title: bool,
    #[prop(default = "opportunity-stage")] testid: &'static str,
) -> impl IntoView {
    let colour = match kind {
        StageKind::Open => "badge-blue",
        StageKind::Won => "badge-green",
        StageKind::Lost => "badge-gray",
    };
    view! {
        <span
            class=format!("badge {colour}")
            class:title-badge=title
            data-testid=testid
            data-stage-kind=kind.as_str()
        >
            {name}
        </span>
    }
}

/// Where a quote stands: 草稿, 审批中, 已批准 …
#[component]
pub fn QuoteStatusBadge(
    status: QuoteStatus,
    #[prop(optional)] title: bool,
    #[prop(default = "quote-status")] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        QuoteStatus::Draft => "badge-gray",
        QuoteStatus::PendingApproval => "badge-orange",
        QuoteStatus::Approved => "badge-green",
        QuoteStatus::Rejected => "badge-red",
        QuoteStatus::Sent => "badge-blue",
        QuoteStatus::Accepted => "badge-purple",
        QuoteStatus::Declined | QuoteStatus::Expired => "badge-outline",
    };
    view! {
        <span
            class=format!("badge {colour}")
            class:title-badge=title
            data-testid=testid
            data-status=status.as_str()
        >
            {i18n.tr(quote_status_key(status))}
        </span>
    }
}

/// Where an approval request stands.
#[component]
pub fn ApprovalStatusBadge(
    status: ApprovalStatus,
    #[prop(default = "approval-status")] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        ApprovalStatus::Pending => "badge-orange",
        ApprovalStatus::Approved => "badge-green",
        ApprovalStatus::Rejected => "badge-red",
        ApprovalStatus::Returned => "badge-purple",
        ApprovalStatus::Withdrawn => "badge-gray",
    };
    view! {
        <span class=format!("badge {colour}") data-testid=testid data-status=status.as_str()>
            {i18n.tr(approval_status_key(status))}
        </span>
    }
}

/// Where a sales order stands: 草稿, 待审批, 已确认, 部分发货 …
#[component]
pub fn SalesOrderStatusBadge(
    status: SalesOrderStatus,
    #[prop(optional)] title: bool,
    #[prop(default = "order-status")] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        SalesOrderStatus::Draft => "badge-gray",
        SalesOrderStatus::PendingApproval => "badge-orange",
        SalesOrderStatus::Confirmed => "badge-blue",
        SalesOrderStatus::PartiallyShipped => "badge-purple",
        SalesOrderStatus::Shipped => "badge-purple",
        SalesOrderStatus::Completed => "badge-green",
        SalesOrderStatus::Cancelled => "badge-outline",
    };
    view! {
        <span
            class=format!("badge {colour}")
            class:title-badge=title
            data-testid=testid
            data-status=status.as_str()
        >
            {i18n.tr(sales_order_status_key(status))}
        </span>
    }
}

/// An instalment of a collection plan: 待触发, 未到期, 逾期, 已收清.
#[component]
pub fn InstalmentStatusBadge(status: InstalmentStatus, testid: String) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        InstalmentStatus::Scheduled => "badge-gray",
        InstalmentStatus::NotDue => "badge-blue",
        InstalmentStatus::Overdue => "badge-red",
        InstalmentStatus::Paid => "badge-green",
    };
    view! {
        <span class=format!("badge {colour}") data-testid=testid data-status=status.as_str()>
            {i18n.tr(instalment_status_key(status))}
        </span>
    }
}

/// A shipment in transit (已发货) or signed for (已签收).
#[component]
pub fn ShipmentStatusBadge(status: ShipmentStatus) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        ShipmentStatus::Shipped => "badge-orange",
        ShipmentStatus::Delivered => "badge-green",
    };
    view! {
        <span class=format!("badge {colour}") data-testid="shipment-status" data-status=status.as_str()>
            {i18n.tr(shipment_status_key(status))}
        </span>
    }
}

/// Where a contract stands: 草稿, 审批中, 生效, 履行完毕, 终止.
#[component]
pub fn ContractStatusBadge(
    status: ContractStatus,
    #[prop(optional)] title: bool,
    #[prop(default = "contract-status")] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        ContractStatus::Draft => "badge-gray",
        ContractStatus::PendingApproval => "badge-orange",
        ContractStatus::Active => "badge-green",
        ContractStatus::Completed => "badge-blue",
        ContractStatus::Terminated => "badge-outline",
    };
    view! {
        <span
            class=format!("badge {colour}")
            class:title-badge=title
            data-testid=testid
            data-status=status.as_str()
        >
            {i18n.tr(contract_status_key(status))}
        </span>
    }
}

/// An API key: active green, expired orange, revoked grey.
#[component]
pub fn ApiKeyStatusBadge(status: ApiKeyStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (colour, label, value) = match status {
        ApiKeyStatus::Active => ("badge-green", K::ApiKeyActive, "active"),
        ApiKeyStatus::Expired => ("badge-orange", K::ApiKeyExpired, "expired"),
        ApiKeyStatus::Revoked => ("badge-gray", K::ApiKeyRevoked, "revoked"),
    };
    view! {
        <span class=format!("badge {colour}") data-testid="api-key-status" data-status=value>
            {i18n.tr(label)}
        </span>
    }
}

/// A webhook endpoint: 启用 green; 停用 grey when switched off by hand, red when the CRM
/// switched it off, with why (接收方已下线(410), 连续失败) after it.
#[component]
pub fn WebhookStatusBadge(
    enabled: bool,
    reason: Option<DisabledReason>,
    #[prop(optional)] title: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (colour, label, value) = match (enabled, reason) {
        (true, _) => ("badge-green", K::WebhookStatusEnabled, "enabled"),
        (false, None | Some(DisabledReason::Manual)) => {
            ("badge-gray", K::WebhookStatusDisabled, "disabled")
        }
        (false, Some(_)) => ("badge-red", K::WebhookStatusDisabled, "disabled"),
    };
    let reason = (!enabled).then_some(reason).flatten();
    view! {
        <span class="badge-list">
            <span
                class=format!("badge {colour}")
                class:title-badge=title
                data-testid="webhook-status"
                data-status=value
            >
                {i18n.tr(label)}
            </span>
            {reason.map(|reason| view! {
                <span class="cell-sub" data-testid="webhook-disabled-reason" data-reason=reason.as_str()>
                    {i18n.tr(disabled_reason_key(reason))}
                </span>
            })}
        </span>
    }
}

/// One webhook delivery: 待发送 orange, 已送达 green, 失败 red.
#[component]
pub fn DeliveryStatusBadge(status: DeliveryStatus) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match status {
        DeliveryStatus::Pending => "badge-orange",
        DeliveryStatus::Delivered => "badge-green",
        DeliveryStatus::Failed => "badge-red",
    };
    view! {
        <span class=format!("badge {colour}") data-testid="delivery-status" data-status=status.as_str()>
            {i18n.tr(delivery_status_key(status))}
        </span>
    }
}

/// How the last ERP sync of a record ended: 同步成功 green, 同步失败 red.
#[component]
pub fn SyncResultBadge(result: SyncResult) -> impl IntoView {
    let i18n = use_i18n();
    let colour = match result {
        SyncResult::Succeeded => "badge-green",
        SyncResult::Failed => "badge-red",
    };
    view! {
        <span class=format!("badge {colour}") data-testid="sync-result" data-status=result_value(result)>
            {i18n.tr(sync_result_key(result))}
        </span>
    }
}
