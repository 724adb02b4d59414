"""Hand verification of the checkable numerical statements in files 11-18 (set B).

Exact arithmetic only: every figure is a fractions.Fraction, rounding is half-up on the exact
value (decimal.Decimal with ROUND_HALF_UP), and "within rounding" checks use closed/half-open
intervals of the values a rounded figure can stand for. Writes verification-B.yaml next to this
file. Each entry names an anchor string that must occur on the line it is attached to, so the
line numbers are taken from the files, not typed by hand.

Run: /work/main/.venv/bin/python verify-B.py
"""

from __future__ import annotations

from decimal import Decimal
from math import ceil, floor
from pathlib import Path

from exact import F, Record, dec, interval_rounds_to, pct, rnd

HERE = Path(__file__).resolve().parent
OUT = HERE / "verification-B.yaml"

FILES = {
    11: "11-devon-cornwall-pcp-performance-report-sep-2019.txt",
    12: "12-wiltshire-pcp-q1-2019-20-performance.txt",
    13: "13-fenland-csp-strategic-assessment-asb-2013-14.txt",
    14: "14-recorded-crime-scotland-2018-19-main-findings.txt",
    15: "15-psni-security-situation-statistics-2018-19.txt",
    16: "16-home-office-stop-search-arrests-ye-mar-2022.txt",
    17: "17-home-office-hate-crime-2019-20.txt",
    18: "18-warwickshire-fire-rescue-performance-measures.txt",
}


RECORD = Record(FILES)
ENTRIES = RECORD.entries
LINES = RECORD.lines
add, add_pct, nc = RECORD.add, RECORD.add_pct, RECORD.nc


# ---------------------------------------------------------------- 11 Devon and Cornwall

sep = {"Green": 7, "Amber": 4, "Red": 0, "Ungraded": 0}
jun = {"Green": 9, "Amber": 2, "Red": 0, "Ungraded": 0}
assert LINES[11][40] == "7" and LINES[11][42] == "9" and LINES[11][46] == "4" and LINES[11][48] == "2"
assert LINES[11][52] == "0" and LINES[11][54] == "0" and LINES[11][58] == "0" and LINES[11][60] == "0"

add(
    11,
    "most indicators at Green",
    "words",
    "most indicators at Green",
    f"Green {sep['Green']}/11 = {dec(pct(7, 11), 2)}% (September 2019);"
    f" {jun['Green']}/11 = {dec(pct(9, 11), 2)}% (June 2019)",
    "7 / 11 and 9 / 11 from the RAG table (lines 39-67)",
    "correct",
    "a majority in both columns of the table",
)
add(
    11,
    "performance year ended 31st July 2018",
    "consistency",
    "year ended 31st July 2018",
    "",
    "line 29: data period 'year ended 31st July 2018'; 'The infographic for September 2019'",
    "not_checkable",
    "a date, not arithmetic: a September 2019 panel reporting on a year ended July 2018 looks like a slip "
    "for 2019, but the excerpt gives the data period nowhere else, so it cannot be confirmed",
)
t = sum(sep.values())
add(
    11,
    "11",
    "total",
    "11",
    str(t),
    "7 + 4 + 0 + 0 (Green + Amber + Red + Ungraded, September 2019 column)",
    "correct" if t == 11 else "error",
    "unlabelled total row, September 2019 Panel column",
    line=65,
)
t = sum(jun.values())
add(
    11,
    "11",
    "total",
    "11",
    str(t),
    "9 + 2 + 0 + 0 (Green + Amber + Red + Ungraded, June 2019 column)",
    "correct" if t == 11 else "error",
    "unlabelled total row, June 2019 Panel column",
    line=67,
)
add(
    11,
    "Four indicators had been graded as amber",
    "consistency",
    "Four",
    str(sep["Amber"]),
    "Amber count in the September 2019 column (line 47)",
    "correct" if sep["Amber"] == 4 else "error",
)
bullets = [i + 1 for i in range(72, len(LINES[11])) if LINES[11][i].startswith("·")]
add(
    11,
    "Four indicators had been graded as amber",
    "words",
    "Four",
    f"{len(bullets)} bullets",
    f"bulleted indicators on lines {', '.join(map(str, bullets))}",
    "correct" if len(bullets) == 4 else "error",
    "number word against the list that follows",
)

# ---------------------------------------------------------------- 12 Wiltshire

cur, red = 43523, 170
prev = cur + red
x = pct(red, prev)
add_pct(
    12,
    "reduction of 170 recorded crimes (0.4 per cent)",
    "percent_change",
    "0.4",
    x,
    "170 / (43,523 + 170) = 170 / 43,693",
    "previous 12 months implied by the stated difference;"
    f" on the current base 170 / 43,523 = {dec(pct(red, cur), 4)}%, also 0.4",
)
nc(
    12,
    "reduction of 170 recorded crimes",
    "difference",
    "170",
    "the previous 12-month count is not given; the 170 only defines it (43,693)",
    "43,523 and ?",
)
nc(12, "is 60.3 crimes", "rate", "60.3 per 1,000", "population not given", "43,523 / population")
nc(12, "71.9 crimes per 1,000 population", "rate", "71.9 per 1,000", "MSG counts and population not given")
add(
    12,
    "significantly below the most similar group (MSG) average",
    "difference",
    "below (significantly)",
    f"60.3 - 71.9 = {dec(F('60.3') - F('71.9'), 1)} per 1,000 ({dec(pct(F('71.9') - F('60.3'), F('71.9')), 2)}% below)",
    "60.3 vs 71.9 per 1,000",
    "correct",
    "direction checked; whether the gap is statistically significant cannot be checked from the text",
)
nc(12, "increased nationally by 8 per cent", "percent_change", "8 per cent", "national counts not given")
nc(12, "and 2 per cent regionally", "percent_change", "2 per cent", "regional counts not given")

# ---------------------------------------------------------------- 13 Fenland

rows = [  # parish, count, rate per 1,000, % of all ASB, % difference 2012/13 to 2013/14
    ("Chatteris", 392, "37.1", "10.67", "-12.7"),
    ("March", 692, "30.9", "18.84", "-6.2"),
    ("Whittlesey", 428, "26.4", "11.65", "-5.9"),
    ("Wisbech", 1554, "68.1", "42.30", "-10.4"),
    ("Rest of Fenland", 608, "25.7", "16.55", "-5.3"),
]
TOTAL, TOTAL_RATE, TOTAL_CHG = 3674, "38.4", "-8.6"
for name, c, r, s, d in rows:
    line = f"{name} {c:,} {r} {s} {d}"
    assert line in LINES[13], line
assert f"All of Fenland {TOTAL:,} {TOTAL_RATE}" in LINES[13] and TOTAL_CHG in LINES[13]

tot = sum(r[1] for r in rows)
add(
    13,
    "All of Fenland 3,674 38.4",
    "total",
    "3,674",
    f"{tot:,}",
    " + ".join(f"{r[1]:,}" for r in rows),
    "correct" if tot == TOTAL else "error",
    "total row of the ASB incidents column",
)
for name, c, r, s, d in rows:
    add_pct(
        13, f"{name} {c:,} {r} {s} {d}", "share", s, pct(c, TOTAL), f"{c:,} / 3,674", f"% of all ASB, {name}", places=4
    )
share_sum = sum(F(s) for *_, s, _ in rows)
# rates: populations not given; check the total rate against the parish rates (implied populations)
pop_lo = sum(F(c * 1000) / (F(r) + F(1, 20)) for _, c, r, _, _ in rows)  # rate < r + 0.05
pop_hi = sum(F(c * 1000) / (F(r) - F(1, 20)) for _, c, r, _, _ in rows)  # rate >= r - 0.05
pop_mid = sum(F(c * 1000) / F(r) for _, c, r, _, _ in rows)
rate_lo, rate_hi = F(TOTAL * 1000) / pop_hi, F(TOTAL * 1000) / pop_lo
for name, c, r, s, d in rows:
    nc(
        13,
        f"{name} {c:,} {r} {s} {d}",
        "rate",
        f"{r} per 1,000",
        f"population not given (implied {dec(F(c * 1000) / F(r), 0)})",
        f"{c:,} / population of {name}",
    )
ok = interval_rounds_to(rate_lo, rate_hi, TOTAL_RATE)
add(
    13,
    "All of Fenland 3,674 38.4",
    "consistency",
    "38.4 per 1,000",
    f"{dec(F(TOTAL * 1000) / pop_mid, 4)} from the parish rates as stated;"
    f" range {dec(rate_lo, 4)} to {dec(rate_hi, 4)} over their rounding",
    "3,674 x 1,000 / sum(count_i x 1,000 / rate_i), each rate_i in [r - 0.05, r + 0.05)",
    "correct" if ok else "error",
    "population not given; the Fenland rate agrees with the parish rates"
    " (implied populations, which the 'Rest of Fenland' row makes exhaustive)",
)

# % differences: previous year counts not given; find the integer previous counts each rounding allows
prev_ranges = []
for name, c, r, s, d in rows:
    guess = round(F(c) / (1 + F(d) / 100))
    ok_p = [p for p in range(guess - 60, guess + 61) if rnd(pct(c - p, p), 1) == Decimal(d)]
    assert ok_p and ok_p == list(range(ok_p[0], ok_p[-1] + 1)), (name, ok_p)
    prev_ranges.append((ok_p[0], ok_p[-1]))
    nc(
        13,
        f"{name} {c:,} {r} {s} {d}",
        "percent_change",
        f"{d}%",
        f"2012/13 count not given; the stated change implies a 2012/13 count of {ok_p[0]}"
        + (f" to {ok_p[-1]}" if ok_p[-1] != ok_p[0] else ""),
        f"({c:,} - previous) / previous",
    )
plo, phi = sum(a for a, _ in prev_ranges), sum(b for _, b in prev_ranges)
fits = [P for P in range(plo, phi + 1) if rnd(pct(TOTAL - P, P), 1) == Decimal(TOTAL_CHG)]
mid_prev = sum(F(c) / (1 + F(d) / 100) for _, c, _, _, d in rows)
add(
    13,
    "-8.6",
    "consistency",
    "-8.6%",
    f"{dec(pct(TOTAL - mid_prev, mid_prev), 4)}% from the parish changes as stated"
    f" (implied 2012/13 total {dec(mid_prev, 2)}); "
    f"integer 2012/13 totals allowed by the parish roundings {plo:,} to {phi:,},"
    f" of which {fits[0]:,} to {fits[-1]:,} give -8.6",
    "(3,674 - sum(previous_i)) / sum(previous_i), previous_i = the integers each parish's rounded change allows",
    "correct" if fits else "error",
    "2012/13 counts not given; the Fenland change agrees with the parish changes"
    " (the total row's last value is on a line of its own)",
    line=70,
)

# ---------------------------------------------------------------- 14 Scotland

nc(
    14,
    "This is 1% higher than the level recorded in 2017-18",
    "percent_change",
    "1%",
    "the 2017-18 total is not given",
    "(246,480 - ?) / ?",
)
add(
    14,
    "The small rise in recorded crime this year",
    "consistency",
    "small rise",
    "1% higher (line 11)",
    "direction and size of the stated 1% rise",
    "correct",
)
nc(
    14,
    "having decreased by 27% since 2009-10",
    "percent_change",
    "27%",
    "the 2009-10 total is not given",
    "(246,480 - ?) / ?",
)
groups = [
    ("Crimes of dishonesty", 46),
    ("Other crimes", 25),
    ("Fire-raising, vandalism etc.", 19),
    ("Sexual crimes", 5),
    ("Non-sexual crimes of violence", 3),
]
anchor14 = "accounting for 46% of all recorded crime"
for g, s in groups:
    nc(
        14,
        anchor14,
        "share",
        f"{s}%",
        "crime group counts are not given",
        f"{g} / 246,480",
        quote=anchor14 if g == "Crimes of dishonesty" else f"{g} ({s}%)",
    )
ssum = sum(s for _, s in groups)
lo, hi = F(ssum) - F(5, 2), F(ssum) + F(5, 2)
add(
    14,
    anchor14,
    "total",
    "five groups = all recorded crime (100%)",
    f"stated shares sum to {ssum}%;"
    f" five whole-number shares can stand for a true sum from {dec(lo, 1)}% to just under {dec(hi, 1)}%",
    " + ".join(f"{s}%" for _, s in groups),
    "correct" if lo <= 100 < hi else "error",
    "the 2-point shortfall is within what rounding five shares can produce (at most 2.5), so no error is shown; "
    "each share would have to have been rounded down by 0.4 on average, which the counts (not given) would settle",
    quote="Other crimes (25%), Fire-raising, vandalism etc. (19%),"
    " Sexual crimes (5%) and Non-sexual crimes of violence (3%)",
)
order_ok = all(groups[i][1] >= groups[i + 1][1] for i in range(len(groups) - 1))
add(
    14,
    "Crimes of dishonesty are the largest group",
    "consistency",
    "largest group, followed by ...",
    "46 > 25 > 19 > 5 > 3",
    "the five stated shares",
    "correct" if order_ok else "error",
    "the ranking holds with margins far wider than the rounding",
)
n19, n5, n8 = 19, 5, 8
add(
    14,
    "Nineteen local authorities showed an increase",
    "words",
    "Nineteen + Five + the remaining eight",
    f"{n19 + n5 + n8}",
    "19 + 5 + 8 (lines 17-18)",
    "correct",
    "the total is not in the excerpt; Scotland has 32 local authorities (council areas),"
    " so the three groups account for all of them",
)

# ---------------------------------------------------------------- 15 PSNI


def change(a, b):  # from a (previous) to b (current)
    return f"{b} - {a} = {b - a} ({dec(pct(b - a, a), 2)}%)"


nc(
    15,
    "there were 2 security related deaths, the same number as the",
    "consistency",
    "2, the same as the previous year",
    "the previous year's figure is not given separately",
)
add(
    15,
    "There were 15 bombing incidents compared to 18",
    "difference",
    "decrease (bombings)",
    change(18, 15),
    "15 vs 18 in the previous year",
    "correct" if 15 < 18 else "error",
    "'There was a decrease in the numbers of bombings, ... compared to the previous year'",
)
add(
    15,
    "There were 38 shooting",
    "difference",
    "decrease (shootings)",
    change(50, 38),
    "38 vs 50 in the previous year",
    "correct" if 38 < 50 else "error",
    "'There was a decrease in the numbers of ... shootings';"
    " the sentence is split by the sidebar text ('PSNI Statistics')",
)
add(
    15,
    "paramilitary style attacks compared to the previous year",
    "difference",
    "decrease (paramilitary style attacks)",
    f"casualties {change(22 + 65, 19 + 59)}; shootings {change(22, 19)}, assaults {change(65, 59)}",
    "(19 + 59) vs (22 + 65), line 17",
    "correct",
    "the excerpt counts casualties, not attacks; both kinds of casualties fell",
)
add(
    15,
    "Of the 19, 17 were carried out by republicans",
    "consistency",
    "Of the 19, 17",
    "17 <= 19; 19 = casualties of paramilitary style shootings (same line)",
    "17 of 19",
    "correct",
    f"{dec(pct(17, 19), 2)}% by republicans",
)
add(
    15,
    "All 19 casualties were aged 18 years or older",
    "consistency",
    "19",
    "19 (casualties of paramilitary style shootings, same line)",
    "19 = 19",
    "correct",
)
nc(
    15,
    "the last two years have seen a small reversal",
    "difference",
    "small reversal in the last two years",
    f"only the latest year is given: {change(65, 59)}, a fall, consistent; the year before is not given",
    "59 vs 65; earlier year ?",
)
nc(
    15,
    "3 out of every 4 assaults",
    "words",
    "3 out of every 4",
    "the number of assaults attributed to loyalists is not given"
    " (3/4 of 59 casualties would be 44.25; attacks and casualties differ)",
)
add(
    15,
    "of the 59 casualties, 3 were under 18",
    "consistency",
    "of the 59 casualties, 3",
    "59 matches the assault casualties stated in the same line; 3 <= 59",
    "3 of 59",
    "correct",
)
add(
    15,
    "increased slightly from 13 to 16",
    "difference",
    "increased slightly from 13 to 16",
    change(13, 16),
    "13 to 16",
    "correct",
    "direction checked; 'slightly' is a judgement (+3 persons, though +23% relative)",
)

# ---------------------------------------------------------------- 16 stop and search

S, d_s = 526024, 179888
S_prev = S + d_s
add_pct(
    16,
    "This is a decrease of 179,888 (25%)",
    "percent_change",
    "25",
    pct(d_s, S_prev),
    "179,888 / (526,024 + 179,888) = 179,888 / 705,912",
    "previous year implied by the stated difference",
)
nc(
    16,
    "This is a decrease of 179,888 (25%)",
    "difference",
    "179,888",
    "the previous year's count is not given; the 179,888 only defines it (705,912)",
    "526,024 and ?",
)
nc(
    16,
    "8% below the level of stop and search in the year ending March 2020",
    "percent_change",
    "8%",
    "the year ending March 2020 count is not given",
)
add(
    16,
    "Of those 526,024 searches",
    "consistency",
    "526,024",
    "526,024 (line 33)",
    "same quantity stated twice",
    "correct",
)
A = 66772
add_pct(
    16,
    "the arrest rate increased from 11% to 13%",
    "rate",
    "13",
    pct(A, S),
    "66,772 / 526,024",
    "arrest rate in the latest year",
)
nc(
    16,
    "the volume of arrests is 18% lower than the previous year",
    "percent_change",
    "18%",
    "the previous year's arrests from searches are not given",
    "(66,772 - ?) / ?",
)
# previous rate from the stated 18% fall: A = A_prev * (1 - f), f in [0.175, 0.185)
ap_lo, ap_hi = ceil(F(A) / (1 - F(175, 1000))), floor(F(A) / (1 - F(185, 1000)))
if F(A) / (1 - F(185, 1000)) == ap_hi:  # f < 0.185 strictly
    ap_hi -= 1
ap = [a for a in range(ap_lo, ap_hi + 1) if rnd(pct(A - a, a), 0) == Decimal(-18)]
assert ap and ap[0] == ap_lo and ap[-1] == ap_hi
r_lo, r_hi = pct(ap[0], S_prev), pct(ap[-1], S_prev)
fit = [a for a in ap if rnd(pct(a, S_prev), 0) == 11]
assert fit == list(range(fit[0], fit[-1] + 1)) if fit else True
fall_hi = pct(fit[-1] - A, fit[-1]) if fit else None
add(
    16,
    "the arrest rate increased from 11% to 13%",
    "consistency",
    "from 11%",
    f"{dec(r_lo, 4)}% to {dec(r_hi, 4)}% (previous arrests {ap[0]:,} to {ap[-1]:,}, as the rounded 18% fall allows); "
    + (f"11% for previous arrests {fit[0]:,} to {fit[-1]:,}" if fit else "none of them rounds to 11%"),
    "previous arrests / 705,912, previous arrests = 66,772 / (1 - fall), fall in [17.5%, 18.5%)",
    "correct" if fit else "error",
    "the previous rate follows from the stated 18% fall and the implied 705,912 searches;"
    " 11% and 18% agree only if the "
    f"fall was between 17.5% and {dec(fall_hi, 2)}% (previous arrests at most {fit[-1]:,}), so consistent but near the "
    "rounding edge; the previous arrests are not given, so nothing narrower can be said"
    if fit
    else "",
)
add(
    16,
    "Two thirds (66%)",
    "words",
    "Two thirds (66%)",
    f"2/3 = {dec(F(2, 3) * 100, 4)}%",
    "2/3 vs 66%",
    "correct",
    "the 66% is the figure; 'two thirds' describes it (0.67 points apart);"
    " the 66% itself cannot be recomputed (counts not given)",
)
nc(16, "Two thirds (66%)", "share", "66%", "searches of males aged 15-34 not given", "? / 526,024")
nc(16, "this cohort comprises 13% of the overall population", "share", "13%", "population figures not given")
nc(
    16,
    "at 70 stop and searches per 1,000 population",
    "rate",
    "70 per 1,000",
    "searches of and population of males aged 15-19 not given",
)
ar, ar_prev = 663036, 645225
add_pct(
    16,
    "an increase of 3% compared to the previous year",
    "percent_change",
    "3",
    pct(ar - ar_prev, ar_prev),
    "(663,036 - 645,225) / 645,225 = 17,811 / 645,225",
)
nc(
    16,
    "but down 2% from the year preceding the pandemic",
    "percent_change",
    "2%",
    "arrests in the year ending March 2020 not given",
)
add(
    16,
    "increased by almost a third (32%)",
    "words",
    "almost a third (32%)",
    f"1/3 = {dec(F(1, 3) * 100, 4)}%",
    "32% vs 1/3",
    "correct",
    "32 is just under 33.33, as 'almost' says; the 32% itself cannot be recomputed",
)
nc(16, "increased by almost a third (32%)", "percent_change", "32%", "arrests for sexual offences not given")

# ---------------------------------------------------------------- 17 hate crime

add_pct(
    17,
    "an increase of 8 per cent compared with year ending March 2019",
    "percent_change",
    "8",
    pct(105090 - 97446, 97446),
    "(105,090 - 97,446) / 97,446 = 7,644 / 97,446",
    "stated as '8 per cent'",
)
nc(17, "with a 38% fall in these incidents", "percent_change", "38%", "CSEW estimates not given")

# ---------------------------------------------------------------- 18 Warwickshire: nothing to check
# The table has yearly actuals, an aim and a year-to-date figure per measure, but no totals, no
# stated changes, no shares of a total and no stated rates with their bases.

# ---------------------------------------------------------------- write

header = [
    "# Verification of the checkable numerical statements in files 11-18 (set B).",
    "# Verified by: a helper session, 2026-12-06.",
    "# Method: exact decimal arithmetic (fractions.Fraction, half-up rounding of the exact value);",
    "#   the script is verify-B.py next to this file and writes this file; each entry's line is found",
    "#   by an anchor string that must occur on that line.",
    *RECORD.summary(),
    "# File 18 has no entries: its table gives yearly actuals, an aim and a year-to-date figure per measure",
    "#   but no totals, changes, shares or rates with bases, so nothing in it can be recomputed.",
    "# Not listed: rankings and records that need a longer series than the text gives (file 14 'one of the",
    "#   lowest levels seen since 1974', 'record high of 572,921' in 1991; file 15 'lowest number recorded",
    "#   in 23 years', 'second lowest ... since records began in 1969', 'second lowest ... in the past 11",
    "#   years', 'a more marked decrease over the last decade'), and pairs with no stated change (file 15:",
    "#   146 vs 176 arrests under section 41; file 12: 10,952 in the quarter, 43,523 in 12 months).",
    "# Rounding convention: a stated figure is correct when the exact value rounds half-up to it at the",
    "#   stated number of decimals (so 25.48% -> 25%, 2.76% -> 3%, 7.84% -> 8% are correct).",
    "",
]
RECORD.write(OUT, header)
