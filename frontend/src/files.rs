//! Handing a downloaded file to the browser. Downloads need the access token, so a plain link
//! cannot fetch them: the bytes become a Blob, the Blob an object URL, and a clicked
//! `<a download>` saves it under the server's file name.

use std::time::Duration;

use leptos::prelude::set_timeout;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::Download;

/// How long the object URL lives: revoking it at once may cancel the save in some browsers.
const URL_LIFETIME: Duration = Duration::from_secs(60);

/// An object URL of `download`'s bytes, for an `<iframe>` or `<img>` (a PDF preview, the
/// logo): the page cannot load them by address, which needs the token. Give it back with
/// [`revoke`] once nothing shows it.
pub fn object_url(download: &Download) -> Result<String, JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(download.bytes.as_slice()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&download.content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    web_sys::Url::create_object_url_with_blob(&blob)
}

pub fn revoke(url: &str) {
    // A URL already gone needs no revoking.
    let _ = web_sys::Url::revoke_object_url(url);
}

/// Saves `download` as the server named it, else as `fallback_name`.
pub fn save(download: &Download, fallback_name: &str) -> Result<(), JsValue> {
    let url = object_url(download)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(download.file_name.as_deref().unwrap_or(fallback_name));
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    set_timeout(move || revoke(&url), URL_LIFETIME);
    Ok(())
}
