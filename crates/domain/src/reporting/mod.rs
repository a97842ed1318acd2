//! Reporting: statistics exports, scheduled reports, and a day of calls for charts ([`day`]).
//!
//! An export ([`export`]) is a CSV file built in the background from what the other contexts
//! store — call legs, agent-status events — a page at a time by the runner ([`runner`]), kept
//! as numbered chunks and downloaded through a signed link; it expires an hour after it
//! finished. A scheduled report ([`schedule`]) starts one export at its hour and, once the file
//! is complete, writes one `scheduled_report` event for its endpoint.

pub mod csv;
pub mod day;
pub mod export;
pub mod runner;
pub mod schedule;
mod schedule_service;
pub mod service;
pub mod store;
pub mod tally;
pub mod window;

pub use runner::RunOutcome;
pub use service::Started;

crate::facade::context_service!(
    /// The reporting use cases: statistics exports, their files, scheduled reports.
    Reporting,
    reporting
);
