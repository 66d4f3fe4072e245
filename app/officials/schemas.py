import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.bodies.roles import role_key
from app.officials.importers.records import department_code
from app.officials.models import OfficialKind

_ALL = {"", "tous", "all"}
BODY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$"
DEPARTEMENT_PATTERN = r"^([0-9]{1,3}|2[ABab]|[Zz]{2})$"
_BODY_ID = re.compile(BODY_PATTERN)


def _blank_to_none(value: Any) -> Any:
    return value.strip() or None if isinstance(value, str) else value


class OfficialFilter(BaseModel):
    """A directory filter: the list pages, the API, the CSV export and campaign targets use it."""

    model_config = ConfigDict(frozen=True)

    kind: OfficialKind | None = None
    q: str | None = Field(default=None, max_length=100)
    departement: str | None = Field(default=None, pattern=DEPARTEMENT_PATTERN)
    group: str | None = Field(default=None, max_length=100)
    # A body's source id (PO804431, COM-SOCI): its sitting members, with `role` if given.
    body: str | None = Field(default=None, pattern=BODY_PATTERN)
    role: str | None = Field(default=None, max_length=80)
    # True: sitting officials; False: those whose mandate ended; None: both.
    active: bool | None = True
    # True: officials whose current e-mail address bounced; False: the others; None: all.
    bouncing: bool | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        value = _blank_to_none(value)
        if isinstance(value, str) and value not in OfficialKind.__members__:
            raise ValueError(
                f"type d'élu inconnu « {value[:40]} » : deputy, senator ou minister attendu"
            )
        return value

    @field_validator("q", "group", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        value = _blank_to_none(value)
        if isinstance(value, str) and len(value) > 100:
            raise ValueError("texte trop long (100 caractères au plus)")
        return value

    @field_validator("body", mode="before")
    @classmethod
    def _body(cls, value: Any) -> Any:
        value = _blank_to_none(value)
        if isinstance(value, str) and not _BODY_ID.match(value):
            raise ValueError(f"identifiant d'organe invalide « {value[:40]} » (ex. PO804431)")
        return value

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        value = _blank_to_none(value)
        if isinstance(value, str):
            if len(value) > 80:
                raise ValueError("texte trop long (80 caractères au plus)")
            return role_key(value) or None
        return value

    @field_validator("departement", mode="before")
    @classmethod
    def _departement(cls, value: Any) -> Any:
        value = _blank_to_none(value)
        if value is None:
            return None
        code = department_code(str(value))
        if not (code.isdigit() and len(code) in (2, 3)) and code not in {"2A", "2B"}:
            raise ValueError(
                f"code de département invalide « {str(value)[:10]} » (ex. 75, 2A, 971)"
            )
        return code

    @field_validator("active", "bouncing", mode="before")
    @classmethod
    def _active(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in _ALL:
            return None
        return value

    def as_query(self) -> dict[str, str]:
        """The filter as query-string parameters, for links that keep it."""
        values = {
            "kind": self.kind.value if self.kind else "",
            "q": self.q or "",
            "departement": self.departement or "",
            "group": self.group or "",
            "body": self.body or "",
            "role": self.role or "",
            "active": "tous" if self.active is None else str(self.active).lower(),
            "bouncing": "" if self.bouncing is None else str(self.bouncing).lower(),
        }
        return {key: value for key, value in values.items() if value}


class OfficialRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: OfficialKind
    source_id: str
    civility: str
    first_name: str
    last_name: str
    group_code: str
    group_name: str
    department_code: str
    department_name: str
    circonscription: int | None
    portfolio: str
    email: str
    phone: str
    postal_address: str
    mandate_start: date | None
    mandate_end: date | None
    active: bool = Field(validation_alias="is_active")
    email_bouncing: bool = Field(validation_alias="is_bouncing")


class OfficialPage(BaseModel):
    items: list[OfficialRead]
    total: int
    page: int
    size: int
