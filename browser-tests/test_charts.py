"""Charts of today's calls in a browser, and the company admin's pages at phone width."""

import os

from selenium.webdriver.common.by import By

from conftest import BASE, click_to, sign_in
from test_callcenters import COMPANY_KEY, NUMBER, OPERATOR, sim


def test_todays_calls_are_charted(browser):
    call = sim("/inbound_calls", {"from": "+12125550166", "to": NUMBER})["call_id"]
    sim(f"/devices/{OPERATOR}/answer")
    sim(f"/calls/{call}/hangup", {"side": "external"})
    sign_in(browser, COMPANY_KEY)
    click_to(browser, browser.find_element(By.LINK_TEXT, "Charts"), "/ui/charts")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 3
    assert all(c.size["width"] > 300 for c in charts)
    total = int(browser.find_element(By.CSS_SELECTOR, "[data-field=total]").text.split()[0])
    assert total >= 1
    # Each answered call is a bar: at least one answered rectangle in the first chart.
    assert charts[0].find_elements(By.CSS_SELECTOR, "rect[fill='#1747a6']")
    centers = browser.find_elements(By.CSS_SELECTOR, "tr[data-center]")
    assert any("Support line" in row.get_attribute("textContent") for row in centers)


def test_the_admins_pages_fit_a_phone(browser):
    sign_in(browser, COMPANY_KEY)
    browser.set_window_size(390, 844)
    center = os.environ["SB_CALL_CENTER_ID"]
    for path in ("/ui/calls", "/ui/charts", "/ui/webhooks", f"/ui/callcenters/{center}"):
        browser.get(BASE + path)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        inner = browser.execute_script("return window.innerWidth")
        assert width <= inner, f"{path} scrolls sideways at phone width ({width} > {inner})"
