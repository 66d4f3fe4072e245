from pydantic import BaseModel, ConfigDict


class DemandRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    title: str
    text: str
    text_en: str | None
