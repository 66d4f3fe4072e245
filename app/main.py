from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from app import __version__
from app.bodies import api as bodies_api
from app.bodies import views as bodies_views
from app.campaigns import api as campaigns_api
from app.campaigns import chase_views as campaigns_chase_views
from app.campaigns import views as campaigns_views
from app.config import Settings, get_settings
from app.daily import views as daily_views
from app.dashboard import api as dashboard_api
from app.dashboard import views as dashboard_views
from app.db import build_engine, get_engine, session_factory
from app.demands import api as demands_api
from app.demands import views as demands_views
from app.geography import api as geography_api
from app.geography import views as geography_views
from app.geography.finder import Lookups
from app.legislation import api as legislation_api
from app.letters import api as letters_api
from app.letters import views as letters_views
from app.officials import api as officials_api
from app.officials import views as officials_views
from app.ops import api as ops_api
from app.ops import health
from app.ops.observe import install_observability
from app.ops.ratelimit import shared_limiter
from app.organisation import views as organisation_views
from app.profiles import views as profiles_views
from app.replies import api as replies_api
from app.replies import chase_views
from app.replies import views as replies_views
from app.stances import api as stances_api
from app.stances import views as stances_views
from app.supporters import staff_views as supporters_staff_views
from app.supporters import views as supporters_views
from app.templating import api as templating_api
from app.templating import views as templating_views
from app.users import account_views
from app.users import api as users_api
from app.users import views as users_views
from app.web.apidocs import install_api_docs
from app.web.assets import install_static
from app.web.errors import install_error_handlers
from app.web.headers import SecurityHeaders
from app.web.openapi import install_openapi
from app.web.pages import TEMPLATES_DIR, install_template_globals

STATIC_DIR = TEMPLATES_DIR.parent / "app" / "static"

# The public lookup comes first: routes are matched in order, and it is the hot path.
ROUTERS = [
    geography_api.router,
    health.router,
    ops_api.router,
    supporters_views.router,
    demands_api.router,
    users_api.router,
    demands_views.router,
    users_views.router,
    account_views.router,
    officials_api.router,
    officials_views.router,
    profiles_views.router,
    bodies_api.router,
    bodies_views.router,
    geography_views.router,
    replies_api.router,
    replies_views.router,
    chase_views.router,
    templating_api.router,
    templating_views.router,
    campaigns_api.router,
    campaigns_views.router,
    campaigns_chase_views.router,
    letters_api.router,
    letters_views.router,
    stances_api.router,
    stances_views.router,
    legislation_api.router,
    dashboard_api.router,
    dashboard_views.router,
    daily_views.router,
    supporters_staff_views.router,
    organisation_views.router,
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application: middleware, routers and error handlers — nothing else."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Plaidoyer",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    engine = get_engine() if settings is get_settings() else build_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_sessions = session_factory(engine, write=False)
    app.state.write_sessions = session_factory(engine, write=True)
    app.state.geography = Lookups(geocoder_url=settings.geocoder_url)
    app.state.limiter = shared_limiter(settings, engine)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie="plaidoyer_session",
        max_age=settings.session_idle_minutes * 60,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeaders, https=settings.secure_cookies)
    install_error_handlers(app)
    install_openapi(app)
    install_observability(app)
    install_template_globals(association_name=organisation_views.footer_name)
    install_static(app, STATIC_DIR)
    install_api_docs(app, docs_url="/api/docs")
    for router in ROUTERS:
        app.include_router(router)
    return app
