//! A partner's clients: companies joined with the partner's record of them.

use sqlx::AnyConnection;
use switchboard_domain::clients::client::{
    Client, ClientFilter, ClientKey, ClientProfile, ClientQuery, ClientText, Usage,
};
use switchboard_domain::ids::*;
use switchboard_domain::page::Paged;
use switchboard_domain::Result;

use super::rows;
use super::rows::text_column;
use crate::error::db;
use crate::sql::filter::{counter, like_contains, Arg, Filter, Total};

const FROM: &str = "companies c LEFT JOIN client_profiles p ON p.company_id = c.id";
const SELECT: &str =
    "SELECT c.*, p.* FROM companies c LEFT JOIN client_profiles p ON p.company_id = c.id";

fn client(row: &sqlx::any::AnyRow) -> Result<Client> {
    let company = crate::tenancy::rows::company(row)?;
    let profile = rows::client_profile(row, company.id)?;
    Ok(Client { company, profile })
}

pub(crate) async fn one(
    c: &mut AnyConnection,
    partner: PartnerId,
    id: CompanyId,
) -> Result<Option<Client>> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1 AND c.partner_id = $2"))
        .bind(id.0)
        .bind(partner.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(client).transpose()
}

/// The SQL expression a key sorts by; missing profile values sort as empty on both databases.
fn sort_expr(key: ClientKey) -> String {
    match key {
        ClientKey::Id => "c.id".into(),
        ClientKey::Name => "LOWER(c.name)".into(),
        ClientKey::Status => "c.status".into(),
        ClientKey::MaxChannels => "COALESCE(p.max_channels, 1)".into(),
        ClientKey::CreatedAt => "c.created_at".into(),
        ClientKey::ModifiedAt => "c.updated_at".into(),
        ClientKey::Text(f) => format!("COALESCE(p.{}, '')", text_column(f)),
    }
}

/// One page of a partner's clients. Orders by the company's own columns are served by the
/// `companies_partner_*` indexes; the total of the unfiltered list is the partner's client
/// counter, a filtered one is counted up to a bound.
pub(crate) async fn list(c: &mut AnyConnection, q: &ClientQuery) -> Result<Paged<Client>> {
    let mut filter = Filter::new("c.partner_id = ?", Arg::Int(q.partner.0));
    for f in &q.filters {
        match f {
            ClientFilter::Id(id) => filter.add("c.id = ?", Arg::Int(id.0)),
            ClientFilter::NameContains(s) => filter.add(
                "LOWER(c.name) LIKE LOWER(?) ESCAPE '\\'",
                Arg::Text(like_contains(s)),
            ),
            ClientFilter::Status(s) => filter.add("c.status = ?", Arg::Text(s.as_str().into())),
            ClientFilter::Text(field, v) => filter.add(
                &format!("p.{} = ?", text_column(*field)),
                Arg::Text(v.clone()),
            ),
        }
    }
    let mut order: Vec<String> = q
        .sort
        .iter()
        .map(|(k, desc)| format!("{} {}", sort_expr(*k), if *desc { "DESC" } else { "ASC" }))
        .collect();
    order.push("c.id ASC".into());
    let total = if q.filters.is_empty() {
        Total::Known(
            counter(
                &mut *c,
                "SELECT clients FROM partner_client_counts WHERE partner_id = $1",
                q.partner.0,
            )
            .await?,
        )
    } else {
        Total::CountBounded
    };
    filter
        .page(
            c,
            "c.*, p.*",
            FROM,
            &order.join(", "),
            q.page,
            total,
            client,
        )
        .await
}

pub(crate) async fn profile(c: &mut AnyConnection, id: CompanyId) -> Result<Option<ClientProfile>> {
    let row = sqlx::query("SELECT * FROM client_profiles WHERE company_id = $1")
        .bind(id.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.map(|r| rows::client_profile(&r, id)).transpose()
}

pub(crate) async fn upsert_profile(c: &mut AnyConnection, p: &ClientProfile) -> Result<()> {
    let text_cols: Vec<String> = ClientText::ALL
        .iter()
        .map(|f| text_column(*f).to_owned())
        .collect();
    let mut cols = vec![
        "company_id".to_owned(),
        "max_channels".into(),
        "suspicious".into(),
        "created_by".into(),
        "modified_by".into(),
    ];
    cols.extend(text_cols);
    let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    let updates: Vec<String> = cols[1..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let sql = format!(
        "INSERT INTO client_profiles ({}) VALUES ({}) ON CONFLICT (company_id) DO UPDATE SET {}",
        cols.join(", "),
        placeholders.join(", "),
        updates.join(", ")
    );
    let mut q = sqlx::query(&sql)
        .bind(p.company_id.0)
        .bind(p.max_channels)
        .bind(p.suspicious)
        .bind(p.created_by.as_deref())
        .bind(p.modified_by.as_deref());
    for f in ClientText::ALL {
        q = q.bind(p.text.get(&f).map(String::as_str));
    }
    q.execute(c).await.map_err(db)?;
    Ok(())
}

/// The usage of these clients of `partner`: their counters (`company_usage`, migration 0030;
/// `agent_counts`) by primary key.
pub(crate) async fn usage(
    c: &mut AnyConnection,
    partner: PartnerId,
    ids: &[CompanyId],
) -> Result<Vec<Usage>> {
    let mut sql = crate::sql::keyset::Sql::default();
    let p = sql.arg(Arg::Int(partner.0));
    let list: Vec<String> = ids.iter().map(|id| sql.arg(Arg::Int(id.0))).collect();
    sql.push(&format!(
        "SELECT c.id AS company_id, COALESCE(u.calls, 0) AS calls, \
         COALESCE(u.talk_seconds, 0) AS talk_seconds, COALESCE(u.ai_agents, 0) AS ai_agents, \
         COALESCE(a.agents, 0) AS agents FROM companies c \
         LEFT JOIN company_usage u ON u.company_id = c.id \
         LEFT JOIN agent_counts a ON a.company_id = c.id \
         WHERE c.partner_id = {p} AND c.id IN ({})",
        list.join(", ")
    ));
    let rows = sql.fetch(c).await?;
    let n = |row: &sqlx::any::AnyRow, col: &str| {
        crate::rows::get::<i64>(row, col).map(|v| u64::try_from(v).unwrap_or(0))
    };
    rows.iter()
        .map(|row| {
            Ok(Usage {
                company_id: CompanyId(crate::rows::get(row, "company_id")?),
                calls: n(row, "calls")?,
                talk_seconds: n(row, "talk_seconds")?,
                agents: n(row, "agents")?,
                ai_agents: n(row, "ai_agents")?,
            })
        })
        .collect()
}
