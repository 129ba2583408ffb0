"""The Phone Numbers page in headless Chromium, against the bridge, the real binary and the fake
upstream: every flow of the seed, checked on the page and at the fake."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import TRANSFER
from secrets_scan import assert_no_secrets
from page import DESKTOP, PHONE, Page


ASSISTANT = "5a1e2c3d-4b5f-4a6b-8c7d-9e0f1a2b3c4d"


@pytest.fixture
def seeded(fake):
    fake.seed(vapi=6, twilio=9, imported_fraction=0.25, twilio_non_voice_every=5)
    return fake


def twilio_importable(fake):
    """Voice-capable Twilio numbers not yet in Vapi, in Twilio's list order."""
    in_vapi = {n.get("number") for n in fake.vapi_numbers()}
    return [t for t in fake.twilio_numbers() if t["capabilities"]["voice"] and t["phone_number"] not in in_vapi]


def test_credentials_list_import_create_rename_release_history(browser, bridge, seeded):
    fake = seeded
    page = Page(browser, bridge).open()

    # Without credentials the list explains what is missing, in the server's words.
    assert "Vapi API key not configured." in page.el("#empty").text

    # Save credentials in the write-only form; afterwards only hints show.
    page.click("#open-settings")
    page.modal_open("settings-modal")
    page.type("#cred-vapi", fake.vapi_key)
    page.type("#cred-sid", fake.account_sid)
    page.type("#cred-token", fake.auth_token)
    page.type("#cred-transfer", TRANSFER)
    page.click("#settings-submit")
    page.success("Credentials saved")
    statuses = {el.get_attribute("data-field"): el.text for el in page.els("#settings-modal .cred-status")}
    assert statuses["vapiPrivateKey"].startswith(f"Set (…{fake.vapi_key[-4:]})")
    assert statuses["twilioAccountSid"].startswith(f"Set (AC…{fake.account_sid[-4:]})")
    assert statuses["twilioAuthToken"].startswith("Set") and "(" not in statuses["twilioAuthToken"].split("·")[0]
    for css in ("#cred-vapi", "#cred-sid", "#cred-token", "#cred-transfer"):
        assert page.el(css).get_attribute("value") == ""
    page.click("#verify")
    page.wait(lambda d: page.el("#verify-result").text.startswith("Vapi: OK"))
    assert "Twilio: OK" in page.el("#verify-result").text
    source = browser.page_source
    for secret in (fake.vapi_key, fake.auth_token, fake.account_sid):
        assert secret not in source
    page.click("#settings-modal [data-close]")
    page.modal_closed("settings-modal")

    # The list: every Vapi number, newest first, with its badges.
    page.wait_loaded()
    expected = [n["number"] for n in fake.vapi_numbers()]
    assert page.card_numbers() == expected
    first = page.cards()[0]
    assert "Voice Only" in first.text and "Created " in first.text
    providers = {c.find_element(By.CSS_SELECTOR, ".badges .badge").text for c in page.cards()}
    assert providers == {"Vapi", "Twilio"}
    page.shot("list-desktop")

    # Import one Twilio number through the radio list, with a name.
    page.click("#open-import")
    page.modal_open("import-modal")
    page.wait(lambda d: page.els("#import-list input[type=radio]"))
    imported_rows = page.els("#import-list .choice.imported")
    assert imported_rows and all("Already imported" in r.text for r in imported_rows)
    assert all(not r.find_element(By.TAG_NAME, "input").is_enabled() for r in imported_rows)
    listed = [el.get_attribute("value") for el in page.els("#import-list input")]
    voice = [t["sid"] for t in fake.twilio_numbers() if t["capabilities"]["voice"]]
    assert listed == voice  # voice numbers only
    target = twilio_importable(fake)[0]
    page.click(f'label[for="tw-{target["sid"]}"]')
    page.type("#import-name", "Front desk line that is far too long for Vapi")
    assert page.el("#import-name").get_attribute("value") == "Front desk line that is far too long for"  # 40
    page.type("#import-name", "Front desk")
    page.shot("import-desktop")
    fake.clear_requests()
    page.click("#import-submit")
    page.success(f"Imported {target['phone_number']} as \"Front desk\"")
    page.modal_closed("import-modal")
    posts = fake.requests(provider="vapi", method="POST")
    assert len(posts) == 1 and posts[0]["path"] == "/phone-number"
    assert posts[0]["json"] == {"provider": "twilio", "number": target["phone_number"],
                                "twilioAccountSid": fake.account_sid, "twilioAuthToken": fake.auth_token,
                                "name": "Front desk", "smsEnabled": False}
    page.wait(lambda d: target["phone_number"] in page.card_numbers())
    assert "Front desk" in page.card(target["phone_number"]).text

    # Import several at once, with progress, under a name prefix.
    page.click("#open-import")
    page.wait(lambda d: page.els("#import-list input[type=radio]"))
    page.click("#import-several")
    rest = twilio_importable(fake)[:2]
    for t in rest:
        page.click(f'label[for="tw-{t["sid"]}"]')
    assert page.el("#import-submit").text == "Import 2 Numbers"
    page.type("#import-name", "Branch ")
    fake.clear_requests()
    fake.fault("delay", provider="twilio", path="/2010-04-01/Accounts/", delayMs=400, times=None)
    page.click("#import-submit")
    # progress reaches the page (switchboard's $/progress through the bridge's event stream)
    page.wait(lambda d: page.el("#import-progress .text").text in ("1 of 2", "2 of 2"))
    page.success("Imported 2 of 2 numbers.")
    fake.clear_faults()
    bodies = [r["json"] for r in fake.requests(provider="vapi", method="POST")]
    assert [b["number"] for b in bodies] == [t["phone_number"] for t in rest]
    assert all(b["name"].startswith("Branch ") and b["smsEnabled"] is False for b in bodies)

    # Create: a bad area code is refused on the page, an unavailable one shows Vapi's own text,
    # a good one creates the number with the transfer number as fallback.
    page.click("#open-create")
    page.modal_open("create-modal")
    page.wait(lambda d: page.el("#create-fallback").get_attribute("value") == TRANSFER)
    page.type("#create-area", "41")
    fake.clear_requests()
    page.click("#create-submit")
    page.wait(lambda d: page.el("#create-area-error").is_displayed())
    assert page.el("#create-area-error").text == "Valid 3-digit area code is required"
    assert fake.requests(method="POST") == []
    page.shot("create-desktop")
    page.type("#create-area", "999")
    page.click("#create-submit")
    text = page.modal_error("create-modal", "Vapi API error: 400 - ")
    assert "area code 999" in text or "999" in text
    page.type("#create-area", "415")
    page.type("#create-name", "Sales")
    fake.clear_requests()
    page.click("#create-submit")
    message = page.success("Created +1415")
    created = message.split()[1]
    body = fake.requests(provider="vapi", method="POST")[0]["json"]
    assert body == {"provider": "vapi", "numberDesiredAreaCode": "415", "name": "Sales",
                    "fallbackDestination": {"type": "number", "number": TRANSFER}}
    page.wait(lambda d: created in page.card_numbers())

    # Rename and route one number.
    page.card(created).find_element(By.CSS_SELECTOR, "[data-action=edit]").click()
    page.modal_open("edit-modal")
    page.type("#edit-name", "Sales (West)")
    page.type("#edit-assistant", ASSISTANT)
    page.shot("edit-desktop")
    fake.clear_requests()
    page.click("#edit-submit")
    page.success(f"Saved {created}.")
    patch = fake.requests(provider="vapi", method="PATCH")
    assert len(patch) == 1 and patch[0]["json"] == {"name": "Sales (West)", "assistantId": ASSISTANT}
    page.wait(lambda d: "Sales (West)" in page.card(created).text)
    assert f"Assistant {ASSISTANT}" in page.card(created).text

    # Release: the number must be typed back; a wrong one gets the server's refusal.
    page.card(created).find_element(By.CSS_SELECTOR, "[data-action=release]").click()
    page.modal_open("release-modal")
    assert not page.el("#release-submit").is_enabled()
    page.type("#release-confirm", "+10000000000")
    page.click("#release-submit")
    assert page.modal_error("release-modal") == "Invalid params: /confirm must repeat the number or its id."
    assert fake.requests(method="DELETE") == []
    page.type("#release-confirm", created)
    page.shot("release-desktop")
    page.click("#release-submit")
    page.success(f"Released {created}.")
    assert len(fake.requests(provider="vapi", method="DELETE")) == 1
    page.wait(lambda d: created not in page.card_numbers())

    # The operations history lists what was done, newest first.
    page.click("#open-history")
    page.modal_open("history-modal")
    page.wait(lambda d: len(page.els("#history-list li")) >= 6)
    rows = [li.text for li in page.els("#history-list li")]
    assert rows[0].startswith(f"deleteNumber {created}")
    assert any(r.startswith("updateNumber") for r in rows) and any(r.startswith("createNumber") for r in rows)
    assert any(r.startswith(f"importNumber {target['phone_number']}") for r in rows)
    page.shot("history-desktop")
    page.click("#history-modal [data-close]")

    # The secrets typed into the page went to Switchboard only: not into the page, nor the bridge's
    # output (which carries Switchboard's debug log).
    secrets = {"vapi key": fake.vapi_key, "auth token": fake.auth_token}
    assert_no_secrets(secrets, blobs={"bridge stderr": bridge.log().encode(), "page": browser.page_source.encode(),
                                      "bridge first line": bridge.first_line.encode()})


def test_upstream_error_text_and_profile_switch(browser, connected_bridge, seeded):
    fake = seeded
    page = Page(browser, connected_bridge).open()
    assert len(page.cards()) == len(fake.vapi_numbers())

    # An upstream refusal shows Vapi's own text.
    fake.fault("status", provider="vapi", method="GET", status=400, times=None,
               body={"message": ["limit must not be greater than 1000"], "error": "Bad Request", "statusCode": 400})
    page.click("#refresh")
    page.wait(lambda d: "Vapi API error: 400 - limit must not be greater than 1000" in page.el("#empty").text)
    assert page.cards() == []
    fake.clear_faults()
    page.click("#refresh")
    page.wait_loaded()
    page.wait(lambda d: len(page.cards()) == len(fake.vapi_numbers()))

    # A new profile starts empty and asks for credentials; switching back shows the list again.
    page.select_profile("")
    page.modal_open("profile-modal")
    page.type("#profile-name", "client-b")
    page.el("#profile-name").send_keys(Keys.ENTER)
    page.modal_open("settings-modal")
    assert page.el("#settings-modal .settings-profile").text == "client-b"
    page.el("#cred-transfer").send_keys(Keys.ESCAPE)
    page.modal_closed("settings-modal")
    page.wait(lambda d: "Vapi API key not configured." in page.el("#empty").text)
    assert page.cards() == []
    page.select_profile("default")
    page.wait_loaded()
    page.wait(lambda d: len(page.cards()) == len(fake.vapi_numbers()))
    assert page.el("#profile-select").get_attribute("value") == "default"
    page.wait_loaded()  # the usage of the list is read before the bridge stops


def test_keyboard_only(browser, connected_bridge, seeded):
    fake = seeded
    page = Page(browser, connected_bridge).open()

    def press(*keys):
        page.active().send_keys(*keys)

    # Tab from the top of the page to "Create Free Number", open it with Enter.
    page.el(".crumbs").click()  # the top of the page (the middle of the body is a row's checkbox)
    for _ in range(20):
        press(Keys.TAB)
        if page.active().get_attribute("id") == "open-create":
            break
    assert page.active().get_attribute("id") == "open-create"
    press(Keys.ENTER)
    page.modal_open("create-modal")
    assert page.active().get_attribute("id") == "create-area"

    # Focus stays inside the modal both ways round.
    for _ in range(12):
        press(Keys.TAB)
        assert page.active_in("create-modal")
    for _ in range(12):
        press(Keys.SHIFT, Keys.TAB)
        assert page.active_in("create-modal")

    # Escape closes it and focus returns to the button that opened it.
    press(Keys.ESCAPE)
    page.modal_closed("create-modal")
    assert page.active().get_attribute("id") == "open-create"

    # Create a number with the keyboard alone: type, Enter submits.
    press(Keys.ENTER)
    page.modal_open("create-modal")
    press("212")
    press(Keys.TAB, "Front")
    press(Keys.ENTER)
    created = page.success("Created +1212").split()[1]
    page.wait(lambda d: created in page.card_numbers())

    # Import with arrow keys in the radio list.
    page.active()  # focus went back to the opener
    for _ in range(5):
        if page.active().get_attribute("id") == "open-import":
            break
        press(Keys.SHIFT, Keys.TAB)
    assert page.active().get_attribute("id") == "open-import"
    press(Keys.ENTER)
    page.modal_open("import-modal")
    page.wait(lambda d: page.active().get_attribute("type") == "radio")
    first = page.active().get_attribute("value")
    press(Keys.SPACE)
    assert page.active().is_selected()
    press(Keys.ARROW_DOWN)
    second = page.active().get_attribute("value")
    assert second != first and page.active().is_selected()
    fake.clear_requests()
    press(Keys.ENTER)
    page.success("Imported ")
    chosen = next(t for t in fake.twilio_numbers() if t["sid"] == second)
    assert fake.requests(provider="vapi", method="POST")[0]["json"]["number"] == chosen["phone_number"]
    page.wait_loaded()  # the list and its usage are read again before the bridge stops


def test_screenshots_of_every_modal_at_375_px(browser, connected_bridge, seeded):
    page = Page(browser, connected_bridge)
    browser.set_window_size(*PHONE)
    page.open()
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"the page scrolls sideways at {PHONE[0]} px ({width} px wide)"
    page.shot("list-mobile")
    for button, dialog, name in (("#open-import", "import-modal", "import"), ("#open-create", "create-modal", "create"),
                                 ("#open-settings", "settings-modal", "settings"), ("#open-history", "history-modal", "history")):
        page.click(button)
        page.modal_open(dialog)
        if name == "import":
            page.wait(lambda d: page.els("#import-list input"))
        if name == "settings":
            page.wait(lambda d: page.el("#settings-modal .cred-status").text.startswith("Set"))
        page.shot(f"{name}-mobile")
        page.active().send_keys(Keys.ESCAPE)
        page.modal_closed(dialog)
    number = page.card_numbers()[0]
    page.card(number).find_element(By.CSS_SELECTOR, "[data-action=edit]").click()
    page.modal_open("edit-modal")
    page.shot("edit-mobile")
    page.active().send_keys(Keys.ESCAPE)
    page.card(number).find_element(By.CSS_SELECTOR, "[data-action=release]").click()
    page.modal_open("release-modal")
    page.shot("release-mobile")
    page.active().send_keys(Keys.ESCAPE)
    browser.set_window_size(*DESKTOP)
    page.click("#open-settings")
    page.modal_open("settings-modal")
    page.wait(lambda d: page.el("#settings-modal .cred-status").text.startswith("Set"))
    page.shot("settings-desktop")


def test_the_token_comes_from_the_fragment_and_leaves_the_address_bar(browser, connected_bridge):
    bridge = connected_bridge
    page = Page(browser, bridge)
    browser.get(f"{bridge.origin}/")
    refused = page.error("The bridge refused the request (missing or wrong token).")
    assert "Open the address the bridge printed." in refused
    assert page.el("#empty").text == refused
    # the refusals are the only console errors, and they are the bridge's 403s
    expected = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert expected and all("status of 403" in e["message"] for e in expected), expected

    browser.get(bridge.url)  # same document, new fragment: the page reloads with the token
    page.wait(lambda d: "#token=" not in d.current_url)
    page.wait_loaded()
    assert page.el("#error").is_displayed() is False
    assert browser.current_url == f"{bridge.origin}/"
    assert bridge.token not in browser.page_source
    browser.refresh()  # a reload of the tab keeps working without the fragment
    page.wait_loaded()
    assert page.cards() == [] and "No phone numbers yet." in page.el("#empty").text


def test_closing_the_import_modal_cancels_the_twilio_listing(browser, connected_bridge, seeded):
    fake = seeded
    page = Page(browser, connected_bridge).open()
    fake.fault("delay", provider="twilio", path="/2010-04-01/Accounts/", delayMs=3000, times=1)
    page.click("#open-import")
    page.modal_open("import-modal")
    page.wait(lambda d: fake.requests(provider="twilio"))
    page.active().send_keys(Keys.ESCAPE)
    page.modal_closed("import-modal")
    # switchboard gave up the delayed Twilio call (its debug log says so) long before the fake answered
    page.wait(lambda d: [line for line in connected_bridge.upstream_calls_logged()
                         if "HTTP twilio GET" in line and "-> cancelled" in line], 2.5)
    assert not page.el("#error").is_displayed()
    # opening it again lists the numbers as usual
    page.click("#open-import")
    page.wait(lambda d: page.els("#import-list input"))
    assert not page.el("#import-modal .modal-error").is_displayed()
