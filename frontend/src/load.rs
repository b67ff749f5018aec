//! What a page knows about the record it shows.

#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Loaded(T),
    NotFound,
    Failed,
}

/// The `:id` route parameter, if it is a UUID.
pub fn id_param() -> leptos::prelude::Memo<Option<uuid::Uuid>> {
    use leptos::prelude::*;
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| uuid::Uuid::parse_str(&id).ok())
    })
}
