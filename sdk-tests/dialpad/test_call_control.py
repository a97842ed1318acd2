"""Calls through the SDK: a call placed by the simulator's control API (/sim/v1, as a telephone
network would) is read, labelled, transferred and hung up with python-dialpad's `calls`
resource; the concluded call is listed; a call center's live status is read."""

import json
import os
import subprocess
import uuid

import requests

from sdk import BASE, client, main_office, new_user, status_of

COMPANY_ID = os.environ["SB_COMPANY_ID"]
KEY = os.environ["SB_COMPANY_KEY"]


def sim(path, body):
    r = requests.post(f"{BASE}/sim/v1{path}", json=body, headers={"Authorization": f"Bearer {KEY}"})
    r.raise_for_status()
    return r.json()


def user_with_number():
    user = new_user("caller")
    number = client().users.assign_number(user["id"], {"area_code": "415"})["number"]
    return user["id"], number


def set_labels(*labels):
    subprocess.run(
        [os.environ["SB_BIN"], "--data-dir", os.environ["SB_DATA_DIR"], "call-labels", "set",
         "--company", COMPANY_ID, *labels],
        check=True, capture_output=True, text=True,
        env={k: v for k, v in os.environ.items() if k not in ("SWITCHBOARD_DATABASE_URL", "SWITCHBOARD_MASTER_KEY")},
    )


def test_a_call_is_read_labelled_transferred_and_hung_up():
    c = client()
    ann, number = user_with_number()
    bob, _ = user_with_number()
    call = sim("/inbound_calls", {"from": "+12125550123", "to": number})["call_id"]
    got = c.calls.get(call)
    assert got["state"] == "ringing"
    assert got["external_number"] == "+12125550123"
    assert got["internal_number"] == number
    sim(f"/devices/{ann}/answer", {})
    assert c.calls.get(call)["state"] == "connected"

    set_labels("Billing", "Sales")
    try:
        labelled = c.calls.set_call_label(call, {"labels": ["Billing"]})
        assert labelled["labels"] == ["Billing"]
        assert status_of(lambda: c.calls.set_call_label(call, {"labels": ["Unknown"]})) == 400
    finally:
        set_labels()  # the company's labels as other tests expect them: none

    moved = c.calls.transfer(call, {"to": {"target_type": "user", "target_id": bob}})
    assert moved["call_id"] == call
    sim(f"/devices/{bob}/answer", {})
    after = c.calls.get(call)
    assert after["is_transferred"] is True
    assert after["state"] == "connected"

    c.calls.hangup_call(call)
    assert c.calls.get(call)["state"] == "hangup"
    assert status_of(lambda: c.calls.hangup_call(call)) == 400
    # The call's target is where it ended up: Bob, after the transfer.
    listed = [x["call_id"] for x in c.calls.list(target_id=bob, target_type="user")]
    assert call in listed
    assert status_of(lambda: c.calls.get(1)) == 404


def test_a_call_center_shows_its_live_status():
    c = client()
    center = c.call_centers.create({"name": f"Status {uuid.uuid4().hex[:6]}", "office_id": main_office()})
    status = c.call_centers.get_status(center["id"])
    assert status["pending"] == 0
    assert status["on_duty_operators"] == 0
    assert status["availability"]["status"] in ("open", "closed")
    assert status_of(lambda: c.call_centers.get_status(1)) == 404
