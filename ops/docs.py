"""The ops API's OpenAPI document and its Swagger UI and ReDoc pages, behind the ops key.

FastAPI serves ``/openapi.json``, ``/docs`` and ``/redoc`` to anyone; the ops app turns those off
and serves the same three here, each behind ``ops.auth.ops_auth`` like every other ops route, so
what operators can do is not learnt by whoever reaches the port. The pages fetch the document
from the browser, so the browser must send ``X-Ops-Key`` with every request: a header extension
(ModHeader or the like) set to add it for the ops host, or ``curl -H 'X-Ops-Key: …'
http://HOST:PORT/openapi.json`` for the document alone. Swagger UI's *Authorize* button then
takes the key for "Try it out", and keeps it across reloads of the page.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time.

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

__all__ = ["OPENAPI_URL", "docs_router"]

OPENAPI_URL = "/openapi.json"


def docs_router(operator: Callable[..., Awaitable[None]]) -> APIRouter:
    """The document and its two pages, each passing ``operator`` (the key check) first."""
    router = APIRouter(dependencies=[Depends(operator)], include_in_schema=False)

    def document_url(request: Request) -> str:
        # Behind a proxy that mounts the app under a path, the page must fetch from there.
        return str(request.scope.get("root_path", "")).rstrip("/") + OPENAPI_URL

    @router.get(OPENAPI_URL)
    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(request.app.openapi())

    @router.get("/docs")
    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=document_url(request),
            title=f"{request.app.title} - Swagger UI",
            swagger_ui_parameters={"persistAuthorization": True},
        )

    @router.get("/redoc")
    async def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=document_url(request), title=f"{request.app.title} - ReDoc"
        )

    return router
