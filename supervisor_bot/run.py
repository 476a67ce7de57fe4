"""`python main.py run`: the bot, polling Telegram or whatever Bot API server TELEGRAM_BASE_URL names."""

from __future__ import annotations

import logging
import os

from supervisor_bot.bootstrap import assemble, tick_seconds, token_for
from supervisor_bot.settings.settings import load_settings
from supervisor_bot.telegram.app import ALLOWED_UPDATES, build_application, quiet_http_logs
from supervisor_bot.telegram.context import Shell, log
from supervisor_bot.telegram.web_front import web_front


def configure_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    quiet_http_logs()


def run() -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    configure_logging()
    settings = load_settings()
    assembled = assemble(settings)
    for problem in assembled.problems:
        log.warning("plan: %s", problem)
    shell = Shell(assembled.runtime, assembled.clock, digest_dir=settings.data_dir / "digests")
    app = build_application(
        shell, token=token_for(settings), base_url=settings.base_url, tick_seconds=tick_seconds(settings)
    )
    web_front(app, shell, settings)
    log.info("supervisor bot starting: %s, data in %s", settings.base_url, settings.data_dir)
    try:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    finally:
        shell.runner.shutdown()
    return 0
