"""督办机器人 — `python main.py COMMAND`; the same as the `supervisor-bot` console script."""

import gc
import sys

gc.disable()  # while the modules load (see supervisor_bot/cli/main.py: main)

from supervisor_bot.cli.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
