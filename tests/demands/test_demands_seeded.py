from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demands.models import Demand


def test_migrations_seed_the_four_demands(session: Session) -> None:
    titles = session.scalars(select(Demand.title).order_by(Demand.number)).all()
    assert titles == ["Sensibilisation", "Enquêteurs", "Plateformes", "Droit à l'image"]
