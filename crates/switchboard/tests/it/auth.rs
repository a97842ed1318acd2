//! Authentication: header or query token, 401 and 403, revocation.

use serde_json::json;

use crate::kit::Server;

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
