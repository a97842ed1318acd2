//! PostgreSQL, the scale-out backend.

use sqlx::migrate::Migrator;

/// PostgreSQL's migrations; version numbers match [`crate::sqlite::MIGRATOR`].
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

#[cfg(test)]
mod tests {
    #[test]
    fn both_databases_have_the_same_migration_versions() {
        let versions = |m: &sqlx::migrate::Migrator| {
            m.iter()
                .map(|m| (m.version, m.description.clone()))
                .collect::<Vec<_>>()
        };
        let sqlite = versions(&crate::sqlite::MIGRATOR);
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, versions(&super::MIGRATOR));
    }
}
