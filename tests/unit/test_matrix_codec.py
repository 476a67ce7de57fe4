"""The stored import as JSON: a plan's matrix and the import's problems come back equal, whatever the plan holds;
a file that is damaged, of another shape or not JSON at all (a pickle, say) reads as absent and is never run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.imported_plan import FILE, read_imported, write_imported
from storage.matrix_codec import matrix, matrix_doc, problem_doc, problems
from supervisor_bot.core.matrix import (
    Ask,
    Assignment,
    Contact,
    DateMeaning,
    Department,
    Document,
    Matrix,
    Measure,
    MeasureDate,
    Role,
    Section,
    Subsection,
)
from supervisor_bot.core.plan_import import ImportResult, import_plan
from supervisor_bot.core.plan_measures import ImportProblem
from supervisor_bot.core.registry import DepartmentRegistry
from tests.conftest import CONFIG
from tests.plans.generate import draw_style, import_generated, write_plan

KEY = "a" * 64
numbers = st.integers(min_value=-(2**63), max_value=2**63 - 1)
texts = st.text(max_size=12)
maybe_texts = st.none() | texts
days = st.dates(min_value=dt.date(1, 1, 1))
names = st.lists(texts, max_size=3).map(tuple)

documents = st.builds(
    Document,
    number=maybe_texts,
    issuer=maybe_texts,
    date=st.none() | days,
    title=maybe_texts,
    plan_title=maybe_texts,
    contact=st.none() | st.builds(Contact, texts, texts, texts),
    lead_rule_stated=st.booleans(),
)
measures = st.builds(
    Measure,
    number=numbers,
    label=texts,
    section=numbers,
    text=texts,
    assignments=st.lists(st.builds(Assignment, texts, st.sampled_from(Role)), max_size=4).map(tuple),
    open_ended=st.booleans(),
    dates=st.lists(st.builds(MeasureDate, days, st.sampled_from(DateMeaning), texts), max_size=3).map(tuple),
    targets=names,
    title=maybe_texts,
    subsection=st.none() | st.builds(Subsection, numbers, texts, texts),
    line=numbers,
    leaders=names,
    deadline_text=maybe_texts,
)
departments = st.builds(
    Department, texts, aliases=names, members=names, registered=st.booleans(), reports=st.booleans()
)
matrices = st.builds(
    Matrix,
    document=documents,
    sections=st.lists(st.builds(Section, numbers, texts, texts), max_size=3).map(tuple),
    measures=st.lists(measures, max_size=4).map(tuple),
    departments=st.lists(departments, max_size=4).map(tuple),
    ask=st.sampled_from(Ask),
    plan=texts,
)
found_problems = st.lists(
    st.builds(ImportProblem, numbers, st.none() | numbers, texts, where=maybe_texts, name=maybe_texts), max_size=3
).map(tuple)


def through_json(m: Matrix, p: tuple[ImportProblem, ...]) -> tuple[Matrix, tuple[ImportProblem, ...]]:
    doc = orjson.loads(orjson.dumps({"matrix": matrix_doc(m), "problems": [problem_doc(x) for x in p]}))
    return matrix(doc["matrix"]), problems(doc["problems"])


@pytest.mark.parametrize("name", ["jinan-2021-16.txt", "minsheng-demo.txt"])
def test_the_project_plans_come_back_equal(name: str, registry: DepartmentRegistry) -> None:
    imported = import_plan((CONFIG / "plans" / name).read_text(encoding="utf-8"), registry)
    again, found = through_json(imported.matrix, imported.problems)
    assert again == imported.matrix and found == imported.problems
    assert [again.label(m.number) for m in again.measures] == [imported.matrix.label(m.number) for m in again.measures]
    assert again.roles_of("市财政局") == imported.matrix.roles_of("市财政局")  # what is derived is derived again


def test_the_jinan_import_comes_back_equal_from_the_data_folder(jinan: ImportResult, tmp_path: Path) -> None:
    with_doubts = (*jinan.problems, ImportProblem(3, 5, "存疑", where="表格第5行", name="某某局"))
    write_imported(tmp_path, KEY, jinan.matrix, with_doubts)
    assert read_imported(tmp_path, KEY) == (jinan.matrix, with_doubts)
    assert read_imported(tmp_path, "b" * 64) is None  # made from other files


@settings(max_examples=40, deadline=None, database=None)
@given(seed=st.integers(min_value=0, max_value=2**31), fmt=st.sampled_from(["txt", "html-table", "docx-table"]))
def test_a_generated_plan_comes_back_equal(seed: int, fmt: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Plans of every convention (tests/plans/generate.py), imported, stored and read back."""
    generated = write_plan(draw_style(random.Random(seed), fmt), seed, tmp_path_factory.mktemp("plan"))
    imported = import_generated(generated)
    assert through_json(imported.matrix, imported.problems) == (imported.matrix, imported.problems)


@given(matrices, found_problems)
def test_any_matrix_and_problems_come_back_equal(m: Matrix, p: tuple[ImportProblem, ...]) -> None:
    assert through_json(m, p) == (m, p)


# fields written positionally (as a list) rather than by name
_POSITIONAL = {Assignment: ("department", "role"), MeasureDate: ("date", "meaning", "source")}
_FULL = Matrix(
    Document(
        "济政办函〔2021〕16号", "济南市人民政府办公厅", dt.date(2021, 3, 1), "通知", "方案", Contact("张", "局", "0531")
    ),
    (Section(1, "总体要求", "一"),),
    (
        Measure(
            1,
            "1.",
            1,
            "文",
            (Assignment("市财政局", Role.LEAD),),
            False,
            (MeasureDate(dt.date(2021, 12, 31), DateMeaning.DEADLINE, "2021年底前"),),
            subsection=Subsection(1, "题", "（一）"),
        ),
    ),
    (Department("市财政局"),),
)


@pytest.mark.parametrize(
    "kind", [Document, Contact, Section, Subsection, Measure, MeasureDate, Assignment, Department, Matrix]
)
def test_every_field_of_the_matrix_is_written(kind: type) -> None:
    """A field added to the matrix's classes must be added to the codec (and to the strategies above)."""
    written = _keys(matrix_doc(_FULL))
    for field in dataclasses.fields(kind):
        if field.init:
            assert field.name in written or field.name in _POSITIONAL.get(kind, ()), (kind.__name__, field.name)


def test_every_field_of_a_problem_is_written() -> None:
    written = set(problem_doc(ImportProblem(1, None, "存疑")))
    assert written == {f.name for f in dataclasses.fields(ImportProblem) if f.init}


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


def _stored(tmp_path: Path, jinan: ImportResult) -> dict[str, Any]:
    write_imported(tmp_path, KEY, jinan.matrix, jinan.problems)
    doc = orjson.loads((tmp_path / FILE).read_bytes())
    assert isinstance(doc, dict)
    return doc


@pytest.mark.parametrize(
    "damage",
    [
        lambda doc: b"",
        lambda doc: b"\x80\x05not json",
        lambda doc: orjson.dumps(doc)[:-40],  # cut off
        lambda doc: orjson.dumps([doc]),
        lambda doc: orjson.dumps({**doc, "format": 0}),  # another version's shape
        lambda doc: orjson.dumps({k: v for k, v in doc.items() if k != "matrix"}),
        lambda doc: orjson.dumps({**doc, "matrix": {**doc["matrix"], "measures": "63"}}),
        lambda doc: orjson.dumps({**doc, "matrix": {**doc["matrix"], "ask": "some"}}),
        lambda doc: orjson.dumps({**doc, "problems": [{"line": "3"}]}),
        lambda doc: orjson.dumps(
            {**doc, "matrix": {**doc["matrix"], "measures": [{**doc["matrix"]["measures"][0], "section": "1"}]}}
        ),
        lambda doc: orjson.dumps(
            {**doc, "matrix": {**doc["matrix"], "departments": [{**doc["matrix"]["departments"][0], "reports": 1}]}}
        ),
    ],
)
def test_a_damaged_or_foreign_file_reads_as_absent(
    tmp_path: Path, jinan: ImportResult, damage: Callable[[dict[str, Any]], bytes]
) -> None:
    doc = _stored(tmp_path, jinan)
    (tmp_path / FILE).write_bytes(damage(doc))
    assert read_imported(tmp_path, KEY) is None


class _Ran(Exception):
    pass


def _explode() -> None:
    raise _Ran


class _Payload:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_explode, ())


def test_a_pickle_placed_in_the_data_folder_is_never_run(tmp_path: Path) -> None:
    (tmp_path / FILE).write_bytes(pickle.dumps((KEY, _Payload(), ())))
    assert read_imported(tmp_path, KEY) is None  # read as bytes that are not JSON; unpickled, it would raise _Ran


def test_an_unwritable_folder_costs_only_the_stored_import(tmp_path: Path, jinan: ImportResult) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    write_imported(blocked, KEY, jinan.matrix, jinan.problems)
    assert read_imported(blocked, KEY) is None
