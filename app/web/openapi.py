"""The API's OpenAPI document, made to say what the app really answers.

FastAPI documents its own validation error shape and only the success status; our handlers answer
every error as `ErrorBody`, and a route can also refuse a caller, miss an object or conflict. This
module derives those statuses from each operation (its security requirement and the roles it lists,
its path parameters, body and method), so clients and fuzzers see the truth.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

ERROR_REF = "#/components/schemas/ErrorBody"

ERROR_DESCRIPTIONS = {
    400: "Requête invalide",
    401: "Jeton d'API manquant ou invalide",
    403: "Rôle insuffisant",
    404: "Élément introuvable",
    409: "Conflit avec l'état actuel des données",
    413: "Contenu trop volumineux",
    422: "Données invalides",
    503: "Service externe indisponible",
}


class ErrorItem(BaseModel):
    field: str = Field(description="Champ en cause (chemin pointé), vide pour le corps entier")
    message: str


class ErrorBody(BaseModel):
    """Every error the API answers: a French message, and the fields in cause if any."""

    detail: str
    errors: list[ErrorItem] | None = Field(default=None, description="Absent s'il n'y en a pas")


def error_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer, read from what it declares."""
    statuses = {400, 422}
    requirements = operation.get("security", [])
    if requirements:
        statuses.add(401)
    if any(scopes for requirement in requirements for scopes in requirement.values()):
        statuses.add(403)
    in_path = any(p.get("in") == "path" for p in operation.get("parameters", []))
    if in_path or "requestBody" in operation:
        statuses.add(404)
    if method != "get":
        statuses.add(409)
    responses = operation.get("responses", {})
    return statuses | {int(code) for code in responses if code.isdigit() and int(code) >= 400}


def _document(method: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in sorted(error_statuses(method, operation)):
        entry = responses.setdefault(str(status), {})
        if status != 422:
            entry["description"] = entry.get("description") or ERROR_DESCRIPTIONS[status]
        else:
            entry["description"] = ERROR_DESCRIPTIONS[422]
        entry["content"] = {"application/json": {"schema": {"$ref": ERROR_REF}}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, built once."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, routes=app.routes, description=app.description
    )
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            _document(method, operation)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    for model in (ErrorItem, ErrorBody):
        schemas[model.__name__] = model.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    app.openapi_schema = schema
    return schema


def install_openapi(app: FastAPI) -> None:
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
