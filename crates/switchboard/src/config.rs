//! Configuration: defaults, then an optional TOML file, then `SWITCHBOARD_*` environment
//! variables, then command-line flags; each later source overrides the earlier ones.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

/// The address `serve` listens on by default.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The data directory by default.
pub const DEFAULT_DATA_DIR: &str = "./switchboard-data";

/// Every environment variable the server reads.
pub const KNOWN_ENV: &[&str] = &[
    "SWITCHBOARD_CONFIG",
    "SWITCHBOARD_LISTEN",
    "SWITCHBOARD_DATA_DIR",
    "SWITCHBOARD_DATABASE_URL",
    "SWITCHBOARD_LOG",
    "SWITCHBOARD_LOG_FORMAT",
    "SWITCHBOARD_MASTER_KEY",
    "SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE",
    "SWITCHBOARD_EVENT_RETENTION",
    "SWITCHBOARD_IDEMPOTENCY_RETENTION",
    "SWITCHBOARD_DIALPAD_RATE_LIMIT",
    "SWITCHBOARD_CLOCK",
    "SWITCHBOARD_SIM_KEY",
    "SWITCHBOARD_PUBLIC_URL",
    "SWITCHBOARD_TELEPHONY",
    "SWITCHBOARD_SIP_LISTEN",
    "SWITCHBOARD_SIP_DOMAIN",
    "SWITCHBOARD_SIP_REQUEST_RATE",
];

/// How long finished deliveries, their attempts and dispatched events are kept by default.
pub const DEFAULT_EVENT_RETENTION: &str = "30d";
/// How long idempotency records are kept by default.
pub const DEFAULT_IDEMPOTENCY_RETENTION: &str = "24h";

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The effective configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; `None` means the SQLite file in the data directory.
    pub database: Option<String>,
    pub log_format: LogFormat,
    /// A `tracing` filter such as `info` or `switchboard=debug`.
    pub log: String,
    /// Master key(s), base64 or hex, comma-separated: the first seals, all open. `None` means
    /// the key file in the data directory.
    #[serde(skip_serializing)]
    pub master_key: Option<String>,
    /// Let webhooks reach private and loopback addresses (closed networks, tests).
    pub webhook_allow_private: bool,
    /// How long finished deliveries, their attempts and dispatched events are kept.
    #[serde(skip_serializing)]
    pub event_retention: jiff::SignedDuration,
    /// How long idempotency records are kept (and honoured).
    #[serde(skip_serializing)]
    pub idempotency_retention: jiff::SignedDuration,
    /// Dialpad requests per second per company (the vendor's documented 20); 0 turns the
    /// limit off.
    pub dialpad_rate_limit: u32,
    /// A clock that stands still until the simulator's `POST /sim/v1/clock/advance` moves it
    /// (`SWITCHBOARD_CLOCK=manual`); the wall clock otherwise.
    pub manual_clock: bool,
    /// The server's address as clients reach it (`https://switchboard.example`), for links
    /// written into events; `http://` + `listen` when not set.
    pub public_url: Option<String>,
    /// Where the SIP endpoint listens (UDP and TCP), e.g. `127.0.0.1:5060`; no SIP when not
    /// set (`sip.listen` in the file, `SWITCHBOARD_SIP_LISTEN`).
    pub sip_listen: Option<std::net::SocketAddr>,
    /// The SIP domain phones register in (also the digest realm), e.g. `pbx.example.com`
    /// (`sip.domain`, `SWITCHBOARD_SIP_DOMAIN`); see [`Config::sip_domain`].
    pub sip_domain: Option<String>,
    /// Which telephone network calls run on: the embedded simulator (the default) or SIP
    /// (`telephony = "sip"`, `SWITCHBOARD_TELEPHONY=sip`; needs `sip.listen`).
    pub telephony_sip: bool,
    /// `REGISTER`s and new `INVITE`s per second (and burst) one address may send
    /// (`sip.request_rate`, `SWITCHBOARD_SIP_REQUEST_RATE`); 0 for no limit.
    pub sip_request_rate: u32,
}

/// The optional TOML file: the same settings under the same names.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database: Option<String>,
    log_format: Option<LogFormat>,
    log: Option<String>,
    master_key: Option<String>,
    webhook_allow_private: Option<bool>,
    event_retention: Option<String>,
    idempotency_retention: Option<String>,
    dialpad_rate_limit: Option<u32>,
    clock: Option<String>,
    public_url: Option<String>,
    telephony: Option<String>,
    sip: Option<SipFile>,
}

/// The file's `[sip]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SipFile {
    listen: Option<String>,
    domain: Option<String>,
    request_rate: Option<u32>,
}

/// Values given on the command line.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database: Option<String>,
    pub log_format: Option<LogFormat>,
}

impl Config {
    /// Resolves the configuration from flags, the process environment and the file.
    pub fn load(flags: &Overrides) -> anyhow::Result<(Self, Vec<String>)> {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("SWITCHBOARD_"))
            .collect();
        Self::resolve(flags, &env)
    }

    /// Resolves from explicit sources; returns the configuration and warnings to log.
    pub fn resolve(
        flags: &Overrides,
        env: &BTreeMap<String, String>,
    ) -> anyhow::Result<(Self, Vec<String>)> {
        let warnings = env
            .keys()
            .filter(|k| !KNOWN_ENV.contains(&k.as_str()) && !k.starts_with("SWITCHBOARD_TEST_"))
            .map(|k| format!("unknown environment variable {k} is ignored"))
            .collect();
        let file_path = flags
            .config
            .clone()
            .or_else(|| env.get("SWITCHBOARD_CONFIG").map(PathBuf::from));
        let file = match &file_path {
            Some(p) => read_file(p)?,
            None => FileConfig::default(),
        };
        let pick = |flag: Option<String>, var: &str, file: Option<String>| {
            flag.or_else(|| env.get(var).cloned()).or(file)
        };

        let listen_text = pick(flags.listen.clone(), "SWITCHBOARD_LISTEN", file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.into());
        let listen = listen_text
            .parse()
            .with_context(|| format!("listen address '{listen_text}' is not HOST:PORT"))?;
        let data_dir = flags
            .data_dir
            .clone()
            .or_else(|| env.get("SWITCHBOARD_DATA_DIR").map(PathBuf::from))
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database = pick(
            flags.database.clone(),
            "SWITCHBOARD_DATABASE_URL",
            file.database,
        )
        .filter(|s| !s.is_empty());
        let log_format = match flags.log_format {
            Some(f) => f,
            None => match env.get("SWITCHBOARD_LOG_FORMAT").map(String::as_str) {
                Some("json") => LogFormat::Json,
                Some("text") => LogFormat::Text,
                Some(other) => bail!("SWITCHBOARD_LOG_FORMAT must be text or json, not '{other}'"),
                None => file.log_format.unwrap_or(LogFormat::Text),
            },
        };
        let log = pick(None, "SWITCHBOARD_LOG", file.log).unwrap_or_else(|| "info".into());
        let master_key =
            pick(None, "SWITCHBOARD_MASTER_KEY", file.master_key).filter(|s| !s.is_empty());
        let webhook_allow_private = match env
            .get("SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no" | "") => false,
            Some(other) => {
                bail!("SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE must be 1 or 0, not '{other}'")
            }
            None => file.webhook_allow_private.unwrap_or(false),
        };
        let event_retention = retention(
            pick(None, "SWITCHBOARD_EVENT_RETENTION", file.event_retention),
            DEFAULT_EVENT_RETENTION,
            "event_retention",
        )?;
        let idempotency_retention = retention(
            pick(
                None,
                "SWITCHBOARD_IDEMPOTENCY_RETENTION",
                file.idempotency_retention,
            ),
            DEFAULT_IDEMPOTENCY_RETENTION,
            "idempotency_retention",
        )?;
        let dialpad_rate_limit = match env.get("SWITCHBOARD_DIALPAD_RATE_LIMIT") {
            Some(v) => v.trim().parse().with_context(|| {
                format!("SWITCHBOARD_DIALPAD_RATE_LIMIT must be a whole number, not '{v}'")
            })?,
            None => file
                .dialpad_rate_limit
                .unwrap_or(switchboard_dialpad::limits::DEFAULT_PER_SECOND),
        };
        let manual_clock = match pick(None, "SWITCHBOARD_CLOCK", file.clock)
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("" | "system") => false,
            Some("manual") => true,
            Some(other) => bail!("SWITCHBOARD_CLOCK must be system or manual, not '{other}'"),
        };
        let public_url = pick(None, "SWITCHBOARD_PUBLIC_URL", file.public_url)
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        if let Some(u) = &public_url {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                bail!("SWITCHBOARD_PUBLIC_URL must start with http:// or https://, not '{u}'");
            }
        }
        let (sip_listen_file, sip_domain_file, sip_rate_file) = match file.sip {
            Some(s) => (s.listen, s.domain, s.request_rate),
            None => (None, None, None),
        };
        let sip_request_rate = match env.get("SWITCHBOARD_SIP_REQUEST_RATE") {
            Some(v) => v.trim().parse().with_context(|| {
                format!("SWITCHBOARD_SIP_REQUEST_RATE must be a whole number, not '{v}'")
            })?,
            None => sip_rate_file.unwrap_or(switchboard_sip::limits::DEFAULT_PER_SECOND),
        };
        let sip_domain = pick(None, "SWITCHBOARD_SIP_DOMAIN", sip_domain_file)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        if let Some(d) = &sip_domain {
            if d.contains(|c: char| c.is_whitespace() || c == '"' || c == '@' || c == '/') {
                bail!(
                    "SWITCHBOARD_SIP_DOMAIN must be a host name such as pbx.example.com, not '{d}'"
                );
            }
        }
        let sip_listen = match pick(None, "SWITCHBOARD_SIP_LISTEN", sip_listen_file)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        {
            None => None,
            Some(v) => Some(v.parse().with_context(|| {
                format!("SWITCHBOARD_SIP_LISTEN must be an address with a port such as 127.0.0.1:5060, not '{v}'")
            })?),
        };
        let telephony_sip = match pick(None, "SWITCHBOARD_TELEPHONY", file.telephony)
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("" | "simulator") => false,
            Some("sip") if sip_listen.is_some() => true,
            Some("sip") => bail!(
                "SWITCHBOARD_TELEPHONY=sip needs SWITCHBOARD_SIP_LISTEN (where the SIP endpoint listens)"
            ),
            Some(other) => {
                bail!("SWITCHBOARD_TELEPHONY must be simulator or sip, not '{other}'")
            }
        };
        Ok((
            Self {
                listen,
                data_dir,
                database,
                log_format,
                log,
                master_key,
                webhook_allow_private,
                event_retention,
                idempotency_retention,
                dialpad_rate_limit,
                manual_clock,
                public_url,
                sip_listen,
                sip_domain,
                telephony_sip,
                sip_request_rate,
            },
            warnings,
        ))
    }

    /// The server's address as clients reach it.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    /// The SIP domain (and digest realm): as configured, else the SIP address's IP when it
    /// names one, else `localhost`.
    pub fn sip_domain(&self) -> String {
        if let Some(domain) = &self.sip_domain {
            return domain.clone();
        }
        match self.sip_listen {
            Some(address) if !address.ip().is_unspecified() => address.ip().to_string(),
            _ => "localhost".to_owned(),
        }
    }

    /// The database URL in force.
    pub fn database_url(&self) -> String {
        match &self.database {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}",
                self.data_dir.join("switchboard.db").display()
            ),
        }
    }

    /// The configuration as TOML with secrets redacted, for `config show` and start-up logs.
    pub fn redacted(&self) -> String {
        let mut table = toml::Table::new();
        table.insert("listen".into(), self.listen.to_string().into());
        table.insert(
            "data_dir".into(),
            self.data_dir.display().to_string().into(),
        );
        table.insert(
            "database".into(),
            switchboard_store::redact_url(&self.database_url()).into(),
        );
        table.insert(
            "log_format".into(),
            format!("{:?}", self.log_format).to_lowercase().into(),
        );
        table.insert("log".into(), self.log.clone().into());
        let clock = if self.manual_clock {
            "manual"
        } else {
            "system"
        };
        table.insert("clock".into(), clock.into());
        table.insert("public_url".into(), self.public_url().into());
        let telephony = if self.telephony_sip {
            "sip"
        } else {
            "simulator"
        };
        table.insert("telephony".into(), telephony.into());
        if self.sip_listen.is_some() || self.sip_domain.is_some() {
            let mut section = toml::Table::new();
            if let Some(sip) = self.sip_listen {
                section.insert("listen".into(), sip.to_string().into());
            }
            if let Some(domain) = &self.sip_domain {
                section.insert("domain".into(), domain.clone().into());
            }
            section.insert(
                "request_rate".into(),
                i64::from(self.sip_request_rate).into(),
            );
            table.insert("sip".into(), section.into());
        }
        let key = if self.master_key.is_some() {
            "*** (from configuration)"
        } else {
            "(key file in the data directory)"
        };
        table.insert("master_key".into(), key.into());
        table.insert(
            "webhook_allow_private".into(),
            self.webhook_allow_private.into(),
        );
        for (key, value) in [
            ("event_retention", self.event_retention),
            ("idempotency_retention", self.idempotency_retention),
        ] {
            table.insert(key.into(), format!("{value:#}").into());
        }
        toml::to_string(&table).unwrap_or_default()
    }
}

/// Reads a retention such as `30d`, `24h`, `90 minutes` or `P30D` (a day is 24 hours); it must
/// be positive.
fn retention(
    text: Option<String>,
    default: &str,
    name: &str,
) -> anyhow::Result<jiff::SignedDuration> {
    let text = text
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| default.into());
    let parsed = text
        .trim()
        .parse::<jiff::Span>()
        .and_then(|span| span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()));
    match parsed {
        Ok(d) if d.is_positive() => Ok(d),
        _ => bail!("{name} must be a positive duration such as 30d or 24h, not '{text}'"),
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn flags_override_env_which_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sb.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:1000\"\ndata_dir = \"/from/file\"\nlog = \"warn\"\n",
        )
        .unwrap();
        let flags = Overrides {
            config: Some(file.clone()),
            ..Default::default()
        };
        let (c, _) = Config::resolve(&flags, &env(&[])).unwrap();
        assert_eq!(c.listen.port(), 1000);
        assert_eq!(c.log, "warn");
        let (c, _) =
            Config::resolve(&flags, &env(&[("SWITCHBOARD_LISTEN", "127.0.0.1:2000")])).unwrap();
        assert_eq!(c.listen.port(), 2000);
        assert_eq!(c.data_dir, PathBuf::from("/from/file"));
        let flags = Overrides {
            listen: Some("127.0.0.1:3000".into()),
            ..flags
        };
        let (c, _) =
            Config::resolve(&flags, &env(&[("SWITCHBOARD_LISTEN", "127.0.0.1:2000")])).unwrap();
        assert_eq!(c.listen.port(), 3000);
    }

    #[test]
    fn unknown_variables_warn_and_secrets_are_redacted() {
        let vars = env(&[
            ("SWITCHBOARD_LISTN", "x"),
            ("SWITCHBOARD_MASTER_KEY", "c2VjcmV0"),
            ("SWITCHBOARD_DATABASE_URL", "postgres://u:pw@localhost/db"),
        ]);
        let (c, warnings) = Config::resolve(&Overrides::default(), &vars).unwrap();
        assert_eq!(
            warnings,
            ["unknown environment variable SWITCHBOARD_LISTN is ignored"]
        );
        let shown = c.redacted();
        assert!(
            !shown.contains("c2VjcmV0") && !shown.contains("pw"),
            "{shown}"
        );
        assert!(shown.contains("postgres://u:***@localhost/db"));
    }

    #[test]
    fn private_webhook_targets_are_off_unless_allowed() {
        let (c, _) = Config::resolve(&Overrides::default(), &env(&[])).unwrap();
        assert!(!c.webhook_allow_private);
        let (c, w) = Config::resolve(
            &Overrides::default(),
            &env(&[("SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE", "1")]),
        )
        .unwrap();
        assert!(c.webhook_allow_private && w.is_empty());
        assert!(Config::resolve(
            &Overrides::default(),
            &env(&[("SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE", "maybe")])
        )
        .is_err());
    }

    #[test]
    fn retentions_default_and_are_read_from_the_file_and_the_environment() {
        let (c, _) = Config::resolve(&Overrides::default(), &env(&[])).unwrap();
        assert_eq!(c.event_retention, jiff::SignedDuration::from_hours(30 * 24));
        assert_eq!(
            c.idempotency_retention,
            jiff::SignedDuration::from_hours(24)
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sb.toml");
        std::fs::write(
            &file,
            "event_retention = \"7d\"\nidempotency_retention = \"2h\"\n",
        )
        .unwrap();
        let flags = Overrides {
            config: Some(file),
            ..Default::default()
        };
        let (c, _) = Config::resolve(&flags, &env(&[])).unwrap();
        assert_eq!(c.event_retention, jiff::SignedDuration::from_hours(7 * 24));
        assert_eq!(c.idempotency_retention, jiff::SignedDuration::from_hours(2));
        let (c, w) = Config::resolve(
            &flags,
            &env(&[("SWITCHBOARD_EVENT_RETENTION", "90 minutes")]),
        )
        .unwrap();
        assert!(w.is_empty());
        assert_eq!(c.event_retention, jiff::SignedDuration::from_mins(90));
        assert!(
            c.redacted().contains("event_retention = \"1h 30m\""),
            "{}",
            c.redacted()
        );
        for bad in ["soon", "0s", "-1d"] {
            assert!(
                Config::resolve(&flags, &env(&[("SWITCHBOARD_IDEMPOTENCY_RETENTION", bad)]))
                    .is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_default_database_is_sqlite_in_the_data_dir() {
        let (c, _) = Config::resolve(&Overrides::default(), &env(&[])).unwrap();
        assert_eq!(
            c.database_url(),
            "sqlite://./switchboard-data/switchboard.db"
        );
        assert!(Config::resolve(
            &Overrides {
                listen: Some("nope".into()),
                ..Default::default()
            },
            &env(&[])
        )
        .is_err());
    }
}
