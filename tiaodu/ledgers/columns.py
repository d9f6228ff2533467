"""The columns each import kind understands, with the names clerks give them.

The first name is the canonical header (used in templates and exports, so an export re-imports);
the aliases are the other names found in real ledgers. Units in a header (``总投资（亿元）``) are
read separately, so aliases carry no unit.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tiaodu.problems.choices import ProblemSource
from tiaodu.projects.choices import Nature, Sector, Stage
from tiaodu.reports.choices import Milestone

from .reading import ColumnSpec
from .values import normalise

CODE = ColumnSpec("code", _("项目代码"), aliases=("国家项目代码", "项目统一代码", "赋码", "项目编码", "代码"))
NAME = ColumnSpec("name", _("项目名称"), aliases=("名称", "项目", "建设项目名称", "项目全称"), required=True)
REGION = ColumnSpec(
    "region",
    _("所在县区"),
    aliases=(
        "属地",
        "县区",
        "县(市、区)",
        "县市区",
        "所在区划",
        "区划",
        "所在地",
        "所属县区",
        "县（市、区）",
        "责任县区",
    ),
)
SECTOR = ColumnSpec(
    "sector", _("行业类别"), kind="choice", aliases=("项目类别", "类别", "行业", "产业类别", "所属行业")
)
CREDIT_CODE = ColumnSpec("credit_code", _("统一社会信用代码"), aliases=("项目单位统一社会信用代码", "信用代码"))

PROJECT_COLUMNS = [
    CODE,
    NAME,
    REGION,
    ColumnSpec(
        "owner",
        _("项目单位"),
        aliases=("建设单位", "业主单位", "项目业主", "项目建设单位", "实施单位", "项目法人单位", "业主"),
        required=True,
    ),
    CREDIT_CODE,
    SECTOR,
    ColumnSpec("nature", _("建设性质"), kind="choice", aliases=("性质", "新建/续建", "新建续建")),
    ColumnSpec("stage", _("阶段"), kind="choice", aliases=("项目阶段", "所处阶段", "进展阶段")),
    ColumnSpec("address", _("建设地点"), aliases=("地点", "项目地点", "建设地址")),
    ColumnSpec(
        "construction_content", _("建设内容及规模"), aliases=("建设规模及内容", "建设内容", "主要建设内容", "建设规模")
    ),
    ColumnSpec(
        "total_investment", _("总投资"), kind="money", aliases=("计划总投资", "项目总投资", "总投资额"), required=True
    ),
    ColumnSpec(
        "annual_plan",
        _("年度计划投资"),
        kind="money",
        aliases=("年度计划", "年度投资计划", "本年计划投资", "当年计划投资", "年计划投资", "计划投资"),
        patterns=(r"\d{4}年(度)?(计划)?(完成)?投资(计划)?", r"\d{4}年计划"),
        required=True,
    ),
    ColumnSpec("planned_start_date", _("计划开工日期"), kind="date", aliases=("计划开工时间", "计划开工")),
    ColumnSpec(
        "planned_completion_date", _("计划竣工日期"), kind="date", aliases=("计划竣工时间", "计划竣工", "计划完工时间")
    ),
    ColumnSpec(
        "actual_start_date",
        _("实际开工日期"),
        kind="date",
        aliases=("开工时间", "实际开工时间", "实际开工", "开工日期"),
    ),
    ColumnSpec("note", _("备注"), aliases=("说明",)),
]

REPORT_COLUMNS = [
    CODE,
    NAME,
    REGION,
    ColumnSpec(
        "investment_month",
        _("本月完成投资"),
        kind="money",
        aliases=("本月完成", "当月完成投资", "当月完成", "本月投资"),
        patterns=(r"\d{1,2}月(份)?完成(投资)?", r"本月(完成)?投资额"),
        required=True,
    ),
    ColumnSpec(
        "ytd",
        _("自年初累计完成投资"),
        kind="money",
        aliases=(
            "自年初累计",
            "年初至今累计完成",
            "本年累计完成投资",
            "本年累计完成",
            "年度累计完成投资",
            "累计完成投资",
        ),
        patterns=(r"1?[-—~～至到]?\d{1,2}月(份)?累计(完成)?(投资)?", r"\d{4}年(度)?累计完成(投资)?"),
    ),
    ColumnSpec(
        "since_start",
        _("开工以来累计完成投资"),
        kind="money",
        aliases=("开工以来累计", "开工以来累计完成", "自开工累计完成投资", "开工累计完成投资", "项目累计完成投资"),
    ),
    ColumnSpec("progress_text", _("形象进度"), aliases=("工程形象进度", "项目进展情况", "进展情况", "建设进展")),
    ColumnSpec(
        "progress_pct",
        _("形象进度（%）"),
        kind="percent",
        aliases=("形象进度%", "形象进度百分比", "完成比例", "进度百分比"),
    ),
    ColumnSpec("milestones", _("本月节点"), aliases=("本月达到节点", "节点")),
    ColumnSpec("problems_text", _("存在问题"), aliases=("存在的问题", "问题及困难", "存在问题及建议", "困难问题")),
]


PROBLEM_COLUMNS = [
    CODE,
    ColumnSpec("name", _("项目名称"), aliases=("名称", "项目", "建设项目名称", "项目全称")),
    REGION,
    ColumnSpec(
        "description",
        _("问题描述"),
        aliases=("存在问题", "存在的问题", "问题", "问题内容", "主要问题", "困难问题", "问题及困难"),
        required=True,
    ),
    ColumnSpec("category", _("问题类别"), aliases=("类别", "问题类型", "问题分类")),
    ColumnSpec("department", _("责任单位"), aliases=("牵头单位", "责任部门", "牵头部门", "办理单位", "建议责任单位")),
    ColumnSpec("deadline", _("办结时限"), kind="date", aliases=("完成时限", "办理时限", "解决时限", "时限")),
    ColumnSpec("found_on", _("发现日期"), kind="date", aliases=("提出日期", "登记日期", "发现时间")),
    ColumnSpec("source", _("问题来源"), kind="choice", aliases=("来源",)),
]


def choice_labels(enum) -> dict[str, str]:
    """Label → code in Chinese and in English (an English export imports back), whatever language is active."""
    mapping = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            mapping.update({normalise(str(label)).replace(" ", ""): value for value, label in enum.choices})
    return mapping


def choice_map(enum, extra: dict[str, str] | None = None) -> dict[str, str]:
    mapping = choice_labels(enum)
    mapping.update({normalise(k): v for k, v in (extra or {}).items()})
    return mapping


# Labels and the other words ledgers use for them (Chinese only: a ledger is written in Chinese).
SECTOR_CHOICES = choice_map(
    Sector,
    {
        "产业/工业": Sector.INDUSTRY,
        "产业": Sector.INDUSTRY,
        "工业": Sector.INDUSTRY,
        "工业项目": Sector.INDUSTRY,
        "产业项目": Sector.INDUSTRY,
        "能源项目": Sector.ENERGY,
        "基础设施项目": Sector.INFRASTRUCTURE,
        "交通": Sector.INFRASTRUCTURE,
        "农业": Sector.AGRICULTURE,
        "农林水": Sector.AGRICULTURE,
        "文化旅游": Sector.TOURISM,
        "文旅康养": Sector.TOURISM,
        "服务业": Sector.SERVICES,
        "社会事业": Sector.SOCIAL,
        "民生": Sector.SOCIAL,
        "生态": Sector.ECOLOGY,
        "生态环境": Sector.ECOLOGY,
    },
)
NATURE_CHOICES = choice_map(Nature)
# A project is registered in these stages; later stages need facts an import does not carry.
IMPORT_STAGES = (Stage.PLANNING, Stage.PRELIMINARY, Stage.CONSTRUCTION)
STAGE_CHOICES = {
    **choice_labels(Stage),
    "前期工作": Stage.PRELIMINARY,
    "谋划阶段": Stage.PLANNING,
    "前期阶段": Stage.PRELIMINARY,
    "建设": Stage.CONSTRUCTION,
    "已开工": Stage.CONSTRUCTION,
    "在建阶段": Stage.CONSTRUCTION,
}
MILESTONE_CHOICES = choice_map(Milestone)

SOURCE_CHOICES = choice_map(ProblemSource)

CHOICE_OPTIONS = {
    "source": [label for _v, label in ProblemSource.choices],
    "sector": [label for _v, label in Sector.choices],
    "nature": [label for _v, label in Nature.choices],
    "stage": [label for _v, label in Stage.choices],
}
CHOICE_MAPS = {"source": SOURCE_CHOICES, "sector": SECTOR_CHOICES, "nature": NATURE_CHOICES, "stage": STAGE_CHOICES}
