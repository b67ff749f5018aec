//! The approval engine's storage: policies, and requests that move through their steps as
//! approvers decide. A request is visible to its submitter, to everyone it names as an
//! approver, and to whoever sees its document.
//!
//! Documents plug in at two points: they `submit` inside their own transaction, and hear the
//! end of a request through `document_ended` (one arm per kind of document).

pub mod policies;
mod stored;

use std::collections::{HashMap, HashSet};

use crm_api_types::approvals::{
    ApprovalCountsResponse, ApprovalResponse, ApprovalStatus, ApprovalSummary, ApproverRule,
    DocumentKind,
};
use crm_domain::approval::approvers::{Directory, staff};
use crm_domain::approval::flow::{Act, Flow};
use crm_domain::approval::policy::{Facts, choose};
use crm_domain::{Caller, Error, FieldErrors, Violation, Visibility, new_id, now};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Select, TransactionTrait,
};
use uuid::Uuid;

use crate::cursor::Cursor;
use crate::entities::{approval_assignee, approval_request, department, role, user};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::to_units;

/// A document asking for approval.
pub(crate) struct Submission {
    pub kind: DocumentKind,
    pub document_id: Uuid,
    /// e.g. `QT-2026-000123 v2`.
    pub number: String,
    /// e.g. the customer's name.
    pub title: String,
    pub amount: Decimal,
    pub facts: Facts,
    pub comment: Option<String>,
}

/// Starts a request for the document when a policy applies; `None` when none does (the
/// document needs no approval).
pub(crate) async fn submit(
    db: &impl ConnectionTrait,
    caller: &Caller,
    submission: Submission,
) -> Result<Option<Uuid>, Error> {
    let stored = policies::of_kind(db, caller.tenant_id, Some(submission.kind)).await?;
    let policies = stored
        .iter()
        .map(|m| Ok((m, policies::policy_of(m)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let Some((model, policy)) = choose(&policies, submission.kind, &submission.facts) else {
        return Ok(None);
    };
    let directory = directory(db, caller, &policy.steps).await?;
    let staffed = staff(&policy.steps, &directory, policy.allow_self_approval)?;
    let (flow, submitted) = Flow::start(
        staffed,
        caller.user_id,
        policy.allow_self_approval,
        submission.comment,
    );
    let at = now();
    let request = approval_request::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        document_kind: Set(submission.kind.as_str().to_owned()),
        document_id: Set(submission.document_id),
        document_number: Set(submission.number),
        document_title: Set(submission.title),
        amount: Set(to_units(submission.amount)),
        currency: Set(submission.facts.currency),
        policy_id: Set(model.id),
        policy_name: Set(policy.name.clone()),
        allow_self_approval: Set(policy.allow_self_approval),
        status: Set(flow.status.as_str().to_owned()),
        current_step: Set(flow.current_step.map(i16::from)),
        submitted_by: Set(caller.user_id),
        submitted_at: Set(at),
        finished_at: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    };
    let request = sea_orm::ActiveModelTrait::insert(request, db)
        .await
        .map_err(storage)?;
    stored::write_steps(db, caller.tenant_id, request.id, &flow).await?;
    stored::record_events(db, &request, &flow, &[submitted]).await?;
    Ok(Some(request.id))
}

/// What the approver rules are resolved against: the submitter's chain of managers, the
/// members of named roles, who is active, and the tenant's administrators.
async fn directory(
    db: &impl ConnectionTrait,
    caller: &Caller,
    steps: &[crm_api_types::approvals::PolicyStep],
) -> Result<Directory, Error> {
    let tenant_id = caller.tenant_id;
    let path = crate::users::placement(db, tenant_id, caller.user_id)
        .await?
        .map(|(_, path)| path)
        .unwrap_or_default();
    let chain: Vec<Uuid> = path
        .split('/')
        .filter_map(|part| Uuid::parse_str(part).ok())
        .collect();
    let managers: HashMap<Uuid, Option<Uuid>> = department::Entity::find()
        .filter(department::Column::TenantId.eq(tenant_id))
        .filter(department::Column::Id.is_in(chain.clone()))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|d| (d.id, d.manager_id))
        .collect();
    let managers_up: Vec<Option<Uuid>> = chain
        .iter()
        .rev()
        .map(|d| managers.get(d).copied().flatten())
        .collect();
    let role_ids: Vec<Uuid> = steps
        .iter()
        .flat_map(|s| &s.approvers)
        .filter_map(|rule| match rule {
            ApproverRule::Role { role_id } => Some(*role_id),
            _ => None,
        })
        .collect();
    let admin_roles = role::Entity::find()
        .select_only()
        .column(role::Column::Id)
        .filter(role::Column::TenantId.eq(tenant_id))
        .filter(role::Column::Builtin.eq(true))
        .filter(role::Column::Key.eq("admin"))
        .into_tuple::<Uuid>()
        .all(db)
        .await
        .map_err(storage)?;
    let named: Vec<Uuid> = steps
        .iter()
        .flat_map(|s| &s.approvers)
        .filter_map(|rule| match rule {
            ApproverRule::User { user_id } => Some(*user_id),
            _ => None,
        })
        .chain(managers_up.iter().flatten().copied())
        .collect();
    let people: Vec<(Uuid, Uuid)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::RoleId)
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(user::Column::Active.eq(true))
        .filter(
            Condition::any()
                .add(user::Column::Id.is_in(named))
                .add(user::Column::RoleId.is_in(role_ids.iter().chain(&admin_roles).copied())),
        )
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    let mut role_members: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let mut admins = Vec::new();
    for (id, role_id) in &people {
        if role_ids.contains(role_id) {
            role_members.entry(*role_id).or_default().push(*id);
        }
        if admin_roles.contains(role_id) {
            admins.push(*id);
        }
    }
    Ok(Directory {
        submitter: caller.user_id,
        managers_up,
        role_members,
        active: people.iter().map(|(id, _)| *id).collect::<HashSet<_>>(),
        admins,
    })
}

/// The documents of `kind` whose approval requests name the caller as an approver: an
/// approver must read what they approve.
pub(crate) fn documents_to_approve(caller: &Caller, kind: DocumentKind) -> SelectStatement {
    let named = Query::select()
        .column(approval_assignee::Column::RequestId)
        .from(approval_assignee::Entity)
        .and_where(approval_assignee::Column::TenantId.eq(caller.tenant_id))
        .and_where(approval_assignee::Column::UserId.eq(caller.user_id))
        .to_owned();
    Query::select()
        .column(approval_request::Column::DocumentId)
        .from(approval_request::Entity)
        .and_where(approval_request::Column::TenantId.eq(caller.tenant_id))
        .and_where(approval_request::Column::DocumentKind.eq(kind.as_str()))
        .and_where(approval_request::Column::Id.in_subquery(named))
        .to_owned()
}

/// Requests the caller sees.
fn visible(caller: &Caller) -> Select<approval_request::Entity> {
    let query = approval_request::Entity::find()
        .filter(approval_request::Column::TenantId.eq(caller.tenant_id));
    if caller.visibility() == Visibility::All {
        return query;
    }
    query.filter(
        Condition::any()
            .add(approval_request::Column::SubmittedBy.eq(caller.user_id))
            .add(approval_request::Column::Id.in_subquery(named_in(caller, false)))
            .add(
                Condition::all()
                    .add(approval_request::Column::DocumentKind.eq(DocumentKind::Quote.as_str()))
                    .add(
                        approval_request::Column::DocumentId
                            .in_subquery(crate::quotes::visible_ids(caller)),
                    ),
            )
            .add(
                Condition::all()
                    .add(
                        approval_request::Column::DocumentKind
                            .eq(DocumentKind::SalesOrder.as_str()),
                    )
                    .add(
                        approval_request::Column::DocumentId
                            .in_subquery(crate::sales_orders::visible_ids(caller)),
                    ),
            )
            .add(
                Condition::all()
                    .add(approval_request::Column::DocumentKind.eq(DocumentKind::Contract.as_str()))
                    .add(
                        approval_request::Column::DocumentId
                            .in_subquery(crate::contracts::visible_ids(caller)),
                    ),
            ),
    )
}

/// The requests naming the caller as an approver (only those awaiting them, if `awaiting`).
fn named_in(caller: &Caller, awaiting: bool) -> SelectStatement {
    let mut query = Query::select()
        .column(approval_assignee::Column::RequestId)
        .from(approval_assignee::Entity)
        .and_where(approval_assignee::Column::TenantId.eq(caller.tenant_id))
        .and_where(approval_assignee::Column::UserId.eq(caller.user_id))
        .to_owned();
    if awaiting {
        query.and_where(Expr::col(approval_assignee::Column::Awaiting).eq(true));
    }
    query
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<approval_request::Model, Error> {
    visible(caller)
        .filter(approval_request::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<ApprovalResponse, Error> {
    let request = find(db, caller, id).await?;
    stored::full(db, caller.user_id, request).await
}

#[derive(Debug, Clone, Default)]
pub struct ApprovalFilter {
    /// Only those awaiting the caller's decision (the inbox).
    pub awaiting_me: bool,
    /// Only those the caller submitted.
    pub submitted_by_me: bool,
    pub status: Option<ApprovalStatus>,
    pub document: Option<(DocumentKind, Option<Uuid>)>,
}

pub struct ApprovalPage {
    pub items: Vec<ApprovalSummary>,
    pub next: Option<Cursor>,
}

/// Newest first, keyset-paginated on (created_at, id).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &ApprovalFilter,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<ApprovalPage, Error> {
    let mut query = visible(caller);
    if filter.awaiting_me {
        query = query.filter(approval_request::Column::Id.in_subquery(named_in(caller, true)));
    }
    if filter.submitted_by_me {
        query = query.filter(approval_request::Column::SubmittedBy.eq(caller.user_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(approval_request::Column::Status.eq(status.as_str()));
    }
    if let Some((kind, document_id)) = filter.document {
        query = query.filter(approval_request::Column::DocumentKind.eq(kind.as_str()));
        if let Some(id) = document_id {
            query = query.filter(approval_request::Column::DocumentId.eq(id));
        }
    }
    let keys = Keyset {
        column: approval_request::Column::CreatedAt,
        kind: KeyKind::Time,
        id: approval_request::Column::Id,
        descending: true,
    };
    let (models, next) = keyset::page(db, query, keys, limit, cursor, |m| Cursor {
        value: m.created_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    Ok(ApprovalPage {
        items: stored::summaries(db, caller.tenant_id, caller.user_id, models).await?,
        next,
    })
}

/// The header badge: what awaits the caller, and the caller's own requests still pending.
pub async fn counts(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<ApprovalCountsResponse, Error> {
    let awaiting_me = approval_request::Entity::find()
        .filter(approval_request::Column::TenantId.eq(caller.tenant_id))
        .filter(approval_request::Column::Id.in_subquery(named_in(caller, true)))
        .count(db)
        .await
        .map_err(storage)?;
    let submitted_pending = approval_request::Entity::find()
        .filter(approval_request::Column::TenantId.eq(caller.tenant_id))
        .filter(approval_request::Column::SubmittedBy.eq(caller.user_id))
        .filter(approval_request::Column::Status.eq(ApprovalStatus::Pending.as_str()))
        .count(db)
        .await
        .map_err(storage)?;
    Ok(ApprovalCountsResponse {
        awaiting_me,
        submitted_pending,
    })
}

/// How often a decision is retried when another one on the same request got there first.
const ATTEMPTS: usize = 3;

/// Approve, reject, return, withdraw or delegate. Each attempt reads the request, applies
/// the act and writes it back under the version it read; when another decision landed in
/// between, the attempt is rolled back and made again on the new state, where an 或签 step
/// already decided answers 409.
pub async fn act(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    act: Act,
    comment: Option<&str>,
) -> Result<ApprovalResponse, Error> {
    if let Act::Delegate(to) = act {
        check_delegate(db, caller, to).await?;
    }
    for _ in 0..ATTEMPTS {
        match attempt(db, caller, id, act, comment).await {
            Err(Error::StaleVersion { .. }) => continue,
            other => return other,
        }
    }
    Err(Error::Conflict {
        code: "approval_busy",
        field: None,
    })
}

async fn attempt(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    act: Act,
    comment: Option<&str>,
) -> Result<ApprovalResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let request = find(&txn, caller, id).await?;
    let mut flow = stored::load(&txn, &request).await?;
    let events = flow.act(caller.user_id, act, comment, now())?;
    let changes = approval_request::ActiveModel {
        status: Set(flow.status.as_str().to_owned()),
        current_step: Set(flow.current_step.map(i16::from)),
        finished_at: Set(flow.finished_at),
        ..Default::default()
    };
    crate::versioned::update::<approval_request::Entity>(
        &txn,
        changes,
        id,
        request.version,
        storage,
    )
    .await?;
    stored::write_steps(&txn, caller.tenant_id, id, &flow).await?;
    stored::record_events(&txn, &request, &flow, &events).await?;
    if flow.status != ApprovalStatus::Pending {
        document_ended(&txn, caller, &request, flow.status).await?;
    }
    let request = find(&txn, caller, id).await?;
    let response = stored::full(&txn, caller.user_id, request).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Tells the document its request ended.
async fn document_ended(
    db: &impl ConnectionTrait,
    caller: &Caller,
    request: &approval_request::Model,
    status: ApprovalStatus,
) -> Result<(), Error> {
    match DocumentKind::parse(&request.document_kind) {
        Some(DocumentKind::Quote) => {
            crate::quotes::approval_ended(db, caller, request.document_id, request.id, status).await
        }
        Some(DocumentKind::SalesOrder) => {
            crate::sales_orders::approval_ended(db, caller, request.document_id, request.id, status)
                .await
        }
        Some(DocumentKind::Contract) => {
            crate::contracts::approval_ended(db, caller, request.document_id, request.id, status)
                .await
        }
        None => Err(Error::Storage(
            format!(
                "approval request {} has an unknown document kind",
                request.id
            )
            .into(),
        )),
    }
}

/// A delegate is an active user of the caller's tenant.
async fn check_delegate(db: &impl ConnectionTrait, caller: &Caller, to: Uuid) -> Result<(), Error> {
    let found = user::Entity::find_by_id(to)
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await
        .map_err(storage)?;
    if found == 0 {
        return Err(FieldErrors::single("user_id", Violation::NotFound).into());
    }
    Ok(())
}
