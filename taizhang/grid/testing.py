"""Builders for grid tests and benchmarks, on top of ``core.testing.build_world``."""

from __future__ import annotations

from dataclasses import dataclass

from taizhang.core.testing import make_person, make_unit
from taizhang.org.models import Person, Role, Unit

from . import services
from .models import Category, GridCell


def square(lat: float, lng: float, half: float = 0.005) -> dict:
    """A square GeoJSON polygon centred on (lat, lng)."""
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class GridWorld:
    world: object
    centre: Unit
    dispatcher: Person
    dispatcher2: Person
    worker: Person
    worker2: Person
    cell: GridCell
    cell2: GridCell
    street2: Unit
    road: Category  # 道路破损 → dept_b (住建局)
    litter: Category  # 暴露垃圾 → dept_a
    inside: tuple[float, float]  # a point in ``cell``
    inside2: tuple[float, float]  # a point in ``cell2``


def build_grid(world) -> GridWorld:
    d = world.district
    centre = make_unit(d, "区城市运行管理指挥中心")
    dispatcher = make_person(d, Role.DISPATCHER, centre, name="调度员甲")
    dispatcher2 = make_person(d, Role.DISPATCHER, centre, name="调度员乙")
    street2 = make_unit(d, "渭滨街道", kind=Unit.Kind.STREET)
    worker = make_person(d, Role.GRID_WORKER, world.community, name="网格员甲")
    worker2 = make_person(d, Role.GRID_WORKER, street2, name="网格员乙")
    cell = services.cell_save(
        district=d,
        code="JT-01",
        name="金台一网格",
        street=world.street,
        community=world.community,
        geometry=square(34.36, 107.14),
    )
    cell2 = services.cell_save(
        district=d, code="WB-01", name="渭滨一网格", street=street2, geometry=square(34.38, 107.16)
    )
    services.member_assign(cell=cell, person=worker)
    services.member_assign(cell=cell2, person=worker2)
    services.categories_load_default(district=d)
    road = Category.objects.get(district=d, code="0303")
    litter = Category.objects.get(district=d, code="0101")
    services.routing_rule_add(category=road, unit=world.dept_b)
    services.routing_rule_add(category=litter, unit=world.dept_a)
    return GridWorld(
        world,
        centre,
        dispatcher,
        dispatcher2,
        worker,
        worker2,
        cell,
        cell2,
        street2,
        road,
        litter,
        (34.361, 107.141),
        (34.381, 107.161),
    )
