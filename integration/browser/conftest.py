"""Fixtures for the web page tests: the fake upstream (the e2e suite's own fixtures), a bridge
running the real binary, and headless Chromium driven by selenium through Debian's chromedriver."""
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

# Reuse the e2e suite's fixtures for the fake upstream (same file, loaded under its own name).
_spec = importlib.util.spec_from_file_location("e2e_fixtures_for_browser", ROOT / "integration" / "e2e" / "conftest.py")
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)
fake = _e2e.fake
upstream_env = _e2e.upstream_env

from bridge_process import Bridge  # noqa: E402
from switchboard_process import binary_path  # noqa: E402  (put on sys.path by the e2e conftest)

TRANSFER = "+14155550100"


@pytest.fixture
def start_bridge(tmp_path, upstream_env):
    """Factory: start_bridge(home=None, env=None, args=None) -> Bridge; all are stopped afterwards."""
    started = []

    def _start(home=None, env=None, args=None):
        index = len(started)
        bridge = Bridge(binary_path(), home or tmp_path / "home", {**upstream_env, **(env or {})},
                        tmp_path / f"bridge-{index}.log", args=args)
        started.append(bridge)
        return bridge

    yield _start
    for bridge in started:
        bridge.stop()


@pytest.fixture
def bridge(start_bridge):
    return start_bridge()


@pytest.fixture
def connected_bridge(bridge, fake):
    """A bridge whose switchboard holds the fake's credentials in `default` (stored through the bridge)."""
    bridge.call("setCredentials", {"vapiPrivateKey": fake.vapi_key, "twilioAccountSid": fake.account_sid,
                                   "twilioAuthToken": fake.auth_token, "transferPhoneNumber": TRANSFER})
    return bridge


def _chromium_paths():
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return browser, driver


@pytest.fixture(scope="session")
def driver():
    """One headless Chromium for the session; the driver is given by path so nothing is downloaded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = _chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--force-device-scale-factor=1", "--hide-scrollbars",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-US"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture
def browser(driver):
    """The session's browser, checked after the test for console errors (any SEVERE entry fails)."""
    driver.get_log("browser")  # drop what earlier tests left
    driver.set_window_size(1280, 900)
    yield driver
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    driver.get("about:blank")
    assert not errors, f"browser console errors: {errors}"
