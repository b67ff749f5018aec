//! Stored quotes turned into what the API answers, with the names of what they point at
//! fetched in one query per kind, never per row.

use crm_api_types::quotes::{QuoteResponse, QuoteStatus, QuoteSummary};
use crm_domain::Error;
use crm_domain::quote::QuoteLine;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::entities::{contact, opportunity, quote};
use crate::error::storage;
use crate::money::{from_units, money_from_units};

pub(crate) fn status_of(m: &quote::Model) -> Result<QuoteStatus, Error> {
    QuoteStatus::parse(&m.status)
        .ok_or_else(|| Error::Storage(format!("quote {} has an unknown status", m.id).into()))
}

/// Summaries of `models`, in their order.
pub(crate) async fn summaries(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    models: Vec<quote::Model>,
) -> Result<Vec<QuoteSummary>, Error> {
    let customers = crate::customers::names(
        db,
        tenant_id,
        models.iter().map(|m| m.customer_id).collect(),
    )
    .await?;
    let owners: Vec<Uuid> = models.iter().map(|m| m.owner_id).collect();
    let owners = crate::users::names(db, tenant_id, &owners).await?;
    let opportunity_ids: Vec<Uuid> = models.iter().filter_map(|m| m.opportunity_id).collect();
    let opportunities: std::collections::HashMap<Uuid, String> = if opportunity_ids.is_empty() {
        Default::default()
    } else {
        opportunity::Entity::find()
            .select_only()
            .column(opportunity::Column::Id)
            .column(opportunity::Column::Name)
            .filter(opportunity::Column::TenantId.eq(tenant_id))
            .filter(opportunity::Column::Id.is_in(opportunity_ids))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .collect()
    };
    models
        .into_iter()
        .map(|m| {
            Ok(QuoteSummary {
                status: status_of(&m)?,
                customer_name: customers.get(&m.customer_id).cloned().unwrap_or_default(),
                owner_name: owners.get(&m.owner_id).cloned().unwrap_or_default(),
                opportunity_name: m
                    .opportunity_id
                    .and_then(|id| opportunities.get(&id).cloned()),
                revision: u32::try_from(m.revision).unwrap_or_default(),
                total: money_from_units(m.total),
                id: m.id,
                number: m.number,
                title: m.title,
                customer_id: m.customer_id,
                opportunity_id: m.opportunity_id,
                superseded: m.superseded,
                currency: m.currency,
                valid_until: m.valid_until,
                owner_id: m.owner_id,
                approval_id: m.approval_id,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
        })
        .collect()
}

/// The whole quote with its lines (already read by the caller) and totals.
pub(crate) async fn full(
    db: &impl ConnectionTrait,
    model: quote::Model,
    lines: &[QuoteLine],
) -> Result<QuoteResponse, Error> {
    let tenant_id = model.tenant_id;
    let header_discount = from_units(model.header_discount_percent);
    let contact_name = match model.contact_id {
        Some(id) => contact::Entity::find_by_id(id)
            .filter(contact::Column::TenantId.eq(tenant_id))
            .one(db)
            .await
            .map_err(storage)?
            .map(|c| c.name),
        None => None,
    };
    let summary = summaries(db, tenant_id, vec![model.clone()])
        .await?
        .remove(0);
    let line_responses = super::lines::responses(
        db,
        tenant_id,
        model.customer_id,
        &summary.customer_name,
        lines,
        header_discount,
    )
    .await?;
    let totals = super::lines::totals_of(lines, header_discount);
    Ok(QuoteResponse {
        summary,
        contact_id: model.contact_id,
        contact_name,
        payment_terms: model.payment_terms,
        delivery_terms: model.delivery_terms,
        notes: model.notes,
        internal_note: model.internal_note,
        lines: line_responses,
        totals: super::lines::totals_response(&totals),
        revised_from: model.revised_from,
        copied_from: model.copied_from,
        sent_at: model.sent_at,
        accepted_at: model.accepted_at,
        declined_at: model.declined_at,
        decline_reason: model.decline_reason,
        created_by: model.created_by,
    })
}
