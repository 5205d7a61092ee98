"""``python -m window``: serve the window API (and the ops API under ``/v1/ops``) with uvicorn on
``ONETHING_WINDOW_HOST``/``ONETHING_WINDOW_PORT``; window keys from ``ONETHING_WINDOW_KEYS_FILE``."""

from __future__ import annotations

import uvicorn

from onething.logs import configure_logging
from onething.settings import Settings
from window.bootstrap import build


def main() -> None:
    settings = Settings()
    settings.refuse_development_secrets()
    configure_logging("INFO", settings.log_format)
    # Our request log writes one line per request; uvicorn's access log would be a second one.
    uvicorn.run(
        build(settings), host=settings.window_host, port=settings.window_port, access_log=False
    )


if __name__ == "__main__":
    main()
