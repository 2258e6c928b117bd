"""The YouTube Data API v3 client: signing in, the token, the emulator, and what an error means.

The client is built from the discovery document bundled with google-api-python-client (nothing
is fetched at run time). With ``YOUTUBE_EMULATOR_HOST=HOST:PORT`` set (the convention of Google's
own emulators) its root is ``http://HOST:PORT/``, media uploads included, and the credentials are
the emulator's: no token is read or written.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import googleapiclient
import httplib2
from google.auth.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build_from_document
from googleapiclient.errors import HttpError
from googleapiclient.http import build_http

from riskvid.errors import InputError, RunError

EMULATOR_VARIABLE = "YOUTUBE_EMULATOR_HOST"
SECRETS_VARIABLE = "RISKVID_YOUTUBE_CLIENT_SECRETS"
PORT_VARIABLE = "RISKVID_OAUTH_PORT"
DEFAULT_OAUTH_PORT = 8085  # fixed, so a headless machine can forward it: ssh -L 8085:localhost:8085
# One scope covers every call riskvid makes: captions need force-ssl (youtube.upload does not cover them).
SCOPES = ("https://www.googleapis.com/auth/youtube.force-ssl",)
TOKEN_NAME = "youtube-token.json"

# Quota units per call, from the API's published table (developers.google.com/youtube/v3/determine_quota_cost).
QUOTA = {
    "videos.insert": 1600, "videos.update": 50, "videos.list": 1,
    "captions.list": 50, "captions.insert": 400, "captions.update": 450, "captions.delete": 50,
    "thumbnails.set": 50,
    "playlists.list": 1, "playlists.insert": 50, "playlistItems.list": 1, "playlistItems.insert": 50,
}
DAILY_QUOTA = 10_000  # a new Google Cloud project's default
QUOTA_REASONS = frozenset({"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded",
                           "uploadLimitExceeded"})
RETRIABLE_STATUS = frozenset({500, 502, 503, 504})
# A dropped or refused connection, a timeout, a response cut short: worth another try.
TRANSPORT_ERRORS = (httplib2.HttpLib2Error, http.client.HTTPException, ConnectionError, TimeoutError, socket.timeout)


@dataclass(frozen=True)
class Connection:
    """A client for the API and the authorised transport under it (for resumable status queries)."""

    service: Any  # googleapiclient.discovery.Resource
    http: AuthorizedHttp
    emulated: bool


class EmulatorCredentials(Credentials):
    """Anonymous credentials for the emulator: a made-up token that a refresh replaces."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # google-auth leaves Credentials.__init__ unannotated
        self.token = "emulator-0"
        self.refreshes = 0

    def refresh(self, request: object) -> None:
        self.refreshes += 1
        self.token = f"emulator-{self.refreshes}"


def emulator_host() -> str | None:
    """The emulator's HOST:PORT, when YOUTUBE_EMULATOR_HOST selects one."""
    return os.environ.get(EMULATOR_VARIABLE) or None


def discovery_document(root_url: str | None = None) -> dict[str, Any]:
    """The bundled YouTube v3 discovery document, its root replaced by ``root_url`` when given."""
    path = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "youtube.v3.json"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if root_url:
        document["rootUrl"] = document["mtlsRootUrl"] = root_url
        document["baseUrl"] = root_url + document["servicePath"]
    return document


def connect(secrets: Path | None) -> Connection:
    """A client signed in (the emulator's, when one is selected); signs in through the browser if needed."""
    host = emulator_host()
    credentials: Credentials = EmulatorCredentials() if host else signed_in(secrets)
    # build_http: an httplib2.Http that does not take YouTube's "308 Resume Incomplete" for a redirect.
    transport = AuthorizedHttp(credentials, http=build_http(), max_refresh_attempts=1)
    document = discovery_document(f"http://{host}/" if host else None)
    return Connection(build_from_document(document, http=transport), transport, bool(host))


# Signing in.


def token_path() -> Path:
    """Where the sign-in token lives: the user's config folder ($XDG_CONFIG_HOME/riskvid, else ~/.config/riskvid)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "riskvid" / TOKEN_NAME


def secrets_path(configured: str | None, config_dir: Path) -> Path | None:
    """The OAuth client's secrets file: $RISKVID_YOUTUBE_CLIENT_SECRETS, else the config's, relative to it."""
    chosen = os.environ.get(SECRETS_VARIABLE) or configured
    if not chosen:
        return None
    path = Path(chosen).expanduser()
    return path if path.is_absolute() else config_dir / path


def signed_in(secrets: Path | None) -> Credentials:
    """Credentials from the stored token (refreshed if stale), else from signing in through the browser."""
    from google.auth.exceptions import RefreshError, TransportError
    from google.auth.transport.requests import Request
    from google.oauth2.credentials import Credentials as UserCredentials

    path = token_path()
    if path.is_file():
        try:
            # google-auth leaves from_authorized_user_file unannotated; it returns these Credentials
            stored: UserCredentials | None = UserCredentials.from_authorized_user_file(  # type: ignore[no-untyped-call]
                str(path), list(SCOPES))
        except (ValueError, KeyError):
            stored = None  # unreadable: sign in again
        if stored is not None and stored.valid:
            return stored
        if stored is not None and stored.refresh_token:
            try:
                stored.refresh(Request())  # type: ignore[no-untyped-call]  # google-auth leaves refresh unannotated
            except RefreshError:
                raise RunError("the YouTube sign-in is no longer accepted: run riskvid upload --logout, then "
                               "riskvid upload to sign in again") from None
            except TransportError as error:
                raise RunError(f"cannot reach Google to refresh the YouTube sign-in ({_first_line(error)}): "
                               "check the network and run again") from None
            save_token(stored)
            return stored
    return sign_in(secrets)


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:160]


def sign_in(secrets: Path | None) -> Credentials:
    """Sign in through the browser (OAuth for installed apps, loopback redirect) and store the token."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    if secrets is None:
        raise InputError(f"no OAuth client to sign in with: set youtube.client_secrets in the config, or "
                         f"${SECRETS_VARIABLE}, to the client_secret_….json of a Desktop app (see the README)")
    if not secrets.is_file():
        raise InputError(f"{secrets}: the OAuth client secrets file is missing")
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(secrets), scopes=list(SCOPES))
    except ValueError as error:
        raise InputError(f"{secrets}: not an OAuth client of type Desktop app ({error})") from None
    port = os.environ.get(PORT_VARIABLE) or str(DEFAULT_OAUTH_PORT)
    if not port.isdigit() or not 1024 <= int(port) <= 65535:
        raise InputError(f"${PORT_VARIABLE}: expected a port from 1024 to 65535, got {port!r}")
    desktop = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"))
    credentials: Credentials = flow.run_local_server(  # google_auth_oauthlib is unannotated
        host="localhost", port=int(port), open_browser=desktop,
        authorization_prompt_message="Sign in to YouTube: open {url}",
        success_message="Signed in: riskvid can upload now. You may close this tab.")
    save_token(credentials)
    return credentials


def save_token(credentials: Any) -> None:
    """Write the token, readable by this user only (0600, its folder 0700); never printed."""
    path = token_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.unlink(missing_ok=True)
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(credentials.to_json())
    os.replace(tmp, path)


def logout() -> bool:
    """Forget the stored token; True if there was one."""
    path = token_path()
    existed = path.is_file()
    path.unlink(missing_ok=True)
    return existed


# What an error means.


def reason(error: HttpError) -> str:
    """The first reason in Google's JSON error body ("quotaExceeded", …), or ""."""
    try:
        body = json.loads(error.content.decode("utf-8"))
        errors = body["error"].get("errors") or [{}]
        return str(errors[0].get("reason") or body["error"].get("status") or "")
    except (ValueError, KeyError, AttributeError, TypeError, IndexError):
        return ""


def status(error: HttpError) -> int:
    """The HTTP status of ``error``."""
    return int(error.resp.status)


def is_quota(error: HttpError) -> bool:
    """Whether YouTube refused for quota or rate (stop: the next run continues)."""
    return status(error) == 429 or (status(error) == 403 and reason(error) in QUOTA_REASONS)


def is_retriable(error: BaseException) -> bool:
    """A 500/502/503/504 or a dropped connection: try again after a pause."""
    if isinstance(error, HttpError):
        return status(error) in RETRIABLE_STATUS
    return isinstance(error, TRANSPORT_ERRORS)


def describe(error: HttpError) -> str:
    """One line for an HTTP error: status, reason and Google's message."""
    try:
        message = json.loads(error.content.decode("utf-8"))["error"]["message"]
    except (ValueError, KeyError, AttributeError, TypeError):
        message = ""
    words = " ".join(str(message).split())[:200]
    return f"HTTP {status(error)}" + (f" {reason(error)}" if reason(error) else "") + (f": {words}" if words else "")
