//! Bird dialect: responses compared with the examples of the seed document (field names,
//! nesting, JSON types, status codes). `fixtures/bird_seed_examples.json` holds the seed's
//! examples as printed there.

use serde_json::{json, Value};
use switchboard_domain::ids::Id;

use crate::kit::{Server, TestUser};

pub(crate) fn examples() -> Value {
    serde_json::from_str(include_str!("fixtures/bird_seed_examples.json")).unwrap()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every field of `example` is in `actual` at the same place, with the same JSON type unless
/// `actual` holds `null` there. Array items are compared by their first element.
pub(crate) fn conforms(example: &Value, actual: &Value, path: &str) {
    match (example, actual) {
        (_, Value::Null) | (Value::Null, _) => {}
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                if k == "ANY_ADDITIONAL_PROPERTY" {
                    continue;
                }
                let av = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} missing in {actual}"));
                conforms(ev, av, &format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(ev), Some(av)) = (e.first(), a.first()) {
                conforms(ev, av, &format!("{path}[0]"));
            }
        }
        (e, a) => assert_eq!(kind(e), kind(a), "{path}: {a}"),
    }
}

/// An agent with something in every list: a team, a skill, a capacity rule, a schedule.
async fn furnished(s: &Server, ann: &TestUser) -> Value {
    let me = ann.user.id.to_uuid();
    let team = s
        .bird(ann, "POST", "/teams")
        .json(json!({"name": "Support", "members": [{"type": "user", "id": me}]}))
        .send()
        .await;
    assert_eq!(team.status, 201, "{}", team.text);
    let skill = s
        .bird(ann, "POST", "/inbox/skills")
        .json(json!({"name": "Languages", "description": "", "valueType": "single", "values": [{"value": "English", "icon": "gb"}]}))
        .send()
        .await
        .body;
    let rule = s
        .bird(ann, "POST", "/inbox/capacity")
        .json(json!({"name": "Default", "description": "All", "default": true, "capacity": {"messaging": 3, "email": 2}, "agents": [me]}))
        .send()
        .await;
    assert_eq!(rule.status, 201, "{}", rule.text);
    // The seed's own update example, with its placeholders made real.
    let mut update = examples()["updateRequest"].clone();
    update["timezone"] = json!("Europe/Amsterdam");
    update["defaultCountryCode"] = json!("NL");
    update["defaultSenderId"] = json!("123e4567-e89b-12d3-a456-426614174000");
    update["assignedSkills"] = json!([{"id": skill["id"], "name": "Languages", "valueType": "single",
        "selectedValues": [{"id": skill["values"][0]["id"], "value": "English", "icon": "gb"}]}]);
    let r = s
        .bird(ann, "PATCH", &format!("/agents/{me}"))
        .json(update.clone())
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    conforms(&examples()["updateResponse"], &r.body, "update");
    let r = s.bird(ann, "PATCH", "/agents/me").json(update).send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Offline and back, so that statusBeforeOffline and lastSetToAwayAt are filled.
    for status in ["offline", "away", "active"] {
        let r = s
            .bird(ann, "PATCH", &format!("/agents/{me}/availability"))
            .json(json!({"status": status}))
            .send()
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    r.body
}

#[tokio::test]
async fn bird_agent_reads_match_the_seed_examples() {
    let s = Server::start().await;
    let ann = s.user().await;
    furnished(&s, &ann).await;
    let ex = examples();
    let me = ann.user.id.to_uuid();

    let got = s.bird(&ann, "GET", &format!("/agents/{me}")).send().await;
    assert_eq!(got.status, 200);
    conforms(&ex["agent"], &got.body, "agent");
    let b = &got.body;
    for list in ["teams", "assignedSkills", "holidays"] {
        assert!(
            !b[list].as_array().unwrap().is_empty(),
            "{list} is compared too"
        );
    }
    for filled in [
        "statusBeforeOffline",
        "lastSetToAwayAt",
        "forwardNumber",
        "weeklySchedule",
        "workload",
    ] {
        assert!(!b[filled].is_null(), "{filled}");
    }
    assert!(!b["workload"]["rule"].is_null());
    // Every key of the example, and no key the example lacks.
    let mut ours: Vec<_> = b.as_object().unwrap().keys().cloned().collect();
    let mut theirs: Vec<_> = ex["agent"].as_object().unwrap().keys().cloned().collect();
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);

    let r = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(r.status, 200);
    conforms(&ex["me"], &r.body, "me");

    let r = s
        .bird(&ann, "GET", &format!("/agents/{me}/availability"))
        .send()
        .await;
    conforms(&ex["availability"], &r.body, "availability");
    let mut req = ex["availabilityRequest"].clone();
    req["activityTtl"] = json!(10);
    let r = s
        .bird(&ann, "PATCH", &format!("/agents/{me}/availability"))
        .json(req)
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    conforms(&ex["availabilityResponse"], &r.body, "availability update");
    assert!(r.body["activityTtl"].is_number() && r.body["lastActivitySet"].is_string());

    let r = s
        .bird(&ann, "GET", &format!("/agents/{me}/workload"))
        .send()
        .await;
    conforms(&ex["workload"], &r.body, "workload");

    let r = s.bird(&ann, "GET", "/all-agents").send().await;
    conforms(&ex["allAgents"], &r.body, "all-agents");
}

#[tokio::test]
async fn bird_list_and_create_match_the_seed_examples() {
    let s = Server::start().await;
    let ann = s.user().await;
    furnished(&s, &ann).await;
    let ex = examples();
    // The seed's create example, for a user of the workspace who is not an agent (yet).
    let bob = s.user_in(ann.user.company_id, true).await;
    let bob_id = bob.user.id.to_uuid();
    assert_eq!(
        s.bird(&ann, "DELETE", &format!("/agents/{bob_id}"))
            .send()
            .await
            .status,
        204
    );
    let team = s.bird(&ann, "GET", "/teams").send().await.body["results"][0]["id"].clone();
    let mut create = ex["createRequest"].clone();
    create["userId"] = json!(bob_id);
    create["teamIds"] = json!([team]);
    create["timezone"] = json!("Europe/Amsterdam");
    create["defaultCountryCode"] = json!("NL");
    let r = s.bird(&ann, "POST", "/agents").json(create).send().await;
    assert_eq!(r.status, 201, "{}", r.text);
    conforms(&ex["agent"], &r.body, "create");
    assert_eq!(r.body["id"], bob_id);
    assert_eq!(r.body["teams"][0]["id"], team);

    let r = s.bird(&ann, "GET", "/agents?limit=1").send().await;
    assert_eq!(r.status, 200);
    conforms(&ex["list"], &r.body, "list");
    assert!(r.body["nextPageToken"].is_string());
    assert_eq!(r.body["total"], 2);

    // Error statuses of the seed, each with a body.
    let r = s
        .bird(&ann, "POST", "/agents")
        .json(json!({"userId": bob_id}))
        .send()
        .await;
    assert_eq!((r.status, r.body["code"].is_string()), (409, true));
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(json!({"wrapUpTime": 901}))
        .send()
        .await;
    assert_eq!((r.status, r.body["code"].is_string()), (422, true));
    let r = s
        .bird(&ann, "GET", "/agents/00000000-0000-8000-8000-000000000001")
        .send()
        .await;
    assert_eq!((r.status, r.body["code"].is_string()), (404, true));
    let r = s
        .bird(&ann, "DELETE", &format!("/agents/{bob_id}"))
        .send()
        .await;
    assert_eq!((r.status, r.text.as_str()), (204, ""));
}

#[tokio::test]
async fn bird_openapi_document_is_served_and_listed() {
    let s = Server::start().await;
    let r = s.req("GET", "/workspaces/openapi.json").send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    let paths = r.body["paths"].as_object().unwrap();
    for p in [
        "/agents",
        "/agents/me",
        "/agents/{agentId}",
        "/agents/{agentId}/availability",
        "/agents/{agentId}/workload",
        "/all-agents",
        "/teams",
        "/inbox/skills",
        "/inbox/capacity",
    ] {
        assert!(paths.contains_key(p), "{p}");
    }
    let docs = s.req("GET", "/docs").send().await;
    assert!(docs.text.contains("Bird Collaborations API"));
    assert!(docs.text.contains("/workspaces/openapi.json"));
}
