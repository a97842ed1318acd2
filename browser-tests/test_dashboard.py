"""The dashboard in a real browser: sign in, open an agent, diff two versions, restore one,
sign out; another tenant's pages answer "not found"; the pages work at phone width."""

import base64
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BASE, click_to, path_of, sign_in

USER_KEY = os.environ["SB_USER_KEY"]
AGENT_ID = os.environ["SB_AGENT_ID"]
OTHER_AGENT_ID = os.environ["SB_OTHER_AGENT_ID"]


def test_a_wrong_key_is_refused_beside_the_field(browser):
    sign_in(browser, "sbu_wrong")
    assert path_of(browser) == "/ui/login"
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "does not work" in alert.text
    assert browser.find_element(By.ID, "api_key").get_attribute("aria-describedby") == "login-error"


def test_sign_in_open_an_agent_diff_two_versions_restore_one_and_sign_out(browser):
    sign_in(browser, USER_KEY)
    assert path_of(browser) == "/ui/agents"
    click_to(browser, browser.find_element(By.LINK_TEXT, "Support desk"), f"/ui/agents/{AGENT_ID}")
    assert "Speak French" in browser.page_source

    # The form offers the newest two versions; their differences, side by side.
    click_to(browser, browser.find_element(By.XPATH, "//button[text()='Show the differences']"),
             f"/ui/agents/{AGENT_ID}/diff")
    assert "version 1 → 2" in browser.find_element(By.TAG_NAME, "h1").text
    fields = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "tbody th code")]
    assert "settings.language" in fields
    before = browser.find_element(By.CSS_SELECTOR, "td.before").text
    after = browser.find_element(By.CSS_SELECTOR, "td.after").text
    assert before != after

    click_to(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Back to"), f"/ui/agents/{AGENT_ID}")
    click_to(browser, browser.find_element(By.CSS_SELECTOR, "button[aria-label='Restore version 1']"),
             f"/ui/agents/{AGENT_ID}?restored=1")
    status = browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert status == "Version 1 was restored as version 3."
    assert "restore" in [c.text for c in browser.find_elements(By.CSS_SELECTOR, "tbody td:nth-child(2)")]

    click_to(browser, browser.find_element(By.XPATH, "//button[text()='Sign out']"), "/ui/login")
    browser.get(BASE + "/ui/agents")
    assert path_of(browser) == "/ui/login"


def test_another_tenants_agent_is_not_found(browser):
    sign_in(browser, USER_KEY)
    for path in (f"/ui/agents/{OTHER_AGENT_ID}", f"/ui/agents/{OTHER_AGENT_ID}/diff?from=1&to=2"):
        browser.get(BASE + path)
        assert browser.find_element(By.TAG_NAME, "h1").text == "404 Not Found"
        assert "Bob's agent" not in browser.page_source


def test_pages_fit_a_phone(browser):
    sign_in(browser, USER_KEY)
    browser.set_window_size(390, 844)
    for path in ("/ui/agents", f"/ui/agents/{AGENT_ID}"):
        browser.get(BASE + path)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        inner = browser.execute_script("return window.innerWidth")
        assert width <= inner, f"{path} scrolls sideways at phone width ({width} > {inner})"


def test_screenshots(browser):
    """Pictures of each page at desktop and phone width, for the README, when asked for
    (`scripts/screenshots` sets SB_SCREENSHOTS to the folder)."""
    directory = os.environ.get("SB_SCREENSHOTS")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    sizes = ((1280, "desktop"), (390, "phone"))
    for width, label in sizes:
        browser.set_window_size(width, 900)
        browser.get(BASE + "/ui/login")
        save(browser, directory, f"sign-in-{label}")
    sign_in(browser, USER_KEY)
    for width, label in sizes:
        for name, path in (("agents", "/ui/agents"), ("agent", f"/ui/agents/{AGENT_ID}")):
            browser.set_window_size(width, 900)
            browser.get(BASE + path)
            save(browser, directory, f"{name}-{label}")
        browser.set_window_size(width, 900)
        browser.get(BASE + f"/ui/agents/{AGENT_ID}")
        click_to(browser, browser.find_element(By.XPATH, "//button[text()='Show the differences']"),
                 f"/ui/agents/{AGENT_ID}/diff")
        save(browser, directory, f"diff-{label}")
    sign_in(browser, os.environ["SB_PARTNER_KEY"])
    for width, label in sizes:
        browser.set_window_size(width, 900)
        browser.get(BASE + "/ui/clients")
        save(browser, directory, f"clients-{label}")
    sign_in(browser, os.environ["SB_COMPANY_KEY"])
    from test_callcenters import NUMBER, OPERATOR, sim

    call = sim("/inbound_calls", {"from": "+12125550188", "to": NUMBER})["call_id"]
    sim(f"/devices/{OPERATOR}/answer")
    sim(f"/calls/{call}/hangup", {"side": "external"})
    for width, label in sizes:
        browser.set_window_size(width, 900)
        browser.get(BASE + f"/ui/callcenters/{os.environ['SB_CALL_CENTER_ID']}")
        save(browser, directory, f"callcenter-{label}")
        browser.set_window_size(width, 900)
        browser.get(BASE + "/ui/calls")
        save(browser, directory, f"calls-{label}")
        links = browser.find_elements(By.CSS_SELECTOR, "tbody a")
        if links:
            browser.set_window_size(width, 900)
            browser.get(links[-1].get_attribute("href"))
            save(browser, directory, f"call-{label}")
    # A webhook nobody listens at, so that the webhooks page shows a failed delivery.
    from test_webhooks import dialpad, status_shown

    hook = dialpad("POST", "/webhooks", {"hook_url": "http://127.0.0.1:9/hook"})["id"]
    dialpad("POST", "/subscriptions/contact", {"endpoint_id": hook, "contact_type": "shared"})
    dialpad("POST", "/contacts", {"first_name": "Grace", "last_name": "Hopper"})
    browser.get(BASE + "/ui/webhooks")
    WebDriverWait(browser, 20, poll_frequency=0.5).until(lambda b: status_shown(b) == "failed")
    for width, label in sizes:
        for name, path in (("charts", "/ui/charts"), ("webhooks", "/ui/webhooks"),
                           ("settings", "/ui/settings")):
            browser.set_window_size(width, 900)
            browser.get(BASE + path)
            save(browser, directory, f"{name}-{label}")


def save(browser, directory, name):
    """The whole page, however tall: the browser draws beyond the window."""
    size = browser.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]")
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}})
    with open(os.path.join(directory, f"{name}.png"), "wb") as out:
        out.write(base64.b64decode(shot["data"]))
