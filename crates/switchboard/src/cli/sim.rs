//! `switchboard sim …`: the simulator's control API (`/sim/v1`) from a terminal, against a
//! running server (`--url`, default the configured listen address) with a company admin key
//! (`--key`, or `SWITCHBOARD_SIM_KEY`). Each command prints the server's answer.

use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::{json, Value};

/// Where and as whom.
#[derive(Debug, Args)]
pub(super) struct SimArgs {
    /// The server's base URL (default: http:// + the configured listen address).
    #[arg(long, global = true)]
    url: Option<String>,
    /// A company admin key (a company key or a company admin's user key).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_SIM_KEY",
        hide_env_values = true
    )]
    key: Option<String>,
    #[command(subcommand)]
    command: SimCmd,
}

#[derive(Debug, Subcommand)]
enum SimCmd {
    /// An outside caller dials one of the company's numbers.
    InboundCall {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// The user's ringing device answers.
    Answer { user_id: String },
    /// The user's ringing device declines.
    Reject { user_id: String },
    /// Whether the user's devices answer at once.
    AutoAnswer {
        user_id: String,
        #[arg(long, action = clap::ArgAction::Set)]
        enabled: bool,
    },
    /// The outside caller (`external`) or the company's side (`internal`) hangs up.
    Hangup {
        call_id: String,
        #[arg(long, default_value = "external")]
        side: String,
    },
    /// The caller presses keys (0-9, * and #).
    Digits { call_id: String, digits: String },
    /// A line said on the call (its transcript).
    Say {
        call_id: String,
        #[arg(long, default_value = "external")]
        side: String,
        text: String,
    },
    /// Moves a manual clock (SWITCHBOARD_CLOCK=manual) forward.
    Advance { seconds: i64 },
}

/// Runs one command against the server.
pub(super) async fn run(args: SimArgs, listen: std::net::SocketAddr) -> anyhow::Result<Value> {
    let base = args.url.unwrap_or_else(|| format!("http://{listen}"));
    let key = args
        .key
        .context("a company admin key is needed: --key or SWITCHBOARD_SIM_KEY")?;
    let (path, body) = match args.command {
        SimCmd::InboundCall { from, to } => {
            ("/inbound_calls".to_owned(), json!({"from": from, "to": to}))
        }
        SimCmd::Answer { user_id } => (format!("/devices/{user_id}/answer"), json!({})),
        SimCmd::Reject { user_id } => (format!("/devices/{user_id}/reject"), json!({})),
        SimCmd::AutoAnswer { user_id, enabled } => (
            format!("/users/{user_id}/auto_answer"),
            json!({"enabled": enabled}),
        ),
        SimCmd::Hangup { call_id, side } => {
            (format!("/calls/{call_id}/hangup"), json!({"side": side}))
        }
        SimCmd::Digits { call_id, digits } => (
            format!("/calls/{call_id}/digits"),
            json!({"digits": digits}),
        ),
        SimCmd::Say {
            call_id,
            side,
            text,
        } => (
            format!("/calls/{call_id}/say"),
            json!({"side": side, "text": text}),
        ),
        SimCmd::Advance { seconds } => ("/clock/advance".to_owned(), json!({"seconds": seconds})),
    };
    let url = format!("{}/sim/v1{path}", base.trim_end_matches('/'));
    let response = reqwest::Client::new()
        .post(&url)
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("cannot reach the server at {base}"))?;
    let status = response.status();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        anyhow::bail!("the simulator answered {}: {answer}", status.as_u16());
    }
    Ok(answer)
}
