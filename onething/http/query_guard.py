"""A route dependency that refuses query parameters the route does not declare.

FastAPI ignores them, so ``?overdue=true&overdu=false`` would quietly mean something other than
what a caller believed; like unknown body fields (``extra="forbid"``), they are a 422 naming each.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

__all__ = ["known_query_only"]


def _declared(dependant: Dependant) -> set[str]:
    """The query parameter names of a route and of every dependency it uses."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _declared(sub)
    return names


async def known_query_only(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _declared(route.dependant)
    unknown = [key for key in dict.fromkeys(request.query_params.keys()) if key not in declared]
    if unknown:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", key),
                    "msg": "is not a query parameter of this route",
                    "type": "extra_forbidden",
                }
                for key in unknown
            ]
        )
