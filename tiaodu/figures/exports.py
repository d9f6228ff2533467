"""调度指标 as a ledger: the rates of every county and zone, and the region's own on the 合计 row.

The layout is that of the ledgers (``ledgers.exports.LedgerWriter``): title, units line, each rate a
group over its denominator, numerator and rate, frozen header. The 合计 row is not summed in the
sheet: it is the region's own figures from ``figures()``, the same numbers the page shows (a rate of
the whole is not the sum of the counties' rates).
"""

from django.utils.translation import gettext_lazy as _

from tiaodu.core.periods import format_period
from tiaodu.ledgers.exports import Col, LedgerWriter

from .selectors import RATES, FigureQuery, RateValue, figures, ranking

# Per rate: what its denominator and numerator count (money in 万元).
PARTS = {
    "start_rate": (_("计划新开工项目数"), _("已开工项目数")),
    "resumption_rate": (_("续建项目数"), _("已复工项目数")),
    "investment_completion_rate": (_("年度计划投资"), _("累计完成投资")),
    "commissioning_rate": (_("计划投产项目数"), _("已投产项目数")),
}


def figures_title(query: FigureQuery) -> str:
    region = query.region.name if query.region else ""
    title = _("{region}{year}年{month}月重点项目调度指标（截至{month}月底）").format(
        region=region, year=query.period.year, month=query.period.month
    )
    if query.as_of_lock:
        title += str(_("（锁定数）"))
    return str(title)


def figure_columns() -> list[Col]:
    columns = [Col("region", _("县区"), width=14)]
    for key, rate in RATES.items():
        denominator, numerator = PARTS[key]
        kind = "money" if rate.money_field else "int"
        columns += [
            Col(f"{key}__d", denominator, kind=kind, group=rate.label, width=12),
            Col(f"{key}__n", numerator, kind=kind, group=rate.label, width=12),
            Col(f"{key}__rate", _("{rate}（%）").format(rate=rate.label), kind="percent", group=rate.label, width=10),
        ]
    return columns


def _cells(key: str, value: RateValue) -> dict:
    return {f"{key}__d": value.denominator, f"{key}__n": value.numerator, f"{key}__rate": value.rate}


def figure_rows(user, query: FigureQuery) -> list[dict]:
    """One row per county or zone (and 市本级), each rate's parts from ``ranking``; by region code."""
    rows: dict = {}
    for key in RATES:
        for row in ranking(user, query, key):
            line = rows.setdefault(row.region.code, {"region": row.region.name})
            line.update(_cells(key, row.value))
    return [rows[code] for code in sorted(rows)]


def export_figures(user, query: FigureQuery) -> tuple[str, bytes]:
    """The figures page as an .xlsx ledger; (title, bytes)."""
    title = figures_title(query)
    columns = figure_columns()
    writer = LedgerWriter()
    sheet, data_row = writer.sheet(
        name=format_period(query.period),
        title=title,
        columns=columns,
        rows=(rows := figure_rows(user, query)),
        units=str(_("单位：个、万元、%")),
        totals=False,
    )
    whole = figures(user, query, with_previous_year=False)
    total_row = data_row + len(rows)
    sheet.write(total_row, 0, str(_("合计")), writer.f_total_label)
    values = {"region": query.region.name if query.region else ""}
    for key, value in whole.rates.items():
        values.update(_cells(key, value))
    for index, column in enumerate(columns, start=1):
        writer._write(sheet, total_row, index, values.get(column.key), column, None)
    return title, writer.close()
