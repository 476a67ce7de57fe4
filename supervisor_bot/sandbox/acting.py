"""What a test does as the people on Telegram: users, chats, messages, commands and button presses."""

from __future__ import annotations

from . import people
from .errors import SandboxError
from .records import JsonDict
from .world import ChatState, World


class PeopleActions:
    """The Sandbox's part that acts as people; ``world`` is the Sandbox's."""

    world: World

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> JsonDict:
        return self.world.add_user(user_id, first_name, username, last_name, language_code)

    def create_private_chat(self, user_id: int) -> JsonDict:
        """The user's private chat with the bot (as if they pressed Start); its id is the user id."""
        user = self.world.user(user_id)
        chat = ChatState(
            id=user_id,
            type="private",
            username=user.get("username"),
            first_name=user["first_name"],
            last_name=user.get("last_name"),
        )
        return self.world.add_chat(chat).to_json()

    def create_group(self, title: str, chat_id: int | None = None, *, with_bot: bool = True) -> JsonDict:
        """A basic group (negative id). ``with_bot=False`` leaves the bot out until add_bot_to_chat()."""
        return self._create_group("group", title, chat_id, None, with_bot)

    def create_supergroup(
        self, title: str, chat_id: int | None = None, *, username: str | None = None, with_bot: bool = True
    ) -> JsonDict:
        """A supergroup (-100… id)."""
        return self._create_group("supergroup", title, chat_id, username, with_bot)

    def _create_group(
        self, kind: str, title: str, chat_id: int | None, username: str | None, with_bot: bool
    ) -> JsonDict:
        if chat_id is None:
            chat_id = self.world.new_group_id(supergroup=kind == "supergroup")
        if chat_id >= 0 or (kind == "supergroup" and not str(chat_id).startswith("-100")):
            raise SandboxError(f"{chat_id} is not a valid {kind} id")
        chat = ChatState(
            id=chat_id, type=kind, title=title, username=username, bot_status="member" if with_bot else "left"
        )
        return self.world.add_chat(chat).to_json()

    def add_bot_to_chat(self, chat_id: int, by_user_id: int | None = None, *, as_admin: bool = False) -> None:
        people.add_bot_to_chat(self.world, chat_id, by_user_id, as_admin=as_admin)

    def remove_bot_from_chat(self, chat_id: int, by_user_id: int | None = None, *, kicked: bool = True) -> None:
        people.remove_bot_from_chat(self.world, chat_id, by_user_id, kicked=kicked)

    def migrate_chat(self, group_id: int, by_user_id: int | None = None) -> int:
        return people.migrate_chat(self.world, group_id, by_user_id)

    def post_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        reply_to_message_id: int | None = None,
        document: tuple[str, bytes, str] | None = None,
        caption: str | None = None,
        photo: bytes | None = None,
    ) -> JsonDict:
        """User writes a message (``document=(filename, bytes, mime)`` for a file, ``photo=`` image bytes for
        a photo); returns the Message."""
        return people.post_message(
            self.world,
            chat_id,
            user_id,
            text,
            reply_to_message_id=reply_to_message_id,
            document=document,
            caption=caption,
            photo=photo,
        )

    def post_command(
        self,
        chat_id: int,
        user_id: int,
        command: str,
        args: str = "",
        *,
        address_bot: bool = False,
        reply_to_message_id: int | None = None,
    ) -> JsonDict:
        """User sends ``/command args`` (``/command@bot`` with ``address_bot``), with a bot_command entity."""
        text = people.command_text(command, args, bot_username=self.world.bot.username if address_bot else None)
        return self.post_message(chat_id, user_id, text, reply_to_message_id=reply_to_message_id)

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        user_id: int,
        *,
        data: str | None = None,
        text: str | None = None,
        raw_data: str | None = None,
    ) -> str:
        """Press an inline button by ``data`` or label ``text``, or forge ``raw_data``; returns the query id."""
        return people.press_button(self.world, chat_id, message_id, user_id, data=data, text=text, raw_data=raw_data)
