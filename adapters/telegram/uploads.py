"""Uploads that carry their type.

aiogram sends every file part as ``application/octet-stream``; Telegram then shows an ``.ics``, a CSV export or a
chart as an unknown file (no calendar import, no preview). Each upload here names its MIME type, and the session
writes it into the multipart part.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.types import BufferedInputFile, InputFile
from aiohttp import FormData

GENERIC = "application/octet-stream"


def content_type(filename: str, declared: str = GENERIC) -> str:
    """The declared type, or the one the file's extension names when nothing better was declared."""
    if declared and declared != GENERIC:
        return declared
    return mimetypes.guess_type(filename)[0] or GENERIC


class TypedFile(BufferedInputFile):
    """An in-memory upload with its MIME type."""

    def __init__(self, data: bytes, filename: str, mime: str = GENERIC) -> None:
        super().__init__(data, filename=filename)
        self.content_type = content_type(filename, mime)


class TypedUploadSession(AiohttpSession):
    """aiogram's session, but each file part says its type (``TypedFile``; others are guessed from their name)."""

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> FormData:
        form = FormData(quote_fields=False)
        files: dict[str, InputFile] = {}
        for key, value in method.model_dump(warnings=False).items():
            value = self.prepare_value(value, bot=bot, files=files)
            if value:
                form.add_field(key, value)
        for key, upload in files.items():
            name = upload.filename or key
            mime = upload.content_type if isinstance(upload, TypedFile) else content_type(name)
            form.add_field(key, upload.read(bot), filename=name, content_type=mime)
        return form
