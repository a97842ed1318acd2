//! Dialpad call-center and department operators: membership with roles and skill levels,
//! duty status, and what another company or a plain user may not do.

use serde_json::json;

use crate::dialpad_groups::{company, new_user};
use crate::dialpad_kit::{assert_error, dp};
use crate::kit::Server;

#[tokio::test]
async fn call_center_operators_skills_and_duty_status() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let cc = dp(
        &s,
        "POST",
        "/callcenters",
        &c.key,
        Some(json!({"name": "Support", "office_id": c.office})),
    )
    .await;
    let id = cc.body["id"].as_i64().unwrap();
    let ann = new_user(&s, &c, "ann@acme.example").await;
    let ops = format!("/callcenters/{id}/operators");

    // Add: role and skill level; the user comes back on duty.
    let r = dp(
        &s,
        "POST",
        &ops,
        &c.key,
        Some(json!({"user_id": ann, "role": "supervisor", "skill_level": 70})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], ann);
    assert_eq!(r.body["is_on_duty"], true);
    assert_eq!(r.body["state"], "active");
    let r = dp(
        &s,
        "POST",
        &ops,
        &c.key,
        Some(json!({"user_id": c.user_id})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = dp(&s, "GET", &ops, &c.user_key, None).await;
    let ids: Vec<i64> = list.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![ann, c.user_id]);

    // Bad additions: nothing changes.
    for (body, code) in [
        (json!({"user_id": ann}), 409),
        (json!({}), 400),
        (json!({"user_id": "x"}), 400),
        (json!({"user_id": ann, "role": "boss"}), 400),
        (json!({"user_id": ann, "skill_level": 0}), 400),
        (json!({"user_id": ann, "skill_level": "high"}), 400),
        (json!({"user_id": ann, "license_type": "gold"}), 400),
        (json!({"user_id": other.user_id}), 404),
    ] {
        let r = dp(&s, "POST", &ops, &c.key, Some(body)).await;
        let reason = match code {
            409 => "conflict",
            404 => "notFound",
            _ => "badRequest",
        };
        assert_error(&r, code, reason);
    }
    assert_error(
        &dp(&s, "POST", &ops, &c.user_key, Some(json!({"user_id": ann}))).await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(
            &s,
            "POST",
            &ops,
            &other.key,
            Some(json!({"user_id": other.user_id})),
        )
        .await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", &ops, &other.key, None).await,
        404,
        "notFound",
    );
    assert_eq!(dp(&s, "GET", &ops, &c.key, None).await.body, list.body);

    // Skill level.
    let skill = format!("/callcenters/{id}/operators/{ann}/skill");
    let r = dp(&s, "GET", &skill, &c.key, None).await;
    assert_eq!(
        r.body,
        json!({"call_center_id": id, "skill_level": 70, "user_id": ann})
    );
    let r = dp(&s, "PATCH", &skill, &c.key, Some(json!({"skill_level": 0}))).await;
    assert_eq!(r.body["skill_level"], 0, "{}", r.text);
    for body in [
        json!({}),
        json!({"skill_level": 101}),
        json!({"skill_level": "9"}),
    ] {
        assert_error(
            &dp(&s, "PATCH", &skill, &c.key, Some(body)).await,
            400,
            "badRequest",
        );
    }
    assert_error(
        &dp(
            &s,
            "PATCH",
            &skill,
            &c.user_key,
            Some(json!({"skill_level": 5})),
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(&s, "GET", &skill, &other.key, None).await,
        404,
        "notFound",
    );
    let stranger = new_user(&s, &c, "stranger@acme.example").await;
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/callcenters/{id}/operators/{stranger}/skill"),
            &c.key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    assert_eq!(
        dp(&s, "GET", &skill, &c.key, None).await.body["skill_level"],
        0
    );

    // Duty status: on duty and available at first; off duty with a reason.
    let duty = format!("/callcenters/operators/{ann}/dutystatus");
    let r = dp(&s, "GET", &duty, &c.key, None).await;
    assert_eq!(r.body["on_duty"], true, "{}", r.text);
    assert_eq!(r.body["on_duty_status"], "available");
    assert!(r.body["duty_status_started"].is_i64());
    let r = dp(
        &s,
        "PATCH",
        &duty,
        &c.key,
        Some(json!({"on_duty": false, "duty_status_reason": "Lunch"})),
    )
    .await;
    assert_eq!(r.body["on_duty"], false, "{}", r.text);
    assert_eq!(r.body["on_duty_status"], "unavailable");
    assert_eq!(r.body["duty_status_reason"], "Lunch");
    assert_eq!(dp(&s, "GET", &duty, &c.key, None).await.body, r.body);
    for body in [
        json!({}),
        json!({"on_duty": "no"}),
        json!({"on_duty": true, "duty_status_reason": 5}),
    ] {
        assert_error(
            &dp(&s, "PATCH", &duty, &c.key, Some(body)).await,
            400,
            "badRequest",
        );
    }
    // A plain user sets their own, not someone else's.
    let mine = format!("/callcenters/operators/{}/dutystatus", c.user_id);
    let r = dp(
        &s,
        "PATCH",
        &mine,
        &c.user_key,
        Some(json!({"on_duty": false})),
    )
    .await;
    assert_eq!(r.body["on_duty_status"], "unavailable", "{}", r.text);
    assert_error(
        &dp(
            &s,
            "PATCH",
            &duty,
            &c.user_key,
            Some(json!({"on_duty": true})),
        )
        .await,
        403,
        "forbidden",
    );
    // Not an operator, another company's user: 404.
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/callcenters/operators/{stranger}/dutystatus"),
            &c.key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", &duty, &other.key, None).await,
        404,
        "notFound",
    );
    assert_eq!(
        dp(&s, "GET", &duty, &c.key, None).await.body["on_duty"],
        false
    );

    // Remove: once; a second time is 404.
    assert_error(
        &dp(&s, "DELETE", &ops, &c.key, Some(json!({}))).await,
        400,
        "badRequest",
    );
    let r = dp(&s, "DELETE", &ops, &c.key, Some(json!({"user_id": ann}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], ann);
    assert_error(
        &dp(&s, "DELETE", &ops, &c.key, Some(json!({"user_id": ann}))).await,
        404,
        "notFound",
    );

    // A deleted user is removed from every group.
    assert_eq!(
        dp(&s, "DELETE", &format!("/users/{}", c.user_id), &c.key, None)
            .await
            .status,
        200
    );
    let list = dp(&s, "GET", &ops, &c.key, None).await;
    assert_eq!(list.body["users"], json!([]), "{}", list.text);
}

#[tokio::test]
async fn departments_and_their_operators() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let r = dp(&s, "POST", "/departments", &c.key, Some(json!({
        "name": "Sales", "office_id": c.office, "auto_call_recording": true, "hours_on": true,
        "sunday_hours": ["10:00", "12:00"], "hold_queue": {"allow_queuing": true, "max_hold_count": 20}
    }))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["auto_call_recording"], true);
    assert_eq!(
        r.body["hold_queue"],
        json!({"allow_queuing": true, "max_hold_count": 20, "max_hold_seconds": 900})
    );
    assert_eq!(r.body["sunday_hours"], json!(["10:00", "12:00"]));
    assert!(r.body.get("alerts").is_none());
    let made = r.body.clone();

    // A department's own limits and fields.
    for body in [
        json!({"hold_queue": {"max_hold_count": 51}}),
        json!({"hold_queue": {"unattended_queue": true}}),
        json!({"auto_call_recording": "yes"}),
        json!({"thursday_hours": ["17:00", "09:00"]}),
    ] {
        assert_error(
            &dp(
                &s,
                "PATCH",
                &format!("/departments/{id}"),
                &c.key,
                Some(body),
            )
            .await,
            400,
            "badRequest",
        );
    }
    assert_eq!(
        dp(&s, "GET", &format!("/departments/{id}"), &c.key, None)
            .await
            .body,
        made
    );
    let r = dp(
        &s,
        "PATCH",
        &format!("/departments/{id}"),
        &c.key,
        Some(json!({"auto_call_recording": false})),
    )
    .await;
    assert_eq!(r.body["auto_call_recording"], false, "{}", r.text);

    assert_error(
        &dp(&s, "GET", &format!("/departments/{id}"), &other.key, None).await,
        404,
        "notFound",
    );
    let list = dp(
        &s,
        "GET",
        &format!("/offices/{}/departments", c.office),
        &c.key,
        None,
    )
    .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        dp(&s, "GET", "/departments?name_search=sal", &c.key, None)
            .await
            .body["items"][0]["id"],
        id
    );
    assert_eq!(
        dp(&s, "GET", "/departments?name_search=zzz", &c.key, None)
            .await
            .body["items"],
        json!([])
    );
    assert_eq!(
        dp(&s, "GET", "/callcenters", &c.key, None).await.body["items"],
        json!([])
    );

    // Operators: users; rooms are not in the directory yet.
    let bo = new_user(&s, &c, "bo@acme.example").await;
    let ops = format!("/departments/{id}/operators");
    let r = dp(
        &s,
        "POST",
        &ops,
        &c.key,
        Some(json!({"operator_id": bo, "operator_type": "user", "role": "admin"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], bo);
    for (body, code) in [
        (json!({"operator_id": bo, "operator_type": "user"}), 409),
        (json!({"operator_id": bo}), 400),
        (json!({"operator_type": "user"}), 400),
        (json!({"operator_id": bo, "operator_type": "robot"}), 400),
        (
            json!({"operator_id": bo, "operator_type": "user", "role": "supervisor"}),
            400,
        ),
        (json!({"operator_id": bo, "operator_type": "room"}), 404),
        (
            json!({"operator_id": other.user_id, "operator_type": "user"}),
            404,
        ),
    ] {
        let reason = match code {
            409 => "conflict",
            404 => "notFound",
            _ => "badRequest",
        };
        assert_error(
            &dp(&s, "POST", &ops, &c.key, Some(body)).await,
            code,
            reason,
        );
    }
    let list = dp(&s, "GET", &ops, &c.key, None).await;
    assert_eq!(list.body["users"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["users"][0]["id"], bo);
    // A department operator has no call center duty status.
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/callcenters/operators/{bo}/dutystatus"),
            &c.key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    assert_error(
        &dp(
            &s,
            "DELETE",
            &ops,
            &other.key,
            Some(json!({"operator_id": bo, "operator_type": "user"})),
        )
        .await,
        404,
        "notFound",
    );
    let r = dp(
        &s,
        "DELETE",
        &ops,
        &c.key,
        Some(json!({"operator_id": bo, "operator_type": "user"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        dp(&s, "GET", &ops, &c.key, None).await.body["users"],
        json!([])
    );

    // Delete.
    assert_error(
        &dp(
            &s,
            "DELETE",
            &format!("/departments/{id}"),
            &c.user_key,
            None,
        )
        .await,
        403,
        "forbidden",
    );
    assert_eq!(
        dp(&s, "DELETE", &format!("/departments/{id}"), &c.key, None)
            .await
            .status,
        200
    );
    assert_error(
        &dp(&s, "GET", &format!("/departments/{id}"), &c.key, None).await,
        404,
        "notFound",
    );
}
