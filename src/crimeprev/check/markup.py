"""Inline markup that converters leave around text: HTML tags, entities and Markdown emphasis.

Text exported from Word or PDF converters, and Markdown papers, often wrap figures in ``<b>…</b>``,
``**…**`` or ``<sup>1</sup>`` footnote markers. The checker reads *through* such markup: the tags and
emphasis markers are dropped, superscripts (footnote references, ordinal suffixes) are dropped with
their content so that ``2,310<sup>1</sup>`` reads as ``2,310`` and not ``2,3101``.
"""

from __future__ import annotations

import html
import re

_SUPERSCRIPT = re.compile(r"<sup\b[^<>]*>.*?</sup\s*>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A tag starts with a letter, so "<5" (a suppressed small number) or "a < b" is left alone.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_STRONG = re.compile(r"\*\*|__|~~|`")
# A single * or _ that opens or closes emphasis: not between two word characters (snake_case stays).
_EMPHASIS = re.compile(r"(?<!\w)[*_]+(?=\S)|(?<=\S)[*_]+(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def strip_inline_markup(text: str) -> str:
    """Plain text of ``text``: tags, entities, emphasis and backslash escapes removed, spaces collapsed."""
    text = _SUPERSCRIPT.sub("", text)
    text = _BREAK.sub(" ", text)
    text = _TAG.sub("", text)
    text = _STRONG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    text = html.unescape(text)
    return _SPACES.sub(" ", text).strip()
