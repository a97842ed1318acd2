//! Handlers, one file per resource. Each reads the wire input, calls one use case, renders.

mod accesscontrol;
mod active_call;
mod ai_operators;
mod app_settings;
mod blockednumbers;
mod call_actions;
pub(crate) mod call_render;
mod call_routes;
mod call_transfer;
mod callbacks;
mod callcenter_status;
mod callcenters;
mod calllabels;
mod callrouters;
mod calls;
mod channels;
mod coachingteams;
mod company;
mod conference;
mod contacts;
mod customivrs;
mod departments;
mod faxline;
mod group_refs;
mod group_render;
mod group_wire;
mod numbers;
mod numbers_assign;
mod oauth2;
mod oauth2_page;
mod oauth2_token;
mod office_extras;
mod offices;
mod operations;
mod operators;
mod rooms;
mod schedulereports;
mod sharelinks;
mod sms;
pub(crate) mod sms_render;
mod smsoptout;
mod stats;
mod subscriptions;
mod transcripts;
mod userdevices;
mod users;
mod users_devices;
mod users_presence;
mod users_update;
mod webhooks;
mod websockets;

pub(crate) use oauth2::routes as oauth_routes;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post};
use axum::Router;
use switchboard_domain::Core;

pub(crate) use operations::OPERATIONS;

pub(crate) fn routes() -> Router<Core> {
    Router::new()
        .route("/company", get(company::get))
        .route("/offices", get(offices::list).post(offices::create))
        .route("/offices/{id}", get(offices::get))
        .route(
            "/offices/{id}/e911",
            get(offices::e911).put(offices::set_e911),
        )
        .merge(number_routes())
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", get(users::get).delete(users::delete))
        .merge(group_routes())
        .merge(user_routes())
        .merge(router_and_office_routes())
        .merge(room_routes())
        .merge(contact_routes())
        .merge(call_routes::call_routes())
        .merge(call_routes::call_action_routes())
        .merge(sms_routes())
        .merge(stats::routes())
        .merge(event_routes())
        .route("/app/settings", get(app_settings::get))
}

/// Text messages and the company's opt-out list.
fn sms_routes() -> Router<Core> {
    Router::new()
        .route("/sms", post(sms::send))
        // Beyond the document: a message's attachment (the `mms_url` of SMS events).
        .route("/sms/{id}/media", get(sms::media_file))
        .route("/company/{id}/smsoptout", get(smsoptout::list))
}

/// Webhooks, websockets (and the websocket clients connect to) and event subscriptions of
/// every type (`{kind}`: call, sms, agent_status, contact, changelog).
fn event_routes() -> Router<Core> {
    Router::new()
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/webhooks/{id}",
            get(webhooks::get)
                .patch(webhooks::update)
                .delete(webhooks::delete),
        )
        .route(
            "/websockets",
            get(websockets::list).post(websockets::create),
        )
        .route(
            "/websockets/{id}",
            get(websockets::get)
                .patch(websockets::update)
                .delete(websockets::delete),
        )
        .route(
            "/websockets/events/{token}",
            get(crate::events::socket::connect),
        )
        .route(
            "/subscriptions/{kind}",
            get(subscriptions::list).post(subscriptions::create),
        )
        .route(
            "/subscriptions/{kind}/{id}",
            get(subscriptions::get)
                .patch(subscriptions::update)
                .delete(subscriptions::delete),
        )
}

/// Call routers, and what an office has beyond its record (plan, licences, off-duty statuses,
/// main-line operators). The vendor's `{office_id}` is `{id}` here: one name per position.
fn router_and_office_routes() -> Router<Core> {
    Router::new()
        .route(
            "/callrouters",
            get(callrouters::list).post(callrouters::create),
        )
        .route(
            "/callrouters/{id}",
            get(callrouters::get)
                .patch(callrouters::update)
                .delete(callrouters::delete),
        )
        .route("/offices/{id}/plan", get(office_extras::plan))
        .route(
            "/offices/{id}/available_licenses",
            get(office_extras::available_licenses),
        )
        .route(
            "/offices/{id}/offdutystatuses",
            get(office_extras::off_duty_statuses),
        )
        .route(
            "/offices/{id}/operators",
            get(office_extras::operators)
                .post(office_extras::add_operator)
                .delete(office_extras::remove_operator),
        )
}

/// The company's numbers and their assignment.
fn number_routes() -> Router<Core> {
    Router::new()
        .route("/numbers", get(numbers::list))
        .route("/numbers/format", post(numbers::format))
        .route("/numbers/assign", post(numbers_assign::assign_any))
        .route("/numbers/swap", post(numbers_assign::swap))
        .route("/faxline", post(faxline::create))
        .route(
            "/rooms/{id}/assign_number",
            post(numbers_assign::room_assign),
        )
        .route(
            "/rooms/{id}/unassign_number",
            post(numbers_assign::room_unassign),
        )
        .route(
            "/callrouters/{id}/assign_number",
            post(numbers_assign::router_assign),
        )
        .route(
            "/numbers/{number}",
            get(numbers::get).delete(numbers::delete),
        )
        .route(
            "/numbers/{number}/assign",
            post(numbers_assign::assign_this),
        )
        .route(
            "/users/{id}/assign_number",
            post(numbers_assign::user_assign),
        )
        .route(
            "/users/{id}/unassign_number",
            post(numbers_assign::user_unassign),
        )
        .route(
            "/offices/{id}/assign_number",
            post(numbers_assign::office_assign),
        )
        .route(
            "/offices/{id}/unassign_number",
            post(numbers_assign::office_unassign),
        )
}

/// Contacts, blocked numbers, access-control policies, custom IVRs and call labels.
fn contact_routes() -> Router<Core> {
    Router::new()
        .route(
            "/contacts",
            get(contacts::list)
                .post(contacts::create)
                .put(contacts::put),
        )
        .route(
            "/contacts/{id}",
            get(contacts::get)
                .patch(contacts::update)
                .delete(contacts::delete),
        )
        .route("/blockednumbers", get(blockednumbers::list))
        .route("/blockednumbers/add", post(blockednumbers::add))
        .route("/blockednumbers/remove", post(blockednumbers::remove))
        .route("/blockednumbers/{id}", get(blockednumbers::get))
        .route(
            "/accesscontrolpolicies",
            get(accesscontrol::list).post(accesscontrol::create),
        )
        .route(
            "/accesscontrolpolicies/{id}",
            get(accesscontrol::get)
                .patch(accesscontrol::update)
                .delete(accesscontrol::delete),
        )
        .route(
            "/accesscontrolpolicies/{id}/assign",
            post(accesscontrol::assign),
        )
        .route(
            "/accesscontrolpolicies/{id}/unassign",
            post(accesscontrol::unassign),
        )
        .route(
            "/accesscontrolpolicies/{id}/assignments",
            get(accesscontrol::list_assignments),
        )
        .route(
            "/customivrs",
            get(customivrs::list)
                .post(customivrs::create)
                .layer(DefaultBodyLimit::max(customivrs::CREATE_BODY_LIMIT)),
        )
        .route("/customivrs/{id}", patch(customivrs::update))
        .route(
            "/customivrs/{id}/{target}/{kind}",
            patch(customivrs::select).delete(customivrs::delete),
        )
        // Beyond the document: the audio behind an IVR's signed link.
        .route("/media/{id}", get(customivrs::audio))
        .route("/calllabels", get(calllabels::list))
}

/// Call centers, departments and their operators. Path parameters are named by position
/// (`{id}`, `{user}`) so that the router accepts the vendor's differently named segments.
fn group_routes() -> Router<Core> {
    Router::new()
        .route(
            "/callcenters",
            get(callcenters::list).post(callcenters::create),
        )
        .route(
            "/callcenters/{id}",
            get(callcenters::get)
                .patch(callcenters::update)
                .delete(callcenters::delete),
        )
        .route(
            "/offices/{id}/callcenters",
            get(callcenters::list_in_office),
        )
        .route(
            "/callcenters/{id}/operators",
            get(operators::callcenter_list)
                .post(operators::callcenter_add)
                .delete(operators::callcenter_remove),
        )
        .route(
            "/callcenters/{id}/operators/{user}/skill",
            get(operators::skill_get).patch(operators::skill_set),
        )
        .route(
            "/callcenters/operators/{id}/dutystatus",
            get(operators::duty_get).patch(operators::duty_set),
        )
        .route(
            "/departments",
            get(departments::list).post(departments::create),
        )
        .route(
            "/departments/{id}",
            get(departments::get)
                .patch(departments::update)
                .delete(departments::delete),
        )
        .route(
            "/offices/{id}/departments",
            get(departments::list_in_office),
        )
        .route(
            "/departments/{id}/operators",
            get(operators::department_list)
                .post(operators::department_add)
                .delete(operators::department_remove),
        )
}

/// The users' own operations beyond list, get, create and delete.
fn user_routes() -> Router<Core> {
    Router::new()
        .route("/users/{id}", patch(users_update::update))
        .route("/users/{id}/move_office", patch(users_update::move_office))
        .route("/users/{id}/status", patch(users_presence::set_status))
        .route("/users/{id}/togglednd", patch(users_presence::toggle_dnd))
        .route(
            "/users/{id}/caller_id",
            get(users_devices::get_caller_id).post(users_devices::set_caller_id),
        )
        .route(
            "/users/{id}/e911",
            get(users_devices::get_e911).put(users_devices::set_e911),
        )
        .route("/users/{id}/personas", get(users_devices::none_yet))
        // The vendor's `{parent_id}` is `{id}` here: one name per path position.
        .route("/users/{id}/deskphones", get(users_devices::none_yet))
        .route(
            "/users/{id}/deskphones/{phone}",
            get(users_devices::deskphone).delete(users_devices::delete_deskphone),
        )
}

/// Rooms and their desk phones, user devices, coaching teams, channels and conferences.
fn room_routes() -> Router<Core> {
    Router::new()
        .route("/rooms", get(rooms::list).post(rooms::create))
        .route("/rooms/international_pin", post(rooms::international_pin))
        .route(
            "/rooms/{id}",
            get(rooms::get).patch(rooms::update).delete(rooms::delete),
        )
        // The vendor's `{parent_id}` is `{id}` here: one name per path position.
        .route("/rooms/{id}/deskphones", get(rooms::deskphones))
        .route(
            "/rooms/{id}/deskphones/{phone}",
            get(rooms::deskphone).delete(rooms::delete_deskphone),
        )
        .route("/userdevices", get(userdevices::list))
        .route("/userdevices/{id}", get(userdevices::get))
        .route("/coachingteams", get(coachingteams::list))
        .route("/coachingteams/{id}", get(coachingteams::get))
        .route(
            "/coachingteams/{id}/members",
            get(coachingteams::members).post(coachingteams::add_member),
        )
        .route("/offices/{id}/teams", get(coachingteams::list_in_office))
        .route("/channels", get(channels::list).post(channels::create))
        .route(
            "/channels/{id}",
            get(channels::get).delete(channels::delete),
        )
        .route(
            "/channels/{id}/members",
            get(channels::members)
                .post(channels::add_member)
                .delete(channels::remove_member),
        )
        .route("/conference/rooms", get(conference::rooms))
        .route("/conference/meetings", get(conference::meetings))
}
