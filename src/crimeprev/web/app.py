"""The web app: one place where leads record delivery and narrative and everyone reads the strands.

Server-rendered pages (Jinja2) that work without script, and a JSON API under ``/api/`` with the same
sign-in and rules (OpenAPI at ``/api/openapi.json``). Every request opens what it needs and closes it;
the app store holds accounts, sessions, actions, narrative and the audit log. Who may do what is
:mod:`crimeprev.model.accounts`; sessions, form tokens and headers are :mod:`.security`.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from crimeprev.delivery.actions import Action, ActionDraft, ActionStatus, ConflictError, half_year_of
from crimeprev.delivery.at_risk import STATUS_NOTE, StrandRisk, assess_strand
from crimeprev.delivery.tracker import export_narrative, export_plan
from crimeprev.delivery.transfer import next_half_year, period_of, plan_of
from crimeprev.indicators.harm import offence_names
from crimeprev.indicators.strategy_file import load_strategy
from crimeprev.model.accounts import may_edit_strand, may_read_audit, may_see_people
from crimeprev.model.errors import ConfigError, InputError
from crimeprev.model.strategy import Strand
from crimeprev.model.windows import parse_month
from crimeprev.report.chart_images import vega_bundle
from crimeprev.report.document import BulletList, Paragraph
from crimeprev.report.narrative import PARTS, markdown_blocks
from crimeprev.report.paper import Paper, PaperSources, produce_paper
from crimeprev.store.app_store import Account, AppStore, PaperJob, open_app_store
from crimeprev.store.status import read_status
from crimeprev.store.warehouse import Warehouse
from crimeprev.web.evidence import Release, StoreEvidence
from crimeprev.web.papers import PaperJobs
from crimeprev.web.passwords import check_password, spend_a_check
from crimeprev.web.security import (
    LOCK,
    LOGIN_CSRF_COOKIE,
    MAX_FAILURES,
    SESSION_COOKIE,
    SESSION_LENGTH,
    SIGN_IN_ATTEMPTS,
    SIGN_IN_WINDOW,
    SecurityHeaders,
    new_form_token,
    tokens_match,
)

__all__ = ["SETTINGS_ENV", "Settings", "app_from_environment", "create_app"]

_HERE = resources.files("crimeprev.web")
WRITTEN = {**PARTS, STATUS_NOTE: "Lead's note on the status"}  # what a lead writes, by the tracker's key
PAGE_THREADS = 6  # threads serving the pages in each worker
_TOP_PEOPLE = 10  # the most repeated people a person-level page lists, per indicator and role
_OPEN = (ActionStatus.SCHEDULED, ActionStatus.IN_PROGRESS)  # an action still to be done


@dataclass(frozen=True)
class Settings:
    """What the app serves: the app store's URL, the strategy, the half-year shown, TLS or not."""

    app_db: str
    store: Path | None = None  # the DuckDB store the figures and papers come from
    strategy: Path | None = None
    half_year: str | None = None  # default: the half-year of today
    secure_cookies: bool = False
    metadata: Path | None = None  # the paper's cover details (crimeprev report --metadata)
    operations: Path | None = None  # the ledger of weeks of action the paper evaluates
    papers: Path | None = None  # where papers are written (shared by the workers); default a temporary folder

    def to_json(self) -> str:
        """The settings as text, for worker processes (which read them from :data:`SETTINGS_ENV`)."""
        return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()})

    @classmethod
    def from_json(cls, text: str) -> Settings:
        given: dict[str, Any] = json.loads(text)

        def path(key: str) -> Path | None:
            return Path(given[key]) if given.get(key) is not None else None

        return cls(
            app_db=str(given["app_db"]),
            store=path("store"),
            strategy=path("strategy"),
            half_year=given.get("half_year"),
            secure_cookies=bool(given.get("secure_cookies")),
            metadata=path("metadata"),
            operations=path("operations"),
            papers=path("papers"),
        )


SETTINGS_ENV = "CRIMEPREV_WEB_SETTINGS"


def app_from_environment() -> FastAPI:
    """The app of each worker process: the settings ``crimeprev serve`` put in :data:`SETTINGS_ENV`."""
    text = os.environ.get(SETTINGS_ENV)
    if not text:
        raise ConfigError(f"${SETTINGS_ENV} is not set: start the app with crimeprev serve")
    return create_app(Settings.from_json(text))


@dataclass(frozen=True)
class Visitor:
    """The signed-in account of a request, with its form token."""

    account: Account
    csrf: str


class ActionOut(BaseModel):
    id: int
    strand: str
    title: str
    half_year: str
    status: str
    owner: str
    description: str
    due: date | None
    notes: str
    version: int
    updated_by: str


class StrandOut(BaseModel):
    id: str
    title: str
    theme: str
    lead: str


class FigureOut(BaseModel):
    """One indicator's headline comparison, as the strand page shows it, with its plain verdict."""

    title: str
    current_label: str
    current: str
    previous_label: str
    previous: str
    change: str
    verdict: str


class StatusOut(BaseModel):
    """A strand's status, computed from evidence, its reasons, and the lead's note beside it."""

    strand: str
    at_risk: bool
    reasons: list[str]
    note: str


def _action_out(action: Action) -> ActionOut:
    return ActionOut(
        id=action.id,
        strand=action.strand,
        title=action.title,
        half_year=action.half_year,
        status=action.status.value,
        owner=action.owner,
        description=action.description,
        due=action.due,
        notes=action.notes,
        version=action.version,
        updated_by=action.updated_by,
    )


def _lead(strand: Strand) -> str:
    return f"{strand.lead.rank}, {strand.lead.portfolio}"


def _half_year_words(half_year: str) -> str:
    year = int(half_year[:4])
    return f"October {year - 1} to March {year}" if half_year.endswith("03") else f"April to September {year}"


def create_app(settings: Settings) -> FastAPI:
    """The app for ``settings`` (the app store is opened, and migrated, now)."""
    store = open_app_store(settings.app_db)
    strategy = load_strategy(settings.strategy)
    strands = {s.id: s for s in strategy.strands()}
    templates = Jinja2Templates(directory=str(_HERE / "templates"))

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        # Fewer threads for the pages than the default 40: the pages are CPU-bound Python, and 40
        # threads contending for one interpreter cost more than they overlap (measured in bench/web.py).
        to_thread.current_default_thread_limiter().total_tokens = PAGE_THREADS
        yield
        running.state.papers.close()
        running.state.store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="crimeprev",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        description="The strands, delivery actions and narrative of a crime prevention strategy.",
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.state.store = store

    def half_year() -> str:
        return settings.half_year or half_year_of(datetime.now(UTC).date())

    def visitor(request: Request) -> Visitor | None:
        return current_visitor(request)

    def checked_form(request_visitor: Visitor, csrf: str | None) -> None:
        if not tokens_match(request_visitor.csrf, csrf):
            raise HTTPException(status_code=403, detail="the form's token is missing or stale: reload the page")

    def strand_or_404(strand_id: str) -> Strand:
        if strand_id not in strands:
            raise HTTPException(status_code=404, detail=f"no strand {strand_id}")
        return strands[strand_id]

    def may_edit(who: Visitor, strand_id: str) -> None:
        if not may_edit_strand(who.account.role, who.account.strands, strand_id):
            raise HTTPException(status_code=403, detail=f"{who.account.name} may not change {strand_id}")

    def page(request: Request, name: str, who: Visitor | None, status: int = 200, **context: Any) -> HTMLResponse:
        base = {
            "strategy_title": strategy.title,
            "account": who.account if who else None,
            "csrf": who.csrf if who else "",
            "can_audit": who is not None and may_read_audit(who.account.role),
        }
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    @app.exception_handler(HTTPException)
    async def refused(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code)
        if error.status_code == 401:
            return RedirectResponse(request.url_for("login_page"), status_code=303)
        heading = {403: "Not allowed", 404: "Not found"}.get(error.status_code, "Something went wrong")
        return page(request, "message.html", visitor(request), error.status_code, heading=heading, message=error.detail)

    # --- signing in and out -----------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, name="login_page")
    def login_page(request: Request, message: str = "") -> HTMLResponse:
        token = new_form_token()
        response = page(request, "login.html", None, login_csrf=token, message=message)
        _cookie(response, LOGIN_CSRF_COOKIE, token, settings)
        return response

    @app.post("/login", name="login")
    def login(
        request: Request,
        name: Annotated[str, Form()],
        password: Annotated[str, Form()],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), csrf):
            raise HTTPException(status_code=403, detail="the sign-in form's token is missing or stale: reload the page")
        client = request.client.host if request.client else "unknown"
        now = datetime.now(UTC)
        wrong = "Wrong name or password, or the account is locked for a while after too many wrong passwords."
        if store.sign_in_blocked(client, now=now, attempts=SIGN_IN_ATTEMPTS, window=SIGN_IN_WINDOW):
            return login_page(request, "Too many attempts from here: wait a minute and try again.")
        account = store.account(name)
        if account is None or (account.locked_until is not None and account.locked_until > now):
            spend_a_check(password)
            store.failed_sign_in(client, now=now)
            return login_page(request, wrong)
        if not check_password(account.password_hash, password):
            store.failed_login(name, now=now, limit=MAX_FAILURES, lock=LOCK)
            store.failed_sign_in(client, now=now)
            return login_page(request, wrong)
        token, _ = store.start_session(name, now=now, lasts=SESSION_LENGTH)
        response = RedirectResponse(request.url_for("overview"), status_code=303)
        _cookie(response, SESSION_COOKIE, token, settings, max_age=int(SESSION_LENGTH.total_seconds()))
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    @app.post("/logout", name="logout")
    def logout(request: Request, who: Signed, csrf: Annotated[str, Form()] = "") -> Response:
        checked_form(who, csrf)
        store.end_session(request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse(request.url_for("login_page"), status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    # --- figures ----------------------------------------------------------------------------

    evidence = StoreEvidence(
        settings.store,
        PaperSources(metadata=settings.metadata, strategy=settings.strategy, operations=settings.operations),
        strategy,
    )
    app.state.evidence = evidence

    def as_of() -> date:
        """The month the figures are shown to: the last of the half-year shown."""
        return period_of(half_year()).end.replace(day=1)

    def risks(release: Release, strand_ids: list[str]) -> dict[str, StrandRisk]:
        """Each strand's status from evidence: its figures, the tracker's delivery (slipped, overdue,
        nothing scheduled) and its lead; the same judgement as the paper's. One read of the actions."""
        shown = half_year()
        actions = store.actions()
        plan = plan_of(actions, shown)
        today = datetime.now(UTC).date()
        out = {}
        for strand_id in strand_ids:
            overdue = [
                f"{a.title} (due {a.due:%d %B %Y})"
                for a in actions
                if a.strand == strand_id and a.due is not None and a.due < today and a.status in _OPEN
            ]
            gaps, worse = release.risk_evidence(strand_id)
            out[strand_id] = assess_strand(strands[strand_id], plan.for_strand(strand_id), gaps, worse, overdue)
        return out

    # --- pages ------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, name="overview")
    def overview(request: Request, who: Signed) -> HTMLResponse:
        shown = half_year()
        actions = store.actions(half_year=shown)
        written = {(t.strand, t.part) for t in store.narrative(half_year=shown)}
        release = evidence.release(as_of())  # the whole page from one load of the store
        status = risks(release, list(strands))
        themes = []
        for theme in strategy.themes:
            rows = []
            for strand in theme.strands:
                mine = [a for a in actions if a.strand == strand.id]
                counts = ", ".join(
                    f"{sum(1 for a in mine if a.status is s)} {s.value}"
                    for s in ActionStatus
                    if any(a.status is s for a in mine)
                )
                parts = sum(1 for p in PARTS if (strand.id, p) in written)
                headline = next(iter(release.figure_rows(strand.id)), None)
                rows.append(
                    {
                        "id": strand.id,
                        "title": strand.title,
                        "lead": _lead(strand),
                        "actions": counts or "none yet",
                        "narrative": f"{parts} of {len(PARTS)} parts written",
                        "headline": headline["sentence"] if headline else "",
                        "risk": status[strand.id],
                    }
                )
            themes.append({"name": theme.name, "rows": rows})
        return page(request, "overview.html", who, themes=themes, half_year_words=_half_year_words(shown))

    def strand_context(strand: Strand, who: Visitor, district: str | None = None) -> dict[str, Any]:
        shown = half_year()
        month = as_of()
        release, shown_evidence = evidence.strand_page(month, strand, district or None)
        if district and shown_evidence is None:
            raise HTTPException(status_code=404, detail=f"no district {district!r} in the store")
        texts = {t.part: t for t in store.narrative(strand.id, shown)}
        parts = []
        for key, heading in WRITTEN.items():
            text = texts.get(key)
            body = text.text if text else ""
            parts.append(
                {
                    "key": key,
                    "heading": heading,
                    "text": body,
                    "version": text.version if text else 0,
                    "blocks": _blocks(body),
                }
            )
        note = parts.pop()  # the lead's note on the status (WRITTEN's last key), shown beside the status
        return {
            "strand": strand,
            "note": note,
            "can_see_people": may_see_people(who.account.role),
            "risk": risks(release, [strand.id])[strand.id],
            "figures": release.figure_rows(strand.id),
            "evidence": shown_evidence,
            "districts": release.districts,
            "failure": evidence.failure,
            "district": district or "",
            "lead": _lead(strand),
            "actions": store.actions(strand=strand.id),
            "parts": parts,
            "half_year": shown,
            "half_years": [shown, next_half_year(shown)],
            "half_year_words": _half_year_words(shown),
            "statuses": list(ActionStatus),
            "draft": None,
            "can_edit": may_edit_strand(who.account.role, who.account.strands, strand.id),
        }

    @app.get("/strands/{strand_id}", response_class=HTMLResponse, name="strand_page")
    def strand_page(
        request: Request, strand_id: str, who: Signed, message: str = "", district: str = ""
    ) -> HTMLResponse:
        context = strand_context(strand_or_404(strand_id), who, district)
        return page(request, "strand.html", who, message=message, **context)

    @app.get("/vendor/vega.js", include_in_schema=False)
    def vega_libraries() -> Response:
        """Vega, Vega-Lite and Vega-Embed, from the copy the report's renderer carries (no network)."""
        return Response(vega_bundle(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    @app.get("/strands/{strand_id}/people", response_class=HTMLResponse, name="people_page")
    def people_page(request: Request, strand_id: str, who: Signed) -> HTMLResponse:
        """The strand's most repeated victims and suspects, by pseudonym: analysts only, each view
        written to the audit log before it is shown."""
        strand = strand_or_404(strand_id)
        if not may_see_people(who.account.role):
            raise HTTPException(status_code=403, detail="person-level pages are for analysts")
        month = as_of()
        found = evidence.top_people(month, strand, _TOP_PEOPLE)
        shown = sum(len(s.top) for item in found for s in item.summaries)
        asked = {"indicators": [item.indicator.id for item in found], "as_of": f"{month:%Y-%m}", "people": shown}
        store.log_view("people", strand.id, asked, by=who.account.name, now=datetime.now(UTC))
        return page(request, "people.html", who, strand=strand, repeats=found, top=_TOP_PEOPLE, names=offence_names())

    def draft_of(strand_id: str, form: dict[str, str]) -> ActionDraft:
        try:
            due = date.fromisoformat(form["due"]) if form.get("due") else None
            status = ActionStatus(form.get("status", "scheduled"))
        except ValueError as e:
            raise HTTPException(status_code=422, detail=f"not a date or status: {e}") from None
        return ActionDraft(
            strand_id,
            form.get("title", "").strip(),
            form.get("half_year", ""),
            status,
            form.get("owner", "").strip(),
            form.get("description", "").strip(),
            due,
            form.get("notes", "").strip(),
        )

    @app.post("/strands/{strand_id}/actions", name="add_action")
    def add_action(request: Request, strand_id: str, who: Signed, form: Posted) -> Response:
        checked_form(who, form.get("csrf"))
        strand_or_404(strand_id)
        may_edit(who, strand_id)
        try:
            store.add_action(draft_of(strand_id, form), by=who.account.name, now=datetime.now(UTC))
        except InputError as e:
            raise HTTPException(status_code=422, detail=str(e)) from None
        url = request.url_for("strand_page", strand_id=strand_id).include_query_params(message="Action added.")
        return RedirectResponse(str(url), status_code=303)

    @app.get("/strands/{strand_id}/actions/{action_id}", response_class=HTMLResponse, name="edit_action_page")
    def edit_action_page(request: Request, strand_id: str, action_id: int, who: Signed) -> HTMLResponse:
        strand = strand_or_404(strand_id)
        may_edit(who, strand_id)
        action = _action_of(store, strand_id, action_id)
        context = strand_context(strand, who)
        return page(
            request, "edit_action.html", who, **{**context, "action": action, "draft": action, "conflict": False}
        )

    @app.post("/strands/{strand_id}/actions/{action_id}", name="save_action")
    def save_action(request: Request, strand_id: str, action_id: int, who: Signed, form: Posted) -> Response:
        checked_form(who, form.get("csrf"))
        strand = strand_or_404(strand_id)
        may_edit(who, strand_id)
        _action_of(store, strand_id, action_id)
        draft = draft_of(strand_id, form)
        try:
            version = int(form.get("version", "0"))
            store.update_action(action_id, draft, expected_version=version, by=who.account.name, now=datetime.now(UTC))
        except ConflictError as conflict:
            theirs = store.action(action_id)
            context = {
                **strand_context(strand, who),
                "action": theirs,
                "draft": draft,
                "conflict": True,
                "conflict_by": conflict.theirs_by,
                "theirs": _shown(theirs),
                "mine": _shown(draft),
            }
            return page(request, "edit_action.html", who, 409, **context)
        except (InputError, ValueError) as e:
            raise HTTPException(status_code=422, detail=str(e)) from None
        url = request.url_for("strand_page", strand_id=strand_id).include_query_params(message="Action saved.")
        return RedirectResponse(str(url), status_code=303)

    @app.post("/strands/{strand_id}/narrative/{half_year_id}/{part}", name="save_narrative")
    def save_narrative(
        request: Request, strand_id: str, half_year_id: str, part: str, who: Signed, form: Posted
    ) -> Response:
        checked_form(who, form.get("csrf"))
        strand = strand_or_404(strand_id)
        may_edit(who, strand_id)
        if part not in WRITTEN:
            raise HTTPException(status_code=404, detail=f"no narrative part {part}")
        if half_year_id not in (half_year(), next_half_year(half_year())):
            # only the half-year shown and the next are written here (a malformed one would break
            # every paper made from the tracker)
            raise HTTPException(status_code=422, detail=f"no narrative is written here for half-year {half_year_id}")
        try:
            store.set_narrative(
                strand_id,
                half_year_id,
                part,
                form.get("text", "").strip() + "\n",
                expected_version=int(form.get("version", "0")),
                by=who.account.name,
                now=datetime.now(UTC),
            )
        except ConflictError as conflict:
            message = (
                f"Not saved: {conflict.theirs_by or 'someone else'} changed the {WRITTEN[part].lower()} after "
                f"you opened it. Their text is shown now; yours was: {conflict.mine}"
            )
            return page(request, "strand.html", who, 409, message=message, **strand_context(strand, who))
        saved = "Note saved." if part == STATUS_NOTE else "Narrative saved."
        url = request.url_for("strand_page", strand_id=strand_id).include_query_params(message=saved)
        return RedirectResponse(str(url), status_code=303)

    def make_paper(job: PaperJob, folder: Path) -> Paper:
        if settings.store is None:
            raise InputError("paper", "the app was started without a store: crimeprev serve --store FILE")
        reported = half_year_of(parse_month(job.as_of))
        sources = PaperSources(
            metadata=settings.metadata,
            strategy=settings.strategy,
            operations=settings.operations,
            plan=export_plan(store, reported),
            narrative_text=export_narrative(store),
        )
        return produce_paper(settings.store, as_of=job.as_of, formats=job.formats, out=folder, sources=sources)

    papers = PaperJobs(store, make_paper, settings.papers)
    app.state.papers = papers

    @app.get("/paper", response_class=HTMLResponse, name="papers_page")
    def papers_page(request: Request, who: Signed, job: str = "") -> HTMLResponse:
        found = papers.get(job) if job else None
        default = found.as_of if found else f"{period_of(half_year()).end:%Y-%m}"
        return page(request, "paper.html", who, job=found, as_of=default)

    @app.post("/paper", name="start_paper")
    def start_paper(request: Request, who: Signed, form: Posted) -> Response:
        checked_form(who, form.get("csrf"))
        as_of, formats = form.get("as_of", ""), form.get("formats", "docx")
        try:
            parse_month(as_of)
        except ValueError as e:
            raise HTTPException(status_code=422, detail=str(e)) from None
        if formats not in ("docx", "pdf", "html", "docx,pdf,html"):
            raise HTTPException(status_code=422, detail=f"no such choice of formats: {formats}")
        job = papers.start(as_of, formats, who.account.name)
        return RedirectResponse(str(request.url_for("papers_page").include_query_params(job=job.id)), status_code=303)

    @app.get("/paper/{job_id}/{fmt}", name="paper_file")
    def paper_file(job_id: str, fmt: str, who: Signed) -> Response:
        job = papers.get(job_id)
        if job is None or job.files is None or fmt not in job.files or not Path(job.files[fmt]).is_file():
            raise HTTPException(status_code=404, detail="no such paper: make it again")
        path = Path(job.files[fmt])
        return FileResponse(path, filename=path.name)

    @app.get("/status", response_class=HTMLResponse, name="data_status")
    def data_status(request: Request, who: Signed) -> HTMLResponse:
        found = None
        if settings.store is not None and settings.store.exists():
            with Warehouse.open(settings.store, read_only=True) as warehouse:  # a fresh reader per request
                found = read_status(warehouse)
        shown = f"{as_of():%Y-%m}"
        return page(request, "status.html", who, store_status=found, store=settings.store, shown=shown)

    @app.get("/audit", response_class=HTMLResponse, name="audit_log")
    def audit_log(request: Request, who: Signed) -> HTMLResponse:
        if not may_read_audit(who.account.role):
            raise HTTPException(status_code=403, detail="the audit log is for analysts and admins")
        return page(request, "audit.html", who, entries=store.audit(limit=500))

    # --- the JSON API -----------------------------------------------------------------------

    @app.get("/api/strands", response_model=list[StrandOut])
    def api_strands(who: Signed) -> list[StrandOut]:
        return [
            StrandOut(id=s.id, title=s.title, theme=theme.name, lead=_lead(s))
            for theme in strategy.themes
            for s in theme.strands
        ]

    @app.get("/api/strands/{strand_id}/figures", response_model=list[FigureOut])
    def api_figures(strand_id: str, who: Signed) -> list[FigureOut]:
        strand_or_404(strand_id)
        return [
            FigureOut(
                title=r["title"],
                current_label=r["current_label"],
                current=r["current"],
                previous_label=r["previous_label"],
                previous=r["previous"],
                change=r["change"],
                verdict=r["sentence"],
            )
            for r in evidence.release(as_of()).figure_rows(strand_id)
        ]

    @app.get("/api/strands/{strand_id}/status", response_model=StatusOut)
    def api_status(strand_id: str, who: Signed) -> StatusOut:
        strand_or_404(strand_id)
        risk = risks(evidence.release(as_of()), [strand_id])[strand_id]
        note = next((t.text for t in store.narrative(strand_id, half_year()) if t.part == STATUS_NOTE), "")
        return StatusOut(strand=strand_id, at_risk=risk.at_risk, reasons=list(risk.reasons), note=note)

    @app.get("/api/strands/{strand_id}/actions", response_model=list[ActionOut])
    def api_actions(strand_id: str, who: Signed) -> list[ActionOut]:
        strand_or_404(strand_id)
        return [_action_out(a) for a in store.actions(strand=strand_id)]

    return app


def current_visitor(request: Request) -> Visitor | None:
    """The signed-in account of ``request`` (a live session's cookie), else None."""
    store: AppStore = request.app.state.store
    token = request.cookies.get(SESSION_COOKIE)
    found = store.session(token, now=datetime.now(UTC)) if token else None
    return Visitor(*found) if found else None


async def signed_in(request: Request) -> Visitor:
    """The signed-in account, or 401 (a page answers it with the sign-in form). Run on the event
    loop, not in a thread: it is one indexed read, and a thread hop on every request cost more."""
    found = current_visitor(request)
    if found is None:
        raise HTTPException(status_code=401, detail="sign in first")
    return found


Signed = Annotated[Visitor, Depends(signed_in)]


async def form_of(request: Request) -> dict[str, str]:
    """A posted form's fields (read on the event loop; the handler that gets them runs in a thread,
    so its store writes and page rendering never hold up the other requests)."""
    return {k: str(v) for k, v in (await request.form()).items()}


Posted = Annotated[dict[str, str], Depends(form_of)]


def _action_of(store: AppStore, strand_id: str, action_id: int) -> Action:
    try:
        action = store.action(action_id)
    except InputError:
        raise HTTPException(status_code=404, detail=f"no action {action_id}") from None
    if action.strand != strand_id:
        raise HTTPException(status_code=404, detail=f"action {action_id} is not {strand_id}'s")
    return action


def _blocks(markdown: str) -> list[dict[str, Any]]:
    """A narrative part's Markdown as the paper reads it: paragraphs and bullet lists."""
    out: list[dict[str, Any]] = []
    for block in markdown_blocks(markdown) if markdown.strip() else []:
        if isinstance(block, BulletList):
            out.append({"bullets": list(block.items)})
        elif isinstance(block, Paragraph):
            out.append({"text": block.text})
    return out


def _shown(action: ActionDraft) -> list[tuple[str, str]]:
    return [
        ("Title", action.title),
        ("Status", action.status.value),
        ("Owner", action.owner),
        ("Half-year", action.half_year),
        ("Due", str(action.due or "")),
        ("Description", action.description),
        ("Notes", action.notes),
    ]


def _cookie(response: Response, name: str, value: str, settings: Settings, max_age: int | None = None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="strict", secure=settings.secure_cookies, path="/"
    )
