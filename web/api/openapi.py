"""The OpenAPI 3.1 document, generated from the routes' `requires`/`public` declarations, so
that the document and the enforcement cannot drift apart."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app
from pydantic import BaseModel
from werkzeug.routing import Rule

from web.api import bp
from web.auth.rbac import Endpoint, endpoint_of, public

DOCUMENTED_PREFIXES = ("/api/", "/auth/")
_CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
ERROR = {"$ref": "#/components/schemas/Error"}


def routes(app: Flask) -> list[tuple[Rule, Endpoint | None]]:
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(DOCUMENTED_PREFIXES):
            out.append((rule, endpoint_of(app.view_functions[rule.endpoint])))
    return out


def build(app: Flask) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": {
        "type": "object", "required": ["error", "message"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}}
    paths: dict[str, Any] = {}
    for rule, meta in sorted(routes(app), key=lambda r: r[0].rule):
        if meta is None or rule.endpoint == "api.openapi_document":
            continue
        path, params = _path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                rule, meta, method, params, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Flashkeeper dashboard API", "version": "1.0.0",
                 "description": "Roles: viewer < trader < admin. Browsers authenticate with "
                                "`__Host-access` cookies plus the X-CSRF-TOKEN header on "
                                "mutating requests; API clients with `Authorization: Bearer`."},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": "__Host-access"}}},
    }


# path parameters that views validate by pattern (the same expressions as the views')
PATH_PATTERNS = {"dex_id": "^[A-Za-z0-9._-]{1,32}$", "token": "^0x[0-9a-fA-F]{40}$"}


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []

    def repl(m: re.Match[str]) -> str:
        conv, args, name = m.group("conv"), m.group("args"), m.group("name")
        schema: dict[str, Any] = {"type": "string"}
        if conv == "int":
            schema = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
        elif conv == "any" and args:
            schema = {"type": "string", "enum": [a.strip(" '\"") for a in args.split(",")]}
        elif name in PATH_PATTERNS:
            schema = {"type": "string", "pattern": PATH_PATTERNS[name]}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return _CONVERTER.sub(repl, rule), params


def _model(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(rule: Rule, meta: Endpoint, method: str, params: list[dict[str, Any]],
               schemas: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": f"{rule.endpoint.replace('.', '_')}_{method.lower()}",
                          "summary": meta.summary or rule.endpoint,
                          "tags": [rule.rule.split("/")[1]]}
    parameters = list(params)
    responses: dict[str, Any] = {}
    if meta.response is not None:
        responses["200"] = {"description": "OK", "content": {
            "application/json": {"schema": _model(meta.response, schemas)}}}
    elif rule.rule.startswith(("/auth/login", "/auth/callback")):
        responses["302"] = {"description": "redirect (to the provider, or to the dashboard)"}
        responses["502"] = {"description": "the login provider did not answer",
                            "content": {"application/json": {"schema": ERROR}}}
    else:
        responses["200"] = {"description": "OK"}
    if meta.query is not None:
        query = meta.query.model_json_schema()
        for name, prop in query.get("properties", {}).items():
            parameters.append({"name": name, "in": "query", "required": False,
                               "schema": prop})
    if meta.body is not None:
        op["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _model(meta.body, schemas)}}}
    if parameters:
        op["parameters"] = parameters
    if meta.body is not None or meta.query is not None or params:
        responses["400"] = {"description": "malformed request",
                            "content": {"application/json": {"schema": ERROR}}}
        responses["422"] = {"description": "validation failed",
                            "content": {"application/json": {"schema": ERROR}}}
    if meta.role is not None or meta.refresh:
        op["security"] = [{"bearer": []}, {"cookie": []}]
        responses["401"] = {"description": "missing, invalid, expired or revoked token",
                            "content": {"application/json": {"schema": ERROR}}}
    else:
        op["security"] = []
    if meta.role is not None:
        op["description"] = f"Requires role `{meta.role.value}` or higher."
        responses["403"] = {"description": f"requires role {meta.role.value}",
                            "content": {"application/json": {"schema": ERROR}}}
    for code, text in (("404", "not found"), ("409", "refused in the current state"),
                       ("429", "rate limited")):
        responses[code] = {"description": text,
                           "content": {"application/json": {"schema": ERROR}}}
    op["responses"] = responses
    return op


@bp.get("/openapi.json")
@public(summary="This document")
def openapi_document() -> dict:
    return build(current_app)
