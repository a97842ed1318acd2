"""The official python-dialpad client against Switchboard: contacts, blocked numbers,
access-control policies, custom IVRs and call labels.

Run by scripts/sdk-tests, which starts a server and sets SB_* (see test_directory.py).
"""

import base64
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


def admin_id():
    tag = uuid.uuid4().hex[:8]
    user = client().users.create({"email": f"admin-{tag}@sdk.example", "office_id": office_id()})
    return client().users.partial_update(user["id"], {"is_super_admin": True})["id"]


def test_contacts():
    tag = uuid.uuid4().hex[:8]
    made = client().contacts.create(
        {"first_name": "Ann", "last_name": "Lee", "phones": ["+1 415 555 2671"], "emails": ["Ann@Example.com"]}
    )
    assert made["phones"] == ["+14155552671"] and made["primary_email"] == "ann@example.com"
    assert made["type"] == "shared"
    assert client().contacts.get(made["id"]) == made
    assert client().contacts.partial_update(made["id"], {"job_title": "Buyer"})["job_title"] == "Buyer"
    first = client().contacts.create_or_update({"uid": tag, "first_name": "Bo", "last_name": "Ng"})
    second = client().contacts.create_or_update({"uid": tag, "first_name": "Bob", "last_name": "Ng"})
    assert first["id"] == second["id"] and second["first_name"] == "Bob"
    assert made["id"] in [c["id"] for c in client().contacts.list()]
    user = client().users.create({"email": f"owner-{tag}@sdk.example", "office_id": office_id()})
    local = client().contacts.create({"first_name": "Lo", "last_name": "Cal", "owner_id": str(user["id"])})
    assert [c["id"] for c in client().contacts.list(owner_id=str(user["id"]))] == [local["id"]]
    assert local["id"] in [c["id"] for c in client().contacts.list(include_local=True)]
    assert status_of(lambda: client().contacts.create({"first_name": "X", "last_name": "Y", "phones": ["555"]})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).contacts.get(made["id"])) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).contacts.create({"first_name": "X", "last_name": "Y"})) == 403
    assert client().contacts.delete(made["id"])["id"] == made["id"]
    assert status_of(lambda: client().contacts.get(made["id"])) == 404


def test_blocked_numbers():
    client().blocked_numbers.add({"numbers": ["+1 650 555 0100", "+16505550101"]})
    assert client().blocked_numbers.get("+16505550100") == {"number": "+16505550100"}
    assert {"number": "+16505550101"} in list(client().blocked_numbers.list())
    assert status_of(lambda: client().blocked_numbers.add({"numbers": ["+16505550102", "bad"]})) == 400
    assert status_of(lambda: client().blocked_numbers.get("+16505550102")) == 404
    client().blocked_numbers.remove({"numbers": ["+16505550100"]})
    assert status_of(lambda: client().blocked_numbers.get("+16505550100")) == 404
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).blocked_numbers.add({"numbers": ["+16505550100"]})) == 403


def test_access_control_policies():
    owner = admin_id()
    policy = client().access_control_policies.create(
        {"name": "Leads", "owner_id": owner, "permission_sets": ["csat_surveys_write"], "target_type": "office"}
    )
    assert policy["state"] == "active" and policy["target_type"] == "office"
    assert client().access_control_policies.get(policy["id"]) == policy
    assert policy["id"] in [p["id"] for p in client().access_control_policies.list()]
    updated = client().access_control_policies.partial_update(policy["id"], {"description": "leads"})
    assert updated["description"] == "leads"
    office = office_id()
    user = client().users.create({"email": f"acl-{uuid.uuid4().hex[:8]}@sdk.example", "office_id": office})["id"]
    assigned = client().access_control_policies.assign(
        policy["id"], {"user_id": user, "target_type": "office", "target_id": office}
    )
    assert assigned["policy_targets"] == [{"target_id": office, "target_type": "office"}]
    assert [a["user"]["id"] for a in client().access_control_policies.list_assignments(policy["id"])] == [user]
    left = client().access_control_policies.unassign(policy["id"], {"user_id": user, "unassign_all": True})
    assert left["policy_targets"] == []
    assert status_of(lambda: client().access_control_policies.create({"name": "Bad", "owner_id": owner, "permission_sets": ["root"]})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).access_control_policies.get(policy["id"])) == 404
    assert client().access_control_policies.delete(policy["id"])["state"] == "deleted"


def test_custom_ivrs():
    office = office_id()
    audio = base64.b64encode(b"ID3\x04\x00\x00\x00\x00\x00\x00sdk").decode()
    made = client().custom_ivrs.create(
        {"target_type": "office", "target_id": office, "ivr_type": "GREETING", "name": "Hi", "file": audio}
    )
    assert made["selected"] is True
    assert requests.get(made["audio_url"]).content.endswith(b"sdk")
    kinds = list(client().custom_ivrs.list(target_type="office", target_id=office))
    assert "GREETING" in [k["ivr_type"] for k in kinds]
    assert client().custom_ivrs.partial_update(str(made["id"]), {"name": "Hello"})["name"] == "Hello"
    chosen = client().custom_ivrs.assign(
        ivr_type="GREETING", target_id=office, target_type="office", request_body={"ivr_id": made["id"]}
    )
    assert made["id"] in [i["id"] for i in chosen["ivrs"] if i["selected"]]
    assert client().custom_ivrs.unassign(
        ivr_type="GREETING", target_id=office, target_type="office", request_body={"ivr_id": made["id"]}
    )["id"] == made["id"]
    assert status_of(lambda: client().custom_ivrs.create({"target_type": "office", "target_id": office, "ivr_type": "NOPE", "file": audio})) == 400


def test_call_labels():
    assert client().call_labels.list() == {"labels": []}
    assert client().call_labels.list(limit=5) == {"labels": []}
