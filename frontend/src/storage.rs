//! `localStorage`, where the refresh token and the UI language survive reloads.
//! Storage can be unavailable (private mode, disabled by policy): then nothing is remembered
//! and the app still works for the current page load.

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        // A full or blocked storage only costs persistence.
        let _ = storage.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
