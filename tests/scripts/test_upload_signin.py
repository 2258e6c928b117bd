"""Signing in for riskvid upload: the installed-app OAuth flow (loopback redirect) run for real by
google-auth-oauthlib, its token endpoint the emulator's; the token file's place, mode and refresh."""

from __future__ import annotations

import json
import socket
import stat
import threading
import time
import urllib.parse
import urllib.request

import pytest

from riskvid.cli import main
from riskvid.errors import InputError, RunError
from riskvid.publish.youtube_api import SCOPES, logout, sign_in, signed_in, token_path
from tests.scripts.youtube_emulator import YoutubeEmulator


@pytest.fixture
def oauth(tmp_path, monkeypatch):
    """An OAuth client whose token endpoint is the emulator's; a private config folder; a free port."""
    emulator = YoutubeEmulator().start()
    secrets = tmp_path / "client_secret.json"
    secrets.write_text(json.dumps({"installed": {
        "client_id": "riskvid-test.apps.googleusercontent.com", "client_secret": "not-a-secret",
        "auth_uri": f"http://{emulator.host}/auth", "token_uri": f"http://{emulator.host}/token",
        "redirect_uris": ["http://localhost"]}}))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("RISKVID_OAUTH_PORT", str(port))
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the test's token endpoint is plain HTTP
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "YOUTUBE_EMULATOR_HOST"):
        monkeypatch.delenv(name, raising=False)
    yield emulator, secrets
    emulator.stop()


def consent(capsys) -> str:
    """Play the user: read the address riskvid printed, and send the browser back with a code."""
    deadline = time.monotonic() + 20
    printed = ""
    while "open http" not in printed:
        assert time.monotonic() < deadline, "no sign-in address was printed"
        printed += capsys.readouterr().out
        time.sleep(0.02)
    address = printed.split("open ", 1)[1].split()[0]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(address).query)
    back = f"{query['redirect_uri'][0]}?" + urllib.parse.urlencode({"code": "4/granted", "state": query["state"][0]})
    with urllib.request.urlopen(back, timeout=10) as answer:
        assert b"Signed in" in answer.read()
    return address


def test_signing_in_stores_the_token_in_the_config_folder_0600_and_never_prints_it(oauth, capsys):
    emulator, secrets = oauth
    result = {}
    thread = threading.Thread(target=lambda: result.update(credentials=sign_in(secrets)))
    thread.start()
    address = consent(capsys)
    thread.join(20)
    assert "scope=" + urllib.parse.quote(SCOPES[0], safe="") in address  # the one scope, nothing more
    assert result["credentials"].token == "user-access-1" and emulator.token_requests == ["authorization_code"]
    path = token_path()
    assert path.parent.name == "riskvid" and path.parent.parent.name == "config"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text())["refresh_token"] == "user-refresh-token"
    shown = capsys.readouterr()
    assert "user-refresh-token" not in shown.out + shown.err and "user-access" not in shown.out + shown.err


def test_a_valid_stored_token_is_used_as_is_and_a_stale_one_that_cannot_be_refreshed_is_one_line(oauth, monkeypatch):
    emulator, secrets = oauth
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # nothing listens: Google is never contacted
    path = token_path()
    path.parent.mkdir(parents=True)
    stored = {"token": "stored-access", "refresh_token": "user-refresh-token", "client_id": "riskvid-test",
              "client_secret": "not-a-secret", "scopes": list(SCOPES), "expiry": "2999-01-01T00:00:00Z"}
    path.write_text(json.dumps(stored))
    assert signed_in(secrets).token == "stored-access"  # no sign-in, no refresh
    assert emulator.token_requests == []
    # Stale: google-auth refreshes at Google's own token endpoint (it ignores a token_uri in the file), which
    # the dead proxy makes unreachable, as on a machine without a network.
    path.write_text(json.dumps({**stored, "expiry": "2000-01-01T00:00:00Z"}))
    with pytest.raises(RunError, match="cannot reach Google to refresh the YouTube sign-in .*: check the network"):
        signed_in(secrets)


def test_logout_forgets_the_token(oauth, capsys):
    path = token_path()
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    assert main(["upload", "--logout"]) == 0
    assert not path.exists() and "signed out" in capsys.readouterr().out
    assert logout() is False
    assert main(["upload", "--logout"]) == 0 and "not signed in" in capsys.readouterr().out


def test_without_a_client_secrets_file_signing_in_says_where_to_set_one(oauth):
    with pytest.raises(InputError, match="set youtube.client_secrets in the config, or \\$RISKVID_YOUTUBE_CLIENT"):
        sign_in(None)
