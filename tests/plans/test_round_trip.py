"""Generated plans, every convention in every format, imported exactly: measure by measure, with no warning.

PLAN_ROUND_TRIPS sets how many (2,000 in `make test`, 20,000 in `make reliability`); most are written in the fast
formats (.txt, .html, .docx, .xlsx), about one in sixteen as a PDF (tests/plans/generate.py, FORMAT_WEIGHTS).
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.plans.generate import differences, draw_style, import_generated, write_plan

ROUND_TRIPS = int(os.environ.get("PLAN_ROUND_TRIPS", "2000"))


@settings(max_examples=ROUND_TRIPS, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(seed=st.integers(min_value=0, max_value=2**31))
def test_a_generated_plan_imports_exactly(seed: int) -> None:
    style = draw_style(random.Random(seed))
    event(style.format)
    with tempfile.TemporaryDirectory(prefix="plan-") as folder:
        generated = write_plan(style, seed, Path(folder))
        result = import_generated(generated)

    assert differences(generated, result) == [], style
