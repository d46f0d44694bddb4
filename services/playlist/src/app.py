"""Lambda entry module: the handler is ``app.lambda_handler``."""

from aidj_service.edge.lambda_adapter import lambda_handler

__all__ = ["lambda_handler"]
