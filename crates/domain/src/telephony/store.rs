//! Storage of calls ([`CallStore`], [`CallTx`]) and of the company directory
//! ([`DirectoryStore`], [`DirectoryTx`]). Implemented for SQLite and PostgreSQL in
//! `switchboard-store`.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::ids::GroupId;
use crate::ids::{CallRouterId, CompanyId, OfficeId, UserId};
use crate::ids::{ChannelId, CoachingTeamId, DeviceId, RoomId};
use crate::page::Paged;
use crate::telephony::call::{Call, CallLogQuery};
use crate::telephony::channel::{Channel, ChannelFilter};
use crate::telephony::coaching::{CoachingMember, CoachingTeam};
use crate::telephony::device::{Device, DeviceFilter, SipAccount};
use crate::telephony::directory::{DirectoryEntry, DirectoryUser, UserFilter};
use crate::telephony::group::{DutyStatus, Group, GroupFilter, GroupKind, Membership};
use crate::telephony::number::{PhoneNumber, Target, TargetKind};
use crate::telephony::office::Office;
use crate::telephony::office_extras::{LicenseCount, OfficeOperator};
use crate::telephony::room::{InternationalPin, Room, RoomFilter};
use crate::telephony::router::CallRouter;
use crate::workforce::presence::Presence;
use crate::workforce::store::KeysetPage;

use crate::Result;

/// Reads of calls.
#[async_trait]
pub trait CallStore: Send + Sync {
    async fn call_log(&self, query: &CallLogQuery) -> Result<Paged<Call>>;
}

/// Writes of calls, inside a write transaction.
#[async_trait]
pub trait CallTx: Send {
    /// Records a call (the telephony side fills the table; tests use it for fixtures).
    async fn insert_call(&mut self, call: &Call) -> Result<()>;
}

/// Reads of the company directory: offices and users' directory entries. Every read is scoped
/// to a company, so another company's office or user reads as missing.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    async fn office(&self, company: CompanyId, id: OfficeId) -> Result<Option<Office>>;
    async fn main_office(&self, company: CompanyId) -> Result<Option<Office>>;
    /// One page of the company's offices in id order, after `page.after`.
    async fn offices_page(
        &self,
        company: CompanyId,
        active_only: bool,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Office>>;
    async fn office_count(&self, company: CompanyId) -> Result<u64>;
    /// The email of the company's earliest admin user.
    async fn first_admin_email(&self, company: CompanyId) -> Result<Option<String>>;
    async fn directory_user(&self, company: CompanyId, id: UserId)
        -> Result<Option<DirectoryUser>>;
    /// One page of the company's users matching `filter`, in id order, after `page.after`.
    async fn directory_users(
        &self,
        company: CompanyId,
        filter: &UserFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<DirectoryUser>>;
    /// The stored presences of these users (users who never set one are missing).
    async fn presences(&self, users: &[UserId]) -> Result<Vec<Presence>>;
}

/// Writes of the company directory, inside a write transaction.
#[async_trait]
pub trait DirectoryTx: Send {
    async fn insert_office(&mut self, office: &Office) -> Result<()>;
    /// Rewrites an office's name, state, country, time zone, address and settings.
    async fn update_office(&mut self, office: &Office) -> Result<()>;
    /// Replaces a user's directory entry (office, state, fields).
    async fn set_directory_entry(&mut self, user: UserId, entry: &DirectoryEntry) -> Result<()>;
    /// A user of `company` with their entry, held until commit.
    async fn directory_user_for_update(
        &mut self,
        company: CompanyId,
        id: UserId,
    ) -> Result<Option<DirectoryUser>>;
}

/// Reads of groups (call centers, departments), their operators and duty statuses. Every read of
/// a group is scoped to a company.
#[async_trait]
pub trait GroupStore: Send + Sync {
    async fn group(&self, company: CompanyId, id: GroupId) -> Result<Option<Group>>;
    /// One page of the company's groups matching `filter`, in id order, after `page.after`.
    async fn groups_page(
        &self,
        company: CompanyId,
        filter: &GroupFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Group>>;
    /// The group's operators with their users, in the order they were added.
    async fn group_members(&self, group: GroupId) -> Result<Vec<(Membership, DirectoryUser)>>;
    async fn membership(&self, group: GroupId, user: UserId) -> Result<Option<Membership>>;
    /// Whether the user is an operator of any group of `kind`.
    async fn is_member_of_kind(&self, user: UserId, kind: GroupKind) -> Result<bool>;
    /// Up to `limit` groups of `kind` the user operates, by id.
    async fn groups_of_member(
        &self,
        user: UserId,
        kind: GroupKind,
        limit: u32,
    ) -> Result<Vec<GroupId>>;
    async fn duty_status(&self, user: UserId) -> Result<Option<DutyStatus>>;
}

/// Writes of groups, inside a write transaction.
#[async_trait]
pub trait GroupTx: Send {
    /// The group, held against concurrent writers until commit.
    async fn group_for_update(&mut self, company: CompanyId, id: GroupId) -> Result<Option<Group>>;
    async fn insert_group(&mut self, group: &Group) -> Result<()>;
    async fn update_group(&mut self, group: &Group) -> Result<()>;
    /// Deletes the group with its memberships.
    async fn delete_group(&mut self, id: GroupId) -> Result<()>;
    /// Adds the membership, or replaces the one of the same group and user.
    async fn put_membership(&mut self, company: CompanyId, m: &Membership) -> Result<()>;
    /// `false` when the user was not a member.
    async fn remove_membership(&mut self, group: GroupId, user: UserId) -> Result<bool>;
    /// Removes the user from every group.
    async fn remove_memberships_of(&mut self, user: UserId) -> Result<()>;
    async fn put_duty_status(&mut self, company: CompanyId, status: &DutyStatus) -> Result<()>;
}

/// Reads of the company's numbers. Every read is scoped to a company: another company's number
/// reads as missing.
#[async_trait]
pub trait NumberStore: Send + Sync {
    async fn number(&self, company: CompanyId, number: &str) -> Result<Option<PhoneNumber>>;
    /// A number (E.164) whichever company holds it: where a carrier's call for it goes.
    async fn number_anywhere(&self, number: &str) -> Result<Option<PhoneNumber>>;
    /// One page of the company's numbers in number order after `page.after`, of one status
    /// (`available` or a target kind's name) when given.
    async fn numbers_page(
        &self,
        company: CompanyId,
        status: Option<&str>,
        page: KeysetPage<'_, String>,
    ) -> Result<Vec<PhoneNumber>>;
    /// The numbers of these targets of one kind, each target's primary first, then in the
    /// order they were assigned.
    async fn numbers_of(&self, kind: TargetKind, ids: &[i64]) -> Result<Vec<PhoneNumber>>;
    /// Which of these numbers some company already holds.
    async fn numbers_held(&self, numbers: &[String]) -> Result<Vec<String>>;
}

/// Writes of numbers, inside a write transaction.
#[async_trait]
pub trait NumberTx: Send {
    /// The company's number, held until commit.
    async fn number_for_update(
        &mut self,
        company: CompanyId,
        number: &str,
    ) -> Result<Option<PhoneNumber>>;
    /// The first pool number (of the area code, when given), held until commit.
    async fn pool_number_for_update(
        &mut self,
        company: CompanyId,
        area_code: Option<&str>,
    ) -> Result<Option<PhoneNumber>>;
    /// The first toll-free pool number, held until commit.
    async fn toll_free_pool_number_for_update(
        &mut self,
        company: CompanyId,
    ) -> Result<Option<PhoneNumber>>;
    /// The target's numbers, primary first, held until commit.
    async fn target_numbers_for_update(&mut self, target: Target) -> Result<Vec<PhoneNumber>>;
    /// A number new to every company (one already held is a conflict).
    async fn insert_number(&mut self, number: &PhoneNumber) -> Result<()>;
    async fn update_number(&mut self, number: &PhoneNumber) -> Result<()>;
    async fn delete_number(&mut self, number: &str) -> Result<()>;
    /// Returns every number of the target to its company's pool.
    async fn release_numbers_of(&mut self, target: Target, at: Timestamp) -> Result<()>;
}

/// Reads of call routers, scoped to a company.
#[async_trait]
pub trait RouterStore: Send + Sync {
    async fn call_router(&self, company: CompanyId, id: CallRouterId)
        -> Result<Option<CallRouter>>;
    /// One page of the company's routers (of one office, if given), in id order.
    async fn call_routers_page(
        &self,
        company: CompanyId,
        office: Option<OfficeId>,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<CallRouter>>;
    /// The router's routing errors within the hour before `now` (0 once its hour is over).
    async fn recent_router_errors(&self, id: CallRouterId, now: Timestamp) -> Result<u32>;
}

/// Writes of call routers, inside a write transaction.
#[async_trait]
pub trait RouterTx: Send {
    /// The router, held against concurrent writers until commit.
    async fn call_router_for_update(
        &mut self,
        company: CompanyId,
        id: CallRouterId,
    ) -> Result<Option<CallRouter>>;
    async fn insert_call_router(&mut self, router: &CallRouter) -> Result<()>;
    async fn update_call_router(&mut self, router: &CallRouter) -> Result<()>;
    async fn delete_call_router(&mut self, id: CallRouterId) -> Result<()>;
    /// Counts a routing error at `now`: errors within an hour of the first one count up, an
    /// error later starts a new hour. Answers the count.
    async fn count_router_error(&mut self, id: CallRouterId, now: Timestamp) -> Result<u32>;
}

/// Reads of what an office has beyond its record: main-line operators and licence counts.
#[async_trait]
pub trait OfficeExtrasStore: Send + Sync {
    /// The office's main-line operators with their users, in the order they were added.
    async fn office_operators(
        &self,
        office: OfficeId,
    ) -> Result<Vec<(OfficeOperator, DirectoryUser)>>;
    /// How many of the office's users (all but deleted ones) hold each licence, from the
    /// counters the writes keep.
    async fn office_license_counts(&self, office: OfficeId) -> Result<Vec<LicenseCount>>;
}

/// Writes of office main-line operators, inside a write transaction.
#[async_trait]
pub trait OfficeExtrasTx: Send {
    /// Adds the operator; `false` (and nothing written) when the user already is one.
    async fn insert_office_operator(
        &mut self,
        company: CompanyId,
        operator: &OfficeOperator,
    ) -> Result<bool>;
    /// `false` when the user was not an operator of the office.
    async fn remove_office_operator(&mut self, office: OfficeId, user: UserId) -> Result<bool>;
    /// Removes the user from every office's main line.
    async fn remove_office_operator_of(&mut self, user: UserId) -> Result<()>;
}

/// Reads of rooms and international-call PINs. Every read is scoped to a company.
#[async_trait]
pub trait RoomStore: Send + Sync {
    async fn room(&self, company: CompanyId, id: RoomId) -> Result<Option<Room>>;
    /// One page of the company's rooms matching `filter`, in id order, after `page.after`.
    async fn rooms_page(
        &self,
        company: CompanyId,
        filter: &RoomFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Room>>;
    /// The company's PIN with this hash, if one was issued.
    async fn international_pin(
        &self,
        company: CompanyId,
        pin_hash: &str,
    ) -> Result<Option<InternationalPin>>;
}

/// Writes of rooms and PINs, inside a write transaction.
#[async_trait]
pub trait RoomTx: Send {
    /// The room, held against concurrent writers until commit.
    async fn room_for_update(&mut self, company: CompanyId, id: RoomId) -> Result<Option<Room>>;
    async fn insert_room(&mut self, room: &Room) -> Result<()>;
    async fn update_room(&mut self, room: &Room) -> Result<()>;
    async fn delete_room(&mut self, id: RoomId) -> Result<()>;
    async fn insert_international_pin(&mut self, pin: &InternationalPin) -> Result<()>;
}

/// Reads of users' devices and SIP accounts. Every read of a device is scoped to a company;
/// registrations that lapsed before `now` are not there.
#[async_trait]
pub trait DeviceStore: Send + Sync {
    async fn device(
        &self,
        company: CompanyId,
        id: DeviceId,
        now: Timestamp,
    ) -> Result<Option<Device>>;
    /// One page of the company's devices matching `filter`, in id order, after `page.after`.
    async fn devices_page(
        &self,
        company: CompanyId,
        filter: &DeviceFilter,
        now: Timestamp,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Device>>;
    /// A SIP account by its username (any company: phones name only the username).
    async fn sip_account(&self, username: &str) -> Result<Option<SipAccount>>;
    /// The account's registered phones, at most `limit`.
    async fn sip_bindings(&self, username: &str, now: Timestamp, limit: i64)
        -> Result<Vec<Device>>;
    /// The user's phones registered over SIP and not lapsed, at most `limit`: the ones a call
    /// rings.
    async fn ringing_devices(
        &self,
        company: CompanyId,
        user: UserId,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<Device>>;
}

/// Reads of SIP trunks. Every read is scoped to its company.
#[async_trait]
pub trait TrunkStore: Send + Sync {
    /// The company's trunks, oldest first, at most `limit`.
    async fn trunks_of(
        &self,
        company: CompanyId,
        limit: i64,
    ) -> Result<Vec<crate::telephony::trunk::SipTrunk>>;
}

/// Writes of SIP trunks, inside a write transaction.
#[async_trait]
pub trait TrunkTx: Send {
    async fn insert_trunk(&mut self, trunk: &crate::telephony::trunk::SipTrunk) -> Result<()>;
    /// How many trunks the company has.
    async fn trunk_count(&mut self, company: CompanyId) -> Result<i64>;
}

/// Writes of users' devices and SIP accounts, inside a write transaction.
#[async_trait]
pub trait DeviceTx: Send {
    /// Records a device (the SIP registrar's job; tests use it for fixtures).
    async fn insert_device(&mut self, device: &Device) -> Result<()>;
    /// Rewrites a registered device (its binding, version, registration time).
    async fn update_device(&mut self, device: &Device) -> Result<()>;
    async fn delete_device(&mut self, id: DeviceId) -> Result<()>;
    /// The account's phone with this binding key (lapsed or not), held until commit.
    async fn sip_binding_for_update(&mut self, username: &str, key: &str)
        -> Result<Option<Device>>;
    /// How many phones the account has (lapsed ones included).
    async fn sip_binding_count(&mut self, username: &str) -> Result<i64>;
    /// Removes every phone of the account; returns how many there were.
    async fn delete_sip_bindings(&mut self, username: &str) -> Result<u64>;
    /// Removes the account's lapsed registrations.
    async fn delete_lapsed_sip_bindings(&mut self, username: &str, now: Timestamp) -> Result<u64>;
    async fn insert_sip_account(&mut self, account: &SipAccount) -> Result<()>;
}

/// Reads of coaching teams and their members. Every read of a team is scoped to a company.
#[async_trait]
pub trait CoachingStore: Send + Sync {
    async fn coaching_team(
        &self,
        company: CompanyId,
        id: CoachingTeamId,
    ) -> Result<Option<CoachingTeam>>;
    /// One page of the company's teams (or one office's), in id order, after `page.after`.
    async fn coaching_teams_page(
        &self,
        company: CompanyId,
        office: Option<OfficeId>,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<CoachingTeam>>;
    /// One page of a team's members with their users, in user id order, after `page.after`.
    async fn coaching_members_page(
        &self,
        team: CoachingTeamId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<(CoachingMember, DirectoryUser)>>;
}

/// Writes of coaching teams and members, inside a write transaction.
#[async_trait]
pub trait CoachingTx: Send {
    /// The team, held against concurrent writers until commit.
    async fn coaching_team_for_update(
        &mut self,
        company: CompanyId,
        id: CoachingTeamId,
    ) -> Result<Option<CoachingTeam>>;
    async fn insert_coaching_team(&mut self, team: &CoachingTeam) -> Result<()>;
    /// Adds the member; `false` (and nothing written) when the user is already one.
    async fn insert_coaching_member(
        &mut self,
        company: CompanyId,
        member: &CoachingMember,
    ) -> Result<bool>;
    /// Removes the user from every coaching team.
    async fn remove_coaching_memberships_of(&mut self, user: UserId) -> Result<()>;
}

/// Reads of channels and their members. Every read of a channel is scoped to a company.
#[async_trait]
pub trait ChannelStore: Send + Sync {
    async fn channel(&self, company: CompanyId, id: ChannelId) -> Result<Option<Channel>>;
    /// One page of the company's channels matching `filter`, in id order, after `page.after`.
    async fn channels_page(
        &self,
        company: CompanyId,
        filter: &ChannelFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Channel>>;
    /// One page of a channel's members, in user id order, after `page.after`.
    async fn channel_members_page(
        &self,
        channel: ChannelId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<DirectoryUser>>;
}

/// Writes of channels and members, inside a write transaction.
#[async_trait]
pub trait ChannelTx: Send {
    /// The channel, held against concurrent writers until commit.
    async fn channel_for_update(
        &mut self,
        company: CompanyId,
        id: ChannelId,
    ) -> Result<Option<Channel>>;
    /// Adds the channel; `false` (and nothing written) when the company has one of that name.
    async fn insert_channel(&mut self, channel: &Channel) -> Result<bool>;
    /// Deletes the channel with its memberships.
    async fn delete_channel(&mut self, id: ChannelId) -> Result<()>;
    /// Adds a member; `false` (and nothing written) when the user is already one.
    async fn add_channel_member(
        &mut self,
        company: CompanyId,
        channel: ChannelId,
        user: UserId,
        at: Timestamp,
    ) -> Result<bool>;
    /// `false` when the user was not a member.
    async fn remove_channel_member(&mut self, channel: ChannelId, user: UserId) -> Result<bool>;
    /// Removes the user from every channel.
    async fn remove_channel_memberships_of(&mut self, user: UserId) -> Result<()>;
}
