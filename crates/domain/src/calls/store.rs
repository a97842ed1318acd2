//! Storage of live calls: legs, their transcripts, the operators they hold, the hold queues,
//! the timers that move calls on, and the simulator's devices. Implemented for SQLite and
//! PostgreSQL in `switchboard-store`.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::calls::leg::{CallFilter, CallLeg, TranscriptLine};
use crate::calls::share_link::ShareLink;
use crate::calls::timer::Timer;
use crate::ids::{AgentId, CallId, CompanyId, GroupId, UserId};
use crate::telephony::group::DutyState;
use crate::workforce::store::KeysetPage;
use crate::Result;

/// Where a call list page continues: the last row's start (Unix ms) and id, newest first.
pub type CallPosition = (i64, i64);

/// An operator of a group as the routing engine is fed: membership, duty, what they are doing.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorRow {
    pub user_id: UserId,
    pub skill_level: u8,
    /// When they joined the group (Unix ms): the fixed order.
    pub position: i64,
    pub on_duty: bool,
    pub duty_state: DutyState,
    /// Calls the engine gave them that ring or talk now.
    pub active_calls: u32,
    pub wrap_up_until: Option<Timestamp>,
    pub idle_since: Timestamp,
    pub last_offered_at: Option<Timestamp>,
}

/// The index order in which candidates are fetched, so that a group of any size costs one
/// bounded read: the strategy's order over the operators who could take a call now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateOrder {
    /// Join order (fixed order).
    Position,
    /// Longest idle first.
    IdleSince,
    /// Highest skill first, then longest idle.
    SkillDesc,
    /// Least recently offered first (round robin).
    LastOfferedAsc,
    /// From a random point of the user ids (which are themselves random) onwards, wrapping
    /// around: each operator is as likely as any to come first.
    RandomFrom(i64),
}

/// What the calls context says of an operator: calls held now, when last offered one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallActivity {
    pub user_id: UserId,
    pub active_calls: u32,
    pub last_offered_at: Option<Timestamp>,
    /// When the operator's current wrap-up ends.
    pub wrap_up_until: Option<Timestamp>,
}

/// How many calls a group has, for its live status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueFigures {
    pub waiting: u32,
    /// When the longest-waiting call joined the queue.
    pub oldest: Option<Timestamp>,
}

/// Reads of calls.
#[async_trait]
pub trait CallLegStore: Send + Sync {
    async fn call_leg(&self, company: CompanyId, id: CallId) -> Result<Option<CallLeg>>;
    /// A leg by id alone (for a signed link, which names the call, not its company).
    async fn call_leg_any(&self, id: CallId) -> Result<Option<CallLeg>>;
    /// One page of the company's calls, newest first.
    async fn calls_page(
        &self,
        company: CompanyId,
        filter: &CallFilter,
        page: KeysetPage<'_, CallPosition>,
    ) -> Result<Vec<CallLeg>>;
    /// The legs of an entry-point leg (operators rung), oldest first.
    async fn operator_legs(&self, entry: CallId) -> Result<Vec<CallLeg>>;
    async fn transcript(&self, call: CallId) -> Result<Vec<TranscriptLine>>;
    /// The leg ringing the user's device (an inbound leg ringing, or the user's own outbound
    /// leg calling), if one does.
    async fn ringing_leg_of(&self, company: CompanyId, user: UserId) -> Result<Option<CallLeg>>;
    /// The user's own leg of the call they talk on now (connected or on hold; an operator's
    /// leg, not the entry leg it answered), the newest if several.
    async fn active_leg_of(&self, company: CompanyId, user: UserId) -> Result<Option<CallLeg>>;
    /// The own legs (not entry legs they answered) of these users of the company that ring,
    /// dial, talk or hold now: one read.
    async fn live_legs_of(&self, company: CompanyId, users: &[UserId]) -> Result<Vec<CallLeg>>;
    /// Whether an outbound leg to `number` that the group places (a callback) has not ended.
    async fn open_callback(&self, group: GroupId, number: &str) -> Result<bool>;
    /// Whether the simulated devices of the user answer at once.
    async fn sim_auto_answer(&self, user: UserId) -> Result<bool>;
    /// Timers due at `now`, earliest first, at most `limit`.
    async fn due_timers(&self, now: Timestamp, limit: usize) -> Result<Vec<Timer>>;
    /// The group's operators, a page in join order (for previews and live status).
    async fn group_operator_rows(
        &self,
        group: GroupId,
        after: Option<(i64, i64)>,
        limit: usize,
    ) -> Result<Vec<OperatorRow>>;
    async fn queue_figures(&self, group: GroupId) -> Result<QueueFigures>;
    /// The call activity of these users (those with any), one read.
    async fn call_activity(&self, users: &[UserId]) -> Result<Vec<CallActivity>>;
    /// The AI agents that operate the group, in the order they joined (at most `limit`).
    async fn ai_members(&self, group: GroupId, limit: usize) -> Result<Vec<(AgentId, Timestamp)>>;
    /// How many of the group's operators are on duty, and how many of those could take a
    /// call at `now` (available, holding no call, not wrapping up).
    async fn group_operator_counts(&self, group: GroupId, now: Timestamp) -> Result<(u32, u32)>;
    /// Calls that started in `[since, until)` on the group and how many were answered.
    async fn group_calls_since(&self, group: GroupId, since: Timestamp) -> Result<(u64, u64)>;
}

/// Writes of calls, inside a write transaction.
#[async_trait]
pub trait CallLegTx: Send {
    async fn call_leg_for_update(
        &mut self,
        company: CompanyId,
        id: CallId,
    ) -> Result<Option<CallLeg>>;
    /// A leg by id alone, held for update (for work that knows the call, not its company:
    /// queues and timers).
    async fn call_leg_for_update_any(&mut self, id: CallId) -> Result<Option<CallLeg>>;
    async fn insert_call_leg(&mut self, leg: &CallLeg) -> Result<()>;
    async fn update_call_leg(&mut self, leg: &CallLeg) -> Result<()>;
    /// The operator legs of an entry-point leg, held for update.
    async fn operator_legs_for_update(&mut self, entry: CallId) -> Result<Vec<CallLeg>>;
    /// Appends a transcript line (its `seq` is the next of the call's).
    async fn append_transcript(&mut self, company: CompanyId, line: &TranscriptLine) -> Result<()>;

    /// Gives the operator the call unless they hold one: `false` when they already do. The one
    /// place where "one operator, one call" is decided, atomically, in every process.
    async fn claim_operator(
        &mut self,
        company: CompanyId,
        user: UserId,
        call: CallId,
        at: Timestamp,
    ) -> Result<bool>;
    /// Releases the operator's hold of the call (nothing when they hold another).
    async fn release_operator(&mut self, user: UserId, call: CallId) -> Result<()>;
    /// Records what an operator last did: offered a call, became idle, wraps up until.
    async fn operator_offered(
        &mut self,
        company: CompanyId,
        user: UserId,
        at: Timestamp,
    ) -> Result<()>;
    async fn operator_idle(
        &mut self,
        company: CompanyId,
        user: UserId,
        idle_since: Timestamp,
        wrap_up_until: Option<Timestamp>,
    ) -> Result<()>;
    /// Operators of the group who could take a call now (on duty, available, holding no call),
    /// at most `limit`, in `order`.
    async fn routing_candidates(
        &mut self,
        group: GroupId,
        order: CandidateOrder,
        limit: usize,
    ) -> Result<Vec<OperatorRow>>;
    /// Whether any operator of the group is on duty.
    async fn any_on_duty(&mut self, group: GroupId) -> Result<bool>;

    async fn enqueue(
        &mut self,
        company: CompanyId,
        call: CallId,
        group: GroupId,
        at: Timestamp,
    ) -> Result<()>;
    /// Takes the call out of its queue; `false` when it was not queued.
    async fn dequeue(&mut self, call: CallId) -> Result<bool>;
    /// The longest-waiting calls of the group, at most `limit`, held for update.
    async fn queued_calls(&mut self, group: GroupId, limit: usize) -> Result<Vec<CallId>>;
    /// The call's place in its queue (1 = next), counted among calls that joined before it.
    async fn queue_position(&mut self, group: GroupId, call: CallId) -> Result<u32>;
    async fn queue_length(&mut self, group: GroupId) -> Result<u32>;
    /// The groups the user operates that have calls waiting.
    async fn groups_waiting_for(&mut self, user: UserId) -> Result<Vec<GroupId>>;

    async fn insert_timer(&mut self, timer: &Timer) -> Result<()>;
    /// Takes a due timer: `false` when another worker took it first.
    async fn take_timer(&mut self, id: i64) -> Result<bool>;
    /// Drops the call's timers (when it moves on before they fire).
    async fn drop_timers_of(&mut self, call: CallId) -> Result<()>;

    /// Makes the AI agent an operator of the group; `false` when it is one already.
    async fn add_ai_member(
        &mut self,
        company: CompanyId,
        group: GroupId,
        agent: AgentId,
        at: Timestamp,
    ) -> Result<bool>;
    /// `false` when the agent was not an operator of the group.
    async fn remove_ai_member(&mut self, group: GroupId, agent: AgentId) -> Result<bool>;

    async fn set_sim_auto_answer(
        &mut self,
        company: CompanyId,
        user: UserId,
        enabled: bool,
    ) -> Result<()>;
}

/// Reads of share links.
#[async_trait]
pub trait ShareLinkStore: Send + Sync {
    async fn share_link(&self, company: CompanyId, id: &str) -> Result<Option<ShareLink>>;
    /// A link by id alone (opening a link needs no key).
    async fn share_link_any(&self, id: &str) -> Result<Option<ShareLink>>;
}

/// Writes of share links, inside a write transaction.
#[async_trait]
pub trait ShareLinkTx: Send {
    async fn share_link_for_update(
        &mut self,
        company: CompanyId,
        id: &str,
    ) -> Result<Option<ShareLink>>;
    async fn insert_share_link(&mut self, link: &ShareLink) -> Result<()>;
    async fn update_share_link(&mut self, link: &ShareLink) -> Result<()>;
    async fn delete_share_link(&mut self, company: CompanyId, id: &str) -> Result<()>;
}
