"""Generated plans: a plan in any convention, written in any format, with the matrix it must yield.

    numbering × sections × unit names × separator × role form × format  (tests/plans/grammar.py)

`draw_style` picks a style (fast formats mostly: PDF generation is slow); `write_plan` writes it and returns the
expected measures; `differences` compares an import with them, measure by measure; `write_broken` writes a plan
with one mistake from the doubt policy's error list (docs/plans.md) and the line or row the refusal must name.

`python -m tests.plans.generate N` prints the share of N plans imported exactly, per convention.
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from supervisor_bot.core.matrix import Department, Measure
from supervisor_bot.core.plan_document import import_document
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.core.registry import DepartmentRegistry
from supervisor_bot.documents import read_document
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
    Expected,
    Plan,
    Style,
    compose,
)
from tests.plans.mutations import mutate, possible
from tests.plans.writers import prose_lines, write_prose, write_table

# formats by weight: PDF is written by reportlab and read by pdfplumber, a hundred times slower than text
FORMAT_WEIGHTS = {
    "txt": 30,
    "html-prose": 12,
    "docx-prose": 10,
    "pdf-prose": 3,
    "docx-table": 14,
    "xlsx": 14,
    "html-table": 14,
    "pdf-table": 3,
}


def draw_style(rng: random.Random, fmt: str | None = None) -> Style:
    """A style valid for its format: tables number by 序号 (or not at all) and have no prose roles."""
    fmt = fmt or rng.choices(list(FORMAT_WEIGHTS), weights=list(FORMAT_WEIGHTS.values()))[0]
    table = fmt in TABLE_FORMATS
    numbering = rng.choice(("dot-restart", "dot-continue", "none") if table else NUMBERINGS)
    sectioning = rng.choice(("numeral", "none", "chapter", "numeral-row") if table else SECTIONINGS)
    if sectioning == "numeral-row" and numbering == "none":
        numbering = "dot-continue"  # the numeral stands in the 序号 column
    if not table and numbering == "article":  # 办法 and 细则: 第一章 … 第一条, or articles alone
        sectioning = rng.choice(("chapter", "none"))
    elif not table and sectioning == "chapter":
        sectioning = "numeral"
    return Style(
        numbering=numbering,
        sectioning=sectioning,
        unit_names=rng.choice(UNIT_NAMES),
        separator=rng.choice(TABLE_SEPARATORS if table else PROSE_SEPARATORS),
        role=rng.choice(TABLE_ROLES if table else PROSE_ROLES),
        format=fmt,
        enumerations=rng.random() < 0.3,
        text_brackets=rng.random() < 0.4,
        particulars=rng.random() < (0.7 if table else 0.25),
        grouped=table and rng.random() < 0.25,
        two_row_header=table and rng.random() < 0.3,
    )


@dataclass(frozen=True)
class Generated:
    plan: Plan
    path: Path
    starts: tuple[int, ...]  # where each measure starts: the line (prose) or the table's row
    headings: tuple[int, ...] = ()  # prose: the line of each section's heading
    columns: dict[str, str] = field(default_factory=dict)  # a table: the header each column has


def write_plan(style: Style, seed: int, folder: Path) -> Generated:
    return write_plan_from(compose(style, seed), folder, random.Random(seed + 1))


def write_plan_from(plan: Plan, folder: Path, rng: random.Random) -> Generated:
    if plan.style.format in PROSE_FORMATS:
        path, first = write_prose(plan, folder, rng)
        lines = prose_lines(plan)
        return Generated(plan, path, tuple(first[i] for i in lines.starts), tuple(first[i] for i in lines.headings))
    path, rows, columns = write_table(plan, folder, rng)
    return Generated(plan, path, tuple(rows), (), columns)


def registry_of(plan: Plan) -> DepartmentRegistry:
    """The deployment's registry: every unit the plan names, as the matrix keeps it."""
    return DepartmentRegistry(Department(name) for name in plan.units)


def import_generated(generated: Generated) -> ImportResult:
    return import_document(read_document(generated.path), registry_of(generated.plan))


def as_expected(measure: Measure, plan: Plan) -> Expected:
    """An imported measure in the terms the grammar speaks: label, whole text, leads, co-units, particulars."""
    from supervisor_bot.core.matrix import plain_label

    text = f"{measure.title}。{measure.text}" if measure.title else measure.text
    co = tuple(d for d in measure.departments if d not in measure.leads)
    section = measure.section if plan.style.sectioning != "none" else 0
    return Expected(
        plain_label(measure.label), section, text, measure.leads, co, measure.leaders, measure.deadline_text
    )


def differences(generated: Generated, result: ImportResult) -> list[str]:
    """Every way the import differs from the plan, measure by measure (empty: imported exactly)."""
    want = generated.plan.expected
    got = [as_expected(m, generated.plan) for m in result.matrix.measures]
    out = [f"{len(got)} measures imported, {len(want)} written"] if len(got) != len(want) else []
    for n, (g, w) in enumerate(zip(got, want, strict=False), start=1):
        for name in ("label", "section", "text", "leads", "co", "leaders", "deadline"):
            if getattr(g, name) != getattr(w, name):
                out.append(f"measure {n} {name}: got {getattr(g, name)!r}, want {getattr(w, name)!r}")
    out += [f"warning: {p}" for p in result.problems]
    return out


def shares(count: int, seed: int = 0) -> dict[str, tuple[int, int]]:
    """How many of `count` generated plans import exactly, per convention: {convention: (exact, tried)}."""
    tried: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    rng = random.Random(seed)
    for n in range(count):
        style = draw_style(rng)
        with tempfile.TemporaryDirectory(prefix="plan-") as folder:
            generated = write_plan(style, seed * 1_000_003 + n, Path(folder))
            try:
                ok = not differences(generated, import_generated(generated))
            except ValueError:
                ok = False
        for convention in (*style.conventions(), "all"):
            tried[convention] += 1
            exact[convention] += ok
    return {c: (exact[c], tried[c]) for c in sorted(tried)}


def _isolated_styles() -> list[tuple[str, Style]]:
    """Each convention alone: one dimension set, every other at the plainest value, in each format it occurs in."""
    out: list[tuple[str, Style]] = []
    for fmt in (*PROSE_FORMATS, *TABLE_FORMATS):
        table = fmt in TABLE_FORMATS
        base = Style(
            "dot-continue" if table else "dot-restart", "numeral", "plain", "、", "columns" if table else "fuze", fmt
        )
        values = {
            "numbering": ("dot-restart", "dot-continue", "none") if table else NUMBERINGS,
            "sectioning": ("numeral", "none", "numeral-row") if table else SECTIONINGS,
            "unit_names": UNIT_NAMES,
            "separator": TABLE_SEPARATORS if table else PROSE_SEPARATORS,
            "role": TABLE_ROLES if table else PROSE_ROLES,
            "enumerations": (True,),
            "text_brackets": (True,),
            **({"grouped": (True,), "two_row_header": (True,)} if table else {}),
        }
        for dimension, options in values.items():
            for value in options:
                style = base.having(dimension, value)
                if style.numbering == "article" or style.sectioning == "chapter":
                    style = replace(style, numbering="article", sectioning="chapter")
                out.append((f"{dimension}={value}", style))
    return out


def isolated_shares(per_format: int) -> dict[str, tuple[int, int]]:
    """Each convention alone (every other dimension plain), `per_format` plans in each format it occurs in."""
    tried: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    for n, (convention, style) in enumerate(_isolated_styles()):
        for k in range(per_format if not style.format.startswith("pdf") else max(1, per_format // 3)):
            with tempfile.TemporaryDirectory(prefix="plan-") as folder:
                generated = write_plan(style, n * 1000 + k, Path(folder))
                try:
                    ok = not differences(generated, import_generated(generated))
                except ValueError:
                    ok = False
            tried[convention] += 1
            exact[convention] += ok
    return {c: (exact[c], tried[c]) for c in sorted(tried)}


def main(argv: list[str]) -> int:
    """`N`: N plans drawn at random, shares per convention; `--isolated N`: each convention alone."""
    found = isolated_shares(int(argv[1])) if argv[:1] == ["--isolated"] else shares(int(argv[0]) if argv else 500)
    for convention, (ok, n) in found.items():
        print(f"{convention:32} {ok:5}/{n:<5} {ok / n:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


MUTATIONS = ("repeated-label", "unclosed-bracket", "lost-heading-mark", "no-unit")


@dataclass(frozen=True)
class Broken:
    """A plan with one mistake: where the refusal must point (the line, or the row and the column's header)."""

    path: Path
    mutation: str
    line: int
    column: str | None = None


def write_broken(rng: random.Random, folder: Path) -> Broken:
    """One mutation from the doubt policy's error list, in a .txt plan (lines) or a Word table (rows)."""
    mutation = rng.choice(MUTATIONS)
    table = mutation != "lost-heading-mark" and rng.random() < 0.4
    while True:
        style = draw_style(rng, "docx-table" if table else "txt")
        if mutation == "lost-heading-mark":
            style = replace(style, sectioning="numeral", numbering=rng.choice(("paren-restart", "dot-continue")))
        if mutation == "repeated-label" and table:
            style = replace(style, numbering="dot-continue")
        plan = compose(style, rng.randrange(10**9))
        if possible(plan, mutation):
            break

    plan, target, column = mutate(plan, mutation, rng)
    generated = write_plan_from(plan, folder, rng)
    line = generated.starts[target] if target >= 0 else _heading_line(generated, -target - 1)
    return Broken(generated.path, mutation, line, generated.columns.get(column) if column else None)


def _heading_line(generated: Generated, section: int) -> int:
    headed = [n for n, s in enumerate(generated.plan.sections) if s.heading]
    return generated.headings[headed.index(section)]
