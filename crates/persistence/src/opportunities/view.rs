//! Stored rows turned into what the API answers, with the names of what they point at
//! fetched in one query per kind, never per row.

use std::collections::HashMap;

use crm_api_types::customers::DecisionRole;
use crm_api_types::leads::LeadSource;
use crm_api_types::opportunities::{
    DecisionContact, OpportunityKind, OpportunityLineResponse, OpportunityResponse,
    OpportunitySummary, TeamMember,
};
use crm_api_types::pipelines::StageKind;
use crm_api_types::products::{PriceSource, VatRate};
use crm_domain::Error;
use crm_domain::money::weighted;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{
    contact, opportunity, opportunity_contact, opportunity_line, opportunity_member,
    pipeline_stage, product,
};
use crate::error::storage;
use crate::money::{from_units, money_from_units};

fn corrupt(id: Uuid, what: &str) -> Error {
    Error::Storage(format!("opportunity {id} has an unknown {what}").into())
}

/// Summaries of `models`, in their order.
pub(crate) async fn summaries(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    models: Vec<opportunity::Model>,
) -> Result<Vec<OpportunitySummary>, Error> {
    let customers = crate::customers::names(
        db,
        tenant_id,
        models.iter().map(|m| m.customer_id).collect(),
    )
    .await?;
    let owners: Vec<Uuid> = models.iter().map(|m| m.owner_id).collect();
    let owners = crate::users::names(db, tenant_id, &owners).await?;
    let stage_ids: Vec<Uuid> = models.iter().map(|m| m.stage_id).collect();
    let stages: HashMap<Uuid, (String, String)> = pipeline_stage::Entity::find()
        .select_only()
        .column(pipeline_stage::Column::Id)
        .column(pipeline_stage::Column::Name)
        .column(pipeline_stage::Column::Kind)
        .filter(pipeline_stage::Column::TenantId.eq(tenant_id))
        .filter(pipeline_stage::Column::Id.is_in(stage_ids))
        .into_tuple::<(Uuid, String, String)>()
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|(id, name, kind)| (id, (name, kind)))
        .collect();
    models
        .into_iter()
        .map(|m| {
            let (stage_name, stage_kind) = stages
                .get(&m.stage_id)
                .cloned()
                .ok_or_else(|| corrupt(m.id, "stage"))?;
            let amount = money_from_units(m.amount);
            let probability =
                u8::try_from(m.probability).map_err(|_| corrupt(m.id, "probability"))?;
            Ok(OpportunitySummary {
                customer_name: customers.get(&m.customer_id).cloned().unwrap_or_default(),
                owner_name: owners.get(&m.owner_id).cloned().unwrap_or_default(),
                stage_kind: StageKind::parse(&stage_kind)
                    .ok_or_else(|| corrupt(m.id, "stage kind"))?,
                kind: OpportunityKind::parse(&m.kind).ok_or_else(|| corrupt(m.id, "kind"))?,
                stage_name,
                weighted_amount: weighted(amount, probability),
                amount,
                probability,
                id: m.id,
                name: m.name,
                customer_id: m.customer_id,
                pipeline_id: m.pipeline_id,
                stage_id: m.stage_id,
                currency: m.currency,
                expected_close_date: m.expected_close_date,
                owner_id: m.owner_id,
                next_step: m.next_step,
                stage_entered_at: m.stage_entered_at,
                version: m.version,
                updated_at: m.updated_at,
            })
        })
        .collect()
}

/// The whole opportunity: summary, lines, decision chain, team, competitors, partners.
pub(crate) async fn full(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    model: opportunity::Model,
) -> Result<OpportunityResponse, Error> {
    let id = model.id;
    let lines = lines(db, tenant_id, id).await?;
    let contacts = contacts(db, tenant_id, id).await?;
    let team = team(db, tenant_id, id).await?;
    let competitors =
        serde_json::from_str(&model.competitors).map_err(|_| corrupt(id, "competitor list"))?;
    let partners =
        serde_json::from_str(&model.partners).map_err(|_| corrupt(id, "partner list"))?;
    let source = match model.source.as_deref() {
        Some(key) => Some(LeadSource::parse(key).ok_or_else(|| corrupt(id, "source"))?),
        None => None,
    };
    let summary = summaries(db, tenant_id, vec![model.clone()])
        .await?
        .remove(0);
    Ok(OpportunityResponse {
        summary,
        amount_from_lines: model.amount_from_lines,
        source,
        lead_id: model.lead_id,
        lost_reason: model.lost_reason,
        lost_note: model.lost_note,
        winning_competitor: model.winning_competitor,
        won_on: model.won_on,
        closed_at: model.closed_at,
        description: model.description,
        lines,
        contacts,
        team,
        competitors,
        partners,
        created_at: model.created_at,
        created_by: model.created_by,
    })
}

async fn lines(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Vec<OpportunityLineResponse>, Error> {
    let lines = opportunity_line::Entity::find()
        .filter(opportunity_line::Column::TenantId.eq(tenant_id))
        .filter(opportunity_line::Column::OpportunityId.eq(id))
        .order_by_asc(opportunity_line::Column::Position)
        .all(db)
        .await
        .map_err(storage)?;
    let products: HashMap<Uuid, product::Model> = product::Entity::find()
        .filter(product::Column::TenantId.eq(tenant_id))
        .filter(product::Column::Id.is_in(lines.iter().map(|l| l.product_id)))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    lines
        .into_iter()
        .map(|line| {
            let product = products
                .get(&line.product_id)
                .ok_or_else(|| corrupt(id, "product"))?;
            Ok(OpportunityLineResponse {
                product_id: line.product_id,
                product_code: product.code.clone(),
                product_name: product.name.clone(),
                spec: product.spec.clone(),
                unit: product.unit.clone(),
                quantity: from_units(line.quantity),
                list_price: money_from_units(line.list_price),
                unit_price: money_from_units(line.unit_price),
                price_source: line.price_source.as_deref().and_then(PriceSource::parse),
                discount_percent: from_units(line.discount_percent),
                vat_rate: VatRate::parse(&line.vat_rate).ok_or_else(|| corrupt(id, "VAT rate"))?,
                amount: money_from_units(line.amount),
            })
        })
        .collect()
}

async fn contacts(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Vec<DecisionContact>, Error> {
    let roles = opportunity_contact::Entity::find()
        .filter(opportunity_contact::Column::TenantId.eq(tenant_id))
        .filter(opportunity_contact::Column::OpportunityId.eq(id))
        .order_by_asc(opportunity_contact::Column::Position)
        .all(db)
        .await
        .map_err(storage)?;
    let people: HashMap<Uuid, contact::Model> = contact::Entity::find()
        .filter(contact::Column::TenantId.eq(tenant_id))
        .filter(contact::Column::Id.is_in(roles.iter().map(|r| r.contact_id)))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    roles
        .into_iter()
        .map(|r| {
            let person = people.get(&r.contact_id);
            Ok(DecisionContact {
                contact_id: r.contact_id,
                name: person.map(|p| p.name.clone()),
                title: person.and_then(|p| p.title.clone()),
                role: DecisionRole::parse(&r.role).ok_or_else(|| corrupt(id, "decision role"))?,
                note: r.note,
            })
        })
        .collect()
}

async fn team(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Vec<TeamMember>, Error> {
    let members = opportunity_member::Entity::find()
        .filter(opportunity_member::Column::TenantId.eq(tenant_id))
        .filter(opportunity_member::Column::OpportunityId.eq(id))
        .order_by_asc(opportunity_member::Column::Position)
        .all(db)
        .await
        .map_err(storage)?;
    let ids: Vec<Uuid> = members.iter().map(|m| m.user_id).collect();
    let names = crate::users::names(db, tenant_id, &ids).await?;
    Ok(members
        .into_iter()
        .map(|m| TeamMember {
            name: names.get(&m.user_id).cloned(),
            user_id: m.user_id,
            role: m.role,
        })
        .collect())
}
