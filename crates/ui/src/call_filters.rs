//! The calls list's filters: days in the viewer's time zone, ended calls only, direction,
//! state, target and the outside party's number. Read from the query string into the
//! domain's `CallFilter`; a bad value is shown back beside its field (400) and nothing is
//! listed.

use jiff::civil::Date;
use maud::{html, Markup};
use serde::Deserialize;
use switchboard_domain::calls::leg::{CallFilter, CallState, Direction, Party, PartyKind};
use switchboard_domain::ids::CompanyId;
use switchboard_domain::phone::E164;
use switchboard_domain::telephony::group::{GroupFilter, GroupKind};
use switchboard_domain::Core;

use crate::error::UiError;
use crate::session::Signed;
use crate::MOUNT;

/// States offered by the state filter, in the order a call moves through them.
const STATES: [CallState; 9] = [
    CallState::Calling,
    CallState::Ringing,
    CallState::Queued,
    CallState::Connected,
    CallState::Hold,
    CallState::Blocked,
    CallState::Missed,
    CallState::Voicemail,
    CallState::Hangup,
];

/// The filter fields as the form sends them.
#[derive(Deserialize, Default)]
pub(crate) struct Fields {
    /// First day shown (in the viewer's time zone), `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day shown (in the viewer's time zone), `YYYY-MM-DD`.
    pub to: Option<String>,
    /// `on`: only calls that have ended.
    pub ended: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: Option<String>,
    /// A call state, such as `missed`.
    pub state: Option<String>,
    /// `kind:id`, such as `call_center:12`.
    pub target: Option<String>,
    /// The outside party's number, in any form a phone number is written.
    pub number: Option<String>,
    pub cursor: Option<String>,
}

fn text(raw: &Option<String>) -> &str {
    raw.as_deref().map_or("", str::trim)
}

impl Fields {
    /// The query string of these filters (without the cursor), for links to other pages.
    pub(crate) fn query(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("from", text(&self.from)),
            ("to", text(&self.to)),
            ("ended", text(&self.ended)),
            ("direction", text(&self.direction)),
            ("state", text(&self.state)),
            ("target", text(&self.target)),
            ("number", text(&self.number)),
        ]
    }

    /// The domain's filter, or each bad field with its reason.
    pub(crate) fn filter(
        &self,
        signed: &Signed,
    ) -> Result<CallFilter, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let mut day = |field: &'static str, label: &str, raw: &Option<String>| match text(raw) {
            "" => None,
            t => t.parse::<Date>().map_or_else(
                |_| {
                    errors.push((field, format!("{label} must be a date (YYYY-MM-DD).")));
                    None
                },
                Some,
            ),
        };
        let (from, to) = (day("from", "From", &self.from), day("to", "To", &self.to));
        let zone = signed.zone();
        let start_of = |d: Date| d.to_zoned(zone.clone()).ok().map(|z| z.timestamp());
        let mut filter = CallFilter {
            started_after: from.and_then(start_of),
            started_before: to.and_then(|d| d.tomorrow().ok()).and_then(start_of),
            concluded: text(&self.ended) == "on",
            ..CallFilter::default()
        };
        match text(&self.direction) {
            "" => {}
            d => match Direction::parse(d) {
                Some(d) => filter.direction = Some(d),
                None => errors.push(("direction", "Direction is inbound or outbound.".into())),
            },
        }
        match text(&self.state) {
            "" => {}
            s => match CallState::parse(s) {
                Some(s) => filter.state = Some(s),
                None => errors.push(("state", format!("'{s}' is not a call state."))),
            },
        }
        match text(&self.target) {
            "" => {}
            t => match parse_target(t) {
                Some(p) => filter.target = Some(p),
                None => errors.push((
                    "target",
                    "A target is a kind and an id, such as call_center:12.".into(),
                )),
            },
        }
        match text(&self.number) {
            "" => {}
            n => match E164::parse(n, None) {
                Ok(n) => filter.number = Some(n.as_str().to_owned()),
                Err(_) => errors.push((
                    "number",
                    format!("'{n}' is not a phone number (say +14155550123)."),
                )),
            },
        }
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }
}

/// `kind:id` (the kinds of `Party`, such as `callcenter` or `user`).
fn parse_target(raw: &str) -> Option<Party> {
    let (kind, id) = raw.split_once(':')?;
    Some(Party {
        kind: PartyKind::parse(kind.trim()).or_else(|| PartyKind::from_target_name(kind.trim()))?,
        id: id.trim().parse().ok().filter(|id: &i64| *id > 0)?,
    })
}

/// The filter form, with each field's error beside it. The target list offers the company's
/// first 100 call centers by name, and whatever target the URL names.
pub(crate) async fn form(
    core: &Core,
    company: CompanyId,
    signed: &Signed,
    fields: &Fields,
    errors: &[(&'static str, String)],
) -> Result<Markup, UiError> {
    let centers = core
        .telephony()
        .groups(
            company,
            &GroupFilter {
                kind: GroupKind::CallCenter,
                office_id: None,
                name_search: None,
            },
            &crate::page_from(None, 100),
        )
        .await?;
    let chosen_target = text(&fields.target);
    let mut targets: Vec<(String, String)> = centers
        .items
        .iter()
        .map(|g| {
            (
                format!("{}:{}", PartyKind::CallCenter.as_str(), g.id.0),
                format!("Call center {}", g.name),
            )
        })
        .collect();
    if !chosen_target.is_empty() && !targets.iter().any(|(v, _)| v == chosen_target) {
        targets.push((chosen_target.to_owned(), chosen_target.replace(':', " ")));
    }
    let error = |field: &str| errors.iter().find(|(f, _)| *f == field).map(|(_, e)| e);
    let field_error = |field: &str| {
        html! { @if let Some(e) = error(field) { p id=(format!("{field}-error")) class="error" role="alert" { (e) } } }
    };
    let described = |field: &str| error(field).map(|_| format!("{field}-error"));
    Ok(html! {
        form method="get" action=(format!("{MOUNT}/calls")) class="filters" {
            div {
                label for="from" { "From (day, " (signed.zone_name) ")" }
                input id="from" name="from" type="date" value=(text(&fields.from)) aria-describedby=[described("from")];
                (field_error("from"))
            }
            div {
                label for="to" { "To (day, " (signed.zone_name) ")" }
                input id="to" name="to" type="date" value=(text(&fields.to)) aria-describedby=[described("to")];
                (field_error("to"))
            }
            div {
                label for="direction" { "Direction" }
                select id="direction" name="direction" aria-describedby=[described("direction")] {
                    option value="" { "Any" }
                    @for d in ["inbound", "outbound"] {
                        option value=(d) selected[text(&fields.direction) == d] { (d) }
                    }
                }
                (field_error("direction"))
            }
            div {
                label for="state" { "State" }
                select id="state" name="state" aria-describedby=[described("state")] {
                    option value="" { "Any" }
                    @for s in STATES {
                        option value=(s.as_str()) selected[text(&fields.state) == s.as_str()] { (s.as_str()) }
                    }
                }
                (field_error("state"))
            }
            div {
                label for="target" { "Target" }
                select id="target" name="target" aria-describedby=[described("target")] {
                    option value="" { "Any" }
                    @for (value, name) in &targets {
                        option value=(value) selected[value == chosen_target] { (name) }
                    }
                }
                (field_error("target"))
            }
            div {
                label for="number" { "Outside number" }
                input id="number" name="number" type="tel" value=(text(&fields.number)) aria-describedby=[described("number")];
                (field_error("number"))
            }
            div {
                label { input type="checkbox" name="ended" checked[text(&fields.ended) == "on"]; " Only calls that have ended" }
            }
            p { button type="submit" { "Show" } }
        }
    })
}
