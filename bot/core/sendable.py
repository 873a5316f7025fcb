"""Text every platform accepts: what the adapters send is cleaned here, as ``storage/db.py`` cleans what is stored.

Names and messages arrive with lone surrogates (JSON ``\\udXXX`` escapes from
other clients) and NULs; Telegram and Discord refuse a request carrying one,
so one member's odd name would sink their welcome and any combined post naming
them. Each is replaced by U+FFFD (one character for one: lengths and splits stay
as they were); NUL is dropped. ASCII text costs one check.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def sendable(text: str) -> str:
    if "\x00" in text:
        text = text.replace("\x00", "")
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text
