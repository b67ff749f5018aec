//! Settings → 审批流程, for `settings.manage`: per kind of document, the policies tried in
//! ascending priority; the first whose conditions hold (any or all of them) chooses the chain
//! of steps. Each policy is added, replaced whole (`If-Match`) or deleted in its dialog.

mod conditions;
mod policy_dialog;
mod steps;

use crm_api_types::approvals::{
    ApprovalPolicyResponse, ApproverRule, Condition, DocumentKind, MatchMode,
};
use crm_api_types::identity::{DirectoryEntry, Permission, RoleResponse};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::table::{EmptyState, Spinner};
use crate::format::{money, plain};
use crate::i18n::{I18n, K, document_kind_key, match_mode_key, step_mode_key, use_i18n};
use crate::load::Load;
use crate::pages::customers_list::tier_label;

use policy_dialog::PolicyDialog;

/// Whom and what policies can name: for the pickers and for describing a policy.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Names {
    users: RwSignal<Vec<DirectoryEntry>>,
    roles: RwSignal<Vec<RoleResponse>>,
    tiers: RwSignal<Vec<Choice>>,
}

impl Names {
    fn user(self, id: Uuid) -> String {
        self.users.with(|all| {
            all.iter()
                .find(|u| u.id == id)
                .map_or_else(|| short(id), |u| u.name.clone())
        })
    }

    fn role(self, id: Uuid) -> String {
        self.roles.with(|all| {
            all.iter()
                .find(|r| r.id == id)
                .map_or_else(|| short(id), |r| r.name.clone())
        })
    }

    /// 部门经理, 李娜, 角色：销售总监 …
    fn approver(self, i18n: I18n, rule: &ApproverRule) -> String {
        match rule {
            ApproverRule::User { user_id } => self.user(*user_id),
            ApproverRule::Role { role_id } => {
                format!("{}：{}", i18n.t(K::ApproverRole), self.role(*role_id))
            }
            ApproverRule::DepartmentManager => i18n.t(K::ApproverDepartmentManager).to_owned(),
            ApproverRule::ManagerLevelsUp { levels } => i18n.manager_levels_up(*levels),
            ApproverRule::TopManager => i18n.t(K::ApproverTopManager).to_owned(),
        }
    }

    fn condition(self, i18n: I18n, condition: &Condition) -> String {
        match condition {
            Condition::TotalAtLeast { amount, currency } => {
                format!("{} ≥ {}", i18n.t(K::GrandTotal), money(*amount, currency))
            }
            Condition::DiscountAbove { percent } => {
                format!("{} > {}%", i18n.t(K::EffectiveDiscount), plain(*percent))
            }
            Condition::CustomerTierIn { tiers } => {
                let labels: Vec<String> = self
                    .tiers
                    .with(|all| tiers.iter().map(|t| tier_label(all, Some(t))).collect());
                format!("{} ∈ {}", i18n.t(K::FieldTier), labels.join("、"))
            }
        }
    }
}

fn short(id: Uuid) -> String {
    id.to_string().chars().take(8).collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Edit(Box<ApprovalPolicyResponse>),
    Delete(Box<ApprovalPolicyResponse>),
}

#[component]
pub fn ApprovalPoliciesPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let kind = RwSignal::new(DocumentKind::Quote.as_str());
    let chosen_kind =
        move || DocumentKind::parse(kind.get_untracked()).unwrap_or(DocumentKind::Quote);
    let policies = RwSignal::new(Load::<Vec<ApprovalPolicyResponse>>::Loading);
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);
    let names = Names {
        users: RwSignal::new(Vec::new()),
        roles: RwSignal::new(Vec::new()),
        tiers: RwSignal::new(Vec::new()),
    };

    let reload = move || {
        let chosen = chosen_kind();
        spawn_local(async move {
            match api.approval_policies(chosen).await {
                Ok(all) => policies.set(Load::Loaded(all)),
                Err(error) => {
                    api.report(&error);
                    policies.set(Load::Failed);
                }
            }
        });
    };
    Effect::new(move |_| {
        kind.track();
        policies.set(Load::Loading);
        reload();
    });
    spawn_local(async move {
        match api.directory(false).await {
            Ok(all) => names.users.set(all),
            Err(error) => api.report(&error),
        }
    });
    spawn_local(async move {
        if let Ok(settings) = api.get_settings().await {
            names.tiers.set(settings.value.customer_tiers);
        }
    });
    // Roles are listed to user managers only; others pick people and managers.
    if session.can(Permission::UserManage) {
        spawn_local(async move {
            if let Ok(all) = api.all_roles().await {
                names.roles.set(all);
            }
        });
    }

    let close = Callback::new(move |()| dialog.set(Dialog::Closed));
    let on_saved = Callback::new(move |created: bool| {
        dialog.set(Dialog::Closed);
        api.toasts.success(api.i18n.t(if created {
            K::PolicyCreated
        } else {
            K::PolicySaved
        }));
        reload();
    });
    let on_stale = Callback::new(move |()| {
        dialog.set(Dialog::Closed);
        reload();
    });
    let on_delete = Callback::new(move |()| {
        let Dialog::Delete(policy) = dialog.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_approval_policy(policy.id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::PolicyDeleted));
                    reload();
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let row = move |policy: ApprovalPolicyResponse| {
        let shown = policy.clone();
        let conditions = move || {
            if shown.conditions.is_empty() {
                return i18n.t(K::AlwaysApplies).to_owned();
            }
            let sep = match shown.match_mode {
                MatchMode::Any => i18n.t(K::Or),
                MatchMode::All => i18n.t(K::And),
            };
            shown
                .conditions
                .iter()
                .map(|c| names.condition(i18n, c))
                .collect::<Vec<_>>()
                .join(&format!(" {sep} "))
        };
        let steps = policy.steps.clone();
        let chain = move || {
            steps
                .iter()
                .map(|s| {
                    let who: Vec<String> = s
                        .approvers
                        .iter()
                        .map(|r| names.approver(i18n, r))
                        .collect();
                    format!(
                        "{}（{}：{}）",
                        s.name,
                        i18n.t(step_mode_key(s.mode)),
                        who.join("、")
                    )
                })
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let mode = policy.match_mode;
        let (for_edit, for_delete) = (policy.clone(), policy.clone());
        view! {
            <tr class:row-muted=!policy.active data-testid="policy-row" data-id=policy.id.to_string()>
                <td class="cell-mono">{policy.priority}</td>
                <td class="cell-strong">
                    {policy.name.clone()}
                    {(!policy.active).then(|| view! { <span class="badge badge-gray">{i18n.tr(K::Inactive)}</span> })}
                </td>
                <td class="cell-wrap" data-testid="policy-conditions">
                    <span class="badge badge-outline">{i18n.tr(match_mode_key(mode))}</span>" "
                    {conditions}
                </td>
                <td class="cell-wrap" data-testid="policy-steps">{chain}</td>
                <td class="cell-actions">
                    <button type="button" class="btn btn-link btn-sm" data-testid="policy-edit"
                        on:click=move |_| dialog.set(Dialog::Edit(Box::new(for_edit.clone())))>
                        {i18n.tr(K::Edit)}
                    </button>
                    <button type="button" class="btn btn-link btn-link-danger btn-sm" data-testid="policy-delete"
                        on:click=move |_| dialog.set(Dialog::Delete(Box::new(for_delete.clone())))>
                        {i18n.tr(K::Delete)}
                    </button>
                </td>
            </tr>
        }
    };

    let body = move || match policies.get() {
        Load::Loading => view! { <Spinner label=true/> }.into_any(),
        Load::Failed | Load::NotFound => {
            view! { <p class="muted panel-empty">{i18n.tr(K::UnexpectedError)}</p> }.into_any()
        }
        Load::Loaded(all) if all.is_empty() => view! {
            <EmptyState
                icon=IconName::Stamp
                title=i18n.signal(K::PoliciesEmpty)
                hint=i18n.signal(K::PoliciesEmptyHint)
                testid="policies-empty"
            />
        }
        .into_any(),
        Load::Loaded(all) => view! {
            <div class="table-wrap">
                <table class="table" data-testid="policies-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::PolicyPriority)}</th>
                            <th scope="col">{i18n.tr(K::PolicyName)}</th>
                            <th scope="col">{i18n.tr(K::PolicyConditions)}</th>
                            <th scope="col">{i18n.tr(K::PolicySteps)}</th>
                            <th scope="col">{i18n.tr(K::Actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{all.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any(),
    };

    view! {
        <section class="card" aria-labelledby="policies-title" data-testid="approval-policies">
            <h2 class="card-title" id="policies-title">
                <Icon name=IconName::Stamp/>
                <span>{i18n.tr(K::ApprovalPolicies)}</span>
                <span class="toolbar-spacer"></span>
                <button type="button" class="btn btn-secondary btn-sm" data-testid="policy-new" on:click=move |_| dialog.set(Dialog::Create)>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::NewPolicy)}</span>
                </button>
            </h2>
            <div class="tabs card-tabs" role="tablist">
                {DocumentKind::ALL.into_iter().map(|k| view! {
                    <button type="button" role="tab" class="tab" class:active=move || kind.get() == k.as_str()
                        data-testid=format!("policy-kind-{}", k.as_str()) on:click=move |_| kind.set(k.as_str())>
                        {i18n.tr(document_kind_key(k))}
                    </button>
                }).collect_view()}
            </div>
            <p class="field-hint card-hint">{i18n.tr(K::PoliciesHint)}</p>
            {body}
        </section>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create => view! {
                <PolicyDialog policy=None kind=chosen_kind() names on_saved on_stale on_close=close/>
            }
            .into_any(),
            Dialog::Edit(policy) => {
                let kind = policy.document_kind;
                view! { <PolicyDialog policy=Some(*policy) kind names on_saved on_stale on_close=close/> }.into_any()
            }
            Dialog::Delete(policy) => view! {
                <ConfirmDialog
                    title=K::DeletePolicy
                    message=Signal::derive(move || i18n.confirm_delete_named(&policy.name))
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=close
                />
            }
            .into_any(),
        }}
    }
}
