"""The official python-dialpad client against Switchboard: placing calls (ring, initiate, IVR),
participants, unparking, callbacks, recording and voice intelligence on the active call,
screen pops, transcripts and share links. The simulator's control API answers devices and
says lines.

Run by scripts/sdk-tests (see test_directory.py for the environment it sets).
"""

import os

import pytest
import requests

from sdk import BASE, client, new_user, status_of


def sim(path, body=None):
    r = requests.post(f"{BASE}/sim/v1{path}", json=body or {},
                      headers={"Authorization": f"Bearer {os.environ['SB_COMPANY_KEY']}"})
    r.raise_for_status()
    return r.json()


@pytest.fixture
def caller():
    user = new_user("caller")
    number = client().users.assign_number(user["id"], {"area_code": "415"})["number"]
    return user["id"], number


def connected_call(user_id):
    """A call from the user to a number, answered."""
    call = client().calls.initiate_ring_call({"user_id": user_id, "phone_number": "+12125550123"})
    assert client().calls.get(call["call_id"])["state"] == "calling"
    assert sim(f"/devices/{user_id}/answer")["state"] == "connected"
    return call["call_id"]


def test_ring_and_initiate_calls(caller):
    user_id, number = caller
    call_id = connected_call(user_id)
    got = client().calls.get(call_id)
    assert got["direction"] == "outbound" and got["internal_number"] == number
    assert status_of(lambda: client().calls.initiate_ring_call({"user_id": user_id, "phone_number": "+12125550124"})) == 409
    client().calls.hangup_call(call_id)
    assert client().calls.get(call_id)["state"] == "hangup"
    assert client().users.initiate_call(user_id, {"phone_number": "+12125550124", "outbound_caller_id": "blocked"}) == {}
    assert sim(f"/devices/{user_id}/reject")["state"] == "missed"
    assert status_of(lambda: client().users.initiate_call(user_id, {"phone_number": "12"})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).users.initiate_call(user_id, {"phone_number": "+12125550124"})) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).calls.initiate_ring_call({"user_id": user_id, "phone_number": "+12125550124"})) == 403


def test_ivr_call_participants_and_unpark(caller):
    user_id, _ = caller
    cc = client().call_centers.create({"name": "SDK IVR", "office_id": client().users.get(user_id)["office_id"]})
    client().numbers.auto_assign({"target_type": "callcenter", "target_id": cc["id"], "area_code": "415"})
    ivr = client().calls.initiate_ivr_call({"target_type": "callcenter", "target_id": cc["id"], "phone_number": "+12125550125"})
    assert client().calls.get(ivr["call_id"])["state"] == "connected"
    joined = client().calls.add_participant(ivr["call_id"], {"participant": {"number": "+12125550126"}})
    assert client().calls.get(joined["call_id"])["master_call_id"] == ivr["call_id"]
    rung = client().calls.add_participant(ivr["call_id"], {"participant": {"target_type": "user", "target_id": user_id}})
    assert client().calls.get(rung["call_id"])["state"] == "ringing"
    assert status_of(lambda: client().calls.add_participant(ivr["call_id"], {"participant": {}})) == 400
    assert status_of(lambda: client().calls.unpark(ivr["call_id"], {"user_id": user_id})) == 409
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).calls.unpark(ivr["call_id"], {"user_id": user_id})) == 404
    assert status_of(lambda: client().calls.initiate_ivr_call({"target_type": "room", "target_id": cc["id"], "phone_number": "+12125550125"})) == 400


def test_callbacks(caller):
    user_id, _ = caller
    office = client().users.get(user_id)["office_id"]
    cc = client().call_centers.create({"name": "SDK Callbacks", "office_id": office})
    client().numbers.auto_assign({"target_type": "callcenter", "target_id": cc["id"], "area_code": "415"})
    client().call_centers.add_operator(cc["id"], {"user_id": user_id})
    message = {"call_center_id": cc["id"], "phone_number": "+12125550127"}
    assert client().callbacks.validate_callback(message) == {"success": True}
    assert client().callbacks.enqueue_callback(message) == {"position": 1}
    assert client().callbacks.validate_callback(message) == {"success": False}
    assert status_of(lambda: client().callbacks.enqueue_callback(message)) == 409
    assert status_of(lambda: client().callbacks.enqueue_callback({"call_center_id": cc["id"]})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).callbacks.validate_callback(message)) == 404


def test_active_call_and_screen_pop(caller):
    user_id, _ = caller
    assert status_of(lambda: client().users.toggle_active_call_recording(user_id, {"is_recording": True})) == 409
    call_id = connected_call(user_id)
    got = client().users.toggle_active_call_recording(user_id, {"is_recording": True, "play_message": False, "recording_type": "user"})
    assert got == {"call_state": "connected", "id": call_id, "is_recording": True}
    assert client().users.toggle_active_call_recording(user_id, {"is_recording": False})["is_recording"] is False
    assert client().calls.get(call_id)["was_recorded"] is True
    vi = client().users.toggle_active_call_vi(user_id, {"enable_vi": True, "vi_locale": "en-gb"})
    assert vi == {"call_state": "connected", "enable_vi": True, "id": call_id, "vi_locale": "en-gb"}
    assert status_of(lambda: client().users.toggle_active_call_vi(user_id, {"vi_locale": "en-gb"})) == 400
    assert client().users.trigger_screenpop(user_id, {"screen_pop_uri": "https://crm.example/7"}) == {}
    assert status_of(lambda: client().users.trigger_screenpop(user_id, {"screen_pop_uri": "https://a:b@crm.example/"})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).users.trigger_screenpop(user_id, {"screen_pop_uri": "https://crm.example/"})) == 404
    client().calls.hangup_call(call_id)


def test_transcripts_and_share_links(caller):
    user_id, _ = caller
    call_id = connected_call(user_id)
    sim(f"/calls/{call_id}/say", {"side": "external", "text": "Hello?"})
    transcript = client().transcripts.get(call_id)
    assert transcript["call_id"] == call_id
    assert [line["content"] for line in transcript["lines"]] == ["Hello?"]
    url = client().transcripts.get_url(call_id)
    assert requests.get(url["url"]).json() == transcript
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).transcripts.get(call_id)) == 404

    recording = {"recording_id": str(call_id), "recording_type": "callrecording"}
    assert status_of(lambda: client().recording_share_links.create(recording)) == 404
    client().users.toggle_active_call_recording(user_id, {"is_recording": True})
    link = client().recording_share_links.create({**recording, "privacy": "public"})
    assert link["privacy"] == "public" and link["call_id"] == call_id
    assert client().recording_share_links.get(link["id"]) == link
    assert requests.get(link["access_link"]).json()["call"]["call_id"] == call_id
    assert client().recording_share_links.update(link["id"], {"privacy": "company"})["privacy"] == "company"
    assert requests.get(link["access_link"]).status_code == 403
    assert client().recording_share_links.delete(link["id"])["id"] == link["id"]
    assert status_of(lambda: client().recording_share_links.get(link["id"])) == 404

    review = client().call_review_share_links.create({"call_id": call_id})
    assert review["privacy"] == "company"
    assert client().call_review_share_links.get(review["id"]) == review
    assert client().call_review_share_links.update(review["id"], {"privacy": "public"})["privacy"] == "public"
    assert status_of(lambda: client().call_review_share_links.update(review["id"], {"privacy": "owner"})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).call_review_share_links.get(review["id"])) == 404
    assert client().call_review_share_links.delete(review["id"])["id"] == review["id"]
    client().calls.hangup_call(call_id)
