//! One approval request (审批), for any kind of document: its policy and status, the steps
//! (或签/会签) with each approver's decision, comment and time (and 转审 hand-overs), and the
//! timeline. The caller decides here when the current step awaits them — 同意, 驳回 and
//! 退回 (those two need a comment), 转审 to a colleague — and the submitter may 撤回 before
//! anyone decided. A step someone else decided first (409) is reported and reloaded.

use crm_api_types::approvals::{
    ApprovalAssignee, ApprovalEventResponse, ApprovalResponse, ApprovalStatus,
    ApprovalStepResponse, Decision, DecisionRequest, DelegateRequest, StepStatus,
};
use crm_api_types::identity::DirectoryEntry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{ApiError, Decide, use_api};
use crate::auth::use_session;
use crate::components::approvals_badge::use_approval_counts;
use crate::components::badges::ApprovalStatusBadge;
use crate::components::form_field::{FormErrors, SelectField, TextAreaField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::components::table::Spinner;
use crate::format::{local_datetime, non_blank};
use crate::i18n::{K, approval_event_key, decision_key, step_mode_key, step_status_key, use_i18n};
use crate::load::Load;

#[component]
pub fn ApprovalPanel(
    approval_id: Uuid,
    /// Told after a decision changed the request: the document's state may have moved.
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let counts = use_approval_counts();
    let approval = RwSignal::new(Load::<ApprovalResponse>::Loading);
    let comment = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let delegating = RwSignal::new(false);

    let reload = move || {
        spawn_local(async move {
            match api.get_approval(approval_id).await {
                Ok(found) => approval.set(Load::Loaded(found)),
                Err(error) if error.is_not_found() => approval.set(Load::NotFound),
                Err(error) => {
                    api.report(&error);
                    approval.set(Load::Failed);
                }
            }
        });
    };
    reload();

    // After any answer: the badge and the document follow; a lost race shows the winner.
    let finish = move |result: Result<ApprovalResponse, ApiError>, done: K| {
        busy.set(false);
        counts.refresh(api);
        match result {
            Ok(updated) => {
                approval.set(Load::Loaded(updated));
                comment.set(String::new());
                delegating.set(false);
                api.toasts.success(api.i18n.t(done));
                on_changed.try_run(());
            }
            Err(error) if error.status() == Some(422) && !error.field_errors().is_empty() => {
                if !errors.absorb(&error, &["comment"]) {
                    api.report(&error);
                }
            }
            Err(error) => {
                api.report(&error);
                if matches!(error.status(), Some(403 | 404 | 409)) {
                    reload();
                    on_changed.try_run(());
                }
            }
        }
    };
    let decide = Callback::new(move |what: Decide| {
        if busy.get_untracked() {
            return;
        }
        errors.clear();
        let text = non_blank(&comment.get_untracked());
        if matches!(what, Decide::Reject | Decide::Return) && text.is_none() {
            errors.push("comment", i18n.t(K::CommentRequired));
            return;
        }
        let done = match what {
            Decide::Approve => K::ApprovalApproved,
            Decide::Reject => K::ApprovalRejected,
            Decide::Return => K::ApprovalReturned,
            Decide::Withdraw => K::ApprovalWithdrawn,
        };
        busy.set(true);
        let body = DecisionRequest { comment: text };
        spawn_local(async move {
            let result = api.decide_approval(approval_id, what, &body).await;
            finish(result, done);
        });
    });
    let delegate = Callback::new(move |body: DelegateRequest| {
        busy.set(true);
        spawn_local(async move {
            let result = api.delegate_approval(approval_id, &body).await;
            finish(result, K::ApprovalDelegated);
        });
    });

    let body = move || match approval.get() {
        Load::Loading => view! { <Spinner/> }.into_any(),
        Load::NotFound | Load::Failed => {
            view! { <p class="panel-empty muted">{i18n.tr(K::ApprovalNotFound)}</p> }.into_any()
        }
        Load::Loaded(found) => view! {
            <ApprovalBody approval=found comment errors busy decide delegating/>
        }
        .into_any(),
    };

    view! {
        <section class="card approval-panel" aria-labelledby="approval-title" data-testid="approval-panel">
            <h2 class="card-title" id="approval-title">
                <Icon name=IconName::Stamp/>
                <span>{i18n.tr(K::Approval)}</span>
                <span class="toolbar-spacer"></span>
                {move || match approval.get() {
                    Load::Loaded(found) => view! { <ApprovalStatusBadge status=found.summary.status/> }.into_any(),
                    _ => ().into_any(),
                }}
            </h2>
            {body}
            <Show when=move || delegating.get()>
                <DelegateDialog busy on_delegate=delegate on_close=Callback::new(move |()| delegating.set(false))/>
            </Show>
        </section>
    }
}

/// Whether anyone decided anything yet (withdrawal is allowed only before).
fn anyone_decided(approval: &ApprovalResponse) -> bool {
    approval.steps.iter().any(|s| {
        s.assignees.iter().any(|a| {
            matches!(
                a.decision,
                Some(Decision::Approved | Decision::Rejected | Decision::Returned)
            )
        })
    })
}

#[component]
fn ApprovalBody(
    approval: ApprovalResponse,
    comment: RwSignal<String>,
    errors: FormErrors,
    busy: RwSignal<bool>,
    decide: Callback<Decide>,
    delegating: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.me().map(|m| m.user.id);
    let summary = approval.summary.clone();
    let awaiting_me = summary.awaiting_me && summary.status == ApprovalStatus::Pending;
    let may_withdraw = summary.status == ApprovalStatus::Pending
        && me == Some(summary.submitted_by)
        && !anyone_decided(&approval);
    let button = move |what: Decide, label: K, testid: &'static str, class: &'static str| {
        view! {
            <button type="button" class=format!("btn {class}") data-testid=testid disabled=move || busy.get()
                on:click=move |_| decide.run(what)>
                {i18n.tr(label)}
            </button>
        }
    };
    let names = approval
        .steps
        .iter()
        .flat_map(|s| s.assignees.iter().map(|a| (a.user_id, a.user_name.clone())))
        .collect::<Vec<_>>();

    view! {
        <div class="approval-head">
            <p class="approval-policy" data-testid="approval-policy">
                <span class="meta-label">{i18n.tr(K::ApprovalPolicy)}</span>
                {summary.policy_name.clone()}
            </p>
            <p class="activity-meta">
                {format!("{} · {}", summary.submitted_by_name, local_datetime(&summary.submitted_at))}
            </p>
        </div>
        <ol class="approval-steps" data-testid="approval-steps">
            {approval.steps.into_iter().map(|step| view! { <StepView step names=names.clone()/> }).collect_view()}
        </ol>
        {(awaiting_me || may_withdraw).then(|| view! {
            <div class="approval-decide" data-testid="approval-decide">
                {awaiting_me.then(|| view! {
                    <TextAreaField label=K::ApprovalComment name="comment" prefix="approval" value=comment errors wide=true/>
                })}
                <div class="approval-buttons">
                    {awaiting_me.then(|| view! {
                        {button(Decide::Approve, K::Approve, "approval-approve", "btn-primary")}
                        {button(Decide::Reject, K::Reject, "approval-reject", "btn-danger-outline")}
                        {button(Decide::Return, K::ReturnToSubmitter, "approval-return", "btn-secondary")}
                        <button type="button" class="btn btn-secondary" data-testid="approval-delegate" disabled=move || busy.get()
                            on:click=move |_| delegating.set(true)>
                            {i18n.tr(K::Delegate)}
                        </button>
                    })}
                    {may_withdraw.then(|| button(Decide::Withdraw, K::Withdraw, "approval-withdraw", "btn-secondary"))}
                </div>
            </div>
        })}
        <h3 class="subheading">{i18n.tr(K::ApprovalTimeline)}</h3>
        <ol class="timeline" data-testid="approval-events">
            {approval.events.into_iter().map(|event| view! { <EventView event/> }).collect_view()}
        </ol>
    }
}

#[component]
fn StepView(step: ApprovalStepResponse, names: Vec<(Uuid, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let status = step.status;
    let mode = step.mode;
    let colour = match status {
        StepStatus::Pending => "badge-orange",
        StepStatus::Approved => "badge-green",
        StepStatus::Rejected => "badge-red",
        StepStatus::Returned => "badge-purple",
        StepStatus::Waiting | StepStatus::Cancelled => "badge-gray",
    };
    let name_of = move |id: Uuid| {
        names
            .iter()
            .find(|(user, _)| *user == id)
            .map_or_else(String::new, |(_, name)| name.clone())
    };
    view! {
        <li class="approval-step" class:is-current=status == StepStatus::Pending
            data-testid="approval-step" data-status=status.as_str()>
            <div class="approval-step-head">
                <span class="step-no">{usize::from(step.position) + 1}</span>
                <span class="cell-strong">{step.name}</span>
                <span class="badge badge-outline" data-testid="approval-step-mode" data-mode=mode.as_str()>{i18n.tr(step_mode_key(mode))}</span>
                <span class=format!("badge {colour}")>{i18n.tr(step_status_key(status))}</span>
            </div>
            <ul class="approval-assignees">
                {step.assignees.into_iter().map(|a| {
                    let to = a.delegated_to.map(&name_of);
                    let from = a.delegated_from.map(&name_of);
                    view! { <AssigneeView assignee=a to from/> }
                }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn AssigneeView(
    assignee: ApprovalAssignee,
    /// Who took over, when this approver delegated.
    to: Option<String>,
    /// From whom this approver took over.
    from: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let decision = assignee.decision;
    let colour = match decision {
        Some(Decision::Approved) => "badge-green",
        Some(Decision::Rejected) => "badge-red",
        Some(Decision::Returned) => "badge-purple",
        Some(Decision::Delegated) => "badge-blue",
        None => "badge-gray",
    };
    view! {
        <li class="approval-assignee" data-testid="approval-assignee" data-decision=decision.map(|d| d.as_str())>
            <span class="avatar avatar-sm" aria-hidden="true">{assignee.user_name.chars().next().map(String::from)}</span>
            <div class="approval-assignee-body">
                <div class="approval-assignee-head">
                    <span class="cell-strong">{assignee.user_name.clone()}</span>
                    <span class=format!("badge {colour}")>
                        {move || decision.map_or_else(|| i18n.t(K::Undecided), |d| i18n.t(decision_key(d)))}
                    </span>
                    {assignee.decided_at.map(|at| view! { <span class="timeline-time">{local_datetime(&at)}</span> })}
                </div>
                {to.map(|name| view! { <p class="activity-meta" data-testid="approval-delegated-to">{move || format!("{} {name}", i18n.t(K::DelegatedTo))}</p> })}
                {from.map(|name| view! { <p class="activity-meta" data-testid="approval-delegated-from">{move || format!("{} {name}", i18n.t(K::DelegatedFrom))}</p> })}
                {assignee.comment.map(|c| view! { <p class="activity-notes" data-testid="approval-assignee-comment">{c}</p> })}
            </div>
        </li>
    }
}

#[component]
fn EventView(event: ApprovalEventResponse) -> impl IntoView {
    let i18n = use_i18n();
    let kind = event.kind;
    view! {
        <li class="timeline-item" data-testid="approval-event" data-kind=kind.as_str()>
            <div class="timeline-head">
                <span class="timeline-actor">{event.actor_name}</span>
                <span class="timeline-action">{i18n.tr(approval_event_key(kind))}</span>
                {event.delegated_to_name.map(|name| view! { <span class="change-new">{name}</span> })}
                <span class="timeline-time">{local_datetime(&event.at)}</span>
            </div>
            {event.comment.map(|c| view! { <p class="activity-notes">{c}</p> })}
        </li>
    }
}

/// 转审: picks the colleague who takes the caller's place on the step.
#[component]
fn DelegateDialog(
    busy: RwSignal<bool>,
    on_delegate: Callback<DelegateRequest>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let errors = FormErrors::new();
    let user_id = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let users = RwSignal::new(Vec::<DirectoryEntry>::new());
    let me = session.me().map(|m| m.user.id);
    spawn_local(async move {
        match api.directory(false).await {
            Ok(all) => users.set(all),
            Err(error) => api.report(&error),
        }
    });
    let options = Signal::derive(move || {
        users
            .get()
            .into_iter()
            .filter(|u| Some(u.id) != me)
            .map(|u| {
                (
                    u.id.to_string(),
                    format!("{}（{}）", u.name, u.department_name),
                )
            })
            .collect()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let Ok(user) = user_id.get_untracked().parse::<Uuid>() else {
            errors.push("user_id", i18n.t(K::ValueRequired));
            return;
        };
        on_delegate.run(DelegateRequest {
            user_id: user,
            comment: non_blank(&comment.get_untracked()),
        });
    };
    view! {
        <Modal title=i18n.signal(K::DelegateTitle) on_close testid="delegate-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <p class="field-hint">{i18n.tr(K::DelegateHint)}</p>
                    <SelectField label=K::DelegateTo name="user_id" prefix="delegate" value=user_id errors options empty_label=K::SelectPlaceholder required=true/>
                    <TextAreaField label=K::ApprovalComment name="comment" prefix="delegate" value=comment errors/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="delegate-submit" disabled=move || busy.get()>
                        {i18n.tr(K::Delegate)}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
