//! Dialpad contacts, blocked numbers and call labels: numbers normalised to E.164, emails
//! checked, shared and local contacts, create-or-update by uid, paging, bad input changing
//! nothing, other companies' contacts missing, plain users refused writes, one change-log event
//! per write.

use serde_json::{json, Value};
use switchboard_domain::ids::CompanyId;
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::telephony::contact::ContactInput;
use switchboard_domain::telephony::e164_only;

use crate::accounts_cli::cli;
use crate::dialpad_kit::{assert_error, company, dp};
use crate::kit::Server;

/// How many change-log events of `action` the company's outbox holds.
pub(crate) async fn changes(s: &Server, company: CompanyId, action: &str) -> usize {
    s.raw_texts(&format!(
        "SELECT payload FROM events WHERE kind = 'change_log' AND company_id = {}",
        company.0
    ))
    .await
    .iter()
    .filter(|p| serde_json::from_str::<Value>(p).unwrap()["action"] == action)
    .count()
}

/// Every change-log event of the company.
pub(crate) async fn all_changes(s: &Server, company: CompanyId) -> usize {
    s.raw_texts(&format!(
        "SELECT payload FROM events WHERE kind = 'change_log' AND company_id = {}",
        company.0
    ))
    .await
    .len()
}

/// A plain user's id (the kit's `person1`).
pub(crate) async fn plain_user(s: &Server, key: &str) -> i64 {
    let r = dp(s, "GET", "/users?company_admin=false", key, None).await;
    r.body["items"][0]["id"].as_i64().unwrap()
}

/// Every item of a list, following its cursor; the page sizes too.
pub(crate) async fn all_pages(s: &Server, path: &str, key: &str) -> (Vec<Value>, Vec<usize>) {
    let (mut items, mut sizes, mut cursor) = (Vec::new(), Vec::new(), None::<String>);
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match &cursor {
            Some(c) => format!("{path}{sep}cursor={c}"),
            None => path.to_owned(),
        };
        let r = dp(s, "GET", &url, key, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let page = r.body["items"].as_array().unwrap().clone();
        sizes.push(page.len());
        items.extend(page);
        match r.body["cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return (items, sizes),
        }
    }
}

#[tokio::test]
async fn contacts_are_created_updated_by_uid_and_deleted() {
    let s = Server::start().await;
    let c = company(&s, "Book").await;
    let r = dp(
        &s,
        "POST",
        "/contacts",
        &c.company_key,
        Some(json!({
            "first_name": " Ann ", "last_name": "Lee", "company_name": "Acme",
            "job_title": "Buyer", "extension": "42",
            "emails": ["Ann@Example.com", "ann@example.com", "a2@example.org"],
            "phones": ["+1 (415) 555-2671", "+442071838750"],
            "urls": ["https://acme.example"],
        })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["type"], "shared");
    assert_eq!(r.body["owner_id"], c.id.0.to_string());
    assert_eq!(r.body["display_name"], "Ann Lee");
    assert_eq!(
        r.body["emails"],
        json!(["ann@example.com", "a2@example.org"])
    );
    assert_eq!(r.body["primary_email"], "ann@example.com");
    assert_eq!(r.body["phones"], json!(["+14155552671", "+442071838750"]));
    assert_eq!(r.body["primary_phone"], "+14155552671");
    assert_eq!(r.body["urls"], json!(["https://acme.example"]));
    let got = dp(&s, "GET", &format!("/contacts/{id}"), &c.user_key, None).await;
    assert_eq!(got.body, r.body);

    let patched = dp(
        &s,
        "PATCH",
        &format!("/contacts/{id}"),
        &c.admin_key,
        Some(json!({"job_title": "Owner", "phones": ["+16505550100"]})),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["job_title"], "Owner");
    assert_eq!(patched.body["phones"], json!(["+16505550100"]));
    assert_eq!(patched.body["first_name"], "Ann");

    // The same uid twice is one contact, its fields replaced.
    let first = dp(
        &s,
        "PUT",
        "/contacts",
        &c.company_key,
        Some(json!({"uid": "crm-1", "first_name": "Bo", "last_name": "Ng", "emails": ["bo@x.example"]})),
    )
    .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let second = dp(
        &s,
        "PUT",
        "/contacts",
        &c.company_key,
        Some(json!({"uid": "crm-1", "first_name": "Bob", "last_name": "Ng"})),
    )
    .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(second.body["id"], first.body["id"]);
    assert_eq!(second.body["first_name"], "Bob");
    assert_eq!(second.body["emails"], json!([]));
    let (listed, _) = all_pages(&s, "/contacts", &c.company_key).await;
    assert_eq!(listed.len(), 2);

    let deleted = dp(
        &s,
        "DELETE",
        &format!("/contacts/{id}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.body["id"], id.as_str());
    let gone = dp(&s, "GET", &format!("/contacts/{id}"), &c.company_key, None).await;
    assert_error(&gone, 404, "notFound");
    let again = dp(
        &s,
        "DELETE",
        &format!("/contacts/{id}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&again, 404, "notFound");

    assert_eq!(changes(&s, c.id, "contact_created").await, 2);
    assert_eq!(changes(&s, c.id, "contact_updated").await, 2);
    assert_eq!(changes(&s, c.id, "contact_deleted").await, 1);
}

#[tokio::test]
async fn local_contacts_belong_to_one_user() {
    let s = Server::start().await;
    let c = company(&s, "Locals").await;
    let other = company(&s, "Elsewhere").await;
    let user = plain_user(&s, &c.company_key).await;
    let stranger = plain_user(&s, &other.company_key).await;
    let shared = dp(
        &s,
        "POST",
        "/contacts",
        &c.company_key,
        Some(json!({"first_name": "Shared", "last_name": "One"})),
    )
    .await;
    let local = dp(
        &s,
        "POST",
        "/contacts",
        &c.company_key,
        Some(json!({"first_name": "Mine", "last_name": "Only", "owner_id": user.to_string()})),
    )
    .await;
    assert_eq!(local.status, 200, "{}", local.text);
    assert_eq!(local.body["type"], "local");
    assert_eq!(local.body["owner_id"], user.to_string());
    let ids = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let shared_id = shared.body["id"].as_str().unwrap().to_owned();
    let local_id = local.body["id"].as_str().unwrap().to_owned();
    let (plain, _) = all_pages(&s, "/contacts", &c.user_key).await;
    assert_eq!(ids(&plain), std::slice::from_ref(&shared_id));
    let (all, _) = all_pages(&s, "/contacts?include_local=True", &c.user_key).await;
    let mut both = vec![shared_id, local_id.clone()];
    both.sort();
    let mut got = ids(&all);
    got.sort();
    assert_eq!(got, both);
    let (mine, _) = all_pages(&s, &format!("/contacts?owner_id={user}"), &c.user_key).await;
    assert_eq!(ids(&mine), [local_id]);

    // Another company's user is missing, as owner and as filter.
    let r = dp(
        &s,
        "GET",
        &format!("/contacts?owner_id={stranger}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "POST",
        "/contacts",
        &c.company_key,
        Some(json!({"first_name": "X", "last_name": "Y", "owner_id": stranger})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "GET",
        "/contacts?include_local=maybe",
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
}

#[tokio::test]
async fn bad_contact_input_changes_nothing() {
    let s = Server::start().await;
    let c = company(&s, "Strict").await;
    let other = company(&s, "Other").await;
    let made = dp(
        &s,
        "POST",
        "/contacts",
        &c.company_key,
        Some(json!({"first_name": "Keep", "last_name": "Me", "phones": ["+14155552671"]})),
    )
    .await;
    let id = made.body["id"].as_str().unwrap().to_owned();
    let before = all_changes(&s, c.id).await;
    let name = json!({"first_name": "A", "last_name": "B"});
    let with = |extra: Value| {
        let mut b = name.clone();
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    for (method, path, body) in [
        ("POST", "/contacts".to_owned(), json!({"first_name": "A"})),
        (
            "POST",
            "/contacts".into(),
            with(json!({"phones": ["4155552671"]})),
        ),
        (
            "POST",
            "/contacts".into(),
            with(json!({"phones": ["+1 415"]})),
        ),
        (
            "POST",
            "/contacts".into(),
            with(json!({"emails": ["nobody"]})),
        ),
        ("POST", "/contacts".into(), with(json!({"nickname": "x"}))),
        (
            "POST",
            "/contacts".into(),
            json!({"first_name": 5, "last_name": "B"}),
        ),
        ("POST", "/contacts".into(), with(json!({"uid": "u"}))),
        (
            "POST",
            "/contacts".into(),
            with(json!({"extension": "12a"})),
        ),
        ("POST", "/contacts".into(), with(json!({"owner_id": "abc"}))),
        ("PUT", "/contacts".into(), name.clone()),
        ("PUT", "/contacts".into(), with(json!({"uid": " "}))),
        (
            "PATCH",
            format!("/contacts/{id}"),
            json!({"phones": ["+1", "+14155552671"]}),
        ),
        ("PATCH", format!("/contacts/{id}"), json!({"owner_id": 1})),
        (
            "PATCH",
            format!("/contacts/{id}"),
            json!({"first_name": "", "last_name": ""}),
        ),
        ("PATCH", "/contacts/abc".into(), json!({"first_name": "Z"})),
    ] {
        let r = dp(&s, method, &path, &c.company_key, Some(body)).await;
        assert_error(&r, 400, "badRequest");
    }
    let r = dp(&s, "GET", "/contacts/abc", &c.company_key, None).await;
    assert_error(&r, 400, "badRequest");
    let r = dp(&s, "GET", "/contacts?cursor=forged", &c.company_key, None).await;
    assert_error(&r, 400, "badRequest");
    // Another company's contact is missing; a plain user may read but not write.
    for method in ["GET", "PATCH", "DELETE"] {
        let body = (method == "PATCH").then(|| json!({"first_name": "Z"}));
        let r = dp(
            &s,
            method,
            &format!("/contacts/{id}"),
            &other.company_key,
            body,
        )
        .await;
        assert_error(&r, 404, "notFound");
    }
    for (method, path) in [
        ("POST", "/contacts".to_owned()),
        ("PUT", "/contacts".into()),
        ("PATCH", format!("/contacts/{id}")),
        ("DELETE", format!("/contacts/{id}")),
    ] {
        let r = dp(
            &s,
            method,
            &path,
            &c.user_key,
            Some(with(json!({"uid": "u"}))),
        )
        .await;
        assert_error(&r, 403, "forbidden");
    }
    let still = dp(&s, "GET", &format!("/contacts/{id}"), &c.user_key, None).await;
    assert_eq!(still.body, made.body);
    let (listed, _) = all_pages(&s, "/contacts", &c.company_key).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(all_changes(&s, c.id).await, before);
}

#[tokio::test]
async fn contacts_page_over_several_pages() {
    let s = Server::start().await;
    let c = company(&s, "Many").await;
    let actor = Actor::company(c.id);
    for i in 0..205 {
        let input = ContactInput {
            first_name: Some(format!("P{i}")),
            last_name: Some("Q".into()),
            ..Default::default()
        };
        s.core
            .telephony()
            .create_contact(&actor, None, input)
            .await
            .unwrap();
    }
    let (items, sizes) = all_pages(&s, "/contacts", &c.company_key).await;
    assert_eq!(sizes, [100, 100, 5]);
    let mut ids: Vec<i64> = items
        .iter()
        .map(|c| c["id"].as_str().unwrap().parse().unwrap())
        .collect();
    let sorted = {
        let mut v = ids.clone();
        v.sort();
        v
    };
    assert_eq!(ids, sorted);
    ids.dedup();
    assert_eq!(ids.len(), 205);
    // A cursor of the shared list does not continue the list with local contacts.
    let r = dp(&s, "GET", "/contacts", &c.company_key, None).await;
    let cursor = r.body["cursor"].as_str().unwrap();
    let r = dp(
        &s,
        "GET",
        &format!("/contacts?include_local=true&cursor={cursor}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
}

#[tokio::test]
async fn blocked_numbers_are_added_listed_and_removed_whole() {
    let s = Server::start().await;
    let c = company(&s, "Blocker").await;
    let other = company(&s, "Open").await;
    let add = |key: &str, numbers: Value| {
        let key = key.to_owned();
        let s = &s;
        async move {
            dp(
                s,
                "POST",
                "/blockednumbers/add",
                &key,
                Some(json!({"numbers": numbers})),
            )
            .await
        }
    };
    let r = add(&c.company_key, json!(["+1 415 555 2671", "+442071838750"])).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({}));
    let got = dp(
        &s,
        "GET",
        "/blockednumbers/%2B14155552671",
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body, json!({"number": "+14155552671"}));
    let t = s.core.telephony();
    let n = e164_only("+14155552671").unwrap();
    assert!(t.is_blocked(c.id, &n).await.unwrap());
    assert!(!t.is_blocked(other.id, &n).await.unwrap());
    let r = dp(
        &s,
        "GET",
        "/blockednumbers/%2B14155552671",
        &other.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "GET",
        "/blockednumbers/%2B16505550100",
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "GET",
        "/blockednumbers/4155552671",
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");

    // A list with one malformed number changes nothing; re-adding writes no event.
    let events = changes(&s, c.id, "numbers_blocked").await;
    assert_eq!(events, 1);
    for bad in [
        json!(["+16505550100", "650555"]),
        json!([]),
        json!("+16505550100"),
    ] {
        let r = add(&c.company_key, bad).await;
        assert_error(&r, 400, "badRequest");
    }
    let r = dp(
        &s,
        "POST",
        "/blockednumbers/add",
        &c.company_key,
        Some(json!({})),
    )
    .await;
    assert_error(&r, 400, "badRequest");
    let r = add(&c.user_key, json!(["+16505550100"])).await;
    assert_error(&r, 403, "forbidden");
    let r = add(&c.company_key, json!(["+14155552671"])).await;
    assert_eq!(r.status, 200);
    assert_eq!(changes(&s, c.id, "numbers_blocked").await, 1);
    let (listed, _) = all_pages(&s, "/blockednumbers", &c.user_key).await;
    assert_eq!(
        listed,
        [
            json!({"number": "+14155552671"}),
            json!({"number": "+442071838750"})
        ]
    );

    let r = dp(
        &s,
        "POST",
        "/blockednumbers/remove",
        &c.admin_key,
        Some(json!({"numbers": ["+14155552671", "+16505550100"]})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(!t.is_blocked(c.id, &n).await.unwrap());
    assert_eq!(changes(&s, c.id, "numbers_unblocked").await, 1);
    let r = dp(
        &s,
        "POST",
        "/blockednumbers/remove",
        &c.admin_key,
        Some(json!({"numbers": ["bad"]})),
    )
    .await;
    assert_error(&r, 400, "badRequest");
    let (listed, _) = all_pages(&s, "/blockednumbers", &c.user_key).await;
    assert_eq!(listed, [json!({"number": "+442071838750"})]);

    // Pages of 100 in number order.
    let many: Vec<String> = (0..150)
        .map(|i| format!("+1650555{:04}", 1000 + i))
        .collect();
    let r = add(&other.company_key, json!(many)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (items, sizes) = all_pages(&s, "/blockednumbers", &other.company_key).await;
    assert_eq!(sizes, [100, 50]);
    let numbers: Vec<&str> = items
        .iter()
        .map(|i| i["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, many.iter().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test]
async fn call_labels_are_set_on_the_command_line_and_listed() {
    let s = Server::start().await;
    let c = company(&s, "Labels").await;
    let empty = dp(&s, "GET", "/calllabels", &c.user_key, None).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.body, json!({"labels": []}));
    let id = c.id.0.to_string();
    let out = cli(
        &s,
        &[
            "call-labels",
            "set",
            "--company",
            &id,
            "sales",
            " support ",
            "vip",
        ],
    );
    assert_eq!(
        out,
        json!({"company_id": id, "labels": ["sales", "support", "vip"]})
    );
    let r = dp(&s, "GET", "/calllabels", &c.user_key, None).await;
    assert_eq!(r.body, json!({"labels": ["sales", "support", "vip"]}));
    let r = dp(&s, "GET", "/calllabels?limit=2", &c.user_key, None).await;
    assert_eq!(r.body, json!({"labels": ["sales", "support"]}));
    for bad in ["limit=0", "limit=x"] {
        let r = dp(&s, "GET", &format!("/calllabels?{bad}"), &c.user_key, None).await;
        assert_error(&r, 400, "badRequest");
    }
    // Repeats are refused and change nothing.
    let out = s
        .command()
        .args(["call-labels", "set", "--company", &id, "a", "a"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let r = dp(&s, "GET", "/calllabels", &c.company_key, None).await;
    assert_eq!(r.body["labels"].as_array().unwrap().len(), 3);
    let t = s.core.telephony();
    assert!(t.check_call_labels(c.id, &["vip".into()]).await.is_ok());
    assert!(t.check_call_labels(c.id, &["gold".into()]).await.is_err());
    assert_eq!(changes(&s, c.id, "call_labels_updated").await, 1);
    let cleared = cli(&s, &["call-labels", "set", "--company", &id]);
    assert_eq!(cleared["labels"], json!([]));
}
