"""The official python-dialpad client against Switchboard: the number inventory (filled by
`switchboard numbers import` in scripts/sdk-tests), assigning numbers to users, offices and
call centers, swapping, unassigning and releasing them.

Run by scripts/sdk-tests (see test_directory.py for the environment it sets).
"""

import os
import uuid

from sdk import client, main_office, new_user, status_of


def test_the_inventory_pages_through_every_number():
    numbers = list(client().numbers.list())
    pool = [n for n in numbers if n["number"].startswith("+1415555")]
    assert len(pool) >= 200
    assert len({n["number"] for n in numbers}) == len(numbers)
    assert all(n["company_id"] == int(os.environ["SB_COMPANY_ID"]) for n in numbers)
    one = client().numbers.get(pool[0]["number"])
    assert one["number"] == pool[0]["number"] and one["area_code"] == "415" and one["type"] == "local"
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).numbers.get(pool[0]["number"])) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).numbers.get(pool[0]["number"])) == 403
    available = list(client().numbers.list(status="available"))
    assert available and all(n["status"] == "available" for n in available)


def test_users_get_and_give_back_numbers():
    user = new_user()
    got = client().users.assign_number(user["id"], {"area_code": "415"})
    assert got["status"] == "user" and got["target_id"] == user["id"] and got["target_type"] == "user"
    fresh = client().users.assign_number(user["id"], {"area_code": "505", "primary": False})
    assert fresh["number"].startswith("+1505555")
    shown = client().users.get(user["id"])
    assert shown["phone_numbers"] == [got["number"], fresh["number"]]
    found = list(client().users.list(number=fresh["number"]))
    assert [u["id"] for u in found] == [user["id"]]
    back = client().users.unassign_number(user["id"], {"number": got["number"]})
    assert back["status"] == "available"
    assert client().users.get(user["id"])["phone_numbers"] == [fresh["number"]]
    assert status_of(lambda: client().users.assign_number(user["id"], {"number": fresh["number"]})) == 409
    made = new_user(auto_assign=True)
    assert len(made["phone_numbers"]) == 1


def test_offices_and_call_centers_take_numbers_and_swap_them():
    office = main_office()
    got = client().offices.assign_number(office, {"area_code": "415"})
    assert got["status"] == "office" and got["office_id"] == office
    assert got["number"] in client().offices.get(office)["phone_numbers"]
    client().offices.unassign_number(office, {"number": got["number"]})
    cc = client().call_centers.create({"name": f"Numbers {uuid.uuid4().hex[:6]}", "office_id": office})
    target = {"target_type": "callcenter", "target_id": cc["id"]}
    first = client().numbers.auto_assign({**target, "area_code": "415"})
    assert first["status"] == "call_center"
    pool = next(n["number"] for n in client().numbers.list(status="available") if n["number"] != first["number"])
    second = client().numbers.assign(pool, {**target, "primary": False})
    assert client().call_centers.get(cc["id"])["phone_numbers"] == [first["number"], second["number"]]
    swapped = client().numbers.swap({"target": target, "swap_details": {"type": "area_code", "area_code": "707"}})
    assert swapped["number"].startswith("+1707555")
    assert client().call_centers.get(cc["id"])["phone_numbers"][0] == swapped["number"]
    assert client().numbers.get(first["number"])["status"] == "available"
    released = client().numbers.unassign(second["number"], release=True)
    assert released["status"] == "available"
    assert status_of(lambda: client().numbers.get(second["number"])) == 404
    assert status_of(lambda: client().numbers.auto_assign({"target_type": "channel", "target_id": 1})) == 400


def test_fax_lines():
    user = new_user()
    fax = client().fax_lines.assign({"line": {"type": "search", "area_code": "609"},
                                     "target": {"target_type": "user", "target_id": user["id"]}})
    assert fax["number"].startswith("+1609555") and fax["target_id"] == user["id"]
    assert client().users.get(user["id"])["phone_numbers"] == []
    assert status_of(lambda: client().fax_lines.assign({"line": {"type": "toll-free"},
                                                        "target": {"target_type": "office", "target_id": 1}})) == 400
