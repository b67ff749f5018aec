//! The CRM's browser app: a Leptos single-page app compiled to wasm32.
//!
//! `start` mounts [`App`], which provides the shared state (language, toasts, session, API
//! client, lead, customer, opportunity, quote and sales order list state, the approval and unread notification counts)
//! and the routes. Pages live in [`pages`], shared pieces in [`components`]; every request and
//! response body comes from `crm-api-types`.

pub mod api;
pub mod auth;
pub mod bind;
pub mod components;
pub mod files;
pub mod format;
pub mod i18n;
pub mod load;
pub mod pages;
pub mod rows;
pub mod storage;
pub mod tree;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::api::Api;
use crate::auth::Session;
use crate::components::approvals_badge::ApprovalCounts;
use crate::components::notifications_bell::NotificationCounts;
use crate::components::shell::Shell;
use crate::components::toast::{ToastArea, Toasts};
use crate::i18n::{I18n, K};
use crate::pages::api_keys::ApiKeysPage;
use crate::pages::approval_policies::ApprovalPoliciesPage;
use crate::pages::approvals::ApprovalsPage;
use crate::pages::business_rules::BusinessRulesPage;
use crate::pages::contract_detail::ContractDetailPage;
use crate::pages::contract_form::{ContractCreatePage, ContractEditPage};
use crate::pages::contracts::ContractsPage;
use crate::pages::customer_detail::CustomerDetailPage;
use crate::pages::customer_form::{CustomerCreatePage, CustomerEditPage};
use crate::pages::customers_list::{CustomerListState, CustomersListPage};
use crate::pages::data_sync::DataSyncPage;
use crate::pages::departments::DepartmentsPage;
use crate::pages::document_template::DocumentTemplatePage;
use crate::pages::home::HomePage;
use crate::pages::import_wizard::ImportWizardPage;
use crate::pages::lead_detail::LeadDetailPage;
use crate::pages::lead_form::{LeadCreatePage, LeadEditPage};
use crate::pages::leads_list::{LeadListState, LeadsListPage};
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::notifications::NotificationsPage;
use crate::pages::opportunities::{OpportunitiesPage, OpportunityListState};
use crate::pages::opportunity_detail::OpportunityDetailPage;
use crate::pages::opportunity_form::{OpportunityCreatePage, OpportunityEditPage};
use crate::pages::overdue_deliveries::OverdueDeliveriesPage;
use crate::pages::payments::PaymentsPage;
use crate::pages::price_list_editor::{PriceListCreatePage, PriceListEditPage};
use crate::pages::price_lists::PriceListsPage;
use crate::pages::products::ProductsPage;
use crate::pages::quote_detail::QuoteDetailPage;
use crate::pages::quote_editor::{QuoteCreatePage, QuoteEditPage};
use crate::pages::quotes::{QuoteListState, QuotesPage};
use crate::pages::receivables::ReceivablesPage;
use crate::pages::reconciliation::ReconciliationPage;
use crate::pages::reports::{
    ActivityReportPage, CollectionsPage, CustomerValuePage, ForecastPage, FunnelPage,
    LeadSourcesPage, OrderReportPage, PerformancePage, WinRatePage,
};
use crate::pages::roles::RolesPage;
use crate::pages::sales_order_detail::SalesOrderDetailPage;
use crate::pages::sales_order_form::{SalesOrderCreatePage, SalesOrderEditPage};
use crate::pages::sales_orders::{SalesOrderListState, SalesOrdersPage};
use crate::pages::settings::{SettingsIndex, SettingsPage};
use crate::pages::targets::TargetsPage;
use crate::pages::users::UsersPage;
use crate::pages::webhook_detail::WebhookDetailPage;
use crate::pages::webhooks::WebhooksPage;

#[wasm_bindgen(start)]
pub fn start() {
    // index.html shows a spinner until the wasm has loaded; the app replaces it.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::new();
    let toasts = Toasts::new();
    let session = Session::new();
    let api = Api {
        session,
        i18n,
        toasts,
    };
    provide_context(i18n);
    provide_context(toasts);
    provide_context(session);
    provide_context(api);
    provide_context(LeadListState::new());
    provide_context(CustomerListState::new());
    provide_context(OpportunityListState::new());
    provide_context(QuoteListState::new());
    provide_context(SalesOrderListState::new());
    provide_context(ApprovalCounts::new());
    provide_context(NotificationCounts::new());

    spawn_local(auth::resume(api));

    // The tab title follows the language too.
    Effect::new(move |_| {
        let title = i18n.t(K::AppName);
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(title);
        }
    });

    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/login") view=LoginPage/>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=HomePage/>
                    <Route path=path!("leads") view=LeadsListPage/>
                    <Route path=path!("leads/new") view=LeadCreatePage/>
                    <Route path=path!("leads/:id") view=LeadDetailPage/>
                    <Route path=path!("leads/:id/edit") view=LeadEditPage/>
                    <Route path=path!("customers") view=CustomersListPage/>
                    <Route path=path!("customers/new") view=CustomerCreatePage/>
                    <Route path=path!("customers/:id") view=CustomerDetailPage/>
                    <Route path=path!("customers/:id/edit") view=CustomerEditPage/>
                    <Route path=path!("imports/new") view=ImportWizardPage/>
                    <Route path=path!("opportunities") view=OpportunitiesPage/>
                    <Route path=path!("opportunities/new") view=OpportunityCreatePage/>
                    <Route path=path!("opportunities/:id") view=OpportunityDetailPage/>
                    <Route path=path!("opportunities/:id/edit") view=OpportunityEditPage/>
                    <Route path=path!("products") view=ProductsPage/>
                    <Route path=path!("price-lists") view=PriceListsPage/>
                    <Route path=path!("price-lists/new") view=PriceListCreatePage/>
                    <Route path=path!("price-lists/:id") view=PriceListEditPage/>
                    <Route path=path!("quotes") view=QuotesPage/>
                    <Route path=path!("quotes/new") view=QuoteCreatePage/>
                    <Route path=path!("quotes/:id") view=QuoteDetailPage/>
                    <Route path=path!("quotes/:id/edit") view=QuoteEditPage/>
                    <Route path=path!("approvals") view=ApprovalsPage/>
                    <Route path=path!("contracts") view=ContractsPage/>
                    <Route path=path!("contracts/new") view=ContractCreatePage/>
                    <Route path=path!("contracts/:id") view=ContractDetailPage/>
                    <Route path=path!("contracts/:id/edit") view=ContractEditPage/>
                    <Route path=path!("notifications") view=NotificationsPage/>
                    <Route path=path!("sales-orders") view=SalesOrdersPage/>
                    <Route path=path!("sales-orders/new") view=SalesOrderCreatePage/>
                    <Route path=path!("sales-orders/overdue") view=OverdueDeliveriesPage/>
                    <Route path=path!("sales-orders/reconciliation") view=ReconciliationPage/>
                    <Route path=path!("sales-orders/:id") view=SalesOrderDetailPage/>
                    <Route path=path!("sales-orders/:id/edit") view=SalesOrderEditPage/>
                    <Route path=path!("receivables") view=ReceivablesPage/>
                    <Route path=path!("receivables/payments") view=PaymentsPage/>
                    <Route path=path!("reports") view=|| view! { <Redirect path="/reports/funnel" options=NavigateOptions { replace: true, ..Default::default() }/> }/>
                    <Route path=path!("reports/funnel") view=FunnelPage/>
                    <Route path=path!("reports/win-rate") view=WinRatePage/>
                    <Route path=path!("reports/forecast") view=ForecastPage/>
                    <Route path=path!("reports/performance") view=PerformancePage/>
                    <Route path=path!("reports/collections") view=CollectionsPage/>
                    <Route path=path!("reports/orders") view=OrderReportPage/>
                    <Route path=path!("reports/customer-value") view=CustomerValuePage/>
                    <Route path=path!("reports/lead-sources") view=LeadSourcesPage/>
                    <Route path=path!("reports/activity") view=ActivityReportPage/>
                    <ParentRoute path=path!("settings") view=SettingsPage>
                        <Route path=path!("") view=SettingsIndex/>
                        <Route path=path!("departments") view=DepartmentsPage/>
                        <Route path=path!("users") view=UsersPage/>
                        <Route path=path!("roles") view=RolesPage/>
                        <Route path=path!("api-keys") view=ApiKeysPage/>
                        <Route path=path!("webhooks") view=WebhooksPage/>
                        <Route path=path!("webhooks/:id") view=WebhookDetailPage/>
                        <Route path=path!("data-sync") view=DataSyncPage/>
                        <Route path=path!("rules") view=BusinessRulesPage/>
                        <Route path=path!("targets") view=TargetsPage/>
                        <Route path=path!("approval-policies") view=ApprovalPoliciesPage/>
                        <Route path=path!("document-template") view=DocumentTemplatePage/>
                    </ParentRoute>
                    <Route path=path!("*any") view=NotFoundPage/>
                </ParentRoute>
            </Routes>
            <ToastArea/>
        </Router>
    }
}
