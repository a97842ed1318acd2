//! The telephony use cases.

use crate::ids::AgentId;
use crate::page::{Page, Paged};
use crate::telephony::call::{Call, CallLogFilter, CallLogQuery};
use crate::telephony::Telephony;
use crate::tenancy::account::User;
use crate::Result;

impl Telephony<'_> {
    /// Calls the agent handled, filtered and paged.
    pub async fn call_log(
        &self,
        user: &User,
        id: AgentId,
        filter: CallLogFilter,
        page: Page,
    ) -> Result<Paged<Call>> {
        self.ai_agents().get_agent(user, id).await?;
        self.store
            .call_log(&CallLogQuery {
                agent_id: id,
                filter,
                page,
            })
            .await
    }
}
