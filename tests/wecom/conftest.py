"""Every test here runs the WeCom front against the WeCom sandbox on the loopback interface."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.wecom.harness import Rig, rig


@pytest.fixture
async def wecom(tmp_path: Path) -> AsyncIterator[Rig]:
    async with rig(tmp_path) as found:
        yield found
