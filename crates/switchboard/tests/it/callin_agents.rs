//! Callin agents: create, get, deep partial update and delete against the seed's shapes; auth;
//! foreign ids; idempotent create; the OpenAPI document.

use serde_json::{json, Value};

use crate::kit::Server;

/// The seed's PATCH response example (with `conversationConfig`, which the vendor's read
/// shows and the seed's excerpt omits).
fn seed_agent() -> Value {
    json!({
        "agentId": "<string>",
        "name": "<string>",
        "direction": "outbound",
        "tags": ["<string>"],
        "conversationConfig": {},
        "platformSettings": {
            "callActions": {
                "smartOptOut": false,
                "issueTracking": false,
                "postCallWebhook": "<string>",
                "postCallEmail": {"enabled": false, "emailConfiguration": {}},
                "scheduleOnCalendar": {"enabled": false, "provider": "google", "eventsIds": ["<string>"]}
            },
            "widget": {},
            "dataCollection": {"entities": {}, "storeData": false},
            "callRetry": {"retryCount": 123, "retryDelay": 123},
            "summaryLanguage": "<string>",
            "privacy": {"recordVoice": false},
            "telephony": {
                "numberRotationEnabled": false,
                "rotationNumbers": ["<string>"],
                "callsPerNumber": 123,
                "stateRestrictionEnabled": false,
                "stateRestrictedNumbers": ["<string>"]
            }
        },
        "phoneNumbers": [{"provider": "<string>", "number": "<string>", "label": "<string>"}],
        "workflow": {"edges": {}, "nodes": {}, "preventSubagentLoops": false},
        "metadata": {
            "createdAt": "<string>",
            "updatedAt": "<string>",
            "createdBy": {"userId": "<string>", "userEmail": "<string>"}
        }
    })
}

/// Asserts that `actual` has every key of `expected` at the same nesting with the same JSON
/// type (array items are compared with the example's first item).
pub fn assert_shape(expected: &Value, actual: &Value, path: &str) {
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    assert_eq!(kind(expected), kind(actual), "type of {path}: {actual}");
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} is missing in {actual}"));
                assert_shape(ev, av, &format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(ev), Some(av)) = (e.first(), a.first()) {
                assert_shape(ev, av, &format!("{path}[0]"));
            }
        }
        _ => {}
    }
}

fn full_body() -> Value {
    json!({
        "name": "Support Agent",
        "direction": "both",
        "tags": ["support", "tier1"],
        "conversationConfig": {"agent": {"prompt": {"prompt": "You are a helpful assistant.",
            "llm": "gemini-2.5-flash", "temperature": 0}, "primaryLanguage": "en"}},
        "platformSettings": {"callActions": {"postCallWebhook": "https://example.com/hook",
            "scheduleOnCalendar": {"enabled": true, "eventsIds": ["ev1"]}},
            "telephony": {"rotationNumbers": ["+15550100"], "callsPerNumber": 5}},
        "phoneNumbers": [{"provider": "twilio", "number": "+15550100", "label": "Main"}]
    })
}

#[tokio::test]
async fn callin_create_then_get_has_every_field_of_the_seed_agent() {
    let s = Server::start().await;
    let u = s.user().await;
    let r = s
        .cl(&u, "POST", "/agents/create")
        .json(full_body())
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["success"], true);
    let id = r.body["data"]["agentId"].as_str().unwrap().to_owned();
    assert_eq!(r.body["data"].as_object().unwrap().len(), 1);

    let got = s.cl(&u, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body["success"], true);
    let data = &got.body["data"];
    assert_shape(&seed_agent(), &got.body["data"], "data");
    let mut keys: Vec<_> = data.as_object().unwrap().keys().cloned().collect();
    let mut want: Vec<_> = seed_agent().as_object().unwrap().keys().cloned().collect();
    keys.sort();
    want.sort();
    assert_eq!(keys, want, "exactly the seed's agent fields");
    assert_eq!(data["agentId"], id.as_str());
    assert_eq!(data["direction"], "both");
    assert_eq!(data["tags"], json!(["support", "tier1"]));
    assert_eq!(
        data["conversationConfig"]["agent"]["prompt"]["llm"],
        "gemini-2.5-flash"
    );
    let calendar = &data["platformSettings"]["callActions"]["scheduleOnCalendar"];
    assert_eq!(
        calendar,
        &json!({"enabled": true, "provider": "google", "eventsIds": ["ev1"]})
    );
    assert_eq!(
        data["platformSettings"]["privacy"],
        json!({"recordVoice": false})
    );
    assert_eq!(
        data["phoneNumbers"],
        json!([{"provider": "twilio", "number": "+15550100", "label": "Main"}])
    );
    assert_eq!(
        data["workflow"],
        json!({"edges": {}, "nodes": {}, "preventSubagentLoops": false})
    );
    assert_eq!(
        data["metadata"]["createdBy"]["userId"],
        u.user.id.to_string()
    );
    assert_eq!(
        data["metadata"]["createdBy"]["userEmail"],
        u.user.email.as_str()
    );
    assert!(data["metadata"]["createdAt"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(got.header("etag"), Some("\"1\""));

    // Direction defaults to outbound.
    let plain = s.callin_agent(&u, "Plain").await;
    let got = s.cl(&u, "GET", &format!("/agents/{plain}")).send().await;
    assert_eq!(got.body["data"]["direction"], "outbound");
    assert_shape(&seed_agent(), &got.body["data"], "data");
}

#[tokio::test]
async fn callin_patch_is_a_deep_partial_update_returning_the_full_agent() {
    let s = Server::start().await;
    let u = s.user().await;
    let r = s
        .cl(&u, "POST", "/agents/create")
        .json(full_body())
        .send()
        .await;
    let id = r.body["data"]["agentId"].as_str().unwrap().to_owned();

    // The seed's own example sends an empty body.
    let empty = s
        .cl(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({}))
        .send()
        .await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_shape(&seed_agent(), &empty.body["data"], "data");
    assert_eq!(empty.body["data"]["name"], "Support Agent");

    let r = s
        .cl(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({
            "direction": "inbound",
            "conversationConfig": {"agent": {"prompt": {"llm": "gpt-4o"}}},
            "platformSettings": {"callActions": {"scheduleOnCalendar": {"enabled": false}},
                "privacy": {"recordVoice": true}},
            "tags": ["vip"]
        }))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["success"], true);
    let data = &r.body["data"];
    assert_shape(&seed_agent(), data, "data");
    assert_eq!(data["name"], "Support Agent", "omitted fields stay");
    assert_eq!(data["direction"], "inbound");
    assert_eq!(data["tags"], json!(["vip"]), "arrays replace");
    // Depth 3: the sibling keys of the changed leaf stay.
    assert_eq!(
        data["conversationConfig"],
        json!({"agent": {"prompt": {"prompt": "You are a helpful assistant.", "llm": "gpt-4o",
            "temperature": 0}, "primaryLanguage": "en"}})
    );
    let actions = &data["platformSettings"]["callActions"];
    assert_eq!(
        actions["scheduleOnCalendar"],
        json!({"enabled": false, "provider": "google", "eventsIds": ["ev1"]})
    );
    assert_eq!(actions["postCallWebhook"], "https://example.com/hook");
    assert_eq!(data["platformSettings"]["telephony"]["callsPerNumber"], 5);
    assert_eq!(data["platformSettings"]["privacy"]["recordVoice"], true);
    assert_eq!(data["phoneNumbers"][0]["label"], "Main");
    assert_eq!(r.header("etag"), Some("\"3\""));

    // What PATCH answered is what GET reads.
    let got = s.cl(&u, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(got.body["data"], r.body["data"]);

    // A read agent can be sent back as it is (agentId and metadata are ignored).
    let back = s
        .cl(&u, "PATCH", &format!("/agents/{id}"))
        .json(got.body["data"].clone())
        .send()
        .await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(
        back.body["data"]["conversationConfig"],
        got.body["data"]["conversationConfig"]
    );

    let phones = s
        .cl(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({"name": "Renamed", "phoneNumbers": [{"number": "+15550199"}]}))
        .send()
        .await;
    assert_eq!(phones.status, 200, "{}", phones.text);
    assert_eq!(phones.body["data"]["name"], "Renamed");
    assert_eq!(
        phones.body["data"]["phoneNumbers"],
        json!([{"provider": "", "number": "+15550199", "label": ""}])
    );
}

#[tokio::test]
async fn callin_delete_is_owner_only_and_foreign_ids_are_not_found() {
    let s = Server::start().await;
    let owner = s.user().await;
    let stranger = s.user().await;
    let id = s.callin_agent(&owner, "Mine").await;
    for (method, body) in [
        ("GET", None),
        ("PATCH", Some(json!({"name": "x"}))),
        ("DELETE", None),
    ] {
        for path in [
            format!("/agents/{id}"),
            "/agents/1234567890123456".into(),
            "/agents/not-an-id".into(),
        ] {
            let mut req = s.cl(&stranger, method, &path);
            if let Some(b) = &body {
                req = req.json(b.clone());
            }
            let r = req.send().await;
            assert_eq!(r.status, 404, "{method} {path}: {}", r.text);
            assert_eq!(r.body["success"], false);
            assert_eq!(r.body["error"]["code"], "not_found");
        }
    }
    let listed = s.cl(&stranger, "GET", "/agents").send().await;
    assert_eq!(listed.body["data"], json!([]));

    // Shared with write rights: the other user may patch, not delete.
    let r = s
        .dg(&owner, "POST", &format!("/agents/{id}/shares"))
        .json(json!({"email": stranger.user.email.as_str(), "rights": ["agents"]}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let patched = s
        .cl(&stranger, "PATCH", &format!("/agents/{id}"))
        .json(json!({"tags": ["shared"]}))
        .send()
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(
        patched.body["data"]["metadata"]["createdBy"]["userId"],
        owner.user.id.to_string()
    );
    let refused = s
        .cl(&stranger, "DELETE", &format!("/agents/{id}"))
        .send()
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(refused.body["error"]["code"], "forbidden");

    let stale = s
        .cl(&owner, "DELETE", &format!("/agents/{id}"))
        .header("if-match", "\"1\"")
        .send()
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    let done = s
        .cl(&owner, "DELETE", &format!("/agents/{id}"))
        .send()
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body, json!({"success": true}));
    let gone = s.cl(&owner, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(gone.status, 404);
    let again = s
        .cl(&owner, "DELETE", &format!("/agents/{id}"))
        .send()
        .await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn callin_auth_needs_a_live_user_key() {
    let s = Server::start().await;
    let u = s.user().await;
    let (_, partner) = s.core.tenancy().create_partner("Reseller").await.unwrap();
    let revoked = s.core.tenancy().create_user_key(u.user.id).await.unwrap();
    s.core.tenancy().revoke_key(revoked.key.id).await.unwrap();
    let cases = [
        s.req("GET", "/api/public/v1/agents").send().await,
        s.req("GET", "/api/public/v1/agents")
            .header("x-api-key", "nope")
            .send()
            .await,
        s.req("GET", "/api/public/v1/agents")
            .header("x-api-key", &partner.secret)
            .send()
            .await,
        s.req("GET", "/api/public/v1/agents")
            .header("x-api-key", &revoked.secret)
            .send()
            .await,
        s.req("POST", "/api/public/v1/agents/create")
            .header("x-api-key", "nope")
            .json(json!({"name": "x", "conversationConfig": {}}))
            .send()
            .await,
        // Dialgood's header is not Callin's.
        s.req("GET", "/api/public/v1/agents")
            .header("api_token", &u.key)
            .send()
            .await,
    ];
    for r in cases {
        assert_eq!(r.status, 401, "{}", r.text);
        assert_eq!(r.body["success"], false);
        assert_eq!(r.body["error"]["code"], "unauthorized");
        assert!(r.body["error"]["message"].is_string());
    }
    // The same user key works on Callin even with Dialgood's partner API access off.
    let company = s
        .core
        .tenancy()
        .create_company("Other", None)
        .await
        .unwrap();
    let off = s.user_in(company.id, false).await;
    assert_eq!(s.cl(&off, "GET", "/agents").send().await.status, 200);
    assert_eq!(s.cl(&u, "GET", "/agents").send().await.status, 200);
}

#[tokio::test]
async fn callin_create_honours_idempotency_keys_and_the_docs_list_the_dialect() {
    let s = Server::start().await;
    let u = s.user().await;
    let body = json!({"name": "Once", "conversationConfig": {}});
    let first = s
        .cl(&u, "POST", "/agents/create")
        .header("idempotency-key", "k1")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let second = s
        .cl(&u, "POST", "/agents/create")
        .header("idempotency-key", "k1")
        .json(body)
        .send()
        .await;
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("idempotency-replayed"), Some("true"));
    let other = s
        .cl(&u, "POST", "/agents/create")
        .header("idempotency-key", "k1")
        .json(json!({"name": "Twice", "conversationConfig": {}}))
        .send()
        .await;
    assert_eq!(other.status, 422, "{}", other.text);
    assert_eq!(other.body["success"], false);
    let list = s.cl(&u, "GET", "/agents").send().await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1);

    let spec = s.req("GET", "/api/public/v1/openapi.json").send().await;
    assert_eq!(spec.status, 200);
    let paths = spec.body["paths"].as_object().unwrap();
    for p in ["/agents", "/agents/create", "/agents/{agentId}"] {
        assert!(paths.contains_key(p), "{p} in {:?}", paths.keys());
    }
    assert!(spec.body["paths"]["/agents/{agentId}"]["patch"].is_object());
    let schemas = &spec.body["components"]["schemas"];
    let update = &schemas["UpdateAgent"]["properties"];
    for field in [
        "name",
        "direction",
        "tags",
        "conversationConfig",
        "platformSettings",
        "phoneNumbers",
        "workflow",
    ] {
        assert!(
            update.get(field).is_some(),
            "UpdateAgent.{field} in {update}"
        );
    }
    assert_eq!(
        schemas["Direction"]["enum"],
        json!(["outbound", "inbound", "both"])
    );
    assert!(schemas["Telephony"]["properties"]["callsPerNumber"].is_object());
    let docs = s.req("GET", "/docs").send().await;
    assert!(docs.text.contains("/api/public/v1/openapi.json"));
}
