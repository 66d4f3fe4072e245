from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demands.models import Demand
from app.errors import Invalid


def list_demands(session: Session) -> list[Demand]:
    """The demands in the order of the manifesto."""
    return list(session.scalars(select(Demand).order_by(Demand.number)))


def demand_by_number(session: Session, *, number: int) -> Demand:
    """The demand with this number, or a French error naming it."""
    demand = session.scalar(select(Demand).where(Demand.number == number))
    if demand is None:
        raise Invalid(f"Demande n° {number} inconnue.", field="demand")
    return demand
