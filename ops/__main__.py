"""``python -m ops``: serve the ops API, alone, with uvicorn on ``ONETHING_OPS_HOST``/
``ONETHING_OPS_PORT`` (127.0.0.1:8081 by default), every route and its documentation behind
``ONETHING_OPS_API_KEY``. Outside ``ONETHING_ENVIRONMENT=local`` it refuses to start without a
real key."""

from __future__ import annotations

import uvicorn

from onething.logs import configure_logging
from onething.settings import Settings
from ops.bootstrap import build


def main() -> None:
    settings = Settings()
    # Before anything is built or bound: the ops key is the only secret this server holds.
    settings.refuse_development_secrets("ops_api_key")
    configure_logging("INFO", settings.log_format)
    # Our request log writes one line per request; uvicorn's access log would be a second one.
    uvicorn.run(build(settings), host=settings.ops_host, port=settings.ops_port, access_log=False)


if __name__ == "__main__":
    main()
