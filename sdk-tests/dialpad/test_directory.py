"""The official python-dialpad client against Switchboard: the company, offices and users.

Run by scripts/sdk-tests, which starts a server and sets SB_* to a company key, a plain
user's key and another company's key.
"""

import os
import uuid

from sdk import client
from sdk import error_of as status_of


COMPANY_ID = int(os.environ["SB_COMPANY_ID"])


def test_company():
    company = client().company.get()
    assert company["id"] == COMPANY_ID
    assert company["name"] == "SDK Co"
    assert company["state"] == "active"
    assert company["office_count"] == 1
    # The SDK's company header may name the caller's company, and no other.
    assert client(company_id=str(COMPANY_ID)).company.get()["id"] == COMPANY_ID
    code, body = status_of(lambda: client(company_id=os.environ["SB_OTHER_COMPANY_ID"]).company.get())
    assert code == 404
    assert body["error"]["errors"][0]["reason"] == "notFound"
    # A plain user's key may not read the company.
    code, body = status_of(lambda: client(os.environ["SB_USER_KEY"]).company.get())
    assert code == 403
    assert body["error"]["code"] == 403


def test_offices():
    offices = list(client().offices.list())
    assert len(offices) == 1
    main = offices[0]
    assert main["is_primary_office"] is True
    assert client().offices.get(main["id"]) == main
    assert list(client().offices.list(active_only=True)) == offices
    code, _ = status_of(lambda: client(os.environ["SB_OTHER_KEY"]).offices.get(main["id"]))
    assert code == 404


def test_users_created_iterated_over_pages_filtered_and_deleted():
    office = next(client().offices.list())["id"]
    tag = uuid.uuid4().hex[:8]
    made = []
    # More than one page of 100, so the iterator follows cursors.
    for i in range(105):
        user = client().users.create(
            {"email": f"u{i}-{tag}@sdk.example", "office_id": office, "first_name": "U", "last_name": str(i), "license": "agents"}
        )
        assert user["office_id"] == office
        assert user["emails"] == [f"u{i}-{tag}@sdk.example"]
        made.append(user["id"])
    everyone = [u["id"] for u in client().users.list()]
    assert len(everyone) == len(set(everyone))
    assert set(made) <= set(everyone)
    assert everyone == sorted(everyone)

    one = client().users.get(made[0])
    assert one["display_name"] == "U 0"
    found = list(client().users.list(email=f"u7-{tag}@sdk.example"))
    assert [u["id"] for u in found] == [made[7]]
    assert list(client().users.list(number="+14155550100")) == []
    admins = list(client().users.list(company_admin=True))
    assert all(u["is_admin"] for u in admins)

    code, body = status_of(lambda: client().users.create({"email": f"u0-{tag}@sdk.example", "office_id": office}))
    assert code == 409
    code, _ = status_of(lambda: client().users.create({"email": "bad", "office_id": office}))
    assert code == 400
    code, _ = status_of(lambda: client(os.environ["SB_USER_KEY"]).users.create({"email": f"x-{tag}@sdk.example", "office_id": office}))
    assert code == 403

    deleted = client().users.delete(made[1])
    assert deleted["state"] == "deleted"
    assert made[1] not in [u["id"] for u in client().users.list()]
    assert made[1] in [u["id"] for u in client().users.list(state="deleted")]
    code, _ = status_of(lambda: client(os.environ["SB_OTHER_KEY"]).users.get(made[0]))
    assert code == 404


def test_a_secondary_office_and_emergency_addresses():
    made = client().offices.create(
        {
            "name": "Lisbon", "country": "PT", "currency": "EUR", "plan_period": "yearly",
            "annual_commit_monthly_billing": True, "invoiced": False, "unified_billing": False,
            "billing_address": {"address_line_1": "Rua 1", "city": "Lisboa", "country": "PT",
                                "postal_code": "1000-001", "region": "LX"},
            "timezone": "Europe/Lisbon", "tuesday_hours": ["09:00", "17:00"],
        }
    )
    office = made["office"]
    assert office["name"] == "Lisbon" and office["is_primary_office"] is False
    assert office["id"] in [o["id"] for o in client().offices.list()]
    address = {"address": "Rua 1", "city": "Lisboa", "state": "LX", "zip": "1000-001", "country": "pt"}
    assert client().offices.update_e911_address(office["id"], address) == address
    assert client().offices.get_e911_address(office["id"]) == address
    code, _ = status_of(lambda: client().offices.create({"name": "No billing", "country": "PT"}))
    assert code == 400
    code, _ = status_of(lambda: client(os.environ["SB_OTHER_KEY"]).offices.get_e911_address(office["id"]))
    assert code == 404
