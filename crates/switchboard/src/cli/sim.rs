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
    /// An outside number texts one of the company's numbers (STOP/START change its opt-out).
    InboundSms {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        text: String,
        /// An attachment, base64.
        #[arg(long)]
        media: Option<String>,
    },
    /// The company's text messages the network carried, oldest first.
    Sms {
        #[arg(long, default_value = "outbound")]
        direction: String,
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Whether the network can reach an outside number (messages to it fail).
    Unreachable {
        number: String,
        #[arg(long, action = clap::ArgAction::Set, default_value_t = true)]
        unreachable: bool,
    },
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
        SimCmd::InboundSms {
            from,
            to,
            text,
            media,
        } => (
            "/inbound_sms".to_owned(),
            json!({"from": from, "to": to, "text": text, "media": media}),
        ),
        SimCmd::Sms { direction, cursor } => {
            let mut params = vec![("direction", direction)];
            params.extend(cursor.map(|c| ("cursor", c)));
            let url = reqwest::Url::parse_with_params("http://sim/sms", &params)?;
            (
                format!("/sms?{}", url.query().unwrap_or_default()),
                Value::Null,
            )
        }
        SimCmd::Unreachable {
            number,
            unreachable,
        } => (
            "/sms/unreachable".to_owned(),
            json!({"number": number, "unreachable": unreachable}),
        ),
    };
    let url = format!("{}/sim/v1{path}", base.trim_end_matches('/'));
    let client = reqwest::Client::new();
    let request = if body.is_null() {
        client.get(&url)
    } else {
        client.post(&url).json(&body)
    };
    let response = request
        .bearer_auth(key)
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
