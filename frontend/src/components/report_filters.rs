//! The filters a report's drill-down set on a list, shown as chips under the list's own
//! toolbar (报表筛选: 部门 华东销售部 · 下单日期 2026-03-01 – 2026-03-31), with the way to drop
//! them all. The list decides what each chip says; [`ChipNames`] names the ids in it.

use crm_api_types::identity::Permission;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::Api;
use crate::auth::Session;
use crate::i18n::{K, use_i18n};

/// The names of the records a drill-down narrows by, filled in as they arrive; until then a
/// chip says what `name` is given for the unknown.
#[derive(Debug, Clone, Copy)]
pub struct ChipNames(RwSignal<Vec<(Uuid, String)>>);

impl ChipNames {
    pub fn new() -> Self {
        Self(RwSignal::new(Vec::new()))
    }

    pub fn add(self, id: Uuid, name: String) {
        self.0.update(|all| all.push((id, name)));
    }

    /// Looks up the owner's name, and the department's for user managers (who may list
    /// departments; others see "a department").
    pub fn fetch_people(
        self,
        api: Api,
        session: Session,
        owner_id: Option<Uuid>,
        department_id: Option<Uuid>,
    ) {
        if let Some(id) = owner_id {
            spawn_local(async move {
                if let Some(user) = api
                    .directory(false)
                    .await
                    .ok()
                    .and_then(|all| all.into_iter().find(|u| u.id == id))
                {
                    self.add(id, user.name);
                }
            });
        }
        if let Some(id) = department_id.filter(|_| session.can(Permission::UserManage)) {
            spawn_local(async move {
                if let Some(department) = api
                    .all_departments()
                    .await
                    .ok()
                    .and_then(|all| all.into_iter().find(|d| d.id == id))
                {
                    self.add(id, department.name);
                }
            });
        }
    }

    /// `id`'s name (tracked), or `unknown` while it has none.
    pub fn name(self, id: Uuid, unknown: &str) -> String {
        self.0
            .with(|all| all.iter().find(|(n, _)| *n == id).map(|(_, n)| n.clone()))
            .unwrap_or_else(|| unknown.to_owned())
    }
}

impl Default for ChipNames {
    fn default() -> Self {
        Self::new()
    }
}

/// One chip per `(what, value)`; 清除筛选 runs `on_clear`.
#[component]
pub fn ReportFilterChips(
    #[prop(into)] chips: Signal<Vec<(K, String)>>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = move || {
        chips
            .get()
            .into_iter()
            .map(|(label, value)| {
                view! {
                    <span class="filter-chip" data-testid="report-filter">
                        <span class="filter-chip-label">{i18n.tr(label)}</span>
                        <span>{value}</span>
                    </span>
                }
            })
            .collect_view()
    };
    view! {
        <div class="toolbar report-filters" data-testid="report-filters">
            <span class="filter-label">{i18n.tr(K::ReportFilters)}</span>
            {shown}
            <button type="button" class="btn btn-link" data-testid="clear-report-filters" on:click=move |_| on_clear.run(())>
                {i18n.tr(K::ClearFilters)}
            </button>
        </div>
    }
}

/// A range of days as a chip shows it: `2026-03-01 – 2026-03-31`, an open end left blank.
pub fn day_range(from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>) -> String {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    format!("{} – {}", day(from), day(to))
}
