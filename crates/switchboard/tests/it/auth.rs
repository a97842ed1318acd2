//! Authentication: header or query token, 401 and 403, revocation.

use serde_json::json;

use crate::kit::{on_postgres, Server};

#[tokio::test]
async fn missing_invalid_partner_and_revoked_keys_get_401_disabled_users_403() {
    let s = Server::start().await;
    let u = s.user().await;

    let missing = s.req("GET", "/partner/v1/agents").send().await;
    assert_eq!(missing.status, 401);
    assert!(missing.body["error"].is_string(), "{}", missing.text);

    let invalid = s
        .req("GET", "/partner/v1/agents")
        .header("api_token", "sbu_nope")
        .send()
        .await;
    assert_eq!(
        (invalid.status, invalid.body.clone()),
        (401, json!({"error": "invalid api_token"}))
    );

    let by_query = s
        .req("GET", &format!("/partner/v1/agents?api_token={}", u.key))
        .send()
        .await;
    assert_eq!(by_query.status, 200, "{}", by_query.text);

    let (_, partner_key) = s.core.tenancy().create_partner("Reseller").await.unwrap();
    let partner = s
        .req("GET", "/partner/v1/agents")
        .header("api_token", &partner_key.secret)
        .send()
        .await;
    assert_eq!(partner.status, 401, "a partner key is not a user key");

    let company = s.core.tenancy().create_company("Off", None).await.unwrap();
    let off = s.user_in(company.id, false).await;
    let r = s.dg(&off, "GET", "/agents").send().await;
    assert_eq!(
        (r.status, r.body.clone()),
        (
            403,
            json!({"error": "Partner API access is not enabled for this user"})
        )
    );
    let r = s
        .dg(&off, "POST", "/agents")
        .json(json!({"agentName": "x"}))
        .send()
        .await;
    assert_eq!(r.status, 403);

    // A second key of the same user, revoked: it stops working at once; the first goes on.
    let second = s.core.tenancy().create_user_key(u.user.id).await.unwrap();
    let r = s
        .req("GET", "/partner/v1/agents")
        .header("api_token", &second.secret)
        .send()
        .await;
    assert_eq!(r.status, 200);
    s.core.tenancy().revoke_key(second.key.id).await.unwrap();
    let r = s
        .req("GET", "/partner/v1/agents")
        .header("api_token", &second.secret)
        .send()
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(s.dg(&u, "GET", "/agents").send().await.status, 200);
}

#[tokio::test]
async fn keys_are_stored_only_as_hashes() {
    let s = Server::start().await;
    let u = s.user().await;
    let stored = s.raw_texts("SELECT hash FROM api_keys").await;
    assert!(!stored.is_empty());
    assert!(stored.iter().all(|h| h.len() == 64 && *h != u.key));
    assert!(!stored.iter().any(|h| h.contains(&u.key)));
}

/// A suspended or terminated company's user keys are refused by every dialect with its own 401,
/// at once, and work again as soon as the company is active; the company's partner keeps working
/// (it is the one that reactivates its client).
#[tokio::test]
async fn keys_of_suspended_or_terminated_companies_are_refused_everywhere_until_reactivated() {
    use switchboard_domain::ids::Id;
    use switchboard_domain::tenancy::account::CompanyStatus;

    let s = Server::start().await;
    let (partner, partner_key) = s.core.tenancy().create_partner("Reseller").await.unwrap();
    let company = s
        .core
        .tenancy()
        .create_company("Client Co", Some(partner.id))
        .await
        .unwrap();
    let u = s.user_in(company.id, true).await;
    let bystander = s.user().await;
    let ws = company.id.to_uuid();
    let partner_path = format!("/api/v2/partners/{}PA", partner.id);

    // Every dialect's request with `key`, and the status it answered with.
    let answers = |key: String| {
        let s = &s;
        let ws = ws.clone();
        let partner_path = partner_path.clone();
        async move {
            let dg = s
                .req("GET", "/partner/v1/agents")
                .header("api_token", &key)
                .send()
                .await;
            let cl = s
                .req("GET", "/api/public/v1/agents")
                .header("x-api-key", &key)
                .send()
                .await;
            let bird = s
                .req("GET", &format!("/workspaces/{ws}/agents/me"))
                .header("authorization", &format!("AccessKey {key}"))
                .send()
                .await;
            let d360 = s
                .req("GET", &partner_path)
                .header("X-API-Key", &key)
                .send()
                .await;
            [dg, cl, bird, d360]
        }
    };

    let [dg, cl, bird, _] = answers(u.key.clone()).await;
    assert_eq!((dg.status, cl.status, bird.status), (200, 200, 200));

    for status in [CompanyStatus::Suspended, CompanyStatus::Terminated] {
        s.core
            .partner_clients()
            .set_company_status(company.id, status)
            .await
            .unwrap();
        let [dg, cl, bird, d360] = answers(u.key.clone()).await;
        assert_eq!(
            (dg.status, dg.body.clone()),
            (401, json!({"error": "invalid api_token"})),
            "{status:?}"
        );
        assert_eq!(cl.status, 401, "{status:?}: {}", cl.text);
        assert_eq!(cl.body["success"], false);
        assert_eq!(cl.body["error"]["code"], "unauthorized");
        assert_eq!(bird.status, 401, "{status:?}: {}", bird.text);
        assert!(bird.body["code"].is_string(), "{}", bird.text);
        assert_eq!(d360.status, 401, "{status:?}: {}", d360.text);
        assert_eq!(d360.body["meta"]["http_code"], 401);

        // Other companies' keys and the partner's key are untouched.
        let [dg, ..] = answers(bystander.key.clone()).await;
        assert_eq!(dg.status, 200);
        let [.., d360] = answers(partner_key.secret.clone()).await;
        assert_eq!(d360.status, 200, "{}", d360.text);
    }

    s.core
        .partner_clients()
        .set_company_status(company.id, CompanyStatus::Active)
        .await
        .unwrap();
    let [dg, cl, bird, _] = answers(u.key.clone()).await;
    assert_eq!(
        (dg.status, cl.status, bird.status),
        (200, 200, 200),
        "{} {} {}",
        dg.text,
        cl.text,
        bird.text
    );
}

/// Resolved keys are kept in memory; a change made by another process on the same database
/// still applies to the next request (on PostgreSQL, once the server has heard the commit's
/// notification, which the loop below allows for without waiting on a timer).
#[tokio::test]
async fn a_key_revoked_or_a_company_suspended_by_another_process_stops_working() {
    use switchboard_domain::tenancy::account::CompanyStatus;

    let s = Server::start().await;
    if on_postgres() {
        // The server's listener is in force, so it serves keys from memory.
        s.core.store().subscribe_commits().await.unwrap();
    }
    let u = s.user().await;
    let second = s.core.tenancy().create_user_key(u.user.id).await.unwrap();
    let status = |key: String| {
        let s = &s;
        async move {
            s.req("GET", "/partner/v1/agents")
                .header("api_token", &key)
                .send()
                .await
                .status
        }
    };
    // Until `want`: at once on SQLite (the epoch file is read per request); on PostgreSQL
    // within a bounded number of requests.
    let becomes = |key: String, want: u16| {
        let status = &status;
        async move {
            let tries = if on_postgres() { 500 } else { 1 };
            for _ in 0..tries {
                if status(key.clone()).await == want {
                    return true;
                }
                tokio::task::yield_now().await;
            }
            false
        }
    };
    for key in [&u.key, &second.secret] {
        assert_eq!(status(key.clone()).await, 200);
        assert_eq!(status(key.clone()).await, 200);
    }

    let (other_store, other) = s.other_process().await;
    other.tenancy().revoke_key(second.key.id).await.unwrap();
    assert!(
        becomes(second.secret.clone(), 401).await,
        "revoked key still works"
    );
    assert_eq!(status(u.key.clone()).await, 200);

    other
        .partner_clients()
        .set_company_status(u.user.company_id, CompanyStatus::Suspended)
        .await
        .unwrap();
    assert!(
        becomes(u.key.clone(), 401).await,
        "suspended company's key still works"
    );
    other
        .partner_clients()
        .set_company_status(u.user.company_id, CompanyStatus::Active)
        .await
        .unwrap();
    assert!(
        becomes(u.key.clone(), 200).await,
        "reactivated company's key refused"
    );
    other_store.close().await;
}
