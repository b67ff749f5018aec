//! `/opportunities` (商机): the pipeline board (看板) or the list, over the same filters, with
//! the user's saved filters. The state lives in [`OpportunityListState`] at the app root, so
//! coming back from an opportunity shows the same view. A link with filters in its query
//! string (a report's drill-down: `/opportunities?stage_id=…&region=…`) opens the list with
//! exactly those filters; the address then drops them, so going back to the list later keeps
//! whatever the user changed since.

mod board;
mod filters;
mod list;
mod saved_filters;

use std::time::Duration;

use chrono::NaiveDate;
use crm_api_types::identity::Permission;
use crm_api_types::leads::LeadSource;
use crm_api_types::opportunities::{BoardQuery, OpportunityKind, OpportunityListQuery};
use crm_api_types::pipelines::{PipelineResponse, StageKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};

use board::Board;
use filters::FilterBar;
use list::OpportunityList;

const DEBOUNCE: Duration = Duration::from_millis(300);
pub(crate) const DEFAULT_SORT: &str = "-created_at";

/// Board or list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Board,
    List,
}

/// What both views filter by; `stage_id`, `status` and `sort` only apply to the list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Filters {
    pub q: String,
    pub pipeline_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub kind: Option<OpportunityKind>,
    pub close_from: Option<NaiveDate>,
    pub close_to: Option<NaiveDate>,
    pub stage_id: Option<Uuid>,
    pub status: Option<StageKind>,
    pub sort: String,
    /// What a report's drill-down narrows by (`/opportunities?department_id=…`); the list
    /// applies them, the board cannot.
    pub department_id: Option<Uuid>,
    pub source: Option<LeadSource>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub product_category_id: Option<Uuid>,
    pub closed_since: Option<NaiveDate>,
    pub closed_to: Option<NaiveDate>,
}

impl Default for Filters {
    fn default() -> Self {
        Self {
            q: String::new(),
            pipeline_id: None,
            owner_id: None,
            kind: None,
            close_from: None,
            close_to: None,
            stage_id: None,
            status: None,
            sort: DEFAULT_SORT.to_owned(),
            department_id: None,
            source: None,
            region: None,
            industry: None,
            product_category_id: None,
            closed_since: None,
            closed_to: None,
        }
    }
}

impl Filters {
    pub fn to_list_query(&self, cursor: Option<String>, limit: u32) -> OpportunityListQuery {
        OpportunityListQuery {
            limit: Some(limit),
            cursor,
            sort: Some(self.sort.clone()),
            q: non_blank(&self.q),
            pipeline_id: self.pipeline_id,
            stage_id: self.stage_id,
            status: self.status,
            owner_id: self.owner_id,
            kind: self.kind,
            close_from: self.close_from,
            close_to: self.close_to,
            closed_since: self.closed_since,
            closed_to: self.closed_to,
            department_id: self.department_id,
            source: self.source,
            region: self.region.clone(),
            industry: self.industry.clone(),
            product_category_id: self.product_category_id,
            include_total: Some(true),
            ..OpportunityListQuery::default()
        }
    }

    pub fn to_board_query(&self) -> BoardQuery {
        BoardQuery {
            pipeline_id: self.pipeline_id,
            q: non_blank(&self.q),
            owner_id: self.owner_id,
            kind: self.kind,
            close_from: self.close_from,
            close_to: self.close_to,
            ..BoardQuery::default()
        }
    }

    /// Anything narrower than "everything in the pipeline".
    pub fn is_filtered(&self) -> bool {
        !self.q.trim().is_empty()
            || self.owner_id.is_some()
            || self.kind.is_some()
            || self.close_from.is_some()
            || self.close_to.is_some()
            || self.stage_id.is_some()
            || self.status.is_some()
            || self.has_report_filters()
    }

    /// Narrowed the way only a report's drill-down narrows (the board cannot show these).
    pub fn has_report_filters(&self) -> bool {
        self.department_id.is_some()
            || self.source.is_some()
            || self.region.is_some()
            || self.industry.is_some()
            || self.product_category_id.is_some()
            || self.closed_since.is_some()
            || self.closed_to.is_some()
    }

    /// The saved-filter form: the list's query string without `cursor` and `limit`.
    pub fn to_query_string(&self) -> String {
        let pairs: [(&str, Option<String>); 16] = [
            ("q", non_blank(&self.q)),
            ("pipeline_id", self.pipeline_id.map(|v| v.to_string())),
            ("stage_id", self.stage_id.map(|v| v.to_string())),
            ("status", self.status.map(|s| s.as_str().to_owned())),
            ("owner_id", self.owner_id.map(|v| v.to_string())),
            ("kind", self.kind.map(|k| k.as_str().to_owned())),
            ("close_from", self.close_from.map(|v| v.to_string())),
            ("close_to", self.close_to.map(|v| v.to_string())),
            ("closed_since", self.closed_since.map(|v| v.to_string())),
            ("closed_to", self.closed_to.map(|v| v.to_string())),
            ("department_id", self.department_id.map(|v| v.to_string())),
            ("source", self.source.map(|s| s.as_str().to_owned())),
            ("region", self.region.clone()),
            ("industry", self.industry.clone()),
            (
                "product_category_id",
                self.product_category_id.map(|v| v.to_string()),
            ),
            (
                "sort",
                (self.sort != DEFAULT_SORT).then(|| self.sort.clone()),
            ),
        ];
        pairs
            .into_iter()
            .filter_map(|(name, value)| {
                value.map(|v| format!("{name}={}", js_sys::encode_uri_component(&v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The filters a saved query string names; what it does not name is left at the default.
    pub fn from_query_string(query: &str) -> Self {
        let mut filters = Self::default();
        for pair in query.split('&') {
            let Some((name, raw)) = pair.split_once('=') else {
                continue;
            };
            let value = js_sys::decode_uri_component(raw)
                .map(String::from)
                .unwrap_or_else(|_| raw.to_owned());
            match name {
                "q" => filters.q = value,
                "pipeline_id" => filters.pipeline_id = value.parse().ok(),
                "stage_id" => filters.stage_id = value.parse().ok(),
                "status" => filters.status = StageKind::parse(&value),
                "owner_id" => filters.owner_id = value.parse().ok(),
                "kind" => filters.kind = OpportunityKind::parse(&value),
                "close_from" => filters.close_from = value.parse().ok(),
                "close_to" => filters.close_to = value.parse().ok(),
                "closed_since" => filters.closed_since = value.parse().ok(),
                "closed_to" => filters.closed_to = value.parse().ok(),
                "department_id" => filters.department_id = value.parse().ok(),
                "source" => filters.source = LeadSource::parse(&value),
                "region" => filters.region = non_blank(&value),
                "industry" => filters.industry = non_blank(&value),
                "product_category_id" => filters.product_category_id = value.parse().ok(),
                "sort" => filters.sort = value,
                _ => {}
            }
        }
        filters
    }
}

#[derive(Debug, Clone, Copy)]
pub struct OpportunityListState {
    view: RwSignal<View>,
    filters: RwSignal<Filters>,
    /// What is typed in the search box; copied into `filters` after a pause in typing.
    q_input: RwSignal<String>,
    /// The list's cursors that led to the current page; empty on the first page.
    cursors: RwSignal<Vec<String>>,
    debounce: StoredValue<Option<TimeoutHandle>>,
    reload: RwSignal<u64>,
}

impl OpportunityListState {
    pub fn new() -> Self {
        Self {
            view: RwSignal::new(View::Board),
            filters: RwSignal::new(Filters::default()),
            q_input: RwSignal::new(String::new()),
            cursors: RwSignal::new(Vec::new()),
            debounce: StoredValue::new(None),
            reload: RwSignal::new(0),
        }
    }

    /// Marks the board and list out of date; the next visit refetches.
    pub fn invalidate(self) {
        self.reload.update(|n| *n += 1);
    }

    fn refine(self, change: impl FnOnce(&mut Filters)) {
        self.filters.update(change);
        self.cursors.set(Vec::new());
    }

    fn replace(self, filters: Filters) {
        self.q_input.set(filters.q.clone());
        self.refine(|f| *f = filters);
    }

    fn schedule_search(self) {
        if let Some(handle) = self.debounce.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || self.apply_search(), DEBOUNCE).ok();
        self.debounce.set_value(handle);
    }

    fn apply_search(self) {
        let q = self.q_input.get_untracked();
        if self.filters.with_untracked(|f| f.q != q) {
            self.refine(|f| f.q = q);
        }
    }

    fn clear_filters(self) {
        self.q_input.set(String::new());
        self.refine(|f| {
            *f = Filters {
                pipeline_id: f.pipeline_id,
                sort: std::mem::take(&mut f.sort),
                ..Filters::default()
            };
        });
    }
}

impl Default for OpportunityListState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_opportunity_list_state() -> OpportunityListState {
    expect_context::<OpportunityListState>()
}

#[component]
pub fn OpportunitiesPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::OpportunityRead) {
            view! { <Opportunities/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn Opportunities() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let state = use_opportunity_list_state();
    let pipelines = RwSignal::new(Vec::<PipelineResponse>::new());
    let location = use_location();
    let navigate = use_navigate();

    Effect::new(move |_| {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            return;
        }
        state.replace(Filters::from_query_string(search));
        state.view.set(View::List);
        navigate(
            "/opportunities",
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    // The board cannot narrow by what only reports narrow by.
    let board_blocked = move || state.filters.with(Filters::has_report_filters);
    Effect::new(move |_| {
        if board_blocked() && state.view.get_untracked() == View::Board {
            state.view.set(View::List);
        }
    });

    spawn_local(async move {
        match api.pipelines().await {
            Ok(all) => pipelines.set(all),
            Err(error) => api.report(&error),
        }
    });

    let toggle = move |view: View, label: K, testid: &'static str, icon: IconName| {
        view! {
            <button
                type="button"
                role="tab"
                class="segment"
                class:active=move || state.view.get() == view
                aria-selected=move || if state.view.get() == view { "true" } else { "false" }
                disabled=move || view == View::Board && board_blocked()
                title=move || (view == View::Board && board_blocked()).then(|| i18n.t(K::BoardNeedsNoReportFilters))
                data-testid=testid
                on:click=move |_| state.view.set(view)
            >
                <Icon name=icon/>
                <span>{i18n.tr(label)}</span>
            </button>
        }
    };

    view! {
        <div class="page page-full">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::OpportunitiesTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::OpportunitiesSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <div class="segments" role="tablist" aria-label=i18n.tr(K::ViewMode)>
                        {toggle(View::Board, K::ViewBoard, "view-board", IconName::Board)}
                        {toggle(View::List, K::ViewList, "view-list", IconName::List)}
                    </div>
                    <Show when=move || session.can(Permission::OpportunityWrite)>
                        <a class="btn btn-primary" href="/opportunities/new" data-testid="opportunity-new">
                            <Icon name=IconName::Plus/>
                            <span>{i18n.tr(K::NewOpportunity)}</span>
                        </a>
                    </Show>
                </div>
            </header>
            <FilterBar state pipelines list=Signal::derive(move || state.view.get() == View::List)/>
            {move || match state.view.get() {
                View::Board => view! { <Board state pipelines/> }.into_any(),
                View::List => view! { <OpportunityList state/> }.into_any(),
            }}
        </div>
    }
}
