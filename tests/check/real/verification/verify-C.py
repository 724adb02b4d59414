"""Hand verification of the checkable numerical statements in files 19-20 (set C).

Exact arithmetic only: every figure is a fractions.Fraction, rounding is half-up on the exact
value (decimal.Decimal with ROUND_HALF_UP), and a signed percentage is compared by sign and by
magnitude (so -2.35 rounds to -2.4, as a report would print it). Writes verification-C.yaml next to
this file. Each entry names an anchor string that must occur on the line it is attached to, so the
line numbers are taken from the files, not typed by hand.

Run: /work/main/.venv/bin/python verify-C.py
"""

from __future__ import annotations

from pathlib import Path

from exact import Record, dec, num, pct, rnd

HERE = Path(__file__).resolve().parent
OUT = HERE / "verification-C.yaml"

FILES = {
    19: "19-islington-pps-community-safety-update-nov-2018.txt",
    20: "20-home-office-wms-police-use-of-firearms-2012-13.txt",
}


RECORD = Record(FILES)
ENTRIES = RECORD.entries
LINES = RECORD.lines
add, add_pct, nc = RECORD.add, RECORD.add_pct, RECORD.nc


# ---------------------------------------------------------------- 19 Islington, November 2018
# One slide table flattened into one line (line 14). Columns: offences 1 Oct 2016 - 30 Sep 2017,
# offences 1 Oct 2017 - 30 Sep 2018, difference, MPS rank (out of 32, 1 = highest), % change (LBI),
# % change (MPS). The first row is the total (Total Notifiable Offences); the eleven rows after
# "Crime Type" are its parts; six further measures follow.

TOTAL19 = ("Total Notifiable Offences", "31,379", "29,034", "-2,345", "11", "-7.5", "2.2")
PARTS19 = [
    ("Violence Against the Person", "6,105", "6,462", "357", "19", "5.8", "5.5"),
    ("Sexual Offences", "639", "624", "-15", "16", "-2.3", "7.6"),
    ("Robbery Offences", "1,509", "1,713", "204", "6", "13.5", "14.6"),
    ("Burglary Offences", "2,287", "2,634", "347", "14", "15.2", "8.1"),
    ("MV Offences", "2,961", "2,806", "-155", "24", "-5.2", "7.7"),
    ("Theft Offences", "12,313", "9,736", "-2,577", "4", "-20.9", "-2.1"),
    ("Criminal Damage Offences", "1,786", "1,606", "-180", "21", "-10.1", "-7.2"),
    ("Drugs Offences", "1,423", "1,303", "-120", "9", "-8.4", "-7.2"),
    ("Possession of Weapons Offences", "247", "239", "-8", "11", "-3.2", "0.5"),
    ("Public Order Offences", "1,763", "1,608", "-155", "13", "-8.8", "-0.2"),
    ("Other Offences", "346", "303", "-43", "17", "-12.4", "-5.0"),
]
OTHERS19 = [
    ("Theft Snatch", "6,328", "3,186", "-3,142", "2", "-49.7", "TBC"),
    ("Serious Youth Violence", "233", "217", "-16", "20", "-6.9", "-0.7"),
    ("Youth Violence", "482", "519", "37", "22", "7.7", "-3.1"),
    ("Gun Crime Offs", "75", "57", "-18", "21", "-24.0", "-7.0"),
    ("Knife Crime Offs", "527", "600", "73", "9", "13.9", "6.6"),
    ("Knife Crime Injury Victims Not DA 1-24", "75", "67", "-8", "16", "-10.7", "-5.7"),
]
ROWS19 = [TOTAL19, *PARTS19, *OTHERS19]
TABLE_LINE = 14
assert LINES[19][TABLE_LINE - 1].startswith("  2. Crime Performance")


def row_quote(r: tuple[str, ...]) -> str:
    label, a, b, d, rank, p, mps = r
    return f"{label} {a} {b} {d} {rank} {p}% {mps if mps == 'TBC' else mps + '%'}"


for r in ROWS19:
    label, a, b, d, rank, p, mps = r
    q = row_quote(r)
    assert LINES[19][TABLE_LINE - 1].count(q) == 1, q
    diff = num(b) - num(a)
    add(
        19,
        q,
        "difference",
        d,
        f"{diff:,}",
        f"{b} - {a}",
        "correct" if diff == num(d) else "error",
        f"Difference column, {label}",
    )
    add_pct(
        19,
        q,
        "percent_change",
        p,
        pct(diff, num(a)),
        f"({b} - {a}) / {a}",
        f"% change (LBI) column, {label}",
    )
    nc(
        19,
        q,
        "percent_change",
        mps if mps == "TBC" else mps + "%",
        "Metropolitan Police Service counts are not given" + ("; the cell reads 'TBC'" if mps == "TBC" else ""),
        f"% change (MPS) column, {label}",
    )

# total row = the eleven crime types, in both periods and in the difference column
for col, name in ((1, "1 Oct 2016 - 30 Sep 2017"), (2, "1 Oct 2017 - 30 Sep 2018"), (3, "difference")):
    s = sum(num(r[col]) for r in PARTS19)
    stated = TOTAL19[col]
    add(
        19,
        row_quote(TOTAL19),
        "total",
        stated,
        f"{s:,}",
        " + ".join(r[col] for r in PARTS19),
        "correct" if s == num(stated) else "error",
        f"Total Notifiable Offences = the eleven rows under 'Crime Type', {name} column",
    )

ranks = [int(r[4]) for r in ROWS19]
add(
    19,
    "MPS Rank* (out Change Change 2016/17 2017/18 between of 32 where 1 = Crime Type",
    "consistency",
    "MPS Rank (out of 32)",
    f"ranks {min(ranks)} to {max(ranks)}, all whole numbers",
    "the 18 values of the MPS Rank column",
    "correct" if all(1 <= k <= 32 for k in ranks) else "error",
    "every rank lies in 1..32 as the heading says; the ranks themselves need the other 31 boroughs (not given)",
    line=TABLE_LINE,
)
nc(
    19,
    row_quote(TOTAL19),
    "consistency",
    "rank 11 of 32 (Total Notifiable Offences)",
    "the ranks compare Islington with the other London boroughs, whose figures are not given",
    "MPS Rank column",
)
nc(
    19,
    "between of 32 where 1 = Crime Type between between (between 1 Oct (between 1 Oct 2016/17 and",
    "consistency",
    "columns headed 2016/17 and 2017/18",
    "a labelling question, not arithmetic: the count columns are headed '2016/17' and '2017/18'"
    " but their periods are 1 Oct 2016 - 30 Sep 2017 and 1 Oct 2017 - 30 Sep 2018, not financial years"
    " (the June 2018 version of this slide, with 1 Jun - 31 May periods, has the same headings)",
    "column headings vs period headings",
    line=TABLE_LINE,
)
snatch, theft = OTHERS19[0], PARTS19[5]
nc(
    19,
    row_quote(snatch),
    "consistency",
    "Theft Snatch within Theft Offences",
    f"holds in both periods ({snatch[1]} <= {theft[1]}; {snatch[2]} <= {theft[2]}) if theft snatch is a subset of"
    " theft offences, as in MPS categories; the text does not say so",
    "Theft Snatch vs Theft Offences rows",
)
syv, yv = OTHERS19[1], OTHERS19[2]
nc(
    19,
    row_quote(syv),
    "consistency",
    "Serious Youth Violence within Youth Violence",
    f"holds in both periods ({syv[1]} <= {yv[1]}; {syv[2]} <= {yv[2]}) if serious youth violence is a subset of"
    " youth violence, as in MPS definitions; the text does not say so",
    "Serious Youth Violence vs Youth Violence rows",
)

# ---------------------------------------------------------------- 20 firearms statement, 2012/13

BULLETS20 = [
    (
        "The number of police operations in which firearms were authorised was 10,996—a decrease of 1,554 (14.1 %)",
        "operations in which firearms were authorised",
        10996,
        1554,
        "14.1",
    ),
    (
        "The number of authorised firearms officers (AFO’s) was 6,091—a decrease of 665 (10.9%)",
        "authorised firearms officers",
        6091,
        665,
        "10.9",
    ),
    (
        "The number of operations involving armed response vehicles was 13,116—a decrease of 1,145 (8.7%)",
        "operations involving armed response vehicles",
        13116,
        1145,
        "8.7",
    ),
]
for anchor, what, cur, fall, p in BULLETS20:
    prev = cur + fall
    wrong = pct(fall, cur)
    add_pct(
        20,
        anchor,
        "percent_change",
        p,
        pct(fall, prev),
        f"{fall:,} / ({cur:,} + {fall:,}) = {fall:,} / {prev:,}",
        f"{what}; previous year implied by the stated decrease; the stated figure is the decrease over the"
        f" current year's count: {fall:,} / {cur:,} = {dec(wrong, 4)}%, which rounds to {rnd(wrong, 1)}"
        " (a percentage change taken on the wrong base)",
    )
    nc(
        20,
        anchor,
        "difference",
        f"{fall:,}",
        f"the 2011/12 count is not given; the {fall:,} only defines it ({prev:,})",
        f"{cur:,} and ?",
    )
add(
    20,
    "three incidents—down from 5 incidents in 2011-12",
    "difference",
    "three, down from 5",
    "3 - 5 = -2",
    "'three' (a number word) vs 5",
    "correct",
    "direction checked; the same count is written once as a word and once as a numeral",
)
add(
    20,
    "for the period 1 April 2012 to 31 March 2013",
    "consistency",
    "previous year = 2011-12",
    "the year before 1 April 2012 - 31 March 2013 is 2011-12",
    "line 10 'period 1 April 2012 to 31 March 2013'; line 14 'in 2011-12'",
    "correct",
    "the 'previous year' of the bullets and the '2011-12' of the last bullet agree",
)
nc(
    20,
    "The number of operations involving armed response vehicles was 13,116",
    "consistency",
    "13,116 ARV operations vs 10,996 firearms operations",
    "ARV operations exceed all operations in which firearms were authorised (13,116 > 10,996); the text does"
    " not say whether ARV operations are counted within the firearms operations, so no error can be shown"
    " (outside the text: the Home Office's 2013/14 release, after a data-quality review, implies 15,454"
    " operations in 2012/13, i.e. 14,864 + 590, so the 10,996 was later revised)",
    "line 13 vs line 11",
)
cols = LINES[20][15].split(" | ")
assert LINES[20][15].startswith("2003/4 | 2004/5") and cols[8:10] == ["2011/12", "2012/13"]
force_rows = [t for t in LINES[20][17:] if t.endswith(" |")]
assert len(force_rows) == 13 and all(t.count(" | ") == 10 for t in force_rows)
vals = [[num(c) for c in t[:-2].split(" | ")[1:]] for t in force_rows]
s11, s12 = sum(v[8] for v in vals), sum(v[9] for v in vals)
nc(
    20,
    "2003/4 | 2004/5 | 2005/6",
    "total",
    "10,996 (2012/13 total) against the force table",
    f"the excerpt shows 13 of the 43 forces and no total row; their 2012/13 column sums to {s12:,} and"
    f" their 2011/12 column to {s11:,}, so neither the 10,996 nor the implied 12,550 can be checked",
    "the first table (untitled in the excerpt; by force, 2003/4 to 2012/13)",
)

# ---------------------------------------------------------------- write

header = [
    "# Verification of the checkable numerical statements in files 19-20 (set C).",
    "# Verified by: a helper session, 2026-12-06.",
    "# Method: exact decimal arithmetic (fractions.Fraction, half-up rounding of the exact value, signed",
    "#   percentages compared by sign and magnitude); the script is verify-C.py next to this file and writes",
    "#   this file; each entry's line is found by an anchor string that must occur on that line.",
    *RECORD.summary(),
    "# File 19: one table on one line (line 14): 18 rows x (difference, % change, MPS % change), the total row",
    "#   against its eleven parts in three columns, and four notes on ranks, headings and sub-categories.",
    "# File 20: three true errors: each 'decrease of N (x%)' divides the decrease by the current year's",
    "#   count instead of the previous year's (14.1% for 12.38%, 10.9% for 9.84%, 8.7% for 8.03%).",
    "# Not listed: the year-by-year force figures of file 20's table (no total row, no stated change; the",
    "#   Gloucestershire fall from 160 to 21 in 2012/13 is striking but nothing states or totals it), and",
    "#   file 19's colour key ('Better than previous year -1, Worse than previous year 1').",
    "# Rounding convention: a stated figure is correct when the exact value rounds half-up to it at the",
    "#   stated number of decimals (so 7.47% -> 7.5%, 10.67% -> 10.7% are correct).",
    "",
]
RECORD.write(OUT, header)
