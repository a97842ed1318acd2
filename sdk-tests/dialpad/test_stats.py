"""The official python-dialpad client against Switchboard: statistics exports (initiate, get the
result, download the CSV) and scheduled reports (create, get, list, update, delete). The
simulator's control API runs the report runner instead of waiting for it.

Run by scripts/sdk-tests (see test_directory.py for the environment it sets).
"""

import csv
import io
import os

import requests

from sdk import BASE, client, error_of, new_user, status_of


def run_reports():
    r = requests.post(f"{BASE}/sim/v1/reports/run", json={},
                      headers={"Authorization": f"Bearer {os.environ['SB_COMPANY_KEY']}"})
    r.raise_for_status()
    return r.json()


def test_stats_exports():
    user = new_user("stats", first_name="Stella")
    body = {"export_type": "records", "stat_type": "calls", "days_ago_start": 0, "days_ago_end": 3,
            "timezone": "Europe/Berlin", "target_type": "user", "target_id": user["id"]}
    started = client().stats.initiate_processing(body)
    assert started["already_started"] is False
    assert isinstance(started["request_id"], str)
    again = client().stats.initiate_processing(body)
    assert again == {"request_id": started["request_id"], "already_started": True}
    assert client().stats.get_result(started["request_id"])["status"] in ("processing", "complete")

    run_reports()
    result = client().stats.get_result(started["request_id"])
    assert result["status"] == "complete" and result["file_type"] == "csv"
    download = requests.get(result["download_url"])
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.text)))
    assert len(rows[0]) == 54 and rows[0][0] == "date_started" and rows[1:] == []

    stats = client().stats.initiate_processing({"export_type": "stats", "stat_type": "calls", "group_by": "date",
                                                "is_today": True})
    run_reports()
    result = client().stats.get_result(stats["request_id"])
    rows = list(csv.reader(io.StringIO(requests.get(result["download_url"]).text)))
    assert rows[0][:2] == ["date", "all_calls"] and len(rows) == 2

    code, body = error_of(lambda: client().stats.initiate_processing({"export_type": "records", "stat_type": "csat"}))
    assert code == 400 and "csat" in body["error"]["message"]
    assert status_of(lambda: client().stats.initiate_processing({"stat_type": "calls"})) == 400
    assert status_of(lambda: client(os.environ["SB_USER_KEY"]).stats.initiate_processing(body)) == 403
    code, body = error_of(lambda: client().stats.get_result("12345"))
    assert code == 404 and body["error"]["message"] == "Request with id 12345 not found."
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).stats.get_result(started["request_id"])) == 404


def test_schedule_reports():
    user = new_user("schedule")
    hook = client().webhooks.create({"hook_url": "https://hooks.example.com/reports"})
    created = client().schedule_reports.create({
        "name": "SDK daily calls", "endpoint_id": hook["id"], "report_type": "call_logs", "frequency": "daily",
        "at": 6, "on_day": 0, "timezone": "America/Chicago", "target_type": "user", "target_id": user["id"],
    })
    assert created["enabled"] is True and created["target_type"] == "user"
    assert created["webhook"]["id"] == hook["id"]
    assert client().schedule_reports.get(created["id"]) == created
    assert created["id"] in [s["id"] for s in client().schedule_reports.list()]

    updated = client().schedule_reports.partial_update(created["id"], {"frequency": "monthly", "on_day": 30,
                                                                        "report_type": "user_statistics"})
    assert (updated["frequency"], updated["on_day"], updated["report_type"]) == ("monthly", 30, "user_statistics")
    assert updated["name"] == "SDK daily calls"

    bad = {"name": "Bad", "endpoint_id": hook["id"], "report_type": "call_logs", "frequency": "weekly", "at": 6, "on_day": 7}
    assert status_of(lambda: client().schedule_reports.create(bad)) == 400
    assert status_of(lambda: client().schedule_reports.create({**bad, "on_day": 0, "endpoint_id": 123})) == 404
    assert status_of(lambda: client().schedule_reports.partial_update(created["id"], {"at": 24})) == 400
    assert status_of(lambda: client(os.environ["SB_OTHER_KEY"]).schedule_reports.get(created["id"])) == 404
    assert status_of(lambda: list(client(os.environ["SB_USER_KEY"]).schedule_reports.list())) == 403

    deleted = client().schedule_reports.delete(created["id"])
    assert deleted["id"] == created["id"]
    assert status_of(lambda: client().schedule_reports.get(created["id"])) == 404
