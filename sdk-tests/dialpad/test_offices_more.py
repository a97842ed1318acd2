"""The official python-dialpad client against Switchboard: an office's plan, available
licences, off-duty statuses and main-line operators.

Run by scripts/sdk-tests, which starts a server and sets SB_* (see test_directory.py).
"""

import os
import uuid

import pytest
import requests
from dialpad import DialpadClient

BASE = os.environ["SB_BASE_URL"]


def client(key=None):
    return DialpadClient(key or os.environ["SB_COMPANY_KEY"], base_url=BASE)


def status_of(call):
    with pytest.raises(requests.HTTPError) as err:
        call()
    return err.value.response.status_code


def office_id():
    return next(o for o in client().offices.list() if o["is_primary_office"])["id"]


def new_user(**extra):
    tag = uuid.uuid4().hex[:8]
    body = {"email": f"office-{tag}@sdk.example", "office_id": office_id(), **extra}
    return client().users.create(body)["id"]


def test_plan_and_available_licenses():
    office = office_id()
    before = client().offices.get_billing_plan(office)
    new_user(license="agents")
    after = client().offices.get_billing_plan(office)
    assert after["sell_lines"] == before["sell_lines"] + 1
    assert after["balance"] == "0.0000"
    available = client().offices.list_available_licenses(office)
    assert available["talk_lines"] == 0 and available["sell_lines"] == 0
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).offices.get_billing_plan(office)) == 404


def test_off_duty_statuses():
    office = office_id()
    statuses = client(os.environ["SB_USER_KEY"]).offices.list_offduty_statuses(office)
    assert statuses == {"id": office, "off_duty_statuses": ["Lunch Time", "Off Duty"]}
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).offices.list_offduty_statuses(office)) == 404


def test_operators():
    office = office_id()
    user = new_user()
    added = client().offices.add_operator(office, {"operator_id": user, "operator_type": "user", "role": "admin"})
    assert added["id"] == user
    assert user in [u["id"] for u in client().offices.list_operators(office)["users"]]
    assert status_of(lambda: client().offices.add_operator(office, {"operator_id": user, "operator_type": "user"})) == 409
    assert status_of(
        lambda: client(os.environ["SB_USER_KEY"]).offices.add_operator(office, {"operator_id": user, "operator_type": "user"})
    ) == 403
    removed = client().offices.remove_operator(office, {"operator_id": user, "operator_type": "user"})
    assert removed["id"] == user
    assert user not in [u["id"] for u in client().offices.list_operators(office)["users"]]
    assert status_of(lambda: client().offices.remove_operator(office, {"operator_id": user, "operator_type": "user"})) == 404
