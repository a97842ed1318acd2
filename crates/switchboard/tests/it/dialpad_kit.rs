//! Dialpad test helpers: a company with its three kinds of key, a request with a key, the
//! check of Dialpad's error envelope, the main office, a new user and the change log.

use serde_json::{json, Value};
use switchboard_domain::ids::CompanyId;
use switchboard_domain::tenancy::NewUser;

use crate::kit::{Resp, Server};

/// A company with a company key, an admin user's key and a plain user's key.
pub struct Company {
    pub id: CompanyId,
    pub company_key: String,
    pub admin_key: String,
    pub user_key: String,
}

pub async fn company(s: &Server, name: &str) -> Company {
    company_of(s, name, None).await
}

/// A company (a partner's client when `partner` is given) with its keys.
pub async fn company_of(
    s: &Server,
    name: &str,
    partner: Option<switchboard_domain::ids::PartnerId>,
) -> Company {
    let c = s
        .core
        .tenancy()
        .create_company(name, partner)
        .await
        .unwrap();
    let company_key = s
        .core
        .tenancy()
        .create_company_key(c.id)
        .await
        .unwrap()
        .secret;
    let mut keys = Vec::new();
    for (i, admin) in [true, false].into_iter().enumerate() {
        let u = s
            .core
            .tenancy()
            .create_user(NewUser {
                company_id: c.id,
                email: format!(
                    "person{i}@{}.example",
                    name.to_lowercase().replace(' ', "-")
                ),
                first_name: Some(format!("Person{i}")),
                last_name: Some("Example".into()),
                is_admin: admin,
                partner_api_enabled: true,
            })
            .await
            .unwrap();
        keys.push(s.core.tenancy().create_user_key(u.id).await.unwrap().secret);
    }
    Company {
        id: c.id,
        company_key,
        admin_key: keys.remove(0),
        user_key: keys.remove(0),
    }
}

pub async fn dp(s: &Server, method: &str, path: &str, key: &str, body: Option<Value>) -> Resp {
    let mut r = s
        .req(method, &format!("/api/v2{path}"))
        .header("authorization", &format!("Bearer {key}"));
    if let Some(b) = body {
        r = r.json(b);
    }
    r.send().await
}

/// Dialpad's error envelope with `code` and `reason`.
pub fn assert_error(r: &Resp, code: u16, reason: &str) {
    assert_eq!(r.status, code, "{}", r.text);
    let e = &r.body["error"];
    assert_eq!(e["code"], code, "{}", r.text);
    assert_eq!(e["errors"][0]["domain"], "global");
    assert_eq!(e["errors"][0]["reason"], reason, "{}", r.text);
    assert_eq!(e["message"], e["errors"][0]["message"]);
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
}

/// The id of the company's main office.
pub async fn main_office(s: &Server, c: &Company) -> i64 {
    let r = dp(s, "GET", "/offices", &c.company_key, None).await;
    let items = r.body["items"].as_array().unwrap();
    let main = items.iter().find(|o| o["is_primary_office"] == true);
    main.unwrap()["id"].as_i64().unwrap()
}

/// A new user of the company in its main office, with `extra` fields.
pub async fn new_user(s: &Server, c: &Company, email: &str, extra: Value) -> i64 {
    let mut body = json!({"email": email, "office_id": main_office(s, c).await});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = dp(s, "POST", "/users", &c.company_key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

/// The change-log events of a company, oldest first.
pub async fn change_log(s: &Server, company: CompanyId) -> Vec<Value> {
    s.raw_texts(&format!(
        "SELECT payload FROM events WHERE kind = 'change_log' AND company_id = {} \
         ORDER BY created_at, id",
        company.0
    ))
    .await
    .iter()
    .map(|p| serde_json::from_str(p).unwrap())
    .collect()
}
