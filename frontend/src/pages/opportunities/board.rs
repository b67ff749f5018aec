//! The pipeline board (看板): one column per stage with its count, total and weighted total
//! (per currency), cards soonest close first, "load more" per column. Cards are dragged to
//! another column with HTML5 drag and drop: the stage endpoint moves them; a drop into a lost
//! column first asks why (the 输单 dialog), a drop into a won column asks nothing.

use crm_api_types::identity::Permission;
use crm_api_types::opportunities::{
    BoardColumn, BoardResponse, MoveStageRequest, OpportunityResponse, OpportunitySummary,
};
use crm_api_types::pipelines::{PipelineResponse, StageKind};
use crm_api_types::settings::Choice;
use leptos::ev::DragEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use super::OpportunityListState;
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::IconName;
use crate::components::stage_move::{LostDialog, report_move_error};
use crate::components::table::{EmptyState, Spinner};
use crate::format::money;
use crate::i18n::{K, use_i18n};

/// Cards fetched per "load more".
const MORE: u32 = 50;
/// What a dragged card carries in its `DataTransfer`.
const DRAG_TYPE: &str = "text/plain";

/// A card dropped on a lost column, waiting for the lost reason.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PendingLoss {
    opportunity_id: Uuid,
    stage_id: Uuid,
}

#[component]
pub fn Board(
    state: OpportunityListState,
    pipelines: RwSignal<Vec<PipelineResponse>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let board = RwSignal::new(None::<BoardResponse>);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let lost_reasons = RwSignal::new(Vec::<Choice>::new());
    // The card being dragged: the drop reads the DataTransfer, and this when it is empty.
    let dragged = RwSignal::new(None::<Uuid>);
    let pending = RwSignal::new(None::<PendingLoss>);
    let seq = StoredValue::new(0_u64);

    spawn_local(async move {
        if let Ok(settings) = api.get_settings().await {
            lost_reasons.set(settings.value.lost_reasons);
        }
    });

    Effect::new(move |_| {
        let query = state.filters.with(super::Filters::to_board_query);
        state.reload.track();
        let n = seq.get_value() + 1;
        seq.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let result = api.opportunity_board(&query).await;
            if seq.try_get_value() != Some(n) {
                return;
            }
            loading.set(false);
            match result {
                Ok(found) => {
                    failed.set(false);
                    board.set(Some(found));
                }
                Err(error) => {
                    failed.set(true);
                    api.report(&error);
                }
            }
        });
    });

    let moved = Callback::new(move |opportunity: OpportunityResponse| {
        pending.set(None);
        api.toasts
            .success(api.i18n.moved_to(&opportunity.summary.stage_name));
        state.invalidate();
    });
    let refused = Callback::new(move |()| {
        pending.set(None);
        state.invalidate();
    });

    let drop_on = move |column_id: Uuid, kind: StageKind, opportunity_id: Uuid| {
        let from = board.with_untracked(|b| {
            b.as_ref().and_then(|b| {
                b.columns
                    .iter()
                    .find(|c| c.items.iter().any(|o| o.id == opportunity_id))
                    .map(|c| c.stage_id)
            })
        });
        if from == Some(column_id) {
            return;
        }
        if kind == StageKind::Lost {
            pending.set(Some(PendingLoss {
                opportunity_id,
                stage_id: column_id,
            }));
            return;
        }
        let request = MoveStageRequest {
            stage_id: column_id,
            ..MoveStageRequest::default()
        };
        spawn_local(async move {
            match api.move_opportunity(opportunity_id, &request).await {
                Ok(opportunity) => moved.run(opportunity),
                Err(error) => {
                    report_move_error(api, &error);
                    state.invalidate();
                }
            }
        });
    };

    let load_more = move |stage_id: Uuid, cursor: String| {
        let mut query = state
            .filters
            .with_untracked(|f| f.to_list_query(Some(cursor), MORE));
        query.stage_id = Some(stage_id);
        query.status = None;
        query.sort = Some("expected_close_date".to_owned());
        query.include_total = None;
        spawn_local(async move {
            match api.list_opportunities(&query).await {
                Ok(page) => board.update(|b| {
                    if let Some(column) = b
                        .as_mut()
                        .and_then(|b| b.columns.iter_mut().find(|c| c.stage_id == stage_id))
                    {
                        column.items.extend(page.items);
                        column.next_cursor = page.next_cursor;
                    }
                }),
                Err(error) => api.report(&error),
            }
        });
    };

    let columns = move || {
        let Some(found) = board.get() else {
            return if failed.get() {
                view! {
                    <div class="card">
                        <EmptyState
                            icon=IconName::Alert
                            title=Signal::derive(move || i18n.t(K::UnexpectedError).to_owned())
                            hint=Signal::derive(String::new)
                        >
                            <button type="button" class="btn btn-secondary" on:click=move |_| state.invalidate()>{i18n.tr(K::Reload)}</button>
                        </EmptyState>
                    </div>
                }
                .into_any()
            } else {
                view! { <div class="card"><Spinner label=true/></div> }.into_any()
            };
        };
        view! {
            <div class="board" data-testid="board" data-pipeline-id=found.pipeline_id.to_string()>
                {found.columns.into_iter().map(|column| view! {
                    <Column column dragged drop_on load_more/>
                }).collect_view()}
            </div>
        }
        .into_any()
    };

    // The pipeline picker names the board's pipeline when no other was chosen.
    Effect::new(move |_| {
        if let Some(id) = board.with(|b| b.as_ref().map(|b| b.pipeline_id))
            && state.filters.with_untracked(|f| f.pipeline_id.is_none())
            && pipelines.with(|p| p.len() > 1)
        {
            state.filters.update(|f| f.pipeline_id = Some(id));
        }
    });

    view! {
        <div class="board-wrap" class:is-loading=move || loading.get() && board.with(Option::is_some)>
            <div class="progress" class:active=move || loading.get()></div>
            {columns}
        </div>
        {move || pending.get().map(|loss| view! {
            <LostDialog
                opportunity_id=loss.opportunity_id
                stage_id=loss.stage_id
                reasons=lost_reasons
                on_moved=moved
                on_refused=refused
                on_close=Callback::new(move |()| pending.set(None))
            />
        })}
    }
}

#[component]
fn Column(
    column: BoardColumn,
    dragged: RwSignal<Option<Uuid>>,
    drop_on: impl Fn(Uuid, StageKind, Uuid) + Copy + Send + Sync + 'static,
    load_more: impl Fn(Uuid, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let stage_id = column.stage_id;
    let kind = column.kind;
    let over = RwSignal::new(false);
    let next_cursor = column.next_cursor.clone();
    let shown = column.items.len() as u64;

    let on_dragover = move |ev: DragEvent| {
        // Allowing the drop is what preventing the default of dragover means.
        ev.prevent_default();
        if let Some(transfer) = ev.data_transfer() {
            transfer.set_drop_effect("move");
        }
        over.set(true);
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        over.set(false);
        let carried = ev
            .data_transfer()
            .and_then(|t| t.get_data(DRAG_TYPE).ok())
            .and_then(|id| Uuid::parse_str(id.trim()).ok());
        if let Some(id) = carried.or_else(|| dragged.get_untracked()) {
            dragged.set(None);
            drop_on(stage_id, kind, id);
        }
    };

    let totals = column
        .totals
        .iter()
        .map(|t| {
            let amount = money(t.amount, &t.currency);
            let weighted = money(t.weighted_amount, &t.currency);
            view! {
                <p class="board-total" data-testid="board-column-total" data-currency=t.currency.clone()>
                    <span class="board-amount">{amount}</span>
                    <span class="board-weighted">{move || format!("{} {weighted}", i18n.t(K::Weighted))}</span>
                </p>
            }
        })
        .collect_view();

    view! {
        <section
            class=format!("board-column board-column-{}", kind.as_str())
            class:drop-target=move || over.get()
            data-testid="board-column"
            data-stage-id=stage_id.to_string()
            data-stage-kind=kind.as_str()
            aria-label=column.name.clone()
            on:dragover=on_dragover
            on:dragenter=move |ev: DragEvent| ev.prevent_default()
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop
        >
            <header class="board-column-head">
                <h2 class="board-column-title">
                    <span data-testid="board-column-name">{column.name.clone()}</span>
                    <span class="board-count" data-testid="board-column-count">{column.count}</span>
                </h2>
                <p class="board-probability">{format!("{}%", column.probability)}</p>
                {totals}
            </header>
            <ol class="board-cards">
                {column.items.into_iter().map(|item| view! { <Card item dragged/> }).collect_view()}
            </ol>
            {next_cursor.map(|cursor| view! {
                <button
                    type="button"
                    class="btn btn-link btn-sm board-more"
                    data-testid="board-more"
                    on:click=move |_| load_more(stage_id, cursor.clone())
                >
                    {move || format!("{} · {}/{}", i18n.t(K::LoadMore), shown, column.count)}
                </button>
            })}
        </section>
    }
}

#[component]
fn Card(item: OpportunitySummary, dragged: RwSignal<Option<Uuid>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let id = item.id;
    let href = format!("/opportunities/{id}");
    let can_move = move || session.can(Permission::OpportunityWrite);
    let open = {
        let href = href.clone();
        move || navigate(&href, Default::default())
    };
    let open_on_key = open.clone();
    let on_dragstart = move |ev: DragEvent| {
        dragged.set(Some(id));
        if let Some(transfer) = ev.data_transfer() {
            // Nothing to recover if the browser refuses the data: the signal still holds it.
            let _ = transfer.set_data(DRAG_TYPE, &id.to_string());
            transfer.set_effect_allowed("move");
        }
    };
    view! {
        <li
            class="board-card"
            data-testid="opportunity-card"
            data-id=id.to_string()
            draggable=move || if can_move() { "true" } else { "false" }
            tabindex="0"
            on:dragstart=on_dragstart
            on:dragend=move |_| dragged.set(None)
            on:click=move |_| open()
            on:keydown=move |ev| {
                if ev.key() == "Enter" {
                    open_on_key();
                }
            }
        >
            <a class="board-card-name" href=href tabindex="-1" draggable="false" on:click=|ev| ev.stop_propagation()>
                {item.name}
            </a>
            <p class="board-card-customer">{item.customer_name}</p>
            <p class="board-card-amount">{money(item.amount, &item.currency)}</p>
            <p class="board-card-meta">
                <span title=i18n.tr(K::FieldExpectedClose)>{item.expected_close_date.to_string()}</span>
                <span class="board-card-probability">{format!("{}%", item.probability)}</span>
            </p>
            <p class="board-card-owner">{item.owner_name}</p>
        </li>
    }
}
