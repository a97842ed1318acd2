//! Callin workflows: edges must name existing nodes, and a loop through a subagent node is
//! refused only while `preventSubagentLoops` is true.

use serde_json::json;

use crate::kit::Server;

#[tokio::test]
async fn callin_workflow_edges_must_name_existing_nodes() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.callin_agent(&u, "Flow").await;
    let path = format!("/agents/{id}");
    let ok = s
        .cl(&u, "PATCH", &path)
        .json(json!({"workflow": {"nodes": {
            "start": {"type": "start", "position": {"x": 0, "y": 0}, "edgeOrder": ["e1"]},
            "end": {"type": "end"}},
            "edges": {"e1": {"source": "start", "target": "end",
                "forwardCondition": {"type": "unconditional"}}}}}))
        .send()
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.body["data"]["workflow"]["preventSubagentLoops"], false);
    assert_eq!(
        ok.body["data"]["workflow"]["nodes"]["start"]["position"],
        json!({"x": 0, "y": 0})
    );

    let dangling = s
        .cl(&u, "PATCH", &path)
        .json(json!({"workflow": {"edges": {"e2": {"source": "end", "target": "ghost"}}}}))
        .send()
        .await;
    assert_eq!(dangling.status, 400, "{}", dangling.text);
    assert_eq!(dangling.body["success"], false);
    assert!(dangling.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("ghost"));
    // Removing a node that an edge still names leaves that edge dangling.
    let orphan = s
        .cl(&u, "PATCH", &path)
        .json(json!({"workflow": {"nodes": {"end": null}}}))
        .send()
        .await;
    assert_eq!(orphan.status, 400, "{}", orphan.text);
    // Removing both (null) is fine, and the other parts stay (deep merge).
    let removed = s
        .cl(&u, "PATCH", &path)
        .json(json!({"workflow": {"nodes": {"end": null}, "edges": {"e1": null}}}))
        .send()
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    let w = &removed.body["data"]["workflow"];
    assert_eq!(w["edges"], json!({}));
    assert_eq!(w["nodes"].as_object().unwrap().len(), 1);
    assert_eq!(w["nodes"]["start"]["edgeOrder"], json!(["e1"]));
}

#[tokio::test]
async fn callin_subagent_loops_are_refused_only_when_prevented() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.callin_agent(&u, "Loops").await;
    let path = format!("/agents/{id}");
    let looped = json!({"workflow": {
        "nodes": {
            "start": {"type": "start"},
            "billing": {"type": "override_agent", "label": "Billing", "additionalPrompt": "Handle billing."},
            "lookup": {"type": "tool", "tools": [{"toolId": "t1"}]}
        },
        "edges": {
            "e1": {"source": "start", "target": "billing"},
            "e2": {"source": "billing", "target": "lookup"},
            "e3": {"source": "lookup", "target": "billing", "forwardCondition": {"type": "result", "successful": true}}
        },
        "preventSubagentLoops": false
    }});
    let allowed = s.cl(&u, "PATCH", &path).json(looped.clone()).send().await;
    assert_eq!(allowed.status, 200, "{}", allowed.text);

    // Turning the rule on over the stored loop is refused, and nothing changes.
    let refused = s
        .cl(&u, "PATCH", &path)
        .json(json!({"workflow": {"preventSubagentLoops": true}}))
        .send()
        .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert!(refused.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("billing"));
    let mut prevented = looped.clone();
    prevented["workflow"]["preventSubagentLoops"] = json!(true);
    let refused = s.cl(&u, "PATCH", &path).json(prevented).send().await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    let got = s.cl(&u, "GET", &path).send().await;
    assert_eq!(got.body["data"]["workflow"]["preventSubagentLoops"], false);

    // Without the loop (the back edge removed) the rule can be on.
    let fixed = s
        .cl(&u, "PATCH", &path)
        .json(json!({"workflow": {"edges": {"e3": null}, "preventSubagentLoops": true}}))
        .send()
        .await;
    assert_eq!(fixed.status, 200, "{}", fixed.text);
    assert_eq!(fixed.body["data"]["workflow"]["preventSubagentLoops"], true);
    // A loop that avoids the subagent stays allowed.
    let tool_loop = s
        .cl(&u, "PATCH", &path)
        .json(json!({"workflow": {"edges": {"e4": {"source": "lookup", "target": "lookup"}}}}))
        .send()
        .await;
    assert_eq!(tool_loop.status, 200, "{}", tool_loop.text);
}
