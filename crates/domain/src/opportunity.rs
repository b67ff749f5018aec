//! An opportunity's editable fields, its product lines' arithmetic and the stage rules.

use std::collections::HashSet;

use chrono::NaiveDate;
use crm_api_types::customers::DecisionRole;
use crm_api_types::leads::LeadSource;
use crm_api_types::opportunities::{
    Competitor, CreateOpportunityRequest, DecisionContact, MoveStageRequest, OpportunityKind,
    OpportunityLineRequest, Partner, TeamMember, UpdateOpportunityRequest,
};
use crm_api_types::pipelines::StageKind;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::Error;
use crate::money::{check_amount, check_percent, check_quantity, parse_currency, round_cents};
use crate::settings::Settings;
use crate::validation::{FieldErrors, Violation, patch_nullable};

const NAME_MAX: usize = 200;
const NEXT_STEP_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 5000;
pub const LINES_MAX: usize = 200;
const CONTACTS_MAX: usize = 50;
const TEAM_MAX: usize = 30;
const COMPETITORS_MAX: usize = 20;
const PARTNERS_MAX: usize = 20;
const NOTE_MAX: usize = 500;
const ROLE_MAX: usize = 30;
const COMPANY_MAX: usize = 100;
const REMARK_MAX: usize = 1000;
const LOST_NOTE_MAX: usize = 2000;

/// One person in the customer's decision chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRole {
    pub contact_id: Uuid,
    pub role: DecisionRole,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: Uuid,
    pub role: Option<String>,
}

/// A product line as asked: the price is still to be resolved when `unit_price` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInput {
    pub product_id: Uuid,
    pub quantity: Decimal,
    pub unit_price: Option<Decimal>,
    pub discount_percent: Decimal,
}

/// Everything about an opportunity a user edits. A value of this type is valid. The stage
/// is not here: it changes only through `plan_move`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpportunityFields {
    pub name: String,
    pub customer_id: Uuid,
    /// The amount entered by hand; the lines' total replaces it while there are lines.
    pub entered_amount: Decimal,
    pub currency: String,
    pub expected_close_date: NaiveDate,
    pub kind: OpportunityKind,
    pub source: Option<LeadSource>,
    pub owner_id: Uuid,
    pub next_step: Option<String>,
    pub description: Option<String>,
    pub contacts: Vec<ContactRole>,
    pub team: Vec<Member>,
    pub competitors: Vec<Competitor>,
    pub partners: Vec<Partner>,
}

impl OpportunityFields {
    /// Validates a create request; the owner defaults to `caller_id`. Returns the lines to
    /// price apart, since pricing needs the catalogue.
    pub fn parse_new(
        request: &CreateOpportunityRequest,
        caller_id: Uuid,
    ) -> Result<(Self, Vec<LineInput>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let fields = Self {
            name: e.required_text("name", &request.name, NAME_MAX),
            customer_id: request.customer_id,
            entered_amount: request
                .amount
                .map_or(Decimal::ZERO, |a| check_amount(e, "amount", a)),
            currency: parse_currency(e, "currency", request.currency.as_deref()),
            expected_close_date: request.expected_close_date,
            kind: request.kind.unwrap_or(OpportunityKind::Simple),
            source: request.source,
            owner_id: request.owner_id.unwrap_or(caller_id),
            next_step: e.optional_text("next_step", request.next_step.as_deref(), NEXT_STEP_MAX),
            description: e.optional_text(
                "description",
                request.description.as_deref(),
                DESCRIPTION_MAX,
            ),
            contacts: contacts(e, &request.contacts),
            team: team(e, &request.team),
            competitors: competitors(e, &request.competitors),
            partners: partners(e, &request.partners),
        };
        let lines = lines(e, &request.lines);
        if let Some(p) = request.probability {
            probability(e, p);
        }
        errors.finish((fields, lines))
    }

    /// Applies a PATCH. Returns the new lines when the patch replaces them.
    pub fn apply(
        &self,
        patch: &UpdateOpportunityRequest,
    ) -> Result<(Self, Option<Vec<LineInput>>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        if patch.stage_id.is_some() {
            e.add("stage_id", Violation::ReadOnly);
        }
        let mut next = self.clone();
        if let Some(v) = &patch.name {
            next.name = e.required_text("name", v, NAME_MAX);
        }
        if let Some(v) = patch.customer_id {
            next.customer_id = v;
        }
        if let Some(v) = patch.amount {
            next.entered_amount = check_amount(e, "amount", v);
        }
        if let Some(v) = &patch.currency {
            next.currency = parse_currency(e, "currency", Some(v));
        }
        if let Some(v) = patch.expected_close_date {
            next.expected_close_date = v;
        }
        if let Some(v) = patch.kind {
            next.kind = v;
        }
        if let Some(v) = patch.source {
            next.source = v;
        }
        if let Some(v) = patch.owner_id {
            next.owner_id = v;
        }
        patch_nullable(&mut next.next_step, &patch.next_step, |v| {
            e.optional_text("next_step", v, NEXT_STEP_MAX)
        });
        patch_nullable(&mut next.description, &patch.description, |v| {
            e.optional_text("description", v, DESCRIPTION_MAX)
        });
        if let Some(v) = &patch.contacts {
            next.contacts = contacts(e, v);
        }
        if let Some(v) = &patch.team {
            next.team = team(e, v);
        }
        if let Some(v) = &patch.competitors {
            next.competitors = competitors(e, v);
        }
        if let Some(v) = &patch.partners {
            next.partners = partners(e, v);
        }
        if let Some(p) = patch.probability {
            probability(e, p);
        }
        let lines = patch.lines.as_ref().map(|l| lines(e, l));
        errors.finish((next, lines))
    }

    /// The fields as a JSON object, the shape the audit log compares.
    pub fn audit_view(&self) -> Value {
        json!({
            "name": self.name,
            "customer_id": self.customer_id,
            "amount": self.entered_amount.to_string(),
            "currency": self.currency,
            "expected_close_date": self.expected_close_date,
            "kind": self.kind.as_str(),
            "source": self.source.map(LeadSource::as_str),
            "owner_id": self.owner_id,
            "next_step": self.next_step,
            "description": self.description,
            "contacts": self.contacts.iter().map(|c| json!({
                "contact_id": c.contact_id, "role": c.role.as_str(), "note": c.note,
            })).collect::<Vec<_>>(),
            "team": self.team.iter().map(|m| json!({
                "user_id": m.user_id, "role": m.role,
            })).collect::<Vec<_>>(),
            "competitors": self.competitors.iter().map(|c| json!({
                "name": c.name, "price": c.price.map(|p| p.to_string()),
                "strengths": c.strengths, "weaknesses": c.weaknesses,
            })).collect::<Vec<_>>(),
            "partners": self.partners.iter().map(|p| json!({
                "name": p.name, "role": p.role,
            })).collect::<Vec<_>>(),
        })
    }
}

fn probability(errors: &mut FieldErrors, value: u8) {
    if value > 100 {
        errors.add("probability", Violation::OutOfRange { min: 0, max: 100 });
    }
}

fn at_most(errors: &mut FieldErrors, field: &str, len: usize, max: usize) {
    if len > max {
        errors.add(
            field,
            Violation::OutOfRange {
                min: 0,
                max: max as i64,
            },
        );
    }
}

fn lines(errors: &mut FieldErrors, requests: &[OpportunityLineRequest]) -> Vec<LineInput> {
    at_most(errors, "lines", requests.len(), LINES_MAX);
    requests
        .iter()
        .enumerate()
        .map(|(i, line)| LineInput {
            product_id: line.product_id,
            quantity: check_quantity(errors, &format!("lines[{i}].quantity"), line.quantity),
            unit_price: line
                .unit_price
                .map(|p| check_amount(errors, &format!("lines[{i}].unit_price"), p)),
            discount_percent: check_percent(
                errors,
                &format!("lines[{i}].discount_percent"),
                line.discount_percent.unwrap_or(Decimal::ZERO),
            ),
        })
        .collect()
}

fn contacts(errors: &mut FieldErrors, requests: &[DecisionContact]) -> Vec<ContactRole> {
    at_most(errors, "contacts", requests.len(), CONTACTS_MAX);
    let mut seen = HashSet::new();
    requests
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if !seen.insert(c.contact_id) {
                errors.add(&format!("contacts[{i}].contact_id"), Violation::Duplicate);
            }
            ContactRole {
                contact_id: c.contact_id,
                role: c.role,
                note: errors.optional_text(
                    &format!("contacts[{i}].note"),
                    c.note.as_deref(),
                    NOTE_MAX,
                ),
            }
        })
        .collect()
}

fn team(errors: &mut FieldErrors, requests: &[TeamMember]) -> Vec<Member> {
    at_most(errors, "team", requests.len(), TEAM_MAX);
    let mut seen = HashSet::new();
    requests
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if !seen.insert(m.user_id) {
                errors.add(&format!("team[{i}].user_id"), Violation::Duplicate);
            }
            Member {
                user_id: m.user_id,
                role: errors.optional_text(&format!("team[{i}].role"), m.role.as_deref(), ROLE_MAX),
            }
        })
        .collect()
}

fn competitors(errors: &mut FieldErrors, requests: &[Competitor]) -> Vec<Competitor> {
    at_most(errors, "competitors", requests.len(), COMPETITORS_MAX);
    requests
        .iter()
        .enumerate()
        .map(|(i, c)| Competitor {
            name: errors.required_text(&format!("competitors[{i}].name"), &c.name, COMPANY_MAX),
            price: c
                .price
                .map(|p| check_amount(errors, &format!("competitors[{i}].price"), p)),
            strengths: errors.optional_text(
                &format!("competitors[{i}].strengths"),
                c.strengths.as_deref(),
                REMARK_MAX,
            ),
            weaknesses: errors.optional_text(
                &format!("competitors[{i}].weaknesses"),
                c.weaknesses.as_deref(),
                REMARK_MAX,
            ),
        })
        .collect()
}

fn partners(errors: &mut FieldErrors, requests: &[Partner]) -> Vec<Partner> {
    at_most(errors, "partners", requests.len(), PARTNERS_MAX);
    requests
        .iter()
        .enumerate()
        .map(|(i, p)| Partner {
            name: errors.required_text(&format!("partners[{i}].name"), &p.name, COMPANY_MAX),
            role: errors.optional_text(&format!("partners[{i}].role"), p.role.as_deref(), ROLE_MAX),
        })
        .collect()
}

/// quantity × unit price × (1 − discount%), to the cent.
pub fn line_amount(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> Decimal {
    round_cents(
        quantity * unit_price * (Decimal::ONE_HUNDRED - discount_percent) / Decimal::ONE_HUNDRED,
    )
}

/// A stage as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageRef {
    pub id: Uuid,
    pub kind: StageKind,
    pub probability: u8,
}

/// What a stage change does besides moving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// To another open stage, at this probability.
    Open {
        probability: u8,
    },
    Won {
        won_on: NaiveDate,
    },
    Lost {
        reason: String,
        winning_competitor: String,
        note: Option<String>,
    },
}

/// Checks a move from `from` to `to` (a stage of the same pipeline) and says what it does.
/// A closed opportunity does not move (it is reopened instead); moving into a lost stage
/// needs a known reason and the winning competitor.
pub fn plan_move(
    from: StageRef,
    to: StageRef,
    request: &MoveStageRequest,
    settings: &Settings,
    today: NaiveDate,
) -> Result<Outcome, Error> {
    if from.kind != StageKind::Open || from.id == to.id {
        return Err(Error::Conflict {
            code: "invalid_transition",
            field: Some("stage_id"),
        });
    }
    let mut errors = FieldErrors::new();
    let outcome = match to.kind {
        StageKind::Open => {
            let probability = request.probability.unwrap_or(to.probability);
            self::probability(&mut errors, probability);
            Outcome::Open { probability }
        }
        StageKind::Won => Outcome::Won {
            won_on: request.won_on.unwrap_or(today),
        },
        StageKind::Lost => {
            let reason = errors.required_text(
                "lost_reason",
                request.lost_reason.as_deref().unwrap_or_default(),
                40,
            );
            if !reason.is_empty() && !settings.is_lost_reason(&reason) {
                errors.add("lost_reason", Violation::UnknownValue);
            }
            Outcome::Lost {
                reason,
                winning_competitor: errors.required_text(
                    "winning_competitor",
                    request.winning_competitor.as_deref().unwrap_or_default(),
                    COMPANY_MAX,
                ),
                note: errors.optional_text(
                    "lost_note",
                    request.lost_note.as_deref(),
                    LOST_NOTE_MAX,
                ),
            }
        }
    };
    Ok(errors.finish(outcome)?)
}

/// Checks a reopen: only a closed opportunity, only into an open stage.
pub fn check_reopen(from: StageRef, to: StageRef) -> Result<(), Error> {
    if from.kind == StageKind::Open {
        return Err(Error::Conflict {
            code: "invalid_transition",
            field: None,
        });
    }
    if to.kind != StageKind::Open {
        return Err(FieldErrors::single("stage_id", Violation::UnknownValue).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(id: u128, kind: StageKind, probability: u8) -> StageRef {
        StageRef {
            id: Uuid::from_u128(id),
            kind,
            probability,
        }
    }

    fn today() -> NaiveDate {
        "2027-02-01".parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn codes(result: Result<Outcome, Error>) -> Vec<(String, &'static str)> {
        match result {
            Err(Error::Validation(errors)) => errors
                .iter()
                .map(|(f, v)| (f.to_owned(), v.code()))
                .collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn an_open_move_takes_the_stage_probability_unless_given() {
        let request = MoveStageRequest::default();
        let outcome = plan_move(
            stage(1, StageKind::Open, 10),
            stage(2, StageKind::Open, 50),
            &request,
            &Settings::default(),
            today(),
        );
        assert_eq!(
            outcome.unwrap_or_else(|e| panic!("{e:?}")),
            Outcome::Open { probability: 50 }
        );
        let request = MoveStageRequest {
            probability: Some(60),
            ..Default::default()
        };
        let outcome = plan_move(
            stage(1, StageKind::Open, 10),
            stage(2, StageKind::Open, 50),
            &request,
            &Settings::default(),
            today(),
        );
        assert_eq!(
            outcome.unwrap_or_else(|e| panic!("{e:?}")),
            Outcome::Open { probability: 60 }
        );
    }

    #[test]
    fn losing_needs_a_known_reason_and_the_winner() {
        let open = stage(1, StageKind::Open, 10);
        let lost = stage(9, StageKind::Lost, 0);
        let none = MoveStageRequest::default();
        assert_eq!(
            codes(plan_move(open, lost, &none, &Settings::default(), today())),
            [
                ("lost_reason".to_owned(), "required"),
                ("winning_competitor".to_owned(), "required")
            ]
        );
        let unknown = MoveStageRequest {
            lost_reason: Some("weather".into()),
            winning_competitor: Some("德玛吉".into()),
            ..Default::default()
        };
        assert_eq!(
            codes(plan_move(
                open,
                lost,
                &unknown,
                &Settings::default(),
                today()
            )),
            [("lost_reason".to_owned(), "unknown_value")]
        );
        let good = MoveStageRequest {
            lost_reason: Some("price".into()),
            winning_competitor: Some(" 德玛吉 ".into()),
            lost_note: Some("低 12%".into()),
            ..Default::default()
        };
        assert_eq!(
            plan_move(open, lost, &good, &Settings::default(), today())
                .unwrap_or_else(|e| panic!("{e:?}")),
            Outcome::Lost {
                reason: "price".into(),
                winning_competitor: "德玛吉".into(),
                note: Some("低 12%".into())
            }
        );
    }

    #[test]
    fn winning_dates_default_to_today() {
        let outcome = plan_move(
            stage(1, StageKind::Open, 10),
            stage(8, StageKind::Won, 100),
            &MoveStageRequest::default(),
            &Settings::default(),
            today(),
        );
        assert_eq!(
            outcome.unwrap_or_else(|e| panic!("{e:?}")),
            Outcome::Won { won_on: today() }
        );
    }

    #[test]
    fn closed_opportunities_and_same_stage_moves_are_refused() {
        let won = stage(8, StageKind::Won, 100);
        for (from, to) in [
            (won, stage(1, StageKind::Open, 10)),
            (stage(1, StageKind::Open, 10), stage(1, StageKind::Open, 10)),
        ] {
            let result = plan_move(
                from,
                to,
                &MoveStageRequest::default(),
                &Settings::default(),
                today(),
            );
            assert!(matches!(
                result,
                Err(Error::Conflict {
                    code: "invalid_transition",
                    ..
                })
            ));
        }
    }

    #[test]
    fn reopening_goes_from_closed_to_open_only() {
        let open = stage(1, StageKind::Open, 10);
        let lost = stage(9, StageKind::Lost, 0);
        assert!(check_reopen(lost, open).is_ok());
        assert!(matches!(
            check_reopen(open, open),
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(
            check_reopen(lost, stage(8, StageKind::Won, 100)),
            Err(Error::Validation(_))
        ));
    }

    #[test]
    fn line_amounts_apply_the_discount_and_round_to_the_cent() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(line_amount(d("3"), d("33.333"), d("0")), d("100.00"));
        assert_eq!(line_amount(d("2"), d("268000"), d("5")), d("509200.00"));
        assert_eq!(line_amount(d("1.5"), d("0.0125"), d("12.5")), d("0.02"));
    }

    #[test]
    fn repeated_contacts_and_members_are_named() {
        let contact = DecisionContact {
            contact_id: Uuid::from_u128(1),
            name: None,
            title: None,
            role: DecisionRole::DecisionMaker,
            note: None,
        };
        let request = CreateOpportunityRequest {
            name: "二期".into(),
            customer_id: Uuid::from_u128(5),
            expected_close_date: today(),
            contacts: vec![contact.clone(), contact],
            probability: Some(120),
            ..Default::default()
        };
        let errors = OpportunityFields::parse_new(&request, Uuid::from_u128(9))
            .err()
            .unwrap_or_default();
        let found: Vec<_> = errors
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect();
        assert_eq!(
            found,
            [
                ("contacts[1].contact_id".to_owned(), "duplicate"),
                ("probability".to_owned(), "out_of_range")
            ]
        );
    }
}
