//! Reading this context's rows into domain entities.

use sqlx::any::AnyRow;
use switchboard_domain::clock::from_millis;
use switchboard_domain::ids::*;
use switchboard_domain::telephony::call::Call;
use switchboard_domain::Result;

use crate::rows::{flag, get};

pub(crate) fn call(row: &AnyRow) -> Result<Call> {
    Ok(Call {
        id: CallId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        ai_agent_id: get::<Option<i64>>(row, "ai_agent_id")?.map(AgentId),
        direction: get(row, "direction")?,
        status: get(row, "status")?,
        from_number: get(row, "from_number")?,
        to_number: get(row, "to_number")?,
        campaign_id: get(row, "campaign_id")?,
        conversation_id: get(row, "conversation_id")?,
        contact_id: get(row, "contact_id")?,
        is_web_call: flag(row, "is_web_call")?,
        duration_secs: get(row, "duration_secs")?,
        started_at: from_millis(get(row, "started_at")?),
        agent_version: get(row, "ai_agent_version")?,
    })
}
