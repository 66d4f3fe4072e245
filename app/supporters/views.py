"""Public pages: /agir (postcode → officials → letter → confirmation), privacy, one's own data."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.campaigns.models import Campaign
from app.clock import paris_today
from app.config import Settings
from app.db import utcnow
from app.errors import AppError, Invalid
from app.geography.codes import ABROAD_OFFICIALS
from app.geography.finder import LookupQuery, Lookups, lookup
from app.geography.schemas import LookupRead
from app.officials.models import Official
from app.organisation.service import get_identity
from app.security import Actor
from app.supporters import followup, invitations, privacy, service
from app.supporters.letters import mailto_url, render_drafts, unchanged
from app.supporters.page_cache import CSRF_MARK, PageCache, page_version
from app.users.deps import SessionDep
from app.users.models import User
from app.web.deps import CsrfProtected, SettingsDep, client_ip
from app.web.pages import csrf_token, path_for, render

pages = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)
# Mail clients post the one-click unsubscribe without cookies (RFC 8058): no CSRF token there,
# the signed link is the proof.
one_click = APIRouter(include_in_schema=False)
WRITTEN_COOKIE = "ecrit-{campaign}"
WRITTEN_DAYS = 30
Q = Annotated[str, Query(max_length=120)]
Insee = Annotated[str, Query(max_length=10)]
Address = Annotated[str, Query(max_length=200)]
Coordinate = Annotated[str, Query(max_length=30)]


def absolute(request: Request, settings: Settings, name: str, **params: Any) -> str:
    """A link for an e-mail: under the public URL when one is set, else this request's host."""
    path = path_for(request, name, **params)
    base = settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return base.removesuffix(str(request.scope.get("root_path", ""))) + path


def links(request: Request, settings: Settings) -> service.Links:
    return service.Links(
        confirm=lambda token: absolute(request, settings, "act_confirm_page", token=token),
        my_data=lambda token: absolute(request, settings, "my_data", token=token),
        survey=lambda token: absolute(request, settings, "act_survey", token=token),
        unsubscribe=lambda token: absolute(request, settings, "unsubscribe", token=token),
        campaign=lambda slug: absolute(request, settings, "act_campaign", slug=slug),
    )


@dataclass(frozen=True)
class Search:
    """What the campaign page was asked: a postcode or name, a commune, an address, a point."""

    q: str = ""
    insee: str = ""
    address: str = ""
    lat: str = ""
    lon: str = ""

    def key(self) -> tuple[str, ...]:
        return (self.q, self.insee, self.address, self.lat, self.lon)


async def _lookup(request: Request, search: Search) -> LookupRead | None:
    query = LookupQuery.from_search(
        search.q, insee=search.insee, address=search.address, lat=search.lat, lon=search.lon
    )
    if not any(query.key()):
        return None
    lookups: Lookups = request.app.state.geography
    return (await lookup(request.app.state.engine, lookups, query)).read


@pages.get("/agir", response_class=HTMLResponse, name="act")
async def act(
    request: Request,
    q: Q = "",
    insee: Insee = "",
    address: Address = "",
    lat: Coordinate = "",
    lon: Coordinate = "",
) -> Response:
    return await _public_page(request, None, Search(q, insee, address, lat, lon))


@pages.get("/agir/confirmer/{token}", response_class=HTMLResponse, name="act_confirm_page")
def act_confirm_page(request: Request, token: str) -> Response:
    return render(request, "supporters/confirm.html", {"token": token})


@pages.post("/agir/confirmer/{token}", response_class=HTMLResponse, name="act_confirm")
def act_confirm(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> Response:
    done = service.confirm_request(session, token=token, settings=settings, now=utcnow())
    share = absolute(request, settings, "act_campaign", slug=done.campaign.slug)
    return render(request, "supporters/thanks.html", {"done": done, "share_url": share})


@pages.get("/agir/mes-donnees/{token}", response_class=HTMLResponse, name="my_data")
def my_data(request: Request, session: SessionDep, settings: SettingsDep, token: str) -> Response:
    supporter = privacy.supporter_from_token(session, settings=settings, token=token)
    data = privacy.export_data(session, supporter=supporter)
    return render(request, "supporters/my_data.html", {"token": token, "data": data})


@pages.get("/agir/mes-donnees/{token}/donnees.json", name="my_data_json")
def my_data_json(session: SessionDep, settings: SettingsDep, token: str) -> Response:
    supporter = privacy.supporter_from_token(session, settings=settings, token=token)
    return download_json(privacy.export_data(session, supporter=supporter))


@pages.get("/agir/mes-donnees/{token}/donnees.csv", name="my_data_csv")
def my_data_csv(session: SessionDep, settings: SettingsDep, token: str) -> Response:
    supporter = privacy.supporter_from_token(session, settings=settings, token=token)
    return download_csv(privacy.export_data(session, supporter=supporter))


def download_json(data: dict[str, Any]) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="mes-donnees.json"'}
    return JSONResponse(data, headers=headers)


def download_csv(data: dict[str, Any]) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="mes-donnees.csv"'}
    return Response(privacy.export_csv(data), media_type="text/csv; charset=utf-8", headers=headers)


@pages.post("/agir/mes-donnees/{token}/effacer", response_class=HTMLResponse, name="my_data_erase")
def my_data_erase(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> Response:
    supporter = privacy.supporter_from_token(session, settings=settings, token=token)
    actor = Actor(user_id=None, label="sympathisant (lien personnel)")
    privacy.erase(session, supporter=supporter, actor=actor, now=utcnow())
    return render(request, "supporters/erased.html")


@pages.get("/agir/reponse/{token}", response_class=HTMLResponse, name="act_survey")
def act_survey(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> Response:
    action = followup.surveyed_action(session, settings=settings, token=token)
    context = {"token": token, "action": action, "answers": followup.SURVEY_ANSWERS}
    return render(request, "supporters/survey.html", context)


@pages.post("/agir/reponse/{token}", response_class=HTMLResponse, name="act_survey_answer")
async def act_survey_answer(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> Response:
    form = await request.form()
    action = followup.surveyed_action(session, settings=settings, token=token)
    context: dict[str, Any] = {"token": token, "action": action, "answers": followup.SURVEY_ANSWERS}
    try:
        followup.record_answer(
            session,
            action=action,
            answer=_text(form, "answer"),
            text=_text(form, "text"),
            now=utcnow(),
        )
    except AppError as exc:
        context |= {"error": exc.message, "text": _text(form, "text")}
        return render(request, "supporters/survey.html", context, status_code=exc.status_code)
    return render(request, "supporters/survey.html", context | {"done": True})


@one_click.get("/agir/desabonnement/{token}", response_class=HTMLResponse, name="unsubscribe_page")
def unsubscribe_page(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> Response:
    supporter = invitations.unsubscribed_supporter(session, settings=settings, token=token)
    context = {"token": token, "done": supporter.unsubscribed_at is not None}
    return render(request, "supporters/unsubscribe.html", context)


@one_click.post("/agir/desabonnement/{token}", response_class=HTMLResponse, name="unsubscribe")
def unsubscribe(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> Response:
    """RFC 8058 one-click: the mail client posts « List-Unsubscribe=One-Click », or the person
    clicks the page's button; either way it takes effect at once."""
    supporter = invitations.unsubscribed_supporter(session, settings=settings, token=token)
    invitations.unsubscribe(session, supporter=supporter, now=utcnow())
    return render(request, "supporters/unsubscribe.html", {"token": token, "done": True})


@pages.get("/confidentialite", response_class=HTMLResponse, name="privacy")
def privacy_page(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    identity = get_identity(session, settings=settings)
    context = {"settings": settings, "organisation": identity.name or "L'association"}
    return render(request, "supporters/privacy.html", context | {"contact": identity.sender_email})


@pages.get("/agir/{slug}", response_class=HTMLResponse, name="act_campaign")
async def act_campaign(
    request: Request,
    slug: str,
    q: Q = "",
    insee: Insee = "",
    address: Address = "",
    lat: Coordinate = "",
    lon: Coordinate = "",
) -> Response:
    return await _public_page(request, slug, Search(q, insee, address, lat, lon))


def signed_in_user(session: Session, user_id: object) -> User | None:
    """Staff visiting a public page keep their menu."""
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.is_active else None


def _page_cache(request: Request) -> PageCache:
    state = request.app.state
    if not hasattr(state, "agir_pages"):
        state.agir_pages = PageCache()
    cache: PageCache = state.agir_pages
    return cache


async def _public_page(request: Request, slug: str | None, search: Search) -> Response:
    """The campaign page; `async` and without the request session on purpose: most visits
    are answered from the page cache after one read, on the event loop."""
    personal = (
        "user_id" in request.session
        or bool(request.session.get("flash"))
        or any(name.startswith("ecrit-") for name in request.cookies)
    )
    # An address's answer depends on the geocoder, which may be down for a while: not stored.
    stored = not personal and not search.address
    version = None
    cache = _page_cache(request)
    if stored:
        engine = request.app.state.engine
        with engine.connect().execution_options(sqlite_autocommit=True) as connection:
            version = page_version(connection, slug=slug)
        page = cache.get(slug, version, search.key()) if version is not None else None
        if page is not None:
            # The page posts nothing: a first visit gets no session cookie (and no signing).
            return HTMLResponse(page.replace(CSRF_MARK, request.session.get("csrf", "")))
    with request.app.state.read_sessions() as session:
        if personal:
            request.state.user = signed_in_user(session, request.session.get("user_id"))
        campaign = service.public_campaign(session, slug=slug)
        response = await _campaign_page(
            request, session, campaign, search, csrf=CSRF_MARK if stored else None
        )
    if not stored:
        return response
    page = bytes(response.body).decode()
    if version is not None and response.status_code == 200:
        cache.put(slug, version, search.key(), page)
    return HTMLResponse(
        page.replace(CSRF_MARK, csrf_token(request)), status_code=response.status_code
    )


async def _campaign_page(
    request: Request,
    session: Session,
    campaign: Campaign,
    search: Search,
    *,
    csrf: str | None,
) -> Response:
    result, error, status = None, "", 200
    fixed: list[Official] = []
    if campaign.targeting == "fixed":
        fixed = service.fixed_targets(session, campaign=campaign)
    else:
        try:
            result = await _lookup(request, search)
        except AppError as exc:
            error, status = exc.message, exc.status_code
    ids = [o.id for o in fixed]
    if result is not None:
        ids = [o.id for o in [*result.deputies, *result.senators]]
    context = {
        "campaign": campaign,
        "demands": service.letter_demands(session, campaign=campaign),
        "q": search.q,
        "insee": search.insee,
        "address": search.address,
        "result": result,
        "split": result is not None and result.position is None and len(result.deputies) > 1,
        "split_commune": result.split_commune() if result else None,
        "written": written_to(request, campaign),
        "fixed": fixed,
        "stances": service.approved_stances(session, official_ids=ids) if ids else {},
        "error": error,
    }
    if csrf is not None:
        context["csrf_token"] = csrf
    return render(request, "supporters/campaign.html", context, status_code=status)


def written_to(request: Request, campaign: Campaign) -> set[int]:
    """The officials this browser has written to in this campaign (a cookie of their ids)."""
    value = request.cookies.get(WRITTEN_COOKIE.format(campaign=campaign.id), "")
    return {int(part) for part in value.split(".") if part.isdigit() and len(part) < 10}


def remember_written(
    request: Request, response: Response, campaign: Campaign, official_ids: Sequence[int]
) -> Response:
    """Tick « écrit ✓ » beside these officials on the campaign page, in this browser only."""
    ids = sorted(written_to(request, campaign) | set(official_ids))[-60:]
    response.set_cookie(
        WRITTEN_COOKIE.format(campaign=campaign.id),
        ".".join(str(i) for i in ids),
        max_age=WRITTEN_DAYS * 86400,
        path="/agir",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def _ids(values: Sequence[Any]) -> list[int]:
    found = [_int(v) for v in values]
    if None in found:
        raise Invalid("Élu inconnu : recommencez la recherche.", field="official")
    return [v for v in found if v is not None]


async def _constituent_of(
    request: Request, officials: Sequence[Official], search: Search
) -> set[int]:
    """The deputy an address placed the supporter with, if any: their letter says so."""
    if not search.address.strip():
        return set()
    try:
        result = await _lookup(request, search)
    except AppError:
        return set()
    if result is None or result.position is None or len(result.deputies) != 1:
        return set()
    return {o.id for o in officials if o.id == result.deputies[0].id}


@pages.get("/agir/{slug}/lettre", response_class=HTMLResponse, name="act_letter")
async def act_letter(
    request: Request,
    session: SessionDep,
    slug: str,
    official: Annotated[list[str] | None, Query()] = None,
    lead: Annotated[str, Query(max_length=10)] = "",
    version: Annotated[str, Query(max_length=10)] = "court",
    q: Q = "",
    insee: Insee = "",
    address: Address = "",
) -> Response:
    campaign = service.public_campaign(session, slug=slug)
    chosen = service.writable_officials(
        session, campaign=campaign, official_ids=_ids(official or [])
    )
    constituent = await _constituent_of(request, chosen, Search(q, insee, address))
    return _letter_page(session, request, campaign, chosen, _int(lead), version, constituent)


def _letter_page(
    session: Session,
    request: Request,
    campaign: Campaign,
    officials: Sequence[Official],
    lead: int | None,
    version: str,
    constituent: set[int],
    *,
    form: FormData | None = None,
    error: str = "",
    nudge: bool = False,
    status_code: int = 200,
) -> Response:
    demands = service.letter_demands(session, campaign=campaign)
    drafts = render_drafts(
        officials=officials,
        demands=demands,
        lead_id=lead,
        detailed=version == "detaille",
        constituent_of=constituent,
        day=paris_today(),
    )
    mailtos = {
        d.official.id: mailto_url(to=d.official.email, subject=d.subject, body=d.body)
        for d in drafts
    }
    context = {
        "campaign": campaign,
        "demands": demands,
        "drafts": drafts,
        "lead": lead,
        "version": version,
        "constituent": sorted(constituent),
        "form": form,
        "error": error,
        "nudge": nudge,
        "mailtos": mailtos,
        # Writing only to the French abroad's officials: signed with a country, not a postcode.
        "abroad": bool(officials) and all(o.department_code == ABROAD_OFFICIALS for o in officials),
    }
    return render(request, "supporters/letter.html", context, status_code=status_code)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@pages.post("/agir/{slug}/envoyer", response_class=HTMLResponse, name="act_submit")
async def act_submit(
    request: Request, session: SessionDep, settings: SettingsDep, slug: str
) -> Response:
    form = await request.form()
    campaign = service.public_campaign(session, slug=slug)
    officials = service.writable_officials(
        session, campaign=campaign, official_ids=_ids(form.getlist("official"))
    )
    lead, version = _int(_text(form, "lead")), _text(form, "version")
    constituent = set(_ids(form.getlist("constituent"))) & {o.id for o in officials}

    def again(error: str = "", nudge: bool = False, status: int = 422) -> Response:
        return _letter_page(
            session, request, campaign, officials, lead, version, constituent,
            form=form, error=error, nudge=nudge, status_code=status,
        )  # fmt: skip

    if _text(form, "website"):
        return again(service.HONEYPOT_MESSAGE)
    letters = {
        o.id: (_text(form, f"subject_{o.id}"), _text(form, f"body_{o.id}")) for o in officials
    }
    personal = _text(form, "personal")
    if not _text(form, "nudged"):
        drafts = render_drafts(
            officials=officials,
            demands=service.letter_demands(session, campaign=campaign),
            lead_id=lead,
            detailed=version == "detaille",
            constituent_of=constituent,
            day=paris_today(),
        )
        if unchanged(drafts, letters, personal):
            return again(nudge=True, status=200)
    letter_request = service.LetterRequest(
        name=_text(form, "name"),
        email=_text(form, "email"),
        postcode=_text(form, "postcode"),
        consent_send=bool(_text(form, "consent_send")),
        consent_news=bool(_text(form, "consent_news")),
        lead_demand_id=lead,
        detailed=version == "detaille",
        personal=personal,
        letters=letters,
        constituent_of=constituent,
    )
    try:
        with session.begin_nested():
            service.submit_request(
                session,
                campaign=campaign,
                request=letter_request,
                settings=settings,
                links=links(request, settings),
                ip=client_ip(request),
                now=utcnow(),
            )
    except AppError as exc:
        return again(exc.message, status=exc.status_code)
    target = path_for(request, "act_check_email", slug=campaign.slug)
    response = RedirectResponse(target, status_code=303)
    return remember_written(request, response, campaign, [o.id for o in officials])


@pages.get("/agir/{slug}/verifiez", response_class=HTMLResponse, name="act_check_email")
def act_check_email(request: Request, session: SessionDep, slug: str) -> Response:
    campaign = service.public_campaign(session, slug=slug)
    return render(request, "supporters/check_email.html", {"campaign": campaign})


@pages.post("/agir/{slug}/messagerie/{official_id}", name="act_mailto")
async def act_mailto(
    request: Request, session: SessionDep, slug: str, official_id: int
) -> Response:
    form = await request.form()
    campaign = service.public_campaign(session, slug=slug)
    (official,) = service.writable_officials(session, campaign=campaign, official_ids=[official_id])
    lead, version = _int(_text(form, "lead")), _text(form, "version")
    constituent = set(_ids(form.getlist("constituent"))) & {official.id}
    (draft,) = render_drafts(
        officials=[official],
        demands=service.letter_demands(session, campaign=campaign),
        lead_id=lead,
        detailed=version == "detaille",
        constituent_of=constituent,
        day=paris_today(),
    )
    service.record_mailto(session, campaign=campaign, now=utcnow())
    url = mailto_url(to=official.email, subject=draft.subject, body=draft.body)
    return remember_written(
        request, RedirectResponse(url, status_code=303), campaign, [official.id]
    )


router = APIRouter(include_in_schema=False)
router.include_router(one_click)
router.include_router(pages)
