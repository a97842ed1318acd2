//! A partner's clients: companies joined with the partner's record of them.

use sqlx::AnyConnection;
use switchboard_domain::client::{
    Client, ClientFilter, ClientKey, ClientProfile, ClientQuery, CLIENT_TEXT_FIELDS,
};
use switchboard_domain::ids::*;
use switchboard_domain::page::Paged;
use switchboard_domain::Result;

use crate::error::db;
use crate::rows::{self, text_column};

const SELECT: &str =
    "SELECT c.*, p.* FROM companies c LEFT JOIN client_profiles p ON p.company_id = c.id";

fn client(row: &sqlx::any::AnyRow) -> Result<Client> {
    let company = rows::company(row)?;
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

/// A bind value of the list filter.
enum Arg {
    Int(i64),
    Text(String),
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

fn like_pattern(s: &str) -> String {
    let escaped = s
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub(crate) async fn list(c: &mut AnyConnection, q: &ClientQuery) -> Result<Paged<Client>> {
    let mut clauses = vec!["c.partner_id = $1".to_owned()];
    let mut args = vec![Arg::Int(q.partner.0)];
    for f in &q.filters {
        let (clause, arg) = match f {
            ClientFilter::Id(id) => ("c.id = ?".to_owned(), Arg::Int(id.0)),
            ClientFilter::NameContains(s) => (
                "LOWER(c.name) LIKE ? ESCAPE '\\'".to_owned(),
                Arg::Text(like_pattern(s)),
            ),
            ClientFilter::Status(s) => ("c.status = ?".to_owned(), Arg::Text(s.as_str().into())),
            ClientFilter::Text(field, v) => (
                format!("p.{} = ?", text_column(field)),
                Arg::Text(v.clone()),
            ),
        };
        args.push(arg);
        clauses.push(clause.replace('?', &format!("${}", args.len())));
    }
    let filter = clauses.join(" AND ");
    let mut order: Vec<String> = q
        .sort
        .iter()
        .map(|(k, desc)| format!("{} {}", sort_expr(*k), if *desc { "DESC" } else { "ASC" }))
        .collect();
    order.push("c.id ASC".into());

    let count_sql = format!(
        "SELECT COUNT(*) FROM companies c LEFT JOIN client_profiles p ON p.company_id = c.id WHERE {filter}"
    );
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for a in &args {
        count = match a {
            Arg::Int(i) => count.bind(*i),
            Arg::Text(s) => count.bind(s.as_str()),
        };
    }
    let total = count.fetch_one(&mut *c).await.map_err(db)?;
    let n = args.len();
    let list_sql = format!(
        "{SELECT} WHERE {filter} ORDER BY {} LIMIT ${} OFFSET ${}",
        order.join(", "),
        n + 1,
        n + 2
    );
    let mut list = sqlx::query(&list_sql);
    for a in &args {
        list = match a {
            Arg::Int(i) => list.bind(*i),
            Arg::Text(s) => list.bind(s.as_str()),
        };
    }
    let found = list
        .bind(i64::from(q.page.limit))
        .bind(q.page.skip as i64)
        .fetch_all(c)
        .await
        .map_err(db)?;
    Ok(Paged {
        items: found.iter().map(client).collect::<Result<_>>()?,
        total: total as u64,
    })
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
    let text_cols: Vec<String> = CLIENT_TEXT_FIELDS.iter().map(|f| text_column(f)).collect();
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
    for f in CLIENT_TEXT_FIELDS {
        q = q.bind(p.text.get(f).map(String::as_str));
    }
    q.execute(c).await.map_err(db)?;
    Ok(())
}
