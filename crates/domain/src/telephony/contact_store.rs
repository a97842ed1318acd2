//! Storage of what the company keeps beside its directory: contacts, blocked numbers and call
//! labels ([`ContactStore`], [`ContactTx`]), access-control policies and their assignments
//! ([`PolicyStore`], [`PolicyTx`]), custom IVRs ([`IvrStore`], [`IvrTx`]). Every read is
//! scoped to a company. Implemented for SQLite and PostgreSQL in `switchboard-store`.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::ids::{CompanyId, ContactId, IvrId, PolicyId, UserId};
use crate::phone::E164;
use crate::telephony::access::{Assignment, Policy, PolicyTarget};
use crate::telephony::contact::{Contact, ContactScope};
use crate::telephony::directory::DirectoryUser;
use crate::telephony::ivr::{Ivr, IvrTarget};
use crate::workforce::store::KeysetPage;
use crate::Result;

/// Reads of contacts, blocked numbers and call labels.
#[async_trait]
pub trait ContactStore: Send + Sync {
    async fn contact(&self, company: CompanyId, id: ContactId) -> Result<Option<Contact>>;
    /// One page of the contacts `scope` shows, in id order, after `page.after`.
    async fn contacts_page(
        &self,
        company: CompanyId,
        scope: ContactScope,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Contact>>;
    async fn is_blocked(&self, company: CompanyId, number: &E164) -> Result<bool>;
    /// One page of the company's blocked numbers in E.164 text order, after `page.after`.
    async fn blocked_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, String>,
    ) -> Result<Vec<String>>;
    /// The company's call labels in their order, at most `limit`.
    async fn call_labels(&self, company: CompanyId, limit: usize) -> Result<Vec<String>>;
}

/// Writes of contacts, blocked numbers and call labels, inside a write transaction.
#[async_trait]
pub trait ContactTx: Send {
    async fn contact_for_update(
        &mut self,
        company: CompanyId,
        id: ContactId,
    ) -> Result<Option<Contact>>;
    /// The company's contact of this uid, held until commit.
    async fn contact_by_uid(&mut self, company: CompanyId, uid: &str) -> Result<Option<Contact>>;
    async fn insert_contact(&mut self, contact: &Contact) -> Result<()>;
    async fn update_contact(&mut self, contact: &Contact) -> Result<()>;
    async fn delete_contact(&mut self, id: ContactId) -> Result<()>;
    /// Blocks the numbers; answers those that were not blocked before.
    async fn block_numbers(
        &mut self,
        company: CompanyId,
        numbers: &[E164],
        at: Timestamp,
    ) -> Result<Vec<String>>;
    /// Unblocks the numbers; answers those that were blocked.
    async fn unblock_numbers(
        &mut self,
        company: CompanyId,
        numbers: &[E164],
    ) -> Result<Vec<String>>;
    /// Replaces the company's call labels.
    async fn set_call_labels(&mut self, company: CompanyId, labels: &[String]) -> Result<()>;
}

/// Reads of access-control policies and their assignments.
#[async_trait]
pub trait PolicyStore: Send + Sync {
    async fn policy(&self, company: CompanyId, id: PolicyId) -> Result<Option<Policy>>;
    /// One page of the company's policies in id order, after `page.after`.
    async fn policies_page(
        &self,
        company: CompanyId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Policy>>;
    /// One page of the users assigned to the policy, in id order, after `page.after`.
    async fn assigned_users_page(
        &self,
        policy: PolicyId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<UserId>>;
    /// The assignments of these users to the policy, with each user (one read).
    async fn assignments_of(
        &self,
        policy: PolicyId,
        users: &[UserId],
    ) -> Result<Vec<(Assignment, DirectoryUser)>>;
    /// The permissions of the active policies the user is assigned to at any of `targets`
    /// (one read over the user's assignments).
    async fn permissions_at(&self, user: UserId, targets: &[PolicyTarget]) -> Result<Vec<String>>;
}

/// Writes of access-control policies, inside a write transaction.
#[async_trait]
pub trait PolicyTx: Send {
    async fn policy_for_update(
        &mut self,
        company: CompanyId,
        id: PolicyId,
    ) -> Result<Option<Policy>>;
    async fn insert_policy(&mut self, policy: &Policy) -> Result<()>;
    async fn update_policy(&mut self, policy: &Policy) -> Result<()>;
    /// Adds an assignment; `false` when the user already holds it.
    async fn add_assignment(&mut self, company: CompanyId, a: &Assignment) -> Result<bool>;
    /// Removes the user's assignment at `target`, or all of theirs with `None`; answers how
    /// many went.
    async fn remove_assignments(
        &mut self,
        policy: PolicyId,
        user: UserId,
        target: Option<&PolicyTarget>,
    ) -> Result<u64>;
    /// Removes every assignment of the policy.
    async fn clear_assignments(&mut self, policy: PolicyId) -> Result<()>;
    /// Removes every assignment of the user, of every policy.
    async fn remove_assignments_of(&mut self, user: UserId) -> Result<()>;
}

/// Reads of custom IVRs.
#[async_trait]
pub trait IvrStore: Send + Sync {
    async fn ivr(&self, company: CompanyId, id: IvrId) -> Result<Option<Ivr>>;
    /// One page of the IVR types the target has IVRs of, in name order, after `page.after`.
    async fn ivr_types_page(
        &self,
        company: CompanyId,
        target: IvrTarget,
        page: KeysetPage<'_, String>,
    ) -> Result<Vec<String>>;
    /// The target's IVRs of these types, by type and then id.
    async fn ivrs_of(
        &self,
        company: CompanyId,
        target: IvrTarget,
        types: &[String],
    ) -> Result<Vec<Ivr>>;
}

/// Writes of custom IVRs, inside a write transaction.
#[async_trait]
pub trait IvrTx: Send {
    async fn ivr_for_update(&mut self, company: CompanyId, id: IvrId) -> Result<Option<Ivr>>;
    /// How many IVRs of this type the target has.
    async fn ivr_count(
        &mut self,
        company: CompanyId,
        target: IvrTarget,
        ivr_type: &str,
    ) -> Result<u64>;
    async fn insert_ivr(&mut self, ivr: &Ivr) -> Result<()>;
    async fn update_ivr(&mut self, ivr: &Ivr) -> Result<()>;
    async fn delete_ivr(&mut self, id: IvrId) -> Result<()>;
    /// Deselects every IVR of this type of the target.
    async fn deselect_ivrs(
        &mut self,
        company: CompanyId,
        target: IvrTarget,
        ivr_type: &str,
    ) -> Result<()>;
}
