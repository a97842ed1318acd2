//! Charts of a day of the company's calls, in the viewer's time zone: calls per hour by
//! outcome, how long callers waited per hour (mean and longest), and calls per call center by
//! outcome; each with its numbers in a table for those who would rather read. Drawn as SVG
//! on the server (`svg.rs`) from the reporting context's day (`reporting::day`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;
use maud::{html, Markup};
use serde::Deserialize;
use switchboard_domain::reporting::day::{Day, OUTCOMES};
use switchboard_domain::Core;

use crate::callcenters::company_of;
use crate::error::UiError;
use crate::layout;
use crate::session::Signed;
use crate::svg::{self, Series};
use crate::MOUNT;

/// The outcomes' names and colours, in the order of `OUTCOMES` (colours told apart without
/// relying on red and green alone).
const SERIES: [Series; 5] = [
    Series {
        name: "answered",
        color: "#1747a6",
    },
    Series {
        name: "missed",
        color: "#c2410c",
    },
    Series {
        name: "voicemail",
        color: "#7c3aed",
    },
    Series {
        name: "blocked",
        color: "#4a5462",
    },
    Series {
        name: "in progress",
        color: "#0d9488",
    },
];

#[derive(Deserialize)]
pub(crate) struct DayQuery {
    /// `YYYY-MM-DD` in the viewer's time zone; today when missing.
    day: Option<String>,
}

/// `GET /ui/charts?day=`.
pub(crate) async fn show(
    State(core): State<Core>,
    signed: Signed,
    Query(params): Query<DayQuery>,
) -> Result<Response, UiError> {
    let company = company_of(&signed)?;
    let today = core.clock().now().to_zoned(signed.zone().clone()).date();
    let raw = params.day.as_deref().map(str::trim).unwrap_or_default();
    let date = if raw.is_empty() {
        today
    } else {
        match raw.parse::<Date>() {
            Ok(d) => d,
            Err(_) => {
                let error = "The day must be a date (YYYY-MM-DD).";
                let body = html! { h1 { "Charts" } (picker(raw, Some(error))) };
                let page = layout::page(&signed, "Charts", body).into_string();
                return Ok((StatusCode::BAD_REQUEST, Html(page)).into_response());
            }
        }
    };
    let day = core.reporting().day(company, date, signed.zone()).await?;
    let body = html! {
        h1 { "Charts of " (date) }
        (picker(&date.to_string(), None))
        p {
            @if let Ok(before) = date.yesterday() {
                a href=(format!("{MOUNT}/charts?day={before}")) { "Day before" }
            }
            " "
            @if date < today {
                @if let Ok(after) = date.tomorrow() {
                    a href=(format!("{MOUNT}/charts?day={after}")) { "Day after" }
                }
            }
        }
        (charts(&signed, &day))
    };
    Ok(Html(layout::page(&signed, "Charts", body).into_string()).into_response())
}

fn picker(value: &str, error: Option<&str>) -> Markup {
    html! {
        form method="get" action=(format!("{MOUNT}/charts")) class="filters" {
            div {
                label for="day" { "Day" }
                input id="day" name="day" type="date" value=(value) aria-describedby=[error.map(|_| "day-error")];
                @if let Some(e) = error { p id="day-error" class="error" role="alert" { (e) } }
            }
            p { button type="submit" { "Show" } }
        }
    }
}

fn charts(signed: &Signed, day: &Day) -> Markup {
    let hours: Vec<String> = day
        .hours
        .iter()
        .map(|h| {
            h.start
                .to_zoned(signed.zone().clone())
                .strftime("%H")
                .to_string()
        })
        .collect();
    let per_hour: Vec<Vec<f64>> = day
        .hours
        .iter()
        .map(|h| h.calls.iter().map(|c| *c as f64).collect())
        .collect();
    let total: u64 = day.hours.iter().flat_map(|h| h.calls).sum();
    let mean: Vec<f64> = day.hours.iter().map(|h| h.mean_wait_secs).collect();
    let longest: Vec<f64> = day.hours.iter().map(|h| h.max_wait_secs).collect();
    let centers: Vec<String> = day.centers.iter().map(|c| c.name.clone()).collect();
    let per_center: Vec<Vec<f64>> = day
        .centers
        .iter()
        .map(|c| c.calls.iter().map(|n| *n as f64).collect())
        .collect();
    html! {
        p data-field="total" { (total) @if total == 1 { " call." } @else { " calls." } }
        h2 id="per-hour" { "Calls per hour by outcome" }
        (svg::legend(&SERIES))
        (svg::stacked_columns("Calls per hour by outcome", &hours, &SERIES, &per_hour, "calls"))
        details {
            summary { "The numbers" }
            div.scroll { table {
                thead { tr { th { "Hour" } @for s in &SERIES { th { (s.name) } } } }
                tbody {
                    @for (label, h) in hours.iter().zip(&day.hours) {
                        @if h.calls.iter().any(|c| *c > 0) {
                            tr { td { (label) ":00" } @for c in h.calls { td { (c) } } }
                        }
                    }
                }
            } }
        }
        h2 id="waiting" { "How long callers waited" }
        ul.legend {
            li { span.swatch style="background:#1747a6" {} "mean wait" }
            li { span.swatch style="background:#c2410c" {} "longest wait" }
        }
        (svg::columns_with_marks("Mean and longest wait per hour, in seconds", &hours, &mean, &longest, "seconds"))
        details {
            summary { "The numbers" }
            div.scroll { table {
                thead { tr { th { "Hour" } th { "Calls that waited" } th { "Mean wait (s)" } th { "Longest wait (s)" } } }
                tbody {
                    @for (label, h) in hours.iter().zip(&day.hours) {
                        @if h.waited > 0 {
                            tr {
                                td { (label) ":00" }
                                td { (h.waited) }
                                td { (format!("{:.0}", h.mean_wait_secs)) }
                                td { (format!("{:.0}", h.max_wait_secs)) }
                            }
                        }
                    }
                }
            } }
        }
        h2 id="per-center" { "Calls per call center" }
        @if day.centers.is_empty() {
            p { "No call center had calls this day." }
        } @else {
            (svg::legend(&SERIES))
            (svg::stacked_rows("Calls per call center by outcome", &centers, &SERIES, &per_center))
            details {
                summary { "The numbers" }
                div.scroll { table {
                    thead { tr { th { "Call center" } @for s in &SERIES { th { (s.name) } } } }
                    tbody {
                        @for c in &day.centers {
                            tr data-center=(c.group_id.0) { td { (c.name) } @for n in c.calls { td { (n) } } }
                        }
                    }
                } }
            }
        }
    }
}

const _: () = assert!(OUTCOMES.len() == SERIES.len());
