//! OAuth apps (Dialpad's OAuth2): a company registers an app for its users to authorize.
//! There is no API to register apps, so the command line does it.

use clap::Subcommand;
use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, OAuthAppId};
use switchboard_domain::oauth::app::{NewApp, OAuthApp};
use switchboard_domain::Core;

use super::id;

/// Apps listed per read.
const PAGE: u32 = 100;

#[derive(Debug, Subcommand)]
pub(super) enum OAuthAppCmd {
    /// Register an app of a company; prints {"app_id", "client_id", "client_secret",
    /// "company_id", "name", "redirect_uris", "settings"}. The secret is shown only once.
    Create {
        #[arg(long, value_name = "COMPANY_ID")]
        company: String,
        #[arg(long)]
        name: String,
        /// Where users are sent back after consent (exact match; https, http to localhost,
        /// or a private-use scheme; no '#'). Repeat for several.
        #[arg(long = "redirect-uri", value_name = "URI", required = true)]
        redirect_uris: Vec<String>,
        /// The app's own settings as a JSON object (`GET /api/v2/app/settings`).
        #[arg(long, value_name = "JSON")]
        settings: Option<String>,
    },
    /// List a company's apps; prints {"company_id", "apps": [...]}, secrets left out.
    List {
        #[arg(long, value_name = "COMPANY_ID")]
        company: String,
    },
    /// Delete an app of a company; every code and token issued for it stops working.
    Delete {
        #[arg(value_name = "APP_ID")]
        app_id: String,
        #[arg(long, value_name = "COMPANY_ID")]
        company: String,
    },
}

fn render(app: &OAuthApp) -> Value {
    json!({
        "app_id": app.id.to_string(),
        "client_id": app.client_id,
        "company_id": app.company_id.to_string(),
        "name": app.name,
        "redirect_uris": app.redirect_uris,
        "settings": app.settings,
    })
}

pub(super) async fn run(core: &Core, command: OAuthAppCmd) -> anyhow::Result<Value> {
    Ok(match command {
        OAuthAppCmd::Create {
            company,
            name,
            redirect_uris,
            settings,
        } => {
            let settings = match settings {
                None => None,
                Some(text) => match serde_json::from_str::<Value>(&text) {
                    Ok(Value::Object(m)) => Some(m),
                    _ => anyhow::bail!("--settings must be a JSON object"),
                },
            };
            let registered = core
                .oauth()
                .create_app(
                    id::<CompanyId>("company", &company)?,
                    NewApp {
                        name,
                        redirect_uris,
                        settings,
                    },
                )
                .await?;
            let mut out = render(&registered.app);
            out["client_secret"] = json!(registered.client_secret);
            out
        }
        OAuthAppCmd::List { company } => {
            let company = id::<CompanyId>("company", &company)?;
            let mut apps = Vec::new();
            let mut after = None;
            loop {
                let page = core.oauth().apps(company, after, PAGE).await?;
                after = page.last().map(|a| a.id);
                let full = page.len() == PAGE as usize;
                apps.extend(page.iter().map(render));
                if !full {
                    break;
                }
            }
            json!({"company_id": company.to_string(), "apps": apps})
        }
        OAuthAppCmd::Delete { app_id, company } => {
            let app = id::<OAuthAppId>("app", &app_id)?;
            core.oauth()
                .delete_app(id::<CompanyId>("company", &company)?, app)
                .await?;
            json!({"deleted": true, "app_id": app_id})
        }
    })
}
