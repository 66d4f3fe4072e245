from pydantic import BaseModel
from sqlalchemy import RowMapping

from app.geography.lookup import CommuneMatch, LookupResult


class OfficialSummary(BaseModel):
    id: int
    source_id: str
    kind: str
    civility: str
    first_name: str
    last_name: str
    group_code: str
    group_name: str
    department_code: str
    circonscription: int | None
    email: str


class CirconscriptionRead(BaseModel):
    department_code: str
    number: int
    partial: bool


class CommuneRead(BaseModel):
    insee: str
    name: str
    department_code: str
    department_name: str
    circonscriptions: list[CirconscriptionRead]


class PositionRead(BaseModel):
    """The point looked up; with the geocoder's matched address and score for an address."""

    lat: float
    lon: float
    label: str | None = None
    score: float | None = None


class LookupRead(BaseModel):
    postcode: str | None
    query: str | None
    communes: list[CommuneRead]
    deputies: list[OfficialSummary]
    senators: list[OfficialSummary]
    notice: str | None
    position: PositionRead | None = None

    @classmethod
    def from_result(
        cls, result: LookupResult, *, position: PositionRead | None = None
    ) -> "LookupRead":
        return cls(
            postcode=result.postcode,
            query=result.query,
            communes=[_commune(c) for c in result.communes],
            deputies=[_official(row) for row in result.deputies],
            senators=[_official(row) for row in result.senators],
            notice=" ".join(result.notices) or None,
            position=position,
        )


def _commune(commune: CommuneMatch) -> CommuneRead:
    return CommuneRead(
        insee=commune.insee,
        name=commune.name,
        department_code=commune.department_code,
        department_name=commune.department_name,
        circonscriptions=[
            CirconscriptionRead(department_code=d, number=n, partial=p)
            for d, n, p in commune.circonscriptions
        ],
    )


def _official(row: RowMapping) -> OfficialSummary:
    return OfficialSummary.model_validate(dict(row))
