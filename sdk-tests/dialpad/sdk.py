"""What every Dialpad SDK test shares: a client for a key, the status of a refused call, the
company's main office and a new user. The environment comes from scripts/sdk-tests."""

import os
import uuid

import pytest
import requests
from dialpad import DialpadClient

BASE = os.environ["SB_BASE_URL"]


def client(key=None, company_id=None):
    return DialpadClient(key or os.environ["SB_COMPANY_KEY"], base_url=BASE, company_id=company_id)


def error_of(call):
    """The status and body of a call that must fail."""
    with pytest.raises(requests.HTTPError) as err:
        call()
    return err.value.response.status_code, err.value.response.json()


def status_of(call):
    return error_of(call)[0]


def main_office():
    return next(o for o in client().offices.list() if o["is_primary_office"])["id"]


def new_user(prefix="user", **extra):
    tag = uuid.uuid4().hex[:8]
    return client().users.create({"email": f"{prefix}-{tag}@sdk.example", "office_id": main_office(), **extra})
