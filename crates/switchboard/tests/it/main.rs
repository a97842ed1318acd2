//! Integration tests: a real server on a loopback port, on SQLite, or on PostgreSQL when
//! `SWITCHBOARD_TEST_POSTGRES_URL` names a cluster (each server then gets a fresh database).

mod kit;

mod accounts_cli;
mod agent_lists;
mod agents;
mod auth;
mod binary;
mod bird_agents;
mod bird_availability;
mod bird_collab;
mod bird_golden;
mod bird_keyset;
mod bird_lists;
mod bird_media;
mod bird_migration;
mod call_logs;
mod callin_agents;
mod callin_bad_input;
mod callin_cross;
mod callin_list;
mod callin_workflow;
mod credentials;
mod d360_cli;
mod d360_clients;
mod d360_partner;
mod dialpad_access;
mod dialpad_contacts;
mod dialpad_directory;
mod dialpad_groups;
mod dialpad_ivrs;
mod dialpad_kit;
mod dialpad_offices;
mod dialpad_operators;
mod dialpad_user_devices;
mod dialpad_users;
mod event_worker;
mod idempotency;
mod offset_lists;
mod ops;
mod receiver;
mod sharing;
mod versions;
mod webhooks;
