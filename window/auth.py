"""Who is calling: the ``X-Window-Key`` header names a service-hall window, or the call is refused.

Each window serves one division (a 6-digit county code); the routes use it to hide every case of
another division behind a 404, so a key for one county cannot even learn that a case elsewhere
exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Security
from fastapi.security import APIKeyHeader

from onething.http.request_log import note
from window.ports import Window, WindowRegistry

__all__ = ["WINDOW_KEY_HEADER", "window_auth"]

WINDOW_KEY_HEADER = "X-Window-Key"

_scheme = APIKeyHeader(
    name=WINDOW_KEY_HEADER,
    scheme_name="WindowKey",
    description="The API key of the service-hall window making the request",
    auto_error=False,  # our own 401, saying what is wrong, instead of FastAPI's bare 403
)


def window_auth(registry: WindowRegistry) -> Callable[[str | None], Awaitable[Window]]:
    """A dependency that returns the calling window, or answers 401."""

    async def calling_window(api_key: str | None = Security(_scheme)) -> Window:
        if not api_key:
            raise HTTPException(
                status_code=401,
                detail=f"{WINDOW_KEY_HEADER} is missing: every request needs its window's key",
            )
        window = registry.window_for(api_key)
        if window is None:
            raise HTTPException(
                status_code=401, detail=f"{WINDOW_KEY_HEADER} is not the key of any window"
            )
        note(window_id=window.window_id)
        return window

    return calling_window
