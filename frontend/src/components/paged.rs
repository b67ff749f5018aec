//! A list read a page at a time (加载更多): the rows so far, the total, the next page's cursor,
//! and the table body and pager that show them.

use std::future::Future;

use crm_api_types::Page;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError};
use crate::components::table::SkeletonRows;
use crate::i18n::{K, use_i18n};

#[derive(Debug)]
pub struct Paged<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    pub total: RwSignal<Option<u64>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    /// The latest request; an answer to an older one is dropped.
    seq: StoredValue<u64>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: Send + Sync + 'static> Paged<T> {
    /// Loading the first page.
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            total: RwSignal::new(None),
            next: RwSignal::new(None),
            loading: RwSignal::new(true),
            seq: StoredValue::new(0),
        }
    }

    /// Shows what `request` answers: the first page (`cursor` is `None`) instead of the rows,
    /// a later one after them.
    pub fn fetch(
        self,
        api: Api,
        cursor: Option<String>,
        request: impl Future<Output = Result<Page<T>, ApiError>> + 'static,
    ) {
        let n = self.seq.get_value() + 1;
        self.seq.set_value(n);
        self.loading.set(true);
        spawn_local(async move {
            let result = request.await;
            if self.seq.try_get_value() != Some(n) {
                return;
            }
            self.loading.set(false);
            match result {
                Ok(page) => {
                    if cursor.is_none() {
                        self.items.set(page.items);
                    } else {
                        self.items.update(|all| all.extend(page.items));
                    }
                    if page.total.is_some() {
                        self.total.set(page.total);
                    }
                    self.next.set(page.next_cursor);
                }
                Err(error) => api.report(&error),
            }
        });
    }

    /// The table body: skeleton rows while the first page loads, `empty` (a whole row) when
    /// there is nothing, else a row each.
    pub fn body<V: IntoView + 'static>(
        self,
        cols: usize,
        empty: impl Fn() -> AnyView,
        row: impl Fn(T) -> V,
    ) -> AnyView
    where
        T: Clone,
    {
        if self.loading.get() && self.items.with(Vec::is_empty) {
            return view! { <SkeletonRows cols rows=3/> }.into_any();
        }
        if self.items.with(Vec::is_empty) {
            return empty();
        }
        self.items
            .get()
            .into_iter()
            .map(row)
            .collect_view()
            .into_any()
    }
}

impl<T: Send + Sync + 'static> Default for Paged<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// 加载更多, while there is a next page; `on_more` gets its cursor.
#[component]
pub fn LoadMore<T: Send + Sync + 'static>(
    paged: Paged<T>,
    on_more: Callback<Option<String>>,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || paged.next.with(Option::is_some)>
            <footer class="pager">
                <button type="button" class="btn btn-secondary btn-sm" data-testid=testid disabled=move || paged.loading.get()
                    on:click=move |_| on_more.run(paged.next.get_untracked())>
                    {i18n.tr(K::LoadMore)}
                </button>
            </footer>
        </Show>
    }
}
