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


class DepartmentRead(BaseModel):
    code: str
    name: str


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
    suggestions: list[CommuneRead] = []
    department: DepartmentRead | None = None  # a département named: search its communes

    def split_commune(self) -> CommuneRead | None:
        """The one commune found, when it spans several circonscriptions and no point was given:
        only an address (or a position) can then tell the député."""
        if self.position is not None or len(self.communes) != 1:
            return None
        commune = self.communes[0]
        return commune if len(commune.circonscriptions) > 1 else None

    def deputy_groups(self) -> list[tuple[CommuneRead, list[OfficialSummary]]]:
        """Each commune of a postcode with its own candidate députés, never one merged list."""
        groups = []
        for commune in self.communes:
            seats = {(c.department_code, c.number) for c in commune.circonscriptions}
            deputies = [d for d in self.deputies if (d.department_code, d.circonscription) in seats]
            groups.append((commune, deputies))
        return groups

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
            suggestions=[_commune(c) for c in result.suggestions],
            department=DepartmentRead(code=result.department[0], name=result.department[1])
            if result.department
            else None,
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
