//! A report's own grouping (`?group_by=`: by owner, source, month, product…): read from the
//! URL, written back (left out when it is the default), and chosen with segments in the
//! filter bar.

use leptos::prelude::*;

use crate::i18n::{K, use_i18n};

/// The grouping `value` names among `options` (as `name` spells them); the default otherwise.
pub(super) fn grouping_of<G: Copy + Default>(
    value: Option<String>,
    options: &[G],
    name: fn(G) -> &'static str,
) -> G {
    value
        .and_then(|value| options.iter().copied().find(|g| name(*g) == value))
        .unwrap_or_default()
}

/// The URL's `group_by`: left out for the default grouping.
pub(super) fn grouping_pair<G: PartialEq + Default>(
    grouping: G,
    name: fn(G) -> &'static str,
) -> (&'static str, Option<String>) {
    let named = (grouping != G::default()).then(|| name(grouping).to_owned());
    ("group_by", named)
}

/// The segments, one per option; `testid` names them (`{testid}-by`, and each
/// `{testid}-{name}`).
#[component]
pub(super) fn GroupingSegments<G>(
    options: &'static [G],
    #[prop(into)] chosen: Signal<G>,
    name: fn(G) -> &'static str,
    label: fn(G) -> K,
    testid: &'static str,
    on_change: Callback<G>,
) -> impl IntoView
where
    G: Copy + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let segment = move |grouping: G| {
        let active = move || chosen.get() == grouping;
        view! {
            <button
                type="button"
                class="segment"
                class:active=active
                aria-pressed=move || if active() { "true" } else { "false" }
                data-testid=format!("{testid}-{}", name(grouping))
                on:click=move |_| on_change.run(grouping)
            >
                {i18n.tr(label(grouping))}
            </button>
        }
    };
    view! {
        <span class="filter-label" aria-hidden="true">{i18n.tr(K::WinRateGroupBy)}</span>
        <div class="segments" role="group" aria-label=i18n.tr(K::WinRateGroupBy) data-testid=format!("{testid}-by")>
            {options.iter().copied().map(segment).collect_view()}
        </div>
    }
}
