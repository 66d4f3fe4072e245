from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demands.models import Demand


def list_demands(session: Session) -> list[Demand]:
    """The demands in the order of the manifesto."""
    return list(session.scalars(select(Demand).order_by(Demand.number)))
