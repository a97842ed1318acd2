//! Bird dialect: migration 0006 back-fills the list keys (name key, presence status, open work,
//! company agent counts) of rows written before it.

#[tokio::test]
async fn bird_migration_0006_back_fills_the_list_keys() {
    use sqlx::Row;
    let mut old = crate::kit::OldDatabase::before("0006").await;
    let db = old.db;
    let (t, f) = if db == "postgres" {
        ("TRUE", "FALSE")
    } else {
        ("1", "0")
    };
    for sql in [
        "INSERT INTO companies (id, name, created_at) VALUES (1, 'Acme', 1)".to_owned(),
        format!(
            "INSERT INTO users (id, company_id, email, first_name, last_name, is_admin, \
             partner_api_enabled, created_at) VALUES \
             (10, 1, 'ann@example.com', 'Ann', 'Lee', {t}, {t}, 100), \
             (11, 1, 'bob@example.com', NULL, NULL, {f}, {t}, 200), \
             (12, 1, 'cy@example.com', 'Cy', NULL, {f}, {t}, 300), \
             (13, 1, 'dee@example.com', 'Dee', NULL, {f}, {t}, 400)"
        ),
        // Bob has a written profile with a display name; Dee's was removed; Ann and Cy have none.
        format!(
            "INSERT INTO agent_profiles (user_id, display_name, wrap_up_time, holidays, role_ids, \
             drop_vms, removed, created_at, updated_at) VALUES \
             (11, 'Bobby B', 0, '[]', '[]', '[]', {f}, 250, 250), \
             (13, NULL, 0, '[]', '[]', '[]', {t}, 450, 450)"
        ),
        "INSERT INTO user_presence (user_id, status, activity, updated_at) VALUES (12, 'active', 'available', 500)".to_owned(),
        "INSERT INTO agent_work_items (id, user_id, channel, opened_at, closed_at) VALUES \
         (1, 10, 'messaging', 1, NULL), (2, 10, 'email', 1, NULL), (3, 10, 'email', 1, 5), \
         (4, 10, 'voice', 1, NULL), (5, 12, 'messaging', 1, NULL)".to_owned(),
    ] {
        sqlx::query(&sql).execute(&mut old.conn).await.unwrap();
    }
    old.migrate().await;
    let rows = sqlx::query(
        "SELECT user_id, company_id, name_key, presence_status, status_rank, open_work, \
         created_at FROM agent_profiles ORDER BY user_id",
    )
    .fetch_all(&mut old.conn)
    .await
    .unwrap();
    let got: Vec<(i64, i64, String, String, i64, i64, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.get(0),
                r.get(1),
                r.get(2),
                r.get(3),
                r.get(4),
                r.get(5),
                r.get(6),
            )
        })
        .collect();
    let row = |id, name: &str, status: &str, rank, work, at| {
        (id, 1, name.to_owned(), status.to_owned(), rank, work, at)
    };
    assert_eq!(
        got,
        [
            row(10, "ann lee", "away", 1, 2, 100),
            row(11, "bobby b", "away", 1, 0, 250),
            row(12, "cy", "active", 0, 1, 300),
            row(13, "dee", "away", 1, 0, 450),
        ]
    );
    let agents: i64 = sqlx::query_scalar("SELECT agents FROM agent_counts WHERE company_id = 1")
        .fetch_one(&mut old.conn)
        .await
        .unwrap();
    assert_eq!(agents, 3, "Dee was removed");
    let placeholders: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT user_id FROM agent_profiles WHERE placeholder = {t} ORDER BY user_id"
    ))
    .fetch_all(&mut old.conn)
    .await
    .unwrap();
    assert_eq!(placeholders, [10, 12]);
}
