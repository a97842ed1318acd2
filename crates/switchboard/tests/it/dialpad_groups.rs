//! Dialpad call centers, departments and their operators: settings stored, validated and
//! returned; operators with roles, skills and duty status; bad input changes nothing; another
//! company's groups and users are missing.

use serde_json::{json, Value};
use switchboard_domain::ids::CompanyId;
use switchboard_domain::tenancy::NewUser;

use crate::dialpad_kit::{assert_error, dp};
use crate::kit::Server;

/// A company with a company key, a plain user (and their key) and its main office.
pub(crate) struct Company {
    pub(crate) key: String,
    pub(crate) user_key: String,
    pub(crate) user_id: i64,
    pub(crate) office: i64,
}

pub(crate) async fn company(s: &Server, name: &str) -> Company {
    let c = s.core.tenancy().create_company(name, None).await.unwrap();
    let key = s
        .core
        .tenancy()
        .create_company_key(c.id)
        .await
        .unwrap()
        .secret;
    let u = s
        .core
        .tenancy()
        .create_user(NewUser {
            company_id: c.id,
            email: format!("plain@{}.example", name.to_lowercase()),
            first_name: Some("Plain".into()),
            last_name: None,
            is_admin: false,
            partner_api_enabled: true,
        })
        .await
        .unwrap();
    let user_key = s.core.tenancy().create_user_key(u.id).await.unwrap().secret;
    let office = main_office(s, c.id).await;
    Company {
        key,
        user_key,
        user_id: u.id.0,
        office,
    }
}

async fn main_office(s: &Server, id: CompanyId) -> i64 {
    s.core
        .telephony()
        .company_profile(id)
        .await
        .unwrap()
        .main_office
        .id
        .0
}

pub(crate) async fn new_user(s: &Server, c: &Company, email: &str) -> i64 {
    let r = dp(
        s,
        "POST",
        "/users",
        &c.key,
        Some(json!({"email": email, "office_id": c.office})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

pub(crate) fn full_call_center(office: i64) -> Value {
    json!({
        "name": "Support",
        "office_id": office,
        "group_description": "first line",
        "hours_on": true,
        "monday_hours": ["09:00", "12:00", "14:00", "17:00"],
        "saturday_hours": ["10:00", "14:00"],
        "sunday_hours": [],
        "ring_seconds": 20,
        "routing_options": {
            "open": {"action": "menu", "try_dial_operators": true, "operator_routing": "longestidle",
                     "dtmf": [{"input": "1", "options": {"action": "voicemail"}}]},
            "closed": {"action": "voicemail", "try_dial_operators": false}
        },
        "hold_queue": {"max_hold_count": 10, "max_hold_seconds": 300, "queue_escape_dtmf": "#",
                       "announce_position": false, "unattended_queue": true},
        "advanced_settings": {"max_wrap_up_seconds": 15,
                              "auto_call_recording": {"call_recording_inbound": true}},
        "alerts": {"cc_service_level": 90, "cc_service_level_seconds": 30},
        "voice_intelligence": {"auto_start": false}
    })
}

#[tokio::test]
async fn call_centers_are_created_read_updated_listed_and_deleted() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;

    // Defaults: only the required fields.
    let r = dp(
        &s,
        "POST",
        "/callcenters",
        &c.key,
        Some(json!({"name": "Plain", "office_id": c.office})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let plain = r.body.clone();
    assert!(plain["id"].is_i64());
    assert_eq!(plain["office_id"], c.office);
    assert_eq!(plain["hours_on"], false);
    assert_eq!(plain["availability_status"], "open");
    assert_eq!(plain["monday_hours"], json!(["08:00", "18:00"]));
    assert_eq!(plain["sunday_hours"], json!([]));
    assert_eq!(plain["ring_seconds"], 30);
    assert_eq!(plain["hold_queue"]["max_hold_count"], 50);
    assert_eq!(plain["hold_queue"]["max_hold_seconds"], 900);
    assert_eq!(
        plain["routing_options"]["open"]["operator_routing"],
        "simultaneous"
    );
    assert_eq!(plain["state"], "active");
    assert_eq!(plain["timezone"], "America/New_York");

    // Every setting the document has is stored and returned.
    let r = dp(
        &s,
        "POST",
        "/callcenters",
        &c.key,
        Some(full_call_center(c.office)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cc = r.body.clone();
    let id = cc["id"].as_i64().unwrap();
    assert_eq!(
        cc["monday_hours"],
        json!(["09:00", "12:00", "14:00", "17:00"])
    );
    assert_eq!(cc["saturday_hours"], json!(["10:00", "14:00"]));
    assert_eq!(cc["tuesday_hours"], json!(["08:00", "18:00"]));
    assert_eq!(cc["group_description"], "first line");
    assert_eq!(cc["ring_seconds"], 20);
    assert_eq!(cc["first_action"], "menu");
    assert_eq!(
        cc["routing_options"]["open"]["operator_routing"],
        "longestidle"
    );
    assert_eq!(
        cc["routing_options"]["open"]["dtmf"][0]["options"]["action"],
        "voicemail"
    );
    assert_eq!(cc["routing_options"]["closed"]["try_dial_operators"], false);
    assert_eq!(cc["hold_queue"]["max_hold_count"], 10);
    assert_eq!(cc["hold_queue"]["queue_escape_dtmf"], "#");
    assert_eq!(cc["hold_queue"]["unattended_queue"], true);
    assert_eq!(cc["advanced_settings"]["max_wrap_up_seconds"], 15);
    assert_eq!(
        cc["advanced_settings"]["auto_call_recording"]["call_recording_inbound"],
        true
    );
    assert_eq!(cc["alerts"]["cc_service_level"], 90);
    assert_eq!(cc["voice_intelligence"]["auto_start"], false);
    assert_eq!(cc["voice_intelligence"]["allow_pause"], true);

    // The typed settings are what the domain holds.
    let g = s
        .core
        .telephony()
        .group(
            s.core
                .tenancy()
                .authenticate(&c.key)
                .await
                .map(|p| match p {
                    switchboard_domain::tenancy::account::Principal::Company(c) => c.id,
                    _ => unreachable!(),
                })
                .unwrap(),
            switchboard_domain::telephony::group::GroupKind::CallCenter,
            switchboard_domain::ids::GroupId(id),
        )
        .await
        .unwrap();
    assert_eq!(g.settings.max_wrap_up_seconds, 15);
    assert_eq!(g.settings.hold_queue.max_hold_seconds, 300);
    assert_eq!(
        g.settings.routing.open.strategy,
        switchboard_domain::telephony::group::RoutingStrategy::LongestIdle
    );

    // Get: the same; a plain user reads too; another company and a department id are 404.
    let got = dp(&s, "GET", &format!("/callcenters/{id}"), &c.user_key, None).await;
    assert_eq!(got.body, cc);
    assert_error(
        &dp(&s, "GET", &format!("/callcenters/{id}"), &other.key, None).await,
        404,
        "notFound",
    );
    let dept = dp(
        &s,
        "POST",
        "/departments",
        &c.key,
        Some(json!({"name": "Sales", "office_id": c.office})),
    )
    .await;
    let dept_id = dept.body["id"].as_i64().unwrap();
    assert_error(
        &dp(&s, "GET", &format!("/callcenters/{dept_id}"), &c.key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/callcenters/abc", &c.key, None).await,
        400,
        "badRequest",
    );

    // A plain user may not create, change or delete.
    assert_error(
        &dp(
            &s,
            "POST",
            "/callcenters",
            &c.user_key,
            Some(json!({"name": "X", "office_id": c.office})),
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(
            &s,
            "PATCH",
            &format!("/callcenters/{id}"),
            &c.user_key,
            Some(json!({"name": "X"})),
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(
            &s,
            "DELETE",
            &format!("/callcenters/{id}"),
            &c.user_key,
            None,
        )
        .await,
        403,
        "forbidden",
    );

    // Update: the fields given change, the rest stay.
    let r = dp(&s, "PATCH", &format!("/callcenters/{id}"), &c.key, Some(json!({
        "name": "Support 2", "friday_hours": ["07:00", "24:00"], "hold_queue": {"max_hold_count": 1000}
    }))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Support 2");
    assert_eq!(r.body["friday_hours"], json!(["07:00", "24:00"]));
    assert_eq!(r.body["hold_queue"]["max_hold_count"], 1000);
    assert_eq!(r.body["hold_queue"]["max_hold_seconds"], 300);
    assert_eq!(r.body["monday_hours"], cc["monday_hours"]);
    assert_eq!(r.body["alerts"], cc["alerts"]);
    assert_error(
        &dp(
            &s,
            "PATCH",
            &format!("/callcenters/{id}"),
            &other.key,
            Some(json!({"name": "X"})),
        )
        .await,
        404,
        "notFound",
    );

    // Lists: the company's, by office, by name; an office's; another company sees none.
    let all = dp(&s, "GET", "/callcenters", &c.key, None).await;
    assert_eq!(
        all.body["items"].as_array().unwrap().len(),
        2,
        "{}",
        all.text
    );
    assert!(all.body.get("cursor").is_none());
    let named = dp(&s, "GET", "/callcenters?name_search=PORT", &c.key, None).await;
    assert_eq!(named.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(named.body["items"][0]["id"], id);
    let by_office = dp(
        &s,
        "GET",
        &format!("/callcenters?office_id={}", c.office),
        &c.key,
        None,
    )
    .await;
    assert_eq!(by_office.body["items"].as_array().unwrap().len(), 2);
    let office_list = dp(
        &s,
        "GET",
        &format!("/offices/{}/callcenters", c.office),
        &c.key,
        None,
    )
    .await;
    assert_eq!(office_list.body["items"], by_office.body["items"]);
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/offices/{}/callcenters", c.office),
            &other.key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/callcenters?office_id={}", c.office),
            &other.key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/callcenters?office_id=x", &c.key, None).await,
        400,
        "badRequest",
    );
    let theirs = dp(&s, "GET", "/callcenters", &other.key, None).await;
    assert_eq!(theirs.body["items"], json!([]));

    // Delete: answered once, then gone.
    assert_error(
        &dp(
            &s,
            "DELETE",
            &format!("/callcenters/{id}"),
            &other.key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    let r = dp(&s, "DELETE", &format!("/callcenters/{id}"), &c.key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], id);
    assert_error(
        &dp(&s, "GET", &format!("/callcenters/{id}"), &c.key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "DELETE", &format!("/callcenters/{id}"), &c.key, None).await,
        404,
        "notFound",
    );
    let _ = plain;
}

#[tokio::test]
async fn bad_call_center_input_is_refused_and_changes_nothing() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let r = dp(
        &s,
        "POST",
        "/callcenters",
        &c.key,
        Some(full_call_center(c.office)),
    )
    .await;
    let id = r.body["id"].as_i64().unwrap();
    let before = dp(&s, "GET", &format!("/callcenters/{id}"), &c.key, None)
        .await
        .body;
    let foreign_user = other.user_id;

    let bad_bodies = [
        json!({"office_id": c.office}),
        json!({"name": "X"}),
        json!({"name": 5, "office_id": c.office}),
        json!({"name": "X", "office_id": "nope"}),
        json!({"name": "X", "office_id": c.office, "hours_on": "yes"}),
        json!({"name": "X", "office_id": c.office, "monday_hours": ["18:00", "08:00"]}),
        json!({"name": "X", "office_id": c.office, "monday_hours": ["08:00"]}),
        json!({"name": "X", "office_id": c.office, "monday_hours": ["08:00", "12:00", "11:00", "13:00"]}),
        json!({"name": "X", "office_id": c.office, "monday_hours": ["8am", "5pm"]}),
        json!({"name": "X", "office_id": c.office, "monday_hours": "08:00"}),
        json!({"name": "X", "office_id": c.office, "ring_seconds": 5}),
        json!({"name": "X", "office_id": c.office, "ring_seconds": "30"}),
        json!({"name": "X", "office_id": c.office, "routing_options": {"open": {"action": "voicemail", "try_dial_operators": true}}}),
        json!({"name": "X", "office_id": c.office, "routing_options": {"open": {"action": "fly", "try_dial_operators": true}, "closed": {"action": "voicemail", "try_dial_operators": false}}}),
        json!({"name": "X", "office_id": c.office, "routing_options": {"open": {"action": "voicemail", "try_dial_operators": true, "operator_routing": "fastest"}, "closed": {"action": "voicemail", "try_dial_operators": false}}}),
        json!({"name": "X", "office_id": c.office, "routing_options": {"open": {"action": "voicemail"}, "closed": {"action": "voicemail", "try_dial_operators": false}}}),
        json!({"name": "X", "office_id": c.office, "routing_options": {"open": {"action": "person", "try_dial_operators": true, "action_target_id": 5, "action_target_type": "alien"}, "closed": {"action": "voicemail", "try_dial_operators": false}}}),
        json!({"name": "X", "office_id": c.office, "hold_queue": {"max_hold_count": 0}}),
        json!({"name": "X", "office_id": c.office, "hold_queue": {"max_hold_seconds": 18001}}),
        json!({"name": "X", "office_id": c.office, "hold_queue": {"queue_escape_dtmf": "a"}}),
        json!({"name": "X", "office_id": c.office, "hold_queue": {"allow_queuing": true}}),
        json!({"name": "X", "office_id": c.office, "hold_queue": {"max_hold_count": "5"}}),
        json!({"name": "X", "office_id": c.office, "alerts": {"cc_service_level": 101}}),
        json!({"name": "X", "office_id": c.office, "advanced_settings": {"max_wrap_up_seconds": -1}}),
        json!({"name": "", "office_id": c.office}),
        json!({"name": "X".repeat(101), "office_id": c.office}),
    ];
    for body in &bad_bodies {
        let r = dp(&s, "POST", "/callcenters", &c.key, Some(body.clone())).await;
        assert_error(&r, 400, "badRequest");
        // The same fields in an update (without the create-only ones) are refused too.
        let mut patch = body.clone();
        patch.as_object_mut().unwrap().remove("office_id");
        if patch.get("name").is_some_and(|n| n == "X") {
            patch.as_object_mut().unwrap().remove("name");
        }
        if !patch.as_object().unwrap().is_empty() {
            let r = dp(
                &s,
                "PATCH",
                &format!("/callcenters/{id}"),
                &c.key,
                Some(patch.clone()),
            )
            .await;
            assert_error(&r, 400, "badRequest");
        }
    }
    let malformed = s
        .req("POST", "/api/v2/callcenters")
        .header("authorization", &format!("Bearer {}", c.key))
        .raw("{\"name\": ")
        .send()
        .await;
    assert_error(&malformed, 400, "badRequest");

    // Foreign ids: another company's office, a routing target of another company.
    let r = dp(
        &s,
        "POST",
        "/callcenters",
        &c.key,
        Some(json!({"name": "X", "office_id": other.office})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let targeted = json!({"routing_options": {
        "open": {"action": "person", "try_dial_operators": false, "action_target_id": foreign_user, "action_target_type": "user"},
        "closed": {"action": "voicemail", "try_dial_operators": false}}});
    let r = dp(
        &s,
        "PATCH",
        &format!("/callcenters/{id}"),
        &c.key,
        Some(targeted),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "PATCH",
        &format!("/callcenters/{id}"),
        &c.key,
        Some(json!({"office_id": c.office})),
    )
    .await;
    assert_error(&r, 400, "badRequest");

    // Nothing changed: the call center is as it was, and no other was made.
    let after = dp(&s, "GET", &format!("/callcenters/{id}"), &c.key, None)
        .await
        .body;
    assert_eq!(after, before);
    let all = dp(&s, "GET", "/callcenters", &c.key, None).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 1);

    // A routing target in the company is fine.
    let mine = new_user(&s, &c, "target@acme.example").await;
    let r = dp(&s, "PATCH", &format!("/callcenters/{id}"), &c.key, Some(json!({"routing_options": {
        "open": {"action": "person", "try_dial_operators": false, "action_target_id": mine, "action_target_type": "user"},
        "closed": {"action": "department", "try_dial_operators": false}}}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["routing_options"]["open"]["action_target_id"], mine);
}

#[tokio::test]
async fn group_lists_page_with_signed_cursors() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let company_id = s
        .core
        .tenancy()
        .authenticate(&c.key)
        .await
        .map(|p| match p {
            switchboard_domain::tenancy::account::Principal::Company(c) => c.id,
            _ => unreachable!(),
        })
        .unwrap();
    use switchboard_domain::telephony::group::{GroupKind, GroupSettings, NewGroup};
    for i in 0..103 {
        s.core
            .telephony()
            .create_group(
                &switchboard_domain::telephony::changelog::Actor::company(company_id),
                NewGroup {
                    company_id,
                    office_id: switchboard_domain::ids::OfficeId(c.office),
                    kind: GroupKind::Department,
                    name: format!("Dept {i}"),
                    description: None,
                    settings: GroupSettings::default_for(GroupKind::Department),
                    document: Default::default(),
                },
            )
            .await
            .unwrap();
    }
    let first = dp(&s, "GET", "/departments", &c.key, None).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 100);
    let cursor = first.body["cursor"].as_str().unwrap().to_owned();
    let second = dp(
        &s,
        "GET",
        &format!("/departments?cursor={cursor}"),
        &c.key,
        None,
    )
    .await;
    assert_eq!(
        second.body["items"].as_array().unwrap().len(),
        3,
        "{}",
        second.text
    );
    assert!(second.body.get("cursor").is_none());
    let mut ids: Vec<i64> = first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second.body["items"].as_array().unwrap())
        .map(|g| g["id"].as_i64().unwrap())
        .collect();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n);
    // A cursor of another list, another filter or another company, or altered, is 400.
    for path in [
        format!("/callcenters?cursor={cursor}"),
        format!("/departments?name_search=Dept&cursor={cursor}"),
        format!("/departments?cursor={cursor}x"),
    ] {
        assert_error(&dp(&s, "GET", &path, &c.key, None).await, 400, "badRequest");
    }
    let other = company(&s, "Other").await;
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/departments?cursor={cursor}"),
            &other.key,
            None,
        )
        .await,
        400,
        "badRequest",
    );
}
