//! Call logs: every filter the seed lists, the paged shape, the time zone.

use jiff::Timestamp;
use serde_json::json;
use switchboard_domain::ids::{AgentId, CallId, Id};
use switchboard_domain::telephony::call::Call;

use crate::kit::Server;

fn call(
    agent: AgentId,
    company: switchboard_domain::ids::CompanyId,
    n: i64,
    started: &str,
) -> Call {
    Call {
        id: CallId::generate(),
        company_id: company,
        ai_agent_id: Some(agent),
        direction: if n % 2 == 0 { "outbound" } else { "inbound" }.into(),
        status: if n % 3 == 0 { "failed" } else { "completed" }.into(),
        from_number: format!("+1555123000{n}"),
        to_number: "+15557654321".into(),
        campaign_id: Some(format!("campaign_{}", n % 2)),
        conversation_id: Some(format!("conversation_{n}")),
        contact_id: Some(format!("contact_{n}")),
        is_web_call: n == 4,
        duration_secs: Some(n * 10),
        started_at: started.parse::<Timestamp>().unwrap(),
        agent_version: None,
    }
}

#[tokio::test]
async fn call_logs_filter_page_and_render_the_seed_shape() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "Caller").await;
    let agent = id.parse::<AgentId>().unwrap();
    let other = s.agent(&u, "Other").await.parse::<AgentId>().unwrap();
    let mut tx = s.core.store().begin().await.unwrap();
    for n in 1..=6 {
        tx.insert_call(&call(
            agent,
            u.user.company_id,
            n,
            &format!("2026-05-2{n}T03:00:00Z"),
        ))
        .await
        .unwrap();
    }
    tx.insert_call(&call(other, u.user.company_id, 1, "2026-05-21T03:00:00Z"))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let path = format!("/agents/{id}/call-logs");
    let all = s.dg(&u, "GET", &path).send().await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(
        (
            all.body["totalRecords"].clone(),
            all.body["totalPages"].clone(),
            all.body["currentPage"].clone()
        ),
        (json!(6), json!(1), json!(1))
    );
    let first = &all.body["data"][0];
    assert_eq!(first["botId"], id.as_str());
    assert_eq!(first["conversationId"], "conversation_6");
    assert_eq!(first["contactId"], "contact_6");
    assert_eq!(first["campaignId"], "campaign_0");
    assert_eq!(first["created_at"], "2026-05-26T03:00:00.000Z");
    assert_eq!(first["data"]["from"], "+15551230006");
    assert_eq!(first["data"]["to"], "+15557654321");
    assert_eq!(first["data"]["direction"], "outbound");
    assert_eq!(first["data"]["callStatus"], "failed");
    assert_eq!(first["data"]["callDuration"], 60);

    let count = |q: &str| {
        let q = q.to_owned();
        let req = s.dg(&u, "GET", &format!("{path}?{q}"));
        async move {
            let r = req.send().await;
            assert_eq!(r.status, 200, "{q}: {}", r.text);
            r.body["totalRecords"].as_u64().unwrap()
        }
    };
    assert_eq!(count("fromnumber=%2B15551230002").await, 1);
    assert_eq!(count("tonumber=%2B15557654321").await, 6);
    assert_eq!(count("status=completed").await, 4);
    assert_eq!(count("direction=inbound").await, 3);
    assert_eq!(count("campaign=campaign_1").await, 3);
    assert_eq!(count("conversationid=conversation_3").await, 1);
    assert_eq!(count("hidewebcalls=true").await, 5);
    assert_eq!(count("hidewebcalls=false").await, 6);
    let from = "2026-05-23T00:00:00Z"
        .parse::<Timestamp>()
        .unwrap()
        .as_second();
    let to = "2026-05-24T12:00:00Z"
        .parse::<Timestamp>()
        .unwrap()
        .as_millisecond();
    assert_eq!(count(&format!("from={from}&to={to}")).await, 2);
    // Dates without offset are read in tz (default Australia/Melbourne, UTC+10 in May): the
    // Melbourne day 2026-05-22 runs from 2026-05-21T14:00Z to 2026-05-22T14:00Z.
    assert_eq!(count("from=2026-05-22&to=2026-05-22").await, 1);
    assert_eq!(
        count("from=2026-05-22&to=2026-05-22&tz=America/New_York").await,
        1
    );
    assert_eq!(
        count("from=2026-05-21T13:00:00&to=2026-05-21T13:30:00&tz=Australia/Melbourne").await,
        1
    );

    let page = s
        .dg(&u, "GET", &format!("{path}?limit=4&page=2"))
        .send()
        .await;
    assert_eq!(
        (
            page.body["totalPages"].clone(),
            page.body["currentPage"].clone()
        ),
        (json!(2), json!(2))
    );
    assert_eq!(page.body["data"].as_array().unwrap().len(), 2);

    for bad in [
        "page=0",
        "limit=x",
        "tz=Mars/Base",
        "from=yesterday",
        "hidewebcalls=maybe",
    ] {
        let r = s.dg(&u, "GET", &format!("{path}?{bad}")).send().await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert!(r.body["error"].is_string());
    }
}
