//! Offices' main-line operators and licence counters: queries and rows.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, OfficeId, UserId};
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::telephony::group::OperatorRole;
use switchboard_domain::telephony::office_extras::{LicenseCount, OfficeOperator};
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::get;

fn operator(office: OfficeId, row: &AnyRow) -> Result<(OfficeOperator, DirectoryUser)> {
    let user = super::directory::directory_user(row)?;
    let role: String = get(row, "op_role")?;
    Ok((
        OfficeOperator {
            office_id: office,
            user_id: user.user.id,
            role: OperatorRole::parse(&role)
                .map_err(|_| DomainError::internal("unknown stored role"))?,
            added_at: from_millis(get(row, "op_added_at")?),
        },
        user,
    ))
}

/// The operators with their users, in one query over `office_operators_order`.
pub(crate) async fn operators(
    c: &mut AnyConnection,
    office: OfficeId,
) -> Result<Vec<(OfficeOperator, DirectoryUser)>> {
    let rows = sqlx::query(
        "SELECT u.*, m.role AS op_role, m.added_at AS op_added_at \
         FROM office_operators m JOIN users u ON u.id = m.user_id \
         WHERE m.office_id = $1 ORDER BY m.added_at, m.user_id",
    )
    .bind(office.0)
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter().map(|r| operator(office, r)).collect()
}

/// `false` when the user already was an operator of the office (nothing is written).
pub(crate) async fn insert_operator(
    c: &mut AnyConnection,
    company: CompanyId,
    m: &OfficeOperator,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO office_operators (office_id, user_id, company_id, role, added_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (office_id, user_id) DO NOTHING",
    )
    .bind(m.office_id.0)
    .bind(m.user_id.0)
    .bind(company.0)
    .bind(m.role.as_str())
    .bind(to_millis(m.added_at))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn remove_operator(
    c: &mut AnyConnection,
    office: OfficeId,
    user: UserId,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM office_operators WHERE office_id = $1 AND user_id = $2")
        .bind(office.0)
        .bind(user.0)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn remove_operator_of(c: &mut AnyConnection, user: UserId) -> Result<()> {
    sqlx::query("DELETE FROM office_operators WHERE user_id = $1")
        .bind(user.0)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

/// The office's licence counters (kept by triggers on `users`), leaving out emptied ones.
pub(crate) async fn license_counts(
    c: &mut AnyConnection,
    office: OfficeId,
) -> Result<Vec<LicenseCount>> {
    let rows = sqlx::query(
        "SELECT license, users FROM office_license_counts \
         WHERE office_id = $1 AND users > 0 ORDER BY license",
    )
    .bind(office.0)
    .fetch_all(c)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let license: String = get(r, "license")?;
            Ok(LicenseCount {
                license: (!license.is_empty()).then_some(license),
                users: u64::try_from(get::<i64>(r, "users")?).map_err(DomainError::internal)?,
            })
        })
        .collect()
}
