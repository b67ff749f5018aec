//! 我的待跟进: the caller's follow-ups due today or overdue, soonest first, each with a link to
//! its lead or customer and a button to mark it done.

use crm_api_types::activities::{TaskListQuery, TaskResponse, TaskStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::icons::{Icon, IconName};
use crate::components::table::{EmptyState, SkeletonRows};
use crate::format::local_today;
use crate::i18n::{K, use_i18n};

const PAGE_SIZE: u32 = 50;
const COLUMNS: usize = 4;

#[component]
pub(super) fn FollowUpsCard() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let tasks = RwSignal::new(Vec::<TaskResponse>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let completing = RwSignal::new(None::<Uuid>);
    // "Today" is the user's calendar day, not the server's.
    let today = local_today();

    let fetch = move |cursor: Option<String>| {
        let append = cursor.is_some();
        let query = TaskListQuery {
            limit: Some(PAGE_SIZE),
            cursor,
            status: Some(TaskStatus::Open),
            due_to: Some(today),
        };
        loading.set(true);
        spawn_local(async move {
            let result = api.list_tasks(&query).await;
            loading.set(false);
            match result {
                Ok(page) => {
                    next_cursor.set(page.next_cursor);
                    if append {
                        tasks.update(|all| all.extend(page.items));
                    } else {
                        tasks.set(page.items);
                    }
                }
                Err(error) => api.report(&error),
            }
        });
    };
    fetch(None);

    let complete = move |id: Uuid| {
        completing.set(Some(id));
        spawn_local(async move {
            let result = api.complete_task(id).await;
            completing.set(None);
            match result {
                Ok(_) => {
                    tasks.update(|all| all.retain(|t| t.id != id));
                    api.toasts.success(api.i18n.t(K::TaskCompleted));
                }
                Err(error) => api.report(&error),
            }
        });
    };

    let rows = move || {
        tasks
            .get()
            .into_iter()
            .map(|task| {
                let id = task.id;
                let overdue_days = (today - task.due_on).num_days();
                let related = task.related_name.clone().unwrap_or_default();
                let link = match (task.lead_id, task.customer_id) {
                    (_, Some(customer)) => Some(format!("/customers/{customer}")),
                    (Some(lead), None) => Some(format!("/leads/{lead}")),
                    (None, None) => None,
                };
                let due = task.due_on.to_string();
                view! {
                    <tr data-testid="task-row" data-id=id.to_string() class:row-overdue={overdue_days > 0}>
                        <td class="cell-time">
                            <span class="task-due">{due}</span>
                            {if overdue_days > 0 {
                                view! { <span class="badge badge-red" data-testid="task-overdue">{move || i18n.overdue_days(overdue_days)}</span> }.into_any()
                            } else {
                                view! { <span class="badge badge-blue" data-testid="task-today">{i18n.tr(K::DueToday)}</span> }.into_any()
                            }}
                        </td>
                        <td class="cell-strong cell-wrap" data-testid="task-subject">{task.subject}</td>
                        <td class="cell-wrap">
                            {match link {
                                Some(href) => view! { <a href=href data-testid="task-link">{related}</a> }.into_any(),
                                None => "—".into_any(),
                            }}
                        </td>
                        <td class="cell-actions">
                            <button
                                type="button"
                                class="btn btn-secondary btn-sm"
                                data-testid="task-complete"
                                disabled=move || completing.get() == Some(id)
                                on:click=move |_| complete(id)
                            >
                                <Icon name=IconName::Check/>
                                <span>{i18n.tr(K::Complete)}</span>
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };

    let body = move || {
        if loading.get() && tasks.with(Vec::is_empty) {
            view! { <SkeletonRows cols=COLUMNS rows=3/> }.into_any()
        } else if tasks.with(Vec::is_empty) {
            view! {
                <tr class="empty-row">
                    <td colspan=COLUMNS.to_string()>
                        <EmptyState
                            icon=IconName::Check
                            title=Signal::derive(move || i18n.t(K::TasksEmpty).to_owned())
                            hint=Signal::derive(move || i18n.t(K::TasksEmptyHint).to_owned())
                            testid="tasks-empty"
                        />
                    </td>
                </tr>
            }
            .into_any()
        } else {
            rows().into_any()
        }
    };

    view! {
        <section class="card" aria-labelledby="tasks-title" data-testid="my-tasks">
            <h2 class="card-title" id="tasks-title">
                <Icon name=IconName::Clock/>
                <span>{i18n.tr(K::MyTasks)}</span>
            </h2>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::FieldDueOn)}</th>
                            <th scope="col">{i18n.tr(K::FieldSubject)}</th>
                            <th scope="col">{i18n.tr(K::FieldRelated)}</th>
                            <th scope="col" class="cell-actions">{i18n.tr(K::Actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <Show when=move || next_cursor.with(Option::is_some)>
                <footer class="pager">
                    <button
                        type="button"
                        class="btn btn-secondary btn-sm"
                        data-testid="tasks-more"
                        disabled=move || loading.get()
                        on:click=move |_| fetch(next_cursor.get_untracked())
                    >
                        {i18n.tr(K::LoadMore)}
                    </button>
                </footer>
            </Show>
        </section>
    }
}
