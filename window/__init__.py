"""The service-hall window API: validate an application, publish it, answer 202 with the case id.

``create_app`` (``window.app``) builds the FastAPI app over four ports (``window.ports``): a
publisher, the case directory, the idempotency memory and the window registry. The real adapters
live in ``window.adapters`` and are wired in ``window.bootstrap``; in-memory fakes are in
``window.fakes``. ``python -m window`` serves it.
"""

from window.app import create_app

__all__ = ["create_app"]
