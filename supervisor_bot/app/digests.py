"""The weekly digest sent: its text in pieces, the 督办台账 and the chart, each piece once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pendulum

from supervisor_bot.app.delivery import deliver, deliver_file, deliver_once
from supervisor_bot.app.shell import Shell, as_scheduled, caught_up, log
from supervisor_bot.core import ladder
from supervisor_bot.core.people import ChatId
from supervisor_bot.ports.messenger import Attachment, NotSent
from supervisor_bot.services import digests, plan_digests
from supervisor_bot.services.digest_files import DigestFiles, write_digest_files
from supervisor_bot.views.view import View, split_text


def _pieces(files: DigestFiles, day: str) -> list[View | Attachment]:
    pieces: list[View | Attachment] = [View(chunk) for chunk in split_text(files.text)]
    pieces.append(Attachment(files.ledger, f"督办台账{day}.xlsx", "督办台账"))
    pieces.append(Attachment(files.chart, f"分部分进展{day}.png", "分部分进展图", photo=True))
    return pieces


async def send_digest(
    shell: Shell, now: dt.datetime, step: ladder.SendDigest | None = None, chat: ChatId | None = None
) -> bool:
    """The weekly digest to the leaders' chat (or a preview to `chat`). Each piece of a weekly digest is
    recorded once sent, so a digest cut short is completed by the next tick without sending any piece twice."""
    if shell.plans:
        return await send_combined(shell, now, step, chat)
    rt = shell.runtime
    target = chat or rt.leaders_chat
    previous = digests.previous_digest_key(step.week if step else digests.period_now(rt, now))
    moment = as_scheduled(step.scheduled, now) if step is not None else now
    result = await shell.runner.call(digests.digest, rt, rt.ladder, moment, previous)
    if result is not None and step is not None and moment != step.scheduled:
        result = replace(result, scheduled=step.scheduled)  # sent late: its text says when it was due
    if result is None or target is None:
        if step is not None:
            await shell.runner.call(rt.store.mark_lasting_done, step.key)
        return False
    folder = shell.digest_dir / (step.week if step else f"preview-{pendulum.instance(now):%Y%m%d%H%M%S}")
    files = await shell.runner.call(write_digest_files, result, folder)
    pieces = _pieces(files, f"{result.period_end:%Y%m%d}")
    if step is None:
        for piece in pieces:
            await (
                deliver_file(shell, target, piece) if isinstance(piece, Attachment) else deliver(shell, target, piece)
            )
        return True
    if not await _send_pieces(shell, step, pieces, target):
        return False
    await shell.runner.call(digests.digest_sent, rt, step, result)
    log.info("digest %s sent to chat %s%s", step.week, target, caught_up(shell, step.scheduled, now))
    return True


async def send_combined(
    shell: Shell, now: dt.datetime, step: ladder.SendDigest | None = None, chat: ChatId | None = None
) -> bool:
    """The one digest of a deployment of several plans: a section per plan, the combined ranking, one ledger
    (汇总 and a sheet per plan) and each plan's chart; sent and recorded as the one-plan digest is."""
    rt = plan_digests.lead(shell.runtimes)
    lead = shell.on(rt)
    target = chat or rt.leaders_chat
    previous = digests.previous_digest_key(step.week if step else digests.period_now(rt, now))
    result = await shell.runner.call(plan_digests.combined_digest, shell.runtimes, now, previous)
    if result is None or target is None:
        if step is not None:
            await shell.runner.call(rt.store.mark_lasting_done, step.key)
        return False
    folder = shell.data_dir / "digests" / (step.week if step else f"preview-{pendulum.instance(now):%Y%m%d%H%M%S}")
    files = await shell.runner.call(plan_digests.write_combined_files, result, folder)
    day = f"{result.first.period_end:%Y%m%d}"
    pieces: list[View | Attachment] = [View(chunk) for chunk in split_text(files.text)]
    pieces.append(Attachment(files.ledger, f"督办台账{day}.xlsx", "督办台账（汇总及各方案分表）"))
    pieces += [
        Attachment(chart, f"分部分进展{key}{day}.png", f"{key}分部分进展图", photo=True) for key, chart in files.charts
    ]
    if step is None:
        for piece in pieces:
            await (deliver_file(lead, target, piece) if isinstance(piece, Attachment) else deliver(lead, target, piece))
        return True
    if not await _send_pieces(lead, step, pieces, target):
        return False
    await shell.runner.call(plan_digests.combined_sent, shell.runtimes, step, result)
    log.info(
        "digest %s (%s plans) sent to chat %s%s",
        step.week,
        len(result.plans),
        target,
        caught_up(shell, step.scheduled, now),
    )
    return True


async def _send_pieces(shell: Shell, step: ladder.SendDigest, pieces: list[View | Attachment], target: ChatId) -> bool:
    """Each piece once: a digest cut short is completed by the next tick without sending any piece twice."""
    rt = shell.runtime
    done = await shell.runner.call(rt.store.lasting_done)
    known = await shell.runner.call(rt.store.intents)
    for number, piece in enumerate(pieces, start=1):
        key = f"{step.key}#{number}"
        if key in done:
            continue
        if await deliver_once(shell, key, target, piece, known) is NotSent.FAILED:
            log.warning(
                "digest %s: piece %s of %s not sent, messenger unreachable; next tick", step.week, number, len(pieces)
            )
            return False
        await shell.runner.call(digests.piece_sent, rt, key)
    return True
