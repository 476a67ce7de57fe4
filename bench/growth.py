"""Growth: what recording a report and building the weekly digest cost after 1 week, 1 year and 5 years of weekly
rounds — for Jinan (63 measures, 33 departments, 47 groups) and for a province of 16 cities × the Jinan matrix
(bench/province.py: 63 measures, 16 × the assignments, 752 groups).

History: bench/history.py fills a data folder week by week, as the bot would have it; a copy is kept at the
digest moment (Friday 17:00) of the 1st, 52nd and 260th round. The two deployments are built side by side, each
in a process of its own; everything is under one temporary folder, gone at the end of the run.

Each size is then measured in a fresh process of its own — the bot's process after a restart: one store, the
plan, nothing cached from another size — in turn 1w, 1y, 5y, PASSES times over, so that the machine's drift
hits every size alike. Absolute figures are medians over all samples of a size; ratios are the median over the
passes of each pass's ratio to week one.
- write_cost: `reporting.press` setting a status (推进中/未启动) on the live round's checklist of the unit with
  the most measures, then `store.flush()` — a liaison's press, durably stored.
- note_report_cost: a report with its note — 有困难 pressed (the bot asks for the note), the request stored as a
  pending note, the liaison's reply recorded — each step flushed, as the service runner flushes each call.
- digest: `services.digests.digest` with `write_digest_files` (text, 督办台账 .xlsx, progress chart .png), after a
  ladder tick and one untimed digest have loaded what a running bot has loaded; digest_build: the first part.
Baselines, measured in the same run: week one of each deployment, and Jinan's week-one digest for the province's.
Targets (issue 6): a report after 5 years costs at most 1.5× week one's; the province digest takes under 2 s.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pendulum

from bench.common import jinan, ms, record, runtime
from bench.history import BUREAU_CHAT, LEADERS_CHAT, History
from bench.province import province
from storage.tinydb_store import TinyStore
from supervisor_bot.core import ladder
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.people import Actor
from supervisor_bot.core.prompts import Prompt
from supervisor_bot.core.schedule import week_key
from supervisor_bot.core.status import Status
from supervisor_bot.services import digests as digest_service
from supervisor_bot.services import ladder as ladder_service
from supervisor_bot.services import reporting
from supervisor_bot.services.digest_files import write_digest_files
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.views.callbacks import Act, Press

SIZES = {"1w": 1, "1y": 52, "5y": 260}
PASSES = 2  # each size is measured this many times, in turn with the others
PRESSES = {"jinan": 150, "province": 80}  # per pass (and half as many reports with a note)
DIGESTS = {"jinan": 4, "province": 2}  # per pass, after one not timed
WRITE_TARGET = 1.5
DIGEST_TARGET_S = 2.0


def deployment(kind: str) -> tuple[Matrix, Any]:
    return jinan() if kind == "jinan" else province()


# ----------------------------------------------------------------------------------------------- history


def build(kind: str, folder: Path, sizes: dict[str, int] = SIZES) -> dict[str, Path]:
    """Fill `folder/<size>` with the deployment's data at the digest moment of each size's last round."""
    matrix, registry = deployment(kind)
    history = History(folder / "history", matrix, registry)
    last = max(sizes.values())
    labels = {rounds: label for label, rounds in sizes.items()}

    def at_digest(rounds: int) -> bool:
        gc.freeze()  # the builder's heap only grows: the collector need not scan it over and over
        if rounds in labels and rounds < last:
            shutil.copytree(history.data_dir, folder / labels[rounds])
        return rounds == last

    history.play(last, at_digest)
    history.close()
    (folder / "history").rename(folder / labels[last])
    return {label: folder / label for label in sizes}


def _build(kind: str, folder: str) -> tuple[str, dict[str, str], float]:
    start = time.perf_counter()
    built = build(kind, Path(folder))
    return kind, {label: str(path) for label, path in built.items()}, time.perf_counter() - start


# ----------------------------------------------------------------------------------------------- measuring


def digest_moment(rt: Runtime) -> pendulum.DateTime:
    live = rt.current_round()
    assert live is not None
    opened = pendulum.instance(live.opened_at).in_timezone(rt.tz).date()
    return ladder.digest_time(opened, rt.ladder, rt.calendar, rt.tz)


def _measure(kind: str, folder: str, presses: int, digests: int) -> dict[str, Any]:
    """In a fresh process: the store opened as at start-up, a tick, then digests and presses, each timed."""
    matrix, registry = deployment(kind)
    store = TinyStore(Path(folder), group_commit=True)
    rt = runtime(store, matrix, registry, BUREAU_CHAT, leaders_chat=LEADERS_CHAT)
    now = digest_moment(rt)
    ladder_service.due_steps(rt, rt.ladder, now)  # the tick before: the live round and the recent ones loaded
    previous = digest_service.previous_digest_key(week_key(now, rt.tz))
    with tempfile.TemporaryDirectory() as out:  # last week's digest: the chart's libraries loaded
        warm = digest_service.digest(rt, rt.ladder, now, previous)
        assert warm is not None
        write_digest_files(warm, Path(out))
    built: list[float] = []
    total: list[float] = []
    rows = 0
    with tempfile.TemporaryDirectory() as out:
        for n in range(digests):
            start = time.perf_counter()
            result = digest_service.digest(rt, rt.ladder, now, previous)
            assert result is not None
            middle = time.perf_counter()
            write_digest_files(result, Path(out) / str(n))
            total.append(time.perf_counter() - start)
            built.append(middle - start)
            rows = len(result.ledger)
    unit = max(rt.duties, key=lambda name: len(rt.duties[name]))
    prompt = next(p for p in store.prompts() if p.respondent == unit)
    binding = rt.binding_of(unit)
    assert binding is not None and prompt.message_id is not None
    actor = Actor(min(binding.liaisons), "联络员")
    measures = [d.measure.number for d in rt.duties[unit]]
    writes: list[float] = []
    for n in range(presses):
        status = (Status.IN_PROGRESS, Status.NOT_STARTED)[n % 2]
        pressed = Press(Act.STATUS, prompt.id, measures[n % len(measures)], status)
        moment = now + dt.timedelta(minutes=5, seconds=n)
        start = time.perf_counter()
        outcome = reporting.press(rt, pressed, prompt.chat_id, prompt.message_id, actor, moment)
        store.flush()
        writes.append(time.perf_counter() - start)
        assert isinstance(outcome, reporting.Show), outcome
    noted: list[float] = []
    for n in range(presses // 2):
        moment = now + dt.timedelta(minutes=30, seconds=n)
        start = time.perf_counter()
        report_with_note(rt, prompt, actor, measures[n % len(measures)], moment, request=10**6 + n)
        noted.append(time.perf_counter() - start)
    store.close()
    data = Path(folder)
    return {
        "write": writes,
        "note": noted,
        "digest": total,
        "digest_build": built,
        "rounds": len(list((data / "rounds").iterdir())),
        "rows": rows,
        "data_mb": sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) / 2**20,
    }


def report_with_note(rt: Runtime, prompt: Prompt, actor: Actor, measure: int, now: dt.datetime, request: int) -> None:
    """有困难 with its note, as the bot records it: the press (the bot asks for the note), the request sent
    (stored as a pending note), the liaison's reply (the report stored, the pending note dropped) — each
    service call flushed, as the service runner does."""
    assert prompt.message_id is not None
    pressed = Press(Act.STATUS, prompt.id, measure, Status.BLOCKED)
    asked = reporting.press(rt, pressed, prompt.chat_id, prompt.message_id, actor, now)
    rt.store.flush()
    assert isinstance(asked, reporting.AskNote), asked
    reporting.note_requested(rt, asked, request, actor, now)
    rt.store.flush()
    recorded = reporting.note(rt, prompt.chat_id, request, "资金拨付渠道尚未打通，需财政部门配合。", actor, now)
    rt.store.flush()
    assert isinstance(recorded, reporting.NoteRecorded), recorded


def fresh_process(kind: str, folder: Path) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_measure, kind, str(folder), PRESSES[kind], DIGESTS[kind]).result()


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def figures(kind: str, folders: dict[str, Path]) -> dict[str, Any]:
    """Each size in a fresh process, in turn, PASSES times; absolute figures are medians of all samples, ratios
    the median of each pass's ratio (sizes measured a few seconds apart, under the same load)."""
    passes: dict[str, list[dict[str, Any]]] = {label: [] for label in SIZES}
    for _ in range(PASSES):
        for label in SIZES:
            passes[label].append(fresh_process(kind, folders[label]))

    def pooled(label: str, key: str) -> float:
        return median([x for found in passes[label] for x in found[key]])

    def ratio(label: str, key: str) -> float:
        each = [median(a[key]) / median(b[key]) for a, b in zip(passes[label], passes["1w"], strict=True)]
        return round(median(each), 2)

    prefix = "" if kind == "jinan" else "province_"
    out: dict[str, Any] = {}
    for key, name in (
        ("write", "write_cost"),
        ("note", "note_report_cost"),
        ("digest", "digest"),
        ("digest_build", "digest_build"),
    ):
        for label in SIZES:
            out[f"{prefix}{name}_{label}_ms"] = ms(pooled(label, key))
        for label in ("1y", "5y"):
            out[f"{prefix}{name.replace('_cost', '')}_growth_ratio_{label}"] = ratio(label, key)
    last = passes["5y"][-1]
    out[f"{prefix}history_5y_rounds"] = last["rounds"]
    out[f"{prefix}history_5y_mb"] = round(last["data_mb"], 1)
    out[f"{prefix}ledger_rows"] = last["rows"]
    return out


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
            jobs = [pool.submit(_build, kind, str(root / kind)) for kind in ("jinan", "province")]
            built = {
                kind: ({label: Path(p) for label, p in paths.items()}, took)
                for kind, paths, took in (job.result() for job in jobs)
            }
        print(
            f"history built in {time.perf_counter() - start:.0f} s "
            f"(jinan {built['jinan'][1]:.0f} s, province {built['province'][1]:.0f} s)",
            file=sys.stderr,
        )
        results = figures("jinan", built["jinan"][0]) | figures("province", built["province"][0])
    results["province_digest_s"] = round(results["province_digest_5y_ms"] / 1000, 2)
    results["province_digest_ratio_to_jinan_1w"] = round(results["province_digest_5y_ms"] / results["digest_1w_ms"], 1)
    ratios = [
        results[f"{prefix}{what}_growth_ratio_5y"] for prefix in ("", "province_") for what in ("write", "note_report")
    ]
    results["write_growth_target_met"] = max(ratios) <= WRITE_TARGET
    results["province_digest_target_met"] = results["province_digest_s"] < DIGEST_TARGET_S
    results["growth_bench_s"] = round(time.perf_counter() - start)
    results["cpus"] = os.cpu_count()
    record(results)


if __name__ == "__main__":
    main()
