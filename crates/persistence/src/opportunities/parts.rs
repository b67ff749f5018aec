//! An opportunity's parts kept in their own tables (lines, decision chain, team) and the
//! checks on what the fields point at.

use crm_api_types::customers::DecisionRole;
use crm_api_types::leads::LeadSource;
use crm_api_types::opportunities::{Competitor, OpportunityKind, Partner};
use crm_api_types::products::{PriceSource, VatRate};
use crm_domain::money::AMOUNT_MAX;
use crm_domain::opportunity::{ContactRole, LineInput, Member, OpportunityFields, line_amount};
use crm_domain::pricing::Buyer;
use crm_domain::{Caller, Error, FieldErrors, Violation, new_id, today_in_china};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entities::{
    customer, opportunity, opportunity_contact, opportunity_line, opportunity_member, user,
};
use crate::error::storage;
use crate::money::{from_units, money_from_units, to_units};

/// A product line with its price settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PricedLine {
    pub product_id: Uuid,
    pub quantity: Decimal,
    pub list_price: Decimal,
    pub unit_price: Decimal,
    /// `None` when the price was entered by hand.
    pub source: Option<PriceSource>,
    pub discount_percent: Decimal,
    pub vat_rate: VatRate,
    pub amount: Decimal,
}

/// Checks the customer, the decision chain and the team against the tenant (only what
/// changed since `current`), and returns the customer.
pub(crate) async fn check_references(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &OpportunityFields,
    current: Option<&OpportunityFields>,
) -> Result<customer::Model, Error> {
    let customer_changed = current.is_none_or(|c| c.customer_id != fields.customer_id);
    let customer = if customer_changed {
        crate::customers::find_referenced(db, caller, fields.customer_id, "customer_id").await?
    } else {
        // A team member works on the opportunity even when the customer is outside their
        // own scope.
        customer::Entity::find_by_id(fields.customer_id)
            .filter(customer::Column::TenantId.eq(caller.tenant_id))
            .one(db)
            .await
            .map_err(storage)?
            .ok_or(Error::NotFound)?
    };
    if customer_changed || current.is_none_or(|c| c.contacts != fields.contacts) {
        let ids: Vec<Uuid> = fields.contacts.iter().map(|c| c.contact_id).collect();
        if !crate::contacts::all_belong_to(db, customer.id, &ids).await? {
            return Err(FieldErrors::single("contacts", Violation::NotFound).into());
        }
    }
    if current.is_none_or(|c| c.team != fields.team) && !fields.team.is_empty() {
        let ids: Vec<Uuid> = fields.team.iter().map(|m| m.user_id).collect();
        let found = user::Entity::find()
            .filter(user::Column::TenantId.eq(caller.tenant_id))
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::Id.is_in(ids.clone()))
            .count(db)
            .await
            .map_err(storage)?;
        if found != ids.len() as u64 {
            return Err(FieldErrors::single("team", Violation::NotFound).into());
        }
    }
    Ok(customer)
}

/// Prices the lines for the customer: a price given on a line stands, the others come
/// from the customer's price lists or the list price (in one round of queries).
pub(crate) async fn price(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer: &customer::Model,
    currency: &str,
    lines: &[LineInput],
) -> Result<Vec<PricedLine>, Error> {
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let buyer = Buyer {
        customer_id: Some(customer.id),
        tier: customer.tier.clone(),
    };
    let asked: Vec<(Uuid, Decimal)> = lines.iter().map(|l| (l.product_id, l.quantity)).collect();
    let resolved = crate::pricing::resolve(
        db,
        caller.tenant_id,
        &buyer,
        currency,
        today_in_china(),
        &asked,
        true,
    )
    .await?;
    let mut errors = FieldErrors::new();
    let priced = lines
        .iter()
        .zip(resolved)
        .enumerate()
        .map(|(i, (line, found))| {
            let (unit_price, source) = match (line.unit_price, &found.resolved) {
                (Some(price), _) => (price, None),
                (None, Some(r)) => (r.unit_price, Some(r.source)),
                (None, None) => {
                    errors.add(&format!("lines[{i}].unit_price"), Violation::Required);
                    (Decimal::ZERO, None)
                }
            };
            let amount = line_amount(line.quantity, unit_price, line.discount_percent);
            if amount > Decimal::from(AMOUNT_MAX) {
                errors.add(&format!("lines[{i}].quantity"), too_much());
            }
            PricedLine {
                product_id: line.product_id,
                quantity: line.quantity,
                list_price: money_from_units(found.product.list_price),
                unit_price,
                source,
                discount_percent: line.discount_percent,
                vat_rate: VatRate::parse(&found.product.vat_rate).unwrap_or(VatRate::Goods13),
                amount,
            }
        })
        .collect::<Vec<_>>();
    if priced.iter().map(|l| l.amount).sum::<Decimal>() > Decimal::from(AMOUNT_MAX) {
        errors.add("lines", too_much());
    }
    Ok(errors.finish(priced)?)
}

/// An amount past `AMOUNT_MAX`.
fn too_much() -> Violation {
    Violation::OutOfRange {
        min: 0,
        max: AMOUNT_MAX,
    }
}

/// The columns the fields and lines decide.
pub(crate) fn active_fields(
    fields: &OpportunityFields,
    lines: &[PricedLine],
) -> opportunity::ActiveModel {
    let amount = if lines.is_empty() {
        fields.entered_amount
    } else {
        lines.iter().map(|l| l.amount).sum()
    };
    opportunity::ActiveModel {
        name: Set(fields.name.clone()),
        customer_id: Set(fields.customer_id),
        amount: Set(to_units(amount)),
        entered_amount: Set(to_units(fields.entered_amount)),
        amount_from_lines: Set(!lines.is_empty()),
        currency: Set(fields.currency.clone()),
        expected_close_date: Set(fields.expected_close_date),
        kind: Set(fields.kind.as_str().to_owned()),
        source: Set(fields.source.map(|s| s.as_str().to_owned())),
        owner_id: Set(fields.owner_id),
        next_step: Set(fields.next_step.clone()),
        description: Set(fields.description.clone()),
        competitors: Set(json!(fields.competitors).to_string()),
        partners: Set(json!(fields.partners).to_string()),
        ..Default::default()
    }
}

pub(crate) async fn write_lines(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    opportunity_id: Uuid,
    lines: &[PricedLine],
) -> Result<(), Error> {
    opportunity_line::Entity::delete_many()
        .filter(opportunity_line::Column::TenantId.eq(tenant_id))
        .filter(opportunity_line::Column::OpportunityId.eq(opportunity_id))
        .exec(db)
        .await
        .map_err(storage)?;
    if lines.is_empty() {
        return Ok(());
    }
    let rows = lines
        .iter()
        .enumerate()
        .map(|(position, l)| opportunity_line::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id),
            opportunity_id: Set(opportunity_id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            product_id: Set(l.product_id),
            quantity: Set(to_units(l.quantity)),
            list_price: Set(to_units(l.list_price)),
            unit_price: Set(to_units(l.unit_price)),
            price_source: Set(l.source.map(|s| s.as_str().to_owned())),
            discount_percent: Set(to_units(l.discount_percent)),
            vat_rate: Set(l.vat_rate.as_str().to_owned()),
            amount: Set(to_units(l.amount)),
        });
    opportunity_line::Entity::insert_many(rows)
        .exec(db)
        .await
        .map(drop)
        .map_err(storage)
}

pub(crate) async fn write_contacts(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    opportunity_id: Uuid,
    contacts: &[ContactRole],
) -> Result<(), Error> {
    opportunity_contact::Entity::delete_many()
        .filter(opportunity_contact::Column::TenantId.eq(tenant_id))
        .filter(opportunity_contact::Column::OpportunityId.eq(opportunity_id))
        .exec(db)
        .await
        .map_err(storage)?;
    for (position, c) in contacts.iter().enumerate() {
        opportunity_contact::ActiveModel {
            opportunity_id: Set(opportunity_id),
            contact_id: Set(c.contact_id),
            tenant_id: Set(tenant_id),
            role: Set(c.role.as_str().to_owned()),
            note: Set(c.note.clone()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        }
        .insert(db)
        .await
        .map_err(storage)?;
    }
    Ok(())
}

pub(crate) async fn write_team(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    opportunity_id: Uuid,
    team: &[Member],
) -> Result<(), Error> {
    opportunity_member::Entity::delete_many()
        .filter(opportunity_member::Column::TenantId.eq(tenant_id))
        .filter(opportunity_member::Column::OpportunityId.eq(opportunity_id))
        .exec(db)
        .await
        .map_err(storage)?;
    for (position, m) in team.iter().enumerate() {
        opportunity_member::ActiveModel {
            opportunity_id: Set(opportunity_id),
            user_id: Set(m.user_id),
            tenant_id: Set(tenant_id),
            role: Set(m.role.clone()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        }
        .insert(db)
        .await
        .map_err(storage)?;
    }
    Ok(())
}

fn corrupt(id: Uuid, what: &str) -> Error {
    Error::Storage(format!("opportunity {id} has an unknown {what}").into())
}

/// The stored opportunity as the fields a user edits.
pub(crate) async fn fields_of(
    db: &impl ConnectionTrait,
    model: &opportunity::Model,
) -> Result<OpportunityFields, Error> {
    let contacts = opportunity_contact::Entity::find()
        .filter(opportunity_contact::Column::TenantId.eq(model.tenant_id))
        .filter(opportunity_contact::Column::OpportunityId.eq(model.id))
        .order_by_asc(opportunity_contact::Column::Position)
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|c| {
            Ok(ContactRole {
                contact_id: c.contact_id,
                role: DecisionRole::parse(&c.role)
                    .ok_or_else(|| corrupt(model.id, "decision role"))?,
                note: c.note,
            })
        })
        .collect::<Result<_, Error>>()?;
    let team = opportunity_member::Entity::find()
        .filter(opportunity_member::Column::TenantId.eq(model.tenant_id))
        .filter(opportunity_member::Column::OpportunityId.eq(model.id))
        .order_by_asc(opportunity_member::Column::Position)
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|m| Member {
            user_id: m.user_id,
            role: m.role,
        })
        .collect();
    let competitors: Vec<Competitor> = serde_json::from_str(&model.competitors)
        .map_err(|_| corrupt(model.id, "competitor list"))?;
    let partners: Vec<Partner> =
        serde_json::from_str(&model.partners).map_err(|_| corrupt(model.id, "partner list"))?;
    Ok(OpportunityFields {
        name: model.name.clone(),
        customer_id: model.customer_id,
        entered_amount: from_units(model.entered_amount),
        currency: model.currency.clone(),
        expected_close_date: model.expected_close_date,
        kind: OpportunityKind::parse(&model.kind).ok_or_else(|| corrupt(model.id, "kind"))?,
        source: model.source.as_deref().and_then(LeadSource::parse),
        owner_id: model.owner_id,
        next_step: model.next_step.clone(),
        description: model.description.clone(),
        contacts,
        team,
        competitors,
        partners,
    })
}

pub(crate) async fn stored_lines(
    db: &impl ConnectionTrait,
    model: &opportunity::Model,
) -> Result<Vec<PricedLine>, Error> {
    opportunity_line::Entity::find()
        .filter(opportunity_line::Column::TenantId.eq(model.tenant_id))
        .filter(opportunity_line::Column::OpportunityId.eq(model.id))
        .order_by_asc(opportunity_line::Column::Position)
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|l| {
            Ok(PricedLine {
                product_id: l.product_id,
                quantity: from_units(l.quantity),
                list_price: money_from_units(l.list_price),
                unit_price: money_from_units(l.unit_price),
                source: l.price_source.as_deref().and_then(PriceSource::parse),
                discount_percent: from_units(l.discount_percent),
                vat_rate: VatRate::parse(&l.vat_rate)
                    .ok_or_else(|| corrupt(model.id, "VAT rate"))?,
                amount: money_from_units(l.amount),
            })
        })
        .collect()
}

/// The fields and lines as the audit log compares them.
pub(crate) fn audit_view(fields: &OpportunityFields, lines: &[PricedLine]) -> Value {
    let mut view = fields.audit_view();
    view["lines"] = json!(
        lines
            .iter()
            .map(|l| json!({
                "product_id": l.product_id,
                "quantity": l.quantity.to_string(),
                "unit_price": l.unit_price.to_string(),
                "discount_percent": l.discount_percent.to_string(),
                "amount": l.amount.to_string(),
            }))
            .collect::<Vec<_>>()
    );
    view
}
