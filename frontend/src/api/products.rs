//! The catalogue: `/product-categories`, `/products`, `/price-lists`, price resolution and the
//! price history (价格履历).

use crm_api_types::Page;
use crm_api_types::products::{
    CreateProductCategoryRequest, CreateProductRequest, PriceHistoryQuery, PriceHistoryResponse,
    PriceListListQuery, PriceListRequest, PriceListResponse, ProductCategoryResponse,
    ProductListQuery, ProductResponse, ResolvePricesRequest, ResolvePricesResponse,
    UpdateProductCategoryRequest, UpdateProductRequest,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, Versioned};

impl Api {
    /// Every category of the tenant, flat: the caller builds the tree.
    pub async fn product_categories(self) -> Result<Vec<ProductCategoryResponse>, ApiError> {
        self.json(Call::get("/product-categories")).await
    }

    pub async fn create_product_category(
        self,
        body: &CreateProductCategoryRequest,
    ) -> Result<ProductCategoryResponse, ApiError> {
        self.json(Call::new(Method::POST, "/product-categories").with_json(body)?)
            .await
    }

    pub async fn update_product_category(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateProductCategoryRequest,
    ) -> Result<ProductCategoryResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/product-categories/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_product_category(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(
            Method::DELETE,
            format!("/product-categories/{id}"),
        ))
        .await
    }

    pub async fn list_products(
        self,
        query: &ProductListQuery,
    ) -> Result<Page<ProductResponse>, ApiError> {
        self.json(Call::get("/products").with_query(query)?).await
    }

    pub async fn get_product(self, id: Uuid) -> Result<ProductResponse, ApiError> {
        self.json(Call::get(format!("/products/{id}"))).await
    }

    pub async fn create_product(
        self,
        body: &CreateProductRequest,
    ) -> Result<ProductResponse, ApiError> {
        self.json(Call::new(Method::POST, "/products").with_json(body)?)
            .await
    }

    pub async fn update_product(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateProductRequest,
    ) -> Result<ProductResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/products/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_product(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/products/{id}")))
            .await
    }

    pub async fn list_price_lists(
        self,
        query: &PriceListListQuery,
    ) -> Result<Page<PriceListResponse>, ApiError> {
        self.json(Call::get("/price-lists").with_query(query)?)
            .await
    }

    /// With its items.
    pub async fn get_price_list(self, id: Uuid) -> Result<Versioned<PriceListResponse>, ApiError> {
        self.versioned(
            Call::get(format!("/price-lists/{id}")),
            |p: &PriceListResponse| p.version,
        )
        .await
    }

    pub async fn create_price_list(
        self,
        body: &PriceListRequest,
    ) -> Result<PriceListResponse, ApiError> {
        self.json(Call::new(Method::POST, "/price-lists").with_json(body)?)
            .await
    }

    /// Replaces the list whole, items included.
    pub async fn replace_price_list(
        self,
        id: Uuid,
        version: i32,
        body: &PriceListRequest,
    ) -> Result<PriceListResponse, ApiError> {
        let call = Call::new(Method::PUT, format!("/price-lists/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_price_list(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/price-lists/{id}")))
            .await
    }

    pub async fn resolve_prices(
        self,
        body: &ResolvePricesRequest,
    ) -> Result<ResolvePricesResponse, ApiError> {
        self.json(Call::new(Method::POST, "/prices/resolve").with_json(body)?)
            .await
    }

    pub async fn price_history(
        self,
        query: &PriceHistoryQuery,
    ) -> Result<Page<PriceHistoryResponse>, ApiError> {
        self.json(Call::get("/price-history").with_query(query)?)
            .await
    }
}
