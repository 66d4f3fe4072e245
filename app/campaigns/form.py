"""The campaign form as typed: kept whole so a mistake is shown beside its field, not instead
of the page; read into a CampaignWrite when it holds together."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from slugify import slugify

from app.campaigns.models import Campaign
from app.campaigns.schemas import CampaignWrite
from app.templating.models import TemplatePurpose

SLUG_MAX_LENGTH = 100
TARGET_FIELDS = ("kind", "departement", "group", "q", "body", "role")
TEXT_FIELDS = (
    "name",
    "slug",
    "description",
    "starts_on",
    "ends_on",
    "first_template_id",
    "follow_up_template_id",
    "kind",
    "departement",
    "group",
    "q",
    "body",
    "role",
    "targeting",
)
# Where a schema error is shown: the form field for its location in CampaignWrite.
FIELD_OF = {
    "demand_numbers": "demands",
    "target.kind": "kind",
    "target.departement": "departement",
    "target.group": "group",
    "target.q": "q",
    "target.body": "body",
    "target.role": "role",
    "first": "first_template_id",
    "follow_up": "follow_up_template_id",
    "": "ends_on",  # the only check on the whole form: the dates' order
}
MESSAGES = {
    "missing": "champ obligatoire",
    "string_too_short": "champ obligatoire",
    "string_too_long": "texte trop long ({max_length} caractères au plus)",
    "literal_error": "valeur non autorisée",
    "enum": "valeur non autorisée",
}
SLUG_HELP = "minuscules sans accents, chiffres et tirets (ex. journee-internet-plus-sur)"


def derive_slug(name: str) -> str:
    """« Journée pour un Internet plus sûr » → « journee-pour-un-internet-plus-sur »."""
    return slugify(name, max_length=SLUG_MAX_LENGTH, word_boundary=True)


@dataclass
class CampaignForm:
    """What was typed (strings, and the ticked demands), and the mistakes by field."""

    values: dict[str, str] = field(default_factory=dict)
    demands: list[str] = field(default_factory=list)
    is_paused: bool = False
    is_public: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def blank(cls, only_templates: dict[str, int]) -> "CampaignForm":
        """A new campaign's form; a template that is the only one of its kind comes chosen."""
        first = only_templates.get(TemplatePurpose.first_letter)
        follow_up = only_templates.get(TemplatePurpose.follow_up)
        return cls(
            values={
                "first_template_id": str(first or ""),
                "follow_up_template_id": str(follow_up or ""),
                "targeting": "own",
            }
        )

    @classmethod
    def of(cls, campaign: Campaign, demand_numbers: list[int]) -> "CampaignForm":
        """The form filled with a saved campaign."""
        target = campaign.target_filter or {}
        values = {
            "name": campaign.name,
            "slug": campaign.slug,
            "description": campaign.description,
            "starts_on": campaign.starts_on.isoformat() if campaign.starts_on else "",
            "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else "",
            "first_template_id": str(campaign.first_template_id or ""),
            "follow_up_template_id": str(campaign.follow_up_template_id or ""),
            "targeting": campaign.targeting,
        }
        for key in TARGET_FIELDS:
            values[key] = str(target.get(key) or "")
        return cls(
            values=values,
            demands=[str(n) for n in demand_numbers],
            is_paused=campaign.is_paused,
            is_public=campaign.is_public,
        )

    def add_error(self, where: str | None, message: str) -> None:
        key = FIELD_OF.get(where or "", where or "")
        if key not in (*TEXT_FIELDS, "demands"):
            key = "form"
        self.errors.setdefault(key, message)

    def _date(self, key: str) -> date | None:
        text = self.values.get(key, "").strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.add_error(key, "date invalide")
            return None

    def _number(self, key: str) -> int | None:
        text = self.values.get(key, "").strip()
        if not text:
            return None
        if not text.isdigit():
            self.add_error(key, "choix invalide")
            return None
        return int(text)

    def _demand_numbers(self) -> list[int]:
        if not all(number.isdigit() for number in self.demands):
            self.add_error("demands", "choix invalide")
            return []
        return [int(number) for number in self.demands]

    def read(self) -> CampaignWrite | None:
        """The campaign to save, or None with `errors` filled; an empty slug comes from the name."""
        slug = self.values.get("slug", "").strip().lower() or derive_slug(
            self.values.get("name", "")
        )
        self.values["slug"] = slug
        raw: dict[str, Any] = {
            "name": self.values.get("name", "").strip(),
            "slug": slug,
            "description": self.values.get("description", ""),
            "starts_on": self._date("starts_on"),
            "ends_on": self._date("ends_on"),
            "demand_numbers": self._demand_numbers(),
            "first_template_id": self._number("first_template_id"),
            "follow_up_template_id": self._number("follow_up_template_id"),
            "target": {key: self.values.get(key, "") for key in TARGET_FIELDS},
            "is_paused": self.is_paused,
            "is_public": self.is_public,
            "targeting": self.values.get("targeting", "own") or "own",
        }
        try:
            data = CampaignWrite.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                self.add_error(".".join(str(part) for part in error["loc"]), _message(error))
            return None
        return None if self.errors else data


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "string_pattern_mismatch":
        return SLUG_HELP if error["loc"] == ("slug",) else "format non valide"
    template = MESSAGES.get(kind, "valeur invalide")
    return template.format(**error.get("ctx", {}))
