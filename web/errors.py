"""JSON error bodies for every failure; stack traces go to the log, never to the client."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from keeper.errors import FlashkeeperError

log = logging.getLogger("flashkeeper.web")


class ApiError(HTTPException):
    """An expected refusal: status, a stable machine code and a human message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.code = status
        self.error = code
        self.message = message


def validation_details(e: ValidationError) -> list[dict]:
    # no `input` echo: a refused value may be a secret pasted into the wrong field
    return [{"loc": [str(p) for p in err["loc"]], "msg": err["msg"], "type": err["type"]}
            for err in e.errors()]


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(e: ApiError):  # type: ignore[no-untyped-def]
        return jsonify(error=e.error, message=e.message), e.code

    @app.errorhandler(ValidationError)
    def _invalid(e: ValidationError):  # type: ignore[no-untyped-def]
        return jsonify(error="invalid_request", message="request validation failed",
                       details=validation_details(e)), 422

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):  # type: ignore[no-untyped-def]
        name = (e.name or "error").lower().replace(" ", "_")
        response = jsonify(error=name, message=e.description or e.name)
        if e.code == 405 and e.response is None:
            response.headers["Allow"] = ", ".join(e.valid_methods or [])  # type: ignore[attr-defined]
        return response, e.code or 500

    @app.errorhandler(FlashkeeperError)
    def _domain(e: FlashkeeperError):  # type: ignore[no-untyped-def]
        log.warning("request failed: %s", e)
        return jsonify(error="unavailable", message=str(e)), 409

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        return jsonify(error="internal", message="internal server error"), 500
