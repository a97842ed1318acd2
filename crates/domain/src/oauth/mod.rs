//! OAuth2: apps a company registers for its users, the authorization code flow with PKCE
//! (S256 only, required), single-use codes, access and refresh tokens (stored as hashes), and
//! what an access token is worth: its user, with the scopes the user consented to.
//!
//! An app belongs to one company and only that company's users may authorize it (with their
//! own API key on the consent page: the server has no other sign-in). Tokens act as their
//! user; scopes only add what needs one (recording links, message content, the change log).

pub mod app;
mod app_service;
pub mod authorize;
pub mod grant;
pub mod store;
mod token_service;

pub use app_service::{AppSettings, SettingsTarget};

crate::facade::context_service!(
    /// OAuth's use cases: apps, authorization, tokens.
    OAuth,
    oauth
);
