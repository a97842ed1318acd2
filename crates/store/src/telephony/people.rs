//! The directory's reads and writes of people beyond the list: a user locked for an update,
//! the presences of a page of users, and the tenancy user's names and email.

use sqlx::AnyConnection;
use switchboard_domain::ids::{CompanyId, UserId};
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::tenancy::account::User;
use switchboard_domain::workforce::presence::Presence;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::sql::keyset::Sql;
use crate::Backend;

/// The user with their directory entry, held until commit; `None` when missing or of
/// another company.
pub(crate) async fn directory_user_for_update(
    c: &mut AnyConnection,
    company: CompanyId,
    id: UserId,
    lock: Backend,
) -> Result<Option<DirectoryUser>> {
    let found = crate::sql::by_id(
        c,
        "users",
        id.0,
        Some(lock),
        super::directory::directory_user,
    )
    .await?;
    Ok(found.filter(|u| u.user.company_id == company))
}

/// The stored presences of these users, one query.
pub(crate) async fn presences(c: &mut AnyConnection, users: &[UserId]) -> Result<Vec<Presence>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::default();
    let list = sql.ints(users.iter().map(|u| u.0));
    sql.push(&format!(
        "SELECT * FROM user_presence WHERE user_id IN ({list})"
    ));
    sql.fetch(c)
        .await?
        .iter()
        .map(crate::workforce::people::presence)
        .collect()
}

/// Writes a user's email, names and admin flag; a taken email is a conflict.
pub(crate) async fn update_user(c: &mut AnyConnection, u: &User) -> Result<()> {
    sqlx::query(
        "UPDATE users SET email = $1, first_name = $2, last_name = $3, is_admin = $4 WHERE id = $5",
    )
    .bind(u.email.as_str())
    .bind(u.first_name.as_deref())
    .bind(u.last_name.as_deref())
    .bind(u.is_admin)
    .bind(u.id.0)
    .execute(c)
    .await
    .map_err(|e| match db(e) {
        DomainError::Conflict(_) => {
            DomainError::Conflict(format!("a user with email {} exists", u.email.as_str()))
        }
        other => other,
    })?;
    Ok(())
}
