//! `switchboard sip …`: what phones need to register with the SIP endpoint.

use anyhow::Context;
use clap::Subcommand;
use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, Id, UserId};
use switchboard_domain::telephony::trunk::NewTrunk;
use switchboard_domain::Core;

#[derive(Debug, Subcommand)]
pub(crate) enum SipCmd {
    /// SIP accounts that users' phones register with.
    #[command(subcommand)]
    Credentials(CredentialsCmd),
    /// SIP trunks that carriers send calls for a company's numbers through.
    #[command(subcommand)]
    Trunk(TrunkCmd),
}

#[derive(Debug, Subcommand)]
pub(crate) enum TrunkCmd {
    /// Create a trunk: INVITEs for the company's numbers are taken from the addresses it
    /// allows and/or with its digest username and password (with both, a call needs both).
    /// Prints the trunk, without its password (kept encrypted).
    Create {
        #[arg(long, value_name = "COMPANY_ID")]
        company: String,
        #[arg(long)]
        name: String,
        /// An address or range (CIDR) calls may come from; repeat for more.
        #[arg(long, value_name = "CIDR")]
        allow: Vec<String>,
        #[arg(long, requires = "password")]
        username: Option<String>,
        #[arg(long, requires = "username")]
        password: Option<String>,
        /// Where the company's outbound calls go (`sip:carrier.example:5060`).
        #[arg(long, value_name = "SIP_URI")]
        outbound_uri: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CredentialsCmd {
    /// Create an account for a user's phones; prints {"username", "password", "domain"}. The
    /// password is shown this once (it is kept encrypted). A user may have several accounts,
    /// and several phones may register with one.
    Create {
        #[arg(long, value_name = "USER_ID")]
        user: String,
    },
}

pub(crate) async fn run(core: &Core, cmd: SipCmd, domain: String) -> anyhow::Result<Value> {
    match cmd {
        SipCmd::Credentials(CredentialsCmd::Create { user }) => {
            let user =
                UserId::parse_str(&user).with_context(|| format!("'{user}' is not a user id"))?;
            let created = core.telephony().create_sip_account(user).await?;
            Ok(json!({
                "username": created.account.username,
                "password": created.password,
                "domain": domain,
            }))
        }
        SipCmd::Trunk(TrunkCmd::Create {
            company,
            name,
            allow,
            username,
            password,
            outbound_uri,
        }) => {
            let company = CompanyId::parse_str(&company)
                .with_context(|| format!("'{company}' is not a company id"))?;
            let trunk = core
                .telephony()
                .create_trunk(
                    company,
                    NewTrunk {
                        name,
                        allow,
                        username,
                        password,
                        outbound_uri,
                    },
                )
                .await?;
            Ok(json!({
                "id": trunk.id.to_string(),
                "company_id": trunk.company_id.to_string(),
                "name": trunk.name,
                "allow": trunk.allow.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "username": trunk.username,
                "outbound_uri": trunk.outbound_uri,
            }))
        }
    }
}
