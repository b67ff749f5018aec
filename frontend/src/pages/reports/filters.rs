//! The filter bar every report shares: the period, and what narrows the opportunities counted
//! (department, owner, region, industry, product category). The filters live in the URL under
//! the names the API and the opportunity list use, so a drill-down passes them on as they are
//! and the tabs carry them from one report to the next.

use chrono::NaiveDate;
use crm_api_types::identity::{DataScope, DepartmentResponse, DirectoryEntry, Permission};
use crm_api_types::products::ProductCategoryResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};
use crate::tree::tree_order;

/// What every report filters by, as the URL holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ReportFilters {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub product_category_id: Option<Uuid>,
}

impl ReportFilters {
    /// The filters in the URL, whose parameters `param` looks up (a `ParamsMap`'s `get`).
    pub fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        let id = |name: &str| param(name).and_then(|v| v.parse::<Uuid>().ok());
        let day = |name: &str| param(name).and_then(|v| v.parse::<NaiveDate>().ok());
        let text = |name: &str| param(name).and_then(|v| non_blank(&v));
        Self {
            from: day("from"),
            to: day("to"),
            department_id: id("department_id"),
            owner_id: id("owner_id"),
            region: text("region"),
            industry: text("industry"),
            product_category_id: id("product_category_id"),
        }
    }

    pub fn period_pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("from", self.from.map(|d| d.to_string())),
            ("to", self.to.map(|d| d.to_string())),
        ]
    }

    /// Everything but the period: what the opportunity list narrows by under the same names.
    pub fn narrowing_pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("department_id", self.department_id.map(|v| v.to_string())),
            ("owner_id", self.owner_id.map(|v| v.to_string())),
            ("region", self.region.clone()),
            ("industry", self.industry.clone()),
            (
                "product_category_id",
                self.product_category_id.map(|v| v.to_string()),
            ),
        ]
    }

    pub fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        [self.period_pairs(), self.narrowing_pairs()].concat()
    }

    pub fn is_set(&self) -> bool {
        *self != Self::default()
    }

    /// Narrowed beyond the period: by department, owner, region, industry or category.
    pub fn is_narrowed(&self) -> bool {
        self.narrowing_pairs().iter().any(|(_, v)| v.is_some())
    }
}

/// The toolbar: period, then the page's own controls (`children`: a pipeline, a grouping, a
/// currency), then department, owner, region and industry (unless `places` is off), product
/// category (unless `category` is off); and the period the answer covers (`period`, also printed).
#[component]
pub(super) fn ReportFilterBar(
    #[prop(into)] filters: Signal<ReportFilters>,
    /// Shows the report with these filters instead (the page keeps its own controls' values).
    on_change: Callback<ReportFilters>,
    #[prop(into)] period: Signal<String>,
    /// Offers the product category (for the reports that narrow by it).
    #[prop(default = true)]
    category: bool,
    /// Offers region and industry (for the reports over records that have them).
    #[prop(default = true)]
    places: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let departments = RwSignal::new(Vec::<DepartmentResponse>::new());
    let categories = RwSignal::new(Vec::<ProductCategoryResponse>::new());
    let users = RwSignal::new(Vec::<DirectoryEntry>::new());
    // The department list is for user managers; a rep sees only their own deals anyway.
    let sees_departments = session.can(Permission::UserManage);
    let sees_others = session
        .me()
        .is_some_and(|me| me.data_scope != DataScope::Own);

    if category {
        spawn_local(async move {
            match api.product_categories().await {
                Ok(all) => categories.set(all),
                Err(error) => api.report(&error),
            }
        });
    }
    if sees_departments {
        spawn_local(async move {
            match api.all_departments().await {
                Ok(all) => departments.set(all),
                Err(error) => api.report(&error),
            }
        });
    }
    if sees_others {
        spawn_local(async move {
            match api.directory(false).await {
                Ok(all) => users.set(all),
                Err(error) => api.report(&error),
            }
        });
    }

    let refine = move |change: &dyn Fn(&mut ReportFilters)| {
        let mut f = filters.get_untracked();
        change(&mut f);
        on_change.run(f);
    };

    let date_input = move |testid: &'static str,
                           label: K,
                           pick: fn(&ReportFilters) -> Option<NaiveDate>,
                           set: fn(&mut ReportFilters, Option<NaiveDate>)| {
        view! {
            <label class="filter-date">
                <span class="filter-label">{i18n.tr(label)}</span>
                <input
                    type="date"
                    class="input filter"
                    data-testid=testid
                    prop:value=move || filters.with(|f| pick(f).map(|d| d.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let day = event_target_value(&ev).parse().ok();
                        refine(&|f| set(f, day));
                    }
                />
            </label>
        }
    };
    let text_input = move |testid: &'static str,
                           label: K,
                           placeholder: K,
                           pick: fn(&ReportFilters) -> Option<String>,
                           set: fn(&mut ReportFilters, Option<String>)| {
        view! {
            <input
                type="text"
                class="input filter filter-text"
                data-testid=testid
                aria-label=i18n.tr(label)
                placeholder=i18n.tr(placeholder)
                prop:value=move || filters.with(|f| pick(f).unwrap_or_default())
                on:change=move |ev| {
                    let text = non_blank(&event_target_value(&ev));
                    refine(&|f| set(f, text.clone()));
                }
            />
        }
    };
    let tree_options = move |items: Vec<(Uuid, String, usize)>, chosen: Option<Uuid>| {
        items
            .into_iter()
            .map(|(id, name, depth)| {
                view! {
                    <option value=id.to_string() selected=chosen == Some(id)>
                        {format!("{}{name}", "\u{3000}".repeat(depth))}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <div class="card toolbar-card no-print">
            <div class="toolbar" role="search" aria-label=i18n.tr(K::ReportFilterBar)>
                {date_input("report-from", K::PeriodFrom, |f| f.from, |f, d| f.from = d)}
                {date_input("report-to", K::PeriodTo, |f| f.to, |f, d| f.to = d)}
                {children.map(|c| c())}
                <Show when=move || sees_departments>
                    <select
                        class="input select filter"
                        data-testid="report-department"
                        aria-label=i18n.tr(K::FieldDepartment)
                        on:change=move |ev| {
                            let id = event_target_value(&ev).parse().ok();
                            refine(&|f| f.department_id = id);
                        }
                    >
                        <option value="">{i18n.tr(K::AllDepartments)}</option>
                        {move || {
                            let items = tree_order(&departments.get())
                                .into_iter()
                                .map(|(d, depth)| (d.id, d.name, depth))
                                .collect();
                            tree_options(items, filters.with(|f| f.department_id))
                        }}
                    </select>
                </Show>
                <Show when=move || sees_others>
                    <select
                        class="input select filter"
                        data-testid="report-owner"
                        aria-label=i18n.tr(K::FieldOwner)
                        on:change=move |ev| {
                            let id = event_target_value(&ev).parse().ok();
                            refine(&|f| f.owner_id = id);
                        }
                    >
                        <option value="">{i18n.tr(K::AllOwners)}</option>
                        {move || {
                            let chosen = filters.with(|f| f.owner_id);
                            users.get().into_iter().map(|u| view! {
                                <option value=u.id.to_string() selected=chosen == Some(u.id)>
                                    {format!("{} · {}", u.name, u.department_name)}
                                </option>
                            }).collect_view()
                        }}
                    </select>
                </Show>
                {places.then(|| text_input("report-region", K::FieldRegion, K::RegionPlaceholder, |f| f.region.clone(), |f, v| f.region = v))}
                {places.then(|| text_input("report-industry", K::FieldIndustry, K::IndustryPlaceholder, |f| f.industry.clone(), |f, v| f.industry = v))}
                <Show when=move || category>
                    <select
                        class="input select filter"
                        data-testid="report-category"
                        aria-label=i18n.tr(K::FieldProductCategory)
                        on:change=move |ev| {
                            let id = event_target_value(&ev).parse().ok();
                            refine(&|f| f.product_category_id = id);
                        }
                    >
                        <option value="">{i18n.tr(K::AllProductCategories)}</option>
                        {move || {
                            let items = tree_order(&categories.get())
                                .into_iter()
                                .map(|(c, depth)| (c.id, c.name, depth))
                                .collect();
                            tree_options(items, filters.with(|f| f.product_category_id))
                        }}
                    </select>
                </Show>
                <Show when=move || filters.with(ReportFilters::is_set)>
                    <button type="button" class="btn btn-link" data-testid="report-clear" on:click=move |_| refine(&|f| *f = ReportFilters::default())>
                        {i18n.tr(K::ClearFilters)}
                    </button>
                </Show>
                <span class="toolbar-spacer"></span>
                <span class="muted" data-testid="report-period">{move || period.get()}</span>
            </div>
        </div>
        <p class="print-only">{move || period.get()}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_read_back_from_the_url_as_written() {
        let filters = ReportFilters {
            from: "2026-01-01".parse().ok(),
            region: Some("华东".to_owned()),
            product_category_id: Some(Uuid::nil()),
            ..ReportFilters::default()
        };
        let pairs = filters.pairs();
        let param = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| v.clone())
        };
        assert_eq!(ReportFilters::of(param), filters);
        assert!(filters.is_set());
        assert!(!ReportFilters::default().is_set());
    }
}
