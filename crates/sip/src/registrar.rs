//! The registrar (RFC 3261 §10): phones `REGISTER` with digest authentication (RFC 8760 MD5 or
//! SHA-256, as the phone answers the challenge) against the SIP accounts of the domain; each
//! binding becomes one of the user's devices until it lapses or the phone removes it.
//!
//! Answers: no or stale credentials get 401 with a fresh challenge; credentials that do not
//! match get 403 (logged with the username, never the password or the digest); an expiry
//! shorter than [`MIN_EXPIRES`] gets 423 with `Min-Expires`; longer than [`MAX_EXPIRES`] is
//! shortened; a malformed `Contact` or `Expires` gets 400; `Contact: *` removes every phone of
//! the account (only with expiry 0); a request without `Contact` lists the bindings. A 200
//! lists every current binding with its remaining time.

use rsipstack::dialog::authenticate::verify_digest;
use rsipstack::sip::headers::{Contact, MinExpires};
use rsipstack::sip::typed;
use rsipstack::sip::uri::Scheme;
use rsipstack::sip::{Header, HeadersExt, Method, Param, StatusCode};
use rsipstack::transaction::transaction::Transaction;
use switchboard_domain::telephony::device::{Registration, SipAccount};
use switchboard_domain::telephony::RegisterRefusal;
use switchboard_domain::Core;

use crate::nonce::{Asker, Nonces};

/// The shortest registration accepted (seconds).
pub const MIN_EXPIRES: u32 = 60;
/// The longest registration granted (seconds); longer requests are shortened to this.
pub const MAX_EXPIRES: u32 = 3600;
/// What a contact without an expiry of its own gets.
const DEFAULT_EXPIRES: u32 = 3600;

/// The registrar of one SIP domain.
pub(crate) struct Registrar {
    pub(crate) core: Core,
    pub(crate) realm: String,
    pub(crate) nonces: Nonces,
}

/// A registrar's answer: a status and the headers that go with it.
struct Answer(StatusCode, Vec<Header>);

impl Answer {
    fn status(code: StatusCode) -> Self {
        Self(code, Vec::new())
    }
}

impl Registrar {
    /// Answers one `REGISTER`.
    pub(crate) async fn handle(&self, tx: &mut Transaction) {
        let Answer(status, headers) = match self.answer(tx).await {
            Ok(answer) => answer,
            Err(error) => {
                tracing::error!(error = %error, "a SIP registration failed");
                Answer::status(StatusCode::ServerInternalError)
            }
        };
        if let Err(e) = tx.reply_with(status, headers, None).await {
            tracing::warn!(error = %e, "a SIP response could not be sent");
        }
    }

    async fn answer(&self, tx: &Transaction) -> switchboard_domain::Result<Answer> {
        let request = &tx.original;
        let Some(raw) = request.authorization_header().map(|h| h.value().to_owned()) else {
            return Ok(self.challenge(false));
        };
        let Ok(auth) = typed::Authorization::parse(&raw) else {
            return Ok(Answer::status(StatusCode::BadRequest));
        };
        if auth.realm != self.realm {
            return Ok(self.challenge(false));
        }
        if !self.nonces.is_fresh(&auth.nonce) {
            return Ok(self.challenge(true));
        }
        let telephony = self.core.telephony();
        let account = match telephony.sip_account(&auth.username).await? {
            Some((account, password))
                if verify_digest(&auth, &password, &Method::Register, &raw) =>
            {
                account
            }
            _ => {
                tracing::info!(username = %auth.username, "SIP REGISTER refused: wrong credentials");
                return Ok(Answer::status(StatusCode::Forbidden));
            }
        };

        let Ok(contacts) = request.typed_contact_headers() else {
            return Ok(Answer::status(StatusCode::BadRequest));
        };
        let header_expires = match request.expires_header() {
            Some(h) => match h.value().trim().parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => return Ok(Answer::status(StatusCode::BadRequest)),
            },
            None => None,
        };
        let user_agent = request.user_agent_header().map(|h| h.value().to_owned());

        let wildcard = contacts
            .iter()
            .any(|c| matches!(&c.uri.scheme, Some(Scheme::Other(s)) if s == "*"));
        if wildcard {
            // RFC 3261 §10.3 step 6: `*` alone, and only to remove.
            if contacts.len() != 1 || header_expires != Some(0) {
                return Ok(Answer::status(StatusCode::BadRequest));
            }
            telephony.unregister_sip_all(&account).await?;
            return self.bindings(&account).await;
        }

        let mut registrations = Vec::with_capacity(contacts.len());
        for contact in contacts {
            let expires = contact
                .expires()
                .or(header_expires)
                .unwrap_or(DEFAULT_EXPIRES);
            if expires != 0 && expires < MIN_EXPIRES {
                return Ok(Answer(
                    StatusCode::IntervalTooBrief,
                    vec![Header::MinExpires(MinExpires::new(MIN_EXPIRES.to_string()))],
                ));
            }
            registrations.push(Registration {
                key: instance(&contact).unwrap_or_else(|| contact.uri.to_string()),
                contact: contact.uri.to_string(),
                expires: expires.min(MAX_EXPIRES),
                kind: kind_of_user_agent(user_agent.as_deref()).to_owned(),
                user_agent: user_agent.clone(),
            });
        }
        if let Err(RegisterRefusal::TooManyPhones) =
            telephony.register_sip(&account, registrations).await?
        {
            return Ok(Answer::status(StatusCode::Forbidden));
        }
        self.bindings(&account).await
    }

    /// 200 listing the account's bindings with their remaining time.
    async fn bindings(&self, account: &SipAccount) -> switchboard_domain::Result<Answer> {
        let bindings = self.core.telephony().sip_bindings(account).await?;
        let headers = bindings
            .into_iter()
            .map(|(binding, left)| {
                Header::Contact(Contact::new(format!(
                    "<{}>;expires={left}",
                    binding.contact
                )))
            })
            .collect();
        Ok(Answer(StatusCode::OK, headers))
    }

    /// 401 with a fresh nonce (`stale`: the old one only aged; the password was right).
    fn challenge(&self, stale: bool) -> Answer {
        let (status, header) = self.nonces.challenge(Asker::Registrar, &self.realm, stale);
        Answer(status, vec![header])
    }
}

/// The phone's instance id (`+sip.instance`, RFC 5626), which stays the same when its address
/// changes.
fn instance(contact: &typed::Contact) -> Option<String> {
    contact.params.iter().find_map(|p| match p {
        Param::Other(name, Some(value))
            if name.to_string().eq_ignore_ascii_case("+sip.instance") =>
        {
            Some(value.to_string().trim_matches('"').to_owned())
        }
        _ => None,
    })
}

/// The device type Dialpad's `/userdevices` shows for a phone, by its `User-Agent` (`native` for
/// any other softphone).
fn kind_of_user_agent(user_agent: Option<&str>) -> &'static str {
    let agent = user_agent.unwrap_or_default().to_ascii_lowercase();
    [
        ("yealink", "yealink"),
        ("polycom", "polycom"),
        ("poly/", "polycom"),
        ("grandstream", "grandstream"),
        ("cisco", "ciscompp"),
        ("obihai", "obi"),
        ("mitel", "mitel"),
        ("audiocodes", "audiocodes"),
    ]
    .into_iter()
    .find(|(name, _)| agent.contains(name))
    .map_or("native", |(_, kind)| kind)
}
