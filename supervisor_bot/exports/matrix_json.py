"""The matrix as JSON: the interface later issues and acceptance checks read."""

from __future__ import annotations

from typing import Any

from supervisor_bot.core.matrix import Matrix, Measure, Role


def _measure(m: Measure) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": m.number,
        "label": m.label,
        "section": m.section,
    }
    if m.title:
        out["title"] = m.title
    if m.subsection:
        out["subsection"] = {"number": m.subsection.number, "title": m.subsection.title}
    out |= {
        "text": m.text,
        "departments": list(m.departments),
        "leads": list(m.leads),
        "leaders": list(m.leaders),
        "deadline_text": m.deadline_text,
        "open_ended": m.open_ended,
        "dates": [{"date": d.date.isoformat(), "meaning": d.meaning.value, "source": d.source} for d in m.dates],
        "targets": list(m.targets),
        "line": m.line,
    }
    return out


def plans_to_json(plans: list[tuple[str, str, Matrix]]) -> dict[str, Any]:
    """A deployment of several plans: each plan's key, title and measures."""
    return {
        "plans": [
            {
                "key": key,
                "title": title or matrix.document.plan_title or matrix.document.title or "",
                "measures": [_measure(m) for m in matrix.measures],
            }
            for key, title, matrix in plans
        ]
    }


def matrix_to_json(matrix: Matrix) -> dict[str, Any]:
    doc = matrix.document
    return {
        "document": {
            "number": doc.number,
            "issuer": doc.issuer,
            "date": doc.date.isoformat() if doc.date else None,
            "title": doc.title,
            "plan_title": doc.plan_title,
            "contact": (
                {"text": doc.contact.text, "unit": doc.contact.unit, "phone": doc.contact.phone}
                if doc.contact
                else None
            ),
            "lead_rule_stated": doc.lead_rule_stated,
        },
        "sections": [{"number": s.number, "label": s.label, "title": s.title} for s in matrix.sections],
        "departments": [
            {
                "name": d.name,
                "aliases": list(d.aliases),
                "members": list(d.members),
                "registered": d.registered,
                "reports": d.reports,
                "measures": [m.number for m in matrix.measures_of(d.name)],
                "leads": [m.number for m in matrix.measures_of(d.name, Role.LEAD)],
            }
            for d in matrix.departments
        ],
        "measures": [_measure(m) for m in matrix.measures],
    }
