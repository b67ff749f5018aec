//! Labelled form fields that show the API's per-field errors under themselves.
//!
//! Inputs get `id` and `data-testid` `<prefix>-<api field name>` (e.g. `lead-email`); the error
//! under a field is `data-testid="error-<api field name>"`, so tests and the API agree on names.

use crm_api_types::FieldError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::i18n::{K, use_i18n};

/// The currencies a document is entered in.
pub const CURRENCIES: [&str; 4] = ["CNY", "USD", "EUR", "HKD"];

/// A currency select's options: [`CURRENCIES`], and `current` too when a record loaded in
/// another one.
pub fn currency_options(current: RwSignal<String>) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let mut options: Vec<(String, String)> = CURRENCIES
            .iter()
            .map(|c| ((*c).to_owned(), (*c).to_owned()))
            .collect();
        let current = current.get();
        if !options.iter().any(|(c, _)| *c == current) {
            options.push((current.clone(), current));
        }
        options
    })
}

/// The field errors of one form, by API field name.
#[derive(Debug, Clone, Copy)]
pub struct FormErrors(RwSignal<Vec<FieldError>>);

impl FormErrors {
    pub fn new() -> Self {
        Self(RwSignal::new(Vec::new()))
    }

    pub fn clear(self) {
        self.0.set(Vec::new());
    }

    pub fn set(self, errors: Vec<FieldError>) {
        let any = !errors.is_empty();
        self.0.set(errors);
        if any {
            focus_first_error();
        }
    }

    /// Shows `errors` without moving focus: for checks that run while the user types (an
    /// editor's live preview), where jumping to the first error would get in the way.
    pub fn set_quietly(self, errors: Vec<FieldError>) {
        if self.0.with_untracked(|current| *current != errors) {
            self.0.set(errors);
        }
    }

    /// Adds a client-side error (e.g. a required select), replacing any for the same field.
    pub fn push(self, field: &str, message: &str) {
        self.0.update(|errors| {
            errors.retain(|e| e.field != field);
            errors.push(FieldError {
                field: field.to_owned(),
                code: "required".to_owned(),
                message: message.to_owned(),
            });
        });
        focus_first_error();
    }

    pub fn is_empty(self) -> bool {
        self.0.with_untracked(Vec::is_empty)
    }

    /// The message for `field` (tracked).
    pub fn message(self, field: &str) -> Option<String> {
        self.0.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    }

    /// The first message for `prefix` or a field below it (`lines[2]` → `lines[2].quantity`).
    pub fn message_under(self, prefix: &str) -> Option<String> {
        self.0.with(|errors| {
            errors
                .iter()
                .find(|e| {
                    e.field == prefix
                        || e.field
                            .strip_prefix(prefix)
                            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
                })
                .map(|e| e.message.clone())
        })
    }

    /// Every error for `prefix` or a field below it, in order (tracked).
    pub fn all_under(self, prefix: &str) -> Vec<FieldError> {
        self.0.with(|errors| {
            errors
                .iter()
                .filter(|e| {
                    e.field == prefix
                        || e.field
                            .strip_prefix(prefix)
                            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
                })
                .cloned()
                .collect()
        })
    }

    /// Puts an API error's field errors under the form's fields. Returns `true` when every
    /// field error found a field; otherwise the caller should also show a toast.
    pub fn absorb(self, error: &ApiError, known_fields: &[&str]) -> bool {
        let field_errors = error.field_errors().to_vec();
        let all_known = !field_errors.is_empty()
            && field_errors
                .iter()
                .all(|e| known_fields.contains(&e.field.as_str()));
        self.set(field_errors);
        all_known
    }
}

impl Default for FormErrors {
    fn default() -> Self {
        Self::new()
    }
}

/// Moves focus, and so the scroll position, to the first field marked invalid once it is drawn.
fn focus_first_error() {
    request_animation_frame(|| {
        let first = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("[aria-invalid=\"true\"]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = first {
            // Focus can fail on a detached element; then there is nothing to move to.
            let _ = element.focus();
        }
    });
}

/// A label, the control (children), an optional hint and the field's error.
#[component]
pub fn Field(
    label: K,
    /// The API field name: which error to show.
    name: &'static str,
    /// The control's element id, for `<label for>`.
    input_id: String,
    errors: FormErrors,
    #[prop(optional)] required: bool,
    #[prop(optional_no_strip)] hint: Option<K>,
    /// Spans both columns of a two-column form.
    #[prop(optional)]
    wide: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{input_id}-error");
    let has_error = move || errors.message(name).is_some();
    view! {
        <div class="field" class:field-wide=wide class:has-error=has_error>
            <label class="field-label" for=input_id>
                {i18n.tr(label)}
                {required.then(|| view! {
                    <span class="required-mark" title=i18n.tr(K::Required)>"*"</span>
                })}
            </label>
            {children()}
            {hint.map(|hint| view! { <p class="field-hint">{i18n.tr(hint)}</p> })}
            {move || errors.message(name).map(|message| view! {
                <p class="field-error" id=error_id.clone() data-testid=format!("error-{name}")>
                    {message}
                </p>
            })}
        </div>
    }
}

fn control_attrs(
    errors: FormErrors,
    name: &'static str,
    input_id: &str,
) -> (
    impl Fn() -> &'static str + Send + Sync + 'static,
    impl Fn() -> Option<String> + Send + Sync + 'static,
) {
    let error_id = format!("{input_id}-error");
    let invalid = move || {
        if errors.message(name).is_some() {
            "true"
        } else {
            "false"
        }
    };
    let described = move || errors.message(name).map(|_| error_id.clone());
    (invalid, described)
}

/// A single-line text input bound to `value`.
#[component]
pub fn TextField(
    label: K,
    name: &'static str,
    /// Test id and element id prefix, e.g. `lead` → `lead-email`.
    prefix: &'static str,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] placeholder: Option<K>,
    /// A placeholder that is the same in every language (phone number formats).
    #[prop(optional)]
    example: Option<&'static str>,
    #[prop(optional_no_strip)] hint: Option<K>,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] wide: bool,
    #[prop(optional)] autofocus: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("{prefix}-{name}");
    let (invalid, described) = control_attrs(errors, name, &input_id);
    view! {
        <Field label name input_id=input_id.clone() errors required hint=hint wide>
            <input
                class="input"
                id=input_id.clone()
                name=name
                type=input_type
                data-testid=input_id.clone()
                autocomplete=autocomplete
                autofocus=autofocus
                placeholder=move || placeholder.map(|k| i18n.t(k)).or(example)
                aria-required=if required { "true" } else { "false" }
                aria-invalid=invalid
                aria-describedby=described
                disabled=move || disabled.get()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                // Autofill and scripted edits may fire only `change`.
                on:change=move |ev| value.set(event_target_value(&ev))
            />
        </Field>
    }
}

/// A multi-line text input bound to `value`.
#[component]
pub fn TextAreaField(
    label: K,
    name: &'static str,
    prefix: &'static str,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(optional)] wide: bool,
    #[prop(optional_no_strip)] hint: Option<K>,
) -> impl IntoView {
    let input_id = format!("{prefix}-{name}");
    let (invalid, described) = control_attrs(errors, name, &input_id);
    view! {
        <Field label name input_id=input_id.clone() errors wide hint=hint>
            <textarea
                class="input textarea"
                id=input_id.clone()
                name=name
                rows="4"
                data-testid=input_id.clone()
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:change=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        </Field>
    }
}

/// A select bound to `value` (the option's value string; `""` = nothing chosen).
#[component]
pub fn SelectField(
    label: K,
    name: &'static str,
    prefix: &'static str,
    value: RwSignal<String>,
    errors: FormErrors,
    /// `(value, label)` pairs; reactive so labels follow the language.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The label of the empty choice; `None` = no empty choice.
    #[prop(optional)]
    empty_label: Option<K>,
    #[prop(optional)] required: bool,
    #[prop(optional_no_strip)] hint: Option<K>,
    #[prop(optional)] wide: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("{prefix}-{name}");
    let (invalid, described) = control_attrs(errors, name, &input_id);
    view! {
        <Field label name input_id=input_id.clone() errors required hint=hint wide>
            <select
                class="input select"
                id=input_id.clone()
                name=name
                data-testid=input_id.clone()
                aria-required=if required { "true" } else { "false" }
                aria-invalid=invalid
                aria-describedby=described
                disabled=move || disabled.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {empty_label.map(|k| view! {
                    <option value="" prop:selected=move || value.get().is_empty()>{i18n.tr(k)}</option>
                })}
                {move || options.get().into_iter().map(|(v, text)| {
                    let selected_v = v.clone();
                    view! { <option value=v prop:selected=move || value.get() == selected_v>{text}</option> }
                }).collect_view()}
            </select>
        </Field>
    }
}

/// Brings a just-shown notice into view (the save button may be far below it).
pub fn scroll_to_testid(testid: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
            d.query_selector(&format!("[data-testid=\"{testid}\"]"))
                .ok()
                .flatten()
        }) {
            element.scroll_into_view();
        }
    });
}
