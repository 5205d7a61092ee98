"""Who may use the ops API: a caller holding the operators' key in ``X-Ops-Key``, or nobody.

One dependency guards every ops route, the OpenAPI document and its pages included: what the ops
API can do is itself something only an operator needs to know. The key is compared in constant
time, and an empty configured key matches no request.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Security
from fastapi.security import APIKeyHeader

__all__ = ["OPS_KEY_HEADER", "ops_auth"]

OPS_KEY_HEADER = "X-Ops-Key"

_scheme = APIKeyHeader(
    name=OPS_KEY_HEADER,
    scheme_name="OpsKey",
    description="The operators' API key",
    auto_error=False,  # our own 401 with a sentence, not FastAPI's bare 403
)


def ops_auth(ops_api_key: str) -> Callable[[str | None], Awaitable[None]]:
    """A dependency that lets a request through with the ops key, and answers 401 otherwise."""
    expected = ops_api_key.encode()

    async def operator(api_key: str | None = Security(_scheme)) -> None:
        if not api_key:
            raise HTTPException(status_code=401, detail=f"{OPS_KEY_HEADER} is missing")
        # Constant-time, so the key cannot be guessed a character at a time.
        if not expected or not hmac.compare_digest(api_key.encode(), expected):
            raise HTTPException(status_code=401, detail=f"{OPS_KEY_HEADER} is not valid")

    return operator
