"""Telegram's text rules the sandbox applies: UTF-16 lengths, the HTML subset, client-side entities."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervisor_bot.sandbox import ApiError
from supervisor_bot.sandbox.formatting import html_to_plain, render, user_entities, utf16_len


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("督办") == 2
    assert utf16_len("😀") == 2
    assert utf16_len("a😀b") == 4


@given(st.text())
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    assert html_to_plain(html.escape(text)) == (text, [])


@given(st.text(min_size=1))
def test_a_bold_wrapper_covers_the_whole_text(text: str) -> None:
    plain, entities = html_to_plain(f"<b>{html.escape(text)}</b>")
    assert plain == text
    assert entities == [{"type": "bold", "offset": 0, "length": utf16_len(text)}]


def test_nested_tags_links_and_code_blocks() -> None:
    plain, entities = render(
        '<b>督办 <i>重点</i></b> <a href="https://example.org/x?a=1&amp;b=2">链接</a>\n'
        '<pre><code class="language-python">print(1)</code></pre>',
        "HTML",
    )
    assert plain == "督办 重点 链接\nprint(1)"
    assert {"type": "italic", "offset": 3, "length": 2} in entities
    assert {"type": "bold", "offset": 0, "length": 5} in entities
    assert {"type": "text_link", "offset": 6, "length": 2, "url": "https://example.org/x?a=1&b=2"} in entities
    assert {"type": "pre", "offset": 9, "length": 8, "language": "python"} in entities


@pytest.mark.parametrize(
    ("markup", "detail"),
    [
        ("<b>a</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("a</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<span class="x">a</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("任务<div>", 'Unsupported start tag "div" at byte offset 6'),
    ],
)
def test_bad_markup_errors(markup: str, detail: str) -> None:
    with pytest.raises(ApiError) as error:
        html_to_plain(markup)
    assert error.value.description == f"Bad Request: can't parse entities: {detail}"


def test_markdown_is_kept_as_given_and_outer_whitespace_trimmed() -> None:
    assert render("  *粗体*  \n", "MarkdownV2") == ("*粗体*", [])


def test_client_entities_use_utf16_offsets() -> None:
    assert user_entities("😀 /report@supervisor_bot 50% @zhangsan") == [
        {"type": "bot_command", "offset": 3, "length": 22},
        {"type": "mention", "offset": 30, "length": 9},
    ]
