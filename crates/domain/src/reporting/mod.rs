//! Reporting: statistics exports and scheduled reports. Not built yet; they go here.
