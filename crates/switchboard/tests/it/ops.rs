//! Health, readiness, metrics, OpenAPI, docs, and the shape of unrouted requests.

use serde_json::json;

use crate::kit::Server;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let s = Server::start().await;
    let u = s.user().await;
    assert_eq!(s.req("GET", "/healthz").send().await.status, 200);
    let ready = s.req("GET", "/readyz").send().await;
    assert_eq!(
        (ready.status, ready.body.clone()),
        (200, json!({"status": "ready"}))
    );
    s.dg(&u, "GET", "/agents").send().await;
    let m = s.req("GET", "/metrics").send().await;
    assert_eq!(m.status, 200);
    assert!(
        m.text.contains("switchboard_http_requests_total"),
        "{}",
        m.text
    );
    assert!(
        m.text.contains("operation=\"/partner/v1/agents\""),
        "{}",
        m.text
    );
    assert!(m.text.contains("switchboard_http_request_duration_seconds"));
}

#[tokio::test]
async fn openapi_document_and_docs_page() {
    let s = Server::start().await;
    let spec = s.req("GET", "/partner/v1/openapi.json").send().await;
    assert_eq!(spec.status, 200);
    assert!(spec.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = spec.body["paths"].as_object().unwrap();
    for p in [
        "/agents",
        "/agents/{agentId}",
        "/agents/{agentId}/clone",
        "/agents/{agentId}/settings",
        "/agents/{agentId}/credentials",
        "/agents/{agentId}/versions",
        "/agents/{agentId}/versions/{versionId}",
        "/agents/{agentId}/versions/{versionId}/restore",
        "/agents/{agentId}/versions/{versionId}/diff",
        "/agents/{agentId}/call-logs",
        "/agents/{agentId}/shares",
        "/agents/{agentId}/shares/{userId}",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the document");
    }
    assert!(paths["/agents/{agentId}"].get("patch").is_some());
    let docs = s.req("GET", "/docs").send().await;
    assert_eq!(docs.status, 200);
    assert!(docs.text.contains("/partner/v1/openapi.json"));
    assert!(
        !docs.text.contains("http://") && !docs.text.contains("https://"),
        "the page is offline"
    );

    // The interactive reference beside it: Swagger UI from the binary, over every document,
    // fetching nothing from elsewhere (no validator badge).
    let link = "/docs/try/?urls.primaryName=Dialgood%20Partner%20Agent%20API";
    assert!(docs.text.contains(link), "{}", docs.text);
    let page = s.req("GET", "/docs/try/").send().await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui-bundle.js"));
    let init = s
        .req("GET", "/docs/try/swagger-initializer.js")
        .send()
        .await;
    assert_eq!(init.status, 200);
    for spec in [
        "/partner/v1/openapi.json",
        "/api/public/v1/openapi.json",
        "/workspaces/openapi.json",
        "/api/v2/partners/openapi.json",
        "/api/v2/openapi.json",
    ] {
        assert!(init.text.contains(spec), "{spec} in {}", init.text);
        assert_eq!(s.req("GET", spec).send().await.status, 200, "{spec}");
    }
    assert!(
        init.text.contains("\"validatorUrl\": \"none\""),
        "{}",
        init.text
    );
    let bundle = s.req("GET", "/docs/try/swagger-ui-bundle.js").send().await;
    assert_eq!(bundle.status, 200);
    assert_eq!(bundle.header("content-type"), Some("text/javascript"));
    assert_eq!(
        s.req("GET", "/docs/try/nothing.js").send().await.status,
        404
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let s = Server::start().await;
    let u = s.user().await;
    let r = s.req("GET", "/nowhere").send().await;
    assert_eq!(r.status, 404);
    assert!(r.body["error"].is_string());
    let r = s.dg(&u, "GET", "/nothing-here").send().await;
    assert_eq!(r.status, 404);
    assert!(r.body["error"].is_string());
    let r = s.dg(&u, "PUT", "/agents").send().await;
    assert_eq!(r.status, 405);
    assert!(r.body["error"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn undecodable_path_segments_get_each_dialects_error_shape() {
    let s = Server::start().await;
    let u = s.user().await;
    let (partner, key) = s.core.tenancy().create_partner("P").await.unwrap();
    let dialgood = s.dg(&u, "GET", "/agents/%FF").send().await;
    assert_eq!(dialgood.status, 400, "{}", dialgood.text);
    assert!(dialgood.body["error"].is_string());
    let callin = s.cl(&u, "GET", "/agents/%FF").send().await;
    assert_eq!(callin.status, 400, "{}", callin.text);
    assert_eq!(callin.body["success"], false);
    let bird = s.bird(&u, "GET", "/agents/%FF").send().await;
    assert_eq!(bird.status, 400, "{}", bird.text);
    assert!(bird.body["code"].is_string(), "{}", bird.text);
    let d360 = s
        .req(
            "GET",
            &format!("/api/v2/partners/{}PA/clients/%FF", partner.id),
        )
        .header("x-api-key", &key.secret)
        .send()
        .await;
    assert_eq!(d360.status, 400, "{}", d360.text);
    assert_eq!(d360.body["meta"]["success"], false, "{}", d360.text);
}
