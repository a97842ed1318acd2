"""A call center live in a browser: the waiting count rises as simulated calls arrive and
falls as they are answered, without reloading the page."""

import json
import os
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BASE, click_to, path_of, sign_in

COMPANY_KEY = os.environ["SB_COMPANY_KEY"]
CENTER = os.environ["SB_CALL_CENTER_ID"]
NUMBER = os.environ["SB_CALL_CENTER_NUMBER"]
OPERATOR = os.environ["SB_OPERATOR_ID"]


def sim(path, body=None):
    """The simulator's control API, as the company."""
    request = urllib.request.Request(
        f"{BASE}/sim/v1{path}", data=json.dumps(body or {}).encode(), method="POST",
        headers={"Authorization": f"Bearer {COMPANY_KEY}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_the_waiting_count_rises_and_falls_as_calls_arrive_and_are_answered(browser):
    sign_in(browser, COMPANY_KEY)
    assert path_of(browser) == "/ui/callcenters"
    click_to(browser, browser.find_element(By.LINK_TEXT, "Support line"), f"/ui/callcenters/{CENTER}")
    wait = WebDriverWait(browser, 15)
    wait.until(lambda b: b.find_element(By.ID, "live-state").text == "updating live")
    waiting = lambda: browser.find_element(By.CSS_SELECTOR, "[data-live=waiting]").text
    assert waiting() == "0"

    first = sim("/inbound_calls", {"from": "+12125550123", "to": NUMBER})["call_id"]
    sim(f"/devices/{OPERATOR}/answer")
    second = sim("/inbound_calls", {"from": "+12125550124", "to": NUMBER})["call_id"]
    wait.until(lambda b: waiting() == "1")
    assert browser.find_element(By.CSS_SELECTOR, "[data-live=available]").text == "0"
    on_call = lambda: browser.find_element(By.CSS_SELECTOR, f"[data-live=op_{OPERATOR}_call]").text
    wait.until(lambda b: on_call() == "connected inbound with +12125550123")

    sim(f"/calls/{first}/hangup", {"side": "external"})
    sim(f"/devices/{OPERATOR}/answer")
    wait.until(lambda b: waiting() == "0")
    assert browser.find_element(By.CSS_SELECTOR, "[data-live=calls_today]").text == "2"
    sim(f"/calls/{second}/hangup", {"side": "external"})
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-live=available]").text == "1")
    wait.until(lambda b: on_call() == "none")
    assert on_call() == "none"


def test_a_calls_journey_opens_from_the_calls_list(browser):
    sign_in(browser, COMPANY_KEY)
    call = sim("/inbound_calls", {"from": "+12125550177", "to": NUMBER})["call_id"]
    sim(f"/devices/{OPERATOR}/answer")
    sim(f"/calls/{call}/hangup", {"side": "external"})
    click_to(browser, browser.find_element(By.LINK_TEXT, "Calls"), "/ui/calls")
    click_to(browser, browser.find_element(By.CSS_SELECTOR, f"a[href='/ui/calls/{call}']"),
             f"/ui/calls/{call}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Call from +12125550177"
    assert browser.find_element(By.CSS_SELECTOR, "[data-field=state]").text == "hangup"
    legs = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert any(f"operator (user {OPERATOR})" in row.text for row in legs)
