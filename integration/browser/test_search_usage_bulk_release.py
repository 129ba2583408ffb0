"""The list's search and filters (listNumbers), the usage column (getUsage) and multi-select release
(deleteNumbers) in headless Chromium, against the bridge, the real binary and the fake upstream."""
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from page import DESKTOP, PHONE, Page


@pytest.fixture
def seeded(fake):
    fake.seed(vapi=6, twilio=9, imported_fraction=0.25, twilio_non_voice_every=5)
    return fake


def _iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _parse(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _matches(n, text):
    text = text.lower()
    return any(text in (n.get(k) or "").lower() for k in ("name", "number", "sipUri"))


def test_search_and_filters_narrow_the_list_at_the_fake(browser, connected_bridge, seeded):
    fake = seeded
    page = Page(browser, connected_bridge).open()
    everything = [n["number"] for n in fake.vapi_numbers()]
    assert page.card_numbers() == everything

    target = fake.vapi_numbers()[3]
    digits = target["number"][-4:]
    expected = [n["number"] for n in fake.vapi_numbers() if _matches(n, digits)]
    assert target["number"] in expected and len(expected) < len(everything)
    fake.clear_requests()
    page.type("#search", digits)
    page.wait(lambda d: page.card_numbers() == expected)
    page.wait_loaded()
    searched = [r for r in fake.requests(provider="vapi", method="GET", path="/v2/phone-number") if "search" in r["query"]]
    assert searched and searched[-1]["query"]["search"] == digits

    # A search that matches nothing says so; emptying the box lists every number again.
    page.type("#search", "000000000")
    page.wait(lambda d: "No phone numbers match these filters." in page.el("#empty").text)
    assert page.cards() == []
    fake.clear_requests()
    page.el("#search").send_keys(Keys.CONTROL, "a")
    page.el("#search").send_keys(Keys.BACKSPACE)
    page.wait(lambda d: page.card_numbers() == everything)
    page.wait_loaded()
    assert all("search" not in r["query"] for r in fake.requests(provider="vapi", path="/v2/phone-number"))

    # Provider runs in Switchboard (Vapi has no such filter): only the Twilio numbers are shown.
    Select(page.el("#filter-provider")).select_by_value("twilio")
    twilio = [n["number"] for n in fake.vapi_numbers() if n["provider"] == "twilio"]
    assert twilio
    page.wait(lambda d: page.card_numbers() == twilio)
    Select(page.el("#filter-provider")).select_by_value("")
    page.wait(lambda d: page.card_numbers() == everything)
    page.wait_loaded()


def test_usage_shows_the_seeded_calls_and_then_comes_from_the_cache(browser, connected_bridge, seeded):
    fake = seeded
    numbers = fake.vapi_numbers()
    busy, quiet = numbers[1], numbers[2]
    now = datetime.now(timezone.utc)
    fake.seed_calls(busy["id"], 14)
    ongoing = now - timedelta(minutes=10)
    fake.seed_calls(busy["id"], 0, calls=[{"status": "in-progress", "createdAt": _iso(ongoing),
                                          "startedAt": _iso(ongoing + timedelta(seconds=2)), "endedAt": None}])
    calls = fake.calls(busy["id"])
    minutes = sum((_parse(c["endedAt"]) - _parse(c["startedAt"])).total_seconds()
                  for c in calls if c.get("startedAt") and c.get("endedAt")) / 60
    not_ended = sum(1 for c in calls if c["status"] != "ended")
    last = max(_parse(c["createdAt"]) for c in calls)
    assert not_ended >= 1

    fake.clear_requests()
    page = Page(browser, connected_bridge).open()
    cell_css = f'#numbers li.card[data-id="{busy["id"]}"] .usage'
    page.wait(lambda d: page.el(cell_css).get_attribute("data-calls") is not None)
    cell = page.el(cell_css)
    assert int(cell.get_attribute("data-calls")) == len(calls)
    assert abs(float(cell.get_attribute("data-minutes")) - minutes) < 0.002
    assert int(cell.get_attribute("data-not-ended")) == not_ended
    assert abs((_parse(cell.get_attribute("data-last-call-at")) - last).total_seconds()) < 0.002
    text = cell.text
    assert f"{len(calls)} calls" in text and f"{minutes:.1f} min" in text and "provisional" in text
    assert "last call " in text and "synced " in text and "(cached)" not in text
    quiet_cell = page.el(f'#numbers li.card[data-id="{quiet["id"]}"] .usage')
    quiet_text = quiet_cell.text
    assert quiet_text.startswith("0 calls · 0.0 min") and "synced " in quiet_text
    assert "provisional" not in quiet_text and "last call" not in quiet_text and "null" not in quiet_text
    assert page.el("#usage-status").text.startswith("Usage since ")
    # every number shown was asked about, once, for its own calls
    asked = sorted(r["query"]["phoneNumberId"] for r in fake.requests(provider="vapi", path="/call"))
    assert asked == sorted(n["id"] for n in numbers)
    page.shot("usage-desktop")

    # Refresh within five minutes: the figures come from Switchboard's cache, Vapi is not asked.
    fake.clear_requests()
    page.click("#refresh")
    cached = "return document.querySelector(arguments[0])?.innerText ?? ''"  # one read: rows are re-rendered
    page.wait(lambda d: "(cached)" in d.execute_script(cached, cell_css))
    page.wait_loaded()
    assert int(page.el(cell_css).get_attribute("data-calls")) == len(calls)
    assert fake.requests(provider="vapi", path="/call") == []


def test_release_several_with_the_typed_phrase(browser, connected_bridge, seeded):
    fake = seeded
    page = Page(browser, connected_bridge).open()
    chosen = fake.vapi_numbers()[:3]
    ids = [n["id"] for n in chosen]
    assert not page.el("#open-bulk-release").is_enabled()
    for n in chosen:
        page.card(n["number"]).find_element(By.CSS_SELECTOR, "input.select").click()
    assert page.el("#open-bulk-release").text == "Release selected (3)"
    page.click("#open-bulk-release")
    page.modal_open("bulk-release-modal")
    assert page.active().get_attribute("id") == "bulk-release-confirm"
    assert page.el("#bulk-release-modal .bulk-release-phrase").text == "release 3 numbers"
    assert [li.find_element(By.CSS_SELECTOR, ".number").text for li in page.els("#bulk-release-list li")] == \
        [n["number"] for n in chosen]

    # Focus stays inside; Escape closes and gives focus back to the button.
    for _ in range(8):
        page.active().send_keys(Keys.TAB)
        assert page.active_in("bulk-release-modal")
    page.active().send_keys(Keys.ESCAPE)
    page.modal_closed("bulk-release-modal")
    assert page.active().get_attribute("id") == "open-bulk-release"

    # A wrong phrase gets Switchboard's own refusal and nothing reaches Vapi.
    page.active().send_keys(Keys.ENTER)
    page.modal_open("bulk-release-modal")
    fake.clear_requests()
    page.type("#bulk-release-confirm", "release 2 numbers")
    page.click("#bulk-release-submit")
    error = page.modal_error("bulk-release-modal")
    assert error == 'Invalid params: /confirm must be exactly "release 3 numbers".'
    assert fake.requests(method="DELETE") == []
    page.shot("bulk-release-desktop")

    # The right phrase: one DELETE per id, in order; one refused upstream shows its own error.
    fake.fault("status", provider="vapi", method="DELETE", path=f"/phone-number/{ids[1]}", status=404)
    page.type("#bulk-release-confirm", "release 3 numbers")
    page.el("#bulk-release-confirm").send_keys(Keys.ENTER)
    page.wait(lambda d: len(page.els("#bulk-release-list li.ok, #bulk-release-list li.failed")) == 3)
    deletes = fake.requests(provider="vapi", method="DELETE")
    assert [r["path"] for r in deletes] == [f"/phone-number/{i}" for i in ids]
    rows = {li.get_attribute("data-id"): li for li in page.els("#bulk-release-list li")}
    assert "Released" in rows[ids[0]].text and "Released" in rows[ids[2]].text
    failed = rows[ids[1]].find_element(By.CSS_SELECTOR, ".result-error").text
    assert failed and "Released" not in rows[ids[1]].text
    assert page.el("#bulk-release-progress .text").text == "Released 2 of 3, 1 failed."
    page.error("Released 2 of 3 numbers; 1 failed.")
    assert page.active().get_attribute("id") == "bulk-release-cancel"
    page.active().send_keys(Keys.ENTER)
    page.modal_closed("bulk-release-modal")
    remaining = [n["number"] for n in fake.vapi_numbers()]
    assert chosen[1]["number"] in remaining
    page.wait(lambda d: page.card_numbers() == remaining)
    page.wait_loaded()
    # the one that failed is still selected, so it can be tried again
    assert page.el("#open-bulk-release").text == "Release selected (1)"
    assert page.card(chosen[1]["number"]).find_element(By.CSS_SELECTOR, "input.select").is_selected()


def test_bulk_release_modal_at_375_px(browser, connected_bridge, seeded):
    page = Page(browser, connected_bridge)
    browser.set_window_size(*PHONE)
    page.open()
    page.click("#select-all")
    assert page.el("#open-bulk-release").text == f"Release selected ({len(page.cards())})"
    page.click("#open-bulk-release")
    page.modal_open("bulk-release-modal")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the page scrolls sideways at {PHONE[0]} px ({width} px wide)"
    page.shot("bulk-release-mobile")
    page.active().send_keys(Keys.ESCAPE)
    page.modal_closed("bulk-release-modal")
    browser.set_window_size(*DESKTOP)
