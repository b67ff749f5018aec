//! 阶段记录: every stage change with who, when and how long the opportunity spent in the stage
//! it left, newest first.

use crm_api_types::opportunities::StageChangeResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Shown;
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::format::local_datetime;
use crate::i18n::{K, stage_change_kind_key, use_i18n};

#[component]
pub fn StageHistoryPanel(shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    let api = shown.api;
    let changes = RwSignal::new(None::<Vec<StageChangeResponse>>);

    Effect::new(move |_| {
        shown.moves.track();
        let id = shown.id();
        spawn_local(async move {
            match api.stage_history(id).await {
                Ok(mut all) => {
                    all.sort_by_key(|c| std::cmp::Reverse(c.changed_at));
                    changes.set(Some(all));
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let entry = move |change: StageChangeResponse| {
        let kind = change.kind;
        let stay = change.seconds_in_previous;
        let from = change.from_stage_name.clone();
        view! {
            <li class="timeline-item" data-testid="stage-change" data-kind=kind.as_str()>
                <div class="timeline-head">
                    <span class="badge badge-blue">{move || i18n.t(stage_change_kind_key(kind))}</span>
                    <span class="timeline-actor">
                        {from.map(|f| view! { <span class="change-old">{f}</span><span class="change-arrow">" → "</span> })}
                        <span class="change-new">{change.to_stage_name.clone()}</span>
                    </span>
                </div>
                <p class="activity-meta">
                    {format!("{} · {} · {}%", local_datetime(&change.changed_at), change.changed_by_name, change.probability)}
                </p>
                {stay.map(|seconds| view! {
                    <p class="activity-meta" data-testid="stage-change-stay">
                        <span class="meta-label">{i18n.tr(K::TimeInPrevious)}</span>
                        {move || i18n.duration(seconds)}
                    </p>
                })}
                {change.note.map(|note| view! { <p class="activity-notes">{note}</p> })}
            </li>
        }
    };

    let body = move || {
        match changes.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(all) if all.is_empty() => {
            view! { <p class="panel-empty muted">{i18n.tr(K::HistoryEmpty)}</p> }.into_any()
        }
        Some(all) => view! {
            <ol class="timeline" data-testid="stage-history-list">{all.into_iter().map(entry).collect_view()}</ol>
        }
        .into_any(),
    }
    };

    view! {
        <section class="card" aria-labelledby="stage-history-title" data-testid="stage-history">
            <h2 class="card-title" id="stage-history-title">
                <Icon name=IconName::Clock/>
                <span>{i18n.tr(K::StageHistory)}</span>
            </h2>
            {body}
        </section>
    }
}
