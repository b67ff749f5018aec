//! What the lead-source and activity reports' drill-downs narrow the lead and customer lists
//! by, beyond the lists' own filters: the days leads were created on, how far they got, how
//! long customers have gone without a follow-up, the owner, the department (with those below
//! it). They arrive in
//! the URL (`/leads?created_from=2026-03-01&created_to=2026-03-31&department_id=…`,
//! `/customers?idle_days=30&owner_id=…`) and show as chips over the list.

use chrono::{DateTime, NaiveDate, Utc};
use crm_api_types::leads::LeadReach;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::report_filters::{ChipNames, ReportFilterChips, day_range};
use crate::i18n::{K, use_i18n};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListDrill {
    /// Leads created on these days (China time), both included.
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
    /// Leads that got this far (qualified once, or won a deal).
    pub reached: Option<LeadReach>,
    /// Customers not followed up for more than this many days.
    pub idle_days: Option<u32>,
    pub owner_id: Option<Uuid>,
    /// Owned in this department or one below it.
    pub department_id: Option<Uuid>,
}

impl ListDrill {
    /// The drill-down in a URL, whose parameters `param` looks up.
    pub fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        let id = |name: &str| param(name).and_then(|v| v.parse().ok());
        let day = |name: &str| param(name).and_then(|v| v.parse().ok());
        Self {
            created_from: day("created_from"),
            created_to: day("created_to"),
            reached: param("reached").as_deref().and_then(LeadReach::parse),
            idle_days: param("idle_days").and_then(|v| v.parse().ok()),
            owner_id: id("owner_id"),
            department_id: id("department_id"),
        }
    }

    pub fn is_set(&self) -> bool {
        *self != Self::default()
    }

    /// The creation days as the lead list's instants: from the start of the first day to
    /// the start of the day after the last, in China time.
    pub fn created_instants(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = |day: NaiveDate| {
            day.and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc() - chrono::Duration::hours(8))
        };
        (
            self.created_from.and_then(start),
            self.created_to.and_then(|d| d.succ_opt()).and_then(start),
        )
    }
}

/// The drill-down's chips; the owner and department are named once their names arrive (a
/// department by name for user managers, who may list departments; for others, as "a
/// department").
#[component]
pub fn ListDrillChips(
    #[prop(into)] drill: Signal<ListDrill>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let names = ChipNames::new();
    Effect::new(move |_| {
        let d = drill.get();
        names.fetch_people(api, session, d.owner_id, d.department_id);
    });
    let chips = move || {
        let d = drill.get();
        let mut chips = Vec::new();
        if d.created_from.is_some() || d.created_to.is_some() {
            chips.push((K::FieldCreatedAt, day_range(d.created_from, d.created_to)));
        }
        if let Some(reached) = d.reached {
            let shown = match reached {
                LeadReach::Qualified => K::LeadReachedQualified,
                LeadReach::Won => K::LeadReachedWon,
            };
            chips.push((K::LeadReached, i18n.t(shown).to_owned()));
        }
        if let Some(days) = d.idle_days {
            chips.push((K::IdleFor, i18n.days_count(days)));
        }
        if let Some(id) = d.owner_id {
            chips.push((K::FieldOwner, names.name(id, "…")));
        }
        if let Some(id) = d.department_id {
            chips.push((
                K::FieldDepartment,
                names.name(id, i18n.t(K::SomeDepartment)),
            ));
        }
        chips
    };
    view! { <ReportFilterChips chips=Signal::derive(chips) on_clear/> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drill_down_reads_from_the_url_and_spans_whole_china_days() {
        let url = |name: &str| match name {
            "created_from" => Some("2026-03-01".to_owned()),
            "created_to" => Some("2026-03-31".to_owned()),
            "reached" => Some("won".to_owned()),
            "idle_days" => Some("thirty".to_owned()),
            _ => None,
        };
        let drill = ListDrill::of(url);
        assert_eq!(
            drill,
            ListDrill {
                created_from: "2026-03-01".parse().ok(),
                created_to: "2026-03-31".parse().ok(),
                reached: Some(LeadReach::Won),
                ..ListDrill::default()
            }
        );
        let (from, to) = drill.created_instants();
        assert_eq!(
            from.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-02-28T16:00:00+00:00")
        );
        assert_eq!(
            to.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-03-31T16:00:00+00:00")
        );
        assert!(!ListDrill::default().is_set());
    }
}
