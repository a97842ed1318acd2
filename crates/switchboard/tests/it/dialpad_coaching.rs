//! Dialpad coaching teams: made on the command line (the vendor's API has no create), listed
//! (the company's and an office's) and read; members added as coaches or trainees.

use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, OfficeId};
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::telephony::coaching::NewCoachingTeam;

use crate::accounts_cli::{cli, text};
use crate::dialpad_kit::{assert_error, company, dp};
use crate::dialpad_rooms::{actions, all_pages, change_log, main_office, user_of};
use crate::dialpad_users::second_office;
use crate::kit::Server;

async fn team(s: &Server, company: CompanyId, office: i64, name: &str) -> i64 {
    s.core
        .telephony()
        .create_coaching_team(
            &Actor::company(company),
            NewCoachingTeam {
                office_id: OfficeId(office),
                name: name.into(),
                description: None,
                allow_trainee_eavesdrop: true,
            },
        )
        .await
        .unwrap()
        .id
        .0
}

#[tokio::test]
async fn coaching_teams_are_made_on_the_command_line_and_read_over_the_api() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let main = main_office(&s, c.id).await;
    let branch = second_office(&s, c.id).await;

    let made = cli(
        &s,
        &[
            "coaching-team",
            "create",
            "--company",
            &c.id.to_string(),
            "--office",
            &main.to_string(),
            "--name",
            "Closers",
            "--description",
            "Sales coaching",
        ],
    );
    let id: i64 = text(&made, "coaching_team_id").parse().unwrap();
    assert_eq!(made["office_id"], main.to_string());
    assert_eq!(made["name"], "Closers");
    // The office must be the company's; names are checked.
    let foreign_office = main_office(&s, other.id).await;
    for (office, name) in [(foreign_office, "X"), (main, "")] {
        let out = s
            .command()
            .args(["coaching-team", "create", "--company", &c.id.to_string()])
            .args(["--office", &office.to_string(), "--name", name])
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(out.stdout.is_empty());
    }

    let path = format!("/coachingteams/{id}");
    let r = dp(&s, "GET", &path, &c.user_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"allow_trainee_eavesdrop": true, "company_id": c.id.0, "country": "us",
               "id": id, "name": "Closers", "office_id": main, "phone_numbers": [],
               "ring_seconds": 30, "state": "active", "team_description": "Sales coaching"})
    );
    assert_error(
        &dp(&s, "GET", &path, &other.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/coachingteams/9", &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/coachingteams/x", &c.company_key, None).await,
        400,
        "badRequest",
    );

    // Lists: the company's a page at a time, and one office's.
    let mut in_branch = Vec::new();
    for i in 0..4 {
        in_branch.push(team(&s, c.id, branch, &format!("Team {i}")).await);
    }
    team(&s, other.id, foreign_office, "Theirs").await;
    let (items, pages) = all_pages(&s, "/coachingteams", &c.user_key, 2).await;
    assert_eq!((items.len(), pages), (5, 3));
    let (items, _) = all_pages(&s, &format!("/offices/{branch}/teams"), &c.company_key, 100).await;
    let mut ids: Vec<i64> = items.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    in_branch.sort();
    ids.sort();
    assert_eq!(ids, in_branch);
    let r = dp(
        &s,
        "GET",
        &format!("/offices/{foreign_office}/teams"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert_error(
        &dp(&s, "GET", "/offices/x/teams", &c.company_key, None).await,
        400,
        "badRequest",
    );

    // Made through the domain: one change-log event each, by the company.
    let log = change_log(&s, c.id).await;
    assert_eq!(log.len(), 5);
    assert!(log.iter().all(|e| e["action"] == "coaching_team_created"));
    assert_eq!(log[0]["target"], json!({"type": "CoachingTeam", "id": id}));
    assert_eq!(
        log[0]["changed_by"],
        json!({"type": "Company", "id": c.id.0})
    );
}

fn member_ids(items: &[Value]) -> Vec<(i64, String)> {
    items
        .iter()
        .map(|m| {
            (
                m["id"].as_i64().unwrap(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn coaches_and_trainees_join_a_team_once() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let main = main_office(&s, c.id).await;
    let id = team(&s, c.id, main, "Closers").await;
    let members = format!("/coachingteams/{id}/members");
    let coach = user_of(&s, &c.admin_key).await;
    let trainee = user_of(&s, &c.user_key).await;
    let foreign = user_of(&s, &other.user_key).await;
    let before = actions(&s, c.id).await;

    let r = dp(&s, "GET", &members, &c.user_key, None).await;
    assert_eq!(r.body, json!({"items": []}), "{}", r.text);

    let add = |user: Value, role: &str| Some(json!({"member_id": user, "role": role}));
    let r = dp(
        &s,
        "POST",
        &members,
        &c.company_key,
        add(json!(coach), "coach"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], coach);
    assert_eq!(r.body["role"], "coach");
    assert_eq!(r.body["emails"], json!(["person0@acme.example"]));
    assert_eq!(r.body["is_admin"], true);
    assert!(r.body.get("display_name").is_none());
    // The document writes member ids as strings.
    let r = dp(
        &s,
        "POST",
        &members,
        &c.admin_key,
        add(json!(trainee.to_string()), "trainee"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["role"], "trainee");

    // Bad input, another company's user or team, a duplicate, a plain user: nothing changes.
    for (body, code, reason) in [
        (json!({"role": "coach"}), 400, "badRequest"),
        (json!({"member_id": coach}), 400, "badRequest"),
        (
            json!({"member_id": coach, "role": "boss"}),
            400,
            "badRequest",
        ),
        (
            json!({"member_id": "me", "role": "coach"}),
            400,
            "badRequest",
        ),
        (
            json!({"member_id": coach, "role": "coach", "x": 1}),
            400,
            "badRequest",
        ),
        (
            json!({"member_id": foreign, "role": "coach"}),
            404,
            "notFound",
        ),
        (json!({"member_id": 77, "role": "coach"}), 404, "notFound"),
        (
            json!({"member_id": coach, "role": "trainee"}),
            409,
            "conflict",
        ),
    ] {
        let r = dp(&s, "POST", &members, &c.company_key, Some(body)).await;
        assert_error(&r, code, reason);
    }
    let r = dp(
        &s,
        "POST",
        &members,
        &c.user_key,
        add(json!(trainee), "coach"),
    )
    .await;
    assert_error(&r, 403, "forbidden");
    let theirs = format!("/coachingteams/{id}/members");
    let r = dp(
        &s,
        "POST",
        &theirs,
        &other.company_key,
        add(json!(foreign), "coach"),
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert_error(
        &dp(&s, "GET", &theirs, &other.company_key, None).await,
        404,
        "notFound",
    );

    let (items, _) = all_pages(&s, &members, &c.user_key, 100).await;
    let mut expected = vec![(coach, "coach".to_owned()), (trainee, "trainee".to_owned())];
    expected.sort();
    assert_eq!(member_ids(&items), expected);
    let log = change_log(&s, c.id).await;
    assert_eq!(
        actions(&s, c.id).await[before.len()..],
        ["coaching_team_member_added", "coaching_team_member_added"]
    );
    assert_eq!(
        log[before.len()]["additional_data"],
        json!({"user_id": coach, "role": "coach"})
    );

    // Members page like every list; a deleted user leaves the team.
    for i in 0..3 {
        let r = dp(
            &s,
            "POST",
            "/users",
            &c.company_key,
            Some(json!({"email": format!("t{i}@acme.example"), "office_id": main})),
        )
        .await;
        let user = r.body["id"].as_i64().unwrap();
        let r = dp(
            &s,
            "POST",
            &members,
            &c.company_key,
            add(json!(user), "trainee"),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let (items, pages) = all_pages(&s, &members, &c.company_key, 2).await;
    assert_eq!((items.len(), pages), (5, 3));
    let ids: Vec<i64> = items.iter().map(|m| m["id"].as_i64().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    dp(
        &s,
        "DELETE",
        &format!("/users/{trainee}"),
        &c.company_key,
        None,
    )
    .await;
    let (items, _) = all_pages(&s, &members, &c.company_key, 100).await;
    assert_eq!(items.len(), 4);
    assert!(items.iter().all(|m| m["id"] != trainee));
    let r = dp(
        &s,
        "POST",
        &members,
        &c.company_key,
        add(json!(trainee), "trainee"),
    )
    .await;
    assert_error(&r, 404, "notFound");
}
