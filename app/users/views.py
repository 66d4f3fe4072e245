from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.audit.changes import changes
from app.audit.service import list_events
from app.users.deps import AdminUser, OptionalUser, SessionDep, actor_for
from app.users.models import Role
from app.users.service import authenticate, create_user, list_users, update_user
from app.web.deps import CsrfProtected, SettingsDep, client_ip
from app.web.pages import flash, path_for, redirect, render
from app.web.pagination import Page

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)


def _safe_next(request: Request, target: str) -> str:
    """Only same-site paths, so the login form cannot send people elsewhere; home otherwise."""
    if target.startswith("/") and not target.startswith("//"):
        return target
    return path_for(request, "home")


@router.get("/connexion", response_class=HTMLResponse, name="login_page")
def login_page(request: Request, user: OptionalUser, suivant: str = "") -> Response:
    if user is not None:
        return redirect(request, _safe_next(request, suivant))
    return render(request, "users/login.html", {"next": _safe_next(request, suivant)})


@router.post("/connexion", name="login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    suivant: Annotated[str, Form()] = "",
) -> Response:
    user = authenticate(
        session, email=email, password=password, ip=client_ip(request), settings=settings
    )
    if user is None:
        return render(
            request,
            "users/login.html",
            {
                "next": _safe_next(request, suivant),
                "email": email,
                "error": "Identifiants incorrects.",
            },
            status_code=400,
        )
    request.session.clear()
    request.session["user_id"] = user.id
    flash(request, f"Bienvenue, {user.full_name or user.email}.")
    if user.role == Role.director and suivant in ("", path_for(request, "home")):
        suivant = path_for(request, "dashboard_page")  # directors land on their screen
    return redirect(request, _safe_next(request, suivant))


@router.post("/deconnexion", name="logout")
def logout(request: Request) -> Response:
    request.session.clear()
    flash(request, "Vous êtes déconnecté.")
    return redirect(request, path_for(request, "login_page"))


@router.get("/admin/utilisateurs", response_class=HTMLResponse, name="users_page")
def users_page(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    return render(request, "users/list.html", {"users": list_users(session), "roles": list(Role)})


@router.post("/admin/utilisateurs", name="user_create")
def user_create(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[Role, Form()],
    full_name: Annotated[str, Form()] = "",
) -> Response:
    user = create_user(
        session,
        email=email,
        password=password,
        role=role,
        full_name=full_name,
        actor=actor_for(request, admin),
    )
    flash(request, f"Compte créé pour {user.email}.")
    return redirect(request, path_for(request, "users_page"))


@router.post("/admin/utilisateurs/{user_id}", name="user_update")
def user_update(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    user_id: int,
    role: Annotated[Role, Form()],
    is_active: Annotated[bool, Form()] = False,
) -> Response:
    user = update_user(
        session, user_id=user_id, role=role, is_active=is_active, actor=actor_for(request, admin)
    )
    flash(request, f"Compte {user.email} mis à jour.")
    return redirect(request, path_for(request, "users_page"))


@router.get("/admin/journal", response_class=HTMLResponse, name="audit_page")
def audit_page(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    action: str = "",
    objet: str = "",
    auteur: str = "",
    page: int = 1,
) -> Response:
    pager = Page.of(page)
    events, total = list_events(
        session,
        action=action or None,
        object_type=objet or None,
        actor=auteur or None,
        offset=pager.offset,
        limit=pager.size,
    )
    return render(
        request,
        "audit/list.html",
        {
            "events": [(event, changes(event)) for event in events],
            "pager": pager.with_total(total),
            "filters": {"action": action, "objet": objet, "auteur": auteur},
        },
    )
