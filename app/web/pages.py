"""Server-rendered pages: one Jinja2 environment, a render() that adds what every page needs."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from app import __version__, labels
from app.clock import paris
from app.security import new_csrf_token

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

templates = Jinja2Templates(directory=TEMPLATES_DIR)


def path_for(request: Request, name: str, /, **params: Any) -> str:
    """The path of a named route, under the prefix a proxy serves the app at; no host."""
    prefix = str(request.scope.get("root_path", ""))
    return prefix + str(request.app.url_path_for(name, **params))


@pass_context
def _template_path_for(context: Context, name: str, /, **params: Any) -> str:
    return path_for(context["request"], name, **params)


def install_template_globals(**domain_globals: Any) -> None:
    """The one place that sets what every template sees: path_for, the version, French labels
    (`value|label("channel")`, `kind_label(kind, civility)`, `n|plural("courrier", "courriers")`)
    and Paris time (`moment|paris`)."""
    templates.env.globals.update(
        path_for=_template_path_for,
        app_version=__version__,
        kind_label=labels.kind_label,
        kind_plural=labels.kind_plural,
        status_labels=labels.LETTER_STATUS,
        channel_labels=labels.CHANNEL,
        role_labels=labels.ROLE,
        position_labels=labels.POSITION,
        evidence_labels=labels.EVIDENCE,
        stance_status_labels=labels.STANCE_STATUS,
        purposes=labels.TEMPLATE_PURPOSE,
        matched_by_labels=labels.MATCHED_BY,
        reply_kind_labels=labels.REPLY_KIND,
        **domain_globals,
    )
    templates.env.filters.update(
        label=labels.label, plural=labels.plural, number=labels.number, paris=paris
    )


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = new_csrf_token()
        request.session["csrf"] = token
    return str(token)


def flash(request: Request, message: str, category: str = "success") -> None:
    """A message shown once on the next page."""
    request.session.setdefault("flash", []).append({"message": message, "category": category})


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Renders a template with the signed-in user, the CSRF token and pending flash messages."""
    has_session = "session" in request.scope  # absent when answering a crash from outside
    page: dict[str, Any] = {
        "current_user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request) if has_session else "",
        "flashes": request.session.pop("flash", []) if has_session else [],
    }
    page.update(context or {})
    return templates.TemplateResponse(request, name, page, status_code=status_code)


def redirect(request: Request, url: str) -> RedirectResponse:
    """After a POST: 303 for plain forms, HX-Redirect for htmx."""
    if request.headers.get("hx-request"):
        response = RedirectResponse(url, status_code=204)
        response.headers["HX-Redirect"] = url
        return response
    return RedirectResponse(url, status_code=303)
