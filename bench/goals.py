"""Each figure of the last `make bench` beside its goal, and whether it is met; the same table into the README.

Goals are ratios measured within one run (the machine is shared: absolute times move with its load), or memory.
"No worse than before" compares with the figures of main before issue 24 (bench/before.json, measured by the same
benchmarks in one `make bench`), allowing NOISE for a busy machine.
"""

from __future__ import annotations

import json
import operator
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import RESULTS

BEFORE = Path(__file__).with_name("before.json")
README = Path(__file__).resolve().parent.parent / "README.md"
NOISE = 1.10  # "no worse": within 10 % of before
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


@dataclass(frozen=True)
class Goal:
    what: str
    key: str  # in bench/results.json
    unit: str
    limit: float | None  # None: no worse than before (× NOISE)
    higher_is_better: bool = False

    def target(self, before: dict[str, Any]) -> float | None:
        if self.limit is not None:
            return self.limit
        was = before.get(self.key)
        if not isinstance(was, int | float):
            return None
        return was / NOISE if self.higher_is_better else was * NOISE

    def met(self, value: float, target: float) -> bool:
        better: Callable[[float, float], bool] = operator.ge if self.higher_is_better else operator.le
        return better(value, target)


GOALS = (
    Goal("start-up to the first answer, 5 years of history, × the bare bot's", "startup_ratio_5y_to_echo", "×", 1.5),
    Goal("memory at the first answer, × the bare bot's", "rss_ratio_5y_to_echo", "×", 1.5),
    Goal("memory after the first tick (the digest sent), 5 years of history", "rss_after_tick_5y_mb", "MB", 90),
    Goal("a press until its answer, p50, × the bare bot's", "press_p50_ratio", "×", 1.2),
    Goal("/status until its reply, p50, × the bare bot's", "status_p50_ratio", "×", 1.2),
    Goal("durable presses per second, × the bare bot's messages", "throughput_ratio", "×", 0.6, higher_is_better=True),
    Goal("fan-out to Jinan's 47 groups, × the floor of Telegram's limits", "fanout_jinan_ratio", "×", None),
    Goal("fan-out to a province's 752 groups, × the floor", "fanout_province_ratio", "×", None),
    Goal("a Friday's 催办 and 督办单 to one group, × the floor", "fanout_ladder_ratio", "×", None),
    Goal(
        "the province's digest after 5 years, × Jinan's week-one digest", "province_digest_ratio_to_jinan_1w", "×", None
    ),
    Goal("the dashboard's overview (a province, 5 years), × a static file", "web_overview_ratio", "×", None),
    Goal("a unit's page, × a static file", "web_unit_ratio", "×", None),
    Goal("a press while the dashboard is read, × the bare bot's press", "web_press_p50_ratio", "×", None),
)


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def rows(results: dict[str, Any], before: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(what, now, before, goal, met) for each goal."""
    out = []
    for goal in GOALS:
        value, was, target = results.get(goal.key), before.get(goal.key), goal.target(before)
        sign = "≥" if goal.higher_is_better else "≤"
        shown = f"{sign} {target:.3g} {goal.unit}" if target is not None else "—"
        if goal.limit is None and target is not None:
            shown += " (no worse than before)"
        if not isinstance(value, int | float):
            met = "not measured"
        elif target is None:
            met = "—"
        else:
            met = "met" if goal.met(value, target) else "**not met**"
        now = f"{value:g} {goal.unit}" if isinstance(value, int | float) else "—"
        then = f"{was:g} {goal.unit}" if isinstance(was, int | float) else "—"
        out.append((f"{goal.what} (`{goal.key}`)", now, then, shown, met))
    return out


def table(results: dict[str, Any], before: dict[str, Any]) -> str:
    lines = ["| figure | now | before (main at cd2002f) | goal | |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(row)} |" for row in rows(results, before)]
    met = sum(1 for row in rows(results, before) if row[4] == "met")
    loads = results.get("load", {})
    busy = ", ".join(f"{bench} {load:g}" for bench, load in loads.items()) if isinstance(loads, dict) else "?"
    lines += [
        "",
        f"{met} of {len(GOALS)} goals met. {results.get('cpus', '?')} CPUs; the machine's load (1-minute average) as "
        f"each benchmark ended: {busy}.",
    ]
    return "\n".join(lines)


def into_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text}\n{END}"
    updated, found = re.subn(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, readme, flags=re.DOTALL)
    if found != 1:
        raise SystemExit(f"README.md has no {BEGIN} … {END} block")
    README.write_text(updated, encoding="utf-8")


def main() -> None:
    results = _load(RESULTS)
    text = table(results, _load(BEFORE))
    print(text)
    if "--readme" in sys.argv:
        into_readme(text)


if __name__ == "__main__":
    main()
