//! What a role or an API key may do: the permission checkboxes and the data scope choices.

use crm_api_types::identity::{DataScope, Permission};
use leptos::prelude::*;

use crate::components::form_field::{Field, FormErrors};
use crate::i18n::{I18n, K, permission_key, scope_key, use_i18n};

/// A checkbox per permission, bound to `value`, with the API's `permissions` error under it.
/// Checkboxes get `data-testid` `<prefix>-permission-<key>` (e.g. `role-permission-lead.read`).
#[component]
pub fn PermissionsField(
    label: K,
    prefix: &'static str,
    value: RwSignal<Vec<Permission>>,
    errors: FormErrors,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let group_id = format!("{prefix}-permissions");
    let checkboxes = move || {
        Permission::ALL
            .into_iter()
            .map(|p| {
                let checked = move || value.with(|ps| ps.contains(&p));
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            data-testid=format!("{prefix}-permission-{}", p.key())
                            prop:checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                value.update(|ps| {
                                    ps.retain(|x| *x != p);
                                    if on {
                                        ps.push(p);
                                    }
                                });
                            }
                        />
                        <span>{move || i18n.t(permission_key(p))}</span>
                        <code class="check-key">{p.key()}</code>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <Field label name="permissions" input_id=group_id.clone() errors required wide=true>
            <div class="check-grid" id=group_id role="group">{checkboxes}</div>
        </Field>
    }
}

/// Permissions as grey badges; past `limit`, a `+n` badge whose tooltip names the rest.
#[component]
pub fn PermissionBadges(
    permissions: Vec<Permission>,
    #[prop(default = usize::MAX)] limit: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    let rest: Vec<Permission> = permissions.iter().skip(limit).copied().collect();
    let shown: Vec<Permission> = permissions.into_iter().take(limit).collect();
    let more = (!rest.is_empty()).then(|| {
        let count = rest.len();
        let names = move || {
            rest.iter()
                .map(|p| i18n.t(permission_key(*p)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        view! { <span class="badge badge-outline" title=names>{format!("+{count}")}</span> }
    });
    view! {
        <span class="badge-list">
            {shown.into_iter().map(|p| view! {
                <span class="badge badge-gray">{move || i18n.t(permission_key(p))}</span>
            }).collect_view()}
            {more}
        </span>
    }
}

/// The data scopes as select options, labelled in the UI language.
pub fn scope_options(i18n: I18n) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        DataScope::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), i18n.t(scope_key(*s)).to_owned()))
            .collect()
    })
}

/// The scope a select's value names.
pub fn scope_of(value: &str) -> Option<DataScope> {
    DataScope::ALL.into_iter().find(|s| s.as_str() == value)
}
