"""schemathesis against the JSON API: every operation, signed in, with generated inputs, no server error.

The API's own description (``/api/openapi.json``) drives the inputs; the session cookie of a signed-in
analyst goes with every call, so the operations run past the sign-in check (a signed-out call is a
clean 401, tested in test_app.py). The app and its app store are made when this module is collected
(schemathesis reads the description then), in a temporary folder.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error

from crimeprev.model.accounts import Role
from crimeprev.store.app_store import open_app_store
from crimeprev.web.app import Settings, create_app
from crimeprev.web.passwords import hash_password
from tests.web.test_app import PASSWORD, sign_in

_FOLDER = Path(tempfile.mkdtemp(prefix="crimeprev-fuzz-"))
_URL = f"sqlite:///{_FOLDER / 'app.sqlite'}"
_store = open_app_store(_URL)
_store.add_account("analyst", Role.ANALYST, hash_password(PASSWORD), [], by="admin", now=datetime.now(UTC))
_store.close()
APP = create_app(Settings(app_db=_URL, half_year="2024-03"))
with TestClient(APP) as _client:
    sign_in(_client, "analyst")
    COOKIES = dict(_client.cookies)

schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@schema.parametrize()
def test_the_api_answers_every_generated_call_without_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(cookies=COOKIES, checks=[not_a_server_error])
