//! Integration tests: a real server on a loopback port, on SQLite, or on PostgreSQL when
//! `SWITCHBOARD_TEST_POSTGRES_URL` names a cluster (each server then gets a fresh database).

mod kit;

mod accounts_cli;
mod agents;
mod auth;
mod binary;
mod call_logs;
mod credentials;
mod d360_cli;
mod d360_clients;
mod d360_partner;
mod idempotency;
mod ops;
mod receiver;
mod sharing;
mod versions;
mod webhooks;
