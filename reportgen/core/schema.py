"""The workbook a county bureau fills in, declared as data (see shared/spec/data-contract.md).

The loader, the validator, ``reportgen init`` and the example generator all read these
declarations; nothing else names a sheet or a header.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.core.vocabulary import LEDGER_STATES as STATES

# Canonical units and the spellings accepted for them in a header.
UNIT_ALIASES: dict[str, str] = {
    "平方米": "平方米", "m2": "平方米", "m²": "平方米", "㎡": "平方米", "平米": "平方米",
    "元": "元", "万元": "万元", "亿元": "亿元",
    "人": "人", "个": "个", "间": "间", "台": "台", "册": "册", "年": "年",
    "平方公里": "平方公里", "km2": "平方公里", "万人": "万人", "%": "%",
}
# Factors that convert a money amount into 元.
YUAN_PER: dict[str, float] = {"元": 1.0, "万元": 1e4, "亿元": 1e8}

SCHOOL_TYPES = ("小学", "初级中学", "九年一贯制学校", "完全中学", "十二年一贯制学校",
                "小学教学点", "特殊教育学校", "职业学校", "高级中学")
OWNERSHIP = ("公办", "民办")
URBAN_RURAL = ("城区", "镇区", "乡村")
LEVELS = ("合计", "学前", "小学", "初中", "普通高中", "中等职业", "特殊教育")
LEDGER_STATES = tuple(STATES)
YES_NO = ("是", "否")
GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级")
SENIOR_GRADES = ("高一", "高二", "高三")
KINDERGARTEN_GRADES = ("小班", "中班", "大班", "混龄班")
# 班级.年级 is stored as a number: 1–9 义务教育, 10–12 普通高中, and the kindergarten classes
# below 1 in age order (小班 -3, 中班 -2, 大班 -1, 混龄班 0).
GRADE_CODES: dict[str, int] = {
    **{name: i for i, name in enumerate(GRADES, 1)},
    **{name: i for i, name in enumerate(SENIOR_GRADES, len(GRADES) + 1)},
    **{name: i for i, name in enumerate(KINDERGARTEN_GRADES, -len(KINDERGARTEN_GRADES) + 1)},
}
GRADE_NAMES: dict[int, str] = {code: name for name, code in GRADE_CODES.items()}
COMPULSORY_GRADE_CODES = tuple(range(1, len(GRADES) + 1))
SENIOR_GRADE_CODES = tuple(GRADE_CODES[g] for g in SENIOR_GRADES)
KINDERGARTEN_GRADE_CODES = tuple(GRADE_CODES[g] for g in KINDERGARTEN_GRADES)
KINDERGARTEN_OWNERSHIP = ("公办", "普惠性民办", "非普惠性民办")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its canonical header, value kind and canonical unit."""

    name: str
    kind: str = "text"  # text | int | number | money | date | year | enum | grade
    unit: str | None = None
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    note: str = ""

    @property
    def header(self) -> str:
        """The header as ``reportgen init`` writes it, unit included."""
        return f"{self.name}({self.unit})" if self.unit else self.name


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    key_value: bool = False  # 基本信息: two columns 项目 | 内容
    note: str = ""
    # How a person names one row (the 变更说明 compares builds row by row): the columns that
    # identify it, whether rows are numbered within their first key column (paragraphs of a
    # 章节), and the column that gives the row's name beside its key.
    key: tuple[str, ...] = ()
    numbered: bool = False
    title: str = ""
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self.by_name[name]


def _n(name: str, unit: str | None = None, note: str = "", required: bool = False,
       kind: str = "int") -> Column:
    return Column(name, kind=kind, unit=unit, required=required, note=note)


def _section_teacher_columns() -> tuple[Column, ...]:
    cols = []
    for sec in ("小学", "初中"):
        cols += [
            _n(f"{sec}专任教师数", "人", f"{sec}学段专任教师数"),
            _n(f"{sec}高于规定学历教师数", "人",
               "小学为专科及以上、初中为本科及以上学历的专任教师数" if sec == "小学" else "本科及以上学历的专任教师数"),
            _n(f"{sec}县级以上骨干教师数", "人", "县级及以上认定的骨干教师（含学科带头人、名师）"),
            _n(f"{sec}体育艺术专任教师数", "人", "体育、音乐、美术专任教师数之和"),
            _n(f"{sec}中级及以上职称教师数", "人", "中级及以上专业技术职务教师数（基本均衡用）"),
        ]
    return tuple(cols)


BASIC_INFO = Sheet("基本信息", (
    Column("项目", required=True, note="项目名称，如 地区名称、评价年度、成文日期"),
    Column("内容", note="项目的内容"),
), required=True, key_value=True, note="地区和报告的基本情况，一行一项")

# Keys of 基本信息 the reports rely on, with their kinds.
BASIC_INFO_KEYS: tuple[Column, ...] = (
    Column("地区名称", required=True, note="如 某某县"),
    Column("上级地区", note="如 某某市"),
    Column("评价年度", kind="year", required=True, note="如 2025"),
    Column("报告单位", note="如 某某县人民政府"),
    Column("主送机关", note="报告的主送机关，如 某某市人民政府教育督导委员会办公室（整改报告缺省为督导单位）"),
    Column("成文日期", kind="date", note="如 2025年7月1日"),
    Column("国土面积", kind="number", unit="平方公里"),
    Column("户籍人口", kind="number", unit="万人"),
    Column("常住人口", kind="number", unit="万人"),
    Column("地区生产总值", kind="number", unit="亿元"),
    Column("一般公共预算收入", kind="number", unit="亿元"),
    Column("评价通知", note="开展本次评价所依据的文件，如 《关于开展2025年度履行教育职责评价工作的通知》"),
    Column("督导单位", note="整改报告用：开展督导的单位，如 省人民政府教育督导委员会办公室"),
    Column("督导时间", kind="date", note="整改报告用：实地督导的日期"),
    Column("反馈时间", kind="date", note="整改报告用：收到反馈意见的日期"),
    Column("整改报告标题", note="整改报告用：可选，留空时自动生成"),
)

SCHOOLS = Sheet("学校", (
    Column("学校标识码", required=True, aliases=("学校代码", "学校识别码", "标识码"),
           note="全国统一的10位学校标识码，不得重复"),
    Column("学校名称", required=True),
    Column("办学类型", kind="enum", required=True, choices=SCHOOL_TYPES),
    Column("办学性质", kind="enum", choices=OWNERSHIP, note="留空视为公办"),
    Column("城乡分类", kind="enum", choices=URBAN_RURAL),
    _n("小学在校生数", "人"), _n("初中在校生数", "人"), _n("高中在校生数", "人"),
    _n("小学班级数", "个"), _n("初中班级数", "个"), _n("高中班级数", "个", "高级中学、完全中学、十二年一贯制学校"),
    _n("教学及辅助用房面积", "平方米", "全校", True, kind="number"),
    _n("体育运动场馆面积", "平方米", "全校", True, kind="number"),
    Column("教学仪器设备值", kind="money", unit="元", required=True, note="全校；表头可写(元)或(万元)"),
    _n("网络多媒体教室数", "间", "全校", True),
    _n("计算机台数", "台", "全校教学用计算机"),
    _n("图书册数", "册", "全校"),
    _n("音乐专用教室数", "间"), _n("音乐专用教室最小面积", "平方米", "面积最小的一间", kind="number"),
    _n("美术专用教室数", "间"), _n("美术专用教室最小面积", "平方米", "面积最小的一间", kind="number"),
    *_section_teacher_columns(),
    Column("公用经费预算总额", kind="money", unit="万元", note="本校年度公用经费预算总额；表头可写(万元)或(元)"),
    Column("教师培训经费", kind="money", unit="万元", note="本校年度安排的教师培训经费；表头可写(万元)或(元)"),
    Column("建校年份", kind="year", unit="年"),
    Column("豁免说明", note="经批准的地方豁免（如放宽面积标准），原样写入报告；指标体系规定了放宽标准、"
                        "且建校年份早于其规定年份的学校，专用教室、学校规模按放宽标准认定"),
), required=True, key=("学校标识码",), title="学校名称", note="一行一所学校（含教学点、特殊教育学校）")

CLASSES = Sheet("班级", (
    Column("学校标识码", required=True, aliases=("学校代码", "学校识别码", "标识码"),
           note="学校的标识码；幼儿园的班级填幼儿园标识码"),
    Column("年级", kind="grade", required=True, choices=GRADES + SENIOR_GRADES + KINDERGARTEN_GRADES,
           note="一年级…九年级（或 1…9）、高一…高三（或 10…12）；幼儿园为 小班、中班、大班、混龄班"),
    Column("班级", required=True, note="班级名称，如 3班"),
    _n("学生数", "人", "本班学生数", True),
), key=("学校标识码", "年级", "班级"), note="一行一个班级（可选）")

FUNDING = Sheet("经费", (
    Column("年度", kind="year", required=True),
    Column("学段", kind="enum", required=True, choices=LEVELS),
    Column("一般公共预算教育支出", kind="money", unit="万元", required=True,
           note="表头可写(万元)或(元)"),
    _n("在校生数", "人", "该学段在校生数，用于生均支出", False),
), required=True, key=("年度", "学段"), note="一年一学段一行；至少两个连续年度")

COUNTY = Sheet("县级指标", (
    Column("指标", required=True, note="如 教师平均工资收入、交流轮岗教师数"),
    Column("值", kind="number", required=True),
    Column("单位", note="如 万元、人、%"),
    Column("说明"),
), key=("指标",), note="不按学校统计的县级数据（可选）")

LEDGER = Sheet("整改台账", (
    _n("序号", None, "稳定的问题编号", True),
    Column("问题来源", note="如 2024年省级督导评估反馈意见"),
    Column("问题类别", required=True, note="如 资源配置、班额、经费投入"),
    Column("反馈问题", required=True, note="督导反馈的原文"),
    Column("整改措施", required=True, note="一行一条措施，报告中写作 一是…二是…"),
    Column("责任单位", required=True),
    Column("责任人"),
    Column("完成时限", kind="date", required=True),
    Column("整改状态", kind="enum", required=True, choices=LEDGER_STATES),
    Column("整改进展", note="已做的工作，尽量带数字"),
    Column("佐证材料"),
    Column("销号日期", kind="date", note="已完成事项的销号日期"),
), key=("序号",), note="一行一个反馈问题（整改报告用）")

POINTS = Sheet("测评点", (
    Column("编号", required=True),
    Column("一级指标", required=True),
    Column("二级指标"),
    Column("测评点", required=True),
    _n("分值", None, "", True, kind="number"),
    _n("自评得分", None, "不能由数据计算的测评点由填报人打分", kind="number"),
    Column("得失分说明"),
    Column("适用", kind="enum", choices=YES_NO, note="否 = 无此项工作任务，不计分"),
    Column("计算方式", kind="enum", choices=("自动", "人工"), note="自动 = 由数据计算；人工 = 填写自评得分和得失分说明"),
), key=("编号",), note="履行教育职责评价的测评点（由指标体系生成，填报自评得分）")

TEXTS = Sheet("文字材料", (
    Column("章节", required=True, note="报告中的章节名，如 主要做法、存在问题、下一步工作计划"),
    Column("内容", required=True, note="一段文字；同一章节可写多行，按顺序成段"),
), key=("章节",), numbered=True, note="需要人工撰写的段落（可选）")

KINDERGARTENS = Sheet("幼儿园", (
    Column("幼儿园标识码", required=True, aliases=("幼儿园代码", "幼儿园识别码"), note="不得重复"),
    Column("幼儿园名称", required=True),
    Column("办园性质", kind="enum", required=True, choices=KINDERGARTEN_OWNERSHIP),
    Column("城乡分类", kind="enum", choices=URBAN_RURAL),
    Column("所在乡镇", note="乡镇或街道名称"),
    Column("乡镇中心园", kind="enum", choices=YES_NO),
    Column("小区配套园", kind="enum", choices=YES_NO),
    _n("在园幼儿数", "人", "", True),
    _n("班级数", "个", "", True),
    _n("专任教师数", "人", "", True),
    _n("持证专任教师数", "人", "持有幼儿园教师资格证的专任教师"),
    _n("保育员数", "人"),
    _n("占地面积", "平方米", kind="number"),
    _n("建筑面积", "平方米", kind="number"),
    _n("室外游戏场地面积", "平方米", kind="number"),
    _n("活动室面积", "平方米", kind="number"),
    Column("生均公用经费", kind="money", unit="元",
           note="公办园填生均公用经费或生均财政拨款，普惠性民办园填生均补助"),
), key=("幼儿园标识码",), title="幼儿园名称", note="一行一所幼儿园（学前教育报告用，可选）")

STATEMENTS = Sheet("情况说明", (
    Column("指标", required=True, note="需要说明的指标名称（reportgen init 已列出）"),
    Column("结论", kind="enum", choices=("达标", "未达标", "不适用"), note="空 = 尚未说明"),
    Column("说明", note="本县情况，以本县口吻写，报告照原文引用"),
    Column("佐证材料"),
), key=("指标",), note="不能由数据判断、需由本县说明的指标（可选）")

SHEETS: tuple[Sheet, ...] = (BASIC_INFO, SCHOOLS, CLASSES, FUNDING, COUNTY, LEDGER, POINTS, TEXTS,
                             KINDERGARTENS, STATEMENTS)
SHEET_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}
