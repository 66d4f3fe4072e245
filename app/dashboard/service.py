"""The directors' screen: per demand and chamber, who stands where, and the way to a majority."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session

from app.dashboard.queries import (
    CHAMBERS,
    Change,
    DashboardFilter,
    Outreach,
    change_counts,
    latest_changes,
    outreach,
    seat_counts,
    stance_counts,
)
from app.db import utcnow
from app.demands.service import list_demands
from app.stances.models import Position

SUPPORT = (Position.supportive, Position.committed, Position.acted)
POSITIONS_ORDER = [
    Position.acted,
    Position.committed,
    Position.supportive,
    Position.undecided,
    Position.unknown,
    Position.opposed,
]
# Left to right in each hemicycle (AN groups, then the Sénat's); unknown groups go last.
GROUP_ORDER = [
    "LFI-NFP", "GDR", "CRCE-K", "CRCE", "ECOS", "GEST", "SOC", "SER", "RDSE", "LIOT", "DEM",
    "EPR", "RDPI", "UC", "HOR", "LIRT", "DR", "LR", "UDDPLR", "UDR", "RN", "NI",
]  # fmt: skip


def group_rank(code: str) -> tuple[int, str]:
    return (GROUP_ORDER.index(code) if code in GROUP_ORDER else len(GROUP_ORDER), code)


@dataclass
class ChamberBoard:
    """One chamber's officials on one demand: counts by position and by group."""

    chamber: str
    seats: int
    by_position: dict[str, int] = field(default_factory=dict)
    by_group: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def majority(self) -> int:
        return self.seats // 2 + 1

    @property
    def supporters(self) -> int:
        return sum(self.by_position.get(p, 0) for p in SUPPORT)

    @property
    def needed(self) -> int:
        return max(0, self.majority - self.supporters)

    def share(self, count: int) -> float:
        return count / self.seats if self.seats else 0.0

    def groups_in_order(self) -> list[str]:
        return sorted(self.by_group, key=group_rank)


@dataclass(frozen=True)
class DemandBoard:
    number: int
    title: str
    chambers: list[ChamberBoard]
    changes: dict[str, int]


@dataclass(frozen=True)
class Dashboard:
    demands: list[DemandBoard]
    outreach: list[Outreach]
    recent: list[Change]
    filters: DashboardFilter


def build_dashboard(session: Session, *, filters: DashboardFilter, days: int = 30) -> Dashboard:
    """Every number of the directors' screen, from a handful of aggregate queries."""
    seats = seat_counts(session)
    boards: dict[tuple[int, str], ChamberBoard] = {}
    for number, chamber, group, position, count in stance_counts(session, filters=filters):
        board = boards.setdefault(
            (number, chamber), ChamberBoard(chamber=chamber, seats=seats.get(chamber, 0))
        )
        board.by_position[position] = board.by_position.get(position, 0) + count
        board.by_group.setdefault(group, {})[position] = count
    since = filters.since or utcnow() - timedelta(days=days)
    changes: dict[int, dict[str, int]] = defaultdict(dict)
    for number, position, count in change_counts(session, filters=filters, since=since):
        changes[number][position] = count
    chambers = [c for c in CHAMBERS if not filters.chamber or c == filters.chamber]
    return Dashboard(
        demands=[
            DemandBoard(
                number=d.number,
                title=d.title,
                chambers=[
                    boards.get((d.number, c)) or ChamberBoard(chamber=c, seats=seats.get(c, 0))
                    for c in chambers
                ],
                changes=changes.get(d.number, {}),
            )
            for d in list_demands(session)
        ],
        outreach=outreach(session, filters=filters),
        recent=latest_changes(session, filters=filters, since=since),
        filters=filters,
    )
