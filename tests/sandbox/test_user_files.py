"""People send files to the bot: a document or a photo as a reply to the bot's message, seen under privacy mode,
downloadable through getFile and the file URL, as Telegram does it."""

from __future__ import annotations

import pytest

from supervisor_bot.sandbox import Sandbox, SandboxError

from .conftest import BotApiClient

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (800).to_bytes(4, "big") + (600).to_bytes(4, "big") + b"\x08\x02"


async def _updates(api: BotApiClient) -> list[dict[str, object]]:
    updates: list[dict[str, object]] = await api.ok("getUpdates", timeout=0)
    return updates


async def test_a_document_and_a_photo_as_replies_reach_the_bot_and_download(
    api: BotApiClient, sandbox: Sandbox, group: int
) -> None:
    sandbox.add_user(7, "联络员")
    asked = await api.ok("sendMessage", chat_id=group, text="请上传佐证材料")
    sandbox.post_message(
        group, 7, reply_to_message_id=asked["message_id"], document=("验收报告.pdf", b"%PDF-1.4 x", "application/pdf")
    )
    sandbox.post_message(group, 7, reply_to_message_id=asked["message_id"], photo=PNG, caption="措施9 现场照片")
    sandbox.post_message(group, 7, document=("闲聊.pdf", b"%PDF", "application/pdf"))  # no reply: privacy mode
    messages = [u["message"] for u in await _updates(api) if "message" in u]
    assert len(messages) == 2
    document, photo = messages[0], messages[1]
    assert isinstance(document, dict) and isinstance(photo, dict)
    assert document["reply_to_message"]["message_id"] == asked["message_id"]
    assert document["document"]["file_name"] == "验收报告.pdf" and document["document"]["file_size"] == 10
    sizes = photo["photo"]
    assert (sizes[-1]["width"], sizes[-1]["height"], photo["caption"]) == (800, 600, "措施9 现场照片")
    for file_id, content in ((document["document"]["file_id"], b"%PDF-1.4 x"), (sizes[-1]["file_id"], PNG)):
        info = await api.ok("getFile", file_id=file_id)
        assert info["file_size"] == len(content)
        download = await api.http.get(f"{sandbox.file_url}{sandbox.token}/{info['file_path']}")
        assert download.status_code == 200 and download.content == content
    wrong_token = await api.http.get(f"{sandbox.file_url}1:bad/{info['file_path']}")
    assert wrong_token.status_code in (401, 404)
    status, body = await api.call("getFile", file_id="nope")
    assert (status, body["description"]) == (400, "Bad Request: invalid file_id")


async def test_a_document_without_a_name_and_a_photo_that_is_no_image(
    api: BotApiClient, sandbox: Sandbox, group: int
) -> None:
    sandbox.add_user(7, "联络员")
    asked = await api.ok("sendMessage", chat_id=group, text="请上传佐证材料")
    sandbox.post_message(group, 7, reply_to_message_id=asked["message_id"], document=("", b"data", "application/x"))
    [update] = await _updates(api)
    message = update["message"]
    assert isinstance(message, dict) and "file_name" not in message["document"]
    with pytest.raises(SandboxError):
        sandbox.post_message(group, 7, reply_to_message_id=asked["message_id"], photo=b"not an image")


async def test_get_file_refuses_what_a_bot_may_not_download(api: BotApiClient, sandbox: Sandbox, group: int) -> None:
    sandbox.add_user(7, "联络员")
    asked = await api.ok("sendMessage", chat_id=group, text="请上传佐证材料")
    big = b"\0" * (20 * 1024 * 1024 + 1)
    sandbox.post_message(
        group, 7, reply_to_message_id=asked["message_id"], document=("台账.zip", big, "application/zip")
    )
    [update] = await _updates(api)
    message = update["message"]
    assert isinstance(message, dict) and message["document"]["file_size"] == len(big)  # the bot sees the size
    status, body = await api.call("getFile", file_id=message["document"]["file_id"])
    assert (status, body["description"]) == (400, "Bad Request: file is too big")
