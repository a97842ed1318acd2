"""The official python-dialpad client against Switchboard: webhooks, websockets and the five
kinds of event subscription, every method of each resource.

Run by scripts/sdk-tests, which starts a server and sets SB_* (see sdk.py).
"""

import os

from sdk import client, error_of, new_user, status_of

HOOK = "https://hooks.example.com/dialpad"


def test_webhooks_every_method():
    dp = client()
    made = dp.webhooks.create({"hook_url": HOOK, "secret": "a-shared-secret"})
    assert made["hook_url"] == HOOK
    assert made["signature"] == {"algo": "HS256", "type": "jwt"}
    assert dp.webhooks.get(made["id"])["id"] == made["id"]
    assert any(w["id"] == made["id"] for w in dp.webhooks.list())
    moved = dp.webhooks.partial_update(str(made["id"]), {"hook_url": HOOK + "/v2"})
    assert moved["hook_url"] == HOOK + "/v2"
    assert dp.webhooks.delete(made["id"])["id"] == made["id"]
    assert status_of(lambda: dp.webhooks.get(made["id"])) == 404
    code, body = error_of(lambda: dp.webhooks.create({"hook_url": "ftp://example.com"}))
    assert code == 400 and "http" in body["error"]["message"]


def test_websockets_every_method():
    dp = client()
    made = dp.websockets.create({"secret": "socket-secret"})
    assert made["websocket_url"].startswith("ws://")
    assert "/api/v2/websockets/events/" in made["websocket_url"]
    assert dp.websockets.get(made["id"])["id"] == made["id"]
    assert any(w["id"] == made["id"] for w in dp.websockets.list())
    assert dp.websockets.partial_update(made["id"], {"secret": ""})["id"] == made["id"]
    assert dp.websockets.delete(made["id"])["id"] == made["id"]
    assert status_of(lambda: dp.websockets.get(made["id"])) == 404


def test_call_and_sms_subscriptions_every_method():
    dp = client()
    hook = dp.webhooks.create({"hook_url": HOOK})["id"]
    user = new_user("subscriber")["id"]
    call = dp.call_event_subscriptions.create(
        {"endpoint_id": hook, "call_states": ["ringing", "hangup"], "target_type": "user", "target_id": int(user)}
    )
    assert call["webhook"]["id"] == hook and call["call_states"] == ["ringing", "hangup"]
    assert dp.call_event_subscriptions.get(call["id"])["target_type"] == "user"
    listed = list(dp.call_event_subscriptions.list(target_type="user", target_id=int(user)))
    assert [s["id"] for s in listed] == [call["id"]]
    changed = dp.call_event_subscriptions.partial_update(call["id"], {"enabled": False, "group_calls_only": True})
    assert changed["enabled"] is False and changed["group_calls_only"] is True
    assert dp.call_event_subscriptions.delete(call["id"])["id"] == call["id"]
    assert status_of(lambda: dp.call_event_subscriptions.get(call["id"])) == 404
    assert status_of(lambda: dp.call_event_subscriptions.create({"endpoint_id": hook, "call_states": ["nope"]})) == 400

    sms = dp.sms_event_subscriptions.create({"endpoint_id": hook, "direction": "inbound", "status": True})
    assert sms["direction"] == "inbound" and sms["status"] is True
    assert dp.sms_event_subscriptions.get(sms["id"])["id"] == sms["id"]
    assert any(s["id"] == sms["id"] for s in dp.sms_event_subscriptions.list())
    assert dp.sms_event_subscriptions.partial_update(sms["id"], {"direction": "all"})["direction"] == "all"
    assert dp.sms_event_subscriptions.delete(sms["id"])["id"] == sms["id"]
    assert status_of(lambda: dp.sms_event_subscriptions.create({"endpoint_id": hook})) == 400


def test_company_wide_subscriptions_every_method():
    dp = client()
    socket = dp.websockets.create({})["id"]
    agent = dp.agent_status_event_subscriptions.create({"endpoint_id": socket, "agent_type": "callcenter"})
    assert agent["websocket"]["id"] == socket and agent["agent_type"] == "callcenter"
    assert dp.agent_status_event_subscriptions.get(agent["id"])["id"] == agent["id"]
    assert any(s["id"] == agent["id"] for s in dp.agent_status_event_subscriptions.list())
    assert dp.agent_status_event_subscriptions.partial_update(agent["id"], {"enabled": False})["enabled"] is False
    assert dp.agent_status_event_subscriptions.delete(agent["id"])["id"] == agent["id"]

    contact = dp.contact_event_subscriptions.create({"endpoint_id": socket, "contact_type": "shared"})
    assert contact["contact_type"] == "shared"
    assert dp.contact_event_subscriptions.get(contact["id"])["id"] == contact["id"]
    assert any(s["id"] == contact["id"] for s in dp.contact_event_subscriptions.list())
    assert dp.contact_event_subscriptions.partial_update(contact["id"], {"contact_type": "local"})["contact_type"] == "local"
    assert dp.contact_event_subscriptions.delete(contact["id"])["id"] == contact["id"]

    log = dp.changelog_event_subscriptions.create({"endpoint_id": socket})
    assert dp.changelog_event_subscriptions.get(log["id"])["id"] == log["id"]
    assert any(s["id"] == log["id"] for s in dp.changelog_event_subscriptions.list())
    assert dp.changelog_event_subscriptions.partial_update(log["id"], {"enabled": False})["enabled"] is False
    assert dp.changelog_event_subscriptions.delete(log["id"])["id"] == log["id"]


def test_another_companys_endpoints_and_subscriptions_are_missing():
    theirs = client(os.environ["SB_OTHER_KEY"]).webhooks.create({"hook_url": HOOK})["id"]
    dp = client()
    assert status_of(lambda: dp.webhooks.get(theirs)) == 404
    assert status_of(lambda: dp.changelog_event_subscriptions.create({"endpoint_id": theirs})) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).webhooks.list().__next__()) == 403
