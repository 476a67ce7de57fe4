"""督办机器人 — `python main.py COMMAND`; the same as the `supervisor-bot` console script."""

import sys

from supervisor_bot.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
