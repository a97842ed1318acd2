//! Dialpad: keys and admins, the error envelope, paging, rate limits, the company, offices and
//! users — and that a Dialpad user is the same record the other dialects show.

use serde_json::{json, Value};

use crate::dialpad_kit::{assert_error, company, dp};
use crate::kit::{Resp, Server};

#[tokio::test]
async fn keys_admins_and_the_error_envelope() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;

    // No key, a wrong key, a partner key: 401.
    let none = s.req("GET", "/api/v2/company").send().await;
    assert_error(&none, 401, "required");
    assert_error(
        &dp(&s, "GET", "/company", "sbc_nope", None).await,
        401,
        "required",
    );
    let (_, partner_key) = s.core.tenancy().create_partner("Reseller").await.unwrap();
    assert_error(
        &dp(&s, "GET", "/company", &partner_key.secret, None).await,
        401,
        "required",
    );

    // The company key and an admin's key read the company; a plain user's key is 403.
    for key in [&c.company_key, &c.admin_key] {
        let r = dp(&s, "GET", "/company", key, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["id"], json!(c.id.0));
        assert_eq!(r.body["name"], "Acme");
        assert_eq!(r.body["state"], "active");
        assert_eq!(r.body["office_count"], 1);
        assert_eq!(r.body["admin_email"], "person0@acme.example");
        assert_eq!(r.body["domain"], "acme.example");
        assert_eq!(r.body["account_type"], "standard");
    }
    assert_error(
        &dp(&s, "GET", "/company", &c.user_key, None).await,
        403,
        "forbidden",
    );

    // `?apikey=` works as the header does.
    let q = s
        .req("GET", &format!("/api/v2/company?apikey={}", c.company_key))
        .send()
        .await;
    assert_eq!(q.status, 200, "{}", q.text);

    // DP-Company-ID: the caller's own company is fine, another is 404.
    let other = company(&s, "Other").await;
    let own = s
        .req("GET", "/api/v2/company")
        .header("authorization", &format!("Bearer {}", c.company_key))
        .header("dp-company-id", &c.id.0.to_string())
        .send()
        .await;
    assert_eq!(own.status, 200);
    let foreign = s
        .req("GET", "/api/v2/company")
        .header("authorization", &format!("Bearer {}", c.company_key))
        .header("dp-company-id", &other.id.0.to_string())
        .send()
        .await;
    assert_error(&foreign, 404, "notFound");

    // Unknown paths and methods answer in the envelope; 360dialog keeps its own mount.
    assert_error(
        &dp(&s, "GET", "/nothing", &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "PUT", "/company", &c.company_key, None).await,
        405,
        "methodNotAllowed",
    );
    let d360 = s.req("GET", "/api/v2/partners/1PA").send().await;
    assert_eq!(d360.status, 401);
    assert_eq!(d360.body["meta"]["http_code"], 401, "{}", d360.text);

    // A suspended company's keys stop working.
    s.core
        .partner_clients()
        .set_company_status(
            c.id,
            switchboard_domain::tenancy::account::CompanyStatus::Suspended,
        )
        .await
        .unwrap();
    assert_error(
        &dp(&s, "GET", "/company", &c.company_key, None).await,
        401,
        "required",
    );
}

#[tokio::test]
async fn offices_the_main_office_and_other_companies() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;

    let list = dp(&s, "GET", "/offices", &c.user_key, None).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert!(list.body.get("cursor").is_none(), "{}", list.text);
    let main = &items[0];
    assert_eq!(main["is_primary_office"], true);
    assert_eq!(main["name"], "Acme");
    assert_eq!(main["state"], "active");
    assert_eq!(main["country"], "us");
    assert_eq!(main["timezone"], "America/New_York");
    let id = main["id"].as_i64().unwrap();
    assert_eq!(main["office_id"], id);

    let one = dp(&s, "GET", &format!("/offices/{id}"), &c.user_key, None).await;
    assert_eq!(one.body, *main);
    // Another company's office is missing; a non-number is a bad request.
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/offices/{id}"),
            &other.company_key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/offices/abc", &c.user_key, None).await,
        400,
        "badRequest",
    );
    assert_error(
        &dp(&s, "GET", "/offices/-4", &c.user_key, None).await,
        400,
        "badRequest",
    );
}

#[tokio::test]
async fn users_are_created_listed_paged_filtered_and_deleted() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let offices = dp(&s, "GET", "/offices", &c.company_key, None).await;
    let office = offices.body["items"][0]["id"].as_i64().unwrap();

    // Created through Dialpad, as an integer or a string office id.
    let mut made = Vec::new();
    for i in 0..5 {
        let office_id = if i % 2 == 0 {
            json!(office)
        } else {
            json!(office.to_string())
        };
        let r = dp(
            &s,
            "POST",
            "/users",
            &c.company_key,
            Some(json!({"email": format!("new{i}@acme.example"), "office_id": office_id,
                        "first_name": "New", "last_name": format!("Person{i}"), "license": "agents"})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["office_id"], office);
        assert_eq!(r.body["state"], "active");
        assert_eq!(r.body["license"], "agents");
        assert_eq!(r.body["emails"], json!([format!("new{i}@acme.example")]));
        assert_eq!(r.body["display_name"], format!("New Person{i}"));
        assert!(r.body["id"].is_i64());
        made.push(r.body["id"].as_i64().unwrap());
    }

    // Bad input: the envelope, and nothing made.
    let cases = [
        (json!({"office_id": office}), 400),
        (json!({"email": "x@acme.example"}), 400),
        (json!({"email": "not an email", "office_id": office}), 400),
        (
            json!({"email": "y@acme.example", "office_id": office, "license": "gold"}),
            400,
        ),
        (json!({"email": "y@acme.example", "office_id": -1}), 400),
        (json!({"email": "y@acme.example", "office_id": "abc"}), 400),
        (
            json!({"email": "new0@acme.example", "office_id": office}),
            409,
        ),
    ];
    for (body, code) in cases {
        let r = dp(&s, "POST", "/users", &c.company_key, Some(body.clone())).await;
        assert_eq!(r.status, code, "{body}: {}", r.text);
        assert_eq!(r.body["error"]["code"], code);
    }
    // Another company's office is not found; a plain user may not create users.
    let foreign_office = dp(&s, "GET", "/offices", &other.company_key, None)
        .await
        .body["items"][0]["id"]
        .clone();
    let r = dp(
        &s,
        "POST",
        "/users",
        &c.company_key,
        Some(json!({"email": "z@acme.example", "office_id": foreign_office})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "POST",
        "/users",
        &c.user_key,
        Some(json!({"email": "z@acme.example", "office_id": office})),
    )
    .await;
    assert_error(&r, 403, "forbidden");

    // Seven users in all (two from the fixture); pages of 3 walk them once each, in order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/users?limit=3&cursor={c}"),
            None => "/users?limit=3".into(),
        };
        let r = dp(&s, "GET", &path, &c.user_key, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        pages += 1;
        for u in r.body["items"].as_array().unwrap() {
            assert_eq!(u["company_id"], json!(c.id.0));
            seen.push(u["id"].as_i64().unwrap());
        }
        match r.body.get("cursor").and_then(Value::as_str) {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 7);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    for id in &made {
        assert!(seen.contains(id));
    }

    // A cursor from another filter or company, or altered, is 400.
    let first = dp(&s, "GET", "/users?limit=3", &c.user_key, None).await;
    let token = first.body["cursor"].as_str().unwrap().to_owned();
    for bad in [
        dp(
            &s,
            "GET",
            &format!("/users?limit=3&state=active&cursor={token}"),
            &c.user_key,
            None,
        )
        .await,
        dp(
            &s,
            "GET",
            &format!("/users?limit=3&cursor={token}"),
            &other.company_key,
            None,
        )
        .await,
        dp(
            &s,
            "GET",
            &format!("/users?limit=3&cursor={token}x"),
            &c.user_key,
            None,
        )
        .await,
        dp(&s, "GET", "/users?limit=0", &c.user_key, None).await,
        dp(&s, "GET", "/users?state=sleeping", &c.user_key, None).await,
        dp(&s, "GET", "/users?company_admin=maybe", &c.user_key, None).await,
    ] {
        assert_error(&bad, 400, "badRequest");
    }

    // Filters.
    let admins = dp(&s, "GET", "/users?company_admin=True", &c.user_key, None).await;
    let emails: Vec<&str> = admins.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["emails"][0].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["person0@acme.example"]);
    let by_email = dp(
        &s,
        "GET",
        "/users?email=NEW3@acme.example",
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(by_email.body["items"][0]["id"], made[3]);
    assert_eq!(by_email.body["items"].as_array().unwrap().len(), 1);
    let by_number = dp(&s, "GET", "/users?number=%2B14155550100", &c.user_key, None).await;
    assert_eq!(by_number.body["items"], json!([]));

    // Get, another company's user, delete.
    let one = dp(&s, "GET", &format!("/users/{}", made[0]), &c.user_key, None).await;
    assert_eq!(one.body["id"], made[0]);
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/users/{}", made[0]),
            &other.company_key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    assert_error(
        &dp(
            &s,
            "DELETE",
            &format!("/users/{}", made[0]),
            &c.user_key,
            None,
        )
        .await,
        403,
        "forbidden",
    );
    let del = dp(
        &s,
        "DELETE",
        &format!("/users/{}", made[0]),
        &c.admin_key,
        None,
    )
    .await;
    assert_eq!(del.status, 200, "{}", del.text);
    assert_eq!(del.body["state"], "deleted");
    assert_error(
        &dp(
            &s,
            "DELETE",
            &format!("/users/{}", made[0]),
            &c.admin_key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    let active = dp(&s, "GET", "/users", &c.user_key, None).await;
    assert_eq!(active.body["items"].as_array().unwrap().len(), 6);
    let deleted = dp(&s, "GET", "/users?state=deleted", &c.user_key, None).await;
    assert_eq!(deleted.body["items"][0]["id"], made[0]);
    let all = dp(&s, "GET", "/users?state=all", &c.user_key, None).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn a_dialpad_user_is_the_same_person_in_the_other_dialects() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let office =
        dp(&s, "GET", "/offices", &c.company_key, None).await.body["items"][0]["id"].clone();
    let made = dp(
        &s,
        "POST",
        "/users",
        &c.company_key,
        Some(json!({"email": "ann@acme.example", "office_id": office, "first_name": "Ann", "last_name": "Lee"})),
    )
    .await;
    let id = made.body["id"].as_i64().unwrap();
    let uid = switchboard_domain::ids::UserId(id);
    let key = s.core.tenancy().create_user_key(uid).await.unwrap().secret;

    // The same user is a Bird agent of the workspace (the company) …
    let ws = switchboard_domain::ids::Id::to_uuid(c.id);
    let bird = s
        .req("GET", &format!("/workspaces/{ws}/agents/me"))
        .header("authorization", &format!("AccessKey {key}"))
        .send()
        .await;
    assert_eq!(bird.status, 200, "{}", bird.text);
    assert_eq!(bird.body["id"], switchboard_domain::ids::Id::to_uuid(uid));
    // … and a Dialgood account owner.
    let dg = s
        .req("GET", "/partner/v1/agents")
        .header("api_token", &key)
        .send()
        .await;
    assert_eq!(dg.status, 200, "{}", dg.text);

    // A user deleted in Dialpad can no longer use their key anywhere.
    dp(&s, "DELETE", &format!("/users/{id}"), &c.company_key, None).await;
    let dg = s
        .req("GET", "/partner/v1/agents")
        .header("api_token", &key)
        .send()
        .await;
    assert_eq!(dg.status, 401, "{}", dg.text);
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let s = Server::start_configured(|c| c.dialpad_rate_limit = 3).await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(dp(&s, "GET", "/offices", &c.company_key, None).await);
    }
    // A burst of three fits; the limiter refills as time passes, so at most one more may.
    let limited: Vec<&Resp> = statuses.iter().filter(|r| r.status == 429).collect();
    assert!(!limited.is_empty(), "no request was limited");
    assert!(statuses[..3].iter().all(|r| r.status == 200));
    let r = limited[0];
    assert_error(r, 429, "rateLimitExceeded");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=1).contains(&retry), "{retry}");
    // Another company has its own budget.
    assert_eq!(
        dp(&s, "GET", "/offices", &other.company_key, None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_served_document_is_the_vendors_for_the_implemented_operations() {
    let s = Server::start().await;
    let doc = s.req("GET", "/api/v2/openapi.json").send().await;
    assert_eq!(doc.status, 200);
    let paths = doc.body["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v2/users"));
    assert!(paths["/api/v2/users"].get("post").is_some());
    assert!(paths.contains_key("/api/v2/call"));
    // Every operation of the vendor's document is served.
    let served: usize = paths
        .values()
        .map(|ops| {
            ops.as_object()
                .unwrap()
                .keys()
                .filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
                .count()
        })
        .sum();
    assert_eq!(served, 193);
    let docs = s.req("GET", "/docs").send().await;
    assert!(docs.text.contains("Dialpad API v2"));
}

/// Migration 0010 gives every existing company its main office, puts its users in it, and keeps
/// every existing key.
#[tokio::test]
async fn migration_0010_gives_existing_companies_a_main_office() {
    use sqlx::Row;
    let mut old = crate::kit::OldDatabase::before("0010").await;
    let db = old.db;
    let t = if db == "postgres" { "TRUE" } else { "1" };
    for sql in [
        "INSERT INTO partners (id, name, created_at, updated_at, settings) VALUES (5, 'P', 1, 1, '{}')".to_owned(),
        "INSERT INTO companies (id, name, created_at) VALUES (1, 'Acme', 1), (2, 'Beta', 2)".to_owned(),
        format!(
            "INSERT INTO users (id, company_id, email, is_admin, partner_api_enabled, created_at) \
             VALUES (10, 1, 'ann@example.com', {t}, {t}, 100), (20, 2, 'bo@example.com', {t}, {t}, 200)"
        ),
        "INSERT INTO api_keys (id, user_id, partner_id, hash, created_at) VALUES \
         (100, 10, NULL, 'h1', 1), (101, NULL, 5, 'h2', 1)".to_owned(),
    ] {
        sqlx::query(&sql).execute(&mut old.conn).await.unwrap();
    }
    old.migrate().await;

    let offices = sqlx::query(
        "SELECT o.company_id, o.name, o.state, u.id AS user_id, u.state AS user_state \
         FROM offices o JOIN users u ON u.office_id = o.id ORDER BY o.company_id",
    )
    .fetch_all(&mut old.conn)
    .await
    .unwrap();
    let got: Vec<(i64, String, String, i64, String)> = offices
        .iter()
        .map(|r| {
            (
                r.get("company_id"),
                r.get("name"),
                r.get("state"),
                r.get("user_id"),
                r.get("user_state"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "Acme".into(), "active".into(), 10, "active".into()),
            (2, "Beta".into(), "active".into(), 20, "active".into())
        ]
    );
    let ids: Vec<i64> = sqlx::query("SELECT id FROM offices")
        .fetch_all(&mut old.conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    assert!(
        ids.iter()
            .all(|id| (1_000_000_000_000_000..1 << 53).contains(id)),
        "{ids:?}"
    );
    let keys: Vec<i64> = sqlx::query("SELECT id FROM api_keys ORDER BY id")
        .fetch_all(&mut old.conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    assert_eq!(keys, [100, 101]);
    // A key with two owners is refused.
    let two = sqlx::query(
        "INSERT INTO api_keys (id, user_id, company_id, hash, created_at) VALUES (102, 10, 1, 'h3', 1)",
    )
    .execute(&mut old.conn)
    .await;
    assert!(two.is_err());
}
