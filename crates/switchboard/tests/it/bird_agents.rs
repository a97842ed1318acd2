//! Bird dialect: authentication, workspaces, and agent reads and writes.

use serde_json::{json, Value};
use switchboard_domain::ids::Id;

use crate::accounts_cli::{cli, text};
use crate::kit::{Server, TestUser};

fn ws(u: &TestUser) -> String {
    u.user.company_id.to_uuid()
}

fn assert_error(r: &crate::kit::Resp, status: u16) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(r.body["code"].is_string(), "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
}

/// Creates an agent through the API and returns its body.
pub(crate) async fn new_agent(s: &Server, admin: &TestUser, name: &str, email: &str) -> Value {
    let r = s
        .bird(admin, "POST", "/agents")
        .json(json!({"name": name, "email": email, "type": "user"}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

#[tokio::test]
async fn bird_auth_takes_access_keys_and_bearer_tokens_and_hides_other_workspaces() {
    let s = Server::start().await;
    let ann = s.user().await;
    let bob = s.user().await;
    let path = format!("/workspaces/{}/agents/me", ws(&ann));

    assert_error(&s.req("GET", &path).send().await, 401);
    let r = s
        .req("GET", &path)
        .header("authorization", "AccessKey nope")
        .send()
        .await;
    assert_error(&r, 401);
    let r = s
        .req("GET", &path)
        .header("authorization", &format!("Basic {}", ann.key))
        .send()
        .await;
    assert_error(&r, 401);
    for scheme in ["AccessKey", "Bearer"] {
        let r = s
            .req("GET", &path)
            .header("authorization", &format!("{scheme} {}", ann.key))
            .send()
            .await;
        assert_eq!(r.status, 200, "{scheme}: {}", r.text);
        assert_eq!(r.body["id"], ann.user.id.to_uuid());
        assert_eq!(r.body["workspaceId"], ws(&ann));
    }
    // Bob's key on Ann's workspace, and made-up workspaces, are simply not found.
    let r = s
        .req("GET", &path)
        .header("authorization", &format!("Bearer {}", bob.key))
        .send()
        .await;
    assert_error(&r, 404);
    for bad in ["not-a-uuid", "123e4567-e89b-12d3-a456-426614174000"] {
        let r = s
            .req("GET", &format!("/workspaces/{bad}/agents"))
            .header("authorization", &format!("Bearer {}", ann.key))
            .send()
            .await;
        assert_error(&r, 404);
    }
    // Unknown paths and methods answer in Bird's shape too.
    assert_error(&s.bird(&ann, "GET", "/nothing-here").send().await, 404);
    assert_error(&s.bird(&ann, "PUT", "/agents/me").send().await, 405);
}

#[tokio::test]
async fn bird_workspace_id_is_printed_by_company_create_and_works() {
    let s = Server::start().await;
    let company = cli(&s, &["company", "create", "--name", "Acme"]);
    let company_id: switchboard_domain::ids::CompanyId =
        text(&company, "company_id").parse().unwrap();
    assert_eq!(text(&company, "workspace_id"), company_id.to_uuid());
    let user = cli(
        &s,
        &[
            "user",
            "create",
            "--company",
            &text(&company, "company_id"),
            "--email",
            "ann@example.com",
            "--first-name",
            "Ann",
        ],
    );
    let key = cli(&s, &["key", "create", "--user", &text(&user, "user_id")]);
    let r = s
        .req(
            "GET",
            &format!("/workspaces/{}/agents/me", text(&company, "workspace_id")),
        )
        .header(
            "authorization",
            &format!("AccessKey {}", text(&key, "api_key")),
        )
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Ann");
    assert_eq!(r.body["userEmails"], json!(["ann@example.com"]));
}

#[tokio::test]
async fn bird_get_and_me_read_the_same_agent_and_foreign_ids_are_not_found() {
    let s = Server::start().await;
    let ann = s.user().await;
    let other = s.user().await;
    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["type"], "user");
    assert_eq!(me.body["status"], "away");
    assert_eq!(me.body["availability"]["activity"], "available");
    assert_eq!(me.body["overrideName"], false);
    let id = me.body["id"].as_str().unwrap();
    let got = s.bird(&ann, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["id"], me.body["id"]);
    assert_eq!(got.body["name"], me.body["name"]);

    for bad in [
        other.user.id.to_uuid(),
        "123e4567-e89b-12d3-a456-426614174000".to_owned(),
        "nope".to_owned(),
    ] {
        for path in ["", "/availability", "/workload"] {
            let r = s
                .bird(&ann, "GET", &format!("/agents/{bad}{path}"))
                .send()
                .await;
            assert_error(&r, 404);
        }
        let r = s
            .bird(&ann, "PATCH", &format!("/agents/{bad}"))
            .json(json!({"bio": "x"}))
            .send()
            .await;
        assert_error(&r, 404);
        assert_error(
            &s.bird(&ann, "DELETE", &format!("/agents/{bad}"))
                .send()
                .await,
            404,
        );
    }
    // The other company's agent is untouched.
    let r = s.bird(&other, "GET", "/agents/me").send().await;
    assert_eq!(r.body["bio"], Value::Null);
}

#[tokio::test]
async fn bird_create_makes_a_user_and_refuses_duplicates_and_bad_input() {
    let s = Server::start().await;
    let ann = s.user().await;
    let body = new_agent(&s, &ann, "Bob Builder", "bob@example.com").await;
    assert_eq!(body["name"], "Bob Builder");
    assert_eq!(body["userEmails"], json!(["bob@example.com"]));
    assert_eq!(body["workspaceId"], ws(&ann));
    let bob_id = body["id"].as_str().unwrap().to_owned();
    // Bob is a user of the company now.
    assert_eq!(
        s.raw_texts(&format!(
            "SELECT email FROM users WHERE company_id = {}",
            ann.user.company_id.0
        ))
        .await
        .len(),
        2
    );

    let r = s
        .bird(&ann, "POST", "/agents")
        .json(json!({"name": "Bob Again", "email": "BOB@example.com"}))
        .send()
        .await;
    assert_error(&r, 409);
    let r = s
        .bird(&ann, "POST", "/agents")
        .json(json!({"userId": bob_id}))
        .send()
        .await;
    assert_error(&r, 409);
    let stranger = s.user().await;
    let r = s
        .bird(&ann, "POST", "/agents")
        .json(json!({"userId": stranger.user.id.to_uuid()}))
        .send()
        .await;
    assert_error(&r, 404);

    let bad_bodies = [
        json!({"email": "nameless@example.com"}),
        json!({"name": "No Email"}),
        json!({"name": "X", "email": "not-an-email"}),
        json!({"name": "X", "email": "x@example.com", "type": "bot"}),
        json!({"name": "X", "email": "x@example.com", "userId": "nope"}),
        json!({"name": "X", "email": "x@example.com", "bio": 5}),
        json!({"name": "X", "email": "x@example.com", "wrapUpTime": 901}),
        json!({"name": "X", "email": "x@example.com", "weeklySchedule": {"monday": {"from": {"hour": 25, "minute": 0}, "to": {"hour": 26, "minute": 0}}}}),
        json!({"name": "X", "email": "x@example.com", "holidays": [{"name": "Nope", "day": 31, "month": 2}]}),
        json!({"name": "X", "email": "x@example.com", "teamIds": ["nope"]}),
        json!({"name": "x".repeat(51), "email": "x@example.com"}),
        json!([1, 2]),
    ];
    for b in bad_bodies {
        let r = s.bird(&ann, "POST", "/agents").json(b.clone()).send().await;
        assert_error(&r, 422);
        assert!(r.status == 422, "{b}");
    }
    let r = s
        .bird(&ann, "POST", "/agents")
        .raw("{not json")
        .send()
        .await;
    assert_error(&r, 400);
    // Nothing was half-made.
    let all = s.bird(&ann, "GET", "/all-agents").send().await;
    assert_eq!(
        all.body["results"].as_array().unwrap().len(),
        2,
        "{}",
        all.text
    );
    assert!(s
        .raw_texts("SELECT email FROM users WHERE email = 'x@example.com'")
        .await
        .is_empty());
}

#[tokio::test]
async fn bird_update_stores_the_profile_and_enforces_the_limits() {
    let s = Server::start().await;
    let ann = s.user().await;
    let schedule =
        json!({"monday": {"from": {"hour": 9, "minute": 0}, "to": {"hour": 17, "minute": 30}}});
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(json!({
            "name": "Ann Agent", "bio": "Hello", "wrapUpTime": 900, "outOfOfficeResponse": "Away",
            "transcriptionLocale": "en-US", "timezone": "Europe/Amsterdam", "defaultCountryCode": "nl",
            "defaultCallerId": "+31201234567", "forwardNumber": {"enabled": true, "number": "+31612345678", "maskCaller": false},
            "weeklySchedule": schedule, "holidays": [{"name": "Leap day", "day": 29, "month": 2}],
            "defaultSenderId": "123e4567-e89b-12d3-a456-426614174000", "dropVms": [{"id": "vm1"}],
            "avatarUrl": "https://example.com/a.png"
        }))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let got = s.bird(&ann, "GET", &format!("/agents/{id}")).send().await;
    let b = &got.body;
    assert_eq!(b["name"], "Ann Agent");
    assert_eq!(b["overrideName"], true);
    assert_eq!(b["bio"], "Hello");
    assert_eq!(b["wrapUpTime"], 900);
    assert_eq!(b["outOfOfficeResponse"], "Away");
    assert_eq!(b["transcriptionLocale"], "en-US");
    assert_eq!(b["timezone"], "Europe/Amsterdam");
    assert_eq!(b["defaultCountryCode"], "NL");
    assert_eq!(b["forwardNumber"]["number"], "+31612345678");
    assert_eq!(b["weeklySchedule"], schedule);
    assert_eq!(
        b["holidays"],
        json!([{"name": "Leap day", "day": 29, "month": 2}])
    );
    assert_eq!(b["dropVms"], json!([{"id": "vm1"}]));
    assert_eq!(b["avatarUrl"], "https://example.com/a.png");
    assert_eq!(b["user"]["avatarUrl"], "https://example.com/a.png");

    let bad = [
        json!({"name": ""}),
        json!({"name": "x".repeat(51)}),
        json!({"bio": "x".repeat(241)}),
        json!({"wrapUpTime": 901}),
        json!({"wrapUpTime": -1}),
        json!({"wrapUpTime": "ten"}),
        json!({"outOfOfficeResponse": "x".repeat(1001)}),
        json!({"transcriptionLocale": "xx-XX"}),
        json!({"status": "sleeping"}),
        json!({"timezone": "Mars/Olympus"}),
        json!({"defaultCountryCode": "NLD"}),
        json!({"defaultSenderId": "nope"}),
        json!({"weeklySchedule": {"monday": {"from": {"hour": 10, "minute": 0}, "to": {"hour": 9, "minute": 0}}}}),
        json!({"weeklySchedule": {"funday": {"from": {"hour": 1, "minute": 0}, "to": {"hour": 2, "minute": 0}}}}),
        json!({"weeklySchedule": {"monday": {"from": {"hour": 1, "minute": 60}, "to": {"hour": 2, "minute": 0}}}}),
        json!({"holidays": [{"name": "x", "day": 0, "month": 1}]}),
        json!({"holidays": [{"name": "x", "day": 1, "month": 13}]}),
        json!({"holidays": [{"name": "", "day": 1, "month": 1}]}),
        json!({"assignedSkills": [{"id": "nope"}]}),
        json!({"bio": "ok", "name": ""}),
    ];
    for body in bad {
        for path in ["/agents/me".to_owned(), format!("/agents/{id}")] {
            let r = s.bird(&ann, "PATCH", &path).json(body.clone()).send().await;
            assert_eq!(r.status, 422, "{body}: {}", r.text);
            assert_error(&r, 422);
        }
    }
    // Nothing changed, and the limits themselves are accepted.
    let again = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(again.body["bio"], "Hello");
    let r = s
        .bird(&ann, "PATCH", &format!("/agents/{id}"))
        .json(json!({"name": "x".repeat(50), "bio": "b".repeat(240), "outOfOfficeResponse": "o".repeat(1000), "wrapUpTime": 0}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // null clears.
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(json!({"bio": null, "name": null, "weeklySchedule": null}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["bio"], Value::Null);
    assert_eq!(r.body["overrideName"], false);
    assert_eq!(r.body["weeklySchedule"], Value::Null);
    assert_eq!(r.body["name"], ann.user.display_name());
}

#[tokio::test]
async fn bird_delete_removes_the_agent_but_keeps_the_user() {
    let s = Server::start().await;
    let ann = s.user().await;
    let bob = new_agent(&s, &ann, "Bob", "bob@example.com").await;
    let id = bob["id"].as_str().unwrap();
    let r = s
        .bird(&ann, "DELETE", &format!("/agents/{id}"))
        .send()
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.text.is_empty());
    assert_error(
        &s.bird(&ann, "GET", &format!("/agents/{id}")).send().await,
        404,
    );
    assert_error(
        &s.bird(&ann, "DELETE", &format!("/agents/{id}"))
            .send()
            .await,
        404,
    );
    let all = s.bird(&ann, "GET", "/all-agents").send().await;
    assert_eq!(all.body["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        s.raw_texts("SELECT email FROM users WHERE email = 'bob@example.com'")
            .await,
        vec!["bob@example.com"]
    );
    // Made an agent again from the same user.
    let r = s
        .bird(&ann, "POST", "/agents")
        .json(json!({"userId": id, "bio": "Back"}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["bio"], "Back");
    // Deleting oneself: `me` is then not found, while the key still identifies the user.
    let me = ann.user.id.to_uuid();
    assert_eq!(
        s.bird(&ann, "DELETE", &format!("/agents/{me}"))
            .send()
            .await
            .status,
        204
    );
    assert_error(&s.bird(&ann, "GET", "/agents/me").send().await, 404);
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(json!({"bio": "x"}))
        .send()
        .await;
    assert_error(&r, 404);
    assert_eq!(
        s.bird(&ann, "GET", "/all-agents").send().await.body["results"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn bird_create_honours_idempotency_keys() {
    let s = Server::start().await;
    let ann = s.user().await;
    let send = || {
        s.bird(&ann, "POST", "/agents")
            .header("idempotency-key", "k1")
            .json(json!({"name": "Cat", "email": "cat@example.com"}))
            .send()
    };
    let first = send().await;
    assert_eq!(first.status, 201, "{}", first.text);
    let second = send().await;
    assert_eq!(second.status, 201);
    assert_eq!(second.header("idempotency-replayed"), Some("true"));
    assert_eq!(second.body["id"], first.body["id"]);
    let other = s
        .bird(&ann, "POST", "/agents")
        .header("idempotency-key", "k1")
        .json(json!({"name": "Dog", "email": "dog@example.com"}))
        .send()
        .await;
    assert_error(&other, 422);
}

#[tokio::test]
async fn bird_concurrent_creates_for_one_user_make_one_agent() {
    let s = Server::start().await;
    let ann = s.user().await;
    let carl = s.user_in(ann.user.company_id, true).await;
    let body = json!({"userId": carl.user.id.to_uuid()});
    let sends = (0..8).map(|_| s.bird(&ann, "POST", "/agents").json(body.clone()).send());
    let mut statuses: Vec<u16> = futures::future::join_all(sends)
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
}

/// A create whose skill (or team) is unknown is refused whole: no agent, no user is left.
#[tokio::test]
async fn bird_create_with_an_unknown_skill_or_team_leaves_nothing_behind() {
    let s = Server::start().await;
    let ann = s.user().await;
    let users_before = s.raw_texts("SELECT email FROM users").await.len();
    let unknown = "00000000-0000-4000-8000-000000000009";
    let bad = [
        json!({"name": "Zoe", "email": "zoe@example.com", "type": "user",
               "assignedSkills": [{"id": unknown}]}),
        json!({"name": "Zoe", "email": "zoe@example.com", "type": "user", "status": "away",
               "assignedSkills": [{"id": unknown}]}),
        json!({"name": "Zoe", "email": "zoe@example.com", "type": "user", "teamIds": [unknown]}),
    ];
    for body in bad {
        let r = s
            .bird(&ann, "POST", "/agents")
            .json(body.clone())
            .send()
            .await;
        assert_eq!(r.status, 404, "{body}: {}", r.text);
        assert_error(&r, 404);
    }
    assert_eq!(
        s.raw_texts("SELECT email FROM users").await.len(),
        users_before
    );
    let all = s.bird(&ann, "GET", "/all-agents").send().await;
    let names: Vec<&str> = all.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(!names.contains(&"Zoe"), "{}", all.text);
    let listed = s
        .bird(&ann, "GET", "/agents?email=zoe@example.com")
        .send()
        .await;
    assert_eq!(listed.body["results"], json!([]), "{}", listed.text);
    // The same create with a real skill goes through, skills and status included.
    let skill = s
        .bird(&ann, "POST", "/inbox/skills")
        .json(
            json!({"name": "Level", "description": "", "valueType": "single",
                     "values": [{"value": "Junior"}]}),
        )
        .send()
        .await;
    assert_eq!(skill.status, 201, "{}", skill.text);
    let r = s
        .bird(&ann, "POST", "/agents")
        .json(
            json!({"name": "Zoe", "email": "zoe@example.com", "type": "user",
                     "status": "away", "assignedSkills": [{"id": skill.body["id"]}]}),
        )
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "away");
    assert_eq!(r.body["assignedSkills"][0]["id"], skill.body["id"]);
}

/// Concurrent PATCHes of different fields of one agent all take effect (each merges into the
/// one before it; none writes back a stale row).
#[tokio::test]
async fn bird_concurrent_updates_of_different_fields_all_take_effect() {
    let s = Server::start().await;
    let ann = s.user().await;
    let id = ann.user.id.to_uuid();
    for round in 0..2 {
        let n = round + 1;
        let fields = [
            ("name", json!(format!("Name {n}"))),
            ("bio", json!(format!("Bio {n}"))),
            ("avatarUrl", json!(format!("https://example.com/{n}.png"))),
            ("wrapUpTime", json!(60 + n)),
            ("timezone", json!(["Europe/Amsterdam", "Asia/Tokyo"][round])),
            ("defaultCallerId", json!(format!("+3120000000{n}"))),
            ("outOfOfficeResponse", json!(format!("Away {n}"))),
            ("transcriptionLocale", json!(["en-US", "nl-NL"][round])),
            ("defaultCountryCode", json!(["NL", "JP"][round])),
            (
                "defaultSenderId",
                json!(format!("00000000-0000-4000-8000-00000000000{n}")),
            ),
            (
                "holidays",
                json!([{"name": format!("Holiday {n}"), "day": n, "month": 1}]),
            ),
            (
                "weeklySchedule",
                json!({"monday": {"from": {"hour": n, "minute": 0}, "to": {"hour": 17, "minute": 0}}}),
            ),
        ];
        let sends = fields.iter().map(|(field, value)| {
            s.bird(&ann, "PATCH", &format!("/agents/{id}"))
                .json(json!({ *field: value }))
                .send()
        });
        for r in futures::future::join_all(sends).await {
            assert_eq!(r.status, 200, "{}", r.text);
        }
        let got = s.bird(&ann, "GET", "/agents/me").send().await;
        for (field, value) in &fields {
            let seen = &got.body[*field];
            match *field {
                "weeklySchedule" => {
                    assert_eq!(seen["monday"]["from"]["hour"], n, "round {n}: {}", got.text)
                }
                "holidays" => assert_eq!(seen[0]["name"], value[0]["name"], "round {n}"),
                _ => assert_eq!(seen, value, "round {n}: {field} in {}", got.text),
            }
        }
    }
}
