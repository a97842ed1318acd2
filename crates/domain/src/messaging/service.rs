//! Sending a text message: who sends it and from which number, to whom (never to a number
//! that opted out), recorded with its `sms` event in one transaction, then handed to the
//! telephony network, whose reports are applied at once.

use jiff::Timestamp;

use crate::events::event::{Event, SMS, SMS_STATUS};
use crate::ids::{CompanyId, EventId, GroupId, Id, MessageId, OfficeId, UserId};
use crate::media::MediaKind;
use crate::messaging::model::{
    check_content, recipients, sniff_content_type, Change, DeliveryResult, Direction, Message,
    MessageMedia, Party, Status,
};
use crate::messaging::Messaging;
use crate::phone::E164;
use crate::store::WriteTx;
use crate::telephony::group::GroupKind;
use crate::telephony::number::{Target, TargetKind};
use crate::{DomainError, Result};

/// A message to send. The sender is, first that is given: `from_number` (a number of a user,
/// office, call center or department of the company), the group (`sender_group`: an office,
/// call center or department, sending from its primary number), or `user` (from their primary
/// number).
#[derive(Debug, Clone, Default)]
pub struct NewSms {
    /// The user who sends, or who acts for the group.
    pub user: Option<UserId>,
    /// A plain user's key: the message may only be that user's (their own number, or a
    /// group's with them acting); another user's number is 403.
    pub only_as: Option<UserId>,
    pub sender_group: Option<Target>,
    pub from_number: Option<String>,
    pub to_numbers: Vec<String>,
    /// Reads recipients without `+` as numbers of the sender's office's country.
    pub infer_country_code: bool,
    pub text: String,
    /// The attachment's bytes (an MMS).
    pub media: Option<Vec<u8>>,
}

/// The company's side of a message being sent.
struct Sender {
    party: Party,
    from: String,
    user: Option<UserId>,
    office: OfficeId,
}

/// Writes a message's event (`sms` when created, `sms_status` for a status change).
pub(crate) async fn record_event(
    tx: &mut dyn WriteTx,
    message: &Message,
    change: Change,
    at: Timestamp,
) -> Result<()> {
    let kind = match change {
        Change::Created => SMS,
        Change::Status => SMS_STATUS,
    };
    tx.insert_event(&Event {
        id: EventId::generate(),
        kind: kind.to_owned(),
        partner_id: None,
        company_id: Some(message.company_id),
        payload: message.payload(change, at),
        created_at: at,
    })
    .await
}

impl Messaging<'_> {
    /// Sends a message: checks it, refuses recipients that opted out (nothing is stored
    /// then), records it `pending` with its `sms` event, and hands it to the network. Answers
    /// the message as recorded.
    pub async fn send(&self, company: CompanyId, new: NewSms) -> Result<Message> {
        check_content(&new.text, new.media.as_deref())?;
        let mut sender = self.sender(company, &new).await?;
        if let Some(me) = new.only_as {
            if sender.party.target.kind == TargetKind::User && sender.user != Some(me) {
                return Err(DomainError::Forbidden(
                    "a user's key sends only as that user".into(),
                ));
            }
            sender.user = Some(me);
        }
        let country = if new.infer_country_code {
            Some(
                self.telephony()
                    .office(company, sender.office)
                    .await?
                    .country,
            )
        } else {
            None
        };
        let to = recipients(&new.to_numbers, country.as_deref())?;
        refuse_opted_out(self.store.opted_out(company, &to).await?)?;
        let mut is_internal = true;
        for n in &to {
            let held = self.store.number(company, n).await?;
            is_internal &= held.is_some_and(|n| n.target.is_some());
        }
        let media = match &new.media {
            Some(bytes) => Some(self.store_media(company, sender.user, bytes).await?),
            None => None,
        };
        let now = self.clock.now();
        let message = Message {
            id: MessageId::generate(),
            company_id: company,
            direction: Direction::Outbound,
            party: sender.party,
            sender_user: sender.user,
            from_number: sender.from,
            to_numbers: to,
            text: new.text,
            media,
            status: Status::Pending,
            delivery_result: None,
            is_internal,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        // Read again beside the insert: an opt-out that arrived meanwhile still refuses.
        refuse_opted_out(tx.opted_out_in_tx(company, &message.to_numbers).await?)?;
        tx.insert_message(&message).await?;
        record_event(tx.as_mut(), &message, Change::Created, now).await?;
        tx.commit().await?;
        // A network that cannot take the message fails it; the request itself succeeded.
        if self.driver.send_sms(&message).await.is_err() {
            let failed = crate::telephony::driver::SmsReport::Status {
                company,
                message: message.id,
                status: Status::Failed,
                result: Some(DeliveryResult::InternalError),
            };
            self.network_report(failed).await?;
        }
        self.drain_reports().await?;
        Ok(message)
    }

    /// Who sends: see [`NewSms`].
    async fn sender(&self, company: CompanyId, new: &NewSms) -> Result<Sender> {
        let acting = match new.user {
            Some(u) => Some(self.telephony().live_directory_user(company, u).await?),
            None => None,
        };
        if let Some(raw) = &new.from_number {
            let n = E164::parse(raw, None).map_err(|_| {
                DomainError::invalid(format!("from_number '{raw}' is not an E.164 number"))
            })?;
            let number = self
                .store
                .number(company, n.as_str())
                .await?
                .ok_or(DomainError::NotFound("from_number"))?;
            let target = number.target.filter(|_| !number.fax).ok_or_else(|| {
                DomainError::invalid(format!(
                    "from_number {} is not assigned to a user or a group",
                    n.as_str()
                ))
            })?;
            let (party, office) = self.party(company, target).await?;
            let user = match target.kind {
                TargetKind::User => Some(UserId(target.id)),
                _ => new.user,
            };
            return Ok(Sender {
                party,
                from: number.number,
                user,
                office,
            });
        }
        let (target, user) = match (new.sender_group, new.user) {
            (Some(group), user) => (group, user),
            (None, Some(user)) => (
                Target {
                    kind: TargetKind::User,
                    id: user.0,
                },
                Some(user),
            ),
            (None, None) => {
                return Err(DomainError::invalid(
                    "a sender is required: user_id, sender_group_id and sender_group_type, \
                     or from_number",
                ))
            }
        };
        let (party, office) = match acting {
            Some(u) if target.kind == TargetKind::User => (
                Party {
                    target,
                    name: u.user.display_name(),
                },
                u.entry.office_id,
            ),
            _ => self.party(company, target).await?,
        };
        let from = self
            .telephony()
            .numbers_of(target.kind, &[target.id])
            .await?
            .remove(&target.id)
            .and_then(|ns| ns.into_iter().next())
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "the {} {} has no number to send from",
                    kind_name(target.kind),
                    target.id
                ))
            })?;
        Ok(Sender {
            party,
            from,
            user,
            office,
        })
    }

    /// A user, office, call center or department of the company (404 otherwise) with its
    /// name and office; other targets take no messages (400).
    pub(crate) async fn party(
        &self,
        company: CompanyId,
        target: Target,
    ) -> Result<(Party, OfficeId)> {
        let t = self.telephony();
        let (name, office) = match target.kind {
            TargetKind::User => {
                let u = t.live_directory_user(company, UserId(target.id)).await?;
                (u.user.display_name(), u.entry.office_id)
            }
            TargetKind::Office => {
                let o = t.office(company, OfficeId(target.id)).await?;
                (o.name, o.id)
            }
            TargetKind::CallCenter | TargetKind::Department => {
                let kind = if target.kind == TargetKind::CallCenter {
                    GroupKind::CallCenter
                } else {
                    GroupKind::Department
                };
                let g = t.group(company, kind, GroupId::from_raw(target.id)).await?;
                (g.name, g.office_id)
            }
            other => {
                return Err(DomainError::invalid(format!(
                    "a {} sends and receives no text messages",
                    kind_name(other)
                )))
            }
        };
        Ok((Party { target, name }, office))
    }

    /// Stores an attachment as a media file of the company.
    pub(crate) async fn store_media(
        &self,
        company: CompanyId,
        user: Option<UserId>,
        bytes: &[u8],
    ) -> Result<MessageMedia> {
        let content_type = sniff_content_type(bytes);
        let file = self
            .media()
            .store_file(company, user, MediaKind::Message, content_type, bytes)
            .await?;
        Ok(MessageMedia {
            media_id: file.id,
            content_type: content_type.to_owned(),
            size: bytes.len() as i64,
        })
    }
}

/// 400 naming the recipients that opted out, if any.
fn refuse_opted_out(opted_out: Vec<String>) -> Result<()> {
    if opted_out.is_empty() {
        return Ok(());
    }
    Err(DomainError::invalid(format!(
        "{} opted out of the company's text messages (replied STOP); nothing was sent",
        opted_out.join(", ")
    )))
}

/// A target kind as a message names it.
fn kind_name(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::CallCenter => "call center",
        TargetKind::CallRouter => "call router",
        other => other.as_str(),
    }
}
