//! `/sales-orders` (销售订单): the list, one order, its timeline and credit check, the overdue
//! deliveries, and the actions that move an order along — submit, cancel, ship (发货), sign
//! for a shipment (签收), replace the collection plan (收款计划) and record an invoice (开票).
//! Every action answers with the whole order.

use crm_api_types::Page;
use crm_api_types::receivables::{CollectionPlanRequest, CreateInvoiceRequest};
use crm_api_types::sales_orders::{
    CancelSalesOrderRequest, CreateSalesOrderRequest, CreateShipmentRequest, CreditCheckResponse,
    DeliverShipmentRequest, OverdueDeliveryResponse, SalesOrderActionRequest, SalesOrderListQuery,
    SalesOrderResponse, SalesOrderSummary, ShipmentResponse, TimelineEntry,
    UpdateSalesOrderRequest,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, Versioned};

impl Api {
    pub async fn list_sales_orders(
        self,
        query: &SalesOrderListQuery,
    ) -> Result<Page<SalesOrderSummary>, ApiError> {
        self.json(Call::get("/sales-orders").with_query(query)?)
            .await
    }

    /// From an accepted quote (`quote_id`), or entered with a customer and lines.
    pub async fn create_sales_order(
        self,
        body: &CreateSalesOrderRequest,
    ) -> Result<SalesOrderResponse, ApiError> {
        self.json(Call::new(Method::POST, "/sales-orders").with_json(body)?)
            .await
    }

    pub async fn get_sales_order(
        self,
        id: Uuid,
    ) -> Result<Versioned<SalesOrderResponse>, ApiError> {
        self.versioned(
            Call::get(format!("/sales-orders/{id}")),
            |o: &SalesOrderResponse| o.summary.version,
        )
        .await
    }

    /// A draft takes every field; a submitted order only the PO number, shipping address,
    /// internal note, owner and promised dates (改交期).
    pub async fn update_sales_order(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateSalesOrderRequest,
    ) -> Result<SalesOrderResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/sales-orders/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    /// A draft only.
    pub async fn delete_sales_order(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/sales-orders/{id}")))
            .await
    }

    /// The order's shipments with what each carried, oldest first.
    pub async fn sales_order_shipments(self, id: Uuid) -> Result<Vec<ShipmentResponse>, ApiError> {
        self.json(Call::get(format!("/sales-orders/{id}/shipments")))
            .await
    }

    /// Oldest first.
    pub async fn sales_order_timeline(self, id: Uuid) -> Result<Vec<TimelineEntry>, ApiError> {
        self.json(Call::get(format!("/sales-orders/{id}/timeline")))
            .await
    }

    /// The customer's open receivables plus this order against their credit limit.
    pub async fn sales_order_credit_check(self, id: Uuid) -> Result<CreditCheckResponse, ApiError> {
        self.json(Call::get(format!("/sales-orders/{id}/credit-check")))
            .await
    }

    /// Lines past their promised date with quantity still to ship (交期超期).
    pub async fn overdue_deliveries(self) -> Result<Vec<OverdueDeliveryResponse>, ApiError> {
        self.json(Call::get("/sales-orders/overdue-deliveries"))
            .await
    }

    /// `version` is the one the user saw: an order changed since answers 412.
    pub async fn submit_sales_order(
        self,
        id: Uuid,
        version: i32,
        body: &SalesOrderActionRequest,
    ) -> Result<SalesOrderResponse, ApiError> {
        let call = Call::new(Method::POST, format!("/sales-orders/{id}/submit"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn cancel_sales_order(
        self,
        id: Uuid,
        version: i32,
        body: &CancelSalesOrderRequest,
    ) -> Result<SalesOrderResponse, ApiError> {
        let call = Call::new(Method::POST, format!("/sales-orders/{id}/cancel"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn ship_sales_order(
        self,
        id: Uuid,
        body: &CreateShipmentRequest,
    ) -> Result<SalesOrderResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/sales-orders/{id}/shipments")).with_json(body)?)
            .await
    }

    /// 签收: answers with the shipment's order.
    pub async fn deliver_shipment(
        self,
        shipment_id: Uuid,
        body: &DeliverShipmentRequest,
    ) -> Result<SalesOrderResponse, ApiError> {
        let path = format!("/shipments/{shipment_id}/deliver");
        self.json(Call::new(Method::POST, path).with_json(body)?)
            .await
    }

    /// Replaces the plan whole.
    pub async fn set_collection_plan(
        self,
        id: Uuid,
        body: &CollectionPlanRequest,
    ) -> Result<SalesOrderResponse, ApiError> {
        let path = format!("/sales-orders/{id}/collection-plan");
        self.json(Call::new(Method::PUT, path).with_json(body)?)
            .await
    }

    pub async fn create_invoice(
        self,
        id: Uuid,
        body: &CreateInvoiceRequest,
    ) -> Result<SalesOrderResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/sales-orders/{id}/invoices")).with_json(body)?)
            .await
    }
}
