//! `/receivables` (应收款): the aging table (账龄) by customer, owner or department, and —
//! once an amount is clicked — the open instalments behind it (or, from a reminder, the
//! overdue ones: `?overdue=true`; from 回款分析, those due in a month:
//! `?due_from=…&due_to=…`). The URL holds the state
//! (`?group_by=owner&bucket=days_1_to_30&owner_id=…`), so a drill-down can be linked to and
//! the back button undoes it. 收款记录 leads to the payments.

mod aging;
mod open_list;

use chrono::NaiveDate;
use crm_api_types::identity::Permission;
use crm_api_types::receivables::{AgingBucket, AgingGroup};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::i18n::{K, use_i18n};

pub use aging::AgingCard;
use open_list::OpenInstalments;

/// What the URL asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drill {
    pub group: AgingGroup,
    pub bucket: Option<AgingBucket>,
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// Owned in this department or one below it.
    pub department_id: Option<Uuid>,
    /// Only instalments past their due date (`?overdue=true`, where the reminders lead).
    pub overdue: bool,
    /// Due on or after, on or before these days (回款分析's months).
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
}

impl Drill {
    /// Whether the open instalments are asked for.
    fn is_drilled(self) -> bool {
        self.bucket.is_some()
            || self.customer_id.is_some()
            || self.owner_id.is_some()
            || self.department_id.is_some()
            || self.overdue
            || self.due_from.is_some()
            || self.due_to.is_some()
    }

    /// The URL of this state.
    pub fn href(self) -> String {
        let mut params = vec![format!("group_by={}", self.group.as_str())];
        if let Some(bucket) = self.bucket {
            params.push(format!("bucket={}", bucket.as_str()));
        }
        if let Some(id) = self.customer_id {
            params.push(format!("customer_id={id}"));
        }
        if let Some(id) = self.owner_id {
            params.push(format!("owner_id={id}"));
        }
        if let Some(id) = self.department_id {
            params.push(format!("department_id={id}"));
        }
        if self.overdue {
            params.push("overdue=true".to_owned());
        }
        if let Some(day) = self.due_from {
            params.push(format!("due_from={day}"));
        }
        if let Some(day) = self.due_to {
            params.push(format!("due_to={day}"));
        }
        format!("/receivables?{}", params.join("&"))
    }
}

#[component]
pub fn ReceivablesPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::ReceivableRead) {
            view! { <Receivables/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn Receivables() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let drill = Memo::new(move |_| {
        query.with(|q| {
            let id = |name: &str| q.get(name).and_then(|v| v.parse::<Uuid>().ok());
            let day = |name: &str| q.get(name).and_then(|v| v.parse::<NaiveDate>().ok());
            Drill {
                group: q
                    .get("group_by")
                    .and_then(|g| AgingGroup::parse(&g))
                    .unwrap_or_default(),
                bucket: q.get("bucket").and_then(|b| AgingBucket::parse(&b)),
                customer_id: id("customer_id"),
                owner_id: id("owner_id"),
                department_id: id("department_id"),
                overdue: q.get("overdue").as_deref() == Some("true"),
                due_from: day("due_from"),
                due_to: day("due_to"),
            }
        })
    });
    let group = Memo::new(move |_| drill.get().group);

    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::ReceivablesTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::ReceivablesSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <a class="btn btn-secondary" href="/receivables/payments" data-testid="payments-link">
                        <Icon name=IconName::List/>
                        <span>{i18n.tr(K::PaymentsTitle)}</span>
                    </a>
                </div>
            </header>
            <AgingCard group/>
            {move || {
                let d = drill.get();
                d.is_drilled().then(|| view! { <OpenInstalments drill=d/> })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drill_down_is_a_link() {
        let id = Uuid::nil();
        let drill = Drill {
            group: AgingGroup::Customer,
            bucket: Some(AgingBucket::Days1To30),
            customer_id: Some(id),
            ..Drill::default()
        };
        assert!(drill.is_drilled());
        assert_eq!(
            drill.href(),
            format!("/receivables?group_by=customer&bucket=days_1_to_30&customer_id={id}")
        );
        assert!(!Drill::default().is_drilled());
        let due = Drill {
            due_from: "2026-03-01".parse().ok(),
            due_to: "2026-03-31".parse().ok(),
            ..Drill::default()
        };
        assert!(due.is_drilled());
        assert_eq!(
            due.href(),
            "/receivables?group_by=customer&due_from=2026-03-01&due_to=2026-03-31"
        );
    }
}
