"""The official python-dialpad client against Switchboard: OAuth2 (`oauth2.authorize_token`,
`redeem_token`, `deauthorize_token`) and `app_settings.get`. The app is registered with the
server's command line (SB_BIN, SB_DATA_DIR); the user consents on the server's page, as a
browser would, with their own API key.

Run by scripts/sdk-tests, which starts a server and sets SB_*.
"""

import base64
import hashlib
import json
import os
import re
import subprocess
import uuid
from urllib.parse import parse_qs, urlsplit

import requests

from sdk import BASE, client, error_of, status_of

REDIRECT = "https://sdk-app.example/callback?tenant=7"
VERIFIER = "sdk-verifier-" + "0123456789abcdef" * 3


def challenge(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def register_app():
    out = subprocess.run(
        [os.environ["SB_BIN"], "--data-dir", os.environ["SB_DATA_DIR"], "oauth-app", "create",
         "--company", os.environ["SB_COMPANY_ID"], "--name", f"SDK app {uuid.uuid4().hex[:6]}",
         "--redirect-uri", REDIRECT, "--settings", '{"crm": "on"}'],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout)


def authorization(app, **extra):
    params = {
        "client_id": app["client_id"], "redirect_uri": REDIRECT, "response_type": "code",
        "scope": "screen_pop recordings_export", "state": "sdk-state",
        "code_challenge": challenge(VERIFIER), "code_challenge_method": "S256",
    }
    params.update(extra)
    return params


def consent(app, key):
    """The user's browser: the consent page, then Allow with their key; answers the code."""
    page = requests.get(f"{BASE}/oauth2/authorize", params=authorization(app),
                        headers={"Accept": "text/html"})
    assert page.status_code == 200 and app["name"] in page.text
    signed = re.search(r'name="consent" value="([^"]+)"', page.text).group(1)
    answer = requests.post(f"{BASE}/oauth2/authorize", allow_redirects=False,
                           data={"consent": signed, "api_key": key, "decision": "allow"})
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT + "&")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["sdk-state"] and query["tenant"] == ["7"]
    return query["code"][0]


def plain_user_id():
    return next(u["id"] for u in client().users.list() if u["emails"] == ["plain@sdk.example"])


def test_oauth2_authorize_redeem_refresh_and_deauthorize():
    app = register_app()
    user_key = os.environ["SB_USER_KEY"]
    # The SDK's authorize_token checks the request: None (204) when it is valid.
    assert client(user_key).oauth2.authorize_token(**authorization(app)) is None
    status, body = error_of(lambda: client(user_key).oauth2.authorize_token(
        **authorization(app, code_challenge_method="plain")))
    assert status == 400 and body["error"]["message"].startswith("invalid_request")
    assert status_of(lambda: client(user_key).oauth2.authorize_token(
        client_id="nobody", redirect_uri=REDIRECT)) == 400

    code = consent(app, user_key)
    grant = {"grant_type": "authorization_code", "code": code, "client_id": app["client_id"],
             "client_secret": app["client_secret"]}
    # A wrong verifier is refused and leaves the code as it was.
    assert status_of(lambda: client().oauth2.redeem_token({**grant, "code_verifier": "x" * 50})) == 400
    tokens = client().oauth2.redeem_token({**grant, "code_verifier": VERIFIER})
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 3600
    # The code works once.
    assert status_of(lambda: client().oauth2.redeem_token({**grant, "code_verifier": VERIFIER})) == 400

    code = consent(app, user_key)
    tokens = client().oauth2.redeem_token({**grant, "code": code, "code_verifier": VERIFIER})
    as_user = client(tokens["access_token"])
    assert as_user.users.get(plain_user_id())["emails"] == ["plain@sdk.example"]

    refreshed = client().oauth2.redeem_token({
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
        "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert refreshed["access_token"] != tokens["access_token"]
    assert status_of(lambda: client().oauth2.redeem_token({
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
        "client_id": app["client_id"], "client_secret": app["client_secret"]})) == 400

    code = consent(app, user_key)
    tokens = client().oauth2.redeem_token({**grant, "code": code, "code_verifier": VERIFIER})
    assert client(tokens["access_token"]).oauth2.deauthorize_token() is None
    assert status_of(lambda: client(tokens["access_token"]).offices.list().__next__()) == 401
    # An API key is not an access token to deauthorize.
    assert status_of(lambda: client(user_key).oauth2.deauthorize_token()) == 401


def test_app_settings():
    app = register_app()
    code = consent(app, os.environ["SB_USER_KEY"])
    tokens = client().oauth2.redeem_token({
        "grant_type": "authorization_code", "code": code, "code_verifier": VERIFIER,
        "client_id": app["client_id"], "client_secret": app["client_secret"]})
    as_app = client(tokens["access_token"])
    settings = as_app.app_settings.get()
    assert settings["enabled"] is True and settings["is_preferred_service"] is False
    assert settings["settings"]["crm"] == "on"
    assert settings["settings"]["call_logging_enabled"] is False
    mine = as_app.app_settings.get(target_id=plain_user_id(), target_type="user")
    assert mine["enabled"] is True
    assert status_of(lambda: as_app.app_settings.get(target_id=1, target_type="user")) == 404
    assert status_of(lambda: as_app.app_settings.get(target_id=1, target_type="unknown")) == 400
    # Only an access token has an app.
    assert status_of(lambda: client().app_settings.get()) == 404
