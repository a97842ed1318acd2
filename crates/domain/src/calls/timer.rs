//! Timers that move calls on: a ring that nobody answers, a queue's announcements and limits,
//! the end of an operator's wrap-up. Stored with the calls, so they survive a restart and any
//! server process may fire them; they follow the server's clock (a manual clock moves them too).

use jiff::Timestamp;

use crate::ids::{CallId, CompanyId, UserId};

/// What a timer does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerKind {
    /// The leg has rung for its ring time.
    RingTimeout,
    /// A queued call's next step: an announcement or its hold limit.
    QueueTick,
    /// The operator's wrap-up ends: they may take the next call.
    WrapUpEnd,
    /// A call router did not answer in time: the call goes to the router's default target.
    RouterFallback,
}

impl TimerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RingTimeout => "ring_timeout",
            Self::QueueTick => "queue_tick",
            Self::WrapUpEnd => "wrap_up_end",
            Self::RouterFallback => "router_fallback",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::RingTimeout,
            Self::QueueTick,
            Self::WrapUpEnd,
            Self::RouterFallback,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timer {
    pub id: i64,
    pub company_id: CompanyId,
    pub kind: TimerKind,
    pub call_id: Option<CallId>,
    pub user_id: Option<UserId>,
    pub due_at: Timestamp,
}

impl Timer {
    pub fn new(
        company: CompanyId,
        kind: TimerKind,
        call: Option<CallId>,
        user: Option<UserId>,
        due_at: Timestamp,
    ) -> Self {
        Self {
            id: <CallId as crate::ids::Id>::generate().0,
            company_id: company,
            kind,
            call_id: call,
            user_id: user,
            due_at,
        }
    }
}
