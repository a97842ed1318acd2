//! Agents: list, create, get, version-managed PATCH, delete, clone, settings.

use serde_json::json;

use crate::kit::Server;

#[tokio::test]
async fn create_get_and_list_match_the_seed_shapes_with_paging() {
    let s = Server::start().await;
    let u = s.user().await;
    let r = s
        .dg(&u, "POST", "/agents")
        .json(
            json!({"agentName": "Support Agent", "settings": {"language": "en"}, "phoneNumbers": [],
                     "metadata": {"commit_message": "Initial partner setup"}}),
        )
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let agent = &r.body["agent"];
    let id = agent["agentId"].as_str().unwrap().to_owned();
    assert_eq!(agent["agentName"], "Support Agent");
    assert_eq!(agent["userId"], u.user.id.to_string());
    assert_eq!(agent["settings"], json!({"language": "en"}));
    assert_eq!(agent["phoneNumbers"], json!([]));
    assert!(
        agent["metadata"].get("commit_message").is_none(),
        "the label is not stored on the agent"
    );

    let got = s.dg(&u, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["agent"]["agentId"], id.as_str());
    assert_eq!(got.body["agent"]["owner"], true);
    assert!(got.body["agent"].get("rights").is_none());
    assert!(got.body["agent"]["updated_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));

    s.agent(&u, "Second").await;
    s.agent(&u, "Third").await;
    let page = s.dg(&u, "GET", "/agents?limit=2").send().await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body["agents"].as_array().unwrap().len(), 2);
    assert_eq!(
        (
            page.body["totalCount"].clone(),
            page.body["limit"].clone(),
            page.body["skip"].clone()
        ),
        (json!(3), json!(2), json!(0))
    );
    assert_eq!(page.body["hasMore"], true);
    let rest = s.dg(&u, "GET", "/agents?limit=2&skip=2").send().await;
    assert_eq!(rest.body["agents"].as_array().unwrap().len(), 1);
    // Agents created in the same millisecond are ordered by id, so compare the pages as a set.
    let mut names: Vec<&str> = page.body["agents"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest.body["agents"].as_array().unwrap())
        .map(|a| a["agentName"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Second", "Support Agent", "Third"]);
    assert_eq!(rest.body["hasMore"], false);
    let default = s.dg(&u, "GET", "/agents").send().await;
    assert_eq!(
        (default.body["limit"].clone(), default.body["skip"].clone()),
        (json!(25), json!(0))
    );
}

#[tokio::test]
async fn bad_input_gets_400_in_the_error_shape_and_changes_nothing() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "Keep").await;
    let cases = [
        s.dg(&u, "POST", "/agents").raw("{not json").send().await,
        s.dg(&u, "POST", "/agents")
            .json(json!({"settings": {}}))
            .send()
            .await,
        s.dg(&u, "POST", "/agents")
            .json(json!({"agentName": "x", "settings": []}))
            .send()
            .await,
        s.dg(&u, "POST", "/agents")
            .json(json!(["agentName"]))
            .send()
            .await,
        s.dg(&u, "POST", "/agents")
            .json(json!({"agentName": 7}))
            .send()
            .await,
        s.dg(&u, "PATCH", &format!("/agents/{id}"))
            .json(json!({"settings": "en"}))
            .send()
            .await,
        s.dg(&u, "PATCH", &format!("/agents/{id}"))
            .json(json!({"phoneNumbers": {}}))
            .send()
            .await,
        s.dg(&u, "PATCH", &format!("/agents/{id}"))
            .json(json!({"agentName": ""}))
            .send()
            .await,
        s.dg(&u, "PATCH", &format!("/agents/{id}"))
            .json(json!({"metadata": {"commit_message": 5}}))
            .send()
            .await,
        s.dg(&u, "GET", "/agents?limit=abc").send().await,
        s.dg(&u, "GET", "/agents?skip=-1").send().await,
        s.dg(&u, "GET", "/agents?limit=0").send().await,
        s.dg(&u, "POST", "/agents")
            .raw(vec![b' '; 2 * 1024 * 1024])
            .send()
            .await,
    ];
    for r in cases {
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(
            r.body["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{}",
            r.text
        );
    }
    let list = s.dg(&u, "GET", "/agents").send().await;
    assert_eq!(list.body["totalCount"], 1);
    let versions = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(
        versions.body["totalCount"], 1,
        "no failed write made a version"
    );
}

#[tokio::test]
async fn patch_merges_top_level_replaces_nested_and_ignores_protected_fields() {
    let s = Server::start().await;
    let u = s.user().await;
    let r = s
        .dg(&u, "POST", "/agents")
        .json(json!({"agentName": "A", "settings": {"language": "en", "voice": "x"}, "phoneNumbers": ["+15550000001"],
                     "metadata": {"team": "blue"}}))
        .send()
        .await;
    let id = r.body["agent"]["agentId"].as_str().unwrap().to_owned();
    let r = s
        .dg(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({"agentName": "Updated Support Agent", "settings": {"language": "en", "welcomeMessage": "How can I help?"},
                     "agentId": "hijack", "userId": "someone", "owner": false, "rights": ["view"], "_id": 1, "__v": 3,
                     "created_at": "1999", "updated_at": "1999", "metadata": {"commit_message": "Partner dashboard update"}}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let a = &r.body["agent"];
    assert_eq!(a["agentId"], id.as_str());
    assert_eq!(a["userId"], u.user.id.to_string());
    assert_eq!(a["owner"], true);
    assert_eq!(a["agentName"], "Updated Support Agent");
    assert_eq!(
        a["settings"],
        json!({"language": "en", "welcomeMessage": "How can I help?"}),
        "settings replaced whole"
    );
    assert_eq!(
        a["phoneNumbers"],
        json!(["+15550000001"]),
        "omitted fields unchanged"
    );
    assert_eq!(
        a["metadata"],
        json!({"team": "blue"}),
        "metadata keys merge; the label is not stored"
    );
    assert_ne!(a["created_at"], "1999");
    assert!(a.get("_id").is_none() && a.get("__v").is_none());

    let versions = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(
        versions.body["versions"][0]["commit_message"],
        "Partner dashboard update"
    );
    assert_eq!(versions.body["versions"][0]["version_number"], 2);
}

#[tokio::test]
async fn another_users_agent_looks_exactly_like_a_missing_one() {
    let s = Server::start().await;
    let owner = s.user().await;
    let stranger = s.user().await;
    let id = s.agent(&owner, "Private").await;
    let missing = s
        .dg(&stranger, "GET", "/agents/1234567890123456")
        .send()
        .await;
    for (method, path) in [
        ("GET", format!("/agents/{id}")),
        ("PATCH", format!("/agents/{id}")),
        ("DELETE", format!("/agents/{id}")),
        ("POST", format!("/agents/{id}/clone")),
        ("GET", format!("/agents/{id}/settings")),
        ("PUT", format!("/agents/{id}/settings")),
        ("GET", format!("/agents/{id}/credentials")),
        ("GET", format!("/agents/{id}/versions")),
        ("GET", format!("/agents/{id}/call-logs")),
        ("GET", "/agents/not-an-id".to_owned()),
    ] {
        let r = s
            .dg(&stranger, method, &path)
            .json(json!({"agentName": "x"}))
            .send()
            .await;
        assert_eq!(r.status, 404, "{method} {path}: {}", r.text);
        assert_eq!(r.body, missing.body, "{method} {path}");
    }
    assert_eq!(missing.body, json!({"error": "agent not found"}));
    let still = s.dg(&owner, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(still.body["agent"]["agentName"], "Private");
}

#[tokio::test]
async fn delete_removes_the_agent() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "Gone").await;
    let r = s.dg(&u, "DELETE", &format!("/agents/{id}")).send().await;
    assert_eq!((r.status, r.body.clone()), (200, json!({"status": true})));
    assert_eq!(
        s.dg(&u, "GET", &format!("/agents/{id}"))
            .send()
            .await
            .status,
        404
    );
    assert_eq!(
        s.dg(&u, "GET", &format!("/agents/{id}/versions"))
            .send()
            .await
            .status,
        404
    );
    assert_eq!(
        s.dg(&u, "DELETE", &format!("/agents/{id}"))
            .send()
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn clone_makes_a_new_versioned_agent_with_overrides() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "Support Agent").await;
    s.dg(&u, "PUT", &format!("/agents/{id}/credentials"))
        .json(json!({"credentials": [{"key": "K", "value": "v"}]}))
        .send()
        .await;
    let r = s
        .dg(&u, "POST", &format!("/agents/{id}/clone"))
        .json(
            json!({"agentName": "Support Agent Copy", "agentId": "ignored",
                     "metadata": {"commit_message": "Partner cloned support agent"}}),
        )
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let copy = &r.body["agent"];
    let copy_id = copy["agentId"].as_str().unwrap();
    assert_ne!(copy_id, id);
    assert_eq!(copy["agentName"], "Support Agent Copy");
    assert_eq!(copy["userId"], u.user.id.to_string());
    assert_eq!(copy["metadata"]["clonedFromAgentId"], id.as_str());
    assert_eq!(
        copy["settings"],
        json!({"language": "en"}),
        "configuration preserved"
    );
    let versions = s
        .dg(&u, "GET", &format!("/agents/{copy_id}/versions"))
        .send()
        .await;
    assert_eq!(versions.body["totalCount"], 1);
    assert_eq!(
        versions.body["versions"][0]["commit_message"],
        "Partner cloned support agent"
    );
    let creds = s
        .dg(&u, "GET", &format!("/agents/{copy_id}/credentials"))
        .send()
        .await;
    assert_eq!(
        creds.body,
        json!({"credentials": [{"key": "K", "value": "v"}]})
    );
    let bare = s
        .dg(&u, "POST", &format!("/agents/{id}/clone"))
        .send()
        .await;
    assert_eq!(bare.status, 201, "a clone needs no body: {}", bare.text);
    assert_eq!(bare.body["agent"]["agentName"], "Support Agent");
    // A later PATCH with a commit message keeps the clone's origin.
    let p = s
        .dg(&u, "PATCH", &format!("/agents/{copy_id}"))
        .json(json!({"metadata": {"commit_message": "tweak"}, "settings": {}}))
        .send()
        .await;
    assert_eq!(
        p.body["agent"]["metadata"]["clonedFromAgentId"],
        id.as_str()
    );
}

#[tokio::test]
async fn settings_wrappers_read_replace_and_merge() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "S").await;
    let path = format!("/agents/{id}/settings");
    let r = s.dg(&u, "GET", &path).send().await;
    assert_eq!(r.body, json!({"settings": {"language": "en"}}));
    assert!(r.header("etag").is_some());

    let r = s
        .dg(&u, "PUT", &path)
        .json(
            json!({"settings": {"language": "en", "welcomeMessage": "How can I help?"},
                     "metadata": {"commitMessage": "settings via wrapper"}}),
        )
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"settings": {"language": "en", "welcomeMessage": "How can I help?"}})
    );
    let r = s
        .dg(&u, "PUT", &path)
        .json(json!({"language": "de"}))
        .send()
        .await;
    assert_eq!(
        r.body,
        json!({"settings": {"language": "de"}}),
        "a bare object replaces"
    );
    let r = s
        .dg(&u, "PATCH", &path)
        .json(json!({"settings": {"voice": "calm"}}))
        .send()
        .await;
    assert_eq!(
        r.body,
        json!({"settings": {"language": "de", "voice": "calm"}}),
        "PATCH merges keys"
    );
    let bad = s
        .dg(&u, "PUT", &path)
        .json(json!({"settings": 3}))
        .send()
        .await;
    assert_eq!(bad.status, 400);
    let bad = s.dg(&u, "PUT", &path).json(json!([1])).send().await;
    assert_eq!(bad.status, 400);

    let versions = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(versions.body["totalCount"], 4);
    assert_eq!(
        versions.body["versions"][2]["commit_message"],
        "settings via wrapper"
    );
    assert_eq!(
        versions.body["versions"][0]["metadata"]["action"],
        "settings"
    );
}

/// A single agent is served from memory while no commit has changed agents (SQLite; on
/// PostgreSQL it is read per request); a change or a deletion made by another process on the
/// same database shows on the very next read, as does one made through this server.
#[tokio::test]
async fn an_agent_changed_or_deleted_by_another_process_reads_as_it_now_is() {
    use switchboard_domain::ai_agents::agent::{Precondition, VersionAction};
    use switchboard_domain::ai_agents::patch::AgentPatch;
    use switchboard_domain::ids::{AgentId, Id};

    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "First").await;
    let name = || {
        let (s, u, id) = (&s, &u, &id);
        async move {
            let r = s.dg(u, "GET", &format!("/agents/{id}")).send().await;
            (r.status, r.body["agent"]["agentName"].clone())
        }
    };
    for _ in 0..2 {
        assert_eq!(name().await, (200, json!("First")));
    }
    let (other_store, other) = s.other_process().await;
    let agent = AgentId::parse_str(&id).unwrap();
    let rename = |to: &str| AgentPatch {
        name: Some(to.to_owned()),
        ..Default::default()
    };
    other
        .ai_agents()
        .update_agent(
            &u.user,
            agent,
            rename("Second"),
            VersionAction::Update,
            &Precondition::None,
        )
        .await
        .unwrap();
    assert_eq!(name().await, (200, json!("Second")));
    let r = s
        .dg(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({"agentName": "Third"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(name().await, (200, json!("Third")));
    other
        .ai_agents()
        .delete_agent(&u.user, agent, &Precondition::None)
        .await
        .unwrap();
    assert_eq!(name().await.0, 404);
    other_store.close().await;
}
