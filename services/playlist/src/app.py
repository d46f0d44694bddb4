"""Lambda entry module: the handler is ``app.lambda_handler``.

Lambda imports this once per container. The catalog artifact's download starts first, in a
thread, so it overlaps the service's imports instead of following them (see
:func:`aidj_service.edge.catalog_fetch.start_prefetch`; nothing happens without an artifact).
"""

from aidj_service.edge.catalog_fetch import start_prefetch

start_prefetch()

from aidj_service.edge.lambda_adapter import lambda_handler  # noqa: E402

__all__ = ["lambda_handler"]
