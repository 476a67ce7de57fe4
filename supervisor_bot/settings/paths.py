"""Where the deployment's files are: config/ beside the package unless SUPERVISOR_CONFIG_DIR says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def config_dir() -> Path:
    return Path(os.environ.get("SUPERVISOR_CONFIG_DIR") or PROJECT_ROOT / "config")


def default_plan() -> Path:
    return config_dir() / "plans" / "jinan-2021-16.txt"


def default_departments() -> Path:
    return config_dir() / "departments.toml"
