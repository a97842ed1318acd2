"""The official python-dialpad client against Switchboard: updating users, moving them,
status messages, do-not-disturb, caller id, E911, personas and desk phones.

Run by scripts/sdk-tests (see test_directory.py for the environment it sets).
"""

import os
import uuid

import pytest

from sdk import client, status_of


@pytest.fixture
def user():
    # The main office: other tests give other offices an emergency address.
    office = next(o for o in client().offices.list() if o["is_primary_office"])["id"]
    tag = uuid.uuid4().hex[:8]
    return client().users.create({"email": f"more-{tag}@sdk.example", "office_id": office, "first_name": "Ada"})


def test_update_and_move_office(user):
    tag = uuid.uuid4().hex[:8]
    updated = client().users.partial_update(
        user["id"],
        {"first_name": "Grace", "last_name": "Hopper", "emails": [f"grace-{tag}@sdk.example"], "job_title": "Admiral",
         "forwarding_numbers": ["+14155550100"], "state": "suspended"},
    )
    assert updated["display_name"] == "Grace Hopper"
    assert updated["emails"] == [f"grace-{tag}@sdk.example"]
    assert updated["forwarding_numbers"] == ["+14155550100"]
    assert updated["state"] == "suspended"
    assert client().users.get(user["id"]) == updated
    assert status_of(lambda: client().users.partial_update(user["id"], {"license": "gold"})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).users.partial_update(user["id"], {"job_title": "x"})) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).users.partial_update(user["id"], {"job_title": "x"})) == 403

    moved = client().users.move_office(user["id"], {"office_id": user["office_id"]})
    assert moved["office_id"] == user["office_id"]
    assert status_of(lambda: client().users.move_office(user["id"], {"office_id": 1})) == 404


def test_status_and_do_not_disturb(user):
    status = client().users.update_user_status(user["id"], {"status_message": "In a meeting", "expiration": 600})
    assert status == {"id": user["id"], "status_message": "In a meeting", "expiration": 600}
    assert client().users.get(user["id"])["status_message"] == "In a meeting"
    assert status_of(lambda: client().users.update_user_status(user["id"], {"expiration": -1, "status_message": "x"})) == 400

    assert client().users.toggle_dnd(user["id"], {"do_not_disturb": True}) == {"do_not_disturb": True, "id": user["id"]}
    assert client().users.get(user["id"])["do_not_disturb"] is True
    assert client().users.toggle_dnd(user["id"], {"do_not_disturb": False})["do_not_disturb"] is False
    assert client().users.get(user["id"])["do_not_disturb"] is False
    assert status_of(lambda: client().users.toggle_dnd(user["id"], {})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).users.toggle_dnd(user["id"], {"do_not_disturb": True})) == 404


def test_caller_id_and_e911(user):
    got = client().users.get_caller_id(user["id"])
    assert got["id"] == user["id"] and got["phone_numbers"] == [] and "caller_id" not in got
    assert client().users.set_caller_id(user["id"], {"caller_id": "blocked"})["caller_id"] == "blocked"
    assert status_of(lambda: client().users.set_caller_id(user["id"], {"caller_id": "+14155550100"})) == 400

    assert client().users.get_e911_address(user["id"]) == {}
    address = {"address": "3001 Bishop Dr", "city": "San Ramon", "state": "CA", "zip": "94583", "country": "us"}
    assert client().users.set_e911_address(user["id"], address) == address
    assert client().users.get_e911_address(user["id"]) == address
    assert status_of(lambda: client().users.set_e911_address(user["id"], {"address": "x"})) == 400


def test_personas_and_deskphones(user):
    assert list(client().users.list_personas(user["id"])) == []
    assert list(client().users.list_deskphones(user["id"])) == []
    assert status_of(lambda: client().users.get_deskphone("abc", user["id"])) == 404
    assert status_of(lambda: client().users.delete_deskphone("abc", user["id"])) == 404
    assert status_of(lambda: list(client(os.environ["SB_OTHER_KEY"]).users.list_personas(user["id"]))) == 404
