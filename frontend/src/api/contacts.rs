//! `/contacts`: the people at a customer.

use crm_api_types::Page;
use crm_api_types::customers::{
    ContactListQuery, ContactResponse, CreateContactRequest, UpdateContactRequest,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{ADMIN_PAGE, Api, ApiError, Call, MAX_PAGES};

impl Api {
    /// Every contact of one customer (a handful, rarely more than a page).
    pub async fn customer_contacts(
        self,
        customer_id: Uuid,
    ) -> Result<Vec<ContactResponse>, ApiError> {
        let mut contacts = Vec::new();
        let mut cursor = None;
        for _ in 0..MAX_PAGES {
            let query = ContactListQuery {
                limit: Some(ADMIN_PAGE),
                cursor,
                customer_id: Some(customer_id),
                q: None,
            };
            let page: Page<ContactResponse> = self
                .json(Call::get("/contacts").with_query(&query)?)
                .await?;
            contacts.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        Ok(contacts)
    }

    pub async fn create_contact(
        self,
        body: &CreateContactRequest,
    ) -> Result<ContactResponse, ApiError> {
        self.json(Call::new(Method::POST, "/contacts").with_json(body)?)
            .await
    }

    pub async fn update_contact(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateContactRequest,
    ) -> Result<ContactResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/contacts/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_contact(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/contacts/{id}")))
            .await
    }
}
