//! The follow-up timeline (跟进记录) of a lead, a customer or an opportunity, newest first, with
//! the form to log one. A customer's timeline also holds what was logged on the leads converted
//! into it and on its opportunities.

use crm_api_types::activities::{ActivityListQuery, ActivityResponse};
use crm_api_types::customers::ContactResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::activity_form::{ActivityForm, Subject};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::table::Spinner;
use crate::format::local_datetime;
use crate::i18n::{K, activity_kind_key, use_i18n};

const PAGE_SIZE: u32 = 20;
/// The built-in role that may delete anybody's follow-ups.
const ADMIN_ROLE: &str = "admin";

#[component]
pub fn ActivityPanel(
    subject: Subject,
    /// The customer's contacts (empty for a lead): to tick in the form and to name in entries.
    #[prop(into)]
    contacts: Signal<Vec<ContactResponse>>,
    #[prop(into)] can_log: Signal<bool>,
    /// Told after a follow-up is logged: the first one on a new lead changes its status.
    #[prop(optional)]
    on_logged: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let items = RwSignal::new(Vec::<ActivityResponse>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let writing = RwSignal::new(false);
    let deleting = RwSignal::new(None::<ActivityResponse>);
    let busy = RwSignal::new(false);

    let fetch = move |cursor: Option<String>| {
        let append = cursor.is_some();
        let (lead_id, customer_id, opportunity_id) = subject.ids();
        let query = ActivityListQuery {
            limit: Some(PAGE_SIZE),
            cursor,
            lead_id,
            customer_id,
            opportunity_id,
        };
        loading.set(true);
        spawn_local(async move {
            let result = api.list_activities(&query).await;
            loading.set(false);
            match result {
                Ok(page) => {
                    next_cursor.set(page.next_cursor);
                    if append {
                        items.update(|all| all.extend(page.items));
                    } else {
                        items.set(page.items);
                    }
                }
                Err(error) => api.report(&error),
            }
        });
    };
    fetch(None);

    let logged = Callback::new(move |_: ActivityResponse| {
        writing.set(false);
        api.toasts.success(api.i18n.t(K::ActivityLogged));
        fetch(None);
        if let Some(on_logged) = on_logged {
            on_logged.run(());
        }
    });

    let on_delete = Callback::new(move |()| {
        let Some(activity) = deleting.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let result = api.delete_activity(activity.id).await;
            busy.set(false);
            deleting.set(None);
            match result {
                Ok(()) => {
                    items.update(|all| all.retain(|a| a.id != activity.id));
                    api.toasts.success(api.i18n.t(K::ActivityDeleted));
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let body = move || {
        if loading.get() && items.with(Vec::is_empty) {
            return view! { <Spinner/> }.into_any();
        }
        if items.with(Vec::is_empty) {
            return view! { <p class="panel-empty muted" data-testid="activities-empty">{i18n.tr(K::ActivitiesEmpty)}</p> }
                .into_any();
        }
        view! {
            <ol class="timeline" data-testid="activity-timeline">
                {move || items.get().into_iter().map(|activity| view! {
                    <ActivityEntry activity subject contacts deleting/>
                }).collect_view()}
            </ol>
        }
        .into_any()
    };

    view! {
        <section class="card" aria-labelledby="activities-title" data-testid="activity-panel">
            <h2 class="card-title" id="activities-title">
                <Icon name=IconName::Chat/>
                <span>{i18n.tr(K::Activities)}</span>
                <span class="toolbar-spacer"></span>
                <Show when=move || can_log.get() && !writing.get()>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="activity-new" on:click=move |_| writing.set(true)>
                        <Icon name=IconName::Plus/>
                        <span>{i18n.tr(K::LogActivity)}</span>
                    </button>
                </Show>
            </h2>
            <Show when=move || writing.get()>
                <ActivityForm subject contacts on_logged=logged on_cancel=Callback::new(move |()| writing.set(false))/>
            </Show>
            {body}
            <Show when=move || next_cursor.with(Option::is_some)>
                <footer class="pager">
                    <button
                        type="button"
                        class="btn btn-secondary btn-sm"
                        data-testid="activities-more"
                        disabled=move || loading.get()
                        on:click=move |_| fetch(next_cursor.get_untracked())
                    >
                        {i18n.tr(K::LoadMore)}
                    </button>
                </footer>
            </Show>
            <Show when=move || deleting.with(Option::is_some)>
                <ConfirmDialog
                    title=K::DeleteActivity
                    message=Signal::derive(move || i18n.t(K::DeleteActivityConfirm).to_owned())
                    busy
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| deleting.set(None))
                />
            </Show>
        </section>
    }
}

#[component]
fn ActivityEntry(
    activity: ActivityResponse,
    subject: Subject,
    contacts: Signal<Vec<ContactResponse>>,
    deleting: RwSignal<Option<ActivityResponse>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let kind = activity.kind;
    let author = activity.created_by;
    let may_delete = move || {
        session
            .me()
            .is_some_and(|me| me.user.id == author || me.user.role_key == ADMIN_ROLE)
    };
    let ids = activity.contact_ids.clone();
    let names = move || {
        let names: Vec<String> = contacts.with(|all| {
            all.iter()
                .filter(|c| ids.contains(&c.id))
                .map(|c| c.name.clone())
                .collect()
        });
        (!names.is_empty()).then(|| names.join("、"))
    };
    // On a customer's timeline, what was logged while it was still a lead says so.
    let from_lead = match subject {
        Subject::Customer(_) => activity.lead_id,
        Subject::Lead(_) | Subject::Opportunity(_) => None,
    };
    let next = activity.next_follow_up_on.map(|d| d.to_string());
    let to_delete = activity.clone();
    view! {
        <li class="timeline-item" data-testid="activity-entry" data-id=activity.id.to_string()>
            <div class="timeline-head">
                <span class="badge badge-blue">{move || i18n.t(activity_kind_key(kind))}</span>
                <span class="timeline-actor">{activity.subject.clone()}</span>
                <Show when=may_delete>
                    <button
                        type="button"
                        class="btn btn-link btn-link-danger btn-sm entry-action"
                        data-testid="activity-delete"
                        on:click={
                            let to_delete = to_delete.clone();
                            move |_| deleting.set(Some(to_delete.clone()))
                        }
                    >
                        {i18n.tr(K::Delete)}
                    </button>
                </Show>
                <time class="timeline-time" datetime=activity.occurred_at.to_rfc3339()>
                    {format!("{} · {}", local_datetime(&activity.occurred_at), activity.created_by_name)}
                </time>
            </div>
            {activity.outcome.map(|outcome| view! {
                <p class="activity-outcome">
                    <span class="meta-label">{i18n.tr(K::FieldOutcome)}</span>
                    {outcome}
                </p>
            })}
            {activity.notes.map(|notes| view! { <p class="activity-notes">{notes}</p> })}
            {move || names().map(|names| view! {
                <p class="activity-meta"><span class="meta-label">{i18n.tr(K::FieldContacts)}</span>{names}</p>
            })}
            {next.map(|date| view! {
                <p class="activity-meta" data-testid="activity-next">{move || i18n.next_follow_up(&date)}</p>
            })}
            {from_lead.map(|lead| view! {
                <a class="activity-meta" href=format!("/leads/{lead}")>{i18n.tr(K::FromLead)}</a>
            })}
        </li>
    }
}
