"""Text messages through the SDK: python-dialpad's `sms.send` from a user, a call center and
with media, and `company.get_sms_opt_out_list` after an outside number texts STOP and START
through the simulator's control API (/sim/v1, as a telephone network would)."""

import base64
import os
import random

import requests

from sdk import BASE, client, error_of, main_office, new_user, status_of

COMPANY_ID = os.environ["SB_COMPANY_ID"]
KEY = os.environ["SB_COMPANY_KEY"]


def sim(method, path, body=None):
    r = requests.request(method, f"{BASE}/sim/v1{path}", json=body, headers={"Authorization": f"Bearer {KEY}"})
    r.raise_for_status()
    return r.json()


def outside():
    """An outside number of its own for this test (the opt-out list is the company's)."""
    return f"+121255501{random.randint(0, 99):02d}"


def user_with_number():
    user = new_user("texter")
    number = client().users.assign_number(user["id"], {"area_code": "415"})["number"]
    return user["id"], number


def carried(message_id):
    """The simulator's view of an outbound message."""
    items, cursor = [], None
    while True:
        page = sim("GET", "/sms?direction=outbound" + (f"&cursor={cursor}" if cursor else ""))
        items += page["items"]
        cursor = page.get("cursor")
        if not cursor:
            return next(m for m in items if m["id"] == message_id)


def opt_outs(state):
    return [e["external_endpoint"] for e in client().company.get_sms_opt_out_list(COMPANY_ID, opt_out_state=state)]


def test_sms_send_from_a_user_a_call_center_and_with_media():
    user, number = user_with_number()
    to = outside()
    sent = client().sms.send({"user_id": user, "to_numbers": [to], "text": "Your order shipped"})
    assert sent["message_status"] == "pending" and sent["direction"] == "outbound"
    assert (sent["from_number"], sent["to_numbers"], sent["target_type"]) == (number, [to], "user")
    assert carried(sent["id"])["status"] == "delivered"

    cc = client().call_centers.create({"name": f"Texts {random.randint(0, 10**6)}", "office_id": main_office()})
    cc_number = client().numbers.auto_assign({"target_type": "callcenter", "target_id": cc["id"], "area_code": "415"})["number"]
    picture = base64.b64encode(b"GIF89a-a-picture").decode()
    sent = client().sms.send({"sender_group_id": cc["id"], "sender_group_type": "callcenter", "user_id": user,
                              "to_numbers": [to], "text": "See attached", "media": picture})
    assert (sent["from_number"], sent["target_type"], sent["target_id"], sent["user_id"]) == (
        cc_number, "callcenter", cc["id"], user)
    assert carried(sent["id"])["media"] == {"content_type": "image/gif", "size": 16}

    assert status_of(lambda: client().sms.send({"user_id": user, "to_numbers": ["555"], "text": "x"})) == 400
    other = client(os.environ["SB_OTHER_KEY"])
    assert status_of(lambda: other.sms.send({"user_id": user, "to_numbers": [to], "text": "x"})) == 404
    dept = client().departments.create({"name": f"No number {random.randint(0, 10**6)}", "office_id": main_office()})
    code, body = error_of(lambda: client().sms.send(
        {"sender_group_id": dept["id"], "sender_group_type": "department", "to_numbers": [to], "text": "x"}))
    assert code == 400 and "no number" in body["error"]["message"]


def test_stop_and_start_keep_the_opt_out_list():
    user, number = user_with_number()
    to = outside()
    sim("POST", "/inbound_sms", {"from": to, "to": number, "text": "STOP"})
    assert to in opt_outs("opted_out") and to not in opt_outs("opted_back_in")
    code, body = error_of(lambda: client().sms.send({"user_id": user, "to_numbers": [to], "text": "Sale!"}))
    assert code == 400 and to in body["error"]["message"]
    sim("POST", "/inbound_sms", {"from": to, "to": number, "text": "start"})
    assert to not in opt_outs("opted_out") and to in opt_outs("opted_back_in")
    assert client().sms.send({"user_id": user, "to_numbers": [to], "text": "Welcome back"})["id"]
    # Only the key's own company, and only for admins.
    assert status_of(lambda: list(client().company.get_sms_opt_out_list(
        os.environ["SB_OTHER_COMPANY_ID"], opt_out_state="opted_out"))) == 404
    assert status_of(lambda: list(client(os.environ["SB_USER_KEY"]).company.get_sms_opt_out_list(
        COMPANY_ID, opt_out_state="opted_out"))) == 403
