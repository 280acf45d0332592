"""One small helper for the long tables: text search, sort by column, kecamatan → desa filters
and pages, all read from the query string (``q``, ``sort``, ``page``, ``kecamatan``, ``desa``).

A page describes its table once (`TableSpec`: the sortable columns, the searched fields, the
field holding the desa code), reads the request with `TableQuery.from_query`, narrows its own
queryset with `TableQuery.apply` and cuts a page with `TableQuery.paginate`; the template draws
the controls with ``web/_table_controls.html``, the column heads with the ``sort_head`` tag and
the pages with ``web/_pager.html``. Unknown values are dropped, never errors (a filter form never
answers 400 or 404), and the filters only narrow a queryset the view has already scoped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet

from sikumuh.regions.models import Level, Region, code_at_level, level_of

#: The longest search text kept (a longer one is cut, not refused).
MAX_Q = 100


@dataclass(frozen=True)
class Column:
    key: str  # as written in ``?sort=`` ("-" in front: descending)
    order_by: tuple[str, ...]  # the ORM fields, in order


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[Column, ...]
    default_sort: str  # a column key, "-" in front for descending
    search: tuple[str, ...] = ()  # fields searched with icontains (any of them matches)
    region_field: str | None = None  # field holding the row's desa code (kecamatan/desa filters)
    tie_break: tuple[str, ...] = ("pk",)  # a stable order between equal keys (pages never overlap)
    per_page: int = 50
    #: apply_rows: the rows come in the default order already (their selector's), kept as is.
    presorted: bool = False

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def _code_at(code: str, level: int) -> bool:
    try:
        return level_of(code) == level
    except ValueError:
        return False


def _within(code: str, region_code: str | None) -> bool:
    return not region_code or region_code == "ID" or code.startswith(region_code + ".")


@dataclass(frozen=True)
class TableQuery:
    """What the reader asked for, cleaned."""

    spec: TableSpec
    q: str = ""
    sort: str = ""  # a column key, "-" in front for descending; always a known column
    kecamatan: str | None = None
    desa: str | None = None
    page: str = "1"

    @classmethod
    def from_query(
        cls, query: Mapping[str, Any], spec: TableSpec, region_code: str | None = None
    ) -> TableQuery:
        q = " ".join(str(query.get("q") or "").split())[:MAX_Q]
        sort = str(query.get("sort") or "")
        if spec.column(sort.removeprefix("-")) is None:
            sort = spec.default_sort
        kecamatan = str(query.get("kecamatan") or "").strip() or None
        desa = str(query.get("desa") or "").strip() or None
        if spec.region_field is None:
            kecamatan = desa = None
        if kecamatan and not (
            _code_at(kecamatan, Level.KECAMATAN) and _within(kecamatan, region_code)
        ):
            kecamatan = None
        if desa and not (
            _code_at(desa, Level.DESA)
            and (_within(desa, region_code) or desa == region_code)
            and (kecamatan is None or desa.startswith(kecamatan + "."))
        ):
            desa = None
        # ``halaman`` was the pages' parameter before this helper; old links keep working.
        page = str(query.get("page") or query.get("halaman") or "1")
        return cls(spec, q, sort, kecamatan, desa, page)

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    def order_by(self) -> list[str]:
        column = self.spec.column(self.sort_key)
        assert column is not None  # from_query keeps known columns only
        # The first field follows the reader's direction; the others only break its ties.
        first, *rest = column.order_by
        return ["-" + first if self.descending else first, *rest, *self.spec.tie_break]

    def condition(self) -> Q:
        """The search and the region filters as one condition (for an export's ``where`` too):
        every word of the search in one of the searched fields."""
        condition = Q()
        if self.q and self.spec.search:
            for word in self.q.split():
                any_field = Q()
                for name in self.spec.search:
                    any_field |= Q(**{f"{name}__icontains": word})
                condition &= any_field
        field_name = self.spec.region_field
        if field_name and self.desa:
            condition &= Q(**{field_name: self.desa})
        elif field_name and self.kecamatan:
            # No `__startswith` on a foreign key's `_id` column: go through the Region's key.
            if field_name.endswith("_id"):
                field_name = field_name.removesuffix("_id") + "__pk"
            condition &= Q(**{f"{field_name}__startswith": self.kecamatan + "."})
        return condition

    def filter(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """The search and the region filters (no ordering)."""
        return rows.filter(self.condition())

    def order(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """The chosen order; rows without a value come last either way (on every database)."""
        first, *rest = self.order_by()
        name = first.removeprefix("-")
        key = (
            F(name).desc(nulls_last=True) if first.startswith("-") else F(name).asc(nulls_last=True)
        )
        return rows.order_by(key, *rest)

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Search, filters and order."""
        return self.order(self.filter(rows))

    def apply_rows(self, rows: Iterable[Any]) -> list[Any]:
        """The same on rows already read (a few dozen, built by a selector): the spec's field
        names are attribute paths ("decree__number": row.decree.number)."""
        out = list(rows)
        if self.q and self.spec.search:
            for word in self.q.casefold().split():
                out = [
                    row
                    for row in out
                    if any(word in str(_attr(row, n) or "").casefold() for n in self.spec.search)
                ]
        field_name = self.spec.region_field
        if field_name and self.desa:
            out = [row for row in out if _attr(row, field_name) == self.desa]
        elif field_name and self.kecamatan:
            prefix = self.kecamatan + "."
            out = [row for row in out if str(_attr(row, field_name) or "").startswith(prefix)]
        column = self.spec.column(self.sort_key)
        assert column is not None
        if self.spec.presorted and self.sort == self.spec.default_sort:
            return out
        # Python's sort is stable: sort by the last key first. Empty values go last either way.
        for i, name in reversed(list(enumerate(column.order_by))):
            filled = [row for row in out if _attr(row, name) is not None]
            empty = [row for row in out if _attr(row, name) is None]
            filled.sort(key=partial(_sort_key, name), reverse=self.descending and i == 0)
            out = filled + empty
        return out

    def paginate(self, rows: Sequence[Any] | QuerySet[Any]) -> Page[Any]:
        return Paginator(rows, self.spec.per_page).get_page(self.page)

    def params(self) -> dict[str, str]:
        """The query's own parameters as a link carries them (defaults left out)."""
        out = {
            "q": self.q,
            "sort": "" if self.sort == self.spec.default_sort else self.sort,
            "kecamatan": self.kecamatan or "",
            "desa": self.desa or "",
        }
        return {k: v for k, v in out.items() if v}

    @property
    def active(self) -> bool:
        """Whether the reader narrowed the table (to say "no row matches" rather than "none")."""
        return bool(self.q or self.kecamatan or self.desa)


def _attr(row: Any, path: str) -> Any:
    for name in path.split("__"):
        if row is None:
            return None
        row = getattr(row, name, None)
    return row


def _sort_key(path: str, row: Any) -> Any:
    value = _attr(row, path)
    return value.casefold() if isinstance(value, str) else value


@dataclass(frozen=True)
class Place:
    code: str
    name: str


@dataclass
class RegionChoices:
    """The kecamatan and desa a table's rows lie in, for its two selects. Every desa is sent,
    those outside the chosen kecamatan hidden (`tables.js` narrows the list as one chooses)."""

    kecamatan: list[Place] = field(default_factory=list)
    desa: list[tuple[Place, str]] = field(default_factory=list)  # (desa, its kecamatan code)


def region_choices(desa_codes: QuerySet[Any] | Iterable[str]) -> RegionChoices:
    """The choices for the rows' desa (a values queryset of their codes, or the codes): one
    query, the desa with their kecamatan."""
    codes = desa_codes if isinstance(desa_codes, QuerySet) else set(desa_codes)
    regions = Region.objects.filter(code__in=codes, level=Level.DESA).select_related("parent")
    return choices_from((r.code, r.name, r.parent.name if r.parent else "") for r in regions)


def choices_from(places: Iterable[tuple[str, str, str]]) -> RegionChoices:
    """The choices from (desa code, desa name, kecamatan name) already read: no query."""
    kecamatan: dict[str, Place] = {}
    desa: dict[str, tuple[Place, str]] = {}
    for code, name, kec_name in places:
        if not code or not _code_at(code, Level.DESA):
            continue
        kec_code = code_at_level(code, Level.KECAMATAN) or ""
        if kec_name:
            kecamatan.setdefault(kec_code, Place(kec_code, kec_name))
        desa.setdefault(code, (Place(code, name), kec_code))
    by_name = sorted(kecamatan.values(), key=lambda p: p.name)
    order = {p.code: i for i, p in enumerate(by_name)}
    return RegionChoices(
        by_name, sorted(desa.values(), key=lambda d: (order.get(d[1], len(order)), d[0].name))
    )
