"""Sign-in, sessions, form tokens and the headers every response carries.

- Sessions live in the app store (a hash of the cookie's random token); the cookie is HttpOnly,
  SameSite=Strict, and Secure when the app is served over TLS.
- Every form carries the session's token (the sign-in form a token of its own, in a cookie); a post
  without the matching token is refused (403) before anything is read.
- Sign-in is rate-limited per client address (10 failed attempts a minute, counted in the app store
  so that every worker process counts them) and an account is locked for 15 minutes after 5 wrong passwords
  in a row; the message never says whether the name exists.
- The Content Security Policy allows no inline script and nothing from another origin.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSP",
    "LOCK",
    "LOGIN_CSRF_COOKIE",
    "MAX_FAILURES",
    "SESSION_COOKIE",
    "SESSION_LENGTH",
    "SIGN_IN_ATTEMPTS",
    "SIGN_IN_WINDOW",
    "SecurityHeaders",
    "new_form_token",
    "tokens_match",
]

SESSION_COOKIE = "crimeprev_session"
LOGIN_CSRF_COOKIE = "crimeprev_login_form"
SESSION_LENGTH = timedelta(hours=8)
MAX_FAILURES = 5
LOCK = timedelta(minutes=15)
SIGN_IN_ATTEMPTS = 10  # per client address ...
SIGN_IN_WINDOW = timedelta(minutes=1)  # ... in this long
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def new_form_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two form tokens (a missing one never matches)."""
    if not expected or not given:
        return False
    return secrets.compare_digest(str(expected).encode(), str(given).encode())  # bytes: any text compares


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` to every response (and HSTS over TLS) where the
    response has not set them. Plain ASGI rather than Starlette's ``BaseHTTPMiddleware``, which
    costs a task and a stream per request: this is on every page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                added = [(k, v) for k, v in self._headers if k not in present]
                if tls and b"strict-transport-security" not in present:
                    added.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, with_headers)
