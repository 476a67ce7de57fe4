"""The command line: `python main.py COMMAND` and the `supervisor-bot` console script."""

from supervisor_bot.cli.main import main

__all__ = ["main"]
