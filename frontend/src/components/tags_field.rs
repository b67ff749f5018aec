//! A list of short labels, typed one by one: Enter (or a comma) adds, × removes.

use leptos::prelude::*;

use crate::components::form_field::{Field, FormErrors};
use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, use_i18n};

/// The API's limits: at most 20 tags of at most 20 characters.
const MAX_TAGS: usize = 20;
const MAX_CHARS: usize = 20;

#[component]
pub fn TagsField(
    label: K,
    name: &'static str,
    prefix: &'static str,
    value: RwSignal<Vec<String>>,
    errors: FormErrors,
    #[prop(optional)] wide: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("{prefix}-{name}");
    let draft = RwSignal::new(String::new());

    // Adds what is typed, unless it is blank, too long or already there.
    let commit = move || {
        let text = draft.get_untracked();
        let tag = text.trim().trim_matches([',', '，']).trim().to_owned();
        draft.set(String::new());
        if tag.is_empty() || tag.chars().count() > MAX_CHARS {
            return;
        }
        value.update(|tags| {
            if !tags.contains(&tag) && tags.len() < MAX_TAGS {
                tags.push(tag);
            }
        });
    };

    let chips = move || {
        value
            .get()
            .into_iter()
            .map(|tag| {
                let removed = tag.clone();
                view! {
                    <span class="tag-chip" data-testid="tag-chip">
                        {tag}
                        <button
                            type="button"
                            class="tag-remove"
                            data-testid="tag-remove"
                            aria-label=i18n.tr(K::RemoveTag)
                            on:click=move |_| value.update(|tags| tags.retain(|t| *t != removed))
                        >
                            <Icon name=IconName::Close/>
                        </button>
                    </span>
                }
            })
            .collect_view()
    };

    view! {
        <Field label name input_id=input_id.clone() errors wide>
            <div class="tags-input input">
                {chips}
                <input
                    id=input_id.clone()
                    data-testid=input_id.clone()
                    class="tags-draft"
                    autocomplete="off"
                    maxlength=MAX_CHARS.to_string()
                    placeholder=i18n.tr(K::TagsPlaceholder)
                    prop:value=move || draft.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let ends_list = text.ends_with([',', '，']);
                        draft.set(text);
                        if ends_list {
                            commit();
                        }
                    }
                    on:keydown=move |ev| match ev.key().as_str() {
                        "Enter" => {
                            ev.prevent_default();
                            commit();
                        }
                        "Backspace" if draft.with_untracked(String::is_empty) => {
                            value.update(|tags| {
                                tags.pop();
                            });
                        }
                        _ => {}
                    }
                    on:blur=move |_| commit()
                />
            </div>
        </Field>
    }
}
