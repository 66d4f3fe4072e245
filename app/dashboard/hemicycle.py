"""A hemicycle as server-side SVG: one dot per seat, groups left to right, coloured by stance."""

import math
from functools import cache
from html import escape

from app.dashboard.service import POSITIONS_ORDER, ChamberBoard

COLOURS = {
    "acted": "#1b5e20",
    "committed": "#388e3c",
    "supportive": "#9ccc65",
    "undecided": "#fbc02d",
    "unknown": "#bdbdbd",
    "opposed": "#c62828",
    "": "#f0f0f0",  # seats outside the current filters
}


@cache  # pure geometry, a few hundred seats per chamber size
def seat_positions(seats: int) -> list[tuple[float, float]]:
    """(x, y) of each seat on concentric arcs, from the far left to the far right."""
    if seats <= 0:
        return []
    rows = max(2, round(math.sqrt(seats / 4)))
    radii = [0.4 + 0.6 * i / (rows - 1) for i in range(rows)]
    per_row = [max(1, round(seats * r / sum(radii))) for r in radii]
    per_row[-1] += seats - sum(per_row)
    places: list[tuple[float, float]] = []
    for radius, count in zip(radii, per_row, strict=True):
        for j in range(count):
            angle = math.pi * (1 - j / (count - 1)) if count > 1 else math.pi / 2
            places.append((angle, radius))
    places.sort(key=lambda p: (-p[0], p[1]))
    return [(r * math.cos(a), -r * math.sin(a)) for a, r in places]


def seat_colours(board: ChamberBoard) -> list[tuple[str, str]]:
    """(group, position) for each seat in drawing order; filtered-out seats are blank."""
    seats: list[tuple[str, str]] = []
    for group in board.groups_in_order():
        counts = board.by_group[group]
        for position in POSITIONS_ORDER:
            seats += [(group, position.value)] * counts.get(position.value, 0)
    return seats + [("", "")] * max(0, board.seats - len(seats))


def hemicycle_svg(board: ChamberBoard, *, title: str, labels: dict[str, str]) -> str:
    """The SVG markup (inline, printable, no script) for one chamber on one demand."""
    colours = seat_colours(board)
    places = seat_positions(len(colours))
    rows = max(2, round(math.sqrt(max(len(colours), 1) / 4)))
    dot = min(0.6 / (rows - 1), math.pi / max(len(colours) / rows, 1)) * 0.42
    circles = "".join(
        f'<circle cx="{x:.3f}" cy="{y:.3f}" r="{dot:.3f}" fill="{COLOURS[position]}"'
        f' data-position="{position}"><title>{escape(group)} · '
        f"{escape(labels.get(position, 'hors filtre'))}</title></circle>"
        for (x, y), (group, position) in zip(places, colours, strict=True)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1.05 -1.05 2.1 1.1" role="img"'
        f' class="hemicycle" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"{circles}</svg>"
    )
