//! Directory commands for what the vendors' APIs cannot create: coaching teams (Dialpad lists
//! and reads them, and adds members, but has no create operation).

use clap::Subcommand;
use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, OfficeId};
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::telephony::coaching::NewCoachingTeam;
use switchboard_domain::Core;

use super::id;

#[derive(Debug, Subcommand)]
pub(super) enum CoachingTeamCmd {
    /// Create a coaching team in one of the company's offices; prints {"coaching_team_id",
    /// "company_id", "office_id", "name"}. The change log shows the company as its author.
    Create {
        #[arg(long, value_name = "COMPANY_ID")]
        company: String,
        #[arg(long, value_name = "OFFICE_ID")]
        office: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        description: Option<String>,
        /// Keep trainees from listening in on their coaches' calls.
        #[arg(long)]
        no_trainee_eavesdrop: bool,
    },
}

pub(super) async fn coaching_team(core: &Core, command: CoachingTeamCmd) -> anyhow::Result<Value> {
    let CoachingTeamCmd::Create {
        company,
        office,
        name,
        description,
        no_trainee_eavesdrop,
    } = command;
    let company = id::<CompanyId>("company", &company)?;
    let team = core
        .telephony()
        .create_coaching_team(
            &Actor::company(company),
            NewCoachingTeam {
                office_id: id::<OfficeId>("office", &office)?,
                name,
                description,
                allow_trainee_eavesdrop: !no_trainee_eavesdrop,
            },
        )
        .await?;
    Ok(json!({
        "coaching_team_id": team.id.to_string(),
        "company_id": team.company_id.to_string(),
        "office_id": team.office_id.to_string(),
        "name": team.name,
    }))
}
