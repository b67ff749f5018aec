//! `/opportunities`: the list, the board, one opportunity, its stage moves and their history.

use crm_api_types::Page;
use crm_api_types::opportunities::{
    BoardQuery, BoardResponse, CreateOpportunityRequest, MoveStageRequest, OpportunityListQuery,
    OpportunityResponse, OpportunitySummary, ReopenOpportunityRequest, StageChangeResponse,
    UpdateOpportunityRequest,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, Versioned};

impl Api {
    pub async fn list_opportunities(
        self,
        query: &OpportunityListQuery,
    ) -> Result<Page<OpportunitySummary>, ApiError> {
        self.json(Call::get("/opportunities").with_query(query)?)
            .await
    }

    pub async fn opportunity_board(self, query: &BoardQuery) -> Result<BoardResponse, ApiError> {
        self.json(Call::get("/opportunities/board").with_query(query)?)
            .await
    }

    pub async fn create_opportunity(
        self,
        body: &CreateOpportunityRequest,
    ) -> Result<OpportunityResponse, ApiError> {
        self.json(Call::new(Method::POST, "/opportunities").with_json(body)?)
            .await
    }

    pub async fn get_opportunity(
        self,
        id: Uuid,
    ) -> Result<Versioned<OpportunityResponse>, ApiError> {
        self.versioned(
            Call::get(format!("/opportunities/{id}")),
            |o: &OpportunityResponse| o.summary.version,
        )
        .await
    }

    pub async fn update_opportunity(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateOpportunityRequest,
    ) -> Result<OpportunityResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/opportunities/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_opportunity(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/opportunities/{id}")))
            .await
    }

    /// The only way to change the stage; a lost stage needs the reason and the competitor.
    pub async fn move_opportunity(
        self,
        id: Uuid,
        body: &MoveStageRequest,
    ) -> Result<OpportunityResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/opportunities/{id}/stage")).with_json(body)?)
            .await
    }

    pub async fn reopen_opportunity(
        self,
        id: Uuid,
        body: &ReopenOpportunityRequest,
    ) -> Result<OpportunityResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/opportunities/{id}/reopen")).with_json(body)?)
            .await
    }

    pub async fn stage_history(self, id: Uuid) -> Result<Vec<StageChangeResponse>, ApiError> {
        self.json(Call::get(format!("/opportunities/{id}/stage-history")))
            .await
    }
}
