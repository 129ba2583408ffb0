"""`switchboard credentials verify | reset`, and the `credentials set` fixes for newcomers."""
import os
import sqlite3

from cli_support import error_json


def test_verify_table_json_and_exit_status(creds, fake):
    result = creds.call("verifyCredentials")
    assert creds.json("credentials", "verify", "--json") == result
    text = creds.ok("credentials", "verify")
    assert text.splitlines()[0].split() == ["PROVIDER", "CONFIGURED", "OK", "PROBLEM"]
    assert [line.split()[:3] for line in text.splitlines()[1:]] == [["Vapi", "yes", "yes"], ["Twilio", "yes", "yes"]]

    fake.configure(authToken="0" * 32)  # Twilio now refuses the stored token
    refused = creds("credentials", "verify")
    assert refused.returncode == 77
    assert refused.stdout.decode().splitlines()[2].split()[:4] == ["Twilio", "yes", "no", "Twilio"]


def test_verify_without_credentials(cli, fake):
    result = cli("credentials", "verify", "--json")
    assert result.returncode == 78
    body = __import__("json").loads(result.stdout)
    assert body["vapi"]["error"]["kind"] == "credentials.missing"


def test_set_accepts_spaces_and_names_unknown_fields(cli, fake):
    status = cli.json("credentials", "set", "--json",
                      stdin=f"  vapiPrivateKey = {fake.vapi_key}  \ntwilioAccountSid= {fake.account_sid}\n")
    assert status["fields"]["vapiPrivateKey"]["set"] and status["fields"]["twilioAccountSid"]["set"]
    assert cli.call("verifyCredentials")["vapi"]["ok"], "the value was stored without the spaces"

    unknown = cli("credentials", "set", stdin="vapiKey=abc\n")
    assert unknown.returncode == 64
    err = unknown.stderr.decode()
    assert "'vapiKey'" in err and "vapiPrivateKey, twilioAccountSid, twilioAuthToken, transferPhoneNumber" in err
    # Something that may be a pasted secret is not repeated.
    pasted = cli("credentials", "set", stdin=f"{fake.auth_token}=x\n")
    assert pasted.returncode == 64 and fake.auth_token not in pasted.stderr.decode()

    clear = cli("credentials", "set", "--clear", "nope")
    assert clear.returncode == 64 and "'nope'" in clear.stderr.decode()

    nothing = cli("credentials", "set", stdin="\n# only a comment\n")
    assert nothing.returncode == 0 and "Nothing changed" in nothing.stderr.decode()

    bad = cli("credentials", "set", "--json", stdin="twilioAccountSid=AC12\n")
    assert bad.returncode == 65 and error_json(bad)["data"]["field"] == "/twilioAccountSid"
    assert "AC12" not in bad.stderr.decode()


def lock_by_losing_the_key(creds, home):
    creds.call("createNumber", {"areaCode": "415"})  # one ledger row
    os.remove(home / "master.key")
    locked = creds("numbers", "list")
    assert locked.returncode == 81


def test_reset_needs_the_typed_word(creds, fake, home):
    lock_by_losing_the_key(creds, home)
    refused = creds("credentials", "reset", stdin="reset\n")
    assert refused.returncode == 65 and "Nothing was changed" in refused.stderr.decode()
    assert "drops 4 stored credential value(s) of 1 profile(s) (default)" in refused.stderr.decode()
    assert not (home / "master.key").exists()
    assert creds("numbers", "list").returncode == 81

    done = creds("credentials", "reset", stdin="RESET\n")
    assert done.returncode == 0, done.stderr
    assert "Dropped 4 credential value(s)" in done.stdout.decode()
    assert (home / "master.key").exists()
    status = creds.json("credentials", "status", "--json")
    assert not any(f["set"] for f in status["fields"].values())
    assert [p["name"] for p in creds.call("listProfiles")["profiles"]] == ["default"]
    assert [o["method"] for o in creds.call("listOperations")["operations"]] == ["createNumber"], "the ledger is kept"
    # The recovery: enter the credentials again, and everything works.
    missing = creds("numbers", "list")
    assert missing.returncode == 78
    creds.ok("credentials", "set", stdin=f"vapiPrivateKey={fake.vapi_key}\n")
    assert creds.json("numbers", "list", "--json")["count"] == 1


def test_reset_yes_for_scripts_and_refusal_on_an_open_store(creds, fake, home):
    refused = creds("credentials", "reset", "--yes")
    assert refused.returncode == 64 and "nothing to reset" in refused.stderr.decode()
    assert creds.json("credentials", "status", "--json")["vapi"]["configured"]

    (home / "master.key").write_text("not a key\n")
    assert creds("numbers", "list").returncode == 81
    done = creds("credentials", "reset", "--yes")
    assert done.returncode == 0, done.stderr
    assert creds("numbers", "list").returncode == 78
    db = sqlite3.connect(home / "switchboard.sqlite")
    assert db.execute("SELECT COUNT(*) FROM credentials").fetchone()[0] == 0
    db.close()
