//! Conferences: every user of the company (but a deleted one) has one personal meeting room,
//! named after them and identified by their user id; meetings are the conferences held in
//! those rooms. Meetings are recorded by the calls engine once calls exist; until then no room
//! has any.

use jiff::Timestamp;

use crate::ids::UserId;
use crate::telephony::directory::DirectoryUser;

/// A user's meeting room.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRoom {
    /// The room's owner; the room's id is the owner's.
    pub owner: UserId,
    pub display_name: String,
    /// The owner's email.
    pub email: String,
    pub company_name: String,
}

impl MeetingRoom {
    /// The meeting room of `user`, in a company called `company_name`.
    pub fn of(user: &DirectoryUser, company_name: &str) -> Self {
        Self {
            owner: user.user.id,
            display_name: user.user.display_name(),
            email: user.user.email.as_str().to_owned(),
            company_name: company_name.to_owned(),
        }
    }
}

/// One participant of a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub display_name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub is_organizer: bool,
    /// Milliseconds the participant spoke.
    pub talk_time_ms: i64,
}

/// A meeting held in a room.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub room: UserId,
    pub title: String,
    pub host_name: String,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub participants: Vec<Participant>,
}

/// Which meetings a list shows.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    /// One room's meetings; `None` for every room of the company.
    pub room: Option<UserId>,
}
