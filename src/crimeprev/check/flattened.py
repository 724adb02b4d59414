"""Tables flattened into one line of text, as copying a slide or a web table often leaves them.

"Total Notifiable Offences 31,379 29,034 -2,345 11 -7.5% 2.2% Violence Against the Person 6,105 6,462
357 19 5.8% 5.5% Sexual Offences 639 624 -15 16 -2.3% 7.6% ..." is a table whose rows lost their line
breaks: runs of figures of one length, each after the words of its label. A paragraph holding at least
three such runs of three or more figures, the runs of the most common length making most of them, is
read back as rows (label, figures...). The first row's label is the few words just before its figures
(what comes before them is text of its own); text after the last run is text again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Final

from crimeprev.check.numbers import SIGNS, STAND_INS, Figure, parse_cell

__all__ = ["Flattened", "unflatten"]

_MIN_ROWS: Final = 3
_MIN_FIGURES: Final = 3
_FIRST_LABEL_WORDS: Final = 5


@dataclass(frozen=True)
class Flattened:
    """A paragraph read as text before, table rows, text after."""

    before: str
    rows: tuple[tuple[str, ...], ...]
    after: str


def _is_figure(token: str) -> bool:
    return isinstance(parse_cell(token), Figure)


def _cells(tokens: list[str]) -> list[tuple[str, list[str]]]:
    """The tokens as (words, figures) pieces, in order: each run of figures with the words before it."""
    pieces: list[tuple[str, list[str]]] = []
    words: list[str] = []
    run: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in SIGNS and i + 1 < len(tokens) and _is_figure(tokens[i + 1]):
            token, i = token + tokens[i + 1], i + 1
        if _is_figure(token) or (run and token.lower() in STAND_INS):
            run.append(token)
        else:
            if run:
                pieces.append((" ".join(words), run))
                words, run = [], []
            words.append(token)
        i += 1
    if run:
        pieces.append((" ".join(words), run))
        words = []
    pieces.append((" ".join(words), []))
    return pieces


def unflatten(text: str) -> Flattened | None:
    """``text`` read as a flattened table, or ``None`` when it does not read as one."""
    pieces = _cells(text.split())
    runs = [len(figures) for _, figures in pieces if len(figures) >= _MIN_FIGURES]
    if len(runs) < _MIN_ROWS:
        return None
    length, count = Counter(runs).most_common(1)[0]
    if count < _MIN_ROWS or count * 3 < len(runs) * 2:
        return None
    rows_at = [i for i, (_, figures) in enumerate(pieces) if len(figures) == length]
    first, last = rows_at[0], rows_at[-1]
    if any(pieces[i][1] and len(pieces[i][1]) >= _MIN_FIGURES and i not in rows_at for i in range(first, last)):
        return None  # runs of another length among the rows: not one table
    lead = pieces[first][0].split()
    before_words = [w for words, figures in pieces[:first] for w in (*words.split(), *figures)]
    before = " ".join([*before_words, *lead[:-_FIRST_LABEL_WORDS]])
    rows = [(" ".join(lead[-_FIRST_LABEL_WORDS:]), *pieces[first][1])]
    for i in range(first + 1, last + 1):
        words, figures = pieces[i]
        if len(figures) == length:
            rows.append((words, *figures))
    after = " ".join(w for words, figures in pieces[last + 1 :] for w in (*words.split(), *figures))
    return Flattened(before, tuple(rows), after)
