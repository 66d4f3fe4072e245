"""Circonscription contours: the project's compact file, and the in-memory index that answers
« which circonscription holds this point? ».

The file (`data/geography/circonscription_contours.bin`) is written by `plaidoyer geo contours`
from the official GeoJSON contours. The source gives coordinates to 1e-4 degree, so they are kept
as integers on that grid, exactly: the only simplification drops vertices lying on a straight line
between their neighbours, which moves no boundary at all. Layout, zlib-compressed:
one JSON header line, then little-endian uint32 counts (polygons per circonscription, rings per
polygon, vertices per ring) and int32 coordinate deltas (every x, then every y).
"""

import json
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely import GeometryType, MultiPolygon, Polygon, STRtree

ROOT = Path(__file__).resolve().parent.parent.parent
CONTOURS_FILE = ROOT / "data" / "geography" / "circonscription_contours.bin"
FORMAT = "plaidoyer-circonscription-contours"
SCALE = 10_000  # units per degree: the source's own precision
# Points this close to a contour but outside every one (a gap between neighbouring contours, a
# quay, a beach) still belong to the nearest circonscription; farther out is at sea or abroad.
NEAREST_DEGREES = 0.0005


@dataclass(frozen=True)
class Seat:
    department_code: str
    number: int


def _parts(geometry: Polygon | MultiPolygon) -> list[Polygon]:
    return list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]


def _on_grid(geometry: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """The geometry in grid units, without repeated or collinear vertices (exact on integers)."""
    scaled = shapely.transform(geometry, lambda xy: np.rint(xy * SCALE))
    simplified = shapely.simplify(shapely.remove_repeated_points(scaled), 0)
    assert isinstance(simplified, Polygon | MultiPolygon)
    return simplified


def read_source(folder: Path) -> dict[Seat, Polygon | MultiPolygon]:
    """The official contours, one GeoJSON file per département named by its code."""
    seats: dict[Seat, Polygon | MultiPolygon] = {}
    for path in sorted(folder.glob("*.json")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            geometry = shapely.geometry.shape(feature["geometry"])
            if not isinstance(geometry, Polygon | MultiPolygon):
                raise ValueError(f"{path}: géométrie {geometry.geom_type} inattendue.")
            seats[Seat(path.stem, int(feature["properties"]["circo"]))] = geometry
    return seats


def encode(seats: dict[Seat, Polygon | MultiPolygon], *, source: str) -> bytes:
    """The compact file's bytes; equal contours give equal bytes."""
    order = sorted(seats, key=lambda s: (s.department_code, s.number))
    per_seat, per_polygon, per_ring, coords = [], [], [], []
    for seat in order:
        polygons = _parts(_on_grid(seats[seat]))
        per_seat.append(len(polygons))
        for polygon in polygons:
            rings = [polygon.exterior, *polygon.interiors]
            per_polygon.append(len(rings))
            for ring in rings:
                xy = np.asarray(ring.coords, dtype=np.int64)
                per_ring.append(len(xy))
                coords.append(xy)
    points = np.concatenate(coords)
    deltas = np.diff(points, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    header = {
        "format": FORMAT,
        "version": 1,
        "scale": SCALE,
        "source": source,
        "seats": [[s.department_code, s.number] for s in order],
        "counts": [len(per_polygon), len(per_ring), len(points)],
    }
    body = b"".join(
        [
            json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode() + b"\n",
            np.asarray(per_seat + per_polygon + per_ring, dtype="<u4").tobytes(),
            np.ascontiguousarray(deltas.T, dtype="<i4").tobytes(),
        ]
    )
    return zlib.compress(body, 9)


def decode(content: bytes) -> tuple[list[Seat], list[MultiPolygon]]:
    """The seats and their contours (in degrees) from the compact file's bytes."""
    body = zlib.decompress(content)
    end = body.index(b"\n")
    header = json.loads(body[:end])
    if header.get("format") != FORMAT or header.get("version") != 1:
        raise ValueError("fichier de contours d'un format inconnu.")
    seats = [Seat(code, number) for code, number in header["seats"]]
    polygons, rings, vertices = header["counts"]
    counts = np.frombuffer(body, dtype="<u4", count=len(seats) + polygons + rings, offset=end + 1)
    start = end + 1 + counts.nbytes
    deltas = np.frombuffer(body, dtype="<i4", count=2 * vertices, offset=start).reshape(2, -1)
    coords = np.ascontiguousarray(np.cumsum(deltas, axis=1, dtype=np.int64).T / header["scale"])

    def offsets(sizes: np.ndarray) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])

    per_seat = counts[: len(seats)]
    per_polygon = counts[len(seats) : len(seats) + polygons]
    per_ring = counts[len(seats) + polygons :]
    geometries = shapely.from_ragged_array(
        GeometryType.MULTIPOLYGON,
        coords,
        (offsets(per_ring), offsets(per_polygon), offsets(per_seat)),
    )
    return seats, list(geometries)


class ContourIndex:
    """Prepared contours in an STRtree: built once per process, read-only afterwards."""

    def __init__(self, seats: list[Seat], contours: list[MultiPolygon]) -> None:
        self.seats = seats
        self._contours = np.asarray(contours, dtype=object)
        shapely.prepare(self._contours)
        self._tree = STRtree(self._contours)

    def locate(self, *, lat: float, lon: float) -> list[Seat]:
        """The circonscription(s) holding the point: one inside France, none at sea or abroad."""
        point = shapely.Point(lon, lat)
        candidates = self._tree.query(point)
        inside = [int(i) for i in candidates if shapely.contains_xy(self._contours[i], lon, lat)]
        if not inside:
            near = self._tree.query_nearest(point, max_distance=NEAREST_DEGREES, all_matches=False)
            inside = [int(i) for i in near]
        return [self.seats[i] for i in inside]


@lru_cache(maxsize=2)
def contour_index(path: Path = CONTOURS_FILE) -> ContourIndex:
    """The index of the project's contour file, loaded on first use in each process."""
    return ContourIndex(*decode(path.read_bytes()))
