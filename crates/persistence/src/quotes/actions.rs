//! A quote's actions: submit for approval, hear the approval's end, send, accept, decline,
//! revise into a new version, copy, and expire. Each is one transaction with its audit entry
//! and a webhook-ready event (`quote.approved`, `quote.sent`, …).

use std::collections::HashSet;

use chrono::NaiveDate;
use crm_api_types::approvals::{ApprovalStatus, DocumentKind};
use crm_api_types::products::PriceEvent;
use crm_api_types::quotes::{QuoteResponse, QuoteStatus};
use crm_domain::approval::policy::Facts;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::event::EventType;
use crm_domain::quote::status::{Action, ApprovalEnd, next};
use crm_domain::quote::{DEFAULT_VALIDITY_DAYS, NOTE_MAX, QuoteFields, QuoteLine};
use crm_domain::{Caller, Error, FieldErrors, check_version, now, today_in_china};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{Lineage, fields_of, find, insert, lines, view};
use crate::audit::{Actor, record};
use crate::entities::{customer, quote};
use crate::error::storage;
use crate::money::{from_units, money_from_units};
use crate::price_history::NewPrice;

/// Moves `model` to `status` with `changes`, auditing the status change and queueing the
/// status's event.
async fn transition(
    db: &impl ConnectionTrait,
    actor: &Actor,
    model: &quote::Model,
    status: QuoteStatus,
    mut changes: quote::ActiveModel,
    note: Option<&str>,
) -> Result<(), Error> {
    let before = view::status_of(model)?;
    changes.status = Set(status.as_str().to_owned());
    crate::versioned::update::<quote::Entity>(db, changes, model.id, model.version, storage)
        .await?;
    let mut after = json!({"status": status.as_str()});
    if let Some(note) = note {
        after["note"] = json!(note);
    }
    record(
        db,
        actor,
        AuditAction::StatusChanged,
        "quote",
        model.id,
        diff(&json!({"status": before.as_str()}), &after),
    )
    .await?;
    announce(db, model, status).await
}

/// The event a quote reaching `status` tells of. Back to draft (a rejected or approved quote
/// edited) is work in progress, not news for integrators.
fn event_of(status: QuoteStatus) -> Option<EventType> {
    match status {
        QuoteStatus::Draft => None,
        QuoteStatus::PendingApproval => Some(EventType::QuoteSubmitted),
        QuoteStatus::Approved => Some(EventType::QuoteApproved),
        QuoteStatus::Rejected => Some(EventType::QuoteRejected),
        QuoteStatus::Sent => Some(EventType::QuoteSent),
        QuoteStatus::Accepted => Some(EventType::QuoteAccepted),
        QuoteStatus::Declined => Some(EventType::QuoteDeclined),
        QuoteStatus::Expired => Some(EventType::QuoteExpired),
    }
}

/// Queues the event of the quote reaching `status` for the integrations, if it has one.
pub(super) async fn announce(
    db: &impl ConnectionTrait,
    model: &quote::Model,
    status: QuoteStatus,
) -> Result<(), Error> {
    let Some(event) = event_of(status) else {
        return Ok(());
    };
    let payload = json!({
        "quote_id": model.id,
        "number": model.number,
        "revision": model.revision,
        "customer_id": model.customer_id,
        "opportunity_id": model.opportunity_id,
        "status": status.as_str(),
        "owner_id": model.owner_id,
        "total": money_from_units(model.total).to_string(),
        "currency": model.currency,
        "valid_until": model.valid_until,
    });
    crate::outbox::emit(db, model.tenant_id, event, model.id, &payload).await
}

fn parse_note(note: Option<&str>) -> Result<Option<String>, Error> {
    let mut errors = FieldErrors::new();
    let note = errors.optional_text("note", note, NOTE_MAX);
    Ok(errors.finish(note)?)
}

/// Reads the quote for an action, checks `If-Match`, and returns it with its new status.
async fn prepare(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    action: Action,
) -> Result<(quote::Model, QuoteStatus), Error> {
    let model = find(db, caller, id).await?;
    check_version(model.version, if_match)?;
    let status = next(view::status_of(&model)?, model.superseded, action)?;
    Ok((model, status))
}

async fn respond(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<QuoteResponse, Error> {
    let model = find(db, caller, id).await?;
    let lines = lines::stored(db, &model).await?;
    view::full(db, model, &lines).await
}

/// Submits a draft or rejected quote. The tenant's policies decide whether it needs approval
/// and whose; without a policy that applies it is approved at once.
pub async fn submit(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    note: Option<&str>,
) -> Result<QuoteResponse, Error> {
    let note = parse_note(note)?;
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    // Checked before a request is started, so a refused submit leaves nothing behind.
    next(
        view::status_of(&model)?,
        model.superseded,
        Action::Submit {
            approval_needed: true,
        },
    )?;
    if lines::stored(&txn, &model).await?.is_empty() {
        return Err(FieldErrors::single("lines", crm_domain::Violation::Required).into());
    }
    let customer = customer::Entity::find_by_id(model.customer_id)
        .filter(customer::Column::TenantId.eq(caller.tenant_id))
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let number = display_number(&model);
    let submission = crate::approvals::Submission {
        kind: DocumentKind::Quote,
        document_id: model.id,
        number,
        title: customer.name.clone(),
        amount: money_from_units(model.total),
        facts: Facts {
            total: money_from_units(model.total),
            currency: model.currency.clone(),
            max_discount_percent: from_units(model.max_discount_percent),
            customer_tier: customer.tier.clone(),
        },
        comment: note.clone(),
    };
    let approval = crate::approvals::submit(&txn, caller, submission).await?;
    let status = next(
        view::status_of(&model)?,
        model.superseded,
        Action::Submit {
            approval_needed: approval.is_some(),
        },
    )?;
    let changes = quote::ActiveModel {
        approval_id: Set(approval),
        ..Default::default()
    };
    transition(
        &txn,
        &Actor::from(caller),
        &model,
        status,
        changes,
        note.as_deref(),
    )
    .await?;
    let response = respond(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// `QT-2026-000123`, with ` v2` from the second version on.
fn display_number(model: &quote::Model) -> String {
    if model.revision > 1 {
        format!("{} v{}", model.number, model.revision)
    } else {
        model.number.clone()
    }
}

/// The approval engine tells the quote how its request ended. The approver acted within the
/// request, so the quote is read without the approver's data scope.
pub(crate) async fn approval_ended(
    db: &impl ConnectionTrait,
    caller: &Caller,
    quote_id: Uuid,
    request_id: Uuid,
    status: ApprovalStatus,
) -> Result<(), Error> {
    let model = quote::Entity::find_by_id(quote_id)
        .filter(quote::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    if model.approval_id != Some(request_id) {
        return Err(Error::Conflict {
            code: "approval_outdated",
            field: None,
        });
    }
    let end = match status {
        ApprovalStatus::Approved => ApprovalEnd::Approved,
        ApprovalStatus::Rejected => ApprovalEnd::Rejected,
        ApprovalStatus::Returned | ApprovalStatus::Withdrawn => ApprovalEnd::BackToDraft,
        ApprovalStatus::Pending => return Ok(()),
    };
    let next_status = next(
        view::status_of(&model)?,
        model.superseded,
        Action::ApprovalEnded(end),
    )?;
    transition(
        db,
        &Actor::from(caller),
        &model,
        next_status,
        quote::ActiveModel::default(),
        None,
    )
    .await
}

/// Sends an approved quote to the customer; its product prices join the customer's price
/// history. A quote past its validity is not sent (edit the date, which needs approval again).
pub async fn send(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    note: Option<&str>,
) -> Result<QuoteResponse, Error> {
    let note = parse_note(note)?;
    let txn = db.begin().await.map_err(storage)?;
    let (model, status) = prepare(&txn, caller, id, if_match, Action::Send).await?;
    if model.valid_until < today_in_china() {
        return Err(Error::Conflict {
            code: "quote_expired",
            field: Some("valid_until"),
        });
    }
    let settled = lines::stored(&txn, &model).await?;
    crate::price_history::record(&txn, caller, &quoted_prices(&model, &settled)).await?;
    let changes = quote::ActiveModel {
        sent_at: Set(Some(now())),
        ..Default::default()
    };
    transition(
        &txn,
        &Actor::from(caller),
        &model,
        status,
        changes,
        note.as_deref(),
    )
    .await?;
    let response = respond(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

fn quoted_prices(model: &quote::Model, settled: &[QuoteLine]) -> Vec<NewPrice> {
    settled
        .iter()
        .filter_map(|l| {
            Some(NewPrice {
                customer_id: model.customer_id,
                product_id: l.product_id?,
                quantity: l.quantity,
                unit_price: l.unit_price,
                discount_percent: l.discount_percent,
                currency: model.currency.clone(),
                event: PriceEvent::Quoted,
                source_id: model.id,
                source_name: display_number(model),
            })
        })
        .collect()
}

/// An action that moves the quote and sets `changes`, in one transaction with its audit entry
/// and event.
async fn simple_action(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    action: Action,
    changes: quote::ActiveModel,
    note: Option<&str>,
) -> Result<QuoteResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let (model, status) = prepare(&txn, caller, id, if_match, action).await?;
    transition(&txn, &Actor::from(caller), &model, status, changes, note).await?;
    let response = respond(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// The customer accepted an approved or sent quote.
pub async fn accept(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    note: Option<&str>,
) -> Result<QuoteResponse, Error> {
    let note = parse_note(note)?;
    let changes = quote::ActiveModel {
        accepted_at: Set(Some(now())),
        ..Default::default()
    };
    simple_action(
        db,
        caller,
        id,
        if_match,
        Action::Accept,
        changes,
        note.as_deref(),
    )
    .await
}

/// The customer declined; the reason is required.
pub async fn decline(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    reason: &str,
) -> Result<QuoteResponse, Error> {
    let mut errors = FieldErrors::new();
    let reason = errors.required_text("reason", reason, NOTE_MAX);
    errors.finish(())?;
    let changes = quote::ActiveModel {
        declined_at: Set(Some(now())),
        decline_reason: Set(Some(reason.clone())),
        ..Default::default()
    };
    simple_action(
        db,
        caller,
        id,
        if_match,
        Action::Decline,
        changes,
        Some(&reason),
    )
    .await
}

/// Starts the next version of an approved, sent, declined or expired quote: a draft with the
/// same number and lines. This version is frozen (`superseded`).
pub async fn revise(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    note: Option<&str>,
) -> Result<QuoteResponse, Error> {
    let note = parse_note(note)?;
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    next(view::status_of(&model)?, model.superseded, Action::Revise)?;
    let settled = lines::stored(&txn, &model).await?;
    let mut fields = fields_of(&model);
    fields.valid_until = fields.valid_until.max(default_validity());
    let revision = insert(
        &txn,
        caller,
        &fields,
        &settled,
        Lineage::Revision {
            of: model.id,
            number: model.number.clone(),
            revision: model.revision + 1,
        },
    )
    .await?;
    let frozen = quote::ActiveModel {
        superseded: Set(true),
        ..Default::default()
    };
    crate::versioned::update::<quote::Entity>(&txn, frozen, model.id, model.version, storage)
        .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "quote",
        model.id,
        diff(
            &json!({"superseded": false}),
            &json!({"superseded": true, "revised_into": revision.id, "note": note}),
        ),
    )
    .await?;
    let response = view::full(&txn, revision, &settled).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Copies any quote the caller sees into a new draft with a new number, owned by the caller.
/// Its approval is not copied.
pub async fn copy(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<QuoteResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    let source_lines = lines::stored(&txn, &model).await?;
    // A product deactivated since cannot start a new quote; the rest of the lines can.
    let inactive: HashSet<uuid::Uuid> = inactive_products(&txn, caller, &source_lines).await?;
    let settled: Vec<QuoteLine> = source_lines
        .into_iter()
        .filter(|l| l.product_id.is_none_or(|p| !inactive.contains(&p)))
        .collect();
    let fields = QuoteFields {
        owner_id: caller.user_id,
        valid_until: default_validity(),
        ..fields_of(&model)
    };
    // The customer must still be one the caller may quote.
    crate::customers::find_referenced(&txn, caller, fields.customer_id, "customer_id").await?;
    let copy = insert(
        &txn,
        caller,
        &fields,
        &settled,
        Lineage::Copy { of: model.id },
    )
    .await?;
    let response = view::full(&txn, copy, &settled).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

fn default_validity() -> NaiveDate {
    today_in_china() + chrono::Duration::days(DEFAULT_VALIDITY_DAYS)
}

async fn inactive_products(
    db: &impl ConnectionTrait,
    caller: &Caller,
    lines: &[QuoteLine],
) -> Result<HashSet<Uuid>, Error> {
    use crate::entities::product;
    use sea_orm::Condition;
    let ids: Vec<Uuid> = lines.iter().filter_map(|l| l.product_id).collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(product::Entity::find()
        .filter(product::Column::TenantId.eq(caller.tenant_id))
        .filter(product::Column::Id.is_in(ids))
        .filter(
            Condition::any()
                .add(product::Column::Active.eq(false))
                .add(product::Column::DeletedAt.is_not_null()),
        )
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

/// The daily job: approved or sent quotes whose validity ended before `today` expire. Safe
/// on several nodes at once: each quote moves under its version. Returns how many expired.
pub async fn expire(db: &crate::Database, today: NaiveDate) -> Result<u64, Error> {
    let due = quote::Entity::find()
        .filter(quote::Column::DeletedAt.is_null())
        .filter(quote::Column::Superseded.eq(false))
        .filter(
            quote::Column::Status
                .is_in([QuoteStatus::Approved.as_str(), QuoteStatus::Sent.as_str()]),
        )
        .filter(quote::Column::ValidUntil.lt(today))
        .all(db)
        .await
        .map_err(storage)?;
    let mut expired = 0;
    for model in due {
        let txn = db.begin().await.map_err(storage)?;
        let actor = Actor {
            tenant_id: model.tenant_id,
            user_id: None,
            request_id: None,
        };
        match transition(
            &txn,
            &actor,
            &model,
            QuoteStatus::Expired,
            quote::ActiveModel::default(),
            None,
        )
        .await
        {
            Ok(()) => {
                txn.commit().await.map_err(storage)?;
                expired += 1;
            }
            // Changed since it was read (e.g. accepted a moment ago): leave it.
            Err(Error::StaleVersion { .. }) => txn.rollback().await.map_err(storage)?,
            Err(e) => return Err(e),
        }
    }
    Ok(expired)
}
