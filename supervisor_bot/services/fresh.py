"""What is new since the last digest: the reports made (or corrected) after it went out, marked in the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace

from supervisor_bot.core.evidence import Evidence
from supervisor_bot.core.ledger import LedgerRow
from supervisor_bot.core.reports import Report

SENT_AT = "sent_at"  # beside a digest's totals: when it went out, in seconds since the epoch


def stamp(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def sent_at(totals: Mapping[str, int] | None) -> dt.datetime | None:
    """When the digest these totals belong to went out (None: no digest before, or one from before this was kept)."""
    if not totals or SENT_AT not in totals:
        return None
    return dt.datetime.fromtimestamp(totals[SENT_AT], dt.UTC)


def is_new(report: Report | None, since: dt.datetime | None) -> bool:
    """Reported in this round after the last digest (every report of the round, before the first digest)."""
    return report is not None and not report.carried and (since is None or report.at > since)


def marked(
    rows: Iterable[LedgerRow],
    reports: Mapping[tuple[int, str], Report],
    evidence: Iterable[Evidence],
    since: dt.datetime | None,
) -> tuple[LedgerRow, ...]:
    """The ledger's rows, each marked new or not, with the names of its 佐证材料."""
    files: dict[tuple[int, str], list[str]] = {}
    for item in evidence:
        files.setdefault(item.key, []).append(item.name)
    return tuple(
        replace(
            row,
            new=is_new(reports.get((row.measure, row.respondent)), since),
            evidence=tuple(files.get((row.measure, row.respondent), ())),
        )
        for row in rows
    )
