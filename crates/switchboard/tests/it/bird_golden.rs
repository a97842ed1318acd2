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

/// Every field of `example` is in `actual` at the same place, with the same JSON type, and
/// every item of an array conforms to the example's first item. `actual` may hold `null` or an
/// empty array only where the example does, or at a field listed in [`MAY_BE_EMPTY`] (a value
/// the server does not keep yet); a `null` in the example says nothing of the type, so any
/// value conforms to it.
pub(crate) fn conforms(example: &Value, actual: &Value, path: &str) {
    conforms_with(example, actual, path, &[]);
}

/// [`conforms`], where the fields named in `unset` may also be `null` or empty (values that
/// come only with a later event, such as `statusBeforeOffline` before the first time offline).
pub(crate) fn conforms_with(example: &Value, actual: &Value, path: &str, unset: &[&str]) {
    let field = path.rsplit('.').next().unwrap_or(path);
    let field = field.split('[').next().unwrap_or(field);
    let may_be_empty = MAY_BE_EMPTY.contains(&field) || unset.contains(&field);
    match (example, actual) {
        (Value::Null, _) => {}
        (_, Value::Null) => assert!(may_be_empty, "{path}: null where the example has {example}"),
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                if k == "ANY_ADDITIONAL_PROPERTY" {
                    continue;
                }
                let av = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} missing in {actual}"));
                conforms_with(ev, av, &format!("{path}.{k}"), unset);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            let Some(ev) = e.first() else { return };
            assert!(
                !a.is_empty() || may_be_empty,
                "{path}: empty where the example has items"
            );
            for (i, av) in a.iter().enumerate() {
                conforms_with(ev, av, &format!("{path}[{i}]"), unset);
            }
        }
        (e, a) => assert_eq!(kind(e), kind(a), "{path}: {a}"),
    }
}

/// Fields the server answers with `null` or `[]` for now although the seed's examples fill
/// them, because nothing keeps them yet (see the README's Bird section).
const MAY_BE_EMPTY: &[&str] = &["lastAssignedAt", "roles", "phoneNumber"];

/// What a new agent cannot have yet: it has never been offline or away, nor set an activity.
const FRESH: &[&str] = &[
    "statusBeforeOffline",
    "lastSetToAwayAt",
    "activityTtl",
    "activityText",
    "lastActivitySet",
    "lastStatusSet",
];

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
    // Not offline or away yet, nor an activity: those come below.
    conforms_with(&examples()["updateResponse"], &r.body, "update", FRESH);
    let r = s.bird(ann, "PATCH", "/agents/me").json(update).send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    conforms_with(&examples()["updateResponse"], &r.body, "update me", FRESH);
    // Offline and back, so that statusBeforeOffline and lastSetToAwayAt are filled, and an
    // activity with its text and time to live.
    for change in [
        json!({"status": "offline"}),
        json!({"status": "away"}),
        json!({"status": "active", "activity": "available", "activityTtl": 3600, "activityText": "At my desk"}),
    ] {
        let r = s
            .bird(ann, "PATCH", &format!("/agents/{me}/availability"))
            .json(change)
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
    // Creation takes every update field: with all of them the answer is complete.
    let skill = s.bird(&ann, "GET", "/inbox/skills").send().await.body["results"][0].clone();
    for (k, v) in ex["updateRequest"].as_object().unwrap() {
        if create.get(k).is_none() {
            create[k] = v.clone();
        }
    }
    create["transcriptionLocale"] = json!("en-US");
    create["defaultSenderId"] = json!("123e4567-e89b-12d3-a456-426614174000");
    create["assignedSkills"] = json!([{"id": skill["id"],
        "selectedValues": [{"id": skill["values"][0]["id"]}]}]);
    let r = s.bird(&ann, "POST", "/agents").json(create).send().await;
    assert_eq!(r.status, 201, "{}", r.text);
    conforms_with(&ex["agent"], &r.body, "create", FRESH);
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
