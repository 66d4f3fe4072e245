"""Every error answered in one place: JSON on /api, a French page elsewhere, never a trace."""

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import AppError, Unavailable
from app.web.deps import LoginRequired
from app.web.headers import add_security_headers
from app.web.pages import path_for, render

logger = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Requête invalide.",
    401: "Authentification requise.",
    403: "Accès refusé.",
    404: "Cette page n'existe pas.",
    405: "Méthode non autorisée pour cette adresse.",
    413: "Le contenu envoyé est trop volumineux.",
    415: "Type de contenu non pris en charge.",
    429: "Trop de requêtes. Réessayez dans quelques minutes.",
    500: "Une erreur interne est survenue. L'équipe technique peut la retrouver dans les journaux.",
}

OUT_OF_RANGE = (
    "Une valeur envoyée est hors des limites acceptées "
    "(nombre trop grand, texte trop long ou caractère interdit)."
)

FIELD_ERRORS = {
    "missing": "champ obligatoire manquant",
    "json_invalid": "JSON mal formé",
    "int_parsing": "nombre entier attendu",
    "string_too_short": "texte trop court",
    "string_too_long": "texte trop long",
    "enum": "valeur non autorisée",
    "value_error": "valeur invalide",
    "int_type": "nombre entier attendu",
    "bool_type": "true ou false attendu",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "string_pattern_mismatch": "format non valide",
    "literal_error": "valeur non autorisée",
    "too_long": "liste trop longue",
}


# PostgreSQL refusals that a retry a little later will get past: lock_not_available,
# too_many_connections, cannot_connect_now.
BUSY_SQLSTATES = {"55P03", "53300", "57P03"}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _answer(
    request: Request,
    status: int,
    message: str,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    response: Response
    if _is_api(request):
        body: dict[str, object] = {"detail": message}
        if errors:
            body["errors"] = errors
        response = JSONResponse(body, status_code=status)
    else:
        response = render(
            request,
            "error.html",
            {"status": status, "message": message, "errors": errors or []},
            status_code=status,
        )
    response.headers.update(headers or {})
    if status == Unavailable.status_code:
        response.headers["Retry-After"] = str(Unavailable.retry_after_seconds)
    return response


def _describe(error: dict[str, Any]) -> dict[str, str]:
    location = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    kind = str(error.get("type", ""))
    text = FIELD_ERRORS.get(kind) or FIELD_ERRORS.get(kind.split("_")[0]) or str(error.get("msg"))
    return {"field": location, "message": text}


async def app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, LoginRequired) and not _is_api(request):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"{path_for(request, exc.page)}?suivant={target}", status_code=303)
    errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
    return _answer(request, exc.status_code, exc.message, errors)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [_describe(dict(error)) for error in exc.errors()]
    summary = "; ".join(f"{e['field'] or 'corps'} : {e['message']}" for e in errors)
    return _answer(request, 422, f"Données invalides — {summary}.", errors)


# Starlette's form parser refuses an oversized field or part (1 MB) with an English 400.
FORM_LIMITS = ("Field exceeded maximum size", "Part exceeded maximum size")
FORM_TOO_LARGE = "Un champ du formulaire est trop long : raccourcissez le texte envoyé."


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and str(exc.detail).startswith(FORM_LIMITS):
        return _answer(request, 422, FORM_TOO_LARGE)
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
    message = detail if detail and detail not in {"Not Found", "Method Not Allowed"} else None
    # Keeps the headers HTTP asks for, such as `Allow` on a 405.
    return _answer(
        request,
        exc.status_code,
        message or HTTP_MESSAGES.get(exc.status_code, "Erreur."),
        headers=exc.headers,
    )


async def out_of_range(request: Request, exc: Exception) -> Response:
    # The database refused a value no validator caught (huge id, over-long or NUL-bearing text).
    logger.warning(
        "Valeur refusée par la base sur %s %s : %s", request.method, request.url.path, exc
    )
    return _answer(request, 422, OUT_OF_RANGE)


def _database_busy(exc: Exception) -> bool:
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "database is locked" in str(exc.orig) or "database table is locked" in str(exc.orig)


async def database_busy(request: Request, exc: Exception) -> Response:
    # The database could not be had in time: the transaction was rolled back, nothing changed.
    if not _database_busy(exc):
        return await unexpected_error(request, exc)
    logger.warning("Base occupée sur %s %s : %s", request.method, request.url.path, exc)
    return _answer(request, Unavailable.status_code, Unavailable.default_message)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    logger.exception("Erreur inattendue sur %s %s", request.method, request.url.path)
    # Whatever broke may be the user object itself: the crash page must not depend on it.
    request.state.user = None
    response = _answer(request, 500, HTTP_MESSAGES[500])
    add_security_headers(
        response.headers,
        path=request.url.path,
        https=request.app.state.settings.secure_cookies,
        signed_in=True,  # who was signed in is unknown here: never cache the page
    )
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DataError, out_of_range)
    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(PoolTimeout, database_busy)
    app.add_exception_handler(OperationalError, database_busy)
    app.add_exception_handler(Exception, unexpected_error)
