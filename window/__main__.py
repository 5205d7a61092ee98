"""``python -m window``: serve the window API with uvicorn on ``ONETHING_WINDOW_HOST``/
``ONETHING_WINDOW_PORT``; window keys from ``ONETHING_WINDOW_KEYS_FILE``. The ops API is
``python -m ops``, on a port of its own."""

from __future__ import annotations

import uvicorn

from onething.logs import configure_logging
from onething.settings import Settings
from window.bootstrap import build


def main() -> None:
    settings = Settings()
    # Case ids are keyed with the case-id secret; the ops key is the ops server's business.
    settings.refuse_development_secrets("case_id_key", "data_keys")
    configure_logging("INFO", settings.log_format)
    # Our request log writes one line per request; uvicorn's access log would be a second one.
    uvicorn.run(
        build(settings), host=settings.window_host, port=settings.window_port, access_log=False
    )


if __name__ == "__main__":
    main()
