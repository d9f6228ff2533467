from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """项目阶段: the main line 谋划 → 前期 → 在建 → 投产 → 达产, and the side states."""

    PLANNING = "planning", _("谋划")
    PRELIMINARY = "preliminary", _("前期")
    CONSTRUCTION = "construction", _("在建")
    OPERATING = "operating", _("投产")
    CAPACITY = "capacity", _("达产")
    SUSPENDED = "suspended", _("停缓建")
    WITHDRAWN = "withdrawn", _("退库")


class Pool(models.TextChoices):
    """四库: the pool a project sits in follows from its stage."""

    PLANNING = "planning", _("谋划库")
    PRELIMINARY = "preliminary", _("前期库")
    CONSTRUCTION = "construction", _("建设库")
    OPERATING = "operating", _("投产达产库")


STAGE_POOL = {
    Stage.PLANNING: Pool.PLANNING,
    Stage.PRELIMINARY: Pool.PRELIMINARY,
    Stage.CONSTRUCTION: Pool.CONSTRUCTION,
    Stage.OPERATING: Pool.OPERATING,
    Stage.CAPACITY: Pool.OPERATING,
}

MAIN_LINE = [Stage.PLANNING, Stage.PRELIMINARY, Stage.CONSTRUCTION, Stage.OPERATING, Stage.CAPACITY]


class Sector(models.TextChoices):
    """行业/类别 as used in the key-project lists."""

    INDUSTRY = "industry", _("产业/工业")
    ENERGY = "energy", _("能源")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    AGRICULTURE = "agriculture", _("农业农村")
    TOURISM = "tourism", _("文旅")
    SERVICES = "services", _("现代服务业")
    SOCIAL = "social", _("社会民生")
    ECOLOGY = "ecology", _("生态环保")
    OTHER = "other", _("其他")


class Nature(models.TextChoices):
    """建设性质."""

    NEW = "new", _("新建")
    CONTINUED = "continued", _("续建")
    EXPANSION = "expansion", _("扩建")
    RENOVATION = "renovation", _("改建")


class KeyLevel(models.TextChoices):
    """重点级别 of a year's list."""

    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class KeyListStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    PUBLISHED = "published", _("已发布")


class Industry(models.TextChoices):
    """GB/T 4754-2017 国民经济行业分类, sections (门类)."""

    A = "A", _("A 农、林、牧、渔业")
    B = "B", _("B 采矿业")
    C = "C", _("C 制造业")
    D = "D", _("D 电力、热力、燃气及水生产和供应业")
    E = "E", _("E 建筑业")
    F = "F", _("F 批发和零售业")
    G = "G", _("G 交通运输、仓储和邮政业")
    H = "H", _("H 住宿和餐饮业")
    I = "I", _("I 信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("J 金融业")
    K = "K", _("K 房地产业")
    L = "L", _("L 租赁和商务服务业")
    M = "M", _("M 科学研究和技术服务业")
    N = "N", _("N 水利、环境和公共设施管理业")
    O = "O", _("O 居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("P 教育")
    Q = "Q", _("Q 卫生和社会工作")
    R = "R", _("R 文化、体育和娱乐业")
    S = "S", _("S 公共管理、社会保障和社会组织")
    T = "T", _("T 国际组织")
