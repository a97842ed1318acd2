//! 360dialog dialect: the partner's clients (list with filters, sort and paging; get; the
//! creation and update extensions).

use serde_json::{json, Value};

use crate::d360_partner::{assert_error, d3, partner, TestPartner};
use crate::kit::Server;

async fn client(s: &Server, p: &TestPartner, body: Value) -> Value {
    let r = d3(s, p, "POST", "/clients").json(body).send().await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

fn names(body: &Value) -> Vec<&str> {
    body["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

fn list_path(query: &[(&str, &str)]) -> String {
    let q: String = form_encode(query);
    format!("/clients?{q}")
}

fn form_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_client_has_the_documented_shape() {
    let s = Server::start().await;
    let p = partner(&s, "Brand").await;
    let c = client(
        &s,
        &p,
        json!({
            "name": "Acme", "organisation": "Acme Ltd", "partner_payload": "tag-1", "max_channels": 3,
            "contact_info": {"email": "ops@acme.example", "country": "DE", "city": "Berlin"},
            "contact_user": {"name": "Ann", "email": "ann@acme.example"},
            "meta_info": {"timezone": "Europe/Berlin", "use_case": "support"}
        }),
    )
    .await;
    let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "status",
            "max_channels",
            "organisation",
            "meta_info",
            "contact_info",
            "contact_user",
            "partner_payload",
            "created_at",
            "modified_at",
            "created_by",
            "modified_by",
            "suspicious"
        ]
    );
    assert!(c["id"].as_str().unwrap().ends_with("CL"));
    assert_eq!(c["status"], "active");
    assert_eq!(c["max_channels"], 3);
    assert_eq!(c["suspicious"], false);
    assert_eq!(c["contact_info"]["email"], "ops@acme.example");
    assert_eq!(
        c["contact_info"]["zip_code"],
        Value::Null,
        "every documented key is present"
    );
    let ci: Vec<&str> = c["contact_info"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        ci,
        [
            "webpage_url",
            "phone",
            "language",
            "country",
            "street_name",
            "city",
            "email",
            "full_name",
            "zip_code"
        ]
    );
    assert_eq!(c["meta_info"].as_object().unwrap().len(), 5);
    assert_eq!(c["contact_user"].as_object().unwrap().len(), 3);
    assert_eq!(c["created_by"]["user_id"], p.id.as_str());
    assert!(c["created_at"].as_str().unwrap().ends_with('Z'));

    let id = c["id"].as_str().unwrap();
    let got = d3(&s, &p, "GET", &format!("/clients/{id}")).send().await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body, c);
    let bare = id.trim_end_matches("CL");
    assert_eq!(
        d3(&s, &p, "GET", &format!("/clients/{bare}"))
            .send()
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn clients_of_the_cli_and_of_other_partners() {
    let s = Server::start().await;
    let p = partner(&s, "Mine").await;
    let other = partner(&s, "Theirs").await;
    // A company created the way the CLI does it is the partner's client.
    let pid = p.id.trim_end_matches("PA").parse().unwrap();
    let company = s
        .core
        .tenancy()
        .create_company("Via CLI", Some(switchboard_domain::ids::PartnerId(pid)))
        .await
        .unwrap();
    let r = d3(&s, &p, "GET", &format!("/clients/{}CL", company.id))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Via CLI");
    assert_eq!(r.body["max_channels"], 1);

    let theirs = client(&s, &other, json!({"name": "Theirs Co"})).await;
    let foreign = d3(
        &s,
        &p,
        "GET",
        &format!("/clients/{}", theirs["id"].as_str().unwrap()),
    )
    .send()
    .await;
    let missing = d3(&s, &p, "GET", "/clients/1000000000000001CL")
        .send()
        .await;
    assert_error(&foreign, 404);
    assert_eq!(foreign.body, missing.body);
    assert_error(&d3(&s, &p, "GET", "/clients/nonsense").send().await, 404);
    let patch = d3(
        &s,
        &p,
        "PATCH",
        &format!("/clients/{}", theirs["id"].as_str().unwrap()),
    )
    .json(json!({"partner_payload": "mine now"}))
    .send()
    .await;
    assert_error(&patch, 404);
    let list = d3(&s, &p, "GET", "/clients").send().await;
    assert_eq!(
        names(&list.body),
        ["Via CLI"],
        "only the partner's own clients"
    );
}

#[tokio::test]
async fn clients_list_filters_sorts_and_pages() {
    let s = Server::start().await;
    let p = partner(&s, "Brand").await;
    for (name, status, email, country) in [
        ("Alpha", "active", "a@x.example", "DE"),
        ("Bravo", "suspended", "b@x.example", "US"),
        ("Charlie", "active", "c@x.example", "US"),
        ("Delta", "pending", "d@x.example", "DE"),
    ] {
        client(
            &s,
            &p,
            json!({"name": name, "status": status, "contact_info": {"email": email, "country": country},
                   "contact_user": {"name": format!("{name} Owner")}}),
        )
        .await;
    }

    let r = d3(&s, &p, "GET", "/clients").send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    let keys: Vec<&str> = r
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["count", "filters", "sort", "limit", "offset", "total", "clients"]
    );
    assert_eq!(r.body["total"], 4);
    assert_eq!(r.body["count"], 4);
    assert_eq!(r.body["limit"], 20);
    assert_eq!(r.body["offset"], 0);
    assert_eq!(r.body["sort"], json!(["-created_at"]));

    let r = d3(&s, &p, "GET", &list_path(&[("sort", "name")]))
        .send()
        .await;
    assert_eq!(names(&r.body), ["Alpha", "Bravo", "Charlie", "Delta"]);
    assert_eq!(r.body["sort"], json!(["name"]));
    let r = d3(&s, &p, "GET", &list_path(&[("sort", "-name")]))
        .send()
        .await;
    assert_eq!(names(&r.body), ["Delta", "Charlie", "Bravo", "Alpha"]);
    let r = d3(
        &s,
        &p,
        "GET",
        &list_path(&[("sort", "contact_info.country,-name")]),
    )
    .send()
    .await;
    assert_eq!(names(&r.body), ["Delta", "Alpha", "Charlie", "Bravo"]);

    let r = d3(
        &s,
        &p,
        "GET",
        &list_path(&[("sort", "name"), ("limit", "2"), ("offset", "1")]),
    )
    .send()
    .await;
    assert_eq!(names(&r.body), ["Bravo", "Charlie"]);
    assert_eq!(
        (r.body["count"].clone(), r.body["total"].clone()),
        (json!(2), json!(4))
    );
    assert_eq!(
        (r.body["limit"].clone(), r.body["offset"].clone()),
        (json!(2), json!(1))
    );

    let filtered = |f: Value| list_path(&[("filters", &f.to_string()), ("sort", "name")]);
    let r = d3(&s, &p, "GET", &filtered(json!({"status": "active"})))
        .send()
        .await;
    assert_eq!(names(&r.body), ["Alpha", "Charlie"]);
    assert_eq!(r.body["filters"], json!({"status": "active"}));
    assert_eq!(r.body["total"], 2);
    let r = d3(
        &s,
        &p,
        "GET",
        &filtered(json!({"contact_info.country": "US", "status": "active"})),
    )
    .send()
    .await;
    assert_eq!(names(&r.body), ["Charlie"]);
    let r = d3(
        &s,
        &p,
        "GET",
        &filtered(json!({"contact_info.email": "b@x.example"})),
    )
    .send()
    .await;
    assert_eq!(names(&r.body), ["Bravo"]);
    let r = d3(
        &s,
        &p,
        "GET",
        &filtered(json!({"contact_user.name": "Delta Owner"})),
    )
    .send()
    .await;
    assert_eq!(names(&r.body), ["Delta"]);
    let r = d3(&s, &p, "GET", &filtered(json!({"name": "LPH"})))
        .send()
        .await;
    assert_eq!(
        names(&r.body),
        ["Alpha"],
        "name matches a case-insensitive part"
    );
    let alpha_id = r.body["clients"][0]["id"].as_str().unwrap().to_owned();
    let r = d3(&s, &p, "GET", &filtered(json!({"id": alpha_id})))
        .send()
        .await;
    assert_eq!(names(&r.body), ["Alpha"]);
    let r = d3(&s, &p, "GET", &filtered(json!({"name": "100%_"})))
        .send()
        .await;
    assert_eq!(r.body["total"], 0, "wildcards are literal");

    // Bad filters, sorts and paging: 400 in the vendor's shape.
    for q in [
        list_path(&[("filters", "{\"nope\": \"x\"}")]),
        list_path(&[("filters", "not json")]),
        list_path(&[("filters", "[1]")]),
        list_path(&[("filters", "{\"status\": \"sleeping\"}")]),
        list_path(&[("filters", "{\"name\": 5}")]),
        list_path(&[("filters", "{\"created_at\": \"x\"}")]),
        list_path(&[("sort", "shoe_size")]),
        list_path(&[("sort", "-")]),
        list_path(&[("limit", "0")]),
        list_path(&[("limit", "ten")]),
        list_path(&[("offset", "-1")]),
    ] {
        let r = d3(&s, &p, "GET", &q).send().await;
        assert_error(&r, 400);
    }
}

#[tokio::test]
async fn client_writes_validate_and_change_nothing_on_bad_input() {
    let s = Server::start().await;
    let p = partner(&s, "Brand").await;
    for bad in [
        json!({}),
        json!({"name": 5}),
        json!({"name": "X", "colour": "red"}),
        json!({"name": "X", "contact_info": {"shoe": "9"}}),
        json!({"name": "X", "contact_info": "x"}),
        json!({"name": "X", "status": "sleeping"}),
        json!({"name": "X", "max_channels": -1}),
        json!({"name": "X", "max_channels": "two"}),
        json!({"name": ""}),
    ] {
        let r = d3(&s, &p, "POST", "/clients")
            .json(bad.clone())
            .send()
            .await;
        assert_error(&r, 400);
    }
    assert_error(
        &d3(&s, &p, "POST", "/clients").raw("{oops").send().await,
        400,
    );
    let r = d3(&s, &p, "GET", "/clients").send().await;
    assert_eq!(r.body["total"], 0, "nothing was created");

    let c = client(&s, &p, json!({"name": "Acme"})).await;
    let path = format!("/clients/{}", c["id"].as_str().unwrap());
    let r = d3(&s, &p, "PATCH", &path)
        .json(
            json!({"partner_payload": "vip", "max_channels": 5, "contact_info": {"city": "Paris"}}),
        )
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["partner_payload"], "vip");
    assert_eq!(r.body["max_channels"], 5);
    assert_eq!(r.body["contact_info"]["city"], "Paris");
    for bad in [
        json!({"max_channels": 1.5}),
        json!({"status": 1}),
        json!({"name": "renamed"}),
    ] {
        assert_error(&d3(&s, &p, "PATCH", &path).json(bad).send().await, 400);
    }
    let after = d3(&s, &p, "GET", &path).send().await;
    assert_eq!(after.body["max_channels"], 5);
    assert_eq!(after.body["name"], "Acme");
}

#[tokio::test]
async fn client_creation_honours_idempotency_keys() {
    let s = Server::start().await;
    let p = partner(&s, "Brand").await;
    let send = |name: &str| {
        d3(&s, &p, "POST", "/clients")
            .header("Idempotency-Key", "create-acme")
            .json(json!({"name": name}))
    };
    let first = send("Acme").send().await;
    let again = send("Acme").send().await;
    assert_eq!(first.status, 201);
    assert_eq!(again.status, 201);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    let other = send("Other").send().await;
    assert_error(&other, 422);
    let list = d3(&s, &p, "GET", "/clients").send().await;
    assert_eq!(list.body["total"], 1, "one client, one event");
    assert_eq!(
        s.raw_texts("SELECT kind FROM events").await,
        ["client_created"]
    );
}
