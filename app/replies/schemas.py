from datetime import datetime

from pydantic import BaseModel, ConfigDict


class ReplyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    letter_id: int | None
    official_id: int | None
    channel: str
    received_at: datetime
    sender: str
    subject: str
    message_id: str | None
    matched_by: str | None
    # reply, auto_reply (out of office), bounce (delivery failure), delivery_notice (delay)
    kind: str
    delivery_status: str
    diagnostic: str


class InboundResult(BaseModel):
    reply: ReplyRead
    created: bool


class LetterToChase(BaseModel):
    letter_id: int
    official_id: int
    official_name: str
    channel: str
    status: str
    subject: str
    since: datetime
    days_without_reply: int


class ChaseList(BaseModel):
    days: int
    total: int
    page: int
    items: list[LetterToChase]
