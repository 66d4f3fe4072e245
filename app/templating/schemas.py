from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from app.templating.models import TemplatePurpose


class TemplateCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    purpose: TemplatePurpose = TemplatePurpose.first_letter
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=50_000)


class TemplateUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=50_000)


class TemplateVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    subject: str
    body: str
    created_at: datetime


class TemplateRead(BaseModel):
    id: int
    name: str
    purpose: TemplatePurpose
    latest: TemplateVersionRead


class PreviewRequest(BaseModel):
    official_id: StrictInt
    subject: str | None = Field(default=None, max_length=300)
    body: str | None = Field(default=None, max_length=50_000)


class PreviewRead(BaseModel):
    subject: str
    body: str
