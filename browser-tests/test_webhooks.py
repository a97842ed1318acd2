"""Replaying a failed webhook delivery in a browser: a receiver refuses every attempt of a
contact event until the delivery has failed; then it accepts, the admin presses Replay, and
the delivery is sent again and shown delivered."""

import json
import os
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BASE, click_to, path_of, sign_in

COMPANY_KEY = os.environ["SB_COMPANY_KEY"]


class Receiver(BaseHTTPRequestHandler):
    """Answers with the status the test sets; counts what it got."""
    status = 500
    received = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        type(self).received += 1
        self.send_response(type(self).status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def dialpad(method, path, body):
    request = urllib.request.Request(
        f"{BASE}/api/v2{path}", data=json.dumps(body).encode(), method=method,
        headers={"Authorization": f"Bearer {COMPANY_KEY}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def status_shown(browser):
    """The status of the newest delivery, after reloading the page."""
    browser.refresh()
    cells = browser.find_elements(By.CSS_SELECTOR, "tbody tr[id^=delivery-] [data-field=status]")
    return cells[0].text if cells else None


def test_a_failed_delivery_is_replayed_and_delivered(browser):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        hook = dialpad("POST", "/webhooks", {"hook_url": url})["id"]
        dialpad("POST", "/subscriptions/contact", {"endpoint_id": hook, "contact_type": "shared"})
        dialpad("POST", "/contacts", {"first_name": "Ada", "last_name": "Lovelace"})

        sign_in(browser, COMPANY_KEY)
        click_to(browser, browser.find_element(By.LINK_TEXT, "Webhooks"), "/ui/webhooks")
        assert url in browser.page_source
        # Dialpad's schedule for contact events: the first try and four retries within 2 s.
        WebDriverWait(browser, 20, poll_frequency=0.5).until(
            lambda b: status_shown(b) == "failed")
        assert Receiver.received == 5

        Receiver.status = 200
        replay = browser.find_element(By.CSS_SELECTOR, "button[aria-label^='Replay delivery']")
        click_to(browser, replay, "/ui/webhooks?replayed=")
        assert "is queued again" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
        WebDriverWait(browser, 20, poll_frequency=0.5).until(
            lambda b: status_shown(b) == "delivered")
        assert Receiver.received == 6
        assert not browser.find_elements(By.CSS_SELECTOR, "button[aria-label^='Replay delivery']")
        assert path_of(browser).startswith("/ui/webhooks")
    finally:
        server.shutdown()
