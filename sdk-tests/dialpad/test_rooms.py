"""The official python-dialpad client against Switchboard: rooms and their desk phones, the
international-call PIN, user devices, coaching teams, channels, meeting rooms and meetings.

Run by scripts/sdk-tests, which starts a server and sets SB_* (see test_directory.py); coaching
teams are made with the server's command line (SB_BIN, SB_DATA_DIR), as the API cannot.
"""

import json
import os
import subprocess
import uuid

import pytest
import requests
from dialpad import DialpadClient

BASE = os.environ["SB_BASE_URL"]
COMPANY_ID = os.environ["SB_COMPANY_ID"]


def client(key=None):
    return DialpadClient(key or os.environ["SB_COMPANY_KEY"], base_url=BASE)


def status_of(call):
    with pytest.raises(requests.HTTPError) as err:
        call()
    return err.value.response.status_code


def office_id():
    return next(o for o in client().offices.list() if o["is_primary_office"])["id"]


def new_user():
    tag = uuid.uuid4().hex[:8]
    return client().users.create({"email": f"r-{tag}@sdk.example", "office_id": office_id()})["id"]


def test_rooms_and_their_phones():
    office = office_id()
    room = client().rooms.create({"name": "SDK Boardroom", "office_id": office})
    assert room["name"] == "SDK Boardroom" and room["office_id"] == office
    assert room["phone_numbers"] == [] and room["state"] == "active"
    assert client(os.environ["SB_USER_KEY"]).rooms.get(room["id"]) == room
    renamed = client().rooms.partial_update(room["id"], {"name": "SDK Board"})
    assert renamed["name"] == "SDK Board"
    assert room["id"] in [r["id"] for r in client().rooms.list()]
    assert room["id"] in [r["id"] for r in client().rooms.list(office_id=office)]
    assert status_of(lambda: client().rooms.create({"name": "No office"})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).rooms.get(room["id"])) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).rooms.create({"name": "X", "office_id": office})) == 403

    assert list(client().rooms.list_room_phones(room["id"])) == []
    assert status_of(lambda: client().rooms.get_room_phone("phone-1", room["id"])) == 404
    assert status_of(lambda: client().rooms.delete_room_phone("phone-1", room["id"])) == 404

    pin = client().rooms.assign_phone_pin({"customer_ref": "sdk_user"})
    assert pin["customer_ref"] == "sdk_user" and len(pin["pin"]) == 6 and pin["expires_on"]
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).rooms.assign_phone_pin({})) == 403

    assert client().rooms.delete(room["id"])["state"] == "deleted"
    assert status_of(lambda: client().rooms.get(room["id"])) == 404


def test_user_devices():
    # Devices come when they register: none yet, for a user or the company.
    user = new_user()
    assert list(client().user_devices.list(user_id=str(user))) == []
    assert list(client(os.environ["SB_USER_KEY"]).user_devices.list(user_id="me")) == []
    assert list(client().user_devices.list()) == []
    assert status_of(lambda: client().user_devices.get("123")) == 404
    assert status_of(lambda: list(client(os.environ["SB_OTHER_KEY"]).user_devices.list(user_id=str(user)))) == 404


def make_team(name):
    out = subprocess.run(
        [os.environ["SB_BIN"], "--data-dir", os.environ["SB_DATA_DIR"], "coaching-team", "create",
         "--company", COMPANY_ID, "--office", str(office_id()), "--name", name],
        check=True, capture_output=True, text=True,
        env={k: v for k, v in os.environ.items() if k not in ("SWITCHBOARD_DATABASE_URL", "SWITCHBOARD_MASTER_KEY")},
    )
    return int(json.loads(out.stdout)["coaching_team_id"])


def test_coaching_teams():
    team = make_team("SDK Closers")
    got = client().coaching_teams.get(team)
    assert got["name"] == "SDK Closers" and got["office_id"] == office_id()
    assert team in [t["id"] for t in client().coaching_teams.list()]
    assert team in [t["id"] for t in client().offices.list_coaching_teams(office_id())]
    coach, trainee = new_user(), new_user()
    added = client().coaching_teams.add_member(team, {"member_id": str(coach), "role": "coach"})
    assert added["id"] == coach and added["role"] == "coach"
    client().coaching_teams.add_member(team, {"member_id": str(trainee), "role": "trainee"})
    members = {m["id"]: m["role"] for m in client().coaching_teams.list_members(team)}
    assert members == {coach: "coach", trainee: "trainee"}
    assert status_of(lambda: client().coaching_teams.add_member(team, {"member_id": str(coach), "role": "coach"})) == 409
    assert status_of(lambda: client().coaching_teams.add_member(team, {"member_id": str(coach), "role": "boss"})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).coaching_teams.get(team)) == 404


def test_channels():
    owner = new_user()
    name = f"sdk-{uuid.uuid4().hex[:8]}"
    ch = client().channels.create({"name": name, "description": "SDK talk", "privacy_type": "public", "user_id": owner})
    assert ch["name"] == name
    assert client().channels.get(ch["id"]) == ch
    assert ch["id"] in [c["id"] for c in client().channels.list()]
    assert ch["id"] in [c["id"] for c in client().channels.list(state="active")]
    assert [m["id"] for m in client().channels.list_members(ch["id"])] == [owner]
    other = new_user()
    assert client().channels.add_member(ch["id"], {"user_id": other})["id"] == other
    assert sorted(m["id"] for m in client().channels.list_members(ch["id"])) == sorted([owner, other])
    client().channels.remove_member(ch["id"], {"user_id": other})
    assert [m["id"] for m in client().channels.list_members(ch["id"])] == [owner]
    assert status_of(lambda: client().channels.create({"name": name, "description": "", "privacy_type": "public"})) == 409
    assert status_of(lambda: client().channels.create({"name": "x", "description": "", "privacy_type": "secret"})) == 400
    client().channels.delete(ch["id"])
    assert status_of(lambda: client().channels.get(ch["id"])) == 404


def test_meeting_rooms_and_meetings():
    user = new_user()
    rooms = {r["id"]: r for r in client().meeting_rooms.list()}
    assert rooms[str(user)]["company_name"] == "SDK Co"
    assert list(client().meetings.list()) == []
    assert list(client().meetings.list(room_id=str(user))) == []
    assert status_of(lambda: list(client(os.environ["SB_OTHER_KEY"]).meetings.list(room_id=str(user)))) == 404
