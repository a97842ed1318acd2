"""A partner's clients in a browser: suspend one, then reactivate it."""

import os

from selenium.webdriver.common.by import By

from conftest import click_to, path_of, sign_in

PARTNER_KEY = os.environ["SB_PARTNER_KEY"]


def status_of(browser, name):
    for row in browser.find_elements(By.CSS_SELECTOR, "tbody tr"):
        if row.find_element(By.CSS_SELECTOR, "td").text == name:
            return row.find_element(By.CSS_SELECTOR, "[data-field=status]").text
    raise AssertionError(f"{name} is not listed")


def test_a_partner_suspends_and_reactivates_a_client(browser):
    sign_in(browser, PARTNER_KEY)
    assert path_of(browser) == "/ui/clients"
    assert status_of(browser, "Dental Co") == "active"
    click_to(browser, browser.find_element(By.CSS_SELECTOR, "button[aria-label='Suspend Dental Co']"),
             "/ui/clients?changed=")
    assert browser.find_element(By.CSS_SELECTOR, "[role=status]").text == "Dental Co is now suspended."
    assert status_of(browser, "Dental Co") == "suspended"
    assert status_of(browser, "Garage Co") == "active"
    click_to(browser, browser.find_element(By.CSS_SELECTOR, "button[aria-label='Reactivate Dental Co']"),
             "/ui/clients?changed=")
    assert status_of(browser, "Dental Co") == "active"
