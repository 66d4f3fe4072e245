"""Public JSON lookup. `async def` on purpose: a threadpool hand-off would cost more than the work,
which is one indexed version read and, most of the time, an answer already serialized."""

from fastapi import APIRouter, Request, Response

from app.errors import Invalid
from app.geography.finder import LookupQuery, Lookups, lookup
from app.geography.schemas import LookupRead

router = APIRouter(prefix="/api", tags=["géographie"])

PARAMETERS = {
    "postcode": (20, "Code postal (5 chiffres)"),
    "insee": (20, "Code INSEE de la commune"),
    "commune": (120, "Nom de la commune"),
    "department": (3, "Code du département où chercher la commune (avec commune)"),
    "country": (80, "Pays de résidence, pour les Français établis hors de France"),
    "address": (200, "Adresse postale (numéro et rue), géocodée par la Géoplateforme"),
    "lat": (30, "Latitude WGS84 en degrés décimaux (avec lon)"),
    "lon": (30, "Longitude WGS84 en degrés décimaux (avec lat)"),
}

# The parameters are read from the query string by hand: FastAPI's per-parameter validation costs
# about a fifth of this route's time, the hottest of the app. They are documented here instead.
LOOKUP_PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": length},
        "description": description,
    }
    for name, (length, description) in PARAMETERS.items()
]


def _query_value(request: Request, name: str) -> str:
    value = request.query_params.get(name, "")
    limit = PARAMETERS[name][0]
    if len(value) > limit:
        raise Invalid(f"« {name} » est trop long ({limit} caractères au plus).", field=name)
    return value


@router.get(
    "/lookup",
    response_model=LookupRead,
    name="api_lookup",
    openapi_extra={"parameters": LOOKUP_PARAMETERS},
    responses={
        404: {"description": "Aucune commune ne correspond"},
        503: {"description": "Géocodeur de la Géoplateforme indisponible"},
    },
)
async def lookup_route(request: Request) -> Response:
    """Circonscription(s), députés and sénateurs for a position, an address, a code or a name."""
    state = request.app.state
    lookups: Lookups = state.geography
    query = LookupQuery(**{name: _query_value(request, name) for name in PARAMETERS})
    answer = await lookup(state.engine, lookups, query)
    return Response(answer.body, media_type="application/json")
