"""Exact arithmetic and the entry recorder shared by the verification scripts (verify-B.py, verify-C.py).

Every figure is a fractions.Fraction; rounding is half-up on the exact value (decimal.Decimal with
ROUND_HALF_UP), and a signed figure is compared by sign and by magnitude (so -2.35 rounds to -2.4,
as a report prints it). A :class:`Record` collects the entries of one script; each names an anchor
string that must occur on the line it is attached to, so line numbers come from the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import ceil, floor
from pathlib import Path
from typing import Any

import yaml

F = Fraction
TEXTS = Path(__file__).resolve().parent.parent / "texts"


def dec(x: F, places: int) -> Decimal:
    """Exact fraction -> Decimal rounded half-up (away from zero) to `places` decimals, for display."""
    q = Decimal(1).scaleb(-places)
    scaled = F(x.numerator * 10 ** (places + 2), x.denominator)
    d = Decimal(scaled.numerator) / Decimal(scaled.denominator)  # 28 significant digits
    return d.scaleb(-(places + 2)).quantize(q, rounding=ROUND_HALF_UP)


def rnd(x: F, places: int) -> Decimal:
    """Round an exact value half-up (computed exactly, no float)."""
    unit = F(1, 10**places)
    return Decimal(floor(x / unit + F(1, 2))).scaleb(-places)


def trunc(x: F, places: int) -> Decimal:
    unit = F(1, 10**places)
    q = x / unit
    return Decimal(floor(q) if q >= 0 else ceil(q)).scaleb(-places)


def pct(part, whole) -> F:
    return F(part) * 100 / F(whole)


def num(s: str) -> int:
    """'2,345' or '-2,345' -> int (the texts use a plain hyphen-minus)."""
    return int(s.replace(",", ""))


def judge(x: F, stated: str) -> tuple[str, str]:
    """Compare an exact value with a stated rounded figure, by sign and magnitude."""
    s = Decimal(stated)
    if x != 0 and s != 0 and (x < 0) != (s < 0):
        return "error", f"wrong sign: exact {dec(x, 3)}, stated {s}"
    x, s = abs(x), abs(s)
    places = max(0, -s.as_tuple().exponent)
    r = rnd(x, places)
    if r == s:
        return "correct", ""
    unit = F(1, 10**places)
    if trunc(x, places) == s:
        return "rounding", f"truncated: exact {dec(x, places + 3)} rounds to {r}, not {s}"
    if abs(x - F(str(s))) < unit:
        return "rounding", f"rounded the wrong way: exact {dec(x, places + 3)} rounds to {r}, not {s}"
    return "error", f"exact {dec(x, places + 3)} rounds to {r}, not {s}"


def interval_rounds_to(lo: F, hi: F, stated: str) -> bool:
    """Does some value in [lo, hi] round half-up to `stated`?"""
    s = F(str(Decimal(stated)))
    places = max(0, -Decimal(stated).as_tuple().exponent)
    half = F(1, 2 * 10**places)
    return lo < s + half and hi >= s - half


class Record:
    """The verified statements of a set of texts, in the order they are added."""

    def __init__(self, files: Mapping[int, str]) -> None:
        self.files = dict(files)
        self.lines = {k: (TEXTS / v).read_text(encoding="utf-8").splitlines() for k, v in files.items()}
        self.entries: list[dict[str, Any]] = []

    def add(
        self,
        fileno: int,
        anchor: str,
        kind: str,
        stated: str,
        computed: str,
        inputs: str,
        verdict: str,
        note: str = "",
        quote: str | None = None,
        line: int | None = None,
    ) -> None:
        lines = self.lines[fileno]
        if line is None:
            hits = [i + 1 for i, t in enumerate(lines) if anchor in t]
            assert len(hits) == 1, (fileno, anchor, hits)
            line = hits[0]
        else:
            assert anchor in lines[line - 1], (fileno, line, anchor, lines[line - 1])
        if quote is None:
            quote = anchor
        assert quote in lines[line - 1], (fileno, line, quote)  # quotes are the file's exact words
        e = {
            "file": self.files[fileno],
            "line": line,
            "kind": kind,
            "quote": quote,
            "stated": stated,
            "computed": computed,
            "inputs": inputs,
            "verdict": verdict,
        }
        if note:
            e["note"] = note
        assert verdict in {"correct", "rounding", "error", "not_checkable"}
        assert kind in {"total", "difference", "percent_change", "share", "rate", "words", "consistency"}
        self.entries.append(e)

    def add_pct(self, fileno, anchor, kind, stated, x: F, inputs, note="", places=4, **kw):
        verdict, why = judge(x, stated)
        full = "; ".join(p for p in (why, note) if p)
        self.add(fileno, anchor, kind, stated + "%", f"{dec(x, places)}%", inputs, verdict, full, **kw)

    def nc(self, fileno, anchor, kind, stated, why, inputs="", **kw):
        self.add(fileno, anchor, kind, stated, "", inputs, "not_checkable", why, **kw)

    def summary(self) -> list[str]:
        """The header lines that count the verdicts, overall and per file."""
        counts = Counter(e["verdict"] for e in self.entries)
        per_file = Counter(e["file"] for e in self.entries)
        verdicts = ", ".join(f"{k} {counts.get(k, 0)}" for k in ("correct", "rounding", "error", "not_checkable"))
        files = ", ".join(f"{name[:2]}: {per_file.get(name, 0)}" for name in self.files.values())
        return [f"# Verdicts: {verdicts} ({len(self.entries)} statements).", f"# Per file: {files}."]

    def write(self, out: Path, header: list[str]) -> None:
        """Write the entries as YAML under ``header`` (comment lines) and print the checked ones."""
        body = yaml.safe_dump(self.entries, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
        out.write_text("\n".join(header) + body, encoding="utf-8")
        print("\n".join(header))
        for e in self.entries:
            if e["verdict"] != "not_checkable":
                print(
                    f"{e['file'][:2]} L{e['line']:<3} {e['kind']:<15} {e['stated']!s:<40.40}"
                    f" {e['computed']!s:<60.60} {e['verdict']}"
                )
