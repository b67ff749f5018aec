//! The events an endpoint subscribes to: 全部事件 (`*`, including ones added later), or a
//! checkbox per event of the catalogue, grouped by the kind of record it is about.

use crm_api_types::FieldError;
use crm_api_types::webhooks::EventTypeResponse;
use leptos::prelude::*;

use crate::components::form_field::{Field, FormErrors};
use crate::i18n::{K, event_group_key, use_i18n};

/// The subscription to every event.
pub const ALL_EVENTS: &str = "*";

/// The catalogue's events by subject kind, in catalogue order.
fn groups(catalogue: &[EventTypeResponse]) -> Vec<(String, Vec<EventTypeResponse>)> {
    let mut groups: Vec<(String, Vec<EventTypeResponse>)> = Vec::new();
    for event in catalogue {
        match groups
            .iter_mut()
            .find(|(kind, _)| *kind == event.subject_kind)
        {
            Some((_, events)) => events.push(event.clone()),
            None => groups.push((event.subject_kind.clone(), vec![event.clone()])),
        }
    }
    groups
}

/// The chosen events in catalogue order (the server keeps them as sent); `*` alone when it
/// is chosen.
pub fn chosen_events(value: &[String], catalogue: &[EventTypeResponse]) -> Vec<String> {
    if value.iter().any(|e| e == ALL_EVENTS) {
        return vec![ALL_EVENTS.to_owned()];
    }
    let position = |name: &String| catalogue.iter().position(|e| e.name == *name);
    let mut chosen = value.to_vec();
    chosen.sort_by_key(|name| (position(name).unwrap_or(usize::MAX), name.clone()));
    chosen.dedup();
    chosen
}

/// Checkboxes `<prefix>-event-all` and `<prefix>-event-<name>` bound to `value`; the API's
/// `events` error goes under the label, `events[i]` ones (an unknown name) below the boxes.
#[component]
pub fn EventsField(
    prefix: &'static str,
    value: RwSignal<Vec<String>>,
    #[prop(into)] catalogue: Signal<Vec<EventTypeResponse>>,
    errors: FormErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let group_id = format!("{prefix}-events");
    let all = move || value.with(|v| v.iter().any(|e| e == ALL_EVENTS));

    let event_box = move |event: EventTypeResponse| {
        let name = StoredValue::new(event.name.clone());
        let checked = move || all() || name.with_value(|n| value.with(|v| v.contains(n)));
        view! {
            <label class="check" title=event.description.clone()>
                <input
                    type="checkbox"
                    data-testid=format!("{prefix}-event-{}", event.name)
                    prop:checked=checked
                    disabled=all
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        let name = name.get_value();
                        value.update(|v| {
                            v.retain(|e| *e != name);
                            if on {
                                v.push(name);
                            }
                        });
                    }
                />
                <code class="check-key">{event.name.clone()}</code>
            </label>
        }
    };

    let boxes = move || {
        groups(&catalogue.get())
            .into_iter()
            .map(|(kind, events)| {
                let heading = event_group_key(&kind);
                let raw = kind.clone();
                view! {
                    <div class="event-group" data-testid=format!("{prefix}-event-group-{kind}")>
                        <h4 class="event-group-title">
                            {move || heading.map_or_else(|| raw.clone(), |k| i18n.t(k).to_owned())}
                        </h4>
                        {events.into_iter().map(event_box).collect_view()}
                    </div>
                }
            })
            .collect_view()
    };

    let item_errors = move || {
        errors
            .all_under("events")
            .into_iter()
            .filter(|e| e.field != "events")
            .map(|FieldError { field, message, .. }| {
                view! { <p class="field-error" data-testid="error-events-item" data-field=field>{message}</p> }
            })
            .collect_view()
    };

    view! {
        <Field label=K::WebhookEvents name="events" input_id=group_id.clone() errors required=true wide=true hint=Some(K::WebhookEventsHint)>
            <div class="event-picker" id=group_id role="group">
                <label class="check check-all">
                    <input
                        type="checkbox"
                        data-testid=format!("{prefix}-event-all")
                        prop:checked=all
                        on:change=move |ev| {
                            if event_target_checked(&ev) {
                                value.set(vec![ALL_EVENTS.to_owned()]);
                            } else {
                                value.set(Vec::new());
                            }
                        }
                    />
                    <span class="cell-strong">{i18n.tr(K::WebhookAllEvents)}</span>
                    <code class="check-key">{ALL_EVENTS}</code>
                    <span class="cell-sub">{i18n.tr(K::WebhookAllEventsHint)}</span>
                </label>
                <div class="event-groups" class:is-disabled=all>{boxes}</div>
            </div>
            {item_errors}
        </Field>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, kind: &str) -> EventTypeResponse {
        EventTypeResponse {
            name: name.to_owned(),
            subject_kind: kind.to_owned(),
            description: String::new(),
        }
    }

    #[test]
    fn chosen_events_follow_the_catalogue_and_all_stands_alone() {
        let catalogue = [
            event("customer.created", "customer"),
            event("sales_order.confirmed", "sales_order"),
            event("customer.updated", "customer"),
        ];
        let picked = ["customer.updated", "customer.created", "customer.updated"].map(String::from);
        assert_eq!(
            chosen_events(&picked, &catalogue),
            ["customer.created", "customer.updated"]
        );
        let all = ["customer.created", ALL_EVENTS].map(String::from);
        assert_eq!(chosen_events(&all, &catalogue), [ALL_EVENTS]);
        let groups = groups(&catalogue);
        assert_eq!(groups.len(), 2, "grouped by kind in catalogue order");
        assert_eq!(groups[0].0, "customer");
        assert_eq!(groups[0].1.len(), 2);
    }
}
