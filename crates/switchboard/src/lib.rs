//! The Switchboard server: configuration, start-up, the HTTP application that mounts every
//! dialect, and the command-line jobs.

pub mod app;
pub mod bootstrap;
pub mod cli;
pub mod config;
pub mod server;
