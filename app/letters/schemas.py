from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from app.letters.models import Channel, LetterStatus


class GenerateRequest(BaseModel):
    """Officials by id, or none for the campaign's whole segment."""

    official_ids: list[StrictInt] | None = Field(default=None, max_length=5000)
    only_new: StrictBool = False


class GenerationRead(BaseModel):
    created: int
    by_email: int
    by_post: int
    already_contacted: int
    without_email: list[str]
    letter_ids: list[int]
    summary: str


class SendRequest(BaseModel):
    """How many e-mails the caller expects to send; refused if the count has changed."""

    expected: StrictInt | None = None


class SendRead(BaseModel):
    queued: int


class ContactCreate(BaseModel):
    official_id: StrictInt
    # Only what happened outside the app is logged by hand.
    channel: Literal[Channel.phone, Channel.meeting]
    notes: str = Field(min_length=1, max_length=20_000)


class StatusChange(BaseModel):
    status: LetterStatus
    detail: str = Field(default="", max_length=2000)


class LetterEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    detail: str
    created_at: datetime


class LetterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    campaign_id: int
    official_id: int
    template_version_id: int | None
    follow_up_of_id: int | None
    channel: str
    status: str
    subject: str
    body: str
    notes: str
    recipient_email: str
    message_id: str
    created_at: datetime
    status_changed_at: datetime


class LetterDetail(LetterRead):
    events: list[LetterEventRead] = Field(default_factory=list)

    @classmethod
    def with_events(cls, letter: Any, events: Sequence[Any]) -> "LetterDetail":
        """A letter with its status changes, from their ORM objects."""
        detail = cls.model_validate(letter)
        detail.events = [LetterEventRead.model_validate(event) for event in events]
        return detail


class LetterPage(BaseModel):
    items: list[LetterRead]
    total: int
    page: int
    size: int
