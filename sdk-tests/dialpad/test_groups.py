"""The official python-dialpad client against Switchboard: call centers, departments and
their operators (skills, duty status).

Run by scripts/sdk-tests, which starts a server and sets SB_* (see test_directory.py).
"""

import os

from sdk import client, main_office, status_of
from sdk import new_user as new_person


def office_id():
    return main_office()


def new_user():
    return new_person("op")["id"]


def test_call_centers():
    office = office_id()
    cc = client().call_centers.create(
        {
            "name": "SDK Support",
            "office_id": office,
            "hours_on": True,
            "monday_hours": ["09:00", "17:00"],
            "routing_options": {
                "open": {"action": "voicemail", "try_dial_operators": True, "operator_routing": "roundrobin"},
                "closed": {"action": "voicemail", "try_dial_operators": False},
            },
            "hold_queue": {"max_hold_count": 5},
        }
    )
    assert cc["monday_hours"] == ["09:00", "17:00"]
    assert cc["routing_options"]["open"]["operator_routing"] == "roundrobin"
    assert client().call_centers.get(cc["id"]) == cc
    updated = client().call_centers.partial_update(cc["id"], {"ring_seconds": 15})
    assert updated["ring_seconds"] == 15
    assert cc["id"] in [c["id"] for c in client().call_centers.list()]
    assert cc["id"] in [c["id"] for c in client().call_centers.list(office_id=office, name_search="sdk sup")]
    assert cc["id"] in [c["id"] for c in client().offices.list_call_centers(office)]
    assert status_of(lambda: client().call_centers.create({"name": "Bad", "office_id": office, "monday_hours": ["17:00", "09:00"]})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).call_centers.get(cc["id"])) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).call_centers.create({"name": "X", "office_id": office})) == 403

    user = new_user()
    added = client().call_centers.add_operator(cc["id"], {"user_id": user, "skill_level": 40})
    assert added["id"] == user
    assert [u["id"] for u in client().call_centers.list_operators(cc["id"])["users"]] == [user]
    assert client().call_centers.get_operator_skill_level(cc["id"], user)["skill_level"] == 40
    assert client().call_centers.update_operator_skill_level(cc["id"], user, {"skill_level": 90})["skill_level"] == 90
    duty = client().call_center_operators.get_duty_status(user)
    assert duty["on_duty"] is True and duty["on_duty_status"] == "available"
    off = client().call_center_operators.update_duty_status(user, {"on_duty": False, "duty_status_reason": "Break"})
    assert off["on_duty_status"] == "unavailable" and off["duty_status_reason"] == "Break"
    assert client().call_centers.remove_operator(cc["id"], {"user_id": user})["id"] == user
    assert status_of(lambda: client().call_centers.remove_operator(cc["id"], {"user_id": user})) == 404

    assert client().call_centers.delete(cc["id"])["id"] == cc["id"]
    assert status_of(lambda: client().call_centers.get(cc["id"])) == 404


def test_departments():
    office = office_id()
    dept = client().departments.create({"name": "SDK Sales", "office_id": office, "auto_call_recording": True})
    assert dept["auto_call_recording"] is True
    assert client().departments.get(dept["id"]) == dept
    assert client().departments.partial_update(dept["id"], {"name": "SDK Sales 2"})["name"] == "SDK Sales 2"
    assert dept["id"] in [d["id"] for d in client().departments.list()]
    assert dept["id"] in [d["id"] for d in client().offices.list_departments(office)]
    assert status_of(lambda: client().departments.create({"name": "Bad", "office_id": office, "ring_seconds": 99})) == 400

    user = new_user()
    added = client().departments.add_operator(dept["id"], {"operator_id": user, "operator_type": "user", "role": "admin"})
    assert added["id"] == user
    assert [u["id"] for u in client().departments.list_operators(dept["id"])["users"]] == [user]
    removed = client().departments.remove_operator(dept["id"], {"operator_id": user, "operator_type": "user"})
    assert removed["id"] == user
    assert client().departments.delete(dept["id"])["id"] == dept["id"]
    assert status_of(lambda: client().departments.get(dept["id"])) == 404
