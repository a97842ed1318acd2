//! `switchboard sip …`: what phones need to register with the SIP endpoint.

use anyhow::Context;
use clap::Subcommand;
use serde_json::{json, Value};
use switchboard_domain::ids::{Id, UserId};
use switchboard_domain::Core;

#[derive(Debug, Subcommand)]
pub(crate) enum SipCmd {
    /// SIP accounts that users' phones register with.
    #[command(subcommand)]
    Credentials(CredentialsCmd),
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
    }
}
