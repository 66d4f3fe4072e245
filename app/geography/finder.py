"""The one entry point of « Trouver mon élu », shared by /api/lookup and the page, so both agree on
which criterion wins: a position, then an address, then an INSEE code, a postcode, a country
abroad, a name."""

import math
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from app.errors import AppError, Invalid, NotFound
from app.geography.cache import AnswerCache
from app.geography.codes import (
    DEPARTMENT_NUMBER,
    INSEE_CODE,
    POSTCODE,
    POSTCODE_LIKE,
    normalize_code,
)
from app.geography.contours import Seat, contour_index
from app.geography.geocoder import GeocodedAddress, Geocoder, GeocoderUnavailable
from app.geography.lookup import (
    LookupResult,
    lookup_commune_name,
    lookup_country,
    lookup_insee,
    lookup_postcode,
    lookup_seats,
)
from app.geography.schemas import LookupRead, PositionRead

LOW_SCORE = 0.5
MAX_ADDRESS = 200


class GeocoderDown(AppError):
    status_code = 503
    default_message = (
        "Le service national des adresses ne répond pas pour l'instant : indiquez votre code "
        "postal, ou réessayez dans quelques minutes."
    )


@dataclass(frozen=True)
class LookupQuery:
    """What a person typed; every field optional, raw text."""

    postcode: str = ""
    insee: str = ""
    commune: str = ""
    department: str = ""  # narrows a commune name to one département
    country: str = ""
    address: str = ""
    lat: str = ""
    lon: str = ""

    @classmethod
    def from_search(cls, text: str, **others: str) -> "LookupQuery":
        """The page's single search box: a postcode when it looks like one, else a name."""
        code = normalize_code(text)
        # Two or three digits are a département (« 93 », « 974 »), searched like its name.
        if POSTCODE_LIKE.match(code) and not DEPARTMENT_NUMBER.match(code):
            return cls(postcode=text, **others)
        return cls(commune=text, **others)

    def key(self) -> tuple[str, ...]:
        return (
            self.postcode,
            self.insee,
            self.commune,
            self.department,
            self.country,
            self.address,
            self.lat,
            self.lon,
        )


@dataclass(frozen=True)
class Answer:
    read: LookupRead
    body: bytes

    @classmethod
    def of(cls, result: LookupResult, position: PositionRead | None = None) -> "Answer":
        read = LookupRead.from_result(result, position=position)
        return cls(read, read.model_dump_json().encode())


class Lookups:
    """Kept per process, built in create_app: finished answers and the geocoder."""

    def __init__(self, *, geocoder_url: str) -> None:
        self.answers: AnswerCache[Answer] = AnswerCache()
        self.geocoder = Geocoder(geocoder_url)


def _coordinate(text: str, name: str, limit: float) -> float:
    try:
        value = float(normalize_code(text).replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise Invalid(
            f"« {name} » doit être un nombre entre -{limit:g} et {limit:g} (degrés décimaux).",
            field=name,
        )
    return value


def _seats(lat: float, lon: float) -> list[Seat]:
    seats = contour_index().locate(lat=lat, lon=lon)
    if not seats:
        raise NotFound(
            "Ce point n'est dans aucune circonscription : en mer, hors de France, ou dans une "
            "collectivité dont nous n'avons pas les contours. Cherchez par code postal."
        )
    return seats


def _candidates(connection: Connection, query: LookupQuery, *, insee: str = "") -> LookupResult:
    if insee or query.insee:
        return lookup_insee(connection, insee=insee or query.insee)
    if query.postcode.strip():
        return lookup_postcode(connection, postcode=query.postcode)
    if query.country.strip():
        return lookup_country(connection, country=query.country)
    if query.commune.strip():
        return lookup_commune_name(connection, name=query.commune, department=query.department)
    raise Invalid(
        "Indiquez un code postal, un code INSEE, un nom de commune ou, hors de France, un pays.",
        field="postcode",
    )


def _with_notice(result: LookupResult, notice: str) -> LookupResult:
    result.notices.insert(0, notice)
    return result


def _from_address(
    connection: Connection, query: LookupQuery, found: GeocodedAddress | None
) -> Answer:
    hinted = bool(query.postcode.strip() or query.insee.strip() or query.commune.strip())
    if found is None:
        if not hinted:
            raise NotFound(
                f"Adresse introuvable : « {query.address.strip()} ». Vérifiez-la, ou ajoutez "
                "votre code postal."
            )
        note = "Adresse introuvable : vérifiez-la. Voici en attendant les élus possibles."
        return Answer.of(_with_notice(_candidates(connection, query), note))
    position = PositionRead(lat=found.lat, lon=found.lon, label=found.label, score=found.score)
    seats = contour_index().locate(lat=found.lat, lon=found.lon)
    if found.kind == "municipality" or not seats:
        note = (
            f"Nous n'avons reconnu que la commune (« {found.label} ») : précisez le numéro et "
            "la rue pour trouver votre seul député."
        )
        result = _candidates(connection, query, insee=found.citycode)
        return Answer.of(_with_notice(result, note), position)
    result = lookup_seats(connection, seats=seats, insee=found.citycode, query=found.label)
    if found.score < LOW_SCORE:
        score = f"{found.score:.2f}".replace(".", ",")
        _with_notice(
            result,
            f"Vérifiez l'adresse : nous avons compris « {found.label} » (confiance {score}). "
            "Si ce n'est pas la vôtre, corrigez-la.",
        )
    return Answer.of(result, position)


async def lookup(engine: Engine, lookups: Lookups, query: LookupQuery) -> Answer:
    """The answer for whichever criterion wins, from the cache when the data is unchanged."""
    key = query.key()
    seats: list[Seat] = []
    if query.lat or query.lon:
        # Answers are kept by circonscription, not by point: every point in it shares one.
        seats = _seats(_coordinate(query.lat, "lat", 90), _coordinate(query.lon, "lon", 180))
        key = ("seats", *(f"{s.department_code}-{s.number}" for s in seats))
    if (recent := lookups.answers.recent(key)) is not None:
        return recent
    with engine.connect().execution_options(sqlite_autocommit=True) as connection:
        cached = lookups.answers.get(connection, key)
        if cached is not None:
            return cached
        if seats or not query.address.strip():
            if seats:
                answer = Answer.of(lookup_seats(connection, seats=seats))
            else:
                answer = Answer.of(_candidates(connection, query))
            lookups.answers.put(key, answer)
            return answer
    address = query.address.strip()
    if len(address) < 3 or len(address) > MAX_ADDRESS:
        raise Invalid(f"Une adresse compte de 3 à {MAX_ADDRESS} caractères.", field="address")
    postcode = normalize_code(query.postcode)
    insee = normalize_code(query.insee)
    if postcode and not POSTCODE.match(postcode):
        raise Invalid("Un code postal compte 5 chiffres, par exemple 75011.", field="postcode")
    if insee and not INSEE_CODE.match(insee):
        raise Invalid("Un code INSEE compte 5 caractères, par exemple 75111.", field="insee")
    try:
        found = await lookups.geocoder.geocode(address, postcode=postcode, citycode=insee)
    except GeocoderUnavailable:
        with engine.connect().execution_options(sqlite_autocommit=True) as connection:
            try:
                result = _candidates(connection, query)
            except Invalid as exc:
                raise GeocoderDown() from exc
        note = (
            "Le service national des adresses ne répond pas : voici les élus possibles pour "
            "votre commune. Réessayez l'adresse dans quelques minutes."
        )
        return Answer.of(_with_notice(result, note))
    with engine.connect().execution_options(sqlite_autocommit=True) as connection:
        answer = _from_address(connection, query, found)
    lookups.answers.put(key, answer)
    return answer
