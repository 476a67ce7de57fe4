"""Where the deployment's files are: config/ beside the package unless SUPERVISOR_CONFIG_DIR says otherwise."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def config_dir() -> Path:
    return Path(os.environ.get("SUPERVISOR_CONFIG_DIR") or PROJECT_ROOT / "config")


def default_plan() -> Path:
    return config_dir() / "plans" / "jinan-2021-16.txt"


def default_departments() -> Path:
    return config_dir() / "departments.toml"


def settings_file(environ: Mapping[str, str]) -> Path:
    """The deployment's settings file: SUPERVISOR_CONFIG (SUPERVISOR_SETTINGS, its older name), else the default."""
    chosen = environ.get("SUPERVISOR_CONFIG") or environ.get("SUPERVISOR_SETTINGS")
    return Path(chosen).resolve() if chosen else config_dir() / "settings.toml"
