from typing import Literal

from pydantic import BaseModel, Field


class DemandDirection(BaseModel):
    number: int
    direction: Literal["supports", "opposes"] = "supports"


class TextMapping(BaseModel):
    """The demands a text or a vote serves; « opposes »: a « pour » goes against the demand."""

    demands: list[DemandDirection] = Field(min_length=1, max_length=20)


class BatchCreated(BaseModel):
    batch_id: int
    proposals: int


class BatchUndone(BaseModel):
    batch_id: int
    removed: int
