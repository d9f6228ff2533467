"""The words the demo city is made of: regions, departments, officials, and project templates.

Pure data and small pure functions (no database): ``tiaodu.demo.generator.build_plan`` draws from
these with one seeded ``random.Random``. Names of private enterprises are generated from invented
brand syllables so that they do not copy real companies; state-owned groups and public bodies
(潞安化工, 长治市人民医院 …) are named as they are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tiaodu.projects.choices import Industry, Nature, Sector

CITY_CODE = "140400"
CITY_NAME = "长治市"

# (code, name, short used in project names, number of demo projects)
COUNTIES: tuple[tuple[str, str, str, int], ...] = (
    ("140403", "潞州区", "潞州区", 30),
    ("140404", "上党区", "上党区", 30),
    ("140405", "屯留区", "屯留区", 28),
    ("140406", "潞城区", "潞城区", 28),
    ("140423", "襄垣县", "襄垣县", 30),
    ("140425", "平顺县", "平顺县", 22),
    ("140426", "黎城县", "黎城县", 22),
    ("140427", "壶关县", "壶关县", 35),
    ("140428", "长子县", "长子县", 25),
    ("140429", "武乡县", "武乡县", 22),
    ("140430", "沁县", "沁县", 20),
    ("140431", "沁源县", "沁源县", 23),
)
# Functional zones: not in GB/T 2260, created by the demo under the city (statistics codes CCCC7x).
ZONES: tuple[tuple[str, str, str, int], ...] = (
    ("140471", "长治高新技术产业开发区", "长治高新区", 45),
    ("140472", "长治经济技术开发区", "长治经开区", 40),
)
HUGUAN = "140427"
GAOXIN = "140471"
# Counties that keep their own key-project list in the demo; the last one's current-year list stays a draft.
COUNTY_LIST_REGIONS = ("140427", "140404", "140406", "140423")
DRAFT_COUNTY_LIST_REGION = "140423"

# Place words used in names (the county without 县/区 where that reads naturally).
PLACE = {
    "140403": "潞州",
    "140404": "上党",
    "140405": "屯留",
    "140406": "潞城",
    "140423": "襄垣",
    "140425": "平顺",
    "140426": "黎城",
    "140427": "壶关",
    "140428": "长子",
    "140429": "武乡",
    "140430": "沁县",
    "140431": "沁源",
    "140471": "长治高新区",
    "140472": "长治经开区",
}

CITY_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    # key, name, short
    ("fgw", "长治市发展和改革委员会", "市发改委"),
    ("zrzy", "长治市自然资源局", "市自然资源局"),
    ("sthj", "长治市生态环境局", "市生态环境局"),
    ("zjj", "长治市住房和城乡建设局", "市住建局"),
    ("gxj", "长治市工业和信息化局", "市工信局"),
    ("jtj", "长治市交通运输局", "市交通运输局"),
    ("slj", "长治市水利局", "市水利局"),
    ("nyj", "长治市能源局", "市能源局"),
    ("swj", "长治市商务局", "市商务局"),
    ("spj", "长治市行政审批服务管理局", "市行政审批局"),
    ("nync", "长治市农业农村局", "市农业农村局"),
    ("wlj", "长治市文化和旅游局", "市文旅局"),
    ("jyj", "长治市教育局", "市教育局"),
    ("wjw", "长治市卫生健康委员会", "市卫健委"),
    ("czj", "长治市财政局", "市财政局"),
    ("tjj", "长治市统计局", "市统计局"),
)
# Departments every county has in the demo, and the extra ones 壶关县 has.
COUNTY_DEPARTMENTS = (("fgj", "发展和改革局", "发改局"), ("zrzy", "自然资源局", "自然资源局"))
HUGUAN_EXTRA_DEPARTMENTS = (
    ("zjj", "住房和城乡建设局", "住建局"),
    ("nync", "农业农村局", "农业农村局"),
    ("wlj", "文化和旅游局", "文旅局"),
)

# Public institutions (事业单位) that own projects; real public bodies, named as they are.
CITY_INSTITUTIONS = (
    ("hospital_city", "长治市人民医院", "市人民医院"),
    ("hospital_heping", "长治医学院附属和平医院", "和平医院"),
    ("college", "长治学院", "长治学院"),
    ("vocational", "长治职业技术学院", "长治职院"),
)

# State-owned groups at city level (key, name, short). 潞安 is the real provincial group; the
# municipal platforms have generic names.
CITY_SOES = (
    ("luan", "山西潞安化工集团有限公司", "潞安化工集团"),
    ("energy", "长治市能源发展集团有限公司", "长治能源集团"),
    ("traffic", "长治市交通投资建设集团有限公司", "长治交投集团"),
    ("water", "长治市水务集团有限公司", "长治水务集团"),
    ("tourism", "长治市文化旅游发展集团有限公司", "长治文旅集团"),
    ("grid", "国网山西省电力公司长治供电公司", "国网长治供电公司"),
)

# The owner organisation of the ``owner`` demo login (an invented name), in 长治高新区.
DEMO_OWNER_NAME = "山西晶辉光电科技有限公司"
DEMO_OWNER_SHORT = "晶辉光电"
DEMO_OWNER_PROJECTS = 8

# City leaders (姓名, 职务, sectors they are 包联 for). The one marked is the ``leader`` login.
MAYOR = ("张志强", "市长")
CITY_LEADERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("周海涛", "常务副市长", (Sector.INFRASTRUCTURE, Sector.SERVICES)),
    ("李卫东", "副市长", (Sector.INDUSTRY,)),
    ("赵建军", "副市长", (Sector.ENERGY,)),
    ("刘晓峰", "副市长", (Sector.AGRICULTURE, Sector.ECOLOGY)),
    ("陈丽华", "副市长", (Sector.TOURISM, Sector.SOCIAL, Sector.OTHER)),
)
LEADER_LOGIN_OFFICIAL = "李卫东"

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯史陶贺顾毛郝龚邵万严武戴孔向常牛申晋"
)
GIVEN = (
    "建华",
    "志刚",
    "海峰",
    "晓东",
    "丽娟",
    "红梅",
    "国强",
    "永胜",
    "秀英",
    "文斌",
    "俊杰",
    "晓燕",
    "宏伟",
    "玉兰",
    "卫国",
    "春生",
    "立新",
    "建军",
    "爱民",
    "雪梅",
    "志勇",
    "少华",
    "静",
    "敏",
    "磊",
    "洋",
    "娟",
    "涛",
    "鹏",
    "军",
    "晋平",
    "长青",
    "润生",
    "太平",
    "振华",
    "晓光",
    "慧敏",
    "亚楠",
    "瑞芳",
    "凤英",
    "保国",
    "跃进",
    "新民",
    "素珍",
)

# Invented two-character brand names for private enterprises: first × second syllable.
BRAND_FIRST = "澄昱岳璟曜启钧禾泽鼎弘晟铖睿澜嵘翊峻琨炜珩骁沐霆岚瀚"
BRAND_SECOND = "宇霖衡泰华泓润源芯川拓能丰岳峰晖明远达鑫诚晨航"

# Enterprise fields: the name's ending and the short name's ending.
FIELD_SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "chem": (("化工有限公司", "化工"), ("煤化工有限公司", "煤化工"), ("新材料化工有限公司", "化工")),
    "mat": (
        ("新材料科技有限公司", "新材料"),
        ("新材料股份有限公司", "新材料"),
        ("碳材料有限公司", "碳材料"),
        ("特种材料有限公司", "特材"),
    ),
    "led": (("光电科技有限公司", "光电"), ("半导体科技有限公司", "半导体"), ("光伏科技有限公司", "光伏")),
    "equip": (("智能装备制造有限公司", "智能装备"), ("重工机械有限公司", "重工"), ("机电设备有限公司", "机电")),
    "nev": (
        ("新能源汽车有限公司", "新能源汽车"),
        ("汽车零部件有限公司", "汽车部件"),
        ("动力科技有限公司", "动力"),
        ("氢能科技有限公司", "氢能"),
    ),
    "energy": (
        ("新能源开发有限公司", "新能源"),
        ("风力发电有限公司", "风电"),
        ("光伏发电有限公司", "光伏发电"),
        ("储能科技有限公司", "储能"),
    ),
    "gas": (("煤层气开发有限公司", "煤层气"), ("天然气有限公司", "燃气")),
    "agri": (
        ("农业开发有限公司", "农业"),
        ("中药材开发有限公司", "中药材"),
        ("食品有限公司", "食品"),
        ("牧业有限公司", "牧业"),
        ("生态农业有限公司", "生态农业"),
    ),
    "tour": (("文化旅游开发有限公司", "文旅"), ("康养产业有限公司", "康养"), ("旅游发展有限公司", "旅游")),
    "services": (
        ("物流有限公司", "物流"),
        ("数字科技有限公司", "数科"),
        ("商业运营管理有限公司", "商管"),
        ("电子商务有限公司", "电商"),
    ),
}

# Reasons for side moves, as clerks write them.
SUSPEND_REASONS = (
    "资金链断裂，施工单位已撤场，待引入战略投资者后复工",
    "用地指标未落实，暂停施工，待省级用地指标下达",
    "受市场变化影响，企业调整投资计划，暂缓建设",
    "环评批复内容调整，需重新报批后方可继续建设",
    "项目单位股权变更，暂缓建设",
    "主要设备供货受阻，暂缓实施",
    "林地手续未完成，暂停前期工作",
)
WITHDRAW_REASONS = (
    "企业资金链断裂，项目终止实施",
    "用地指标未落实，项目无法落地",
    "市场变化，投资方决定不再投资",
    "不符合“两高”项目管控政策，予以退库",
    "选址涉及生态保护红线，项目取消",
    "与同类项目合并实施，本项目退库",
    "投资方撤资，招商协议解除",
)

START_MONTH_WEIGHTS = (1, 1, 14, 20, 18, 14, 10, 8, 7, 5, 2, 1)  # few starts in the winter stop


@dataclass(frozen=True)
class Sub:
    """A kind of project: its list sector, GB/T 4754 section, code's department digits, owner rule, department."""

    sector: str
    industry: str
    dd: str
    owner: str
    dept: str


SUBS: dict[str, Sub] = {
    "coal_chem": Sub(Sector.INDUSTRY, Industry.C, "26", "chem", "gxj"),
    "new_mat": Sub(Sector.INDUSTRY, Industry.C, "30", "mat", "gxj"),
    "led": Sub(Sector.INDUSTRY, Industry.C, "39", "led", "gxj"),
    "led_pv": Sub(Sector.INDUSTRY, Industry.C, "39", "led", "gxj"),
    "equipment": Sub(Sector.INDUSTRY, Industry.C, "35", "equip", "gxj"),
    "nev": Sub(Sector.INDUSTRY, Industry.C, "36", "nev", "gxj"),
    "tcm_process": Sub(Sector.INDUSTRY, Industry.C, "27", "agri", "gxj"),
    "pv": Sub(Sector.ENERGY, Industry.D, "44", "energy", "nyj"),
    "wind": Sub(Sector.ENERGY, Industry.D, "44", "energy", "nyj"),
    "pumped": Sub(Sector.ENERGY, Industry.D, "44", "soe:energy", "nyj"),
    "cbm": Sub(Sector.ENERGY, Industry.B, "07", "gas", "nyj"),
    "storage": Sub(Sector.ENERGY, Industry.D, "44", "energy", "nyj"),
    "grid": Sub(Sector.ENERGY, Industry.D, "44", "soe:grid", "nyj"),
    "road": Sub(Sector.INFRASTRUCTURE, Industry.G, "48", "traffic", "jtj"),
    "taihang": Sub(Sector.INFRASTRUCTURE, Industry.G, "48", "traffic", "jtj"),
    "urban_road": Sub(Sector.INFRASTRUCTURE, Industry.E, "48", "lgfv", "zjj"),
    "water": Sub(Sector.INFRASTRUCTURE, Industry.D, "46", "water", "slj"),
    "heating": Sub(Sector.INFRASTRUCTURE, Industry.D, "44", "lgfv", "zjj"),
    "old_comm": Sub(Sector.INFRASTRUCTURE, Industry.E, "47", "lgfv", "zjj"),
    "tcm": Sub(Sector.AGRICULTURE, Industry.A, "01", "agri", "nync"),
    "millet": Sub(Sector.AGRICULTURE, Industry.C, "13", "agri", "nync"),
    "farmland": Sub(Sector.AGRICULTURE, Industry.A, "01", "gov", "nync"),
    "livestock": Sub(Sector.AGRICULTURE, Industry.A, "03", "agri", "nync"),
    "veg": Sub(Sector.AGRICULTURE, Industry.A, "01", "agri", "nync"),
    "cold_chain": Sub(Sector.AGRICULTURE, Industry.G, "59", "agri", "nync"),
    "tour": Sub(Sector.TOURISM, Industry.N, "78", "tour", "wlj"),
    "services": Sub(Sector.SERVICES, Industry.L, "72", "services", "swj"),
    "school": Sub(Sector.SOCIAL, Industry.P, "83", "gov", "jyj"),
    "hospital": Sub(Sector.SOCIAL, Industry.Q, "84", "hospital", "wjw"),
    "elderly": Sub(Sector.SOCIAL, Industry.Q, "85", "gov", "fgw"),
    "housing": Sub(Sector.SOCIAL, Industry.K, "47", "lgfv", "zjj"),
    "sports": Sub(Sector.SOCIAL, Industry.R, "89", "gov", "jyj"),
    "zhuozhang": Sub(Sector.ECOLOGY, Industry.N, "76", "gov", "slj"),
    "mine": Sub(Sector.ECOLOGY, Industry.N, "77", "dept:zrzy", "zrzy"),
    "sewage": Sub(Sector.ECOLOGY, Industry.D, "46", "lgfv", "sthj"),
    "greening": Sub(Sector.ECOLOGY, Industry.N, "77", "gov", "zrzy"),
}

# What each region builds: (kind of project, weight); counts are allotted by largest remainder.
PROFILES: dict[str, tuple[tuple[str, int], ...]] = {
    "140403": (
        ("services", 4),
        ("urban_road", 3),
        ("old_comm", 2),
        ("heating", 2),
        ("school", 3),
        ("hospital", 3),
        ("elderly", 1),
        ("housing", 2),
        ("sports", 1),
        ("new_mat", 2),
        ("equipment", 2),
        ("tour", 2),
        ("zhuozhang", 1),
        ("sewage", 1),
        ("storage", 1),
        ("water", 1),
    ),
    "140404": (
        ("equipment", 4),
        ("new_mat", 4),
        ("coal_chem", 1),
        ("nev", 2),
        ("pv", 2),
        ("road", 2),
        ("farmland", 2),
        ("tcm", 1),
        ("veg", 1),
        ("school", 2),
        ("zhuozhang", 1),
        ("tour", 1),
        ("services", 1),
        ("mine", 1),
        ("water", 1),
        ("cold_chain", 1),
        ("heating", 1),
        ("grid", 1),
    ),
    "140405": (
        ("coal_chem", 3),
        ("cbm", 2),
        ("new_mat", 2),
        ("pv", 2),
        ("wind", 1),
        ("storage", 1),
        ("road", 2),
        ("farmland", 2),
        ("livestock", 1),
        ("school", 2),
        ("zhuozhang", 1),
        ("mine", 2),
        ("heating", 1),
        ("tour", 1),
        ("equipment", 2),
        ("hospital", 1),
        ("water", 1),
    ),
    "140406": (
        ("coal_chem", 5),
        ("new_mat", 4),
        ("equipment", 2),
        ("pv", 1),
        ("storage", 1),
        ("road", 2),
        ("school", 1),
        ("hospital", 1),
        ("zhuozhang", 2),
        ("sewage", 1),
        ("heating", 1),
        ("farmland", 1),
        ("services", 1),
        ("old_comm", 1),
        ("mine", 1),
        ("grid", 1),
    ),
    "140423": (
        ("coal_chem", 4),
        ("new_mat", 3),
        ("cbm", 2),
        ("pv", 2),
        ("wind", 1),
        ("grid", 1),
        ("road", 2),
        ("farmland", 2),
        ("livestock", 1),
        ("school", 2),
        ("hospital", 1),
        ("zhuozhang", 1),
        ("mine", 2),
        ("equipment", 2),
        ("tour", 1),
        ("heating", 1),
        ("water", 1),
    ),
    "140425": (
        ("tour", 4),
        ("tcm", 3),
        ("wind", 3),
        ("pv", 2),
        ("pumped", 1),
        ("taihang", 2),
        ("farmland", 1),
        ("school", 1),
        ("greening", 1),
        ("zhuozhang", 1),
        ("water", 1),
        ("mine", 1),
        ("tcm_process", 1),
    ),
    "140426": (
        ("tour", 3),
        ("taihang", 1),
        ("new_mat", 2),
        ("equipment", 1),
        ("pv", 2),
        ("wind", 1),
        ("tcm", 1),
        ("farmland", 1),
        ("veg", 1),
        ("school", 1),
        ("hospital", 1),
        ("zhuozhang", 1),
        ("sewage", 1),
        ("water", 1),
        ("livestock", 1),
    ),
    "140427": (
        ("tour", 5),
        ("taihang", 2),
        ("pumped", 1),
        ("wind", 3),
        ("pv", 2),
        ("tcm", 3),
        ("veg", 2),
        ("farmland", 2),
        ("new_mat", 2),
        ("equipment", 1),
        ("road", 2),
        ("water", 1),
        ("school", 2),
        ("hospital", 1),
        ("elderly", 1),
        ("mine", 1),
        ("greening", 1),
        ("sewage", 1),
        ("cold_chain", 1),
        ("heating", 1),
        ("tcm_process", 1),
    ),
    "140428": (
        ("veg", 3),
        ("equipment", 2),
        ("new_mat", 2),
        ("nev", 1),
        ("pv", 2),
        ("road", 1),
        ("farmland", 2),
        ("livestock", 1),
        ("school", 2),
        ("hospital", 1),
        ("zhuozhang", 1),
        ("tour", 1),
        ("water", 1),
        ("cold_chain", 1),
        ("sewage", 1),
        ("elderly", 1),
        ("storage", 1),
    ),
    "140429": (
        ("tour", 4),
        ("millet", 2),
        ("pv", 3),
        ("wind", 1),
        ("farmland", 1),
        ("livestock", 1),
        ("taihang", 1),
        ("school", 1),
        ("hospital", 1),
        ("zhuozhang", 1),
        ("new_mat", 1),
        ("mine", 1),
        ("greening", 1),
        ("sports", 1),
        ("water", 1),
    ),
    "140430": (
        ("millet", 4),
        ("farmland", 2),
        ("livestock", 1),
        ("pv", 2),
        ("tour", 1),
        ("zhuozhang", 2),
        ("greening", 2),
        ("school", 1),
        ("hospital", 1),
        ("road", 1),
        ("tcm", 1),
        ("water", 1),
        ("sewage", 1),
    ),
    "140431": (
        ("cbm", 4),
        ("coal_chem", 1),
        ("tour", 3),
        ("pv", 1),
        ("wind", 2),
        ("greening", 2),
        ("mine", 1),
        ("road", 2),
        ("school", 1),
        ("hospital", 1),
        ("storage", 1),
        ("tcm", 1),
        ("farmland", 1),
        ("water", 1),
        ("heating", 1),
    ),
    "140471": (
        ("led", 9),
        ("led_pv", 3),
        ("new_mat", 8),
        ("equipment", 3),
        ("nev", 3),
        ("services", 5),
        ("storage", 1),
        ("urban_road", 2),
        ("school", 1),
        ("sewage", 1),
        ("heating", 1),
    ),
    "140472": (
        ("equipment", 9),
        ("nev", 7),
        ("new_mat", 6),
        ("led_pv", 2),
        ("coal_chem", 1),
        ("services", 4),
        ("storage", 1),
        ("urban_road", 2),
        ("school", 1),
        ("heating", 1),
        ("sewage", 1),
    ),
}

# Named tourism sites per county (public scenic areas and memorials), used before generic ones.
TOUR_SITES: dict[str, tuple[tuple[str, str], ...]] = {
    "140427": (
        ("太行山大峡谷八泉峡景区", "提档升级"),
        ("太行山大峡谷红豆峡景区", "基础设施改造"),
        ("太行山大峡谷青龙峡景区", "游客服务中心建设"),
        ("太行山大峡谷旅游度假区", "康养综合体建设"),
        ("壶关县太行山大峡谷", "智慧景区建设"),
    ),
    "140425": (("通天峡景区", "提档升级"), ("太行山大峡谷平顺段", "生态旅游开发"), ("平顺县太行民宿集群", "建设")),
    "140426": (("黎侯古城", "文化旅游街区建设"), ("黎城县太行山乡村旅游示范带", "建设")),
    "140429": (
        ("武乡县红色文化旅游区", "基础设施提升"),
        ("武乡县红色研学教育基地", "建设"),
        ("武乡县太行红色旅游小镇", "建设"),
    ),
    "140431": (("灵空山景区", "提档升级"), ("沁源县花坡景区", "康养度假区建设")),
    "140430": (("沁县漳河源头湿地", "旅游开发"),),
    "140403": (("上党门历史文化街区", "改造提升"), ("潞州区城市文化综合体", "建设")),
    "140404": (("上党区乡村旅游示范带", "建设"),),
}

ROAD_NAMES = (
    "太行东街",
    "英雄南路",
    "长兴北路",
    "紫金西街",
    "城东路",
    "迎宾大道",
    "新华街",
    "科创大道",
    "光明路",
    "创业街",
)
PROVINCIAL_ROADS = ("G207", "G208", "G309", "S226", "S324", "S325", "S222")
# Counties the 太行一号旅游公路 runs through in the demo, and those along the 浊漳河.
TAIHANG_COUNTIES = ("140427", "140425", "140426", "140429", "140431")
ZHUOZHANG_COUNTIES = (
    "140403",
    "140404",
    "140405",
    "140406",
    "140423",
    "140425",
    "140426",
    "140428",
    "140429",
    "140430",
)

ORDINALS = "二三四五六七八九"


def dec1(tenths: int) -> str:
    """4.2 from 42, 5 from 50: a figure as written in a construction content."""
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


def hundredths(value: int) -> str:
    """6.25 from 625, 4.5 from 450, 150 from 15000."""
    whole, frac = divmod(value, 100)
    return f"{whole}" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0")


@dataclass(frozen=True)
class Made:
    """What a template makes: the name stem (without 项目/工程), the ending, the content and the size."""

    stem: str
    ending: str
    content: str
    total: int  # 万元, before rounding
    address: str
    site: bool = False  # the stem names a site and needs no place prefix


def _verb(nature: str) -> str:
    return {Nature.EXPANSION: "扩建", Nature.RENOVATION: "改造"}.get(nature, "新建")


def make_project(
    kind: str, rng: random.Random, region: tuple[str, str, str], nature: str, used_sites: dict[str, int]
) -> Made:
    """Draw one project of ``kind`` in ``region`` (code, name, short)."""
    code, name, _short = region
    place = PLACE[code]
    verb = _verb(nature)
    city_place = f"长治市{name}"
    r = rng.randint

    if kind == "coal_chem":
        product, (lo, hi), (ulo, uhi) = rng.choice(
            (
                ("乙二醇", (20, 60), (9000, 13000)),
                ("己内酰胺", (10, 30), (15000, 22000)),
                ("聚甲氧基二甲醚", (10, 40), (4000, 7000)),
                ("煤基费托合成特种蜡", (5, 20), (12000, 18000)),
                ("高端润滑油基础油", (10, 30), (6000, 9000)),
                ("1,4-丁二醇", (5, 20), (14000, 20000)),
                ("生物可降解材料PBAT", (6, 30), (8000, 12000)),
                ("针状焦", (5, 20), (9000, 14000)),
                ("电池级碳酸二甲酯", (10, 30), (5000, 8000)),
                ("尼龙66切片", (5, 20), (20000, 28000)),
            )
        )
        n = r(lo, hi)
        total = min(max(n * r(ulo, uhi), 30000), 800000)
        if nature == Nature.RENOVATION:
            saving = r(2, 12)
            return Made(
                f"{product}装置节能降碳",
                "技术改造项目",
                f"对现有{product}装置实施节能降碳改造，更新关键设备{r(20, 80)}台（套），年节约标准煤{saving}万吨。",
                total // 5,
                f"{city_place}化工园区",
            )
        return Made(
            f"年产{n}万吨{product}",
            "项目",
            f"{verb}{product}生产装置及空分、热电、储运等配套公用工程，建成后年产{product}{n}万吨。",
            total,
            f"{city_place}化工园区",
        )

    if kind == "new_mat":
        product, unit, (lo, hi), (tlo, thi) = rng.choice(
            (
                ("高纯氧化铝", "万吨", (1, 5), (20000, 120000)),
                ("碳化硅单晶衬底", "万片", (10, 60), (50000, 300000)),
                ("蓝宝石晶棒", "万毫米", (100, 600), (20000, 100000)),
                ("锂电池负极材料", "万吨", (2, 10), (50000, 250000)),
                ("高性能碳纤维复合材料", "吨", (1000, 5000), (30000, 150000)),
                ("特种耐火材料", "万吨", (3, 15), (8000, 40000)),
                ("高端铝合金型材", "万吨", (3, 12), (15000, 80000)),
                ("石墨烯导热膜", "万平方米", (100, 500), (10000, 60000)),
                ("超高纯石英砂", "万吨", (2, 8), (20000, 80000)),
                ("电子级多晶硅", "吨", (1000, 5000), (60000, 300000)),
                ("高强度焊丝", "万吨", (2, 10), (5000, 20000)),
                ("陶瓷纤维制品", "万吨", (1, 5), (5000, 25000)),
            )
        )
        n = r(lo, hi)
        return Made(
            f"年产{n}{unit}{product}",
            "项目",
            f"{verb}厂房{dec1(r(8, 120))}万平方米，购置{product}生产线{r(2, 12)}条及配套环保设施，"
            f"年产{product}{n}{unit}。",
            r(tlo, thi),
            f"{city_place}新材料产业园" if code not in (GAOXIN, "140472") else f"{name}新材料产业园",
        )

    if kind in ("led", "led_pv"):
        products = (
            ("UV LED芯片", "万片", (30, 200), (30000, 150000), "MOCVD外延炉、光刻机"),
            ("深紫外LED外延片", "万片", (20, 120), (40000, 180000), "MOCVD外延炉"),
            ("Mini LED背光模组", "万片", (200, 1000), (20000, 90000), "巨量转移、固晶"),
            ("LED封装器件", "亿只", (50, 300), (10000, 60000), "固晶机、分光机"),
            ("红外LED及传感器件", "亿只", (10, 50), (10000, 50000), "外延、芯片"),
            ("高效TOPCon光伏电池", "GW", (2, 10), (80000, 400000), "PECVD、激光掺杂"),
            ("异质结光伏组件", "GW", (1, 5), (50000, 250000), "串焊机、层压机"),
            ("单晶硅棒及切片", "GW", (5, 20), (100000, 500000), "单晶炉、金刚线切片机"),
            ("半导体照明灯具", "万套", (100, 800), (5000, 30000), "自动化组装"),
        )
        if kind == "led":  # LED only, no photovoltaics; a zone's LED projects go through the chain in turn
            products = tuple(p for p in products if "光伏" not in p[0] and "硅" not in p[0])
            turn = used_sites.get(f"led:{code}", 0)
            used_sites[f"led:{code}"] = turn + 1
            product, unit, (lo, hi), (tlo, thi), equipment = products[turn % len(products)]
        else:
            product, unit, (lo, hi), (tlo, thi), equipment = rng.choice(products)
        n = r(lo, hi)
        return Made(
            f"年产{n}{unit}{product}",
            "项目",
            f"{verb}洁净厂房{dec1(r(10, 90))}万平方米，购置{equipment}等生产及检测设备{r(60, 600)}台（套），"
            f"年产{product}{n}{unit}。",
            r(tlo, thi),
            f"{name}光电产业园" if code in (GAOXIN, "140472") else f"{city_place}光电产业园",
        )

    if kind == "equipment":
        product, unit, (lo, hi), (tlo, thi) = rng.choice(
            (
                ("智能综采成套装备", "台（套）", (50, 300), (20000, 120000)),
                ("高端液压支架", "架", (2000, 8000), (15000, 80000)),
                ("矿用掘进机器人", "台", (100, 500), (10000, 60000)),
                ("煤矿智能化控制系统", "套", (200, 1000), (5000, 30000)),
                ("风电塔筒及法兰", "套", (300, 1000), (10000, 50000)),
                ("工程机械液压件", "万件", (10, 80), (8000, 40000)),
                ("轨道交通装备配件", "万件", (5, 30), (10000, 60000)),
                ("高精密轴承", "万套", (100, 500), (15000, 70000)),
                ("智能仓储物流装备", "套", (200, 800), (6000, 30000)),
                ("煤机装备再制造", "台（套）", (500, 2000), (5000, 20000)),
            )
        )
        n = r(lo, hi)
        return Made(
            f"年产{n}{unit}{product}",
            "项目",
            f"{verb}联合厂房{dec1(r(10, 80))}万平方米，购置数控加工中心、焊接机器人等设备{r(80, 400)}台（套），"
            f"年产{product}{n}{unit}。",
            r(tlo, thi),
            f"{name}装备制造产业园" if code in (GAOXIN, "140472") else f"{city_place}装备制造产业园",
        )

    if kind == "nev":
        product, unit, (lo, hi), (tlo, thi) = rng.choice(
            (
                ("新能源汽车驱动电机", "万台", (10, 50), (20000, 100000)),
                ("动力电池PACK", "GWh", (2, 10), (40000, 200000)),
                ("氢燃料电池发动机系统", "套", (1000, 5000), (20000, 80000)),
                ("新能源专用车", "辆", (3000, 20000), (30000, 150000)),
                ("汽车轻量化铝合金部件", "万件", (50, 300), (15000, 60000)),
                ("充换电设备", "台（套）", (5000, 30000), (8000, 30000)),
                ("新能源重卡", "辆", (5000, 20000), (50000, 200000)),
            )
        )
        n = r(lo, hi)
        return Made(
            f"年产{n}{unit}{product}",
            "项目",
            f"{verb}冲焊、涂装、总装等生产车间{dec1(r(20, 150))}万平方米，购置自动化生产线{r(2, 8)}条，"
            f"年产{product}{n}{unit}。",
            r(tlo, thi),
            f"{name}新能源汽车产业园" if code in (GAOXIN, "140472") else f"{city_place}汽车产业园",
        )

    if kind == "tcm_process":
        n = r(2, 10) * 1000
        return Made(
            f"{place}年加工{n}吨中药材饮片及提取物",
            "项目",
            f"{verb}GMP标准生产车间{r(8, 30)}千平方米，建设中药饮片、提取物生产线{r(2, 5)}条，"
            f"年加工上党党参、连翘等中药材{n}吨。",
            r(8000, 50000),
            f"{city_place}中药材产业园",
        )

    if kind == "pv":
        n = r(5, 30) * 10
        storage = n // 10
        label = rng.choice(("农光互补", "林光互补", "牧光互补", "渔光互补"))
        return Made(
            f"{place}{n}MW{label}光伏发电",
            "项目",
            f"建设{n}MW光伏发电站，配套建设110kV升压站一座、储能设施{storage}MW/{storage * 2}MWh及送出线路"
            f"{r(5, 30)}公里。",
            n * r(380, 450),
            f"{city_place}山区丘陵",
        )

    if kind == "wind":
        unit = rng.choice((450, 500, 625))  # single turbine, in hundredths of a MW
        k = r(10, 40)
        capacity = k * unit
        return Made(
            f"{place}{hundredths(capacity)}MW风电",
            "项目",
            f"安装单机容量{hundredths(unit)}MW风电机组{k}台，总装机{hundredths(capacity)}MW，"
            f"配套建设220kV升压站及集电线路。",
            capacity * r(550, 700) // 100,
            f"{city_place}太行山脊区域",
        )

    if kind == "pumped":
        n = rng.choice((120, 140))
        return Made(
            f"{name}抽水蓄能电站",
            "项目",
            f"建设装机容量{n}万千瓦（4台{n // 4}万千瓦可逆式机组）的抽水蓄能电站，包括上下水库、输水系统、"
            f"地下厂房及开关站。",
            r(700000, 800000),
            f"{city_place}太行山区",
        )

    if kind == "cbm":
        wells = r(60, 400)
        output = dec1(r(3, 30))
        return Made(
            f"{place}煤层气开发利用",
            "项目",
            f"施工煤层气井{wells}口，建设集输管网{r(30, 200)}公里及增压站{r(1, 4)}座，年产煤层气{output}亿立方米。",
            wells * r(250, 450),
            f"{city_place}煤层气区块",
        )

    if kind == "storage":
        n = r(5, 20) * 10
        return Made(
            f"{place}{n}MW/{n * 2}MWh独立储能电站",
            "项目",
            f"建设{n}MW/{n * 2}MWh磷酸铁锂电化学储能电站及220kV升压站一座。",
            n * r(150, 220),
            f"{city_place}",
        )

    if kind == "grid":
        return Made(
            f"{place}220千伏输变电",
            "工程",
            f"新建220千伏变电站一座，主变容量2×180兆伏安，新建220千伏线路{r(15, 60)}公里。",
            r(15000, 40000),
            f"{city_place}",
        )

    if kind == "road":
        road = rng.choice(PROVINCIAL_ROADS)
        km_tenths = r(80, 450)
        grade = rng.choice(("一级", "二级"))
        stem = f"{road}{place}段{'改线' if road.startswith('G') else '改建'}"
        return Made(
            stem,
            "工程",
            f"路线全长{dec1(km_tenths)}公里，按{grade}公路标准建设，路基宽度{r(10, 25)}米，"
            f"新建桥梁{r(2, 12)}座、涵洞{r(10, 60)}道。",
            km_tenths * r(300, 800) // 10 * (2 if grade == "一级" else 1),
            f"{city_place}境内",
        )

    if kind == "taihang":
        km_tenths = r(150, 900)
        return Made(
            f"太行一号旅游公路{place}段提质",
            "工程",
            f"路线全长{dec1(km_tenths)}公里，实施路面提质、观景平台{r(3, 12)}处、"
            f"旅游驿站{r(1, 5)}处及安全防护设施建设。",
            km_tenths * r(150, 400) // 10,
            f"{city_place}太行山区",
            site=True,
        )

    if kind == "urban_road":
        road = rng.choice(ROAD_NAMES)
        km_tenths = r(15, 80)
        return Made(
            f"{place}{road}道路新建" if nature != Nature.RENOVATION else f"{place}{road}道路",
            "工程",
            f"道路全长{dec1(km_tenths)}公里，红线宽度{rng.choice((30, 40, 50, 60))}米，同步建设雨污水管网、"
            f"照明及绿化工程。",
            km_tenths * r(800, 2000) // 10,
            f"{city_place}城区",
        )

    if kind == "water":
        n = r(2, 15)
        return Made(
            f"{place}城乡供水一体化",
            "工程",
            f"{verb}水厂一座，日供水能力{n}万吨，铺设供水管网{r(40, 300)}公里，覆盖{r(20, 150)}个行政村。",
            n * r(1500, 3000),
            f"{city_place}",
        )

    if kind == "heating":
        km = r(20, 120)
        return Made(
            f"{place}城区集中供热管网改造",
            "工程",
            f"改造老旧供热管网{km}公里，新建换热站{r(5, 40)}座，新增供热面积{r(50, 400)}万平方米。",
            km * r(150, 300),
            f"{city_place}城区",
        )

    if kind == "old_comm":
        k = r(10, 60)
        households = k * r(80, 200)
        return Made(
            f"{place}城镇老旧小区改造（第{ORDINALS[r(0, 3)]}批）",
            "项目",
            f"改造老旧小区{k}个{households}户，改造面积{dec1(households // 10)}万平方米，实施管网更新、外墙保温、"
            f"屋面防水及加装电梯等。",
            households * r(3, 6),
            f"{city_place}城区",
        )

    if kind == "tcm":
        herb = rng.choice(("上党党参", "连翘", "黄芩", "柴胡"))
        n = r(1, 5)
        return Made(
            f"{place}{herb}标准化种植基地建设",
            "项目",
            f"建设{herb}等道地中药材标准化种植基地{n}万亩，配套建设初加工车间及仓储设施{r(2, 10)}千平方米。",
            n * r(1500, 4000),
            f"{city_place}相关乡镇",
        )

    if kind == "millet":
        brand = "沁州黄" if code == "140430" else place
        tons = r(2, 10)
        return Made(
            f"{brand}小米精深加工产业园",
            "项目",
            f"建设谷子良种繁育基地{r(5, 30)}千亩，{verb}小米加工生产线{r(2, 6)}条、年加工小米{tons}万吨，"
            f"配套冷链仓储及电商中心。",
            tons * r(1500, 4000),
            f"{city_place}农产品加工园区",
        )

    if kind == "farmland":
        n = r(2, 10)
        return Made(
            f"{place}高标准农田建设（第{ORDINALS[r(0, 2)]}期）",
            "项目",
            f"建设高标准农田{n}万亩，配套灌溉排水、田间道路及农田防护林网工程。",
            n * r(1500, 3000),
            f"{city_place}相关乡镇",
        )

    if kind == "livestock":
        animal, unit, (lo, hi), per = rng.choice(
            (
                ("生猪", "万头", (5, 30), (800, 1500)),
                ("优质肉牛", "千头", (3, 20), (900, 1600)),
                ("蛋鸡", "万羽", (50, 200), (60, 120)),
            )
        )
        n = r(lo, hi)
        return Made(
            f"{place}年出栏{n}{unit}{animal}养殖",
            "项目",
            f"{verb}标准化养殖圈舍{r(20, 120)}栋，配套饲料加工、粪污资源化利用设施，年出栏{animal}{n}{unit}。",
            n * r(*per),
            f"{city_place}养殖园区",
        )

    if kind == "veg":
        crop = {"140427": "旱地西红柿", "140428": "青椒"}.get(code, rng.choice(("设施蔬菜", "食用菌")))
        k = r(100, 600)
        return Made(
            f"{place}{crop}产业园",
            "项目",
            f"{verb}日光温室{k}座、连栋温室{dec1(r(10, 80))}万平方米，配套水肥一体化系统及分拣包装中心。",
            k * r(20, 45),
            f"{city_place}现代农业产业园",
        )

    if kind == "cold_chain":
        n = r(2, 10)
        return Made(
            f"{place}农产品冷链物流中心",
            "项目",
            f"{verb}冷库{n}万吨、分拣加工车间{dec1(r(10, 60))}万平方米及冷链配送中心。",
            n * r(1200, 2500),
            f"{city_place}物流园区",
        )

    if kind == "tour":
        sites = TOUR_SITES.get(code, ())
        index = used_sites.get(code, 0)
        used_sites[code] = index + 1
        area = r(2, 12) * 1000
        content = (
            f"建设游客服务中心{area}平方米，提升景区道路{dec1(r(20, 150))}公里，新建观光栈道、生态停车场及"
            f"智慧景区系统。"
        )
        if index < len(sites):
            site, work = sites[index]
            return Made(
                f"{site}{work}", "项目", content, r(8000, 120000), f"{city_place}{site.removeprefix(name)}", site=True
            )
        generic = rng.choice(("太行康养小镇", "精品民宿集群", "乡村旅游示范村", "红色研学基地", "森林康养基地"))
        return Made(f"{place}{generic}建设", "项目", content, r(5000, 60000), f"{city_place}")

    if kind == "services":
        what, parts = rng.choice(
            (
                ("数字经济产业园", "研发办公楼、数据机房、人才公寓及配套服务设施"),
                ("电子商务产业园", "电商孵化中心、直播基地、仓储分拨中心及配套服务设施"),
                ("商贸物流园", "智能仓储库房、分拨中心、交易展示区及停车场"),
                ("城市商业综合体", "购物中心、商务写字楼、精品酒店及地下停车场"),
                ("大数据中心", "数据中心机房楼、动力中心及运维楼，部署标准机柜"),
                ("科技创新中心", "研发孵化楼、中试基地、检验检测平台及人才公寓"),
                ("人力资源服务产业园", "人力资源服务大厅、培训中心及企业办公区"),
                ("现代物流园", "高标准仓库、冷链库、多式联运场站及信息平台"),
            )
        )
        area = r(5, 40)
        return Made(
            f"{place}{what}",
            "项目",
            f"{verb}{what}，总建筑面积{area}万平方米，包括{parts}。",
            area * r(3000, 6000),
            f"{city_place}",
        )

    if kind == "school":
        if rng.random() < 0.5:
            students = r(12, 36) * 100
            return Made(
                f"{place}第{ORDINALS[r(0, 7)]}中学新建",
                "项目",
                f"新建教学楼、实验楼、学生宿舍及食堂等建筑面积{dec1(students // 50)}万平方米，"
                f"设计规模{students // 50}个班，可容纳学生{students}人。",
                students * r(5, 9),
                f"{city_place}城区",
            )
        return Made(
            f"{place}实验小学改扩建",
            "工程",
            f"改扩建教学楼及综合楼{r(8, 25)}千平方米，新建风雨操场及运动场地。",
            r(2000, 8000),
            f"{city_place}城区",
        )

    if kind == "hospital":
        what = rng.choice(("门诊医技综合楼", "住院综合楼", "传染病区", "急诊急救中心"))
        beds = r(2, 10) * 100
        return Made(
            what,
            "建设项目",
            f"新建{what}建筑面积{dec1(beds // 10)}万平方米，新增床位{beds}张，购置医疗设备{r(200, 800)}台（套）。",
            beds * r(40, 80),
            f"{city_place}城区",
        )

    if kind == "elderly":
        beds = r(2, 8) * 100
        return Made(
            f"{place}养老服务中心",
            "项目",
            f"{verb}养老服务中心建筑面积{dec1(beds // 4)}千平方米，设置养老床位{beds}张及医养结合服务设施。",
            beds * r(12, 25),
            f"{city_place}城区",
        )

    if kind == "housing":
        units = r(5, 30) * 100
        return Made(
            f"{place}保障性租赁住房",
            "项目",
            f"新建保障性租赁住房{units}套，建筑面积{dec1(units * 7 // 100)}万平方米，配套建设地下车库及社区服务设施。",
            units * r(15, 25),
            f"{city_place}城区",
        )

    if kind == "sports":
        return Made(
            f"{place}全民健身中心",
            "项目",
            f"新建综合体育馆、游泳馆及室外运动场地，总建筑面积{dec1(r(10, 40))}万平方米。",
            r(5000, 20000),
            f"{city_place}城区",
        )

    if kind == "zhuozhang":
        km_tenths = r(80, 400)
        return Made(
            f"浊漳河{place}段综合治理",
            "工程",
            f"治理河道{dec1(km_tenths)}公里，实施堤防加固、生态护岸、湿地修复及沿河截污纳管工程。",
            km_tenths * r(80, 250) // 10,
            f"{city_place}浊漳河沿线",
            site=True,
        )

    if kind == "mine":
        k = r(10, 80)
        return Made(
            f"{place}历史遗留废弃矿山生态修复",
            "项目",
            f"修复治理废弃矿山图斑{k}处、面积{k * r(3, 8)}公顷，实施削坡整形、覆土复绿及地质灾害防治。",
            k * r(80, 250),
            f"{city_place}相关乡镇",
        )

    if kind == "sewage":
        n = r(2, 10)
        return Made(
            f"{place}污水处理厂提标改造及扩容",
            "工程",
            f"新增污水处理能力{n}万吨/日，出水水质提升至地表水准Ⅳ类标准，配套建设管网{r(10, 60)}公里。",
            n * r(1500, 3000),
            f"{city_place}",
        )

    if kind == "greening":
        n = r(2, 10)
        return Made(
            f"{place}国土绿化示范",
            "工程",
            f"完成造林绿化{n}万亩，实施森林抚育{r(2, 10)}万亩，建设防火通道及管护设施。",
            n * r(600, 1500),
            f"{city_place}相关乡镇",
        )

    raise ValueError(f"unknown project kind {kind!r}")
