"""The assignment matrix and the import's problems to JSON documents and back, field by field.

Decoding checks every value's kind, so that a document of another shape — another version's, a foreign or damaged
file — fails with ValueError (or KeyError, TypeError) instead of making a matrix that breaks later."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from supervisor_bot.core.plan_measures import ImportProblem

Doc = dict[str, Any]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not a text: {value!r}")
    return value


def _number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a whole number: {value!r}")
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"not true or false: {value!r}")
    return value


def _maybe_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"not a list: {value!r}")
    return tuple(_text(v) for v in value)


def _docs(value: object) -> list[Doc]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"not a list of documents: {value!r}")
    return value


def _day(value: object) -> dt.date:
    return dt.date.fromisoformat(_text(value))


def matrix_doc(m: Matrix) -> Doc:
    return {
        "document": _document_doc(m.document),
        "sections": [{"number": s.number, "title": s.title, "label": s.label} for s in m.sections],
        "measures": [_measure_doc(x) for x in m.measures],
        "departments": [
            {
                "name": d.name,
                "aliases": d.aliases,
                "members": d.members,
                "registered": d.registered,
                "reports": d.reports,
            }
            for d in m.departments
        ],
        "ask": m.ask.value,
        "plan": m.plan,
    }


def matrix(d: Doc) -> Matrix:
    return Matrix(
        document=_document(d["document"]),
        sections=tuple(
            Section(_number(s["number"]), _text(s["title"]), _text(s["label"])) for s in _docs(d["sections"])
        ),
        measures=tuple(_measure(x) for x in _docs(d["measures"])),
        departments=tuple(
            Department(
                _text(x["name"]),
                _texts(x["aliases"]),
                _texts(x["members"]),
                registered=_flag(x["registered"]),
                reports=_flag(x["reports"]),
            )
            for x in _docs(d["departments"])
        ),
        ask=Ask(d["ask"]),
        plan=_text(d["plan"]),
    )


def _document_doc(d: Document) -> Doc:
    contact = d.contact
    return {
        "number": d.number,
        "issuer": d.issuer,
        "date": d.date.isoformat() if d.date else None,
        "title": d.title,
        "plan_title": d.plan_title,
        "contact": {"text": contact.text, "unit": contact.unit, "phone": contact.phone} if contact else None,
        "lead_rule_stated": d.lead_rule_stated,
    }


def _document(d: Doc) -> Document:
    contact = d["contact"]
    return Document(
        number=_maybe_text(d["number"]),
        issuer=_maybe_text(d["issuer"]),
        date=_day(d["date"]) if d["date"] is not None else None,
        title=_maybe_text(d["title"]),
        plan_title=_maybe_text(d["plan_title"]),
        contact=Contact(_text(contact["text"]), _text(contact["unit"]), _text(contact["phone"])) if contact else None,
        lead_rule_stated=_flag(d["lead_rule_stated"]),
    )


def _measure_doc(m: Measure) -> Doc:
    sub = m.subsection
    return {
        "number": m.number,
        "label": m.label,
        "section": m.section,
        "text": m.text,
        "assignments": [[a.department, a.role.value] for a in m.assignments],
        "open_ended": m.open_ended,
        "dates": [[d.date.isoformat(), d.meaning.value, d.source] for d in m.dates],
        "targets": m.targets,
        "title": m.title,
        "subsection": {"number": sub.number, "title": sub.title, "label": sub.label} if sub else None,
        "line": m.line,
        "leaders": m.leaders,
        "deadline_text": m.deadline_text,
    }


def _measure(d: Doc) -> Measure:
    sub = d["subsection"]
    return Measure(
        number=_number(d["number"]),
        label=_text(d["label"]),
        section=_number(d["section"]),
        text=_text(d["text"]),
        assignments=tuple(Assignment(_text(name), Role(role)) for name, role in d["assignments"]),
        open_ended=_flag(d["open_ended"]),
        dates=tuple(MeasureDate(_day(day), DateMeaning(meaning), _text(source)) for day, meaning, source in d["dates"]),
        targets=_texts(d["targets"]),
        title=_maybe_text(d["title"]),
        subsection=Subsection(_number(sub["number"]), _text(sub["title"]), _text(sub["label"])) if sub else None,
        line=_number(d["line"]),
        leaders=_texts(d["leaders"]),
        deadline_text=_maybe_text(d["deadline_text"]),
    )


def problem_doc(p: ImportProblem) -> Doc:
    return {"line": p.line, "measure": p.measure, "message": p.message, "where": p.where, "name": p.name}


def problems(docs: object) -> tuple[ImportProblem, ...]:
    found = _docs(docs)
    if not found:
        return ()
    from supervisor_bot.core.plan_measures import ImportProblem  # the importer's module, only for a plan with doubts

    return tuple(
        ImportProblem(
            line=_number(p["line"]),
            measure=None if p["measure"] is None else _number(p["measure"]),
            message=_text(p["message"]),
            where=_maybe_text(p["where"]),
            name=_maybe_text(p["name"]),
        )
        for p in found
    )
