"""Hand verification of the checkable numerical statements in set A (files 01-04, 06, 07).

Exact arithmetic only (fractions.Fraction); no floats anywhere. The two tables of file 01 are
parsed from their lines; every other figure is typed in below together with the line it comes
from, and the script asserts that the quoted text really occurs on that line of the file, so a
typo in a quote or a wrong line number stops the run.

Run:  /work/main/.venv/bin/python tests/check/real/incoming/verify-A.py
It reads the six text files and (re)writes verification-A.yaml next to this file; nothing else.

Verdicts
  correct        the stated figure is what the inputs give, at the stated rounding
                 (|exact - stated| <= half a unit of the last stated digit; an exact tie is
                 accepted either way and noted)
  rounding       off by less than one unit of the last stated digit (truncation, wrong-way rounding)
  error          off by one unit or more
  not_checkable  a base or part needed for the check is not in the text
Interval checks (file 03 and 04) use the full interval of values that a stated rounded figure can
stand for; "correct" there means the stated figures are consistent with each other.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "verification-A.yaml"
F = Fraction  # short name for the many exact literals below

FILES = {
    "01": "01-lancashire-pcc-scrutiny-recorded-crime.txt",
    "02": "02-leicestershire-pcp-q1-2016-17-performance.txt",
    "03": "03-west-yorkshire-pcc-quarterly-performance-dec14.txt",
    "04": "04-essex-police-monthly-performance-dec17.txt",
    "06": "06-ons-homicide-ye-march-2019.txt",
    "07": "07-home-office-pq-caution-charge-outcomes.txt",
}
LINES = {k: (HERE.parent / "texts" / v).read_text(encoding="utf-8").splitlines() for k, v in FILES.items()}

entries = []


# ---------------------------------------------------------------- helpers
def fmt(x, dp=4):
    """Exact Fraction -> decimal string, rounded half-up to dp places (for display only)."""
    d = Decimal(x.numerator) / Decimal(x.denominator)
    return str(d.quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP))


def c(x):
    """Exact integer Fraction -> '3,455,173' (with sign if negative)."""
    assert x.denominator == 1, x
    return f"{x.numerator:,}"


def n(s):
    """'3,455,173' -> Fraction(3455173); '- 1,685' -> -1685; '+ 3.1' -> 31/10."""
    s = s.replace(",", "").replace(" ", "").replace("%", "")
    return F(Decimal(s))


def dp_of(s):
    s = s.replace("%", "").replace(",", "").strip()
    return len(s.split(".")[1]) if "." in s else 0


def judge(exact, stated_str):
    """Compare an exact value with a stated rounded figure (string, may carry sign and %)."""
    stated = n(stated_str)
    unit = F(1, 10 ** dp_of(stated_str))
    diff = abs(exact - stated)
    if diff < unit / 2:
        return "correct", ""
    if diff == unit / 2:
        return "correct", "exact tie at the rounding edge; either direction accepted"
    if diff < unit:
        trunc = F(int(exact / unit)) * unit  # toward zero
        if trunc == stated:
            return "rounding", "truncated instead of rounded"
        return "rounding", "rounded the wrong way"
    return "error", f"off by {fmt(exact - stated, dp_of(stated_str) + 2)}"


def check_line(fk, line, quote):
    text = LINES[fk][line - 1]
    norm = " ".join(text.split())
    for part in quote.split(" ... "):
        assert " ".join(part.split()) in norm, (fk, line, part, text)


def add(fk, line, kind, quote, stated, computed, inputs, verdict, note="", check=True):
    if check:
        check_line(fk, line, quote)
    entries.append(
        dict(
            file=FILES[fk],
            line=line,
            kind=kind,
            quote=quote,
            stated=stated,
            computed=computed,
            inputs=inputs,
            verdict=verdict,
            note=note,
        )
    )


def pct(part, base):
    return part * 100 / base


# ---------------------------------------------------------------- file 01
# Two tables of 16 rows: earlier, later, signed numeric change, signed % change.
# Row order (established by the sums, not by the label list): 1 England & Wales, 2 North West
# Region = rows 3-7, 8 Most Similar Group = rows 9-16; rows 6 and 9 are Lancashire (identical).
def table01(first_line, name):
    rows = []
    for i in range(16):
        ln = first_line + 2 * i
        t = LINES["01"][ln - 1].split()
        # e.g. ['3,455,173', '3,561,443', '+', '106,270', '+', '3.1%']
        assert len(t) == 6, t
        rows.append(
            dict(
                line=ln,
                text=" ".join(t),
                a=n(t[0]),
                b=n(t[1]),
                d=n(t[2] + t[3]),
                dstr=t[2] + " " + t[3],
                p=t[4] + t[5],
            )
        )
    for i, r in enumerate(rows, 1):
        exact_d = r["b"] - r["a"]
        v = "correct" if exact_d == r["d"] else "error"
        add(
            "01",
            r["line"],
            "difference",
            r["text"],
            r["dstr"],
            c(exact_d),
            f"{c(r['b'])} - {c(r['a'])} ({name}, row {i:d})",
            v,
            "" if v == "correct" else f"off by {exact_d - r['d']}",
        )
        exact_p = pct(exact_d, r["a"])
        v, note = judge(exact_p, r["p"])
        add(
            "01",
            r["line"],
            "percent_change",
            r["text"],
            r["p"].replace("+", "+ ").replace("-", "- "),
            fmt(exact_p, 4) + "%",
            "({} - {}) / {}".format(c(r["b"]), c(r["a"]), c(r["a"])),
            v,
            note,
        )
    # hidden totals: row 2 = rows 3..7, row 8 = rows 9..16, in each of the three count columns
    for tot, parts, label in ((2, range(3, 8), "North West Region"), (8, range(9, 17), "Most Similar Group")):
        for col, colname in (("a", "earlier period"), ("b", "later period"), ("d", "numeric change")):
            s = sum(rows[j - 1][col] for j in parts)
            stated = rows[tot - 1][col]
            v = "correct" if s == stated else "error"
            note = (
                f"unlabelled total: row {tot:d} ({label}, by position) = "
                f"rows {parts[0]:d}-{parts[-1]:d}; column '{colname}'"
            )
            if col == "d":
                note += "; follows from the two period totals and the row differences"
            add(
                "01",
                rows[tot - 1]["line"],
                "total",
                rows[tot - 1]["text"],
                c(stated),
                c(s),
                f"sum of {colname} column, lines {rows[parts[0] - 1]['line']:d}-{rows[parts[-1] - 1]['line']:d}",
                v,
                note,
            )
    # Lancashire listed twice (rows 6 and 9)
    r6, r9 = rows[5], rows[8]
    same = all(r6[c] == r9[c] for c in ("a", "b", "d")) and r6["p"] == r9["p"]
    add(
        "01",
        r9["line"],
        "consistency",
        r9["text"],
        r9["text"],
        r6["text"],
        f"row 6 (line {r6['line']:d}) vs row 9 (line {r9['line']:d}), {name}",
        "correct" if same else "error",
        "Lancashire appears in both the region block and the MSG block; all four figures identical",
    )
    return rows


rows_arc = table01(38, "All Recorded Crime")
rows_vbc = table01(118, "Victim Based Crime")

# ---------------------------------------------------------------- file 02
parts = [2, 74, 9, 6, 1]
add(
    "02",
    27,
    "total",
    "92 incidents ... 2 of which related to disability, 74 of which related to race, 9 of which "
    "related to religion/belief, 6 of which related to sexual orientation and 1 of which related to",
    "92",
    str(sum(parts)),
    "2 + 74 + 9 + 6 + 1",
    "correct" if sum(parts) == 92 else "error",
)

# ---------------------------------------------------------------- file 03
L3 = 7
vol = {
    "Bradford": (F(38753), "-1.2%", "-4.1%"),
    "Calderdale": (F(12493), "+3.9%", "-8.6%"),
    "Kirklees": (F(23523), "-8.4%", "-4.7%"),
    "Leeds": (F(58407), "-4.0%", "-3.7%"),
    "Wakefield": (F(20108), "-6.6%", "-4.4%"),
}
force_vol, force_red = F(153284), F(7161)
s = sum(v[0] for v in vol.values())
add(
    "03",
    L3,
    "total",
    "38,753 ... 12,493 ... 23,523 ... 58,407 ... 20,108 ... West Yorks -3.8% -4.5% 153,284",
    "153,284",
    c(s),
    "38,753 + 12,493 + 23,523 + 58,407 + 20,108 (district volumes, flattened table)",
    "correct" if s == force_vol else "error",
    "district volumes sum to the West Yorkshire volume",
)
add(
    "03",
    L3,
    "consistency",
    "West Yorks -3.8% -4.5% 153,284 ... There were 153,284 crimes recorded",
    "153,284",
    "153,284",
    "table volume vs commentary",
    "correct",
    "same quantity stated twice",
)
base14 = force_vol + force_red
p = pct(force_red, base14)
v, note = judge(p, "4.5%")
add(
    "03",
    L3,
    "percent_change",
    "This is a reduction of 7,161 which equates to 4.5%",
    "4.5%",
    fmt(p, 4) + "%",
    "7,161 / (153,284 + 7,161 = 160,445)",
    v,
    (note + "; " if note else "")
    + "the sentence compares with 'the 12 months to January' (sic); the table header says 12 mths to "
    "Dec 13 - a period slip in the wording, not in the arithmetic; base taken as 153,284 + 7,161",
)
add(
    "03",
    L3,
    "consistency",
    "West Yorks -3.8% -4.5% ... a reduction of 7,161 which equates to 4.5%",
    "-4.5%",
    "-" + fmt(p, 4) + "%",
    "table % change to Dec 14 vs commentary (7,161 / 160,445)",
    "correct",
    "same change stated twice (table and prose)",
)


def interval_prev(volume, pstr):
    """A volume after a change stated as pstr (1 dp): interval of the volume before."""
    pv = n(pstr) / 100
    h = F(5, 10000)  # half of 0.1 percentage point
    lo, hi = volume / (1 + pv + h), volume / (1 + pv - h)
    return lo, hi, volume / (1 + pv)


lo13 = hi13 = mid13 = F(0)
iv13 = {}
for k, (V, _p1, p2) in vol.items():
    lo, hi, mid = interval_prev(V, p2)
    iv13[k] = (lo, hi, mid)
    lo13 += lo
    hi13 += hi
    mid13 += mid
ok = lo13 <= base14 <= hi13
add(
    "03",
    L3,
    "consistency",
    "Bradford Calderdale Kirklees Leeds Wakefield -1.2% -4.1% 38,753 +3.9% -8.6% 12,493 -8.4% -4.7% 23,523 "
    "-4.0% -3.7% 58,407 -6.6% -4.4% 20,108",
    "district changes to Dec 14: -4.1%, -8.6%, -4.7%, -3.7%, -4.4%",
    f"implied Dec-13 total {fmt(lo13, 1)} to {fmt(hi13, 1)} (point {fmt(mid13, 1)})",
    "sum over districts of volume / (1 + stated change +/- 0.05 pt), vs 153,284 + 7,161 = 160,445",
    "correct" if ok else "error",
    "the five district % changes to Dec 14 (no bases given singly) jointly imply a Dec-13 force total "
    "containing 160,445",
)
# first column (12 mths to Dec 13) -> implied Dec-12 totals, then the force change
lo12 = hi12 = mid12 = F(0)
for k, (_V, p1, _p2) in vol.items():
    a_lo, a_hi, a_mid = iv13[k]
    pv = n(p1) / 100
    h = F(5, 10000)
    lo12 += a_lo / (1 + pv + h)
    hi12 += a_hi / (1 + pv - h)
    mid12 += a_mid / (1 + pv)
c_lo, c_hi, c_mid = pct(base14 - hi12, hi12), pct(base14 - lo12, lo12), pct(base14 - mid12, mid12)
ok = c_lo <= F(-375, 100) and c_hi >= F(-385, 100)
v_mid, _ = judge(c_mid, "-3.8%")
add(
    "03",
    L3,
    "consistency",
    "West Yorks -3.8% -4.5% 153,284 ... -1.2% ... +3.9% ... -8.4% ... -4.0% ... -6.6%",
    "-3.8%",
    f"implied {fmt(c_lo, 3)}% to {fmt(c_hi, 3)}% (point {fmt(c_mid, 3)}%)",
    "160,445 vs sum of district Dec-12 volumes implied by both stated % columns",
    "correct" if ok and v_mid == "correct" else "not_checkable",
    "force change to Dec 13 against the district changes to Dec 13 (bases derived through two rounded "
    "% columns, so the interval is wide; the point estimate also rounds to -3.8%)",
)
for k, (V, p1, p2) in vol.items():
    for col, ps in (("12 mths to Dec 13", p1), ("12 mths to Dec 14", p2)):
        add(
            "03",
            L3,
            "percent_change",
            "{} {} {}".format(p1, p2, f"{int(V):,}"),
            ps,
            "",
            f"{k}, {col}; earlier volume not given",
            "not_checkable",
            "district change with no base in the text; covered only jointly by the two consistency entries above",
            check=True,
        )
add(
    "03",
    L3,
    "percent_change",
    "increase in recorded crime between this quarter and the same quarter last year of 2.6%",
    "+2.6%",
    "",
    "quarterly volumes not given",
    "not_checkable",
    "no quarterly figures in the excerpt",
)
add(
    "03",
    L3,
    "percent_change",
    "West Yorkshire was improving at a rate of 7.5%",
    "7.5%",
    "",
    "12 months to Sep 2014 crime rates not given",
    "not_checkable",
    "different period (to Sep 2014) from the table; no base",
)
add(
    "03",
    L3,
    "percent_change",
    "the MSG average had only reduced by 0.5%",
    "0.5%",
    "",
    "MSG rates not given",
    "not_checkable",
    "no base",
)

# ---------------------------------------------------------------- file 04
L4 = 14
inc, p_inc = F(13339), "11.3%"
solved_after, solved_fall = F(22040), F(1790)
solved_before = solved_after + solved_fall
p = pct(solved_fall, solved_before)
v, note = judge(p, "7.5%")
add(
    "04",
    L4,
    "percent_change",
    "fell: by 7.5% (1,790 fewer solved outcomes to 22,040)",
    "7.5%",
    fmt(p, 4) + "%",
    "1,790 / (22,040 + 1,790 = 23,830)",
    v,
    note,
)
# integer numbers B of crimes in the earlier 12 months for which 13,339/B rounds to 11.3%
Bs = [B for B in range(110000, 126000) if judge(pct(inc, F(B)), p_inc)[0] == "correct"]
add(
    "04",
    L4,
    "percent_change",
    "All Crime 11.3% increase (13,339 additional offences)",
    "11.3%",
    f"implied earlier total {Bs[0]:d} to {Bs[-1]:d}",
    "13,339 / earlier total (earlier total not given)",
    "not_checkable",
    "base not stated; checked jointly with the solved rate below",
)
# solved rate after = 22,040 / (B + 13,339) must round to 16.8%
Bs2 = [B for B in Bs if judge(pct(solved_after, F(B) + inc), "16.8%")[0] == "correct"]
add(
    "04",
    L4,
    "rate",
    "All Crime Solved Rate 3.4% point decrease (to 16.8%)",
    "16.8%",
    f"22,040 / (B + 13,339) rounds to 16.8% for {len(Bs2):d} of {len(Bs):d} feasible B (B = {Bs2[0]:d} to {Bs2[-1]:d})"
    if Bs2
    else "no feasible B",
    "22,040 solved / later crime total; B = earlier total implied by 11.3% and 13,339",
    "correct" if Bs2 else "error",
    "consistent: some crime totals fit both the 11.3% increase and the 16.8% solved rate; assumes "
    "solved rate = solved outcomes / crimes in the same 12 months",
)
pts = [(B, pct(solved_before, F(B)) - pct(solved_after, F(B) + inc)) for B in Bs2]
verd = {judge(x, "3.4")[0] for _, x in pts}
lo_pt, hi_pt = min(x for _, x in pts), max(x for _, x in pts)
Bmid = 118044  # 13,339 / 0.113 = 118,044.2
xm = pct(solved_before, F(Bmid)) - pct(solved_after, F(Bmid) + inc)
add(
    "04",
    L4,
    "difference",
    "All Crime Solved Rate 3.4% point decrease (to 16.8%)",
    "3.4 percentage points",
    f"{fmt(lo_pt, 3)} to {fmt(hi_pt, 3)} points over all feasible B; "
    f"at B = 118,044: {fmt(pct(solved_before, F(Bmid)), 3)}% -> "
    f"{fmt(pct(solved_after, F(Bmid) + inc), 3)}% = {fmt(xm, 3)} points",
    "23,830 / B - 22,040 / (B + 13,339), B from 11.3% and 13,339 and 16.8%",
    "correct" if verd == {"correct"} else ("not_checkable" if "correct" in verd else "error"),
    "earlier solved rate (about 20.2%) is not stated; derived. '% point' = percentage points",
)
add(
    "04",
    L4,
    "percent_change",
    "The national increase~ was 14.1%",
    "14.1%",
    "",
    "national totals not given",
    "not_checkable",
    "no base (and a different period: 12 months to June 2017)",
)
add(
    "04",
    17,
    "percent_change",
    "Violence with Injury* 10.3% increase (1,267 additional offences)",
    "10.3%",
    f"implied earlier total {fmt(F(1267) / F(10350, 100000), 1)} to {fmt(F(1267) / F(10250, 100000), 1)}",
    "1,267 / earlier total (not given)",
    "not_checkable",
    "base not stated",
)


# ---------------------------------------------------------------- file 06
def change06(line, quote, a, b, stated, what, shown):
    a, b = F(a), F(b)
    p = pct(b - a, a)
    v, note = judge(abs(p), stated.lstrip("+-"))
    if (p < 0) != stated.startswith("-"):
        v, note = "error", "wrong direction"
    add(
        "06",
        line,
        "percent_change",
        quote,
        shown,
        fmt(p, 4) + "%",
        f"({c(b)} - {c(a)}) / {c(a)} ({what})",
        v,
        note,
    )


change06(
    39,
    "671 victims of homicide in the year ending March 2019, 33 fewer (5%)",
    704,
    671,
    "-5%",
    "previous year = 671 + 33",
    "5% (fewer)",
)
change06(41, "increased from 644 to 662 (up 3%)", 644, 662, "+3%", "homicide incidents", "up 3%")
change06(43, "decreasing from 484 to 429 (down 11%)", 484, 429, "-11%", "male victims", "down 11%")
change06(45, "down from 148 to 113 (down 24%)", 148, 113, "-24%", "victims aged 16 to 24", "down 24%")
change06(47, "increased from 220 to 241 (up 10%)", 220, 241, "+10%", "female victims", "up 10%")
add(
    "06",
    39,
    "consistency",
    "671 victims ... 33 fewer (5%) than the previous year",
    "previous year 671 + 33 = 704",
    "484 + 220 = 704",
    "male and female victims, previous year (lines 43, 47)",
    "correct" if 484 + 220 == 671 + 33 else "error",
    "male + female previous year equals 671 + 33 (assumes every victim is recorded as male or female)",
)
add(
    "06",
    39,
    "consistency",
    "There were 671 victims of homicide in the year ending March 2019",
    "671",
    "429 + 241 = 670",
    "male and female victims, year ending March 2019 (lines 43, 47)",
    "not_checkable",
    "male + female is 1 short of 671; the excerpt does not say whether any victim's sex was unrecorded, "
    "so whether this is an error cannot be decided from the text",
)
add(
    "06",
    43,
    "consistency",
    "The fall in homicide was driven by a fall in male victims",
    "total -33 driven by males",
    "males -55, females +21, total -33",
    "484 -> 429, 220 -> 241, 704 -> 671",
    "correct",
    "direction and attribution agree with the figures",
)
add(
    "06",
    49,
    "share",
    "(38%, 80 homicides)",
    "38%",
    f"implied base {fmt(F(80) / F(385, 1000), 1)} to {fmt(F(80) / F(375, 1000), 1)}",
    "80 / female victims aged 16 and over (not given)",
    "not_checkable",
    "base not stated; implied base is below the 241 female victims of all ages, so not contradicted",
)
add(
    "06",
    49,
    "share",
    "(27%, 105 homicides)",
    "27%",
    f"implied base {fmt(F(105) / F(275, 1000), 1)} to {fmt(F(105) / F(265, 1000), 1)}",
    "105 / male victims (age group not stated)",
    "not_checkable",
    f"base not stated; 105 / 429 = {fmt(pct(F(105), F(429)), 2)}% would not round to 27%, "
    "so the base is presumably male victims "
    "aged 16 and over, as for females - not stated",
)

# ---------------------------------------------------------------- file 07
years = ["2013/14", "2014/15", "2015/16", "2016/17", "2017/18"]
caut = [164307, 141716, 120078, 100499, 81242]
chg = [604728, 592900, 561462, 527236, 495655]
tot = [769035, 734616, 681540, 627735, 576897]
trc = [3506545, 3574287, 3888158, 4320460, 4877000]
prop = ["22%", "21%", "18%", "15%", "12%"]
for i, y in enumerate(years):
    s = caut[i] + chg[i]
    add(
        "07",
        13,
        "total",
        f"Total Cautions and Charged/Summonsed ... {tot[i]:,}",
        f"{tot[i]:,}",
        f"{s:,}",
        f"{caut[i]:,} + {chg[i]:,} ({y})",
        "correct" if s == tot[i] else "error",
        f"column {y}",
    )
for i, y in enumerate(years):
    p = pct(F(tot[i]), F(trc[i]))
    v, note = judge(p, prop[i])
    if y == "2017/18":
        lo, hi = pct(F(tot[i]), F(4877500)), pct(F(tot[i]), F(4876500))
        note = (
            (note + "; ") if note else ""
        ) + f"4,877,000 is itself rounded to the thousand: {fmt(lo, 4)}% to {fmt(hi, 4)}%, same rounding"
    add(
        "07",
        15,
        "share",
        f"Proportion of crime resulting in caution or charged/summons ... {prop[i]}",
        prop[i],
        fmt(p, 4) + "%",
        f"{tot[i]:,} / {trc[i]:,} ({y})",
        v,
        note,
    )
add(
    "07",
    9,
    "words",
    "for the last five years",
    "five years",
    "5 columns, 2013/14 to 2017/18",
    "table header, line 10",
    "correct",
    "same phrase in the question, line 8",
)


# ---------------------------------------------------------------- output
def q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


counts = {}
for e in entries:
    counts[e["verdict"]] = counts.get(e["verdict"], 0) + 1
per_file = {}
for e in entries:
    per_file[e["file"]] = per_file.get(e["file"], 0) + 1

head = [
    "# verification-A.yaml - hand verification of set A (files 01, 02, 03, 04, 06, 07)",
    "# Verified by: a helper session, 2026-12-06.",
    "# Method: exact rational arithmetic (Python fractions.Fraction; no floats). File 01 tables parsed",
    "#   from their lines; other figures typed in with their line numbers, each quote asserted against",
    "#   that line. Script kept as verify-A.py next to this file; it generates this file.",
    "# Verdicts: correct = recomputes to the stated rounding (|exact - stated| <= half a unit of the",
    "#   last digit); rounding = off by less than one unit (truncation / wrong-way rounding);",
    "#   error = off by one unit or more; not_checkable = a base or part is not in the text.",
    "#   For derived bases (file 03 district columns, file 04 solved rate) every value a rounded",
    "#   figure can stand for is taken into account; 'correct' there means mutually consistent.",
    "# Counts: {:d} statements; {}.".format(
        len(entries),
        ", ".join(f"{k} {counts.get(k, 0):d}" for k in ("correct", "rounding", "error", "not_checkable")),
    ),
    "# Per file: {}.".format(", ".join(f"{k[:2]} {v:d}" for k, v in per_file.items())),
    "# Not listed (no kind applies or nothing numeric to check): ranks and counts of forces",
    "#   (01 line 70 '29' forces; 03 '24 other forces'; 04 '5th lowest ... out of eight', '18th',",
    "#   '42 forces' etc.), dates and periods, trend words without figures (02 'appeared to be",
    "#   reducing'; 06 'first fall since', 'highest number since'), chart axis ticks in 03.",
    "# Row labels in 01 are a separate list in extraction order; rows are referred to by position.",
]
out = [*head, ""]
for e in entries:
    out.append("- file: {}".format(e["file"]))
    out.append(f"  line: {e['line']:d}")
    out.append("  kind: {}".format(e["kind"]))
    for k in ("quote", "stated", "computed", "inputs"):
        out.append(f"  {k}: {q(e[k])}")
    out.append("  verdict: {}".format(e["verdict"]))
    if e["note"]:
        out.append("  note: {}".format(q(e["note"])))
OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
print("\n".join(head))
for e in entries:
    if e["verdict"] in ("error", "rounding"):
        print("!!", e["file"], e["line"], e["quote"], e["stated"], e["computed"], e["note"])
