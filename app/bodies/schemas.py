from pydantic import BaseModel

from app.bodies.models import Body
from app.bodies.records import CHAMBER_LABELS, KIND_LABELS


class BodyRead(BaseModel):
    source_id: str
    chamber: str
    chamber_label: str
    kind: str
    kind_label: str
    name: str
    short_name: str
    members: int

    @classmethod
    def of(cls, body: Body, members: int) -> "BodyRead":
        return cls(
            source_id=body.source_id,
            chamber=body.chamber,
            chamber_label=CHAMBER_LABELS.get(body.chamber, body.chamber),
            kind=body.kind,
            kind_label=KIND_LABELS.get(body.kind, body.kind),
            name=body.name,
            short_name=body.short_name,
            members=members,
        )


class MemberRead(BaseModel):
    official_id: int
    roles: list[str]


class BodyDetail(BodyRead):
    current_members: list[MemberRead]
