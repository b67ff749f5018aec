//! An approval request between its rows and the domain's `Flow`: loaded whole, written back
//! whole (the steps and assignees of one request are a handful of rows), and shown as the
//! API answers it.

use std::collections::HashMap;

use crm_api_types::approvals::{
    ApprovalAssignee, ApprovalEventKind, ApprovalEventResponse, ApprovalResponse, ApprovalStatus,
    ApprovalStepResponse, ApprovalSummary, Decision, DocumentKind, StepMode, StepStatus,
};
use crm_domain::approval::flow::{Assignee, Flow, Happened, Step};
use crm_domain::event::EventType;
use crm_domain::{Error, new_id};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::entities::{approval_assignee, approval_event, approval_request, approval_step};
use crate::error::storage;
use crate::money::money_from_units;

fn corrupt(id: Uuid, what: &str) -> Error {
    Error::Storage(format!("approval request {id} has an unknown {what}").into())
}

fn step_index(value: i16) -> u8 {
    u8::try_from(value).unwrap_or(u8::MAX)
}

pub(crate) fn status_of(m: &approval_request::Model) -> Result<ApprovalStatus, Error> {
    ApprovalStatus::parse(&m.status).ok_or_else(|| corrupt(m.id, "status"))
}

/// The request's steps and assignees as a `Flow`.
pub(crate) async fn load(
    db: &impl ConnectionTrait,
    request: &approval_request::Model,
) -> Result<Flow, Error> {
    let steps = approval_step::Entity::find()
        .filter(approval_step::Column::TenantId.eq(request.tenant_id))
        .filter(approval_step::Column::RequestId.eq(request.id))
        .order_by_asc(approval_step::Column::Position)
        .all(db)
        .await
        .map_err(storage)?;
    let assignees = approval_assignee::Entity::find()
        .filter(approval_assignee::Column::TenantId.eq(request.tenant_id))
        .filter(approval_assignee::Column::RequestId.eq(request.id))
        .order_by_asc(approval_assignee::Column::Step)
        .order_by_asc(approval_assignee::Column::Position)
        .all(db)
        .await
        .map_err(storage)?;
    let mut by_step: HashMap<i16, Vec<Assignee>> = HashMap::new();
    for a in assignees {
        let decision = match a.decision.as_deref() {
            Some(key) => Some(Decision::parse(key).ok_or_else(|| corrupt(request.id, "decision"))?),
            None => None,
        };
        by_step.entry(a.step).or_default().push(Assignee {
            user_id: a.user_id,
            decision,
            comment: a.comment,
            decided_at: a.decided_at,
            delegated_to: a.delegated_to,
            delegated_from: a.delegated_from,
        });
    }
    let steps = steps
        .into_iter()
        .map(|s| {
            Ok(Step {
                mode: StepMode::parse(&s.mode).ok_or_else(|| corrupt(request.id, "step mode"))?,
                status: StepStatus::parse(&s.status)
                    .ok_or_else(|| corrupt(request.id, "step status"))?,
                assignees: by_step.remove(&s.position).unwrap_or_default(),
                name: s.name,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Flow {
        status: status_of(request)?,
        current_step: request.current_step.map(step_index),
        submitted_by: request.submitted_by,
        allow_self_approval: request.allow_self_approval,
        steps,
        finished_at: request.finished_at,
    })
}

/// Replaces the request's steps and assignees with the flow's; the request row itself is
/// written by the caller under its version.
pub(crate) async fn write_steps(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    request_id: Uuid,
    flow: &Flow,
) -> Result<(), Error> {
    approval_step::Entity::delete_many()
        .filter(approval_step::Column::TenantId.eq(tenant_id))
        .filter(approval_step::Column::RequestId.eq(request_id))
        .exec(db)
        .await
        .map_err(storage)?;
    approval_assignee::Entity::delete_many()
        .filter(approval_assignee::Column::TenantId.eq(tenant_id))
        .filter(approval_assignee::Column::RequestId.eq(request_id))
        .exec(db)
        .await
        .map_err(storage)?;
    let mut steps = Vec::new();
    let mut assignees = Vec::new();
    for (i, step) in flow.steps.iter().enumerate() {
        let position = i16::try_from(i).unwrap_or(i16::MAX);
        steps.push(approval_step::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id),
            request_id: Set(request_id),
            position: Set(position),
            name: Set(step.name.clone()),
            mode: Set(step.mode.as_str().to_owned()),
            status: Set(step.status.as_str().to_owned()),
        });
        for (j, a) in step.assignees.iter().enumerate() {
            assignees.push(approval_assignee::ActiveModel {
                id: Set(new_id()),
                tenant_id: Set(tenant_id),
                request_id: Set(request_id),
                step: Set(position),
                position: Set(i16::try_from(j).unwrap_or(i16::MAX)),
                user_id: Set(a.user_id),
                decision: Set(a.decision.map(|d| d.as_str().to_owned())),
                comment: Set(a.comment.clone()),
                decided_at: Set(a.decided_at),
                delegated_to: Set(a.delegated_to),
                delegated_from: Set(a.delegated_from),
                awaiting: Set(step.status == StepStatus::Pending && a.decision.is_none()),
            });
        }
    }
    if !steps.is_empty() {
        approval_step::Entity::insert_many(steps)
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
    }
    if !assignees.is_empty() {
        approval_assignee::Entity::insert_many(assignees)
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

/// Appends timeline entries; a submission queues `approval.requested` and the request's end
/// `approval.decided`.
pub(crate) async fn record_events(
    db: &impl ConnectionTrait,
    request: &approval_request::Model,
    flow: &Flow,
    events: &[Happened],
) -> Result<(), Error> {
    let at = crm_domain::now();
    for event in events {
        let row = approval_event::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(request.tenant_id),
            request_id: Set(request.id),
            kind: Set(event.kind.as_str().to_owned()),
            step: Set(event.step.map(i16::from)),
            actor_id: Set(event.actor),
            comment: Set(event.comment.clone()),
            delegated_to: Set(event.delegated_to),
            at: Set(at),
        };
        approval_event::Entity::insert(row)
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
        let Some((event_type, outcome)) = webhook_event(event.kind) else {
            continue;
        };
        // The step the request was at: the first when it starts, the one it ended at when it
        // ends (where it was rejected, returned or withdrawn). The timeline's completion entry
        // names no step, but a request completes with its last step.
        let step = event
            .step
            .or_else(|| u8::try_from(flow.steps.len().checked_sub(1)?).ok());
        let payload = json!({
            "approval_id": request.id,
            "document_kind": request.document_kind,
            "document_id": request.document_id,
            "document_number": request.document_number,
            "amount": money_from_units(request.amount).to_string(),
            "currency": request.currency,
            "submitted_by": request.submitted_by,
            "status": flow.status.as_str(),
            "outcome": outcome,
            "step": step,
            "actor_id": event.actor,
            "comment": event.comment,
            "at": at,
        });
        crate::outbox::emit(db, request.tenant_id, event_type, request.id, &payload).await?;
    }
    Ok(())
}

/// The catalogue event of a timeline entry, with the outcome for one that ends the request.
/// Single approvals, delegations and finished steps are progress inside a request that
/// integrators do not act on; they read them from the API when they need them.
fn webhook_event(kind: ApprovalEventKind) -> Option<(EventType, Option<&'static str>)> {
    match kind {
        ApprovalEventKind::Submitted => Some((EventType::ApprovalRequested, None)),
        ApprovalEventKind::Completed => Some((EventType::ApprovalDecided, Some("approved"))),
        ApprovalEventKind::Rejected => Some((EventType::ApprovalDecided, Some("rejected"))),
        ApprovalEventKind::Returned => Some((EventType::ApprovalDecided, Some("returned"))),
        ApprovalEventKind::Withdrawn => Some((EventType::ApprovalDecided, Some("withdrawn"))),
        ApprovalEventKind::Approved
        | ApprovalEventKind::Delegated
        | ApprovalEventKind::StepCompleted => None,
    }
}

/// Summaries of `requests`, in their order, with the current step's name and whether each
/// awaits `viewer`.
pub(crate) async fn summaries(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    viewer: Uuid,
    requests: Vec<approval_request::Model>,
) -> Result<Vec<ApprovalSummary>, Error> {
    let ids: Vec<Uuid> = requests.iter().map(|r| r.id).collect();
    let step_names: HashMap<(Uuid, i16), String> = approval_step::Entity::find()
        .filter(approval_step::Column::TenantId.eq(tenant_id))
        .filter(approval_step::Column::RequestId.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|s| ((s.request_id, s.position), s.name))
        .collect();
    let awaiting: std::collections::HashSet<Uuid> = approval_assignee::Entity::find()
        .filter(approval_assignee::Column::TenantId.eq(tenant_id))
        .filter(approval_assignee::Column::UserId.eq(viewer))
        .filter(approval_assignee::Column::Awaiting.eq(true))
        .filter(approval_assignee::Column::RequestId.is_in(ids))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|a| a.request_id)
        .collect();
    let submitters: Vec<Uuid> = requests.iter().map(|r| r.submitted_by).collect();
    let names = crate::users::names(db, tenant_id, &submitters).await?;
    requests
        .into_iter()
        .map(|r| {
            Ok(ApprovalSummary {
                document_kind: DocumentKind::parse(&r.document_kind)
                    .ok_or_else(|| corrupt(r.id, "document kind"))?,
                status: status_of(&r)?,
                current_step_name: r
                    .current_step
                    .and_then(|s| step_names.get(&(r.id, s)).cloned()),
                current_step: r.current_step.map(step_index),
                submitted_by_name: names.get(&r.submitted_by).cloned().unwrap_or_default(),
                awaiting_me: awaiting.contains(&r.id),
                amount: money_from_units(r.amount),
                id: r.id,
                document_id: r.document_id,
                document_number: r.document_number,
                document_title: r.document_title,
                currency: r.currency,
                policy_id: r.policy_id,
                policy_name: r.policy_name,
                submitted_by: r.submitted_by,
                submitted_at: r.submitted_at,
                finished_at: r.finished_at,
                version: r.version,
            })
        })
        .collect()
}

/// The whole request: summary, steps with their people, and the timeline.
pub(crate) async fn full(
    db: &impl ConnectionTrait,
    viewer: Uuid,
    request: approval_request::Model,
) -> Result<ApprovalResponse, Error> {
    let tenant_id = request.tenant_id;
    let flow = load(db, &request).await?;
    let events = approval_event::Entity::find()
        .filter(approval_event::Column::TenantId.eq(tenant_id))
        .filter(approval_event::Column::RequestId.eq(request.id))
        .order_by_asc(approval_event::Column::At)
        .order_by_asc(approval_event::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    let mut people: Vec<Uuid> = flow
        .steps
        .iter()
        .flat_map(|s| s.assignees.iter().map(|a| a.user_id))
        .collect();
    people.extend(events.iter().map(|e| e.actor_id));
    people.extend(events.iter().filter_map(|e| e.delegated_to));
    let names = crate::users::names(db, tenant_id, &people).await?;
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    let id = request.id;
    let summary = summaries(db, tenant_id, viewer, vec![request])
        .await?
        .remove(0);
    let steps = flow
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| ApprovalStepResponse {
            position: u8::try_from(i).unwrap_or(u8::MAX),
            name: s.name.clone(),
            mode: s.mode,
            status: s.status,
            assignees: s
                .assignees
                .iter()
                .map(|a| ApprovalAssignee {
                    user_id: a.user_id,
                    user_name: name(&a.user_id),
                    decision: a.decision,
                    comment: a.comment.clone(),
                    decided_at: a.decided_at,
                    delegated_to: a.delegated_to,
                    delegated_from: a.delegated_from,
                })
                .collect(),
        })
        .collect();
    let events = events
        .into_iter()
        .map(|e| {
            Ok(ApprovalEventResponse {
                kind: ApprovalEventKind::parse(&e.kind).ok_or_else(|| corrupt(id, "event"))?,
                step: e.step.map(step_index),
                actor_name: name(&e.actor_id),
                delegated_to_name: e.delegated_to.as_ref().map(name),
                id: e.id,
                actor_id: e.actor_id,
                comment: e.comment,
                delegated_to: e.delegated_to,
                at: e.at,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(ApprovalResponse {
        summary,
        steps,
        events,
    })
}
