"""The interactive API reference (/docs/try/) in a browser with no network but this machine:
it loads from the binary alone, and a request tried from it reaches this server."""

import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BASE

USER_KEY = os.environ["SB_USER_KEY"]


def test_the_reference_loads_offline_and_a_request_tried_from_it_succeeds(browser):
    browser.get(BASE + "/docs")
    browser.find_elements(By.LINK_TEXT, "Try it")[0].click()
    wait = WebDriverWait(browser, 15)
    title = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".info .title")))
    assert "Dialgood" in title.text

    # Authorize with the user's key (the `api_token` header), then list their agents.
    browser.find_element(By.CSS_SELECTOR, "button.authorize").click()
    field = wait.until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, ".auth-container input[type=text], .auth-container input[type=password]")))
    field.send_keys(USER_KEY)
    browser.find_element(By.CSS_SELECTOR, ".auth-container button.authorize").click()
    browser.find_element(By.CSS_SELECTOR, "button.btn-done, .close-modal").click()

    operation = browser.find_element(By.ID, "operations-agents-list")
    operation.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    # Try-it is on from the start: the operation opens ready to execute.
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#operations-agents-list .execute"))).click()
    status = wait.until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, "#operations-agents-list .live-responses-table tr.response .response-col_status")))
    assert status.text.strip() == "200"
    body = browser.find_element(By.CSS_SELECTOR, "#operations-agents-list .live-responses-table .microlight").text
    assert "Support desk" in body
