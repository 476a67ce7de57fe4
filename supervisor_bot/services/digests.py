"""The weekly digest: built from storage, and recorded once sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from supervisor_bot.core import ladder
from supervisor_bot.core.digest import RoundRecord, State, build_digest
from supervisor_bot.core.ledger import Digest, Progress
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.schedule import months_back
from supervisor_bot.services import fresh
from supervisor_bot.services.overdue import overdue_now, recent_rounds
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.scoring import current_period, scorecard
from supervisor_bot.views import fmt


def digest_title(plan: str | None, round_: Round | None, now: dt.datetime, tz: str) -> str:
    """`贯彻落实…分工方案落实情况（2021年第37周）`: the plan's own name, and the round it reports on."""
    name = fmt.round_name(round_.id) if round_ is not None else fmt.full_day(fmt.local(now, tz).date())
    return f"{plan or '分工方案'}落实情况（{name}）"


def digest(
    rt: Runtime, config: ladder.LadderConfig, now: dt.datetime, previous_key: str | None = None, scored: bool = True
) -> Digest | None:
    """The digest at `now`; `scored`: with the period's 考核 (the dashboard computes those only when shown)."""
    live = rt.current_round()
    if live is None:
        return None
    history = [RoundRecord(r, rt.store.reports(r.id)) for r in recent_rounds(rt, live)]
    bound = rt.bound()
    closures = {(c.measure, c.respondent): c for c in rt.store.closures()}
    state = State(
        matrix=rt.matrix,
        units=tuple(rt.respondents.values()),
        round=live,
        reports=rt.store.reports(live.id),
        overdue=tuple(overdue_now(rt, live, now)),
        closures=closures,
        extensions={(e.measure, e.respondent): e for e in rt.store.extensions()},
        done_steps=frozenset(rt.store.done(live.id)),
        escalated=rt.store.escalated(live.id),
        interviews=tuple(rt.store.interviews()),
        history=tuple(history),
        unbound=tuple(name for name in rt.respondents if name not in bound),
    )
    previous = rt.store.digest_totals(previous_key) if previous_key else None
    progress = {p.value for p in Progress}
    previous_totals = {Progress(k): v for k, v in previous.items() if k in progress} if previous else None
    title = digest_title(rt.office.plan_title, live, now, rt.tz)
    built = build_digest(state, now, config, rt.calendar, rt.tz, title, previous_totals, rt.office.leaders)
    since = fresh.sent_at(previous if previous_key else rt.store.digest_totals(latest_digest_key(rt, now)))
    return replace(
        built,
        scores=scorecard(rt, current_period(rt, now), now) if scored else None,
        ledger=fresh.marked(built.ledger, state.reports, rt.store.evidence(), since),
        new_since=since,
    )


def period_now(rt: Runtime, now: dt.datetime) -> str:
    """The key of the digest period `now` falls in (`2021-W37`, or `2021-09` for a monthly digest)."""
    return ladder.digest_slot(fmt.local(now, rt.tz).date(), rt.ladder, rt.calendar, rt.tz).key


def previous_digest_key(week: str) -> str:
    """`2021-W37` → the key of the week before's digest, `digest:2021-W36` (across a year end too); a monthly
    digest's `2021-01` → `digest:2020-12`."""
    if "-W" not in week:
        year, _, month = week.partition("-")
        before_month = months_back(dt.date(int(year), int(month), 1), 1)
        return f"digest:{before_month.year}-{before_month.month:02d}"
    year, _, number = week.partition("-W")
    before = dt.date.fromisocalendar(int(year), int(number), 1) - dt.timedelta(weeks=1)
    iso = before.isocalendar()
    return f"digest:{iso.year}-W{iso.week:02d}"


def latest_digest_key(rt: Runtime, now: dt.datetime) -> str:
    """The key of the digest most recently sent by `now`: this period's once it is out, else the one before's
    (the dashboard's ledger marks what is new since it)."""
    period = period_now(rt, now)
    this = f"digest:{period}"
    return this if this in rt.store.lasting_done() else previous_digest_key(period)


def digest_sent(rt: Runtime, step: ladder.SendDigest, result: Digest) -> None:
    """The digest is out: its totals (for the next one's change) and its moment (for the next one's 新 marks)."""
    totals = {k.value: v for k, v in result.totals.items()}
    rt.store.mark_lasting_done(step.key, {**totals, fresh.SENT_AT: fresh.stamp(result.generated_at)})


def piece_sent(rt: Runtime, key: str) -> None:
    """One piece of a digest (a part of its text, the ledger, the chart) is in the leaders' chat."""
    rt.store.mark_lasting_done(key)
    rt.store.clear_intents([key])
