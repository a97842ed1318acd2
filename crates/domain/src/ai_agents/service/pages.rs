//! Agent reads in keyset pages, each agent with its owner (the user who created it).

use std::collections::HashMap;

use crate::ai_agents::agent::{AiAgent, VisibleAgent};
use crate::ai_agents::list::{
    AgentCursor, AgentListRequest, AgentPage, AgentSort, AgentView, SortKey, BAD_CURSOR,
};
use crate::ai_agents::AiAgents;
use crate::ids::{AgentId, UserId};
use crate::tenancy::account::User;
use crate::{DomainError, Result};

impl AiAgents<'_> {
    /// One page of the agents the user owns or that are shared with them.
    pub async fn list_agent_page(
        &self,
        user: &User,
        request: AgentListRequest,
    ) -> Result<AgentPage> {
        let key = self.cursor_key().await?;
        let scope = format!("ai_agents.agents:{}", user.id.0);
        let cursor = match request.cursor.as_deref() {
            None => None,
            Some(token) => {
                let doc: serde_json::Value = key
                    .open(&scope, token.trim())
                    .map_err(|_| DomainError::BadCursor(BAD_CURSOR.into()))?;
                Some(AgentCursor::from_doc(&doc)?)
            }
        };
        let mut query = request.resolve(user.id, cursor)?;
        let size = query.limit;
        // One more than asked tells whether another page follows.
        query.limit = size + 1;
        let mut rows = self.store.agents_visible_page(&query).await?;
        let has_more = rows.len() > size as usize;
        rows.truncate(size as usize);
        let next = rows.last().filter(|_| has_more).map(|(a, _)| AgentCursor {
            key: match query.sort {
                AgentSort::Name => SortKey::Name(a.name.clone()),
                AgentSort::CreatedAt => SortKey::CreatedAt(a.created_at),
            },
            id: a.id,
            direction: query.direction,
        });
        let next = next.map(|c| key.seal(&scope, &c.to_doc()));
        let mut owners: HashMap<UserId, Option<User>> = HashMap::new();
        let mut items = Vec::with_capacity(rows.len());
        for (agent, share) in rows {
            let Some(access) = self.access(user, &agent, share).await? else {
                continue;
            };
            let owner = match owners.get(&agent.owner_id) {
                Some(o) => o.clone(),
                None => {
                    let o = self.store.user(agent.owner_id).await?;
                    owners.insert(agent.owner_id, o.clone());
                    o
                }
            };
            items.push(AgentView {
                visible: VisibleAgent { agent, access },
                owner,
            });
        }
        Ok(AgentPage {
            items,
            next,
            sort: query.sort,
            direction: query.direction,
            page_size: size,
        })
    }

    /// One agent the user may see, with its owner.
    pub async fn agent_view(&self, user: &User, id: AgentId) -> Result<AgentView> {
        let visible = self.get_agent(user, id).await?;
        if visible.agent.owner_id == user.id {
            let owner = Some(user.clone());
            return Ok(AgentView { visible, owner });
        }
        self.view_of(visible).await
    }

    /// Adds the owner to an agent a use case returned.
    pub async fn view_of(&self, visible: VisibleAgent) -> Result<AgentView> {
        let owner = self.owner_of(&visible.agent).await?;
        Ok(AgentView { visible, owner })
    }

    async fn owner_of(&self, agent: &AiAgent) -> Result<Option<User>> {
        self.store.user(agent.owner_id).await
    }
}
