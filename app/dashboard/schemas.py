from datetime import datetime

from pydantic import BaseModel

from app.dashboard.service import ChamberBoard, Dashboard


class PositionCount(BaseModel):
    count: int
    share: float


class GroupCounts(BaseModel):
    group: str
    counts: dict[str, int]


class ChamberRead(BaseModel):
    chamber: str
    seats: int
    majority: int
    supporters: int
    needed: int
    by_position: dict[str, PositionCount]
    by_group: list[GroupCounts]

    @classmethod
    def of(cls, board: ChamberBoard) -> "ChamberRead":
        return cls(
            chamber=board.chamber,
            seats=board.seats,
            majority=board.majority,
            supporters=board.supporters,
            needed=board.needed,
            by_position={
                p: PositionCount(count=c, share=round(board.share(c), 4))
                for p, c in board.by_position.items()
            },
            by_group=[
                GroupCounts(group=g, counts=board.by_group[g]) for g in board.groups_in_order()
            ],
        )


class DemandRead(BaseModel):
    number: int
    title: str
    chambers: list[ChamberRead]
    changes: dict[str, int]


class OutreachRead(BaseModel):
    chamber: str
    sitting: int
    contacted: int
    replied: int
    silent: int
    reply_rate: float
    median_days_to_reply: float | None


class ChangeRead(BaseModel):
    official_id: int
    name: str
    chamber: str
    group: str
    demand: int
    position: str
    reviewed_at: datetime


class DashboardRead(BaseModel):
    demands: list[DemandRead]
    outreach: list[OutreachRead]
    recent_changes: list[ChangeRead]

    @classmethod
    def of(cls, board: Dashboard) -> "DashboardRead":
        return cls(
            demands=[
                DemandRead(
                    number=d.number,
                    title=d.title,
                    chambers=[ChamberRead.of(c) for c in d.chambers],
                    changes=d.changes,
                )
                for d in board.demands
            ],
            outreach=[
                OutreachRead(
                    chamber=o.chamber,
                    sitting=o.sitting,
                    contacted=o.contacted,
                    replied=o.replied,
                    silent=o.silent,
                    reply_rate=round(o.reply_rate, 4),
                    median_days_to_reply=o.median_days,
                )
                for o in board.outreach
            ],
            recent_changes=[ChangeRead(**c.__dict__) for c in board.recent],
        )
