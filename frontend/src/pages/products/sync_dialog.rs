//! ERP 同步 of one product: its identity in the ERP and how the last sync by that id ended.

use crm_api_types::products::ProductResponse;
use crm_api_types::sync::SyncedKind;
use leptos::prelude::*;

use crate::components::modal::Modal;
use crate::components::sync_status::{ExternalId, SyncDetails};
use crate::i18n::{K, use_i18n};

#[component]
pub fn ProductSyncDialog(product: ProductResponse, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let external = ExternalId::of(
        product.external_source.as_ref(),
        product.external_id.as_ref(),
    );
    let title = format!("{} {}", product.code, product.name);
    view! {
        <Modal title=Signal::derive(move || format!("{} · {}", i18n.t(K::ErpSync), title)) on_close testid="product-sync-dialog">
            <div class="modal-body">
                <SyncDetails kind=SyncedKind::Product record_id=product.id external/>
            </div>
        </Modal>
    }
}
