"""What the sandbox hands out is a copy of its state: equal, and sharing nothing a caller could change."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from supervisor_bot.sandbox.records import copied

finite = st.floats(allow_nan=False, allow_infinity=False)  # JSON has no NaN or infinity
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | finite | st.text()
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=30
)


def _containers(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value, *(c for v in value.values() for c in _containers(v))]
    if isinstance(value, list):
        return [value, *(c for v in value for c in _containers(v))]
    return []


@given(json_values)
def test_a_copy_is_equal_and_shares_no_container(value: Any) -> None:
    copy = copied(value)
    assert copy == value
    originals = {id(c) for c in _containers(value)}
    assert not originals & {id(c) for c in _containers(copy)}


def test_changing_a_copied_message_leaves_the_sandbox_s_alone() -> None:
    message: dict[str, Any] = {
        "message_id": 3,
        "text": "措施8",
        "reply_markup": {"inline_keyboard": [[{"text": "已完成"}]]},
    }
    copy = copied(message)
    copy["reply_markup"]["inline_keyboard"][0][0]["text"] = "未启动"
    assert message["reply_markup"]["inline_keyboard"][0][0]["text"] == "已完成"
