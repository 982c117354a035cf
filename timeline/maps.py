"""The map of located events: aggregation by place, a fitted view, and the world outline.

The map is server-rendered SVG over a bundled world outline (Natural Earth via the
world-atlas npm package, converted once to a static SVG by `python -m timeline.maps`), so
it works offline and needs no script and no tile server.
"""
from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import connection

from timeline.models import Place
from timeline.querysets import union_all

OUTLINE_STATIC_PATH = "vendor/world-atlas-2.0.2/countries-50m.svg"
MAX_PLACES = 150  # the busiest places; more dots are unreadable, and each costs a link


@dataclass(frozen=True, slots=True)
class PlaceCount:
    place_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    events: int


@dataclass(frozen=True, slots=True)
class MapDot:
    place_id: int
    label: str
    events: int
    x: float
    y: float
    r: float
    href: str


@dataclass(frozen=True, slots=True)
class MapView:
    """What the template draws: a viewBox in projected units and the dots inside it."""

    dots: tuple[MapDot, ...]
    view_box: str
    # The outline image's box (the whole world, projected), as x, y, width, height.
    world: tuple[float, float, float, float]
    events: int
    places: int
    capped: bool  # only the busiest MAX_PLACES places are drawn


def day_and_place_counts(
    selects: Sequence[tuple[str, Sequence]], limit: int = MAX_PLACES
) -> tuple[dict[date, int], list[PlaceCount]]:
    """The histogram's events per start day and the map's busiest located places, from one
    read of the filtered events (one query).

    `selects` are the compiled SQL (`query.sql_with_params()`) of disjoint parts whose union
    is the filtered set, each with `date_start` and `place_id` among its columns and without
    ORDER BY or LIMIT (timeline.views.row_selects: the list reads the same SQL). Postgres
    pulls each into the count and keeps only those two columns: each part is a plain index
    scan, and the one starting on or after the start date reads only the index
    (`event_type_date_id` and `event_status_date_id` carry place_id). The filter's own
    `date_start >= x OR runs into x` made Postgres fetch every matching row from the table.
    GROUPING SETS counts days and places in the same pass over those rows. The places are
    looked up busiest first, only until `limit` located ones are found.
    """
    union, params = union_all(selects, "(SELECT s.date_start, s.place_id FROM ({sql}) s)")
    place = Place._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH c AS (SELECT f.date_start, f.place_id, count(*) AS n, "
            f"GROUPING(f.date_start) AS by_place FROM ({union}) f "
            "GROUP BY GROUPING SETS ((f.date_start), (f.place_id))) "
            "SELECT c.date_start, NULL, NULL, NULL, NULL, NULL, c.n FROM c "
            "WHERE c.by_place = 0 "
            "UNION ALL (SELECT NULL, p.id, p.name, p.country, p.latitude, p.longitude, t.n "
            "FROM (SELECT place_id, n FROM c WHERE by_place = 1 AND place_id IS NOT NULL "
            "ORDER BY n DESC, place_id) t "
            f"CROSS JOIN LATERAL (SELECT * FROM {place} p WHERE p.id = t.place_id "
            "AND p.latitude IS NOT NULL AND p.longitude IS NOT NULL) p "
            "ORDER BY t.n DESC, t.place_id LIMIT %s)",
            [*params, limit],
        )
        days: dict[date, int] = {}
        places: list[PlaceCount] = []
        for day, *located, n in cursor.fetchall():
            if day is not None:
                days[day] = n
            else:
                places.append(PlaceCount(*located, n))
    return days, places


def _round(value: float) -> float:
    return round(value, 3)


def build_map(places: Sequence[PlaceCount], href_for: Callable[[int], str]) -> MapView | None:
    """Fit the view to the located places; None when nothing is located.

    `href_for(place_id)` gives the link that filters the timeline to one place.
    """
    if not places:
        return None
    lats = [p.latitude for p in places]
    lons = [p.longitude for p in places]
    # An equirectangular projection squeezed by cos(middle latitude): distances look right
    # around the events, which is all a regional map needs.
    mid_lat = (min(lats) + max(lats)) / 2
    k = max(0.2, math.cos(math.radians(mid_lat)))
    xs = [lon * k for lon in lons]
    ys = [-lat for lat in lats]
    # At least ~8 degrees of latitude across, so a single place is shown in its region.
    width = max(max(xs) - min(xs), 8.0 * k * 1.6)
    height = max(max(ys) - min(ys), 8.0)
    pad_x, pad_y = width * 0.15, height * 0.15
    width, height = width + 2 * pad_x, height + 2 * pad_y
    # Keep the box between 3:2 and 2:1 so the map neither towers nor turns into a ribbon.
    if width < 1.5 * height:
        width = 1.5 * height
    elif width > 2 * height:
        height = width / 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x0, y0 = cx - width / 2, cy - height / 2
    biggest = max(p.events for p in places)
    dots = tuple(
        MapDot(
            place_id=p.place_id,
            label=f"{p.name}, {p.country}" if p.country else p.name,
            events=p.events,
            x=_round(x),
            y=_round(y),
            # Area proportional to the count, between 0.8% and 3% of the map's width.
            r=_round(width * (0.008 + 0.022 * math.sqrt(p.events / biggest))),
            href=href_for(p.place_id),
        )
        for p, x, y in zip(places, xs, ys, strict=True)
    )
    return MapView(
        dots=dots,
        view_box=f"{_round(x0)} {_round(y0)} {_round(width)} {_round(height)}",
        world=(_round(-180 * k), -90.0, _round(360 * k), 180.0),
        events=sum(p.events for p in places),
        places=len(places),
        capped=len(places) >= MAX_PLACES,
    )


# -- the world outline, converted once from TopoJSON ------------------------------------


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute (longitude, latitude) points of every arc of a quantized topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: Iterable[int]):
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    return points


def _unwrapped(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The ring, or for rings crossing the antimeridian (Russia, Fiji) a continuous copy
    drawn on both sides: the view box clips whichever half falls outside the world.
    Antarctica's ring goes round the pole along the map's edge and is left as it is."""
    crosses = any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:], strict=False))
    if not crosses or min(lat for _, lat in ring) < -85:
        return [ring]
    east = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring]
    return [east, [(lon - 360, lat) for lon, lat in east]]


def _path(ring: list[tuple[float, float]], precision: int) -> str:
    parts: list[str] = []
    last = None
    for lon, lat in ring:
        point = (round(lon, precision), round(-lat, precision))
        if point != last:
            parts.append(f"{point[0]:g},{point[1]:g}")
            last = point
    return ("M" + "L".join(parts) + "Z") if len(parts) > 2 else ""


def topojson_to_svg(topology: dict, object_name: str = "countries", precision: int = 2) -> str:
    """An SVG of the object's polygons in longitude, -latitude units (viewBox -180 -90 360 180)."""
    arcs = _decode_arcs(topology)
    paths = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        d = "".join(
            _path(shifted, precision)
            for poly in polygons
            for ring in poly
            for shifted in _unwrapped(_ring(arcs, ring))
        )
        if d:
            paths.append(f'<path d="{d}"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180" '
        'preserveAspectRatio="none">'
        '<g fill="#e4e2dc" stroke="#ffffff" stroke-width="0.08" fill-rule="evenodd">'
        + "".join(paths)
        + "</g></svg>\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Convert a world-atlas TopoJSON to the map SVG.")
    root = Path(__file__).resolve().parent.parent / "static" / "vendor" / "world-atlas-2.0.2"
    parser.add_argument("source", nargs="?", default=str(root / "countries-50m.json"))
    parser.add_argument("target", nargs="?", default=str(root / "countries-50m.svg"))
    args = parser.parse_args(argv)
    topology = json.loads(Path(args.source).read_text())
    Path(args.target).write_text(topojson_to_svg(topology))


if __name__ == "__main__":
    main()
