//! The command line: account creation, key revocation, secret rotation, help.

use std::process::Command;

use serde_json::{json, Value};

use crate::kit::Server;

pub(crate) fn cli(s: &Server, args: &[&str]) -> Value {
    let out = s.command().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "one JSON object: {stdout}"
    );
    serde_json::from_str(stdout.trim()).unwrap()
}

pub(crate) fn text(v: &Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} in {v}"))
        .to_owned()
}

#[tokio::test]
async fn accounts_made_on_the_command_line_work_over_http_until_revoked() {
    let s = Server::start().await;
    let partner = cli(&s, &["partner", "create", "--name", "Acme Resellers"]);
    assert!(text(&partner, "api_key").starts_with("sbp_"));
    let company = cli(
        &s,
        &[
            "company",
            "create",
            "--name",
            "Acme",
            "--partner",
            &text(&partner, "partner_id"),
        ],
    );
    // Global options are accepted after the subcommand too.
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args([
            "user",
            "create",
            "--company",
            &text(&company, "company_id"),
            "--email",
            "Ann@Example.com",
            "--first-name",
            "Ann",
            "--last-name",
            "Lee",
            "--admin",
        ])
        .args([
            "--data-dir",
            s.data_dir().to_str().unwrap(),
            "--database",
            &s.config.database_url(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let user: Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = cli(&s, &["key", "create", "--user", &text(&user, "user_id")]);
    let api_key = text(&key, "api_key");
    assert!(api_key.starts_with("sbu_"));

    let r = s
        .req("POST", "/partner/v1/agents")
        .header("api_token", &api_key)
        .json(json!({"agentName": "CLI"}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["agent"]["userId"], text(&user, "user_id"));

    let revoked = cli(&s, &["key", "revoke", &text(&key, "key_id")]);
    assert_eq!(revoked["revoked"], true);
    let r = s
        .req("GET", "/partner/v1/agents")
        .header("api_token", &api_key)
        .send()
        .await;
    assert_eq!(r.status, 401);

    let dup = s
        .command()
        .args([
            "user",
            "create",
            "--company",
            &text(&company, "company_id"),
            "--email",
            "ann@example.com",
        ])
        .output()
        .unwrap();
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("exists"));
    let missing = s
        .command()
        .args([
            "company",
            "create",
            "--name",
            "X",
            "--partner",
            "1234567890123456",
        ])
        .output()
        .unwrap();
    assert!(!missing.status.success());
}

#[tokio::test]
async fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["partner", "create", "--help"],
        vec!["company", "create", "--help"],
        vec!["user", "create", "--help"],
        vec!["key", "create", "--help"],
        vec!["key", "revoke", "--help"],
        vec!["secrets", "rotate", "--help"],
        vec!["config", "show", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[tokio::test]
async fn secrets_rotate_installs_a_new_key_and_reencrypts_every_secret() {
    let mut s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "Rotated").await;
    let r = s
        .dg(&u, "PUT", &format!("/agents/{id}/credentials"))
        .json(json!([{"key": "K", "value": "before-rotation"}]))
        .send()
        .await;
    assert_eq!(r.status, 200);
    let key_file = s.data_dir().join("master.key");
    let old_key = std::fs::read_to_string(&key_file).unwrap();
    let old_ids = s.raw_texts("SELECT key_id FROM secrets").await;

    s.shutdown().await;
    let rotated = cli(&s, &["secrets", "rotate"]);
    assert_eq!(rotated["reencrypted"], 1);
    let new_key = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(new_key, old_key);
    assert!(!s.data_dir().join("master.key.next").exists());
    let s = s.restart().await;
    let new_ids = s.raw_texts("SELECT key_id FROM secrets").await;
    assert_eq!(new_ids, vec![text(&rotated, "key_id")]);
    assert_ne!(new_ids, old_ids);
    let creds = s
        .dg(&u, "GET", &format!("/agents/{id}/credentials"))
        .send()
        .await;
    assert_eq!(
        creds.body,
        json!({"credentials": [{"key": "K", "value": "before-rotation"}]})
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[tokio::test]
async fn config_show_redacts_the_master_key() {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["config", "show"])
        .env(
            "SWITCHBOARD_MASTER_KEY",
            "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=",
        )
        .env("SWITCHBOARD_LISTN", "typo")
        .output()
        .unwrap();
    assert!(out.status.success());
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("listen = \"127.0.0.1:8080\""), "{shown}");
    assert!(!shown.contains("q83vEjRWeJ"), "{shown}");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("SWITCHBOARD_LISTN"),
        "unknown variables are warned about: {log}"
    );
}

#[tokio::test]
async fn a_configured_master_key_rotates_with_new_key() {
    let old = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
    let new = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let mut s = Server::start_with_master_key(old).await;
    let u = s.user().await;
    let id = s.agent(&u, "Env").await;
    let r = s
        .dg(&u, "PUT", &format!("/agents/{id}/credentials"))
        .json(json!([{"key": "K", "value": "env-secret"}]))
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert!(
        !s.data_dir().join("master.key").exists(),
        "no key file when the key is configured"
    );
    s.shutdown().await;

    let run = |args: &[&str]| {
        s.command()
            .args(args)
            .env("SWITCHBOARD_MASTER_KEY", old)
            .output()
            .unwrap()
    };
    let refused = run(&["secrets", "rotate"]);
    assert!(
        !refused.status.success(),
        "a configured key needs --new-key"
    );
    let out = run(&["secrets", "rotate", "--new-key", new]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let s = Server::restart_with_master_key(s, new).await;
    let creds = s
        .dg(&u, "GET", &format!("/agents/{id}/credentials"))
        .send()
        .await;
    assert_eq!(
        creds.body,
        json!({"credentials": [{"key": "K", "value": "env-secret"}]})
    );
}

#[tokio::test]
async fn logs_are_json_lines_when_asked() {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["config", "show"])
        .env("SWITCHBOARD_LOG_FORMAT", "json")
        .env("SWITCHBOARD_UNKNOWN_THING", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = String::from_utf8(out.stderr).unwrap();
    let line: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(line["level"], "WARN");
    assert!(line["fields"]["message"]
        .as_str()
        .unwrap()
        .contains("SWITCHBOARD_UNKNOWN_THING"));
}
