//! Logging a follow-up (写跟进) on a lead, a customer or an opportunity.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use crm_api_types::activities::{ActivityKind, ActivityResponse, CreateActivityRequest};
use crm_api_types::customers::ContactResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{Field, FormErrors, SelectField, TextAreaField, TextField};
use crate::format::{non_blank, parse_local_datetime};
use crate::i18n::{K, activity_kind_key, use_i18n};

const FIELDS: [&str; 7] = [
    "kind",
    "subject",
    "outcome",
    "notes",
    "occurred_at",
    "next_follow_up_on",
    "contact_ids",
];

/// What a timeline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Lead(Uuid),
    Customer(Uuid),
    /// Logged on the opportunity's customer, about the opportunity.
    Opportunity(Uuid),
}

impl Subject {
    /// `(lead_id, customer_id, opportunity_id)`: exactly one is set.
    pub fn ids(self) -> (Option<Uuid>, Option<Uuid>, Option<Uuid>) {
        match self {
            Subject::Lead(id) => (Some(id), None, None),
            Subject::Customer(id) => (None, Some(id), None),
            Subject::Opportunity(id) => (None, None, Some(id)),
        }
    }
}

#[component]
pub fn ActivityForm(
    subject: Subject,
    /// The customer's contacts, to tick those who took part (empty for a lead).
    #[prop(into)]
    contacts: Signal<Vec<ContactResponse>>,
    on_logged: Callback<ActivityResponse>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let kind = RwSignal::new(ActivityKind::Call.as_str().to_owned());
    let title = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let occurred_at = RwSignal::new(String::new());
    let next_follow_up_on = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<Uuid>::new());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let kind = ActivityKind::parse(&kind.get_untracked());
        let subject_text = title.get_untracked().trim().to_owned();
        if kind.is_none() {
            errors.push("kind", i18n.t(K::ValueRequired));
        }
        if subject_text.is_empty() {
            errors.push("subject", i18n.t(K::ValueRequired));
        }
        // The browser's pickers give well-formed values or nothing; a typed-in oddity is told.
        let when = non_blank(&occurred_at.get_untracked());
        let occurred = when.as_deref().map(parse_local_datetime);
        if occurred == Some(None) {
            errors.push("occurred_at", i18n.t(K::InvalidDate));
        }
        let next = non_blank(&next_follow_up_on.get_untracked());
        let next_on = next.as_deref().map(|d| d.parse::<NaiveDate>().ok());
        if next_on == Some(None) {
            errors.push("next_follow_up_on", i18n.t(K::InvalidDate));
        }
        let Some(kind) = kind else { return };
        if !errors.is_empty() {
            return;
        }
        let (lead_id, customer_id, opportunity_id) = subject.ids();
        let request = CreateActivityRequest {
            kind,
            occurred_at: occurred.flatten(),
            subject: subject_text,
            notes: non_blank(&notes.get_untracked()),
            outcome: non_blank(&outcome.get_untracked()),
            lead_id,
            customer_id,
            opportunity_id,
            contact_ids: chosen.get_untracked().into_iter().collect(),
            next_follow_up_on: next_on.flatten(),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.create_activity(&request).await;
            saving.set(false);
            match result {
                Ok(activity) => on_logged.run(activity),
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let kind_options = Signal::derive(move || {
        ActivityKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    i18n.t(activity_kind_key(*k)).to_owned(),
                )
            })
            .collect()
    });

    let contact_boxes = move || {
        let all = contacts.get();
        (!all.is_empty()).then(|| {
            view! {
                <Field label=K::FieldContacts name="contact_ids" input_id="activity-contacts".to_owned() errors wide=true>
                    <div class="check-grid" id="activity-contacts">
                        {all.into_iter().map(|contact| {
                            let id = contact.id;
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        data-testid="activity-contact"
                                        data-id=id.to_string()
                                        prop:checked=move || chosen.with(|c| c.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| {
                                                if on {
                                                    c.insert(id);
                                                } else {
                                                    c.remove(&id);
                                                }
                                            });
                                        }
                                    />
                                    <span>{contact.name}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </Field>
            }
        })
    };

    view! {
        <form class="activity-form" novalidate=true on:submit=on_submit data-testid="activity-form">
            <div class="form-grid">
                <SelectField label=K::FieldKind name="kind" prefix="activity" value=kind errors options=kind_options required=true/>
                <TextField label=K::FieldOccurredAt name="occurred_at" prefix="activity" value=occurred_at errors input_type="datetime-local" hint=Some(K::OccurredAtHint)/>
                <TextField label=K::FieldSubject name="subject" prefix="activity" value=title errors required=true autofocus=true wide=true/>
                <TextField label=K::FieldOutcome name="outcome" prefix="activity" value=outcome errors wide=true/>
                <TextAreaField label=K::FieldNotes name="notes" prefix="activity" value=notes errors wide=true/>
                <TextField label=K::FieldNextFollowUp name="next_follow_up_on" prefix="activity" value=next_follow_up_on errors input_type="date" hint=Some(K::NextFollowUpHint)/>
                {contact_boxes}
            </div>
            <footer class="activity-form-footer">
                <button type="button" class="btn btn-secondary" data-testid="activity-cancel" on:click=move |_| on_cancel.run(())>
                    {i18n.tr(K::Cancel)}
                </button>
                <button type="submit" class="btn btn-primary" data-testid="activity-submit" disabled=move || saving.get()>
                    {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                </button>
            </footer>
        </form>
    }
}
