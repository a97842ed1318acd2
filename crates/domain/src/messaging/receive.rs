//! What the network reports: delivery statuses of outbound messages and texts that arrive for
//! the company's numbers (a stop or start keyword changes the opt-out list in the same
//! transaction); the opt-out list and the message lists.

use crate::ids::{CompanyId, Id, MessageId};
use crate::messaging::model::{
    check_content, keyword, Change, Direction, Message, MessageMedia, OptOut, OptOutState, Party,
    Status,
};
use crate::messaging::service::record_event;
use crate::messaging::Messaging;
use crate::page::{KeysetPaged, PageRequest};
use crate::phone::E164;
use crate::telephony::driver::SmsReport;
use crate::telephony::keyset::Opened;
use crate::{DomainError, Result};

/// A text that an outside number sends to one of the company's numbers.
#[derive(Debug, Clone, Default)]
pub struct InboundSms {
    pub from: String,
    pub to: String,
    pub text: String,
    pub media: Option<Vec<u8>>,
}

/// Most reports applied after one request (a guard against a network that never stops).
const MAX_REPORTS: usize = 10_000;

impl Messaging<'_> {
    /// A text arrives from the network for one of the company's numbers (the simulator's
    /// `inbound_sms`): recorded for the number's user, office, call center or department.
    /// A number the company does not have is not found; one assigned to nothing that takes
    /// texts is 400.
    pub async fn receive(&self, company: CompanyId, sms: InboundSms) -> Result<Message> {
        check_content(&sms.text, sms.media.as_deref())?;
        let from = parse("from", &sms.from)?;
        let to = parse("to", &sms.to)?;
        // Checked before the attachment is stored, so that a refused text leaves nothing.
        self.receiving_party(company, to.as_str()).await?;
        let media = match &sms.media {
            Some(bytes) => Some(self.store_media(company, None, bytes).await?),
            None => None,
        };
        let message = self
            .record_inbound(company, from.as_str(), to.as_str(), sms.text, media)
            .await?;
        self.drain_reports().await?;
        Ok(message)
    }

    /// Applies what the network reports. A status for a message that is not outbound, or that
    /// would move it backwards or past a final status, changes nothing.
    pub async fn network_report(&self, report: SmsReport) -> Result<()> {
        match report {
            SmsReport::Status {
                company,
                message,
                status,
                result,
            } => self.status_changed(company, message, status, result).await,
            SmsReport::Inbound {
                company,
                from,
                to,
                text,
                media,
            } => {
                self.record_inbound(company, &from, &to, text, media)
                    .await?;
                Ok(())
            }
        }
    }

    /// Applies the reports the network has made so far (the simulator's, made while it
    /// handled a message).
    pub(crate) async fn drain_reports(&self) -> Result<()> {
        let mut applied = 0;
        loop {
            let reports = self.driver.take_sms_reports();
            if reports.is_empty() {
                return Ok(());
            }
            for report in reports {
                applied += 1;
                if applied > MAX_REPORTS {
                    return Err(DomainError::internal("SMS reports do not settle"));
                }
                match self.network_report(report).await {
                    // A report about something gone (or never taken) changes nothing.
                    Ok(()) | Err(DomainError::NotFound(_) | DomainError::Invalid(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }

    async fn status_changed(
        &self,
        company: CompanyId,
        id: MessageId,
        status: Status,
        result: Option<crate::messaging::DeliveryResult>,
    ) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let mut message = tx
            .message_for_update(company, id)
            .await?
            .ok_or(DomainError::NotFound("message"))?;
        if message.direction != Direction::Outbound || !message.status.may_become(status) {
            return Ok(());
        }
        let now = self.clock.now();
        message.status = status;
        message.delivery_result = result.or(message.delivery_result);
        message.updated_at = now;
        tx.update_message_status(&message).await?;
        record_event(tx.as_mut(), &message, Change::Status, now).await?;
        tx.commit().await
    }

    /// Records a text that arrived for `to` (a number of the company) with its event; a
    /// keyword from an outside number changes its opt-out entry.
    async fn record_inbound(
        &self,
        company: CompanyId,
        from: &str,
        to: &str,
        text: String,
        media: Option<MessageMedia>,
    ) -> Result<Message> {
        let party = self.receiving_party(company, to).await?;
        let is_internal = self.store.number(company, from).await?.is_some();
        let now = self.clock.now();
        let message = Message {
            id: MessageId::generate(),
            company_id: company,
            direction: Direction::Inbound,
            party,
            sender_user: None,
            from_number: from.to_owned(),
            to_numbers: vec![to.to_owned()],
            text,
            media,
            status: Status::Delivered,
            delivery_result: None,
            is_internal,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_message(&message).await?;
        record_event(tx.as_mut(), &message, Change::Created, now).await?;
        if let Some((state, word)) = keyword(&message.text).filter(|_| !is_internal) {
            let entry = OptOut {
                company_id: company,
                number: from.to_owned(),
                state,
                keyword: word,
                changed_at: now,
            };
            tx.put_opt_out(&entry).await?;
        }
        tx.commit().await?;
        Ok(message)
    }

    /// Who receives texts to `to`: the user, office, call center or department it is
    /// assigned to.
    async fn receiving_party(&self, company: CompanyId, to: &str) -> Result<Party> {
        let number = self
            .store
            .number(company, to)
            .await?
            .ok_or(DomainError::NotFound("number"))?;
        let target = number.target.filter(|_| !number.fax).ok_or_else(|| {
            DomainError::invalid(format!("{to} takes no texts: it is not assigned"))
        })?;
        Ok(self.party(company, target).await?.0)
    }

    /// The company's opt-out entries in one state, a page at a time in number order.
    pub async fn opt_outs(
        &self,
        company: CompanyId,
        state: OptOutState,
        req: &PageRequest,
    ) -> Result<KeysetPaged<OptOut>> {
        let scope = format!("messaging.opt_outs:{}:{}", company.0, state.as_str());
        let t = self.telephony();
        let opened = Opened::<String>::new(&t, scope, req).await?;
        let found = self
            .store
            .opt_outs_page(company, state, opened.page())
            .await?;
        Ok(opened.finish(found, |o| o.number.clone()))
    }

    /// The company's messages of one direction, a page at a time in the order they were
    /// recorded (the simulator's view of what went over the network).
    pub async fn messages(
        &self,
        company: CompanyId,
        direction: Direction,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Message>> {
        let scope = format!("messaging.messages:{}:{}", company.0, direction.as_str());
        let t = self.telephony();
        let opened = Opened::<(i64, i64)>::new(&t, scope, req).await?;
        let found = self
            .store
            .messages_page(company, direction, opened.page())
            .await?;
        Ok(opened.finish(found, |m| (m.created_at.as_millisecond(), m.id.0)))
    }

    /// One of the company's messages.
    pub async fn message(&self, company: CompanyId, id: MessageId) -> Result<Message> {
        self.store
            .message(company, id)
            .await?
            .ok_or(DomainError::NotFound("message"))
    }

    /// A message's attachment: its content type and bytes.
    pub async fn message_media(
        &self,
        company: CompanyId,
        id: MessageId,
    ) -> Result<(String, Vec<u8>)> {
        let media = self
            .message(company, id)
            .await?
            .media
            .ok_or(DomainError::NotFound("media"))?;
        let files = self
            .files
            .clone()
            .ok_or_else(|| DomainError::internal("no file storage configured"))?;
        let bytes = files
            .get(media.media_id)
            .await?
            .ok_or(DomainError::NotFound("media"))?;
        Ok((media.content_type, bytes))
    }

    /// Marks an outside number unreachable on the simulated network (or reachable again):
    /// the company's messages to it fail.
    pub async fn set_sim_unreachable(
        &self,
        company: CompanyId,
        number: &str,
        unreachable: bool,
    ) -> Result<String> {
        let n = parse("number", number)?;
        let mut tx = self.store.begin().await?;
        tx.set_sim_unreachable(company, n.as_str(), unreachable)
            .await?;
        tx.commit().await?;
        Ok(n.as_str().to_owned())
    }
}

fn parse(field: &str, raw: &str) -> Result<E164> {
    crate::telephony::e164_only(raw)
        .map_err(|_| DomainError::invalid(format!("{field} '{raw}' is not an E.164 number")))
}
