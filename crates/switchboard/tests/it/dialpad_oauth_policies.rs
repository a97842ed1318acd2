//! Access-control policies enforced for user-scoped callers (plain users' keys and OAuth
//! tokens): a policy's write permissions over a call center (assigned at the company, its
//! office or the call center) allow the matching admin operations there; without them, 403.

use serde_json::{json, Value};

use crate::dialpad_contacts::plain_user;
use crate::dialpad_kit::{assert_error, company, dp, main_office, Company};
use crate::dialpad_oauth::{code, exchange, setup};
use crate::kit::Server;

async fn call_center(s: &Server, c: &Company, name: &str) -> i64 {
    let office = main_office(s, c).await;
    let body = json!({"name": name, "office_id": office});
    let r = dp(s, "POST", "/callcenters", &c.company_key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

/// A policy of `permissions` at `level`, given to `user` at `target`; answers its id.
async fn grant(
    s: &Server,
    c: &Company,
    user: i64,
    permissions: &[&str],
    level: &str,
    target: i64,
) -> i64 {
    let owner = dp(s, "GET", "/users?company_admin=true", &c.company_key, None).await;
    let owner = owner.body["items"][0]["id"].as_i64().unwrap();
    let body = json!({"name": format!("P {level}"), "owner_id": owner,
        "permission_sets": permissions, "target_type": level});
    let r = dp(
        s,
        "POST",
        "/accesscontrolpolicies",
        &c.company_key,
        Some(body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    let assign = json!({"user_id": user, "target_type": level, "target_id": target});
    let path = format!("/accesscontrolpolicies/{id}/assign");
    let r = dp(s, "POST", &path, &c.company_key, Some(assign)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    id
}

async fn status(s: &Server, method: &str, path: &str, key: &str, body: Value) -> u16 {
    let r = dp(s, method, path, key, Some(body)).await;
    if r.status == 403 {
        assert_error(&r, 403, "forbidden");
    }
    r.status
}

#[tokio::test]
async fn dialpad_oauth_policies_grant_call_center_operations() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    let me = plain_user(&s, &c.company_key).await;
    let (a, b) = (
        call_center(&s, &c, "A").await,
        call_center(&s, &c, "B").await,
    );
    let key = c.user_key.clone();
    let rename = json!({"name": "Renamed"});
    let (pa, pb) = (format!("/callcenters/{a}"), format!("/callcenters/{b}"));
    let ops = |id: i64| format!("/callcenters/{id}/operators");
    let skill = |id: i64| format!("/callcenters/{id}/operators/{me}/skill");

    // Without a policy a plain user may not.
    assert_eq!(status(&s, "PATCH", &pa, &key, rename.clone()).await, 403);
    assert_eq!(
        status(&s, "POST", &ops(a), &key, json!({"user_id": me})).await,
        403
    );

    let names = "name_language_description_settings_write";
    let manage = "agents_admins_manage_agents_settings_write";
    let p1 = grant(&s, &c, me, &[names, manage], "callcenter", a).await;
    assert_eq!(status(&s, "PATCH", &pa, &key, rename.clone()).await, 200);
    assert_eq!(
        status(&s, "PATCH", &pa, &key, json!({"group_description": "x"})).await,
        200
    );
    // Fields the policy does not cover, and the other call center, stay refused.
    let queue = json!({"hold_queue": {"max_hold_count": 20}});
    assert_eq!(status(&s, "PATCH", &pa, &key, queue.clone()).await, 403);
    let mixed = json!({"name": "Both", "ring_seconds": 30});
    assert_eq!(status(&s, "PATCH", &pa, &key, mixed).await, 403);
    let office = main_office(&s, &c).await;
    assert_eq!(
        status(&s, "PATCH", &pa, &key, json!({"office_id": office})).await,
        403
    );
    assert_eq!(status(&s, "PATCH", &pb, &key, rename.clone()).await, 403);
    let r = dp(&s, "GET", &pa, &key, None).await;
    assert_eq!(r.body["name"], "Renamed");
    assert_eq!(
        status(&s, "POST", &ops(a), &key, json!({"user_id": me})).await,
        200
    );
    assert_eq!(
        status(&s, "POST", &ops(b), &key, json!({"user_id": me})).await,
        403
    );

    // Skill levels need their own permission; a company-wide policy covers every call center.
    let level = json!({"skill_level": 40});
    assert_eq!(
        status(&s, "PATCH", &skill(a), &key, level.clone()).await,
        403
    );
    let company_id = c.id.0;
    grant(
        &s,
        &c,
        me,
        &["agents_admins_skill_level_write"],
        "company",
        company_id,
    )
    .await;
    assert_eq!(
        status(&s, "PATCH", &skill(a), &key, level.clone()).await,
        200
    );

    // An office-level policy covers the office's call centers.
    let hours = json!({"monday_hours": ["08:00", "18:00"], "ring_seconds": 45});
    assert_eq!(status(&s, "PATCH", &pb, &key, hours.clone()).await, 403);
    grant(
        &s,
        &c,
        me,
        &["business_hours_write", "cc_call_settings_write"],
        "office",
        office,
    )
    .await;
    assert_eq!(status(&s, "PATCH", &pb, &key, hours).await, 200);
    assert_eq!(status(&s, "PATCH", &pa, &key, queue).await, 200);

    // An OAuth token of the user holds the same rights.
    let t = exchange(&s, &app, &code(&s, &app, &key).await).await;
    let token = t.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        status(&s, "PATCH", &pa, &token, json!({"name": "Via app"})).await,
        200
    );
    assert_eq!(
        status(&s, "DELETE", &ops(a), &token, json!({"user_id": me})).await,
        200
    );

    // A deleted policy grants nothing.
    let r = dp(
        &s,
        "DELETE",
        &format!("/accesscontrolpolicies/{p1}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(status(&s, "PATCH", &pa, &key, rename.clone()).await, 403);
    assert_eq!(status(&s, "PATCH", &pa, &token, rename.clone()).await, 403);

    // Another company's call center is missing, not forbidden; admins need no policy.
    let other = company(&s, "Other").await;
    let theirs = call_center(&s, &other, "Theirs").await;
    let r = dp(
        &s,
        "PATCH",
        &format!("/callcenters/{theirs}"),
        &key,
        Some(rename.clone()),
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert_eq!(status(&s, "PATCH", &pb, &c.admin_key, rename).await, 200);
    // The other admin operations stay admin-only whatever the policies say.
    assert_eq!(status(&s, "DELETE", &pb, &key, json!({})).await, 403);
}
