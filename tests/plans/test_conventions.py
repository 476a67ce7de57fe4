"""Every convention of the doubt policy's list imports exactly, in every format where it can occur.

Each case fixes one dimension of the grammar (tests/plans/grammar.py) and writes a few plans in each format; the
round trip (test_round_trip.py) mixes them all. The two conventions refused before are also written out by hand.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.registry import DepartmentRegistry
from tests.plans.generate import differences, draw_style, import_generated, write_plan
from tests.plans.grammar import (
    NUMBERINGS,
    PROSE_FORMATS,
    PROSE_ROLES,
    PROSE_SEPARATORS,
    SECTIONINGS,
    TABLE_FORMATS,
    TABLE_ROLES,
    TABLE_SEPARATORS,
    UNIT_NAMES,
)

PROSE = [
    *((f, "numbering", v) for f in PROSE_FORMATS for v in NUMBERINGS if v != "article"),
    *((f, "sectioning", v) for f in PROSE_FORMATS for v in SECTIONINGS if v != "chapter"),
    *((f, "numbering+sectioning", "article+chapter") for f in PROSE_FORMATS),
    *((f, "unit_names", v) for f in PROSE_FORMATS + TABLE_FORMATS for v in UNIT_NAMES),
    *((f, "separator", v) for f in PROSE_FORMATS for v in PROSE_SEPARATORS),
    *((f, "role", v) for f in PROSE_FORMATS for v in PROSE_ROLES),
    *((f, "separator", v) for f in TABLE_FORMATS for v in TABLE_SEPARATORS),
    *((f, "role", v) for f in TABLE_FORMATS for v in TABLE_ROLES),
    *((f, "numbering", v) for f in TABLE_FORMATS for v in ("dot-restart", "dot-continue", "none")),
    *((f, "enumerations", True) for f in PROSE_FORMATS + TABLE_FORMATS),
    *((f, "text_brackets", True) for f in PROSE_FORMATS + TABLE_FORMATS),
]


@pytest.mark.parametrize(("fmt", "dimension", "value"), PROSE, ids=lambda v: str(v))
def test_a_convention_imports_exactly(fmt: str, dimension: str, value: object, tmp_path: Path) -> None:
    rng = random.Random(f"{fmt}{dimension}{value}")
    for n in range(1 if fmt.startswith("pdf") else 2):
        style = draw_style(rng, fmt)
        if dimension == "numbering+sectioning":
            style = replace(style, numbering="article", sectioning="chapter")
        else:
            style = style.having(dimension, value)
        folder = tmp_path / str(n)
        folder.mkdir()
        generated = write_plan(style, rng.randrange(10**9), folder)
        assert differences(generated, import_generated(generated)) == [], style


NAMES = DepartmentRegistry([])


def test_county_names_with_their_own_note_import_whole() -> None:
    text = (
        "一、稳定就业\n"
        "（一）做好甲工作。（各县（市、区）人民政府、市财政局负责）\n"
        "（二）做好乙工作。（牵头单位：市教育局；责任单位：各区人民政府〈含开发区、风景区，下同〉）\n"
    )
    result = import_plan(text, NAMES)
    first, second = result.matrix.measures
    assert first.leads == ("各县（市、区）人民政府",) and first.departments[1:] == ("市财政局",)
    assert second.departments == ("市教育局", "各区人民政府〈含开发区、风景区，下同〉")
    assert [p.name for p in result.problems] == [
        "各县（市、区）人民政府",
        "市财政局",
        "市教育局",
        "各区人民政府〈含开发区、风景区，下同〉",
    ]  # not in the (empty) registry: warnings, never a refusal


def test_numbering_that_runs_on_across_sections() -> None:
    text = (
        "一、稳定就业\n（一）做好甲。（市财政局负责）\n（二）做好乙。（市教育局负责）\n"
        "二、促进创业\n（三）做好丙。（市财政局负责）\n（四）做好丁。（市教育局负责）\n"
    )
    result = import_plan(text, NAMES)
    assert [(m.label, m.section) for m in result.matrix.measures] == [
        ("（一）", 1),
        ("（二）", 1),
        ("（三）", 2),
        ("（四）", 2),
    ]
    assert [result.matrix.label(m.number) for m in result.matrix.measures] == ["（一）", "（二）", "（三）", "（四）"]
    assert all(p.name is not None for p in result.problems)  # no doubt about the numbering
