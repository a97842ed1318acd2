"""The official python-dialpad client against Switchboard: call routers.

Run by scripts/sdk-tests, which starts a server and sets SB_* (see test_directory.py).
"""

import os
import uuid

import pytest
import requests
from dialpad import DialpadClient

BASE = os.environ["SB_BASE_URL"]
SECRET = "sdk-router-secret-0123456789abcdefghij"


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
    return client().users.create({"email": f"router-{tag}@sdk.example", "office_id": office_id()})["id"]


def test_call_routers():
    office = office_id()
    user = new_user()
    router = client().call_routers.create(
        {
            "name": "SDK Router",
            "office_id": office,
            "routing_url": "https://example.com/route",
            "default_target_id": user,
            "default_target_type": "user",
            "secret": SECRET,
        }
    )
    assert router["enabled"] is True
    assert router["default_target_id"] == user
    assert router["signature"] == {"algo": "HS256", "type": "jwt"}
    assert SECRET not in str(router)
    assert client().call_routers.get(router["id"]) == router

    updated = client().call_routers.partial_update(
        str(router["id"]), {"enabled": False, "default_target_id": office, "default_target_type": "office"}
    )
    assert updated["enabled"] is False
    assert updated["default_target_type"] == "office"
    assert router["id"] in [r["id"] for r in client().call_routers.list()]
    assert router["id"] in [r["id"] for r in client().call_routers.list(office_id=office)]

    bad = dict(name="Bad", office_id=office, routing_url="http://example.com/r",
               default_target_id=user, default_target_type="user")
    assert status_of(lambda: client().call_routers.create(bad)) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).call_routers.get(router["id"])) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).call_routers.delete(str(router["id"]))) == 403

    client().call_routers.delete(str(router["id"]))
    assert status_of(lambda: client().call_routers.get(router["id"])) == 404
