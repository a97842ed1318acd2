//! The frame of every page: the document head (readable at phone width), the navigation for who
//! is signed in, the sign-out form, and the few styles the pages share.

use maud::{html, Markup, DOCTYPE};
use switchboard_domain::tenancy::account::Principal;

use crate::session::Signed;
use crate::MOUNT;

const STYLE: &str = "
:root { font-family: system-ui, sans-serif; line-height: 1.45; color: #1d2430; background: #f7f8fa; }
body { margin: 0; }
header { background: #1d2430; color: #fff; padding: .6rem 1rem; display: flex; flex-wrap: wrap;
  gap: .5rem 1.2rem; align-items: center; }
header a { color: #fff; }
header .who { margin-left: auto; }
header form { display: inline; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
a { color: #1747a6; }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #dde1e7; vertical-align: top; }
.scroll { overflow-x: auto; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; }
.before { background: #fdecec; } .after { background: #e7f6ea; }
.error { color: #a4161a; font-weight: 600; }
.notice { background: #e7f6ea; padding: .5rem .8rem; }
button, input, select { font: inherit; padding: .35rem .6rem; }
form.inline { display: inline; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .6rem; }
dl.figures div { background: #fff; border: 1px solid #dde1e7; padding: .5rem .7rem; }
dl.figures dt { font-size: .85rem; color: #4a5462; }
dl.figures dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
label { display: block; margin: .4rem 0 .2rem; }
form.filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; }
form.filters p { margin: .4rem 0; }
ol { margin: 0; padding-left: 1.2rem; }
svg.chart { width: 100%; height: auto; background: #fff; border: 1px solid #dde1e7; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: .3rem 0; }
.swatch { display: inline-block; width: .9rem; height: .9rem; margin-right: .35rem; vertical-align: -.1rem; }
details { margin: .4rem 0 1rem; }
td details { margin: 0; }
";

/// A page for someone signed in.
pub(crate) fn page(signed: &Signed, title: &str, body: Markup) -> Markup {
    let who = match &signed.principal {
        Principal::User(u) => format!("{} ({})", u.display_name(), u.email.as_str()),
        Principal::Company(c) => format!("{} (company key)", c.name),
        Principal::Partner(p) => format!("{} (partner key)", p.name),
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header {
                    strong { "Switchboard" }
                    nav aria-label="Sections" {
                        a href=(format!("{MOUNT}/agents")) { "AI agents" }
                        " "
                        a href=(format!("{MOUNT}/callcenters")) { "Call centers" }
                        " "
                        a href=(format!("{MOUNT}/calls")) { "Calls" }
                        " "
                        a href=(format!("{MOUNT}/charts")) { "Charts" }
                        " "
                        a href=(format!("{MOUNT}/clients")) { "Clients" }
                        " "
                        a href=(format!("{MOUNT}/webhooks")) { "Webhooks" }
                    }
                    span.who { (who) }
                    a href=(format!("{MOUNT}/settings")) { "Times in " (signed.zone_name) }
                    form method="post" action=(format!("{MOUNT}/logout")) {
                        input type="hidden" name="form_token" value=(signed.form_token);
                        button type="submit" { "Sign out" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page for nobody in particular (sign-in, errors).
pub(crate) fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header { strong { "Switchboard" } }
                main { (body) }
            }
        }
    }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Switchboard" }
            style { (maud::PreEscaped(STYLE)) }
        }
    }
}
