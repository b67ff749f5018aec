//! Pieces of data tables: sortable headers, loading skeletons, empty states, spinners.

use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, use_i18n};

/// A column header that sorts by `field`; `sort` is the API's `sort` value (`-created_at`).
/// A first click sorts dates newest first and text A→Z; a second click reverses.
#[component]
pub fn SortHeader(
    label: K,
    field: &'static str,
    #[prop(into)] sort: Signal<String>,
    on_sort: Callback<String>,
    #[prop(optional)] descending_first: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = move || {
        let sort = sort.get();
        if sort == field {
            Some(false)
        } else if sort.strip_prefix('-') == Some(field) {
            Some(true)
        } else {
            None
        }
    };
    let aria_sort = move || match state() {
        Some(false) => "ascending",
        Some(true) => "descending",
        None => "none",
    };
    let next = move || match state() {
        Some(true) => field.to_owned(),
        Some(false) => format!("-{field}"),
        None if descending_first => format!("-{field}"),
        None => field.to_owned(),
    };
    let arrow = move || match state() {
        Some(false) => "▲",
        Some(true) => "▼",
        None => "↕",
    };
    view! {
        <th scope="col" aria-sort=aria_sort class:sorted=move || state().is_some()>
            <button
                type="button"
                class="th-sort"
                data-testid=format!("sort-{field}")
                on:click=move |_| on_sort.run(next())
            >
                {i18n.tr(label)}
                <span class="sort-arrow" aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

/// Grey placeholder rows while the first page loads.
#[component]
pub fn SkeletonRows(cols: usize, #[prop(default = 8)] rows: usize) -> impl IntoView {
    (0..rows)
        .map(|row| {
            view! {
                <tr class="skeleton-row" aria-hidden="true">
                    {(0..cols).map(|col| {
                        // Varying widths look like text rather than a grid of bars.
                        let width = 40 + ((row * 7 + col * 13) % 5) * 12;
                        view! { <td><span class="skeleton" style=format!("width: {width}%")></span></td> }
                    }).collect_view()}
                </tr>
            }
        })
        .collect_view()
}

/// The rows of a list (roles, API keys, webhooks; with [`crate::components::paged::Paged`] a
/// list read a page at a time too): skeleton rows while it first loads, the empty state
/// across every column when there is nothing, else `children` (the rows).
#[component]
pub fn ListBody(
    #[prop(into)] loading: Signal<bool>,
    #[prop(into)] empty: Signal<bool>,
    cols: usize,
    #[prop(default = 5)] skeleton_rows: usize,
    icon: IconName,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] hint: Signal<String>,
    #[prop(default = "empty-state")] empty_testid: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    move || {
        if loading.get() && empty.get() {
            view! { <SkeletonRows cols rows=skeleton_rows/> }.into_any()
        } else if empty.get() {
            view! {
                <tr class="empty-row">
                    <td colspan=cols.to_string()>
                        <EmptyState icon title hint testid=empty_testid/>
                    </td>
                </tr>
            }
            .into_any()
        } else {
            children().into_any()
        }
    }
}

/// A friendly block for "nothing here" (no data, no match, no permission, coming soon).
#[component]
pub fn EmptyState(
    icon: IconName,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] hint: Signal<String>,
    #[prop(default = "empty-state")] testid: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty-state" data-testid=testid>
            <span class="empty-icon"><Icon name=icon/></span>
            <h3>{move || title.get()}</h3>
            <p>{move || hint.get()}</p>
            {children.map(|c| view! { <div class="empty-actions">{c()}</div> })}
        </div>
    }
}

#[component]
pub fn Spinner(#[prop(optional)] label: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="spinner-wrap" role="status" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            {if label {
                view! { <span class="spinner-label">{i18n.tr(K::Loading)}</span> }.into_any()
            } else {
                view! { <span class="visually-hidden">{i18n.tr(K::Loading)}</span> }.into_any()
            }}
        </div>
    }
}
