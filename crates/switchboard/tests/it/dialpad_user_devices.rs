//! Dialpad users' caller id, emergency address, personas and desk phones.

use serde_json::json;

use crate::dialpad_kit::{assert_error, dp};
use crate::dialpad_users::company;
use crate::kit::Server;

#[tokio::test]
async fn caller_id_e911_personas_and_deskphones() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let id = c.user.user.id.0;
    let u = |rest: &str| format!("/users/{id}{rest}");

    // Caller id: nothing set; only `blocked` until the user has numbers.
    let r = dp(&s, "GET", &u("/caller_id"), &c.user.key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"id": id, "forwarding_numbers": [], "groups": [], "phone_numbers": []})
    );
    for body in [
        json!({}),
        json!({"caller_id": 5}),
        json!({"caller_id": "555"}),
        json!({"caller_id": "+14155550100"}),
    ] {
        let r = dp(&s, "POST", &u("/caller_id"), &c.key, Some(body)).await;
        assert_error(&r, 400, "badRequest");
    }
    let blocked = json!({"caller_id": "blocked"});
    let r = dp(
        &s,
        "POST",
        &u("/caller_id"),
        &other.key,
        Some(blocked.clone()),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "POST", &u("/caller_id"), &c.user.key, Some(blocked)).await;
    assert_eq!(r.body["caller_id"], "blocked", "{}", r.text);
    assert_eq!(
        dp(&s, "GET", &u("/caller_id"), &c.key, None).await.body["caller_id"],
        "blocked"
    );

    // E911: none until set; every line but address2 is required.
    assert_eq!(
        dp(&s, "GET", &u("/e911"), &c.key, None).await.body,
        json!({})
    );
    let address = json!({"address": "3001 Bishop Dr", "address2": "Ste 120", "city": "San Ramon",
        "state": "CA", "zip": "94583", "country": "US", "use_validated_option": true});
    let mut no_city = address.clone();
    no_city.as_object_mut().unwrap().remove("city");
    for body in [no_city, json!({"address": 1})] {
        let r = dp(&s, "PUT", &u("/e911"), &c.key, Some(body)).await;
        assert_error(&r, 400, "badRequest");
    }
    let mut bad_country = address.clone();
    bad_country["country"] = json!("USA");
    assert_error(
        &dp(&s, "PUT", &u("/e911"), &c.key, Some(bad_country)).await,
        400,
        "badRequest",
    );
    assert_eq!(
        dp(&s, "GET", &u("/e911"), &c.key, None).await.body,
        json!({})
    );
    let r = dp(&s, "PUT", &u("/e911"), &other.key, Some(address.clone())).await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "PUT", &u("/e911"), &c.key, Some(address)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let expected = json!({"address": "3001 Bishop Dr", "address2": "Ste 120", "city": "San Ramon",
        "state": "CA", "zip": "94583", "country": "us"});
    assert_eq!(r.body, expected);
    assert_eq!(
        dp(&s, "GET", &u("/e911"), &c.user.key, None).await.body,
        expected
    );
    assert_error(
        &dp(&s, "GET", &u("/e911"), &other.key, None).await,
        404,
        "notFound",
    );

    // Personas and desk phones: none exist.
    let empty = json!({"items": []});
    assert_eq!(
        dp(&s, "GET", &u("/personas"), &c.key, None).await.body,
        empty
    );
    assert_eq!(
        dp(&s, "GET", &u("/deskphones"), &c.key, None).await.body,
        empty
    );
    assert_error(
        &dp(&s, "GET", &u("/deskphones/abc"), &c.key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "DELETE", &u("/deskphones/abc"), &c.key, None).await,
        404,
        "notFound",
    );
    for rest in ["/personas", "/deskphones", "/caller_id"] {
        assert_error(
            &dp(&s, "GET", &u(rest), &other.key, None).await,
            404,
            "notFound",
        );
    }
    assert_error(
        &dp(&s, "GET", "/users/x/personas", &c.key, None).await,
        400,
        "badRequest",
    );
}
