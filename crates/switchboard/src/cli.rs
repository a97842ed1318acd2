//! The command line: one subcommand per job. Commands that create something print one JSON
//! object on stdout; errors go to stderr with a non-zero exit.

mod directory;
mod numbers;
mod oauth;
mod sim;
mod sip;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use serde_json::{json, Value};
use switchboard_crypto::{Keyring, MasterKey};
use switchboard_domain::ids::{ApiKeyId, CompanyId, DeliveryId, Id, UserId};
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::tenancy::account::CompanyStatus;
use switchboard_domain::tenancy::NewUser;
use switchboard_domain::Core;

use crate::bootstrap::{self, KeySource};
use crate::config::{Config, LogFormat, Overrides};

/// Switchboard: one contact-center control plane, several vendors' APIs.
#[derive(Debug, Parser)]
#[command(name = "switchboard", version, about)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand accepts, before or after its name.
#[derive(Debug, Args)]
struct GlobalArgs {
    /// TOML configuration file (env SWITCHBOARD_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Data directory (env SWITCHBOARD_DATA_DIR; default ./switchboard-data).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL, sqlite://… or postgres://… (env SWITCHBOARD_DATABASE_URL; default: SQLite
    /// in the data directory).
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve {
        /// Address to listen on (env SWITCHBOARD_LISTEN; default 127.0.0.1:8080).
        #[arg(long, value_name = "HOST:PORT")]
        listen: Option<String>,
        /// Log format (env SWITCHBOARD_LOG_FORMAT; default text).
        #[arg(long, value_enum)]
        log_format: Option<LogFormat>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Partners (resellers).
    #[command(subcommand)]
    Partner(PartnerCmd),
    /// Companies (tenants).
    #[command(subcommand)]
    Company(CompanyCmd),
    /// Users.
    #[command(subcommand)]
    User(UserCmd),
    /// Webhook deliveries.
    #[command(subcommand)]
    Webhooks(WebhooksCmd),
    /// API keys.
    #[command(subcommand)]
    Key(KeyCmd),
    /// A company's telephone numbers.
    #[command(subcommand)]
    Numbers(numbers::NumbersCmd),
    /// SIP: accounts for users' phones.
    #[command(subcommand)]
    Sip(sip::SipCmd),
    /// Coaching teams (Dialpad).
    #[command(subcommand)]
    CoachingTeam(directory::CoachingTeamCmd),
    /// Secrets at rest.
    #[command(subcommand)]
    Secrets(SecretsCmd),
    /// A company's call labels (Dialpad `GET /calllabels`).
    #[command(subcommand)]
    CallLabels(CallLabelsCmd),
    /// OAuth apps a company registers for its users (Dialpad's OAuth2).
    #[command(subcommand)]
    OauthApp(oauth::OAuthAppCmd),
    /// Drive the simulated telephone network of a running server (`/sim/v1`).
    Sim(sim::SimArgs),
    /// Configuration.
    #[command(subcommand)]
    Config(ConfigCmd),
}

#[derive(Debug, Subcommand)]
enum PartnerCmd {
    /// Create a partner and its first API key; prints {"partner_id", "d360_partner_id",
    /// "api_key", "key_id"} (`d360_partner_id` is the id as the 360dialog API writes it, `…PA`).
    Create {
        /// Brand name.
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum CompanyCmd {
    /// Create a company; prints {"company_id", "workspace_id"} (the Bird workspace id).
    Create {
        #[arg(long)]
        name: String,
        /// The partner reselling this company.
        #[arg(long, value_name = "PARTNER_ID")]
        partner: Option<String>,
    },
    /// Set a company's status (pending, active, suspended, terminated); its partner is told by
    /// webhook. Prints {"company_id", "status"}.
    SetStatus {
        #[arg(value_name = "COMPANY_ID")]
        company_id: String,
        #[arg(long)]
        status: String,
    },
}

#[derive(Debug, Subcommand)]
enum WebhooksCmd {
    /// Queue a delivery again (same id), due now with a fresh retry budget.
    Replay {
        /// The delivery id (`msg_…` or the bare number).
        #[arg(value_name = "DELIVERY_ID")]
        delivery_id: String,
    },
    /// Print the company's Standard Webhooks signing secret (`whsec_…`): it keys the
    /// `webhook-signature` of Dialpad webhooks without a secret of their own and of Callin
    /// post-call webhooks.
    Secret {
        #[arg(long, value_name = "COMPANY_ID")]
        company: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCmd {
    /// Create a user; prints {"user_id"}.
    Create {
        #[arg(long, value_name = "COMPANY_ID")]
        company: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: Option<String>,
        #[arg(long)]
        last_name: Option<String>,
        /// Make the user a company admin.
        #[arg(long)]
        admin: bool,
        /// Switch off the user's Dialgood Partner API access.
        #[arg(long)]
        no_partner_api: bool,
    },
}

#[derive(Debug, Subcommand)]
enum KeyCmd {
    /// Mint an API key for a user (--user), or a company key that acts for the whole company
    /// as its admin (--company: Dialpad's company API key); prints {"api_key", "key_id"}. The
    /// key is shown only once.
    #[command(group(clap::ArgGroup::new("owner").required(true).args(["user", "company"])))]
    Create {
        #[arg(long, value_name = "USER_ID")]
        user: Option<String>,
        #[arg(long, value_name = "COMPANY_ID")]
        company: Option<String>,
    },
    /// Revoke an API key; it stops working at once.
    Revoke {
        #[arg(value_name = "KEY_ID")]
        key_id: String,
    },
}

#[derive(Debug, Subcommand)]
enum CallLabelsCmd {
    /// Replace a company's call labels with LABEL… in that order (none clears them); prints
    /// {"company_id", "labels"}.
    Set {
        #[arg(long, value_name = "COMPANY_ID")]
        company: String,
        #[arg(value_name = "LABEL")]
        labels: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum SecretsCmd {
    /// Install a new master key and re-encrypt every secret with it. With the key file (the
    /// default) a new key is generated unless --new-key is given; with SWITCHBOARD_MASTER_KEY,
    /// --new-key is required and the variable must be changed to it afterwards.
    Rotate {
        /// The new key, 32 bytes in base64 or hex.
        #[arg(long, value_name = "KEY")]
        new_key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCmd {
    /// Print the effective configuration, secrets redacted.
    Show,
}

/// Parses the arguments, runs the command, maps errors to exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn id<T: Id>(what: &str, raw: &str) -> anyhow::Result<T> {
    T::parse_str(raw).with_context(|| format!("'{raw}' is not a {what} id"))
}

fn print(v: Value) {
    println!("{v}");
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut overrides = Overrides {
        config: cli.global.config,
        data_dir: cli.global.data_dir,
        database: cli.global.database,
        ..Default::default()
    };
    if let Command::Serve { listen, log_format } = &cli.command {
        overrides.listen.clone_from(listen);
        overrides.log_format = *log_format;
    }
    let (config, warnings) = Config::load(&overrides)?;
    crate::server::init_logging(&config);
    for w in &warnings {
        tracing::warn!("{w}");
    }
    match cli.command {
        Command::Serve { .. } => crate::server::serve(config).await,
        Command::Config(ConfigCmd::Show) => {
            print!("{}", config.redacted());
            Ok(())
        }
        Command::Migrate => {
            let store = bootstrap::open_store(&config).await?;
            store.close().await;
            print(json!({"migrated": true, "database": store.backend().name()}));
            Ok(())
        }
        Command::Secrets(SecretsCmd::Rotate { new_key }) => rotate(&config, new_key).await,
        Command::Sim(args) => {
            print(sim::run(args, config.listen).await?);
            Ok(())
        }
        Command::Numbers(cmd) => {
            let store = bootstrap::open_store(&config).await?;
            let core = bootstrap::core(&store, KeySource::from_config(&config)?.keyring()?);
            let result = numbers::run(&core, cmd).await;
            store.close().await;
            if let Some(summary) = result? {
                print(summary);
            }
            Ok(())
        }
        Command::Sip(cmd) => {
            let store = bootstrap::open_store(&config).await?;
            let core = bootstrap::core(&store, KeySource::from_config(&config)?.keyring()?);
            let result = sip::run(&core, cmd, config.sip_domain()).await;
            store.close().await;
            print(result?);
            Ok(())
        }
        other => {
            let store = bootstrap::open_store(&config).await?;
            let core = bootstrap::core(&store, KeySource::from_config(&config)?.keyring()?);
            let result = accounts(&core, other).await;
            store.close().await;
            print(result?);
            Ok(())
        }
    }
}

async fn accounts(core: &Core, command: Command) -> anyhow::Result<Value> {
    Ok(match command {
        Command::Partner(PartnerCmd::Create { name }) => {
            let (partner, key) = core.tenancy().create_partner(&name).await?;
            json!({
                "partner_id": partner.id.to_string(),
                // The id as the 360dialog Partner API writes it (in paths and bodies).
                "d360_partner_id": switchboard_d360::ids::partner(partner.id),
                "api_key": key.secret,
                "key_id": key.key.id.to_string(),
            })
        }
        Command::Company(CompanyCmd::Create { name, partner }) => {
            // Either form `partner create` prints: bare or the 360dialog `…PA`.
            let partner = partner
                .map(|p| {
                    switchboard_d360::ids::parse_partner(&p)
                        .with_context(|| format!("'{p}' is not a partner id"))
                })
                .transpose()?;
            let company = core.tenancy().create_company(&name, partner).await?;
            json!({"company_id": company.id.to_string(), "workspace_id": company.id.to_uuid()})
        }
        Command::Company(CompanyCmd::SetStatus { company_id, status }) => {
            let status = CompanyStatus::parse(&status)?;
            let company = core
                .partner_clients()
                .set_company_status(id::<CompanyId>("company", &company_id)?, status)
                .await?;
            json!({"company_id": company.id.to_string(), "status": company.status.as_str()})
        }
        Command::Webhooks(WebhooksCmd::Replay { delivery_id }) => {
            let raw = delivery_id.strip_prefix("msg_").unwrap_or(&delivery_id);
            let delivery = core
                .events()
                .replay_delivery(id::<DeliveryId>("delivery", raw)?)
                .await?;
            json!({"replayed": true, "delivery_id": format!("msg_{}", delivery.id)})
        }
        Command::Webhooks(WebhooksCmd::Secret { company }) => {
            let company = id::<CompanyId>("company", &company)?;
            if core.store().company(company).await?.is_none() {
                anyhow::bail!("company {company} not found");
            }
            let owner = switchboard_domain::events::endpoint::company_signing_owner(company);
            json!({"company_id": company.to_string(), "signing_secret": core.events().signing_secret(&owner).await?})
        }
        Command::User(UserCmd::Create {
            company,
            email,
            first_name,
            last_name,
            admin,
            no_partner_api,
        }) => {
            let user = core
                .tenancy()
                .create_user(NewUser {
                    company_id: id::<CompanyId>("company", &company)?,
                    email,
                    first_name,
                    last_name,
                    is_admin: admin,
                    partner_api_enabled: !no_partner_api,
                })
                .await?;
            json!({"user_id": user.id.to_string()})
        }
        Command::Key(KeyCmd::Create { user, company }) => {
            let key = match (user, company) {
                (Some(user), _) => {
                    core.tenancy()
                        .create_user_key(id::<UserId>("user", &user)?)
                        .await?
                }
                (None, Some(company)) => {
                    core.tenancy()
                        .create_company_key(id::<CompanyId>("company", &company)?)
                        .await?
                }
                (None, None) => unreachable!("clap requires one owner"),
            };
            json!({"api_key": key.secret, "key_id": key.key.id.to_string()})
        }
        Command::CallLabels(CallLabelsCmd::Set { company, labels }) => {
            let company = id::<CompanyId>("company", &company)?;
            let labels = core
                .telephony()
                .set_call_labels(&Actor::company(company), &labels)
                .await?;
            json!({"company_id": company.to_string(), "labels": labels})
        }
        Command::Key(KeyCmd::Revoke { key_id }) => {
            core.tenancy()
                .revoke_key(id::<ApiKeyId>("key", &key_id)?)
                .await?;
            json!({"revoked": true, "key_id": key_id})
        }
        Command::CoachingTeam(cmd) => directory::coaching_team(core, cmd).await?,
        Command::OauthApp(cmd) => oauth::run(core, cmd).await?,
        _ => unreachable!("handled in run"),
    })
}

async fn rotate(config: &Config, new_key: Option<String>) -> anyhow::Result<()> {
    let source = KeySource::from_config(config)?;
    let next = match (&source, new_key) {
        (_, Some(text)) => MasterKey::parse(&text)
            .map_err(anyhow::Error::msg)
            .context("--new-key")?,
        (KeySource::File(_), None) => MasterKey::generate(),
        (KeySource::Configured(_), None) => {
            anyhow::bail!("SWITCHBOARD_MASTER_KEY is set: give the new key with --new-key")
        }
    };
    let store = bootstrap::open_store(config).await?;
    if let KeySource::File(file) = &source {
        // Staged first, so a crash at any later point leaves every ciphertext readable.
        file.load_or_create()?;
        file.stage(&next)?;
    }
    let core = bootstrap::core(&store, source.keyring()?);
    let count = core
        .tenancy()
        .reencrypt_secrets(&Keyring::new(&next, &[]))
        .await?;
    if let KeySource::File(file) = &source {
        file.promote()?;
    }
    store.close().await;
    print(json!({"rotated": true, "key_id": next.id(), "reencrypted": count}));
    Ok(())
}
