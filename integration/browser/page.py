"""Selenium helpers for the Phone Numbers page (waits, modals, screenshots)."""
from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import os
import tempfile

ROOT = Path(__file__).resolve().parents[2]
# The committed screenshots (docs/screenshots) are rewritten only on request:
# SWITCHBOARD_UPDATE_SCREENSHOTS=1 python3 -m pytest integration/browser. Otherwise every run still
# takes them (a page that cannot be drawn fails), into a temporary folder.
SCREENSHOTS = (ROOT / "docs" / "screenshots" if os.environ.get("SWITCHBOARD_UPDATE_SCREENSHOTS") == "1"
               else Path(tempfile.gettempdir()) / "switchboard-screenshots")
DESKTOP = (1280, 900)
PHONE = (375, 812)


class Page:
    def __init__(self, driver, bridge):
        self.d = driver
        self.bridge = bridge

    def wait(self, condition, timeout=20):
        return WebDriverWait(self.d, timeout).until(condition)

    def open(self):
        self.d.get(self.bridge.url)
        self.wait_loaded()
        return self

    def wait_loaded(self):
        """The list is shown and the usage of its numbers has been read (or has failed)."""
        self.wait(lambda d: not d.find_element(By.ID, "loading").is_displayed()
                  and not d.find_element(By.ID, "refresh").get_attribute("disabled")
                  and not d.find_element(By.ID, "usage-status").text.startswith("Reading usage"))

    def el(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def els(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def click(self, css):
        self.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, css))).click()

    def type(self, css, text, clear=True):
        field = self.el(css)
        if clear:
            field.clear()
        field.send_keys(text)

    def cards(self):
        return self.els("#numbers li.card")

    def card_numbers(self):
        # read in one script: the list may be re-rendered between two element reads
        return self.d.execute_script(
            "return [...document.querySelectorAll('#numbers li.card')].map((li) => li.dataset.number)")

    def card(self, number):
        return self.el(f'#numbers li.card[data-number="{number}"]')

    def success(self, contains="", timeout=20):
        self.wait(lambda d: self.el("#success").is_displayed() and contains in self.el("#success .text").text, timeout)
        return self.el("#success .text").text

    def error(self, contains="", timeout=20):
        self.wait(lambda d: self.el("#error").is_displayed() and contains in self.el("#error .text").text, timeout)
        return self.el("#error .text").text

    def modal_open(self, dialog_id):
        self.wait(lambda d: self.el(f"#{dialog_id}").get_attribute("open") is not None)

    def modal_closed(self, dialog_id):
        self.wait(lambda d: self.el(f"#{dialog_id}").get_attribute("open") is None)

    def modal_error(self, dialog_id, contains=""):
        css = f"#{dialog_id} .modal-error"
        self.wait(lambda d: self.el(css).is_displayed() and contains in self.el(css).text)
        return self.el(css).text

    def active(self):
        return self.d.switch_to.active_element

    def active_in(self, dialog_id):
        return self.d.execute_script(f"return document.getElementById('{dialog_id}').contains(document.activeElement)")

    def select_profile(self, name):
        Select(self.el("#profile-select")).select_by_value(name)

    def shot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.d.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
