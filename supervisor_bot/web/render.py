"""Jinja2 with autoescaping, and the filters that write dates, rates and rounds as an office writes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from supervisor_bot.core.ledger import OnTime
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views import evidence, fmt

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


def _rate(on_time: OnTime | None) -> str:
    return f"{on_time.rate:.0%}" if on_time is not None else "—"


def _score(value: float | None) -> str:
    return f"{value:g}" if value is not None else "—"


def environment(rt: Runtime, plans: tuple[tuple[str, str], ...] = ()) -> Environment:
    """A plan's templates: its labels, its key on every row (`data-plan`) and in its links."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    tz = rt.tz

    def day(value: dt.date) -> str:
        return fmt.full_day(value.date() if isinstance(value, dt.datetime) else value)

    def moment(value: dt.datetime) -> str:
        return fmt.short(value, tz)

    def moment_full(value: dt.datetime) -> str:
        local = fmt.local(value, tz)
        return f"{local.year}年{fmt.short(value, tz)}"

    def label(number: int) -> str:
        return rt.matrix.label(number)  # read afresh: a plan update replaces the matrix

    env.filters.update(
        label=label,
        day=day,
        moment=moment,
        moment_full=moment_full,
        rate=_rate,
        score=_score,
        round_name=fmt.round_name,
        clip=fmt.clip,
        filesize=evidence.size,
    )

    def measure_url(number: int) -> str:
        """`/measures/<label>`; `/measures/<key>/<label>` where several plans are supervised."""
        shown = quote(rt.matrix.label(number), safe="")
        return f"/measures/{quote(rt.plan, safe='')}/{shown}" if rt.plan else f"/measures/{shown}"

    env.globals.update(
        document=rt.matrix.document.number or "",
        plan=rt.plan,
        plan_attr=Markup(f' data-plan="{escape(rt.plan)}"') if rt.plan else "",  # on each row of a plan's page
        plans=plans,
        measure_url=measure_url,
        digest_kind=rt.ladder.digest_kind,  # 督办周报 or 督办月报: the menu says which
    )
    return env
