from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from app.officials.schemas import OfficialFilter

DESCRIPTION_MAX_LENGTH = 5000


class CampaignWrite(BaseModel):
    """What staff set on a campaign, at creation or edit."""

    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    description: str = Field(default="", max_length=DESCRIPTION_MAX_LENGTH)
    starts_on: date | None = None
    ends_on: date | None = None
    # Strict: JSON's `true` is not the number 1, nor is `1` a yes.
    demand_numbers: list[StrictInt] = Field(default_factory=list, max_length=100)
    first_template_id: StrictInt | None = None
    follow_up_template_id: StrictInt | None = None
    target: OfficialFilter = Field(default_factory=OfficialFilter)
    is_paused: StrictBool = False
    is_public: StrictBool = False
    targeting: Literal["own", "fixed"] = "own"

    @model_validator(mode="after")
    def _dates_in_order(self) -> "CampaignWrite":
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("la date de fin précède la date de début")
        return self


class CampaignRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str
    description: str
    starts_on: date | None
    ends_on: date | None
    is_paused: bool
    is_public: bool
    targeting: str
    first_template_id: int | None
    follow_up_template_id: int | None
    target_filter: dict[str, Any]
    demand_numbers: list[int] = Field(default_factory=list)
    created_at: datetime


class CampaignStatsRead(BaseModel):
    total: int
    by_status: dict[str, int]
    by_channel: dict[str, int]
    by_kind: dict[str, int]
    contacted: int
    replied: int
    reply_rate: float | None
