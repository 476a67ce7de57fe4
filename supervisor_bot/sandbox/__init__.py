"""A local Telegram Bot API sandbox (本地 Telegram 沙箱) for the demo and end-to-end tests.

python-telegram-bot reaches it through ``base_url`` alone::

    async with Sandbox() as sb:
        app = (Application.builder().token(sb.token)
               .base_url(sb.bot_api_url).base_file_url(sb.file_url).build())

Bot API: ``GET|POST /bot<token>/<method>`` (method names case-insensitive; query string, JSON,
urlencoded or multipart parameters) and ``GET /file/bot<token>/<file_path>`` for getFile downloads.
Answers and errors have Telegram's JSON shapes. After ``setWebhook`` (http accepted: it is local) each update
is posted to the webhook in order, with ``secret_token`` in ``X-Telegram-Bot-Api-Secret-Token``, until
``deleteWebhook``; getUpdates meanwhile answers 409, as Telegram does.

Control API (JSON; every answer is ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}``
with status 400, 404 or 408 on a wait timeout). Each route mirrors a ``Sandbox`` method:

====== ====================================================== =============================================
GET    /control/state                                          bot, users, chats, counts
POST   /control/reset                                          ``reset()``
POST   /control/users                                          ``add_user``: {user_id, first_name, username?,
                                                               last_name?, language_code?}
POST   /control/chats/private                                  ``create_private_chat``: {user_id}
POST   /control/chats/group                                    ``create_group``: {title, chat_id?, with_bot?}
POST   /control/chats/supergroup                               ``create_supergroup``: {title, chat_id?,
                                                               username?, with_bot?}
POST   /control/chats/{chat_id}/add_bot                        {by_user_id?, as_admin?}
POST   /control/chats/{chat_id}/remove_bot                     {by_user_id?, kicked?}
POST   /control/chats/{chat_id}/migrate                        {by_user_id?} -> {new_chat_id}
POST   /control/chats/{chat_id}/messages                       ``post_message``: {user_id, text?,
                                                               reply_to_message_id?, caption?, document?:
                                                               {filename, content_base64, mime_type},
                                                               photo_base64?} (an empty filename: a
                                                               document sent without a name)
GET    /control/chats/{chat_id}/messages                       ``messages_in``: current state of each message
POST   /control/chats/{chat_id}/commands                       ``post_command``: {user_id, command, args?,
                                                               address_bot?, reply_to_message_id?}
POST   /control/chats/{chat_id}/messages/{message_id}/press    ``press_button``: {user_id, data? | text? |
                                                               raw_data?} -> {callback_query_id}
GET    /control/outgoing?chat_id=&after=&sends_only=&with_content=
                                                               the outgoing log (``after`` = seq already seen)
POST   /control/wait_for                                       {chat_id?, method?, text_contains?,
                                                               message_id?, after?, timeout?} -> record
GET    /control/callback_answers/{query_id}                    ``callback_answer`` (404 if not answered)
POST   /control/callback_answers/{query_id}/wait               {timeout?}
GET    /control/commands?scope=<json>&language_code=           setMyCommands result for that scope
GET    /control/updates                                        updates the bot has not confirmed
GET    /control/faults                                         {active, log}
POST   /control/faults                                         ``inject_fault``: {kind: delay|429|5xx|drop|
                                                               drop_after, method?, chat_id?, count?,
                                                               probability?, delay?, retry_after?, status?}
DELETE /control/faults                                         ``clear_faults()``
PUT    /control/limits                                         {group_messages?, group_window?,
                                                               total_messages?, total_window?}
====== ====================================================== =============================================

``SandboxClient(url)`` wraps these routes for a test whose bot runs in another process.
Run a sandbox by hand with ``run_forever("127.0.0.1", 8081)``; it only ever binds 127.0.0.1.
"""

from .client import SandboxClient
from .errors import ApiError, SandboxError
from .faults import Fault, FaultEvent, FaultKind
from .limits import RateLimits
from .records import CallbackAnswer, JsonDict, OutgoingRecord, RecordFilter, UploadedFile
from .server import DEFAULT_PORT, DEFAULT_TOKEN, Sandbox, run_forever

__all__ = [
    "DEFAULT_PORT",
    "DEFAULT_TOKEN",
    "ApiError",
    "CallbackAnswer",
    "Fault",
    "FaultEvent",
    "FaultKind",
    "JsonDict",
    "OutgoingRecord",
    "RateLimits",
    "RecordFilter",
    "Sandbox",
    "SandboxClient",
    "SandboxError",
    "UploadedFile",
    "run_forever",
]
