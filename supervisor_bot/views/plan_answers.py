"""The chat's answers in a deployment of several plans: one section per plan, headed by its key and title."""

from __future__ import annotations

from collections.abc import Sequence

AMBIGUOUS = "“{written}”在多个方案中都有：{plans}。请写明方案，例如 /measure {first} {written}"


def plan_heading(key: str, title: str) -> str:
    """`【营商环境】济南市优化营商环境工作方案`: the key people type, then the plan's own title."""
    return f"【{key}】{title}" if title and title != key else f"【{key}】"


def by_plan(sections: Sequence[tuple[str, str, str]]) -> str:
    """(key, title, answer) for each plan: one answer, a section per plan; a one-plan answer as it is."""
    if len(sections) == 1 and not sections[0][0]:
        return sections[0][2]
    return "\n\n".join(f"{plan_heading(key, title)}\n{text}" if key else text for key, title, text in sections)


def round_usage(plans: Sequence[str]) -> str:
    """/round with several plans: which plan's round."""
    return f"请写明要开启报送的方案，例如 /round {plans[0] if plans else '方案简称'}。现有方案：{'、'.join(plans)}"


def ambiguous_measure(written: str, plans: Sequence[str]) -> str:
    return AMBIGUOUS.format(written=written, plans="、".join(plans), first=plans[0])
