//! Bird dialect: teams and membership, skills and their assignment, capacity rules.

use serde_json::{json, Value};
use switchboard_domain::ids::Id;

use crate::bird_agents::new_agent;
use crate::kit::Server;

#[tokio::test]
async fn bird_teams_and_membership_show_on_the_agent() {
    let s = Server::start().await;
    let ann = s.user().await;
    let other = s.user().await;
    let ann_id = ann.user.id.to_uuid();
    let r = s
        .bird(&ann, "POST", "/teams")
        .json(json!({"name": "Support", "description": "First line", "members": [{"type": "user", "id": ann_id}]}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let team = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["activeMemberCount"], 1);
    assert_eq!(
        r.body["featuredMembers"],
        json!([{"id": ann_id, "type": "user"}])
    );
    assert_eq!(r.body["visibility"], "public");
    for key in [
        "workspaceId",
        "pendingMemberCount",
        "hideFromViews",
        "createdAt",
        "updatedAt",
        "accessibility",
    ] {
        assert!(r.body.get(key).is_some(), "{key}");
    }

    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(me.body["teams"][0]["id"], team);
    assert_eq!(me.body["teams"][0]["name"], "Support");
    assert_eq!(me.body["teams"][0]["activeMemberCount"], 1);

    let bob = new_agent(&s, &ann, "Bob", "bob@example.com").await;
    let bob_id = bob["id"].as_str().unwrap();
    let path = format!("/teams/{team}/members");
    let r = s
        .bird(&ann, "POST", &path)
        .json(json!({"type": "user", "id": bob_id}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "active");
    let r = s
        .bird(&ann, "POST", &path)
        .json(json!({"type": "user", "id": bob_id}))
        .send()
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = s
        .bird(&ann, "POST", &path)
        .json(json!({"type": "user", "id": other.user.id.to_uuid()}))
        .send()
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = s.bird(&ann, "GET", &path).send().await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 2);

    // Create with teamIds.
    let r = s
        .bird(&ann, "POST", "/agents")
        .json(json!({"name": "Cat", "email": "cat@example.com", "teamIds": [team]}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["teams"][0]["activeMemberCount"], 3);

    let r = s
        .bird(&ann, "PATCH", &format!("/teams/{team}"))
        .json(json!({"name": "Support EU", "hideFromViews": true}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Support EU");
    assert_eq!(r.body["hideFromViews"], true);
    for bad in [
        json!({"name": ""}),
        json!({"visibility": "secret"}),
        json!({"description": "x".repeat(241)}),
    ] {
        let r = s
            .bird(&ann, "PATCH", &format!("/teams/{team}"))
            .json(bad.clone())
            .send()
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    let r = s.bird(&ann, "GET", "/teams?limit=1").send().await;
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["results"][0]["name"], "Support EU");
    assert_eq!(
        s.bird(&ann, "GET", "/teams?sortBy=size")
            .send()
            .await
            .status,
        422
    );

    // Another workspace sees none of it.
    assert_eq!(
        s.bird(&other, "GET", &format!("/teams/{team}"))
            .send()
            .await
            .status,
        404
    );
    assert_eq!(
        s.bird(&other, "DELETE", &format!("/teams/{team}"))
            .send()
            .await
            .status,
        404
    );
    assert_eq!(
        s.bird(&other, "GET", "/teams").send().await.body["total"],
        0
    );

    let r = s
        .bird(&ann, "DELETE", &format!("{path}/{bob_id}"))
        .send()
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        s.bird(&ann, "DELETE", &format!("{path}/{bob_id}"))
            .send()
            .await
            .status,
        404
    );
    assert_eq!(
        s.bird(&ann, "DELETE", &format!("/teams/{team}"))
            .send()
            .await
            .status,
        204
    );
    assert_eq!(
        s.bird(&ann, "GET", &format!("/teams/{team}"))
            .send()
            .await
            .status,
        404
    );
    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(me.body["teams"], json!([]));
}

#[tokio::test]
async fn bird_skills_are_created_and_assigned_with_their_values() {
    let s = Server::start().await;
    let ann = s.user().await;
    let other = s.user().await;
    let r = s
        .bird(&ann, "POST", "/inbox/skills")
        .json(
            json!({"name": "Languages", "description": "Spoken", "valueType": "multiple",
            "values": [{"value": "English", "icon": "gb"}, {"value": "Dutch", "icon": "nl"}]}),
        )
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let langs = r.body.clone();
    let single = s
        .bird(&ann, "POST", "/inbox/skills")
        .json(
            json!({"name": "Level", "description": "", "valueType": "single",
            "values": [{"value": "Junior"}, {"value": "Senior"}]}),
        )
        .send()
        .await
        .body;
    let r = s
        .bird(&ann, "POST", "/inbox/skills")
        .json(json!({"name": "Languages", "description": "Again", "valueType": "single", "values": []}))
        .send()
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    for bad in [
        json!({"name": "X", "description": "", "valueType": "several"}),
        json!({"name": "", "description": "", "valueType": "single"}),
        json!({"name": "Y", "description": ""}),
        json!({"name": "Z", "description": "", "valueType": "single", "values": [{"value": "a"}, {"value": "a"}]}),
    ] {
        let r = s
            .bird(&ann, "POST", "/inbox/skills")
            .json(bad.clone())
            .send()
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }

    let v = |skill: &Value, i: usize| skill["values"][i]["id"].as_str().unwrap().to_owned();
    let assign = json!({"assignedSkills": [
        {"id": langs["id"], "selectedValues": [{"id": v(&langs, 0)}, {"id": v(&langs, 1)}]},
        {"id": single["id"], "selectedValues": [{"id": v(&single, 1)}]}
    ]});
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(assign)
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let skills = r.body["assignedSkills"].as_array().unwrap();
    assert_eq!(skills.len(), 2);
    assert_eq!(skills[0]["name"], "Languages");
    assert_eq!(skills[0]["valueType"], "multiple");
    assert_eq!(skills[0]["selectedValues"].as_array().unwrap().len(), 2);
    assert_eq!(skills[1]["selectedValues"][0]["value"], "Senior");

    // A single-value skill takes one value; values of another skill are refused.
    for bad in [
        json!({"assignedSkills": [{"id": single["id"], "selectedValues": [{"id": v(&single, 0)}, {"id": v(&single, 1)}]}]}),
        json!({"assignedSkills": [{"id": single["id"], "selectedValues": [{"id": v(&langs, 0)}]}]}),
    ] {
        let r = s.bird(&ann, "PATCH", "/agents/me").json(bad).send().await;
        assert_eq!(r.status, 422, "{}", r.text);
    }
    // Another workspace's skill is not found, there and here.
    let theirs = s
        .bird(&other, "POST", "/inbox/skills")
        .json(json!({"name": "Secret", "description": "", "valueType": "boolean"}))
        .send()
        .await
        .body;
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(json!({"assignedSkills": [{"id": theirs["id"]}]}))
        .send()
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let id = langs["id"].as_str().unwrap();
    assert_eq!(
        s.bird(&other, "GET", &format!("/inbox/skills/{id}"))
            .send()
            .await
            .status,
        404
    );

    // Updating keeps the ids of unchanged values.
    let r = s
        .bird(&ann, "PATCH", &format!("/inbox/skills/{id}"))
        .json(json!({"values": [{"value": "English", "icon": "gb"}, {"value": "German", "icon": "de"}]}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["values"][0]["id"], langs["values"][0]["id"]);
    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(
        me.body["assignedSkills"][0]["selectedValues"],
        json!([{"id": v(&langs, 0), "value": "English", "icon": "gb"}])
    );
    let r = s.bird(&ann, "GET", "/inbox/skills?limit=1").send().await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 1);
    assert!(r.body["nextPageToken"].is_string());

    assert_eq!(
        s.bird(&ann, "DELETE", &format!("/inbox/skills/{id}"))
            .send()
            .await
            .status,
        204
    );
    assert_eq!(
        s.bird(&ann, "GET", &format!("/inbox/skills/{id}"))
            .send()
            .await
            .status,
        404
    );
    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(me.body["assignedSkills"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bird_capacity_rules_keep_one_default_and_their_agents() {
    let s = Server::start().await;
    let ann = s.user().await;
    let other = s.user().await;
    let ann_id = ann.user.id.to_uuid();
    let r = s
        .bird(&ann, "POST", "/inbox/capacity")
        .json(json!({"name": "Default", "description": "All", "default": true, "capacity": {"messaging": 4, "email": 2}}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let default = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["default"], true);
    assert_eq!(r.body["workspaceId"], ann.user.company_id.to_uuid());
    let r = s
        .bird(&ann, "POST", "/inbox/capacity")
        .json(json!({"name": "Second", "description": "Also default", "default": true}))
        .send()
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = s
        .bird(&ann, "POST", "/inbox/capacity")
        .json(json!({"name": "Team", "description": "Some", "capacity": {"messaging": 1, "email": 1}, "agents": [ann_id]}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let team_rule = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["assignedAgentIds"], json!([ann_id]));
    let r = s
        .bird(&ann, "PATCH", &format!("/inbox/capacity/{team_rule}"))
        .json(json!({"default": true}))
        .send()
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    for bad in [
        json!({"name": "", "description": "x"}),
        json!({"name": "x"}),
        json!({"name": "x", "description": "x", "capacity": {"messaging": -1}}),
        json!({"name": "x", "description": "x", "capacity": {"voice": 1}}),
        json!({"name": "x", "description": "x", "agents": ["nope"]}),
    ] {
        let r = s
            .bird(&ann, "POST", "/inbox/capacity")
            .json(bad.clone())
            .send()
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    let r = s
        .bird(&ann, "POST", "/inbox/capacity")
        .json(json!({"name": "x", "description": "x", "agents": [other.user.id.to_uuid()]}))
        .send()
        .await;
    assert_eq!(r.status, 404, "{}", r.text);

    let r = s
        .bird(&ann, "PATCH", &format!("/inbox/capacity/{default}"))
        .json(json!({"capacity": {"email": 9}}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["capacity"], json!({"messaging": 4, "email": 9}));
    let list = s.bird(&ann, "GET", "/inbox/capacity").send().await;
    assert_eq!(list.body["results"].as_array().unwrap().len(), 2);
    assert_eq!(
        s.bird(&other, "GET", &format!("/inbox/capacity/{default}"))
            .send()
            .await
            .status,
        404
    );

    let w = s
        .bird(&ann, "GET", &format!("/agents/{ann_id}/workload"))
        .send()
        .await;
    assert_eq!(w.body["ruleId"], team_rule);
    assert_eq!(
        s.bird(&ann, "DELETE", &format!("/inbox/capacity/{team_rule}"))
            .send()
            .await
            .status,
        204
    );
    let w = s
        .bird(&ann, "GET", &format!("/agents/{ann_id}/workload"))
        .send()
        .await;
    assert_eq!(w.body["ruleId"], default, "falls back to the default rule");
    assert_eq!(
        s.bird(&ann, "GET", &format!("/inbox/capacity/{team_rule}"))
            .send()
            .await
            .status,
        404
    );
}

/// Concurrent PATCHes of different fields of one team, skill or capacity rule all take effect.
#[tokio::test]
async fn bird_concurrent_updates_of_teams_skills_and_rules_merge() {
    let s = Server::start().await;
    let ann = s.user().await;
    let created = |path: &'static str, body: Value| {
        let req = s.bird(&ann, "POST", path).json(body);
        async move {
            let r = req.send().await;
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_str().unwrap().to_owned()
        }
    };
    let team = created("/teams", json!({"name": "T"})).await;
    let skill = created(
        "/inbox/skills",
        json!({"name": "S", "description": "", "valueType": "single", "values": []}),
    )
    .await;
    let rule = created(
        "/inbox/capacity",
        json!({"name": "R", "description": "D", "capacity": {"messaging": 1, "email": 1}}),
    )
    .await;
    let cases = [
        (
            format!("/teams/{team}"),
            vec![
                json!({"name": "Team 2"}),
                json!({"description": "Described"}),
                json!({"visibility": "private"}),
                json!({"accessibility": "invite-only"}),
                json!({"hideFromViews": true}),
            ],
        ),
        (
            format!("/inbox/skills/{skill}"),
            vec![
                json!({"name": "Skill 2"}),
                json!({"description": "Described"}),
            ],
        ),
        (
            format!("/inbox/capacity/{rule}"),
            vec![
                json!({"name": "Rule 2"}),
                json!({"description": "Described"}),
                json!({"capacity": {"messaging": 7}}),
                json!({"capacity": {"email": 9}}),
            ],
        ),
    ];
    for (path, patches) in &cases {
        let sends = patches
            .iter()
            .map(|p| s.bird(&ann, "PATCH", path).json(p.clone()).send());
        for r in futures::future::join_all(sends).await {
            assert_eq!(r.status, 200, "{path}: {}", r.text);
        }
    }
    let t = s.bird(&ann, "GET", &format!("/teams/{team}")).send().await;
    assert_eq!(
        (
            &t.body["name"],
            &t.body["description"],
            &t.body["visibility"],
            &t.body["accessibility"],
            &t.body["hideFromViews"]
        ),
        (
            &json!("Team 2"),
            &json!("Described"),
            &json!("private"),
            &json!("invite-only"),
            &json!(true)
        ),
        "{}",
        t.text
    );
    let k = s
        .bird(&ann, "GET", &format!("/inbox/skills/{skill}"))
        .send()
        .await;
    assert_eq!(
        (&k.body["name"], &k.body["description"]),
        (&json!("Skill 2"), &json!("Described")),
        "{}",
        k.text
    );
    let r = s
        .bird(&ann, "GET", &format!("/inbox/capacity/{rule}"))
        .send()
        .await;
    assert_eq!(
        (
            &r.body["name"],
            &r.body["description"],
            &r.body["capacity"]["messaging"],
            &r.body["capacity"]["email"]
        ),
        (&json!("Rule 2"), &json!("Described"), &json!(7), &json!(9)),
        "{}",
        r.text
    );
}
