"""``crimeprev repeats``, ``cohort da`` and ``access-log``: people, by pseudonym, with access logged.

Aggregate figures (how many repeat victims, what share of offences they suffer) are for anyone;
anything that lists people needs ``--person-level``, and each such query is written to the
store's access log before it is answered.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from crimeprev.cli.engine import computing
from crimeprev.cli.harm import HARM, HARM_TABLE, chosen_table
from crimeprev.cli.insights import JSON, STRATEGY, _find, _month, month_range
from crimeprev.cli.output import console, print_json
from crimeprev.model.errors import ConfigError
from crimeprev.model.periods import add_months, month_label
from crimeprev.store.warehouse import Warehouse

if TYPE_CHECKING:
    from crimeprev.model.strategy import Indicator, Strand, Strategy
    from crimeprev.people.cohort import Scored
    from crimeprev.people.records import PersonRecords
    from crimeprev.people.repeats import RepeatSummary

PERSON_LEVEL = typer.Option(
    False, "--person-level", help="List people by pseudonym (restricted: the query is written to the access log)."
)
DEFAULT_COHORT_INDICATOR = "domestic-abuse/domestic_abuse_offences"

cohort_app = typer.Typer(help="Cohorts of the people who cause the most harm.")


def register(app: typer.Typer) -> None:
    app.command("repeats")(repeats)
    app.add_typer(cohort_app, name="cohort")
    app.command("access-log")(access_log)


def refuse_without_flag(what: str, alternative: str = "") -> None:
    """The error for a person-level request made without ``--person-level``."""
    raise ConfigError(
        f"{what} lists people: add --person-level to see them by pseudonym (the query is written to the "
        f"store's access log){alternative}"
    )


def logged(warehouse: Warehouse, ctx: typer.Context, people: int) -> None:
    """Write the access-log entry of a person-level query (before anything is shown).

    The entry holds every option the command was given (so the query can be repeated exactly),
    never its answer.
    """
    from crimeprev.store.access_log import log_access

    command = ctx.command_path.removeprefix(ctx.find_root().info_name or "").strip()
    log_access(warehouse, command, options_text(ctx), people)


def options_text(ctx: typer.Context) -> str:
    """The options a command ran with, as ``--name value`` (flags that are off, and unset options, left out)."""
    names = {p.name: p.opts[0] for p in ctx.command.params if p.param_type_name == "option"}
    parts = []
    for name, value in ctx.params.items():
        if value is None or value is False or value == [] or value == ():
            continue
        option = names.get(name)
        if option is None:  # an argument: its value alone, where it was given
            parts.append(str(value))
            continue
        if value is True:
            parts.append(option)
        elif isinstance(value, (list, tuple)):
            parts.extend(f"{option} {v}" for v in value)
        else:
            parts.append(f"{option} {value}")
    return " ".join(parts)


def _window(window: str | None, as_of: str | None, latest: date | None) -> tuple[date, date]:
    if window is not None:
        if as_of is not None:
            raise ConfigError("give --window or --as-of, not both")
        return month_range(window, "--window")
    end = _month(as_of) if as_of is not None else latest
    if end is None:
        raise ConfigError("the store holds no records: nothing to count")
    return add_months(end, -11), end


def _latest(warehouse: Warehouse, sources: set[str]) -> date | None:
    """The latest month any of the indicator's sources holds."""
    months = [warehouse.query(f"SELECT max(recorded_month) FROM {t}")[0][0] for t in sorted(sources)]
    known = [m for m in months if m is not None]
    return max(known) if known else None


def _require_records(records: PersonRecords, title: str, first: date, last: date, latest: date | None) -> None:
    """No records in the window is an error that says where the store's records end."""
    if len(records):
        return
    held = f"the store's records run to {latest:%Y-%m}" if latest else "the store holds no records"
    raise ConfigError(f"no {title.lower()} were recorded from {first:%Y-%m} to {last:%Y-%m} ({held})")


def _roles(by: list[str], sources: set[str]) -> list[str]:
    from crimeprev.people.repeats import ROLES

    for role in by:
        if role not in ROLES:
            raise ConfigError(f"--by {role}: choose victim, offender or location")
    if by:
        if "offender" in by and "offences" not in sources:
            raise ConfigError("--by offender: incidents record no offender; choose victim (the person) or location")
        return list(dict.fromkeys(by))
    return ["victim", "offender"] if "offences" in sources else ["victim"]


def _read(
    ctx: typer.Context,
    warehouse: Warehouse,
    strategy: Strategy,
    strand: Strand,
    indicator: Indicator,
    first: date,
    last: date,
) -> PersonRecords:
    from crimeprev.people.records import person_records

    try:
        with computing(ctx, warehouse) as backend:
            return person_records(backend, strategy, strand, indicator, first, last)
    except ValueError as e:
        raise ConfigError(str(e)) from None


def repeats(
    ctx: typer.Context,
    indicator: str = typer.Option(..., "--indicator", help="Indicator id, or strand/indicator."),
    window: str | None = typer.Option(
        None, "--window", help="Months, YYYY-MM..YYYY-MM (default: the 12 months ending --as-of)."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="The last month of a 12-month window, YYYY-MM (default: the latest month in the store)."
    ),
    by: list[str] = typer.Option([], "--by", help="victim, offender or location (repeatable; default: every role)."),
    same_type: bool = typer.Option(
        False, "--same-type", help="A repeat is a second record of the same offence code (or incident type)."
    ),
    top: int | None = typer.Option(None, "--top", help="List the N most repeated by pseudonym (with --person-level)."),
    near_repeat: bool = typer.Option(
        False, "--near-repeat", help="Also test for near repeats: raised risk close in space and time (Knox test)."
    ),
    permutations: int = typer.Option(999, "--permutations", help="Shuffles of the near-repeat test's dates."),
    publish: bool = typer.Option(
        False, "--publish", help="For publication: counts below --suppress-below are shown as '<N'."
    ),
    suppress_below: int = typer.Option(5, "--suppress-below", help="Small-number threshold for --publish."),
    person_level: bool = PERSON_LEVEL,
    strategy_file: Path | None = STRATEGY,
    as_json: bool = JSON,
) -> None:
    """Repeat victims, offenders and locations of an indicator's records, and near repeats."""
    from crimeprev.indicators.records import indicator_parts
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.people.repeats import repeat_summary

    if top is not None and top < 1:
        raise ConfigError(f"--top {top}: give a positive number")
    if top is not None and not person_level:
        refuse_without_flag(f"--top {top}", "; without --top the figures are aggregate")
    if person_level and publish:
        raise ConfigError("--person-level output is never for publication: drop --publish or --person-level")
    if near_repeat and publish:
        raise ConfigError("--near-repeat tables are analysis, not for publication: drop --publish or --near-repeat")
    if suppress_below < 1:
        raise ConfigError(f"--suppress-below {suppress_below}: give a positive threshold, e.g. 5")
    strategy = load_strategy(strategy_file)
    strand, found = _find(strategy, indicator)
    sources: set[str] = {p.source for p in indicator_parts(strand, found)}
    if not sources <= {"offences", "incidents"}:
        raise ConfigError(f"{found.id} is not counted from records, so it has no people")
    roles = _roles(by, sources)
    shown = top if top is not None else (10 if person_level else 0)
    with Warehouse.open(ctx.obj, read_only=not person_level) as warehouse:
        latest = _latest(warehouse, sources)
        first, last = _window(window, as_of, latest)
        records = _read(ctx, warehouse, strategy, strand, found, first, last)
        _require_records(records, found.title, first, last, latest)
        summaries = [repeat_summary(records, role, same_type=same_type, top=shown) for role in roles]
        notes = [
            f"No record in these months has {'a suspect' if s.role == 'offender' else 'a ' + s.role} recorded."
            for s in summaries
            if s.records and not s.people
        ]
        if not by and len(notes) == len(summaries) and summaries:
            # data.police.uk files hold no person identifiers: the places can still repeat
            notes.append("The records hold no person identifiers: repeat locations are shown instead.")
            roles = ["location"]
            summaries = [repeat_summary(records, "location", same_type=same_type, top=shown)]
        knox = _near_repeats(records, permutations) if near_repeat else None
        if person_level:
            logged(warehouse, ctx, sum(len(s.top) for s in summaries))
    period = f"{first:%Y-%m}..{last:%Y-%m}"
    threshold = suppress_below if publish else None
    if as_json:
        out: dict[str, Any] = {
            "indicator": f"{strand.id}/{found.id}",
            "window": period,
            "publication": publish,
            "notes": notes,
            "roles": [
                s.published(threshold) if threshold is not None else s.as_dict(person_level=person_level)
                for s in summaries
            ],
        }
        if knox is not None:
            out["near_repeat"] = knox.as_dict()
        print_json(out)
        return
    for note in notes:
        console.print(note)
    for summary in summaries:
        _print_summary(found.title, f"{month_label(first)} to {month_label(last)}", summary, threshold)
    if knox is not None:
        _print_knox(knox)


def _near_repeats(records: PersonRecords, permutations: int) -> Any:
    import numpy as np

    from crimeprev.people.near_repeat import knox_test
    from crimeprev.spatial.units import to_bng

    usable = ~np.isnan(records.lat) & ~np.isnat(records.day)
    if np.count_nonzero(~np.isnat(records.day)) == 0:
        raise ConfigError("--near-repeat needs the date of each record; these records have months only")
    if np.count_nonzero(usable) < 2:
        raise ConfigError("--near-repeat needs at least two records with a place and a date")
    east, north = to_bng(records.lat[usable], records.lon[usable])
    day = records.day[usable].astype("datetime64[D]").astype(np.int64)
    try:
        return knox_test(east, north, day, permutations=permutations)
    except ValueError as e:
        raise ConfigError(f"--near-repeat: {e}") from None


_NOUNS = {"victim": "victims", "offender": "offenders", "location": "locations"}


def _print_summary(title: str, period: str, summary: RepeatSummary, threshold: int | None) -> None:
    data = summary.published(threshold) if threshold is not None else summary.as_dict(person_level=False)
    noun = _NOUNS[summary.role]
    kind = " (same offence type)" if summary.same_type else ""
    table = Table(title=f"{title}, {period}: repeat {noun}{kind}", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")

    def n(value: Any) -> str:
        return f"{value:,}" if isinstance(value, int) else str(value)

    def pct(value: Any) -> str:
        return "–" if value is None else (f"{value:.1f}%" if isinstance(value, float) else str(value))

    table.add_row("records", n(data["records"]))
    table.add_row(f"records with no {summary.role} recorded", n(data["without_person"]))
    table.add_row(noun, n(data["people"]))
    table.add_row(f"repeat {noun} (2 or more records)", n(data["repeat_people"]))
    table.add_row(f"share of {noun} with 2 or more records", pct(data["repeat_people_pct"]))
    table.add_row(f"records of repeat {noun}", n(data["repeat_records"]))
    table.add_row(f"share of records that are of repeat {noun}", pct(data["repeat_records_pct"]))
    days = data["days_to_next"]
    if isinstance(days, dict) and days["median"] is not None:
        table.add_row("median days to the next record", f"{days['median']:g}")
        table.add_row("next record within 28 days", pct(days["share_within"]["28"]))
    console.print(table)
    if isinstance(data["distribution"], dict):
        spread = ", ".join(f"{k}: {n(v)}" for k, v in data["distribution"].items())
        console.print(f"{noun} by number of records: {spread}")
    if threshold is not None and data["publication"]["withheld"]:
        console.print(f"Figures marked * are withheld: a count below {threshold} could be worked back from them.")
    for person in summary.top:
        where = f" at {person.place}" if person.place else ""
        offences = ", ".join(f"{c} {d}" for c, d in zip(person.codes, person.days, strict=True))
        console.print(f"  {person.key}{where}: {person.records} records ({offences})")


def _print_knox(knox: Any) -> None:
    raised = knox.raised()
    headline = (
        "No near-repeat pattern: offences close in space are no closer in time than chance would make them."
        if raised is None
        else f"After an offence, risk is raised {raised[0]} for {raised[1]}."
    )
    console.print(headline)
    table = Table(title="Near repeats: Knox ratio (observed / expected pairs), * raised beyond chance",
                  title_justify="left")  # fmt: skip
    table.add_column("distance")
    for label in knox.bands.time_labels():
        table.add_column(label, justify="right")
    ratio = knox.ratio
    for i, label in enumerate(knox.bands.distance_labels()):
        cells = []
        for j in range(ratio.shape[1]):
            mark = "*" if knox.significant[i, j] and ratio[i, j] > 1 else ""
            cells.append("–" if ratio[i, j] != ratio[i, j] else f"{ratio[i, j]:.2f}{mark}")
        table.add_row(label, *cells)
    console.print(table)
    console.print(f"Method: {knox.as_dict()['method']}.")


@cohort_app.command("da")
def cohort_da(
    ctx: typer.Context,
    as_of: str = typer.Option(..., "--as-of", help="Score as at the end of this month, YYYY-MM."),
    size: int = typer.Option(20, "--size", help="How many people the cohort holds."),
    since: str | None = typer.Option(
        None, "--since", help="An earlier as-of month: who entered and left, and harm before and after entry."
    ),
    indicator: str = typer.Option(
        DEFAULT_COHORT_INDICATOR, "--indicator", help="The domestic-abuse offences indicator scored."
    ),
    weights_file: Path | None = typer.Option(
        None, "--weights", help="Your own RFG weights (YAML like crimeprev/data/rfg-weights.yaml)."
    ),
    harm: bool = HARM,
    harm_table: Path | None = HARM_TABLE,
    summary: bool = typer.Option(False, "--summary", help="Aggregate figures only: no person is listed."),
    person_level: bool = PERSON_LEVEL,
    strategy_file: Path | None = STRATEGY,
    as_json: bool = JSON,
) -> None:
    """The highest-harm domestic-abuse perpetrators by Recency-Frequency-Gravity (MATAC method)."""
    from crimeprev.indicators.records import indicator_parts
    from crimeprev.indicators.strategy_file import load_strategy
    from crimeprev.people.cohort import count_ranks, harm_around_entry, movement, rfg_scores
    from crimeprev.people.weights import load_weights

    if not person_level and not summary:
        refuse_without_flag("cohort da", ", or --summary for aggregate figures only")
    if person_level and summary:
        raise ConfigError("give --person-level or --summary, not both")
    if size < 1:
        raise ConfigError(f"--size {size}: give a positive number, e.g. 20")
    end = _month(as_of)
    before = _month(since) if since is not None else None
    if before is not None and before >= end:
        raise ConfigError(f"--since {since} must be before --as-of {as_of}")
    weights = load_weights(weights_file)
    table = chosen_table(harm, harm_table)
    strategy = load_strategy(strategy_file)
    strand, found = _find(strategy, indicator)
    if any(p.source != "offences" for p in indicator_parts(strand, found)):
        raise ConfigError(f"--indicator {found.id}: the cohort scores suspects, so it needs offences (not incidents "
                          "or supplied figures)")  # fmt: skip
    starts = [add_months(end, -(weights.lookback_months - 1))]
    if before is not None:  # the earlier cohort's lookback and the 12 months before its entry
        starts += [add_months(before, -(weights.lookback_months - 1)), add_months(before, -11)]
    with Warehouse.open(ctx.obj, read_only=not person_level) as warehouse:
        latest = _latest(warehouse, {"offences"})
        records = _read(ctx, warehouse, strategy, strand, found, min(starts), end)
        _require_records(records, found.title, min(starts), end, latest)
        scored = rfg_scores(records, end, weights, table)
        if not scored:
            raise ConfigError(f"no {found.title.lower()} with a suspect recorded in the lookback to {end:%Y-%m}")
        cohort = scored[:size]
        ranks = count_ranks(scored)
        result: dict[str, Any] = {
            "indicator": f"{strand.id}/{found.id}",
            "as_of": f"{end:%Y-%m}",
            "weights": weights.version,
            "gravity": "harm table and tiers" if table is not None else "tiers",
            "perpetrators_scored": len(scored),
            "size": len(cohort),
            "distinct_victims": len(frozenset().union(*(s.victim_keys for s in cohort))),
        }
        # the count ranking's top, ties at the cut included (a competition rank up to the size)
        by_count = sorted((s for s in scored if ranks[s.key] <= size), key=lambda s: (ranks[s.key], s.key))
        result["also_in_count_top"] = sum(1 for s in cohort if ranks[s.key] <= size)
        moved = None
        if before is not None:
            earlier = [s.key for s in rfg_scores(records, before, weights, table)[:size]]
            moved = movement(earlier, [s.key for s in cohort])
            result["since"] = f"{before:%Y-%m}"
            result["entered"], result["left"], result["stayed"] = len(moved.entered), len(moved.left), len(moved.stayed)
            result["harm_around_entry"] = harm_around_entry(records, earlier, before, end, weights, table).as_dict()
        if person_level:
            rfg_rank = {s.key: i + 1 for i, s in enumerate(scored)}
            result["cohort"] = [
                {"rank": i + 1, **s.as_dict(), "count_rank": ranks[s.key]} for i, s in enumerate(cohort)
            ]
            result["count_ranking"] = [
                {"key": s.key, "recent_offences": s.recent_offences, "count_rank": ranks[s.key],
                 "rfg_rank": rfg_rank[s.key]}
                for s in by_count
            ]  # fmt: skip
            if moved is not None:
                result["movement"] = {"entered": moved.entered, "left": moved.left, "stayed": moved.stayed}
            logged(warehouse, ctx, len({*(s.key for s in cohort), *(s.key for s in by_count)}))
    if as_json:
        print_json(result)
        return
    _print_cohort(result, cohort, ranks, weights.recent_months)


def _print_cohort(result: dict[str, Any], cohort: list[Scored], ranks: dict[str, int], recent: int) -> None:
    size = result["size"]
    console.print(
        f"Domestic abuse perpetrator cohort, as at {result['as_of']} (weights {result['weights']}, gravity from "
        f"{result['gravity']}): the {size} highest Recency-Frequency-Gravity scores of "
        f"{result['perpetrators_scored']:,} perpetrators, against {result['distinct_victims']:,} victims."
    )
    console.print(
        f"Plain count ranking for comparison (DA offences in the last {recent} months): "
        f"{result['also_in_count_top']} of the {size} are also in the top {size} by count (ties included)."
    )
    if "since" in result:
        change = result["harm_around_entry"]
        console.print(
            f"Since {result['since']}: {result['entered']} entered, {result['left']} left, {result['stayed']} stayed. "
            f"The {change['people']} in the cohort at {result['since']}: harm {change['harm_per_month_before']:g} "
            f"points a month in the {change['months_before']} months up to then, "
            f"{change['harm_per_month_after'] if change['harm_per_month_after'] is not None else '–'} a month in "
            f"the {change['months_after']} months after ({change['offences_before']} and "
            f"{change['offences_after']} offences)."
        )
    if "cohort" not in result:
        console.print("People are listed with --person-level (the query is written to the access log).")
        return
    table = Table(title="Cohort (pseudonyms)", title_justify="left")
    for heading in ("rank", "pseudonym", "score", "recency", "frequency", "gravity", "victims", "count rank"):
        table.add_column(heading, justify="left" if heading == "pseudonym" else "right")
    for i, s in enumerate(cohort):
        table.add_row(str(i + 1), s.key, f"{s.score:g}", f"{s.recency:g}", f"{s.frequency:g}", f"{s.gravity:g}",
                      f"{s.victims:g} ({s.distinct_victims})", f"{ranks[s.key]:,}")  # fmt: skip
    console.print(table)
    for i, s in enumerate(cohort):
        console.print(f"{i + 1}. {s.key}: {s.explanation()}")


def access_log(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", help="Show the newest N entries (0: all)."),
    as_json: bool = JSON,
) -> None:
    """Who ran which person-level query, and when."""
    from crimeprev.store.access_log import read_access_log

    if limit < 0:
        raise ConfigError(f"--limit {limit}: give 0 (every entry) or a positive number")
    with Warehouse.open(ctx.obj, read_only=True) as warehouse:
        entries = read_access_log(warehouse, limit=limit or None)
    if as_json:
        print_json(
            [{"logged_at": e.logged_at.isoformat(), "user": e.user, "command": e.command, "arguments": e.arguments,
              "people": e.people} for e in entries]
        )  # fmt: skip
        return
    if not entries:
        console.print("No person-level query has been run on this store.")
        return
    table = Table(title="Access log: person-level queries, newest first", title_justify="left")
    for heading in ("when", "user", "command", "options", "people shown"):
        table.add_column(heading)
    for e in entries:
        table.add_row(f"{e.logged_at:%Y-%m-%d %H:%M:%S}", e.user, e.command, e.arguments, f"{e.people:,}")
    console.print(table)
