"""A fake Telegram Bot API speaking the documented formats: POST /bot<token>/<method> with a
JSON body answered {"ok": true, "result": ...} or {"ok": false, "error_code", "description",
"parameters": {"retry_after"}}; files at /file/bot<token>/<file_path>. A wrong token gets
401 Unauthorized, as the real API answers."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aduan.intake.whatsapp.tests.fake_http import FakeProvider, Request, json_reply

TOKEN = "7301234567:AAHtest-telegram-bot-token-abcdefghij"
BOT_ID = 7301234567


def bot_error(code: int, description: str, retry_after: int = 0) -> dict[str, Any]:
    error: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after:
        error["parameters"] = {"retry_after": retry_after}
    return error


@dataclass
class FakeBotApi(FakeProvider):
    token: str = TOKEN
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id → (path, bytes)
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted sendMessage bodies
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(501))

    def route(self, request: Request) -> tuple[int, bytes, str]:
        path = request.path.split("?", 1)[0]
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix):
            wanted = path.removeprefix(file_prefix)
            for file_path, content in self.files.values():
                if file_path == wanted:
                    return 200, content, "image/jpeg"
            return json_reply(404, bot_error(404, "Not Found"))
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return json_reply(401, bot_error(401, "Unauthorized"))
        method = path.removeprefix(prefix)
        params = request.json() if request.body else {}
        if method == "getMe":
            return self.ok(
                {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Aduan Buton",
                    "username": "AduanButonBot",
                    "can_join_groups": False,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                }
            )
        if method == "sendMessage":
            if not params.get("chat_id") or not params.get("text"):
                return json_reply(400, bot_error(400, "Bad Request: message text is empty"))
            with self.lock:
                self.sent.append(params)
                message_id = next(self._ids)
            return self.ok(
                {
                    "message_id": message_id,
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Aduan Buton"},
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "date": 1764284400,
                    "text": params["text"],
                }
            )
        if method == "getFile":
            found = self.files.get(str(params.get("file_id")))
            if found is None:
                return json_reply(400, bot_error(400, "Bad Request: invalid file_id"))
            file_path, content = found
            return self.ok(
                {
                    "file_id": params["file_id"],
                    "file_unique_id": "AQADunique",
                    "file_size": len(content),
                    "file_path": file_path,
                }
            )
        if method == "setWebhook":
            self.webhooks.append(params)
            return self.ok(True)
        return json_reply(404, bot_error(404, "Not Found: method not found"))

    @staticmethod
    def ok(result: Any) -> tuple[int, bytes, str]:
        return json_reply(200, {"ok": True, "result": result})
