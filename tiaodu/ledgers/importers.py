"""Importing ledgers through the services: the key-project list of a year, and a month's reports.

Each import reads the file (``reading``), turns every cell into a typed value, then applies each
row through the same services the forms and the API call (``project_create``, ``project_update``,
``key_list_add_project``, ``report_save_and_submit``, ``opening_balance_set`` …) inside one
transaction, each row in its own savepoint, so every row is validated exactly as a form would be
and every problem is collected. The transaction is rolled back when any row failed or when only a
preview (``dry_run``) was asked for: nothing is written until the whole file is valid.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.periods import format_period, previous_period
from tiaodu.core.queries import id_list
from tiaodu.core.scoping import CHANGE, VIEW, is_unrestricted, user_can, user_grants
from tiaodu.core.validators import validate_project_code, validate_uscc
from tiaodu.figures.rollup import rollup_cancel, rollup_deferred
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Organisation
from tiaodu.orgs.services import organisation_create
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Stage
from tiaodu.projects.models import KeyList, KeyListEntry, Project, StageTransition
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region
from tiaodu.reports import services as report_services
from tiaodu.reports.choices import Milestone, ReportStatus
from tiaodu.reports.models import MonthlyReport, OpeningBalance

from . import values as v
from .bulk import (
    Builder,
    FieldCheck,
    attach,
    gc_paused,
    history_rows,
    insert_rows,
    insert_values,
    instance_maker,
    update_rows,
)
from .columns import (
    CHOICE_MAPS,
    CHOICE_OPTIONS,
    IMPORT_STAGES,
    MILESTONE_CHOICES,
    PROBLEM_COLUMNS,
    PROJECT_COLUMNS,
    REPORT_COLUMNS,
)
from .reading import Ledger, LedgerError, LedgerRow, Problem, Problems, read_ledger

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
BATCH = 1000  # rows per INSERT/UPDATE of the bulk path
REPORT_WRITTEN_FIELDS = [
    "investment_month",
    "progress_text",
    "progress_pct",
    "milestones",
    "problems_text",
    "ytd",
    "since_start",
    "status",
    "submitted_at",
    "submitted_by",
    "updated_at",
]
ACTION_LABELS = {CREATE: _("新增"), UPDATE: _("更新"), UNCHANGED: _("不变")}
PROJECTS, REPORTS = "projects", "reports"


@dataclass
class RowOutcome:
    """What importing one row does: create, update or leave unchanged, and which fields change."""

    number: int
    action: str
    name: str
    region: str = ""
    changes: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportResult:
    kind: str
    problems: Problems
    outcomes: list[RowOutcome] = field(default_factory=list)
    ledger: Ledger | None = None
    written: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in (CREATE, UPDATE, UNCHANGED)}


class _RowFailed(Exception):
    """Raised inside a row's savepoint to roll the row back after its problems were recorded."""


class Importer:
    """What both imports share: reading, cell problems, region names, the all-or-nothing transaction."""

    kind = ""
    columns: list = []
    # Column key → {label or alias: code} of its "choice" cells, and the labels an error names.
    choice_maps: dict = CHOICE_MAPS
    choice_options: dict = CHOICE_OPTIONS

    def __init__(self, *, actor, region: Region, dry_run: bool = False, progress: Callable | None = None):
        self.actor = actor
        self.region = region
        self.dry_run = dry_run
        self.progress = progress
        self.problems = Problems()
        self.result = ImportResult(kind=self.kind, problems=self.problems)
        self._regions: dict[str, Region | None] | None = None
        self._typed: dict = {}

    # ---- problems

    def cell_problem(self, row: LedgerRow, key: str, message, value=None) -> None:
        mapped = self.ledger.columns.get(key)
        if value is None:
            value = row.values.get(key)
        if mapped is None:
            self.problems.add(Problem(message=message, row=row.number))
            return
        self.problems.add(
            Problem(
                message=message,
                row=row.number,
                column=mapped.header,
                value=v.to_text(value),
                column_index=mapped.index,
            )
        )

    def validation_problems(self, row: LedgerRow, error: ValidationError, field_columns: dict[str, str]) -> None:
        """A service's ``ValidationError`` as problems on the row's cells (or the row, for other fields)."""
        if hasattr(error, "error_dict"):
            for field_name, errors in error.message_dict.items():
                key = field_columns.get(field_name, field_name)
                for message in errors:
                    if key in self.ledger.columns:
                        self.cell_problem(row, key, message)
                    else:
                        self.problems.add(Problem(message=message, row=row.number))
        else:
            for message in error.messages:
                self.problems.add(Problem(message=message, row=row.number))

    # ---- reading cells

    def read(self, row: LedgerRow, key: str):
        """The typed value of a cell, or ``None`` with a problem recorded.

        A value read once in a column is remembered: a ledger repeats its counties, sectors, dates
        and amounts on thousands of rows. A cell that cannot be read is not, so each is reported.
        """
        raw = row.values.get(key)
        mapped = self.ledger.columns.get(key)
        if mapped is None:
            return None
        memo = (key, type(raw), raw)
        try:
            return self._typed[memo]
        except KeyError:
            pass
        except TypeError:  # pragma: no cover - cells are plain values
            memo = None
        try:
            kind = mapped.spec.kind
            if kind == "money":
                value = v.to_money(raw, mapped.factor)
            elif kind == "date":
                value = v.to_date(raw)
            elif kind == "percent":
                value = v.to_percent(raw)
            elif kind == "choice":
                value = v.to_choice(raw, self.choice_maps[key], self.choice_options[key])
            else:
                if isinstance(raw, str) and "\x00" in raw:  # which no text column of the database can hold
                    raise v.CellError(_("含有不可见的空字符（NUL），请删除后重新导入"))
                value = None if v.is_blank(raw) else v.to_text(raw)
        except v.CellError as error:
            self.cell_problem(row, key, error.message)
            raise
        if memo is not None:
            self._typed[memo] = value
        return value

    def read_all(self, row: LedgerRow) -> tuple[dict, bool]:
        """Every mapped cell of the row as typed values (those that could be read), and whether any failed."""
        data, failed = {}, False
        for key in self.ledger.columns:
            try:
                data[key] = self.read(row, key)
            except v.CellError:
                failed = True
        return data, failed

    # ---- regions

    def region_index(self) -> dict[str, Region | None]:
        """Names under the import region → region; ``None`` marks a name two regions share."""
        if self._regions is None:
            index: dict[str, Region | None] = {}
            regions = list(Region.objects.filter(path__startswith=self.region.path, is_active=True))
            for region in regions:
                keys = {region.code, region.name, region.short_name}
                stem = re.sub(r"(自治县|县级市|新区|县|区|市|旗)$", "", region.name)
                if len(stem) >= 2:
                    keys.add(stem)
                for key in filter(None, keys):
                    if key in index and index[key] != region:
                        index[key] = None
                    else:
                        index[key] = region
            self._regions = index
        return self._regions

    def resolve_region(self, row: LedgerRow, text: str | None) -> Region | None:
        if not text:
            if self.region.level in (RegionLevel.COUNTY, RegionLevel.ZONE):
                return self.region
            self.cell_problem(row, "region", _("请填写所在县区（{region}下的县区或开发区）").format(region=self.region))
            return None
        name = re.sub(r"\s+", "", v.normalise(text))
        if name.startswith(self.region.name) and name != self.region.name:
            name = name[len(self.region.name) :]
        index = self.region_index()
        if name in index:
            region = index[name]
            if region is None:
                self.cell_problem(
                    row, "region", _("{region}下有多个同名区划，请填写区划代码").format(region=self.region)
                )
            return region
        self.cell_problem(row, "region", _("{region}下没有这个县区或开发区").format(region=self.region))
        return None

    @staticmethod
    def nearest(candidates: list, region: Region, path_of: Callable):
        """The candidate of the nearest region at or above ``region`` (else the one below it, else none)."""
        above = [c for c in candidates if region.path.startswith(path_of(c))]
        if above:
            return max(above, key=lambda c: len(path_of(c)))
        below = [c for c in candidates if path_of(c).startswith(region.path)]
        return below[0] if len(below) == 1 else None

    # ---- enterprises

    def enterprise(
        self, row: LedgerRow, data: dict, *, name_key: str, region: Region, note, code_key: str = "credit_code"
    ) -> tuple[bool, Organisation | None]:
        """(ok, the enterprise a row names): by its credit code, else by name among the enterprises the
        user sees (the one nearest ``region``), else registered under ``region``, with ``note`` (a
        message with ``{row}`` and ``{name}``) among the preview's notes. ``(True, None)`` when it names none."""
        name = (data.get(name_key) or "").strip()
        code = (data.get(code_key) or "").strip().upper() or None
        if code:
            try:
                validate_uscc(code)
            except ValidationError as error:
                self.cell_problem(row, code_key, error.messages[0])
                return False, None
            found = Organisation.objects.filter(credit_code=code).first()
            if found is not None:
                if not user_can(self.actor, VIEW, found):
                    self.cell_problem(row, code_key, _("该代码对应的单位不在您的权限范围内"))
                    return False, None
                return True, found
        if not name:
            return True, None
        candidates = list(
            Organisation.objects.restrict(self.actor, VIEW)
            .filter(name=name, kind=OrganisationKind.ENTERPRISE)
            .select_related("region")
        )
        if candidates:
            above = [o for o in candidates if region.path.startswith(o.region.path)]
            return True, max(above, key=lambda o: len(o.region.path)) if above else candidates[0]
        try:
            organisation = organisation_create(
                actor=self.actor, name=name, kind=OrganisationKind.ENTERPRISE, region=region, credit_code=code
            )
        except ValidationError as error:
            self.validation_problems(row, error, {"name": name_key, "credit_code": code_key, "region": "region"})
            return False, None
        self.result.notes.append(str(note.format(row=row.number, name=name)))
        return True, organisation

    # ---- running

    def run(self, content: bytes, filename: str) -> ImportResult:
        # A 50,000-row file keeps hundreds of thousands of objects alive until it is written: the
        # cyclic garbage collector would walk them over and over (a third of the time) to find none.
        with gc_paused():
            return self._run(content, filename)

    def _run(self, content: bytes, filename: str) -> ImportResult:
        try:
            self.ledger = read_ledger(content, filename, self.columns)
        except LedgerError as error:
            self.problems.add(Problem(message=error.message))
            return self.result
        self.result.ledger = self.ledger
        if not self.ledger.rows:
            self.problems.add(Problem(message=_("表头下面没有数据行。")))
            return self.result
        with transaction.atomic():
            # The figure rows are refreshed once per project at the end, not after every row's services.
            with rollup_deferred():
                self.apply_all()
                if self.problems or self.dry_run:
                    rollup_cancel()  # rolled back below: nothing to refresh
            if self.problems or self.dry_run:
                transaction.set_rollback(True)
            else:
                self.result.written = True
        # A row rolled back after creating a list or an owner lets the next row create it again.
        self.result.notes = list(dict.fromkeys(self.result.notes))
        return self.result

    def apply_all(self) -> None:
        rows = self.ledger.rows
        prepared = []
        for row in rows:
            data, failed = self.read_all(row)
            if failed:
                # The row will not be applied; still say what else is wrong with it, all at once.
                self.precheck(row, data)
            else:
                prepared.append((row, data))
        prepared = self.check_file(prepared)
        bulk_total = len(prepared)
        # The set-based path: rows it can validate from what it prefetched are checked and written in
        # bulk; the rest (an unusual case, or a row that will fail) go through the services one by one.
        prepared = self.apply_bulk(prepared)
        if self.progress and bulk_total:
            self.progress(bulk_total - len(prepared), bulk_total)
        total = len(prepared)
        for done, (row, data) in enumerate(prepared, start=1):
            try:
                with transaction.atomic():
                    outcome = self.apply_row(row, data)
                    if outcome is None:
                        raise _RowFailed
            except _RowFailed:
                pass
            except DatabaseError as error:  # a constraint the validation did not foresee: the row, not a 500
                self.problems.add(Problem(message=_("数据库拒绝保存该行：{error}").format(error=error), row=row.number))
            else:
                self.result.outcomes.append(outcome)
            if self.progress:
                self.progress(bulk_total - total + done, bulk_total)
        self.result.outcomes.sort(key=lambda outcome: outcome.number)

    def apply_bulk(self, prepared: list) -> list:
        """Validate and write in bulk the rows that can be; return those left to ``apply_row``.

        A kind without a bulk path leaves every row to ``apply_row``. One with it must give each row
        exactly the outcome and the problems the services would: a row it cannot be sure of is
        returned untouched (no problem recorded) for the services to decide.
        """
        return prepared

    def check_file(self, prepared: list) -> list:
        return prepared

    def precheck(self, row: LedgerRow, data: dict) -> None:
        """The checks that need no write, for a row with an unreadable cell."""

    def apply_row(self, row: LedgerRow, data: dict) -> RowOutcome | None:
        raise NotImplementedError


def default_region(user) -> Region | None:
    """The user's own region when it is one (a county clerk's county); ``None`` when ambiguous."""
    regions = {grant.region_id: grant.region for grant in user_grants(user) if grant.role == "admin"}
    if len(regions) == 1:
        return next(iter(regions.values()))
    if not regions:
        regions = {grant.region_id: grant.region for grant in user_grants(user)}
        if len(regions) == 1:
            return next(iter(regions.values()))
    return None


def _fmt_money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


# ---- the key-project list of a year ----------------------------------------------------------

PROJECT_FIELDS = (
    "code",
    "name",
    "address",
    "sector",
    "total_investment",
    "construction_content",
    "planned_start_date",
    "planned_completion_date",
)
# Model field → the ledger column its errors belong to.
PROJECT_FIELD_COLUMNS = {"owner": "owner", "project": "name", "key_list": "name", "annual_plan": "annual_plan"}


# The bulk paths' new instances, built as ``Model(**values)`` builds them (see ``bulk.Builder``).
_NEW = {
    "org": Builder(Organisation),
    "project": Builder(Project),
    "entry": Builder(KeyListEntry),
    "transition": Builder(StageTransition),
    "opening": Builder(OpeningBalance),
    "report": Builder(MonthlyReport),
}


def _fields_but(model, *excluded: str) -> list[str]:
    """The fields ``full_clean(exclude=excluded)`` checks."""
    return [f.name for f in model._meta.fields if f.name not in excluded]


# The fields the bulk path's ``full_clean`` validates (the ones an import sets; the relations and
# uniqueness are checked against what was prefetched; the others keep values already validated).
_PROJECT_UNCHECKED = [
    f.name
    for f in Project._meta.fields
    if f.name not in {*PROJECT_FIELDS, "actual_start_date", "stage", "stage_since", "nature"}
]


class ProjectListImporter(Importer):
    """重点项目名单导入: projects, their place on the year's list at ``level``, and the annual plan."""

    kind = PROJECTS
    columns = PROJECT_COLUMNS

    def __init__(self, *, year: int, level: str, **kwargs):
        super().__init__(**kwargs)
        self.year = year
        self.level = level

    def check_file(self, prepared):
        """A project twice in the file (same code, or same name in the same county) is an error on the later row."""
        seen_codes: dict[str, int] = {}
        seen_names: dict[tuple, int] = {}
        kept = []
        for row, data in prepared:
            duplicate = None
            code = (data.get("code") or "").strip().upper() or None
            data["code"] = code
            if code:
                if code in seen_codes:
                    duplicate = ("code", seen_codes[code])
                seen_codes.setdefault(code, row.number)
            name_key = (v.normalise(data.get("region") or ""), (data.get("name") or "").strip())
            if name_key in seen_names and duplicate is None:
                duplicate = ("name", seen_names[name_key])
            seen_names.setdefault(name_key, row.number)
            if duplicate:
                key, first = duplicate
                self.cell_problem(row, key, _("与第{row}行是同一个项目，文件中重复").format(row=first))
                continue
            kept.append((row, data))
        return kept

    def precheck(self, row, data):
        if "region" in data or "region" not in self.ledger.columns:
            self.scoped_region(row, data)

    def scoped_region(self, row, data) -> Region | None:
        """The row's county, which must be one the actor may register projects in."""
        region = self.resolve_region(row, data.get("region"))
        if region is None:
            return None
        if not user_can(self.actor, CHANGE, Project(region=region)):
            self.cell_problem(row, "region", _("该县区不在您的权限范围内"), value=data.get("region") or region.name)
            return None
        return region

    def list_region(self, region: Region) -> Region | None:
        if self.level == KeyLevel.COUNTY:
            return region if region.level in (RegionLevel.COUNTY, RegionLevel.ZONE) else None
        if region.level == RegionLevel.CITY:
            return region
        if region.level in (RegionLevel.COUNTY, RegionLevel.ZONE):
            return region.parent
        return None

    def key_list(self, row: LedgerRow, region: Region) -> KeyList | None:
        list_region = self.list_region(region)
        if list_region is None:
            self.cell_problem(row, "region", _("县级名单只能列入县区或开发区的项目"))
            return None
        key_list = KeyList.objects.filter(region=list_region, year=self.year, level=self.level).first()
        if key_list is None:
            try:
                key_list = project_services.key_list_create(
                    actor=self.actor, region=list_region, year=self.year, level=self.level
                )
            except ValidationError as error:
                self.validation_problems(row, error, {"region": "region"})
                return None
            self.result.notes.append(str(_("将新建名单：{name}").format(name=key_list)))
        return key_list

    def owner(self, row: LedgerRow, data: dict, region: Region) -> Organisation | None:
        name = data.get("owner")
        credit_code = (data.get("credit_code") or "").strip().upper() or None
        if credit_code:
            try:
                validate_uscc(credit_code)
            except ValidationError as error:
                self.cell_problem(row, "credit_code", error.messages[0])
                return None
            found = Organisation.objects.filter(credit_code=credit_code).first()
            if found is not None:
                if not user_can(self.actor, VIEW, found):
                    self.cell_problem(row, "credit_code", _("该代码对应的单位不在您的权限范围内"))
                    return None
                return found
        visible = Organisation.objects.restrict(self.actor, VIEW).filter(name=name)
        candidates = list(visible.select_related("region"))
        if candidates:
            # The owner registered in the project's county, else the nearest region above it.
            by_region = {o.region.path: o for o in candidates}
            for path in sorted(by_region, key=len, reverse=True):
                if region.path.startswith(path):
                    return by_region[path]
            return candidates[0]
        try:
            organisation = organisation_create(
                actor=self.actor, name=name, kind=OrganisationKind.ENTERPRISE, region=region, credit_code=credit_code
            )
        except ValidationError as error:
            self.validation_problems(row, error, {"name": "owner", "credit_code": "credit_code", "region": "region"})
            return None
        self.result.notes.append(str(_("第{row}行：将新登记项目单位“{name}”").format(row=row.number, name=name)))
        return organisation

    def match(self, row: LedgerRow, data: dict, region: Region) -> tuple[bool, Project | None]:
        """The existing project: by national code, else by name in the county. ``(ok, project)``."""
        code = data.get("code")
        if code:
            try:
                validate_project_code(code)
            except ValidationError as error:
                self.cell_problem(row, "code", error.messages[0])
                return False, None
            project = Project.objects.select_related("region").filter(code=code).first()
            if project is not None:
                if not user_can(self.actor, CHANGE, project):
                    self.cell_problem(row, "code", _("该项目代码已登记为其他项目，且不在您的权限范围内"))
                    return False, None
                return True, project
        same_name = list(Project.objects.select_related("region").filter(region=region, name=data["name"])[:2])
        if len(same_name) > 1:
            self.cell_problem(row, "name", _("{region}有多个同名项目，请填写项目代码以区分").format(region=region))
            return False, None
        if same_name:
            project = same_name[0]
            if code and project.code and project.code != code:
                self.cell_problem(
                    row,
                    "code",
                    _("{region}已有同名项目，但其项目代码为{code}").format(region=region, code=project.code),
                )
                return False, None
            return True, project
        return True, None

    # ---- the bulk path

    def _prefetch(self, prepared) -> None:
        """Everything the rows reference, fetched once: projects by code and by name, owners, lists, entries.

        A project is one instance, found by code or by name, with the region and the owner instances
        shared (``bulk.attach``): re-importing a list of 50,000 projects reads each once, not twice
        over with a region and an owner of its own (``select_related``: 750 MB instead of 400 MB).
        """
        codes = sorted({d["code"] for _r, d in prepared if d.get("code")})
        owners = sorted({d["owner"] for _r, d in prepared if d.get("owner")})
        credit_codes = sorted({(d.get("credit_code") or "").strip().upper() for _r, d in prepared} - {""})
        self._orgs_by_credit = {}
        for chunk in _chunks(credit_codes):
            self._orgs_by_credit.update(
                {o.credit_code: o for o in Organisation.objects.select_related("region").filter(credit_code__in=chunk)}
            )
        self._orgs_by_name: dict[str, list] = {}
        self._org_names_taken: set[tuple] = set()
        organisations = {o.pk: o for o in self._orgs_by_credit.values()}
        for chunk in _chunks(owners):
            for o in Organisation.objects.select_related("region").filter(name__in=chunk).order_by("pk"):
                o = organisations.setdefault(o.pk, o)
                self._org_names_taken.add((o.region_id, o.name))
                if user_can(self.actor, VIEW, o):
                    self._orgs_by_name.setdefault(o.name, []).append(o)
        projects = Project.objects.order_by()
        self._by_code = {}
        for chunk in _chunks(codes):
            self._by_code.update({p.code: p for p in projects.filter(code__in=chunk)})
        # By name: only for the rows a code does not find (``_bulk_match`` looks no further for the others).
        names = sorted(
            {(d.get("name") or "").strip() for _r, d in prepared if not d.get("code") or d["code"] not in self._by_code}
            - {""}
        )
        found = {p.pk: p for p in self._by_code.values()}
        self._by_name: dict[tuple, list] = {}
        for chunk in _chunks(names):
            for p in projects.filter(name__in=chunk).order_by("pk"):
                p = found.setdefault(p.pk, p)
                self._by_name.setdefault((p.region_id, p.name), []).append(p)
        attach(found.values(), "region", Region.objects)
        attach(found.values(), "owner", Organisation.objects.select_related("region"), known=organisations)
        self._key_lists: dict[int, KeyList] = {
            kl.region_id: kl for kl in KeyList.objects.select_related("region").filter(year=self.year, level=self.level)
        }
        self._entries = {}
        known = sorted(found)
        lists = [kl.pk for kl in self._key_lists.values()]
        for chunk in _chunks(known):
            entries = KeyListEntry.objects.filter(key_list__in=lists, project__in=id_list(chunk))
            self._entries.update({(e.key_list_id, e.project_id): e for e in entries})
        self._scoped: dict = {}
        self._new_orgs: list[Organisation] = []
        # ``full_clean`` with the same exclusions as the services, each distinct value checked once.
        self._check_org = FieldCheck(Organisation, _fields_but(Organisation, "region", "successor"))
        self._check_project = FieldCheck(Project, _fields_but(Project, *_PROJECT_UNCHECKED))
        self._check_entry = FieldCheck(KeyListEntry, _fields_but(KeyListEntry, "key_list", "project"))

    def _bulk_match(self, data, region) -> Project | bool | None:
        """``match`` from the prefetched projects: the project, ``None`` (new) or ``False`` (ask the services)."""
        code = data.get("code")
        if code:
            try:
                validate_project_code(code)
            except ValidationError:
                return False
            project = self._by_code.get(code)
            if project is not None:
                return project if user_can(self.actor, CHANGE, project) else False
        same_name = self._by_name.get((region.pk, data["name"]), [])
        if len(same_name) > 1:
            return False
        if same_name:
            project = same_name[0]
            if code and project.code and project.code != code:
                return False
            return project
        return None

    def _bulk_owner(self, row, data, region) -> Organisation | None:
        """``owner`` from the prefetched units; a new unit is built (saved later, once); ``None``: ask the services."""
        name = data.get("owner")
        credit_code = (data.get("credit_code") or "").strip().upper() or None
        if credit_code:
            try:
                validate_uscc(credit_code)
            except ValidationError:
                return None
            found = self._orgs_by_credit.get(credit_code)
            if found is not None:
                return found if user_can(self.actor, VIEW, found) else None
        candidates = self._orgs_by_name.get(name)
        if candidates:
            by_region = {o.region.path: o for o in candidates}
            for path in sorted(by_region, key=len, reverse=True):
                if region.path.startswith(path):
                    return by_region[path]
            return candidates[0]
        if (region.pk, name) in self._org_names_taken:
            return None  # a unit of that name the user cannot see: the services explain
        organisation = _NEW["org"](name=name, kind=OrganisationKind.ENTERPRISE, region=region, credit_code=credit_code)
        if not user_can(self.actor, CHANGE, organisation):
            return None
        try:
            self._check_org(organisation)
        except ValidationError:
            return None
        self._new_orgs.append(organisation)
        self._org_names_taken.add((region.pk, name))
        if user_can(self.actor, VIEW, organisation):
            self._orgs_by_name.setdefault(name, []).append(organisation)
        if credit_code:
            self._orgs_by_credit[credit_code] = organisation
        self.result.notes.append(str(_("第{row}行：将新登记项目单位“{name}”").format(row=row.number, name=name)))
        return organisation

    def _bulk_key_list(self, region) -> KeyList | None:
        list_region = self.list_region(region)
        if list_region is None:
            return None
        key_list = self._key_lists.get(list_region.pk)
        if key_list is None:
            try:
                key_list = project_services.key_list_create(
                    actor=self.actor, region=list_region, year=self.year, level=self.level
                )
            except ValidationError:
                return None
            self._key_lists[list_region.pk] = key_list
            self.result.notes.append(str(_("将新建名单：{name}").format(name=key_list)))
        return key_list if user_can(self.actor, CHANGE, key_list) else None

    def _bulk_row(self, row, data):
        """One row on the bulk path: what to write; ``None`` when it failed, ``False`` to ask the services."""
        name = (data.get("name") or "").strip()
        if not name:
            return False
        data["name"] = name
        text = data.get("region")
        region = self._scoped.get(text)
        if region is None:
            region = self.scoped_region(row, data)  # records its problem exactly as apply_row does
            if region is None:
                return None
            self._scoped[text] = region
        if any(data.get(key) in (None, "") for key in ("owner", "total_investment", "annual_plan")):
            return False
        project = self._bulk_match(data, region)
        if project is False:
            return False
        if project is not None and project.pk in self._touched:
            return False  # the same project reached through another row's code: the services decide
        owner = self._bulk_owner(row, data, region)
        if owner is None:
            return False
        key_list = self._bulk_key_list(region)
        if key_list is None:
            return False
        if project is None:
            stage = data.get("stage") or (Stage.CONSTRUCTION if data.get("actual_start_date") else Stage.PLANNING)
            if not data.get("sector") or not data.get("nature") or stage not in IMPORT_STAGES:
                return False
            fields = {key: data[key] for key in PROJECT_FIELDS if data.get(key) not in (None, "")}
            if data.get("actual_start_date"):
                fields["actual_start_date"] = data["actual_start_date"]
            project = _NEW["project"](
                **fields, stage=stage, region=region, owner=owner, nature=data["nature"], created_by=self.actor
            )
            project.stage_since = project.actual_start_date if stage == Stage.CONSTRUCTION else None
            action, changes, changed = CREATE, [], []
            if not user_can(self.actor, CHANGE, project):
                return False
        else:
            start = data.get("actual_start_date")
            if start and project.actual_start_date != start:
                return False  # a stage move: through project_change_stage
            changed = [
                key for key in PROJECT_FIELDS if data.get(key) not in (None, "") and getattr(project, key) != data[key]
            ]
            if owner is not project.owner and (owner.pk is None or owner.pk != project.owner_id):
                changed.append("owner")
            for key in changed:
                setattr(project, key, owner if key == "owner" else data[key])
            changes = [str(Project._meta.get_field(key).verbose_name) for key in changed]
            action = UPDATE if changed else UNCHANGED
        if action != UNCHANGED:
            if not user_can(self.actor, VIEW, owner) or project.total_investment < 0:
                return False
            try:
                self._check_project(project)
            except ValidationError:
                return False
        entry = self._entries.get((key_list.pk, project.pk)) if project.pk else None
        values = {"annual_plan": data["annual_plan"]}
        if data.get("nature"):
            values["nature"] = data["nature"]
        if data.get("note"):
            values["note"] = data["note"]
        if entry is None:
            if not project.region.path.startswith(key_list.region.path) or project.stage == Stage.WITHDRAWN:
                return False
            entry = _NEW["entry"](
                key_list=key_list,
                project=project,
                annual_plan=values["annual_plan"],
                nature=values.get("nature") or project.nature,
                note=values.get("note", ""),
            )
            label = self._scoped.get(("listed", key_list.pk))
            if label is None:
                label = self._scoped[("listed", key_list.pk)] = str(_("列入{name}").format(name=key_list))
            entry_changes, entry_changed = [label], None
        else:
            entry_changed = [k for k, val in values.items() if getattr(entry, k) != val]
            for key in entry_changed:
                setattr(entry, key, values[key])
            entry_changes = [str(KeyListEntry._meta.get_field(k).verbose_name) for k in entry_changed]
        if entry.pk is None or entry_changed:
            if entry.annual_plan < 0:
                return False
            try:
                self._check_entry(entry)
            except ValidationError:
                return False
        if action == UNCHANGED and entry_changes:
            action = UPDATE
        if project.pk:
            self._touched.add(project.pk)
        outcome = RowOutcome(
            number=row.number, action=action, name=name, region=region.name, changes=changes + entry_changes
        )
        return outcome, project, changed, entry, entry_changed

    def apply_bulk(self, prepared):
        self._prefetch(prepared)
        self._touched: set[int] = set()
        slow, staged = [], []
        for row, data in prepared:
            done = self._bulk_row(row, data)
            if done is False:
                slow.append((row, data))
            elif done is not None:
                staged.append(done)
        self.result.outcomes.extend(outcome for outcome, *_rest in staged)
        if self.problems:
            return slow
        reason = str(_("台账导入"))
        if self._new_orgs:
            insert_rows(Organisation, self._new_orgs, history={"history_type": "+", "user": self.actor})
        created = [project for outcome, project, *_rest in staged if project.pk is None]
        created_ids = {id(project) for project in created}
        if created:
            insert_rows(Project, created, history={"history_type": "+", "user": self.actor, "reason": reason})
            today = local_today()
            transitions = [
                _NEW["transition"](
                    project=project,
                    actor=self.actor,
                    from_state="",
                    to_state=project.stage,
                    effective_date=project.stage_since or today,
                    comment=reason,
                )
                for project in created
            ]
            insert_rows(StageTransition, transitions)
        updated = [
            (project, changed)
            for outcome, project, changed, *_rest in staged
            if changed and id(project) not in created_ids
        ]
        if updated:
            projects = [p for p, _c in updated]
            update_rows(Project, projects, {key for _p, changed in updated for key in changed})
            history_rows(Project, projects, history_type="~", user=self.actor, reason=reason)
        new_entries = [entry for *_rest, entry, entry_changed in staged if entry.pk is None]
        if new_entries:
            insert_rows(KeyListEntry, new_entries, history={"history_type": "+", "user": self.actor})
        changed_entries = [(entry, entry_changed) for *_rest, entry, entry_changed in staged if entry_changed]
        if changed_entries:
            entries = [e for e, _c in changed_entries]
            update_rows(KeyListEntry, entries, {key for _e, changed in changed_entries for key in changed})
            history_rows(KeyListEntry, entries, history_type="~", user=self.actor, reason=reason)
        if updated:
            refresh_figures([p.pk for p, _c in updated])
        listed = {e.project_id for e in new_entries} | {e.project_id for e, _c in changed_entries}
        if listed:
            refresh_figures(listed, year=self.year)
        return slow

    def apply_row(self, row: LedgerRow, data: dict) -> RowOutcome | None:
        name = (data.get("name") or "").strip()
        if not name:
            self.cell_problem(row, "name", _("项目名称不能为空"))
            return None
        data["name"] = name
        region = self.scoped_region(row, data)
        if region is None:
            return None
        for key in ("owner", "total_investment", "annual_plan"):
            if data.get(key) in (None, ""):
                self.cell_problem(row, key, _("不能为空"))
                return None
        ok, project = self.match(row, data, region)
        if not ok:
            return None
        owner = self.owner(row, data, region)
        if owner is None:
            return None
        key_list = self.key_list(row, region)
        if key_list is None:
            return None
        try:
            if project is None:
                project = self._create(row, data, region, owner)
                changes: list[str] = []
                action = CREATE
            else:
                changes = self._update(data, project, owner)
                action = UPDATE if changes else UNCHANGED
            entry_changes = self._entry(data, key_list, project)
        except ValidationError as error:
            self.validation_problems(row, error, PROJECT_FIELD_COLUMNS)
            return None
        if action == UNCHANGED and entry_changes:
            action = UPDATE
        return RowOutcome(
            number=row.number, action=action, name=name, region=region.name, changes=changes + entry_changes
        )

    def _create(self, row, data, region, owner):
        missing = [key for key in ("sector", "nature") if not data.get(key)]
        for key in missing:
            label = self.ledger.column_label(key) or str(dict((c.key, c.label) for c in PROJECT_COLUMNS)[key])
            self.problems.add(
                Problem(
                    message=_("新增项目须填写「{column}」").format(column=label),
                    row=row.number,
                    column=self.ledger.column_label(key),
                    column_index=self.ledger.columns[key].index if key in self.ledger.columns else None,
                )
            )
        if missing:
            raise _RowFailed
        stage = data.get("stage") or (Stage.CONSTRUCTION if data.get("actual_start_date") else Stage.PLANNING)
        if stage not in IMPORT_STAGES:
            self.cell_problem(
                row,
                "stage",
                _("新增项目只能登记为{stages}阶段；此后的阶段请在项目页面办理").format(
                    stages="、".join(str(Stage(s).label) for s in IMPORT_STAGES)
                ),
            )
            raise _RowFailed
        fields = {key: data[key] for key in PROJECT_FIELDS if data.get(key) not in (None, "")}
        if data.get("actual_start_date"):
            fields["actual_start_date"] = data["actual_start_date"]
        project = project_services.project_create(
            actor=self.actor,
            stage=stage,
            region=region,
            owner=owner,
            nature=data["nature"],
            reason=str(_("台账导入")),
            **fields,
        )
        return project

    def _update(self, data, project: Project, owner) -> list[str]:
        """Fields the file changes; a blank cell leaves the registered value as it is."""
        changes = {}
        for key in PROJECT_FIELDS:
            new = data.get(key)
            if new in (None, ""):
                continue
            if getattr(project, key) != new:
                changes[key] = new
        if owner.pk != project.owner_id:
            changes["owner"] = owner
        labels = [str(Project._meta.get_field(key).verbose_name) for key in changes]
        if changes:
            project_services.project_update(project=project, actor=self.actor, reason=str(_("台账导入")), **changes)
        start = data.get("actual_start_date")
        if start and project.actual_start_date != start:
            if project.stage in (Stage.PLANNING, Stage.PRELIMINARY):
                project_services.project_change_stage(
                    project=project,
                    actor=self.actor,
                    to_stage=Stage.CONSTRUCTION,
                    date=start,
                    reason=str(_("台账导入")),
                )
                project.refresh_from_db()
                labels.append(str(_("阶段")))
            else:
                project_services.project_update(
                    project=project, actor=self.actor, reason=str(_("台账导入")), actual_start_date=start
                )
            labels.append(str(Project._meta.get_field("actual_start_date").verbose_name))
        return labels

    def _entry(self, data, key_list: KeyList, project: Project) -> list[str]:
        entry = KeyListEntry.objects.filter(key_list=key_list, project=project).first()
        values = {"annual_plan": data["annual_plan"]}
        if data.get("nature"):
            values["nature"] = data["nature"]
        if data.get("note"):
            values["note"] = data["note"]
        if entry is None:
            project_services.key_list_add_project(key_list=key_list, project=project, actor=self.actor, **values)
            return [str(_("列入{name}").format(name=key_list))]
        changed = {k: val for k, val in values.items() if getattr(entry, k) != val}
        if changed:
            project_services.key_list_update_entry(entry=entry, actor=self.actor, reason=str(_("台账导入")), **changed)
        return [str(KeyListEntry._meta.get_field(k).verbose_name) for k in changed]


# ---- a month's reports ----------------------------------------------------------------------

REPORT_FIELD_COLUMNS = {
    "investment_month": "investment_month",
    "progress_pct": "progress_pct",
    "progress_text": "progress_text",
    "milestones": "milestones",
    "problems_text": "problems_text",
    "project": "name",
    "period": "name",
    "ytd": "ytd",
    "since_start": "since_start",
}


_REPORT_UNCHECKED = [f.name for f in MonthlyReport._meta.fields if f.name not in report_services.FILLED_FIELDS]
# What the report bulk path reads of a project (its own checks, the scope check, the outcome line).
_REPORT_PROJECT_FIELDS = ("id", "code", "name", "region", "owner", "total_investment", "actual_start_date")


class ReportImporter(Importer):
    """月报导入: many projects' reports of one month, as a county clerk's ledger carries them.

    The month's figure is saved (and submitted, unless ``submit=False``). When the file also
    carries the year to date (1-N月累计) and Tiaodu has no earlier month of the year for the
    project, the year to date becomes an opening balance (期初数) at the previous month; when it
    has them, the file's year to date must equal Tiaodu's, or the row is an error.
    """

    kind = REPORTS
    columns = REPORT_COLUMNS

    def __init__(self, *, period: datetime.date, submit: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.period = period
        self.submit = submit

    def check_file(self, prepared):
        seen: dict[tuple, int] = {}
        kept = []
        for row, data in prepared:
            key = (
                ("code", (data.get("code") or "").strip().upper())
                if data.get("code")
                else (
                    "name",
                    v.normalise(data.get("region") or ""),
                    (data.get("name") or "").strip(),
                )
            )
            if key in seen:
                self.cell_problem(
                    row,
                    "code" if key[0] == "code" else "name",
                    _("与第{row}行是同一个项目，文件中重复").format(row=seen[key]),
                )
                continue
            seen[key] = row.number
            kept.append((row, data))
        return kept

    def precheck(self, row, data):
        if data.get("code") or data.get("name"):
            self.find_project(row, data)

    def find_project(self, row, data) -> Project | None:
        code = (data.get("code") or "").strip().upper()
        visible = Project.objects.restrict(self.actor, VIEW).select_related("region")
        if code:
            project = visible.filter(code=code).first()
            if project is None:
                self.cell_problem(row, "code", _("找不到该项目代码的项目，或不在您的权限范围内"))
            return project
        name = (data.get("name") or "").strip()
        if not name:
            self.cell_problem(row, "name", _("项目名称不能为空"))
            return None
        if data.get("region") or self.region.level not in (RegionLevel.COUNTY, RegionLevel.ZONE):
            region = self.resolve_region(row, data.get("region"))
            if region is None:
                return None
            candidates = list(visible.filter(region=region, name=name)[:2])
        else:
            candidates = list(visible.filter(region__path__startswith=self.region.path, name=name)[:2])
        if len(candidates) > 1:
            self.cell_problem(row, "name", _("有多个同名项目，请填写项目代码以区分"))
            return None
        if not candidates:
            self.cell_problem(row, "name", _("找不到该项目，或不在您的权限范围内：请先导入重点项目名单或登记项目"))
            return None
        return candidates[0]

    def milestones(self, row, text) -> list[str] | None:
        if not text:
            return []
        codes = []
        for part in re.split(r"[、,，;；/\s]+", v.normalise(text)):
            if not part:
                continue
            code = MILESTONE_CHOICES.get(part)
            if code is None:
                labels = "、".join(str(label) for _c, label in Milestone.choices)
                self.cell_problem(row, "milestones", _("节点应为以下之一：{options}").format(options=labels))
                return None
            codes.append(code)
        return codes

    def _history(self, project: Project) -> tuple[bool, bool, Decimal]:
        """(earlier months of this year in Tiaodu, anything before this month, since-start before the year)."""
        year_start = self.period.replace(month=1)
        reports = MonthlyReport.objects.filter(project=project, period__lt=self.period)
        openings = OpeningBalance.objects.filter(project=project, period__lt=self.period)
        in_year = (
            reports.filter(period__gte=year_start).exists()
            or openings.filter(period__gte=year_start).exists()
            or self.period.month == 1
        )
        anything = reports.exists() or openings.exists()
        before = reports.filter(period__lt=year_start).order_by("-period").first()
        opening_before = openings.filter(period__lt=year_start).order_by("-period").first()
        base = Decimal(0)
        if before and (opening_before is None or before.period >= opening_before.period):
            base = before.since_start
        elif opening_before:
            base = opening_before.since_start
        return in_year, anything, base

    # ---- the bulk path

    def _prefetch_projects(self, prepared) -> tuple[dict, dict]:
        """The visible projects the file names: by code, and by (region id, name).

        Only the fields the bulk path reads are loaded, and the projects of a region share one
        region instance (and an owner one owner instance, which the scope check compares).
        """
        visible = Project.objects.restrict(self.actor, VIEW).order_by()
        # Read as values and made into instances with the other fields deferred, as only() makes
        # them, in a tenth of the time (50,000 projects: 0.4 s less).
        attnames = [f.attname for f in Project._meta.concrete_fields if f.name in _REPORT_PROJECT_FIELDS]
        make = instance_maker(Project, attnames, db=visible.db)
        codes = sorted({(d.get("code") or "").strip().upper() for _r, d in prepared if d.get("code")})
        names = sorted({(d.get("name") or "").strip() for _r, d in prepared if not d.get("code") and d.get("name")})
        by_code = {}
        for chunk in _chunks(codes):
            for values in visible.filter(code__in=chunk).values_list(*attnames):
                p = make(values)
                by_code[p.code] = p
        by_name: dict[tuple, list] = {}
        for chunk in _chunks(names):
            found = visible.filter(region__path__startswith=self.region.path, name__in=chunk).order_by("pk")
            for p in map(make, found.values_list(*attnames)):
                by_name.setdefault((p.region_id, p.name), []).append(p)
                by_name.setdefault((None, p.name), []).append(p)
        projects = {p.pk: p for p in by_code.values()}
        projects.update((p.pk, p) for found in by_name.values() for p in found)
        attach(projects.values(), "region", Region.objects)
        attach(projects.values(), "owner", Organisation.objects.only("id"))
        return by_code, by_name

    def _bulk_find(self, row, data, by_code, by_name) -> Project | bool | None:
        """The row's project from the prefetched dicts; ``False`` when the services should decide."""
        code = (data.get("code") or "").strip().upper()
        if code:
            return by_code.get(code, False)
        name = (data.get("name") or "").strip()
        if not name:
            return False
        if data.get("region") or self.region.level not in (RegionLevel.COUNTY, RegionLevel.ZONE):
            region = self.resolve_region(row, data.get("region"))  # records its problem, as find_project would
            if region is None:
                return None
            candidates = by_name.get((region.id, name), [])
        else:
            candidates = by_name.get((None, name), [])
        return candidates[0] if len(candidates) == 1 else False

    def _prefetch_history(self, ids: list[int]) -> dict[int, dict]:
        """Per project: what came before this month (reports and opening balances), and whether anything follows."""
        year_start = self.period.replace(month=1)
        history = {
            pid: {
                "in_year": self.period.month == 1,
                "reports_before": False,
                "anything": False,
                "last_report": None,
                "last_before_year": None,
                "opening": None,
                "opening_before_year": None,
                "later": False,
                "opening_here": False,
            }
            for pid in ids
        }
        previous = previous_period(self.period)
        for chunk in _chunks(ids):
            reports = MonthlyReport.objects.filter(project_id__in=id_list(chunk)).exclude(period=self.period)
            for pid, period, ytd, since in (
                reports.order_by("period")
                .values_list("project_id", "period", "ytd", "since_start")
                .iterator(chunk_size=5000)
            ):
                h = history[pid]
                if period > self.period:
                    h["later"] = True
                    continue
                h["anything"] = h["reports_before"] = True
                h["last_report"] = (period, ytd, since)
                if period >= year_start:
                    h["in_year"] = True
                else:
                    h["last_before_year"] = (period, since)
            openings = OpeningBalance.objects.filter(project_id__in=id_list(chunk))
            for pid, period, ytd, since in (
                openings.order_by("period")
                .values_list("project_id", "period", "ytd", "since_start")
                .iterator(chunk_size=5000)
            ):
                h = history[pid]
                if period >= self.period:
                    h["later"] = True
                    continue
                h["anything"] = True
                h["opening"] = (period, ytd, since)
                h["opening_here"] = h["opening_here"] or period == previous
                if period >= year_start:
                    h["in_year"] = True
                else:
                    h["opening_before_year"] = (period, since)
        return history

    @staticmethod
    def _base(h) -> Decimal:
        """What ``_history`` calls the since-start before the year."""
        before, opening_before = h["last_before_year"], h["opening_before_year"]
        if before and (opening_before is None or before[0] >= opening_before[0]):
            return before[1]
        if opening_before:
            return opening_before[1]
        return Decimal(0)

    def _totals(self, h, month: Decimal, opened) -> tuple[Decimal, Decimal]:
        """(ytd, since_start) of this month, as ``recompute_totals`` makes them from what came before."""
        opening = (opened[0], opened[1], opened[2]) if opened else h["opening"]
        report = h["last_report"]
        if report and (opening is None or report[0] > opening[0]):
            period, ytd, since = report
            return (ytd if period.year == self.period.year else Decimal(0)) + month, since + month
        if opening:
            period, ytd, since = opening
            return (ytd if period.year == self.period.year else Decimal(0)) + month, since + month
        return month, month

    def apply_bulk(self, prepared):
        from tiaodu.reports.choices import ReportEventKind
        from tiaodu.reports.models import MonthLock, ReportEvent

        if self.period > local_today().replace(day=1):
            return prepared  # a future month: the services refuse every row, with their message
        by_code, by_name = self._prefetch_projects(prepared)
        found = []
        slow = []
        for row, data in prepared:
            project = self._bulk_find(row, data, by_code, by_name)
            if project is False:
                slow.append((row, data))
            elif project is not None:
                found.append((row, data, project))
        ids = sorted({p.pk for _r, _d, p in found})
        history = self._prefetch_history(ids)
        existing = {}
        for chunk in _chunks(ids):
            reports = MonthlyReport.objects.filter(project_id__in=id_list(chunk), period=self.period)
            existing.update({r.project_id: r for r in reports})
        locked_codes = set(MonthLock.objects.filter(period=self.period).values_list("region__code", flat=True))
        previous = previous_period(self.period)
        now = timezone.now()
        check_report = FieldCheck(MonthlyReport, report_services.FILLED_FIELDS)
        check_balance = FieldCheck(OpeningBalance, _fields_but(OpeningBalance, "project"))
        opening_label = str(_("期初数"))
        openings, creates, updates, events, outcomes, refresh, refresh_opened = [], [], [], [], [], set(), set()
        for row, data, project in found:
            milestones = self.milestones(row, data.get("milestones"))
            if milestones is None:
                continue
            h = history[project.pk]
            if h["later"]:
                slow.append((row, data))
                continue
            month = data.get("investment_month") or Decimal(0)
            values = {
                "investment_month": month,
                "progress_text": data.get("progress_text") or "",
                "progress_pct": data.get("progress_pct"),
                "milestones": milestones,
                "problems_text": data.get("problems_text") or "",
            }
            report = existing.get(project.pk)
            ytd, since_start = data.get("ytd"), data.get("since_start")
            opened = None
            if not h["in_year"] and ytd is not None:
                opening_ytd = ytd - month
                if opening_ytd < 0:
                    self.cell_problem(row, "ytd", _("自年初累计不能小于本月完成投资"))
                    continue
                opening_since = since_start - month if since_start is not None else opening_ytd + self._base(h)
                if opening_ytd or opening_since:
                    if opening_since < opening_ytd:
                        self.cell_problem(row, "since_start", _("开工以来累计不能小于自年初累计"))
                        continue
                    opened = (previous, opening_ytd, opening_since)
            elif not h["anything"] and since_start is not None and since_start - month > 0 and ytd in (None, month):
                opening_since = since_start - month
                opened = (previous, Decimal(0) if self.period.month > 1 else opening_since, opening_since)
            if opened:
                balance = _NEW["opening"](project=project, period=previous, ytd=opened[1], since_start=opened[2])
                if h["reports_before"] or h["opening_here"] or not user_can(self.actor, CHANGE, balance):
                    slow.append((row, data))
                    continue
                try:
                    check_balance(balance)
                except ValidationError:
                    slow.append((row, data))
                    continue
            if report is not None and not opened and _same(report, values):
                if self.submit and report.status == ReportStatus.RETURNED:
                    slow.append((row, data))  # resubmitted as it is: through report_submit
                    continue
                action, new_ytd, new_since = UNCHANGED, report.ytd, report.since_start
            else:
                created = report is None
                target = _NEW["report"](project=project, period=self.period) if created else report
                if (
                    not user_can(self.actor, CHANGE, target)
                    or _locked(project, locked_codes)
                    or (not created and not target.is_editable_by_owner)
                ):
                    slow.append((row, data))
                    continue
                try:
                    report_services._check_started(project, self.period, Decimal(month))
                except ValidationError:
                    slow.append((row, data))
                    continue
                new_ytd, new_since = self._totals(h, Decimal(month), opened)
                if new_since > project.total_investment or new_ytd < 0 or new_since < new_ytd:
                    slow.append((row, data))
                    continue
                before = target.status
                target.investment_month = Decimal(month)
                target.progress_text = values["progress_text"]
                target.progress_pct = values["progress_pct"]
                target.milestones = report_services._milestones(milestones)
                target.problems_text = values["problems_text"]
                target.ytd, target.since_start = new_ytd, new_since
                try:
                    check_report(target)
                except ValidationError:
                    slow.append((row, data))
                    continue
                saved_state = target.status
                if self.submit:
                    target.status = ReportStatus.SUBMITTED
                    target.submitted_at, target.submitted_by = now, self.actor
                action = CREATE if created else UPDATE
            mismatched = any(
                expected is not None and expected != actual
                for expected, actual in ((ytd, new_ytd), (since_start, new_since))
            )
            if mismatched:
                slow.append((row, data))  # the services name the figure Tiaodu expects
                continue
            if action != UNCHANGED:
                (creates if action == CREATE else updates).append(target)
                # (report, kind, from, to): plain tuples, 100,000 of them for a 50,000-row file.
                events.append((target, ReportEventKind.SAVED, "" if action == CREATE else before, saved_state))
                if self.submit:
                    events.append((target, ReportEventKind.SUBMITTED, saved_state, ReportStatus.SUBMITTED))
                refresh.add(project.pk)
            if opened:
                openings.append(balance)
                refresh_opened.add(project.pk)
            changes = [opening_label] if opened else []
            outcomes.append(
                RowOutcome(
                    number=row.number, action=action, name=project.name, region=project.region.name, changes=changes
                )
            )
        self.result.outcomes.extend(outcomes)
        if self.problems:
            return slow  # nothing will be written: the services still name the problems of the rows left
        insert_rows(OpeningBalance, openings, history={"history_type": "+", "user": self.actor})
        insert_rows(MonthlyReport, creates, history={"history_type": "+", "user": self.actor})
        update_rows(MonthlyReport, updates, REPORT_WRITTEN_FIELDS)
        history_rows(MonthlyReport, updates, history_type="~", user=self.actor)
        insert_values(
            ReportEvent,
            ["report", "actor", "kind", "from_state", "to_state", "comment", "at"],
            [(report.pk, self.actor.pk, kind, start, end, "", now) for report, kind, start, end in events],
        )
        if refresh_opened and previous.year == self.period.year:
            # The opening balances' month and the rest of the year, once (not this month onwards twice).
            refresh_figures(refresh | refresh_opened, year=self.period.year, first_month=previous.month)
        else:
            if refresh:
                refresh_figures(refresh, year=self.period.year, first_month=self.period.month)
            if refresh_opened:
                refresh_figures(refresh_opened, year=previous.year, first_month=previous.month)
        return slow

    def apply_row(self, row: LedgerRow, data: dict) -> RowOutcome | None:
        project = self.find_project(row, data)
        if project is None:
            return None
        milestones = self.milestones(row, data.get("milestones"))
        if milestones is None:
            return None
        month = data.get("investment_month") or Decimal(0)
        values = {
            "investment_month": month,
            "progress_text": data.get("progress_text") or "",
            "progress_pct": data.get("progress_pct"),
            "milestones": milestones,
            "problems_text": data.get("problems_text") or "",
        }
        existing = MonthlyReport.objects.filter(project=project, period=self.period).first()
        ytd, since_start = data.get("ytd"), data.get("since_start")
        try:
            in_year, anything, base = self._history(project)
            opened = False
            if not in_year and ytd is not None:
                opening_ytd = ytd - month
                if opening_ytd < 0:
                    self.cell_problem(row, "ytd", _("自年初累计不能小于本月完成投资"))
                    return None
                opening_since = since_start - month if since_start is not None else opening_ytd + base
                if opening_ytd or opening_since:
                    if opening_since < opening_ytd:
                        self.cell_problem(row, "since_start", _("开工以来累计不能小于自年初累计"))
                        return None
                    report_services.opening_balance_set(
                        actor=self.actor,
                        project=project,
                        period=previous_period(self.period),
                        ytd=opening_ytd,
                        since_start=opening_since,
                    )
                    opened = True
            elif not anything and since_start is not None and since_start - month > 0 and ytd in (None, month):
                # A January (or a ledger without a year-to-date) for a project started in an earlier year.
                opening_since = since_start - month
                report_services.opening_balance_set(
                    actor=self.actor,
                    project=project,
                    period=previous_period(self.period),
                    ytd=Decimal(0) if self.period.month > 1 else opening_since,
                    since_start=opening_since,
                )
                opened = True
            resubmitted = False
            if existing is not None and not opened and _same(existing, values):
                report = existing
                action = UNCHANGED
                if self.submit and existing.status == ReportStatus.RETURNED:
                    # The county re-imports its ledger after a return without changing this row: the
                    # figures stand as they are, and the clerk means them to go back for review.
                    report = report_services.report_submit(report=existing, actor=self.actor)
                    action, resubmitted = UPDATE, True
            else:
                save = report_services.report_save_and_submit if self.submit else report_services.report_save
                report = save(actor=self.actor, project=project, period=self.period, **values)
                action = UPDATE if existing is not None else CREATE
        except ValidationError as error:
            self.validation_problems(row, error, REPORT_FIELD_COLUMNS)
            return None
        mismatched = False
        for key, expected in (("ytd", ytd), ("since_start", since_start)):
            actual = getattr(report, key)
            if expected is not None and expected != actual:
                self.cell_problem(
                    row,
                    key,
                    _("与调度系统不一致：按已填报的月份（及期初数）计算应为{actual}万元").format(
                        actual=_fmt_money(actual)
                    ),
                )
                mismatched = True
        if mismatched:
            return None
        changes = [str(_("期初数"))] if opened else []
        if resubmitted:
            changes.append(str(_("重新提交")))
        return RowOutcome(
            number=row.number, action=action, name=project.name, region=project.region.name, changes=changes
        )


WHOLE_YEAR_FROM = 10_000  # projects from which ``refresh_figures`` reads the year's entries rather than look them up


def refresh_figures(ids, *, year: int | None = None, first_month: int = 1) -> None:
    """``rollup_refresh`` (deferred to the end of the import) for the projects that have figure rows.

    Only entries of published lists have figure rows: a project on none (a list still being drawn
    up) and without rows has nothing to recompute, so it is left out rather than recomputed to the
    same nothing — which matters when a file registers 50,000 new projects.
    """
    from tiaodu.figures.models import FigureRow
    from tiaodu.figures.rollup import rollup_refresh
    from tiaodu.projects.choices import KeyListStatus

    ids = sorted(set(ids))
    counted: set[int] = set()
    listed = KeyListEntry.objects.filter(key_list__status=KeyListStatus.PUBLISHED)
    rows = FigureRow.objects.all()
    if year is not None:
        listed, rows = listed.filter(key_list__year=year), rows.filter(period__year=year)
        if not listed.exists() and not rows.exists():
            return  # no published list and no figures that year (a list still being drawn up)
    whole_year = year is not None and len(ids) >= WHOLE_YEAR_FROM
    if whole_year:  # many projects: one pass over the year's entries costs less than a lookup each
        counted.update(set(listed.values_list("project_id", flat=True)).intersection(ids))
    for chunk in _chunks(ids):
        if not whole_year:
            counted.update(listed.filter(project_id__in=id_list(chunk)).values_list("project_id", flat=True))
        # Rows left of a project on no published list (none are, today): asked only for the projects not
        # found above.
        unlisted = [pk for pk in chunk if pk not in counted]
        if unlisted:
            left = rows.filter(project_id__in=id_list(unlisted)).order_by().values_list("project_id", flat=True)
            counted.update(left.distinct())
    if counted:
        rollup_refresh(projects=sorted(counted), years=None if year is None else [year], first_month=first_month)


def _locked(project: Project, locked_codes: set[str]) -> bool:
    """``is_locked`` on the month's locks fetched once."""
    return bool(locked_codes) and any(code in locked_codes for code in project.region.path.strip("/").split("/"))


def _chunks(items, size: int = 2000):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _same(report: MonthlyReport, values: dict) -> bool:
    """Whether the report already holds exactly these values (re-importing the same ledger changes nothing)."""
    return (
        report.investment_month == values["investment_month"]
        and report.progress_text == values["progress_text"]
        and report.progress_pct == values["progress_pct"]
        and set(report.milestone_list) == set(values["milestones"])
        and report.problems_text == values["problems_text"]
    )


# ---- the problem ledger ---------------------------------------------------------------------

PROBLEMS = "problems"
PROBLEM_FIELD_COLUMNS = {
    "project": "name",
    "region": "region",
    "category": "category",
    "description": "description",
    "proposed_department": "department",
    "proposed_deadline": "deadline",
    "found_on": "found_on",
}


class ProblemImporter(Importer):
    """问题台账导入: each row a problem of a project, recorded through ``problem_record``.

    The project is found by code, else by name within the region (as for the monthly reports); the
    category by its name; the responsible department by its name among the units the user sees. A
    row whose project already has a problem with the same description is left unchanged, so the
    same ledger imported again records nothing twice.
    """

    kind = PROBLEMS
    columns = PROBLEM_COLUMNS
    find_project = ReportImporter.find_project

    def check_file(self, prepared):
        seen: dict[tuple, int] = {}
        kept = []
        for row, data in prepared:
            project_key = (data.get("code") or "").strip().upper() or (
                v.normalise(data.get("region") or ""),
                (data.get("name") or "").strip(),
            )
            key = (project_key, (data.get("description") or "").strip())
            if key in seen:
                self.cell_problem(row, "description", _("与第{row}行是同一个问题，文件中重复").format(row=seen[key]))
                continue
            seen[key] = row.number
            kept.append((row, data))
        return kept

    def precheck(self, row, data):
        if data.get("code") or data.get("name"):
            self.find_project(row, data)

    def category(self, row, name):
        from tiaodu.problems.models import ProblemCategory

        categories = getattr(self, "_categories", None)
        if categories is None:
            categories = self._categories = {c.name: c for c in ProblemCategory.objects.filter(is_active=True)}
        found = categories.get(v.normalise(name or "").strip())
        if found is None:
            options = "、".join(categories) or "—"
            message = _("请填写问题类别，应为以下之一：{options}") if not name else _("问题类别应为以下之一：{options}")
            self.cell_problem(row, "category", message.format(options=options))
        return found

    def department(self, row, name, region: Region):
        if not name:
            return None, True
        from tiaodu.problems.services import DEPARTMENT_KINDS

        candidates = list(
            Organisation.objects.restrict(self.actor, VIEW)
            .filter(name=name.strip(), kind__in=DEPARTMENT_KINDS)
            .select_related("region")
        )
        if not candidates:
            self.cell_problem(
                row, "department", _("找不到该责任单位（政府部门、人民政府/管委会或事业单位），或不在您的权限范围内")
            )
            return None, False
        by_region = {o.region.path: o for o in candidates}
        for path in sorted(by_region, key=len, reverse=True):
            if region.path.startswith(path):
                return by_region[path], True
        return candidates[0], True

    def apply_row(self, row: LedgerRow, data: dict) -> RowOutcome | None:
        from tiaodu.problems.choices import ProblemSource
        from tiaodu.problems.models import Problem as LedgerProblem
        from tiaodu.problems.services import problem_record

        description = (data.get("description") or "").strip()
        if not description:
            self.cell_problem(row, "description", _("问题描述不能为空"))
            return None
        if not data.get("code") and not data.get("name"):
            self.cell_problem(row, "name", _("请填写项目名称或项目代码"))
            return None
        project = self.find_project(row, data)
        if project is None:
            return None
        category = self.category(row, data.get("category"))
        department, ok = self.department(row, data.get("department"), project.region)
        if category is None or not ok:
            return None
        if LedgerProblem.objects.filter(project=project, description=description).exists():
            return RowOutcome(number=row.number, action=UNCHANGED, name=project.name, region=project.region.name)
        try:
            problem_record(
                actor=self.actor,
                source=data.get("source") or ProblemSource.MEETING,
                category=category,
                description=description,
                project=project,
                found_on=data.get("found_on"),
                proposed_department=department,
                proposed_deadline=data.get("deadline"),
            )
        except ValidationError as error:
            self.validation_problems(row, error, PROBLEM_FIELD_COLUMNS)
            return None
        return RowOutcome(number=row.number, action=CREATE, name=project.name, region=project.region.name)


# ---- entry points -----------------------------------------------------------------------------


def check_region(actor, region: Region | None) -> Region:
    """The region whose names the file uses: given, or the user's own; it must be one the user can see."""
    if region is None:
        region = default_region(actor)
        if region is None:
            raise ValidationError(_("请选择文件所属的市或县区（文件中的县区名称按它来识别）。"), code="region_required")
    related = any(
        region.path.startswith(grant.region.path) or grant.region.path.startswith(region.path)
        for grant in user_grants(actor)
    )
    if not is_unrestricted(actor) and not related:
        raise ValidationError(_("您无权导入{region}的数据。").format(region=region), code="out_of_scope")
    return region


def import_projects(
    *,
    actor,
    content: bytes,
    filename: str,
    year: int,
    level: str,
    region: Region | None = None,
    dry_run: bool = False,
    progress: Callable | None = None,
) -> ImportResult:
    """Import (or, with ``dry_run``, preview) the key-project list of ``year`` at ``level``."""
    if level not in KeyLevel.values:
        raise ValidationError(_("重点级别应为 province、city 或 county。"), code="level")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("年份“{year}”不合理。").format(year=year), code="year")
    region = check_region(actor, region)
    importer = ProjectListImporter(
        actor=actor, region=region, year=int(year), level=level, dry_run=dry_run, progress=progress
    )
    return importer.run(content, filename)


def import_reports(
    *,
    actor,
    content: bytes,
    filename: str,
    period: datetime.date,
    region: Region | None = None,
    dry_run: bool = False,
    submit: bool = True,
    progress: Callable | None = None,
) -> ImportResult:
    """Import (or preview) the reports of the month ``period`` for the projects in the file."""
    region = check_region(actor, region)
    importer = ReportImporter(
        actor=actor, region=region, period=period, submit=submit, dry_run=dry_run, progress=progress
    )
    result = importer.run(content, filename)
    result.notes.insert(0, str(_("月份：{period}").format(period=format_period(period))))
    return result


def import_problems(
    *,
    actor,
    content: bytes,
    filename: str,
    region: Region | None = None,
    dry_run: bool = False,
    progress: Callable | None = None,
) -> ImportResult:
    """Import (or preview) a problem ledger (问题台账): one problem of a project a row."""
    region = check_region(actor, region)
    importer = ProblemImporter(actor=actor, region=region, dry_run=dry_run, progress=progress)
    return importer.run(content, filename)
