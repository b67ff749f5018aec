//! The create and edit pages of a record's form (`/…/new`, `/…/{id}/edit`): who may open
//! them, which record, what the form shows while the record loads or when it is not there,
//! and what a failed save shows.

use std::future::Future;

use crm_api_types::FieldError;
use crm_api_types::identity::Permission;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use uuid::Uuid;

use crate::api::{Api, ApiError, Versioned};
use crate::auth::use_session;
use crate::components::form_field::{FormErrors, scroll_to_testid};
use crate::components::page_state::{NoPermission, RecordNotFound};
use crate::components::table::Spinner;
use crate::i18n::K;
use crate::load::id_param;

/// Where a form belongs: who may use it and where 返回 leads.
#[derive(Debug, Clone, Copy)]
pub struct EditorHome {
    permission: Permission,
    /// The list of such records (返回 from one that is not there).
    list_href: &'static str,
    list_label: K,
    /// Where to go without the permission.
    denied_href: &'static str,
    denied_label: K,
    /// Why the record is not there.
    not_found: K,
    not_found_testid: &'static str,
}

impl EditorHome {
    /// Back to `list_href` (which the permission also opens) from every notice.
    pub const fn new(
        permission: Permission,
        list_href: &'static str,
        list_label: K,
        not_found: K,
    ) -> Self {
        Self {
            permission,
            list_href,
            list_label,
            denied_href: list_href,
            denied_label: list_label,
            not_found,
            not_found_testid: "record-not-found",
        }
    }

    /// Without the permission the list does not open either: back somewhere else.
    pub const fn denied_to(self, href: &'static str, label: K) -> Self {
        Self {
            denied_href: href,
            denied_label: label,
            ..self
        }
    }

    pub const fn not_found_testid(self, testid: &'static str) -> Self {
        Self {
            not_found_testid: testid,
            ..self
        }
    }

    /// What the form shows instead of itself until it is `Ready`: a spinner, or the notice
    /// that the record is not there.
    pub fn notice(self, state: LoadState) -> Option<AnyView> {
        match state {
            LoadState::Ready => None,
            LoadState::Loading => {
                Some(view! { <div class="card"><Spinner label=true/></div> }.into_any())
            }
            LoadState::NotFound => Some(self.not_found().into_any()),
        }
    }

    fn not_found(self) -> impl IntoView {
        view! {
            <RecordNotFound hint=self.not_found back_href=self.list_href back_label=self.list_label testid=self.not_found_testid/>
        }
    }
}

/// Whether the form has its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadState {
    Loading,
    Ready,
    NotFound,
}

impl LoadState {
    /// A new record's form is ready at once; an existing one's once the record is loaded.
    pub fn initial(id: Option<Uuid>) -> Self {
        if id.is_some() {
            Self::Loading
        } else {
            Self::Ready
        }
    }

    /// After a failed load: the record is not there (and anything but a 404 is reported).
    pub fn failed(api: Api, error: &ApiError) -> Self {
        if !error.is_not_found() {
            api.report(error);
        }
        Self::NotFound
    }
}

/// An existing record's form: the record as loaded (its version goes back in `If-Match`),
/// whether it is there yet, and whether a save found it changed meanwhile (412).
#[derive(Debug)]
pub struct Editing<T: Send + Sync + 'static> {
    pub loaded: RwSignal<Option<Versioned<T>>>,
    pub state: RwSignal<LoadState>,
    pub stale: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for Editing<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Editing<T> {}

impl<T: Send + Sync + 'static> Editing<T> {
    /// `id`: the record being edited; `None` for a new one (ready at once).
    pub fn new(id: Option<Uuid>) -> Self {
        Self {
            loaded: RwSignal::new(None),
            state: RwSignal::new(LoadState::initial(id)),
            stale: RwSignal::new(false),
        }
    }

    /// Fetches the record (again, after the stale warning) and puts it into the form with
    /// `fill`; the form starts over without errors or warning.
    pub fn load<Fut>(
        self,
        api: Api,
        id: Option<Uuid>,
        errors: FormErrors,
        fetch: impl FnOnce(Uuid) -> Fut,
        fill: impl Fn(&T) + 'static,
    ) where
        Fut: Future<Output = Result<Versioned<T>, ApiError>> + 'static,
    {
        let Some(id) = id else { return };
        let found = fetch(id);
        spawn_local(async move {
            match found.await {
                Ok(found) => {
                    fill(&found.value);
                    self.loaded.set(Some(found));
                    errors.clear();
                    self.stale.set(false);
                    self.state.set(LoadState::Ready);
                }
                Err(error) => self.state.set(LoadState::failed(api, &error)),
            }
        });
    }

    /// After a failed save: a record changed meanwhile shows the stale warning; else `shown`
    /// (the error's field errors, line ones as the grid's rows) go under the form's `fields`
    /// and its lines, and an error the form has no place for is reported too.
    pub fn failed(
        self,
        api: Api,
        error: &ApiError,
        shown: Vec<FieldError>,
        fields: &[&str],
        errors: FormErrors,
    ) {
        if error.is_stale() {
            self.stale.set(true);
            scroll_to_testid("stale-warning");
            return;
        }
        let all_shown = !shown.is_empty()
            && shown
                .iter()
                .all(|e| fields.contains(&e.field.as_str()) || e.field.starts_with("lines["));
        errors.set(shown);
        if !all_shown {
            api.report(error);
        }
    }
}

/// Whether a PATCH body says nothing: serializing skips every absent field.
pub fn is_empty_update(update: &impl Serialize) -> bool {
    serde_json::to_value(update).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
}

/// The page around a form: [`NoPermission`] without `home`'s permission; else `form` with the
/// record's id from the route (`edit`, a `/…/{id}/edit` page) or `None` (a new record).
#[component]
pub fn EditorPage<F, V>(home: EditorHome, #[prop(optional)] edit: bool, form: F) -> impl IntoView
where
    F: Fn(Option<Uuid>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = use_session();
    let id = edit.then(id_param);
    move || {
        if !session.can(home.permission) {
            return view! { <NoPermission back_href=home.denied_href back_label=home.denied_label/> }
                .into_any();
        }
        match id.map(|id| id.get()) {
            None => form(None).into_any(),
            Some(Some(id)) => form(Some(id)).into_any(),
            Some(None) => view! { <div class="page">{home.not_found()}</div> }.into_any(),
        }
    }
}
