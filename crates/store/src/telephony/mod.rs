//! The telephony context's storage: calls ([`CallStore`], [`CallTx`]) and the company
//! directory ([`DirectoryStore`], [`DirectoryTx`]). Rooms, devices, coaching teams and
//! channels implement their own trait pairs in their files.

pub(crate) mod channels;
pub(crate) mod coaching;
pub(crate) mod contacts;
pub(crate) mod devices;
pub(crate) mod directory;
pub(crate) mod groups;
pub(crate) mod ivrs;
pub(crate) mod numbers;
pub(crate) mod office_extras;
pub(crate) mod people;
pub(crate) mod policies;
pub(crate) mod queries;
pub(crate) mod rooms;
pub(crate) mod routers;
pub(crate) mod rows;
pub(crate) mod trunks;

use async_trait::async_trait;
use switchboard_domain::page::Paged;
use switchboard_domain::telephony::call::{Call, CallLogQuery};
use switchboard_domain::Result;

use crate::tx::SqlTx;
use crate::SqlStore;
use switchboard_domain::ids::{CallRouterId, GroupId};
use switchboard_domain::ids::{CompanyId, OfficeId, UserId};
use switchboard_domain::store::{CallStore, CallTx, DirectoryStore, DirectoryTx};
use switchboard_domain::store::{GroupStore, GroupTx, NumberStore, NumberTx};
use switchboard_domain::store::{OfficeExtrasStore, OfficeExtrasTx, RouterStore, RouterTx};
use switchboard_domain::telephony::directory::{DirectoryEntry, DirectoryUser, UserFilter};
use switchboard_domain::telephony::group::{DutyStatus, Group, GroupFilter, GroupKind, Membership};
use switchboard_domain::telephony::number::{PhoneNumber, Target, TargetKind};
use switchboard_domain::telephony::office::Office;
use switchboard_domain::telephony::office_extras::{LicenseCount, OfficeOperator};
use switchboard_domain::telephony::router::CallRouter;
use switchboard_domain::workforce::presence::Presence;
use switchboard_domain::workforce::store::KeysetPage;

#[async_trait]
impl CallStore for SqlStore {
    async fn call_log(&self, query: &CallLogQuery) -> Result<Paged<Call>> {
        queries::call_log(&mut *self.conn().await?, query).await
    }
}

#[async_trait]
impl CallTx for SqlTx {
    async fn insert_call(&mut self, call: &Call) -> Result<()> {
        queries::insert_call(&mut self.tx, call).await
    }
}

#[async_trait]
impl DirectoryStore for SqlStore {
    async fn office(&self, company: CompanyId, id: OfficeId) -> Result<Option<Office>> {
        directory::office_by_id(&mut *self.conn().await?, company, id).await
    }
    async fn main_office(&self, company: CompanyId) -> Result<Option<Office>> {
        directory::main_office(&mut *self.conn().await?, company).await
    }
    async fn offices_page(
        &self,
        company: CompanyId,
        active_only: bool,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Office>> {
        directory::offices_page(&mut *self.conn().await?, company, active_only, page).await
    }
    async fn office_count(&self, company: CompanyId) -> Result<u64> {
        directory::office_count(&mut *self.conn().await?, company).await
    }
    async fn first_admin_email(&self, company: CompanyId) -> Result<Option<String>> {
        directory::first_admin_email(&mut *self.conn().await?, company).await
    }
    async fn directory_user(
        &self,
        company: CompanyId,
        id: UserId,
    ) -> Result<Option<DirectoryUser>> {
        directory::user_in_company(&mut *self.conn().await?, company, id).await
    }
    async fn directory_users(
        &self,
        company: CompanyId,
        filter: &UserFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<DirectoryUser>> {
        directory::users_page(&mut *self.conn().await?, company, filter, page).await
    }
    async fn presences(&self, users: &[UserId]) -> Result<Vec<Presence>> {
        people::presences(&mut *self.conn().await?, users).await
    }
}

#[async_trait]
impl DirectoryTx for SqlTx {
    async fn insert_office(&mut self, office: &Office) -> Result<()> {
        directory::insert_office(&mut self.tx, office).await
    }
    async fn update_office(&mut self, office: &Office) -> Result<()> {
        directory::update_office(&mut self.tx, office).await
    }
    async fn set_directory_entry(&mut self, user: UserId, entry: &DirectoryEntry) -> Result<()> {
        // A user's state decides whether their keys work.
        self.auth_changed = true;
        directory::set_directory_entry(&mut self.tx, user, entry).await
    }
    async fn directory_user_for_update(
        &mut self,
        company: CompanyId,
        id: UserId,
    ) -> Result<Option<DirectoryUser>> {
        people::directory_user_for_update(&mut self.tx, company, id, self.backend).await
    }
}

#[async_trait]
impl GroupStore for SqlStore {
    async fn group(&self, company: CompanyId, id: GroupId) -> Result<Option<Group>> {
        groups::group_by_id(&mut *self.conn().await?, company, id, None).await
    }
    async fn groups_page(
        &self,
        company: CompanyId,
        filter: &GroupFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Group>> {
        groups::groups_page(&mut *self.conn().await?, company, filter, page).await
    }
    async fn group_members(&self, group: GroupId) -> Result<Vec<(Membership, DirectoryUser)>> {
        groups::members(&mut *self.conn().await?, group).await
    }
    async fn membership(&self, group: GroupId, user: UserId) -> Result<Option<Membership>> {
        groups::membership_of(&mut *self.conn().await?, group, user).await
    }
    async fn is_member_of_kind(&self, user: UserId, kind: GroupKind) -> Result<bool> {
        groups::is_member_of_kind(&mut *self.conn().await?, user, kind).await
    }
    async fn duty_status(&self, user: UserId) -> Result<Option<DutyStatus>> {
        groups::duty_status(&mut *self.conn().await?, user).await
    }
    async fn groups_of_member(
        &self,
        user: UserId,
        kind: GroupKind,
        limit: u32,
    ) -> Result<Vec<GroupId>> {
        groups::groups_of_member(&mut *self.conn().await?, user, kind, limit).await
    }
}

#[async_trait]
impl GroupTx for SqlTx {
    async fn group_for_update(&mut self, company: CompanyId, id: GroupId) -> Result<Option<Group>> {
        groups::group_by_id(&mut self.tx, company, id, Some(self.backend)).await
    }
    async fn insert_group(&mut self, group: &Group) -> Result<()> {
        groups::write_group(&mut self.tx, group, true).await
    }
    async fn update_group(&mut self, group: &Group) -> Result<()> {
        groups::write_group(&mut self.tx, group, false).await
    }
    async fn delete_group(&mut self, id: GroupId) -> Result<()> {
        groups::delete_group(&mut self.tx, id).await
    }
    async fn put_membership(&mut self, company: CompanyId, m: &Membership) -> Result<()> {
        groups::put_membership(&mut self.tx, company, m).await
    }
    async fn remove_membership(&mut self, group: GroupId, user: UserId) -> Result<bool> {
        groups::remove_membership(&mut self.tx, group, user).await
    }
    async fn remove_memberships_of(&mut self, user: UserId) -> Result<()> {
        groups::remove_memberships_of(&mut self.tx, user).await
    }
    async fn put_duty_status(&mut self, company: CompanyId, status: &DutyStatus) -> Result<()> {
        groups::put_duty_status(&mut self.tx, company, status).await
    }
}

#[async_trait]
impl NumberStore for SqlStore {
    async fn number(&self, company: CompanyId, number: &str) -> Result<Option<PhoneNumber>> {
        numbers::by_number(&mut *self.conn().await?, company, number, None).await
    }
    async fn number_anywhere(&self, number: &str) -> Result<Option<PhoneNumber>> {
        numbers::anywhere(&mut *self.conn().await?, number).await
    }
    async fn numbers_page(
        &self,
        company: CompanyId,
        status: Option<&str>,
        page: KeysetPage<'_, String>,
    ) -> Result<Vec<PhoneNumber>> {
        numbers::page(&mut *self.conn().await?, company, status, page).await
    }
    async fn numbers_of(&self, kind: TargetKind, ids: &[i64]) -> Result<Vec<PhoneNumber>> {
        numbers::of_targets(&mut *self.conn().await?, kind, ids, None).await
    }
    async fn numbers_held(&self, numbers: &[String]) -> Result<Vec<String>> {
        numbers::held(&mut *self.conn().await?, numbers).await
    }
}

#[async_trait]
impl NumberTx for SqlTx {
    async fn number_for_update(
        &mut self,
        company: CompanyId,
        number: &str,
    ) -> Result<Option<PhoneNumber>> {
        numbers::by_number(&mut self.tx, company, number, Some(self.backend)).await
    }
    async fn pool_number_for_update(
        &mut self,
        company: CompanyId,
        area_code: Option<&str>,
    ) -> Result<Option<PhoneNumber>> {
        numbers::first_in_pool(&mut self.tx, company, area_code, false, self.backend).await
    }
    async fn toll_free_pool_number_for_update(
        &mut self,
        company: CompanyId,
    ) -> Result<Option<PhoneNumber>> {
        numbers::first_in_pool(&mut self.tx, company, None, true, self.backend).await
    }
    async fn target_numbers_for_update(&mut self, target: Target) -> Result<Vec<PhoneNumber>> {
        numbers::of_targets(&mut self.tx, target.kind, &[target.id], Some(self.backend)).await
    }
    async fn insert_number(&mut self, number: &PhoneNumber) -> Result<()> {
        numbers::write(&mut self.tx, number, true).await
    }
    async fn update_number(&mut self, number: &PhoneNumber) -> Result<()> {
        numbers::write(&mut self.tx, number, false).await
    }
    async fn delete_number(&mut self, number: &str) -> Result<()> {
        numbers::delete(&mut self.tx, number).await
    }
    async fn release_numbers_of(&mut self, target: Target, at: jiff::Timestamp) -> Result<()> {
        numbers::release_target(
            &mut self.tx,
            target,
            switchboard_domain::clock::to_millis(at),
        )
        .await
    }
}

#[async_trait]
impl RouterStore for SqlStore {
    async fn call_router(
        &self,
        company: CompanyId,
        id: CallRouterId,
    ) -> Result<Option<CallRouter>> {
        routers::router_by_id(&mut *self.conn().await?, company, id, None).await
    }
    async fn call_routers_page(
        &self,
        company: CompanyId,
        office: Option<OfficeId>,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<CallRouter>> {
        routers::routers_page(&mut *self.conn().await?, company, office, page).await
    }
    async fn recent_router_errors(&self, id: CallRouterId, now: jiff::Timestamp) -> Result<u32> {
        routers::recent_errors(&mut *self.conn().await?, id, now).await
    }
}

#[async_trait]
impl RouterTx for SqlTx {
    async fn call_router_for_update(
        &mut self,
        company: CompanyId,
        id: CallRouterId,
    ) -> Result<Option<CallRouter>> {
        routers::router_by_id(&mut self.tx, company, id, Some(self.backend)).await
    }
    async fn insert_call_router(&mut self, router: &CallRouter) -> Result<()> {
        routers::write_router(&mut self.tx, router, true).await
    }
    async fn update_call_router(&mut self, router: &CallRouter) -> Result<()> {
        routers::write_router(&mut self.tx, router, false).await
    }
    async fn delete_call_router(&mut self, id: CallRouterId) -> Result<()> {
        routers::delete_router(&mut self.tx, id).await
    }
    async fn count_router_error(&mut self, id: CallRouterId, now: jiff::Timestamp) -> Result<u32> {
        routers::count_error(&mut self.tx, id, now).await
    }
}

#[async_trait]
impl OfficeExtrasStore for SqlStore {
    async fn office_operators(
        &self,
        office: OfficeId,
    ) -> Result<Vec<(OfficeOperator, DirectoryUser)>> {
        office_extras::operators(&mut *self.conn().await?, office).await
    }
    async fn office_license_counts(&self, office: OfficeId) -> Result<Vec<LicenseCount>> {
        office_extras::license_counts(&mut *self.conn().await?, office).await
    }
}

#[async_trait]
impl OfficeExtrasTx for SqlTx {
    async fn insert_office_operator(
        &mut self,
        company: CompanyId,
        operator: &OfficeOperator,
    ) -> Result<bool> {
        office_extras::insert_operator(&mut self.tx, company, operator).await
    }
    async fn remove_office_operator(&mut self, office: OfficeId, user: UserId) -> Result<bool> {
        office_extras::remove_operator(&mut self.tx, office, user).await
    }
    async fn remove_office_operator_of(&mut self, user: UserId) -> Result<()> {
        office_extras::remove_operator_of(&mut self.tx, user).await
    }
}
