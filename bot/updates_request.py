"""A getUpdates request that cannot be blocked by one malformed update.

python-telegram-bot parses a whole batch of updates at once; one update it cannot parse
makes it fetch the same batch again, forever. Here each update is checked on its own and
an unreadable one is logged and replaced by an empty update with the same id, which no
handler matches, so the offset moves past it and the bot keeps serving.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)


class UpdateCheckingRequest(HTTPXRequest):
    """HTTPXRequest for getUpdates that defuses malformed updates."""

    async def post(self, url: str, request_data: Any = None, **timeouts: Any) -> Any:
        result = await super().post(url, request_data, **timeouts)
        if isinstance(result, list):
            return [checked_update(item) for item in result]
        return result


def checked_update(raw: Any) -> Any:
    """Return the update if python-telegram-bot can read it, else an empty one."""
    try:
        Update.de_json(raw, None)
        return raw
    except Exception as error:  # any parse failure: the update's content is unknown
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        log.error("malformed update %s ignored: %s", update_id, error)
        if not isinstance(update_id, int):
            raise
        return {"update_id": update_id}
