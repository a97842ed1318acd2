"""Headless Chromium (Debian's, driven through its chromedriver) against the server that
scripts/browser-tests started, signed in as the users it made."""

import os

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["SB_BASE_URL"]


@pytest.fixture
def browser():
    options = Options()
    options.binary_location = os.environ.get("SB_CHROMIUM", "/usr/bin/chromium")
    # No network but this machine: every other host name fails to resolve, so a page that
    # needed anything from the internet would show it.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=en-US",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    service = Service(os.environ.get("SB_CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def sign_in(driver, key):
    """Signs in as a keyboard user would: type the key, press Enter."""
    driver.get(BASE + "/ui/login")
    field = driver.find_element(By.ID, "api_key")
    field.send_keys(key + Keys.ENTER)
    # The answer replaces the form: the dashboard, or the form again with the reason. (Asking
    # for the old field meanwhile can fail in more than one way, so the page is asked instead.)
    WebDriverWait(driver, 10, ignored_exceptions=[WebDriverException]).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
        and (path_of(d) != "/ui/login" or d.find_elements(By.CSS_SELECTOR, "[role=alert]")))


def path_of(driver):
    return driver.current_url[len(BASE):]


def click_to(driver, element, path_start):
    """Clicks something that loads a page, and waits until the page at `path_start` is there
    (a lookup made sooner could find the old page's elements)."""
    element.click()
    WebDriverWait(driver, 10).until(
        lambda d: path_of(d).startswith(path_start) and
        d.execute_script("return document.readyState") == "complete")
