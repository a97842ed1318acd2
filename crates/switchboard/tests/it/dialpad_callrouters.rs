//! Dialpad call routers: created, read, updated, listed and deleted; default targets are the
//! company's; the secret is sealed at rest and never answered; bad input changes nothing;
//! every write records one change-log event.

use serde_json::{json, Value};
use switchboard_domain::ids::{CallRouterId, OfficeId};
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::telephony::router::{NewCallRouter, RouterTarget, TargetKind};

use crate::dialpad_kit::{assert_error, change_log, company, dp, main_office, new_user};
use crate::kit::Server;

const SECRET: &str = "router-secret-0123456789-abcdefghijklmnop";

fn router_body(office: i64, user: i64) -> Value {
    json!({
        "name": "Test Router", "office_id": office, "routing_url": "https://example.com/route",
        "default_target_id": user, "default_target_type": "user", "secret": SECRET
    })
}

#[tokio::test]
async fn call_routers_are_created_read_updated_listed_and_deleted() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let office = main_office(&s, &c).await;
    let user = new_user(&s, &c, "target@acme.example", json!({})).await;

    let made = dp(
        &s,
        "POST",
        "/callrouters",
        &c.admin_key,
        Some(router_body(office, user)),
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.text);
    let id = made.body["id"].as_i64().unwrap();
    assert_eq!(
        made.body,
        json!({
            "default_target_id": user, "default_target_type": "user", "enabled": true, "id": id,
            "name": "Test Router", "office_id": office, "phone_numbers": [],
            "routing_url": "https://example.com/route",
            "signature": {"algo": "HS256", "type": "jwt"}
        })
    );
    assert!(!made.text.contains(SECRET));
    let path = format!("/callrouters/{id}");
    let got = dp(&s, "GET", &path, &c.user_key, None).await;
    assert_eq!((got.status, &got.body), (200, &made.body));

    // A call center as the default target, disabled, a new URL and name; the rest stays.
    let cc = dp(
        &s,
        "POST",
        "/callcenters",
        &c.company_key,
        Some(json!({"name": "Support", "office_id": office})),
    )
    .await;
    let cc = cc.body["id"].as_i64().unwrap();
    let patch = json!({"default_target_id": cc.to_string(), "default_target_type": "callcenter",
                       "enabled": false, "name": "Renamed", "routing_url": "http://127.0.0.1:9/r",
                       "reset_error_count": true});
    let up = dp(&s, "PATCH", &path, &c.company_key, Some(patch)).await;
    assert_eq!(up.status, 200, "{}", up.text);
    assert_eq!(up.body["default_target_id"], cc);
    assert_eq!(up.body["default_target_type"], "callcenter");
    assert_eq!(up.body["enabled"], false);
    assert_eq!(up.body["name"], "Renamed");
    assert_eq!(up.body["routing_url"], "http://127.0.0.1:9/r");
    assert_eq!(up.body["office_id"], office);
    assert_eq!(up.body["signature"]["type"], "jwt");
    assert_eq!(
        dp(&s, "GET", &path, &c.company_key, None).await.body,
        up.body
    );

    // Another router may be the default target; the router itself may not.
    let second = dp(&s, "POST", "/callrouters", &c.company_key,
        Some(json!({"name": "Second", "office_id": office, "routing_url": "https://example.org/r",
                    "default_target_id": id, "default_target_type": "callrouter", "enabled": false})),
    )
    .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(second.body["signature"], json!({}));
    let self_target = json!({"default_target_id": id, "default_target_type": "callrouter"});
    assert_error(
        &dp(&s, "PATCH", &path, &c.company_key, Some(self_target)).await,
        400,
        "badRequest",
    );

    // The domain read the calls engine uses.
    let router = s
        .core
        .telephony()
        .call_router(c.id, CallRouterId(id))
        .await
        .unwrap();
    assert_eq!(
        router.default_target,
        RouterTarget {
            kind: TargetKind::CallCenter,
            id: cc
        }
    );
    assert!(!router.enabled && router.signed);

    let list = dp(&s, "GET", "/callrouters", &c.user_key, None).await;
    let ids: Vec<i64> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&id));
    assert!(list.body.get("cursor").is_none());
    let filtered = dp(
        &s,
        "GET",
        &format!("/callrouters?office_id={office}"),
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(filtered.body["items"].as_array().unwrap().len(), 2);

    // Plain users read but do not write; another company sees nothing.
    for (method, body) in [
        ("POST", Some(router_body(office, user))),
        ("PATCH", Some(json!({"name": "X"}))),
        ("DELETE", None),
    ] {
        let p = if method == "POST" {
            "/callrouters".to_owned()
        } else {
            path.clone()
        };
        assert_error(
            &dp(&s, method, &p, &c.user_key, body).await,
            403,
            "forbidden",
        );
    }
    for (method, body) in [
        ("GET", None),
        ("PATCH", Some(json!({"name": "X"}))),
        ("DELETE", None),
    ] {
        assert_error(
            &dp(&s, method, &path, &other.company_key, body).await,
            404,
            "notFound",
        );
    }
    assert!(dp(&s, "GET", "/callrouters", &other.company_key, None)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/callrouters?office_id={office}"),
            &other.company_key,
            None,
        )
        .await,
        404,
        "notFound",
    );

    let gone = dp(&s, "DELETE", &path, &c.company_key, None).await;
    assert_eq!(
        (gone.status, gone.body["id"].as_i64()),
        (200, Some(id)),
        "{}",
        gone.text
    );
    assert_error(
        &dp(&s, "GET", &path, &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "DELETE", &path, &c.company_key, None).await,
        404,
        "notFound",
    );
    let secrets = s
        .raw_texts(&format!(
            "SELECT owner FROM secrets WHERE purpose = 'call_router_signing' AND owner = '{id}'"
        ))
        .await;
    assert!(secrets.is_empty(), "the secret goes with the router");

    // One event per write, saying who did what to which router.
    let log: Vec<Value> = change_log(&s, c.id)
        .await
        .into_iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("call_router"))
        .collect();
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "call_router_created",
            "call_router_updated",
            "call_router_created",
            "call_router_deleted"
        ]
    );
    assert_eq!(log[0]["target"], json!({"type": "CallRouter", "id": id}));
    assert_eq!(log[0]["changed_by"]["type"], "User");
    assert_eq!(
        log[1]["changed_by"],
        json!({"type": "Company", "id": c.id.0})
    );
    assert_eq!(
        log[1]["additional_data"]["changed"],
        json!(["name", "routing_url", "default_target", "enabled"])
    );
    assert!(log.iter().all(|e| !e.to_string().contains(SECRET)));
}

#[tokio::test]
async fn the_secret_is_sealed_at_rest_never_answered_and_can_change() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let office = main_office(&s, &c).await;
    let user = new_user(&s, &c, "target@acme.example", json!({})).await;
    let made = dp(
        &s,
        "POST",
        "/callrouters",
        &c.company_key,
        Some(router_body(office, user)),
    )
    .await;
    let id = CallRouterId(made.body["id"].as_i64().unwrap());
    let t = s.core.telephony();
    assert_eq!(
        t.call_router_secret(c.id, id)
            .await
            .unwrap()
            .unwrap()
            .expose(),
        SECRET
    );

    let sealed = s
        .raw_texts("SELECT ciphertext FROM secrets WHERE purpose = 'call_router_signing'")
        .await;
    assert_eq!(sealed.len(), 1);
    let mut stored = sealed;
    for sql in [
        "SELECT name FROM call_routers",
        "SELECT routing_url FROM call_routers",
        "SELECT payload FROM events",
    ] {
        stored.extend(s.raw_texts(sql).await);
    }
    assert!(stored.iter().all(|t| !t.contains(SECRET)));
    if !crate::kit::on_postgres() {
        for entry in std::fs::read_dir(s.data_dir()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(
                !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
                "plaintext in a data file"
            );
        }
    }

    // A new secret replaces it; an empty one removes it.
    let path = format!("/callrouters/{}", id.0);
    let next = "another-secret-that-is-long-enough-000";
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.company_key,
        Some(json!({"secret": next})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(!r.text.contains(next));
    assert_eq!(
        t.call_router_secret(c.id, id)
            .await
            .unwrap()
            .unwrap()
            .expose(),
        next
    );
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.company_key,
        Some(json!({"secret": ""})),
    )
    .await;
    assert_eq!(r.body["signature"], json!({}), "{}", r.text);
    assert!(t.call_router_secret(c.id, id).await.unwrap().is_none());
    assert!(s
        .raw_texts("SELECT owner FROM secrets WHERE purpose = 'call_router_signing'")
        .await
        .is_empty());
}

#[tokio::test]
async fn bad_routers_are_refused_and_nothing_changes() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let office = main_office(&s, &c).await;
    let foreign_office = main_office(&s, &other).await;
    let user = new_user(&s, &c, "target@acme.example", json!({})).await;
    let gone = new_user(&s, &c, "gone@acme.example", json!({})).await;
    assert_eq!(
        dp(
            &s,
            "DELETE",
            &format!("/users/{gone}"),
            &c.company_key,
            None
        )
        .await
        .status,
        200
    );
    let foreign_user = new_user(&s, &other, "target@other.example", json!({})).await;
    let with = |k: &str, v: Value| {
        let mut b = router_body(office, user);
        b[k] = v;
        b
    };
    let without = |k: &str| {
        let mut b = router_body(office, user);
        b.as_object_mut().unwrap().remove(k);
        b
    };
    let before = change_log(&s, c.id).await.len();
    for (body, status) in [
        (without("name"), 400),
        (without("routing_url"), 400),
        (without("office_id"), 400),
        (without("default_target_id"), 400),
        (without("default_target_type"), 400),
        (with("name", json!("")), 400),
        (with("name", json!("two\nlines")), 400),
        (with("name", json!(7)), 400),
        (with("routing_url", json!("http://example.com/route")), 400),
        (with("routing_url", json!("not a url")), 400),
        (with("routing_url", json!("ftp://example.com/r")), 400),
        (with("secret", json!("too short")), 400),
        (with("secret", json!("")), 400),
        (with("enabled", json!("yes")), 400),
        (with("office_id", json!(-3)), 400),
        (with("default_target_type", json!("planet")), 400),
        (with("default_target_type", json!("unknown")), 400),
        (with("default_target_id", json!("abc")), 400),
        (with("reset_error_count", json!(true)), 400),
        (with("surprise", json!(1)), 400),
        (with("office_id", json!(foreign_office)), 404),
        (with("office_id", json!(12345)), 404),
        (with("default_target_id", json!(foreign_user)), 404),
        (with("default_target_id", json!(gone)), 404),
        (with("default_target_type", json!("office")), 404),
        (with("default_target_type", json!("department")), 404),
        (with("default_target_type", json!("callrouter")), 404),
        (with("default_target_type", json!("room")), 404),
    ] {
        let r = dp(
            &s,
            "POST",
            "/callrouters",
            &c.company_key,
            Some(body.clone()),
        )
        .await;
        let reason = if status == 400 {
            "badRequest"
        } else {
            "notFound"
        };
        assert_error(&r, status, reason);
    }
    let garbled = s
        .req("POST", "/api/v2/callrouters")
        .header("authorization", &format!("Bearer {}", c.company_key))
        .raw("{\"name\": ")
        .send()
        .await;
    assert_error(&garbled, 400, "badRequest");
    let list = dp(&s, "GET", "/callrouters", &c.company_key, None).await;
    assert!(list.body["items"].as_array().unwrap().is_empty());

    // Bad updates change nothing either.
    let made = dp(
        &s,
        "POST",
        "/callrouters",
        &c.company_key,
        Some(router_body(office, user)),
    )
    .await;
    let path = format!("/callrouters/{}", made.body["id"]);
    for (body, status) in [
        (json!({"name": "New", "routing_url": "gopher://x"}), 400),
        (json!({"name": "New", "default_target_id": user}), 400),
        (json!({"name": "New", "secret": "short"}), 400),
        (json!({"name": "New", "enabled": null, "nope": 1}), 400),
        (json!({"name": "New", "office_id": foreign_office}), 404),
        (
            json!({"name": "New", "default_target_id": foreign_user, "default_target_type": "user"}),
            404,
        ),
    ] {
        let r = dp(&s, "PATCH", &path, &c.company_key, Some(body)).await;
        assert_error(
            &r,
            status,
            if status == 400 {
                "badRequest"
            } else {
                "notFound"
            },
        );
    }
    assert_error(
        &dp(&s, "GET", "/callrouters/abc", &c.company_key, None).await,
        400,
        "badRequest",
    );
    assert_error(
        &dp(&s, "GET", "/callrouters?office_id=x", &c.company_key, None).await,
        400,
        "badRequest",
    );
    assert_eq!(
        dp(&s, "GET", &path, &c.company_key, None).await.body,
        made.body
    );
    // Only the one good create was logged.
    assert_eq!(change_log(&s, c.id).await.len(), before + 1);
}

#[tokio::test]
async fn router_lists_page_with_signed_cursors() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let office = OfficeId(main_office(&s, &c).await);
    let second = dp(
        &s,
        "POST",
        "/offices",
        &c.company_key,
        Some(json!({
            "name": "Berlin", "country": "DE", "currency": "EUR", "plan_period": "monthly",
            "annual_commit_monthly_billing": false, "invoiced": true, "unified_billing": true,
            "billing_address": {"address_line_1": "Str. 1", "city": "Berlin", "country": "DE",
                                "postal_code": "10115", "region": "BE"}
        })),
    )
    .await;
    let second = OfficeId(second.body["office"]["id"].as_i64().unwrap());
    let actor = Actor::company(c.id);
    for i in 0..103 {
        s.core
            .telephony()
            .create_call_router(
                &actor,
                NewCallRouter {
                    office_id: if i % 2 == 0 { office } else { second },
                    name: format!("Router {i}"),
                    routing_url: "https://example.com/r".into(),
                    default_target: RouterTarget {
                        kind: TargetKind::Office,
                        id: office.0,
                    },
                    enabled: true,
                    secret: None,
                },
            )
            .await
            .unwrap();
    }
    let first = dp(&s, "GET", "/callrouters", &c.company_key, None).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 100);
    let cursor = first.body["cursor"].as_str().unwrap().to_owned();
    let rest = dp(
        &s,
        "GET",
        &format!("/callrouters?cursor={cursor}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(
        rest.body["items"].as_array().unwrap().len(),
        3,
        "{}",
        rest.text
    );
    assert!(rest.body.get("cursor").is_none());
    let mut ids: Vec<i64> = first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest.body["items"].as_array().unwrap())
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);

    let evens = dp(
        &s,
        "GET",
        &format!("/callrouters?office_id={}", office.0),
        &c.company_key,
        None,
    )
    .await;
    let items = evens.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 52);
    assert!(items.iter().all(|r| r["office_id"] == office.0));
    assert!(evens.body.get("cursor").is_none());

    // A cursor of another filter or company, or altered, is 400.
    for path in [
        format!("/callrouters?office_id={}&cursor={cursor}", second.0),
        format!("/callrouters?cursor={cursor}x"),
    ] {
        assert_error(
            &dp(&s, "GET", &path, &c.company_key, None).await,
            400,
            "badRequest",
        );
    }
    let other = company(&s, "Other").await;
    let r = dp(
        &s,
        "GET",
        &format!("/callrouters?cursor={cursor}"),
        &other.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
}

#[tokio::test]
async fn group_routing_may_target_the_companys_call_routers() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let office = main_office(&s, &c).await;
    let body = json!({"name": "R", "office_id": office, "routing_url": "https://example.com/r",
                      "default_target_id": office, "default_target_type": "office"});
    let key = &c.company_key;
    let mine = dp(&s, "POST", "/callrouters", key, Some(body.clone())).await;
    let mut theirs = body;
    theirs["office_id"] = json!(main_office(&s, &other).await);
    theirs["default_target_id"] = theirs["office_id"].clone();
    let theirs = dp(&s, "POST", "/callrouters", &other.company_key, Some(theirs)).await;
    let cc = |router: &Value| {
        json!({"name": "Support", "office_id": office, "routing_options": {
            "open": {"action": "bridge_target", "action_target_id": router["id"],
                     "action_target_type": "callrouter", "try_dial_operators": false},
            "closed": {"action": "voicemail", "try_dial_operators": false}}})
    };
    let r = dp(&s, "POST", "/callcenters", key, Some(cc(&mine.body))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(&s, "POST", "/callcenters", key, Some(cc(&theirs.body))).await;
    assert_error(&r, 404, "notFound");
}
