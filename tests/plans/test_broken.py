"""Broken plans, one mistake each from the doubt policy's error list, are refused naming the right line or cell."""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_document import import_document
from supervisor_bot.documents import read_document
from tests.plans.generate import write_broken

BROKEN = int(os.environ.get("PLAN_ROUND_TRIPS", "2000")) // 10


@settings(max_examples=BROKEN, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(seed=st.integers(min_value=0, max_value=2**31))
def test_a_broken_plan_is_refused_naming_the_line(seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="plan-") as folder:
        broken = write_broken(random.Random(seed), Path(folder))
        event(broken.mutation)
        with pytest.raises(PlanFormatError) as refused:
            import_document(read_document(broken.path))
    assert refused.value.line == broken.line, (broken.mutation, str(refused.value))
    if broken.column is not None:
        assert refused.value.where == f"表格第{broken.line}行“{broken.column}”列", str(refused.value)
