"""Indicator systems as data: loading, checking and typing the YAML files in ``reportgen/systems``.

Three kinds of system exist (``kind`` is the key of ``Settings.systems``):

- ``quality``: 县域义务教育优质均衡 (资源配置, 政府保障程度, 教育质量, 社会认可度, vetoes, class and
  school size rules);
- ``basic``: 县域义务教育基本均衡 (8 difference coefficients and the composite limit);
- ``duty``: a 履行教育职责 evaluation (一级/二级指标, 测评点 with scores and scoring rules, 加分,
  一票否决/降等, grade bands).

A system is selected by a built-in name (a file in ``reportgen/systems``) or by a path relative
to the workspace. Every problem raises ``IndicatorSystemError`` naming the file and the key.
The analysis reads every threshold from these objects; none is written in analysis code.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from reportgen.core.errors import IndicatorSystemError
from reportgen.core.schema import SCHOOL_TYPES, SCHOOLS, URBAN_RURAL
from reportgen.systems.schemes import MANUAL, RESULT_ROOTS, Node, Scheme, parse_located, read_scheme, text_problem

SECTIONS = ("小学", "初中")
SPLIT_SECTIONS = ("小学", "初中", "高中")
SECTION_PLACEHOLDER = "{学段}"
KIND_LABELS = {"quality": "优质均衡", "basic": "基本均衡", "duty": "履职评价", "scheme": "评估方案",
               "preschool": "学前普及普惠"}

# Item checks a system may ask for (政府保障程度, 教育质量, 社会认可度).
NARRATIVE = "说明"
SCHOOL_CHECKS = ("专用教室", "学校规模", "班额", "小规模学校经费", "学校比例")
COUNTY_CHECKS = ("县级数值", "县级比例", "县级比较")
ROOM_MINIMA = {"音乐教室最小面积": "music_min_area", "美术教室最小面积": "art_min_area"}  # 专用教室 key → params
# 放宽标准 (standards §1.2): a province relaxes item 3 or 4 for older schools that document an exemption.
RELAXED_KEY = "放宽标准"
BUILT_BEFORE = "建校年份早于"
EARLIEST_YEAR = 1800.0

# Results a 履职评价 测评点 may be computed from: name → "count" | "pass".
# "政府保障程度.<编号>" and "教育质量.<编号>" name an item of the quality system ("pass").
DUTY_MEASURES: dict[str, str] = {
    "学校规模.超规模学校数": "count",
    "班额.超标准班额数": "count",
    "班额.大班额数": "count",
    "班额.超大班额数": "count",
    "班额.大班额及以上数": "count",
    "经费.一般公共预算教育支出只增不减": "pass",
    "经费.生均一般公共预算教育支出只增不减": "pass",
    "经费.两个只增不减": "pass",
    "经费.三个增长": "pass",
    "优质均衡.差异系数超标项数": "count",
    "优质均衡.资源配置未达标学校数": "count",
    "基本均衡.综合差异系数": "pass",
    "社会认可度": "pass",
}
ITEM_MEASURE_PREFIXES = ("政府保障程度.", "教育质量.")
SCORING_RULES = {"达标得分": ("count", "pass"), "每项扣分": ("count",), "有则扣分": ("count",)}
NOT_APPLICABLE_MODES = ("按比例折算", "不计入", "计满分")
VETO_ACTIONS = ("一票否决", "降一等")
# 三个增长 (教育法): each growth is read from its rate (「…增长率」) or from this year's and last year's
# amounts; 生均教育费用 comes from the 经费 sheet, not from 县级指标.
THREE_GROWTH_FIGURES = ("教育财政拨款", "财政经常性收入", "教师平均工资收入", "生均公用经费")
THREE_GROWTH_KEYS = tuple(key for name in THREE_GROWTH_FIGURES for key in (f"{name}增长率", name, f"上年{name}"))

_SCHOOL_COLUMNS = {c.name for c in SCHOOLS.columns if c.kind in ("int", "number", "money")}


# ---------------------------------------------------------------- typed systems

@dataclass(frozen=True)
class Indicator:
    """One per-school indicator: X_i = factor × Σ numerator columns / pupils."""

    id: str
    label: str
    unit: str
    numerator: tuple[str, ...]              # column names, may contain {学段}
    factor: float
    standard: dict[str, float] | None = None  # 小学/初中 → minimum (优质均衡 only)
    short: str = ""                         # 简称: chart axes and table headers ("" = the full name)

    def columns(self, section: str) -> tuple[str, ...]:
        """The numerator columns as named in the section frame (``{学段}`` resolved)."""
        return tuple(c.replace(SECTION_PLACEHOLDER, section) for c in self.numerator)

    @property
    def per_section(self) -> tuple[bool, ...]:
        return tuple(SECTION_PLACEHOLDER in c for c in self.numerator)


@dataclass(frozen=True)
class Scope:
    excluded_types: tuple[str, ...]
    small_site_type: str | None
    small_site_min_pupils: float | None
    include_private: bool


@dataclass(frozen=True)
class Split:
    columns: tuple[str, ...]
    weights: dict[str, dict[str, float]]    # 办学类型 → {小学|初中|高中: weight}

    def weight(self, school_type: str, section: str) -> float:
        """The pupil weight of a section; types without a row weigh every section 1."""
        return self.weights.get(school_type, {}).get(section, 1.0)


@dataclass(frozen=True)
class PerSchoolRule:
    min_met: int
    floor_ratio: float


@dataclass(frozen=True)
class Balance:
    """What a difference-coefficient analysis needs: scope, split, indicators, limits."""

    scope: Scope
    split: Split
    indicators: tuple[Indicator, ...]
    cv_max: dict[str, float] | None = None         # per indicator (优质均衡)
    composite_max: dict[str, float] | None = None  # on the mean of CVs (基本均衡)
    per_school: PerSchoolRule | None = None


@dataclass(frozen=True)
class Condition:
    """One numeric test on 县级指标 values."""

    kind: str                          # 县级数值 | 县级比例 | 县级比较
    label: str
    names: tuple[str, ...] = ()        # the value itself (县级数值, 县级比例, 县级比较)
    numerator: tuple[str, ...] = ()    # or a ratio of two values (县级比例)
    denominator: tuple[str, ...] = ()
    at_least: float | None = None
    at_least_names: tuple[str, ...] = ()  # 县级比较: compare with another value
    unit: str | None = None


@dataclass(frozen=True)
class Item:
    """One item of 政府保障程度 / 教育质量 / 社会认可度."""

    number: int | None
    id: str
    label: str
    check: str                          # 说明 | 专用教室 | 学校规模 | 班额 | 小规模学校经费 | 学校比例 | 县级
    conditions: tuple[Condition, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    stated_part: str | None = None      # 说明项: the half of a computed item the county states in 情况说明

    @property
    def statement_names(self) -> tuple[str, ...]:
        """The 情况说明 指标 names that state this item (or its stated half)."""
        return (self.stated_part or self.label, self.id)

    @property
    def needs_statement(self) -> bool:
        return self.check == NARRATIVE or self.stated_part is not None


@dataclass(frozen=True)
class Veto:
    id: str
    label: str
    figures: tuple[tuple[str, ...], ...]  # 县级指标 counting the cases, each with its accepted names; empty → 待说明
    action: str = "不予认定"


@dataclass(frozen=True)
class ClassSizeRule:
    standard: dict[str, float]           # 小学/初中 → largest standard class
    large_min: float
    large_max: float
    huge_min: float
    senior_standard: float | None = None  # 普通高中 (国办发〔2019〕29号); bands as above


@dataclass(frozen=True)
class Relaxation:
    """An approved relaxed standard (放宽标准): it applies to a school that documents an exemption
    (学校 › 豁免说明) and was built before ``built_before`` (学校 › 建校年份)."""

    built_before: int
    values: dict[str, float]             # 音乐/美术教室最小面积 (专用教室) or 办学类型 (学校规模) → relaxed value

    def covers(self, built: object) -> bool:
        """Whether a school built in ``built`` (a year, or None/NaN when not reported) qualifies."""
        return isinstance(built, (int, float)) and not math.isnan(built) and built < self.built_before


@dataclass(frozen=True)
class SchoolSizeRule:
    caps: dict[str, float]               # 办学类型 → largest 义务教育 enrolment
    relaxed: Relaxation | None = None    # 放宽标准: 办学类型 → a larger cap for older schools


@dataclass(frozen=True)
class QualitySystem:
    source: str
    name: str
    document: str
    balance: Balance
    class_size: ClassSizeRule
    school_size: SchoolSizeRule
    guarantee: tuple[Item, ...]
    education_quality: tuple[Item, ...]
    social_recognition: Item
    vetoes: tuple[Veto, ...]


@dataclass(frozen=True)
class BasicSystem:
    source: str
    name: str
    document: str
    balance: Balance


@dataclass(frozen=True)
class ScoringRule:
    measure: str
    rule: str                     # 达标得分 | 每项扣分 | 有则扣分
    per_item: float | None = None
    max_deduction: float | None = None
    deduction: float | None = None
    fail_score: float = 0.0
    spec: Any = None              # the scheme-language rule (systems/schemes.Rule) this one views


@dataclass(frozen=True)
class DutyPoint:
    id: str
    level1: str
    level2: str
    text: str
    max_score: float
    criteria: str
    rule: ScoringRule | None = None


@dataclass(frozen=True)
class Domain:
    name: str
    max_score: float
    subdomains: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class BonusItem:
    id: str
    label: str
    max_score: float
    criteria: str


@dataclass(frozen=True)
class DutySystem:
    source: str
    name: str
    total: float
    not_applicable: str
    grades: tuple[tuple[str, float], ...]   # (name, minimum score), highest first
    bonus_cap: float
    domains: tuple[Domain, ...]
    points: tuple[DutyPoint, ...]
    bonus: tuple[BonusItem, ...]
    vetoes: tuple[Veto, ...]
    funding_keys: dict[str, tuple[str, ...]]
    scheme: Any = None            # the Scheme this system views, when written in the scheme language

    def point(self, point_id: str) -> DutyPoint | None:
        return next((p for p in self.points if p.id == point_id), None)


System = QualitySystem | BasicSystem | DutySystem | Scheme


# ---------------------------------------------------------------- kinds

@dataclass(frozen=True)
class Kind:
    """A kind of indicator system: its Chinese label (the file's 体系) and how a file becomes a system.

    ``build(label, text, source)`` gets the file name, its text and the name it was chosen by.
    A new kind is one module plus its YAML: the module calls ``register_kind``.
    """

    label: str
    build: Callable[[str, str, str], Any]
    settings_key: str


KINDS: dict[str, Kind] = {}


def register_kind(kind: str, label: str, build: Callable[[str, str, str], Any], settings_key: str | None = None) -> None:
    KINDS[kind] = Kind(label, build, settings_key or label)


# ---------------------------------------------------------------- loading

SCHEME_FOLDER = "方案"  # built-in scored schemes (kind "scheme"); 履职评价示例 is one as well


def builtin_scheme_names() -> list[str]:
    """Names of the built-in scored schemes: the files in systems/方案 and the 履职 example."""
    folder = resources.files("reportgen") / "systems" / SCHEME_FOLDER
    return sorted([p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")] + ["履职评价示例"])


def builtin_names() -> list[str]:
    """Names of the systems shipped with reportgen (file stems in reportgen/systems)."""
    folder = resources.files("reportgen") / "systems"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_system(kind: str, name_or_path: str, root: Path | str | None = None) -> System:
    """Load, check and type an indicator system of a registered ``kind`` (quality | basic | duty | scheme | preschool)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    label, text = _read_source(kind, str(name_or_path), Path(root or "."))
    return _built(kind, label, text, str(name_or_path))


@lru_cache(maxsize=32)
def _built(kind: str, label: str, text: str, source: str) -> System:
    """A system is immutable and depends on its text only: validation and the input checks read
    the same files, and a warm ``watch`` process reads them again after every save."""
    return KINDS[kind].build(label, text, source)


def _classic(kind: str, builder: Callable) -> Callable[[str, str, str], Any]:
    """A build function for the quality/basic/duty file formats (checked key by key)."""
    def build(label: str, text: str, source: str):
        raw = _parse_yaml(label, text)
        doc = _Doc(label)
        declared = doc.text(raw, "体系", "")
        if declared != KIND_LABELS[kind]:
            doc.fail("体系", f"应为「{KIND_LABELS[kind]}」，实际为「{declared}」（该文件不是{KIND_LABELS[kind]}指标体系）")
        return builder(doc, raw, source)
    return build


def _build_scheme(label: str, text: str, source: str) -> Scheme:
    return read_scheme(label, parse_located(label, text), source, known_figure)


def _build_duty(label: str, text: str, source: str) -> DutySystem:
    """A 履职 system: the scheme language (a top-level 「指标」 tree) or the older 一级指标/二级指标 format.

    Any scheme may be chosen here (体系 履职评价 or 评估方案): the 测评点 sheet is then scored against it.
    """
    raw = _parse_yaml(label, text)
    if "指标" in raw:
        return duty_view(_build_scheme(label, text, source))
    return _classic("duty", _duty)(label, text, source)


def known_figure(figure: str) -> str | None:
    """What a scheme may do with ``figure``: "count" | "pass" (named results), "path" (a result path), None."""
    if measure_kind(figure) is not None:
        return measure_kind(figure)
    return "path" if figure.split(".", 1)[0].split("[", 1)[0] in RESULT_ROOTS else None


def _read_source(kind: str, name: str, root: Path) -> tuple[str, str]:
    folder = resources.files("reportgen") / "systems"
    folders = ([folder / SCHEME_FOLDER] if kind in ("scheme", "duty") else []) + [folder]
    builtin = next((f / f"{name}.yaml" for f in folders if (f / f"{name}.yaml").is_file()), None)
    if "/" not in name and "\\" not in name and builtin is not None:
        return f"{name}.yaml", builtin.read_text(encoding="utf-8")
    path = Path(name)
    path = path if path.is_absolute() else root / path
    if not path.is_file():
        raise IndicatorSystemError(
            f"找不到{KIND_LABELS[kind]}指标体系「{name}」：既不是内置体系（{'、'.join(builtin_names())}），"
            f"也不是工作区中的文件（{path}）")
    try:
        return path.name, path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IndicatorSystemError(f"指标体系文件「{path.name}」不是 UTF-8 编码的文本，请用 UTF-8 保存") from exc


def _parse_yaml(label: str, text: str) -> dict:
    import yaml

    try:
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else "无法解析"
        raise IndicatorSystemError(f"指标体系文件「{label}」格式不正确（{where}），请检查缩进和冒号") from exc
    if not isinstance(raw, dict):
        raise IndicatorSystemError(f"指标体系文件「{label}」应为“键: 值”的形式")
    return raw


# ---------------------------------------------------------------- reading helpers

class _Doc:
    """Typed access to a parsed YAML mapping; every failure names the file and the key path."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, path: str, problem: str) -> None:
        raise IndicatorSystemError(f"指标体系文件「{self.file}」：「{path}」{problem}")

    def node(self, node: dict, key: str, path: str, required: bool = True) -> Any:
        if not isinstance(node, dict):
            self.fail(path, "应为“键: 值”的形式")
        if key not in node or node[key] is None:
            if required:
                self.fail(_join(path, key), "缺失")
            return None
        return node[key]

    def keys(self, node: dict, path: str, allowed: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            self.fail(path or "（顶层）", "应为“键: 值”的形式")
        unknown = [str(k) for k in node if k not in allowed]
        if unknown:
            self.fail(_join(path, unknown[0]), f"不是可用的项，可用的项有：{'、'.join(allowed)}")

    def mapping(self, node: dict, key: str, path: str, required: bool = True) -> dict | None:
        value = self.node(node, key, path, required)
        if value is not None and not isinstance(value, dict):
            self.fail(_join(path, key), "应为“键: 值”的形式")
        return value

    def items(self, node: dict, key: str, path: str, required: bool = True) -> list:
        value = self.node(node, key, path, required)
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.fail(_join(path, key), "应为列表（每项以“- ”开头），且至少一项")
        return value

    def text(self, node: dict, key: str, path: str, required: bool = True) -> str | None:
        value = self.node(node, key, path, required)
        if text_problem(value):
            self.fail(_join(path, key), text_problem(value))
        return None if value is None else str(value).strip()

    def number(self, node: dict, key: str, path: str, required: bool = True,
               minimum: float | None = 0.0, maximum: float | None = None) -> float | None:
        value = self.node(node, key, path, required)
        if value is None:
            return None
        where = _join(path, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(where, f"应为数值，实际为「{value}」")
        if minimum is not None and value < minimum:
            self.fail(where, f"应不小于{minimum:g}，实际为{value:g}")
        if maximum is not None and value > maximum:
            self.fail(where, f"应不大于{maximum:g}，实际为{value:g}（比例请写小数，如 0.85 表示85%）")
        return float(value)

    def ratio(self, node: dict, key: str, path: str, required: bool = True) -> float | None:
        return self.number(node, key, path, required, 0.0, 1.0)

    def flag(self, node: dict, key: str, path: str, default: bool) -> bool:
        value = self.node(node, key, path, required=False)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if value in ("是", "否"):
            return value == "是"
        self.fail(_join(path, key), f"应为 是/否（或 true/false），实际为「{value}」")
        return default

    def names(self, node: dict, key: str, path: str, required: bool = True) -> tuple[str, ...]:
        value = self.node(node, key, path, required)
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        if not values or any(not isinstance(v, (str, int)) or isinstance(v, bool) for v in values):
            self.fail(_join(path, key), "应为一个名称或名称列表")
        return tuple(str(v).strip() for v in values)

    def choice(self, node: dict, key: str, path: str, choices: tuple[str, ...],
               required: bool = True) -> str | None:
        value = self.text(node, key, path, required)
        if value is not None and value not in choices:
            self.fail(_join(path, key), f"应为 {'、'.join(choices)} 之一，实际为「{value}」")
        return value

    def per_section(self, node: dict, key: str, path: str, required: bool = True,
                    maximum: float | None = None) -> dict[str, float] | None:
        value = self.mapping(node, key, path, required)
        if value is None:
            return None
        where = _join(path, key)
        self.keys(value, where, SECTIONS)
        return {s: self.number(value, s, where, maximum=maximum) for s in SECTIONS}


def _join(path: str, key: object) -> str:
    return f"{path} › {key}" if path else str(key)


def _nth(path: str, index: int) -> str:
    return f"{path} › 第{index + 1}项"


# ---------------------------------------------------------------- balance (shared)

def _balance(doc: _Doc, node: dict, path: str, with_standards: bool) -> Balance:
    allowed = ("范围", "拆分", "指标", "每校达标", "差异系数上限", "综合差异系数上限")
    doc.keys(node, path, allowed)
    split = _split(doc, doc.mapping(node, "拆分", path), _join(path, "拆分"))
    indicators = _indicators(doc, node, path, split, with_standards)
    per_school = None
    rule = doc.mapping(node, "每校达标", path, required=False)
    if rule is not None:
        where = _join(path, "每校达标")
        doc.keys(rule, where, ("至少达标项数", "其余项不低于标准的"))
        min_met = doc.number(rule, "至少达标项数", where, maximum=len(indicators))
        if not float(min_met).is_integer():
            doc.fail(_join(where, "至少达标项数"), f"应为整数，实际为{min_met:g}")
        per_school = PerSchoolRule(int(min_met), doc.ratio(rule, "其余项不低于标准的", where))
        if not with_standards:
            doc.fail(where, "需要每项指标填写「标准」")
    return Balance(
        scope=_scope(doc, doc.mapping(node, "范围", path), _join(path, "范围")),
        split=split,
        indicators=indicators,
        cv_max=doc.per_section(node, "差异系数上限", path, required=False),
        composite_max=doc.per_section(node, "综合差异系数上限", path, required=False),
        per_school=per_school,
    )


def _scope(doc: _Doc, node: dict, path: str) -> Scope:
    doc.keys(node, path, ("排除办学类型", "教学点", "包含民办学校"))
    excluded = doc.names(node, "排除办学类型", path, required=False)
    _check_types(doc, excluded, _join(path, "排除办学类型"))
    site = doc.mapping(node, "教学点", path, required=False)
    site_type = site_min = None
    if site is not None:
        where = _join(path, "教学点")
        doc.keys(site, where, ("办学类型", "最少学生数"))
        site_type = doc.choice(site, "办学类型", where, SCHOOL_TYPES)
        site_min = doc.number(site, "最少学生数", where)
    return Scope(excluded, site_type, site_min, doc.flag(node, "包含民办学校", path, True))


def _split(doc: _Doc, node: dict, path: str) -> Split:
    doc.keys(node, path, ("分摊项目", "权重"))
    columns = doc.names(node, "分摊项目", path)
    for column in columns:
        if column not in _SCHOOL_COLUMNS:
            doc.fail(_join(path, "分摊项目"), f"中的「{column}」不是「学校」工作表的数值列")
    weights: dict[str, dict[str, float]] = {}
    table = doc.mapping(node, "权重", path)
    for school_type, row in table.items():
        where = _join(_join(path, "权重"), school_type)
        _check_types(doc, (school_type,), where)
        if not isinstance(row, dict) or not row:
            doc.fail(where, "应写各学段的权重，如 {小学: 1, 初中: 1.1}")
        doc.keys(row, where, SPLIT_SECTIONS)
        weights[str(school_type)] = {s: doc.number(row, s, where) for s in row}
        if any(w <= 0 for w in weights[str(school_type)].values()):
            doc.fail(where, "权重应大于0")
    return Split(columns, weights)


def _indicators(doc: _Doc, node: dict, path: str, split: Split, with_standards: bool) -> tuple[Indicator, ...]:
    out = []
    where_list = _join(path, "指标")
    for index, raw in enumerate(doc.items(node, "指标", path)):
        where = _nth(where_list, index)
        doc.keys(raw, where, ("编号", "名称", "简称", "单位", "分子", "倍数", "标准"))
        numerator = doc.names(raw, "分子", where)
        for column in numerator:
            _check_numerator(doc, column, split, _join(where, "分子"))
        standard = doc.per_section(raw, "标准", where, required=with_standards)
        out.append(Indicator(
            id=doc.text(raw, "编号", where), label=doc.text(raw, "名称", where),
            unit=doc.text(raw, "单位", where, required=False) or "",
            numerator=numerator, factor=doc.number(raw, "倍数", where, required=False) or 1.0,
            standard=standard, short=doc.text(raw, "简称", where, required=False) or ""))
    ids = [i.id for i in out]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        doc.fail(where_list, f"中的编号「{duplicate}」重复")
    return tuple(out)


def _check_numerator(doc: _Doc, column: str, split: Split, where: str) -> None:
    if SECTION_PLACEHOLDER in column:
        missing = [s for s in SECTIONS if column.replace(SECTION_PLACEHOLDER, s) not in _SCHOOL_COLUMNS]
        if missing:
            doc.fail(where, f"中的「{column}」在「学校」工作表中没有对应的列"
                            f"「{column.replace(SECTION_PLACEHOLDER, missing[0])}」")
    elif column not in _SCHOOL_COLUMNS:
        doc.fail(where, f"中的「{column}」不是「学校」工作表的数值列")
    elif column not in split.columns:
        doc.fail(where, f"中的「{column}」是全校数据，应列入「拆分 › 分摊项目」，"
                        "或写作按学段填报的列（如「{学段}专任教师数」）")


def _check_types(doc: _Doc, types: tuple[str, ...], where: str) -> None:
    for school_type in types:
        if school_type not in SCHOOL_TYPES:
            doc.fail(where, f"中的「{school_type}」不是办学类型，应为 {'、'.join(SCHOOL_TYPES)} 之一")


# ---------------------------------------------------------------- quality

_QUALITY_KEYS = ("体系", "名称", "文号", "资源配置", "班额", "学校规模", "政府保障程度", "教育质量",
                 "社会认可度", "不予认定情形")


def _quality(doc: _Doc, raw: dict, source: str) -> QualitySystem:
    doc.keys(raw, "", _QUALITY_KEYS)
    system = QualitySystem(
        source=source,
        name=doc.text(raw, "名称", ""),
        document=doc.text(raw, "文号", "", required=False) or "",
        balance=_balance(doc, doc.mapping(raw, "资源配置", ""), "资源配置", with_standards=True),
        class_size=_class_size(doc, doc.mapping(raw, "班额", ""), "班额"),
        school_size=_school_size(doc, doc.mapping(raw, "学校规模", ""), "学校规模"),
        guarantee=_item_list(doc, raw, "政府保障程度"),
        education_quality=_item_list(doc, raw, "教育质量"),
        social_recognition=_item(doc, doc.mapping(raw, "社会认可度", ""), "社会认可度"),
        vetoes=_vetoes(doc, raw, "不予认定情形", actions=None),
    )
    if system.balance.cv_max is None:
        doc.fail("资源配置 › 差异系数上限", "缺失")
    return system


def _class_size(doc: _Doc, node: dict, path: str) -> ClassSizeRule:
    doc.keys(node, path, ("标准", "普通高中标准", "大班额", "超大班额"))
    large = doc.mapping(node, "大班额", path)
    huge = doc.mapping(node, "超大班额", path)
    lw, hw = _join(path, "大班额"), _join(path, "超大班额")
    doc.keys(large, lw, ("最少", "最多"))
    doc.keys(huge, hw, ("最少",))
    rule = ClassSizeRule(doc.per_section(node, "标准", path), doc.number(large, "最少", lw),
                         doc.number(large, "最多", lw), doc.number(huge, "最少", hw),
                         doc.number(node, "普通高中标准", path, required=False))
    if not rule.large_min <= rule.large_max < rule.huge_min:
        doc.fail(path, "应满足 大班额最少 ≤ 大班额最多 < 超大班额最少")
    return rule


def _school_size(doc: _Doc, node: dict, path: str) -> SchoolSizeRule:
    doc.keys(node, path, ("上限", RELAXED_KEY))
    caps = doc.mapping(node, "上限", path)
    where = _join(path, "上限")
    _check_types(doc, tuple(caps), where)
    rule = SchoolSizeRule({str(t): doc.number(caps, t, where) for t in caps})
    relaxed = doc.mapping(node, RELAXED_KEY, path, required=False)
    if relaxed is None:
        return rule
    where = _join(path, RELAXED_KEY)
    doc.keys(relaxed, where, (BUILT_BEFORE, "上限"))
    relaxed_caps = doc.mapping(relaxed, "上限", where)
    cap_where = _join(where, "上限")
    unknown = next((str(t) for t in relaxed_caps if t not in rule.caps), None)
    if unknown:
        doc.fail(_join(cap_where, unknown), f"不在「学校规模 › 上限」中，可放宽的办学类型有：{'、'.join(rule.caps)}")
    bounds = {str(t): (str(t), rule.caps[str(t)], "人") for t in relaxed_caps}
    return replace(rule, relaxed=_relaxation(doc, relaxed, where, relaxed_caps, cap_where, bounds, larger=True))


def _relaxation(doc: _Doc, node: dict, path: str, values: dict, values_path: str,
                bounds: dict[str, tuple[str, float, str]], larger: bool) -> Relaxation:
    """建校年份早于 and the relaxed values; each must relax (not tighten) the standard it replaces.

    ``bounds``: key in ``values`` → (name of the standard, its value, unit)."""
    year = doc.number(node, BUILT_BEFORE, path, minimum=EARLIEST_YEAR)
    if not float(year).is_integer():
        doc.fail(_join(path, BUILT_BEFORE), f"应为年份（整数），实际为{year:g}")
    relaxed = {}
    for key, (name, standard, unit) in bounds.items():
        value = doc.number(values, key, values_path)
        if (value < standard) if larger else (value > standard):
            doc.fail(_join(values_path, key), f"为{value:g}{unit}，{'小于' if larger else '大于'}{name}的标准{standard:g}{unit}"
                                              f"（放宽标准应比标准{'大' if larger else '小'}）")
        relaxed[key] = value
    if not relaxed:
        doc.fail(path, "应至少填写一项放宽后的标准")
    return Relaxation(int(year), relaxed)


def _item_list(doc: _Doc, raw: dict, key: str) -> tuple[Item, ...]:
    items = tuple(_item(doc, node, _nth(key, i)) for i, node in enumerate(doc.items(raw, key, "")))
    ids = [i.id for i in items]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        doc.fail(key, f"中的编号「{duplicate}」重复")
    return items


def _item(doc: _Doc, node: dict, path: str) -> Item:
    doc.keys(node, path, ("序号", "编号", "名称", "计算", "说明", "说明项"))
    number = doc.number(node, "序号", path, required=False)
    base = dict(number=None if number is None else int(number), id=doc.text(node, "编号", path),
                label=doc.text(node, "名称", path), note=doc.text(node, "说明", path, required=False),
                stated_part=doc.text(node, "说明项", path, required=False))
    check = doc.node(node, "计算", path)
    where = _join(path, "计算")
    if check == NARRATIVE:
        if base["stated_part"]:
            doc.fail(_join(path, "说明项"), f"只用于有计算规则的指标；「计算: {NARRATIVE}」的指标整项由本县说明")
        return Item(check=NARRATIVE, **base)
    if isinstance(check, list):
        conditions = tuple(_condition(doc, c, _nth(where, i)) for i, c in enumerate(check))
        return Item(check="县级", conditions=conditions, **base)
    if not isinstance(check, dict):
        doc.fail(where, f"应为「{NARRATIVE}」或包含「类型」的计算规则")
    kind = doc.choice(check, "类型", where, SCHOOL_CHECKS + COUNTY_CHECKS)
    if kind in COUNTY_CHECKS:
        return Item(check="县级", conditions=(_condition(doc, check, where),), **base)
    return Item(check=kind, params=_school_check_params(doc, kind, check, where), **base)


def _condition(doc: _Doc, node: dict, path: str) -> Condition:
    kind = doc.choice(node, "类型", path, COUNTY_CHECKS)
    label = doc.text(node, "名称", path)
    if kind == "县级数值":
        doc.keys(node, path, ("类型", "名称", "县级指标", "单位", "不低于"))
        return Condition(kind, label, names=doc.names(node, "县级指标", path),
                         at_least=doc.number(node, "不低于", path, minimum=None),
                         unit=doc.text(node, "单位", path, required=False))
    if kind == "县级比较":
        doc.keys(node, path, ("类型", "名称", "县级指标", "不低于县级指标"))
        return Condition(kind, label, names=doc.names(node, "县级指标", path),
                         at_least_names=doc.names(node, "不低于县级指标", path))
    doc.keys(node, path, ("类型", "名称", "县级指标", "分子", "分母", "不低于"))
    names = doc.names(node, "县级指标", path, required=False)
    numerator = doc.names(node, "分子", path, required=False)
    denominator = doc.names(node, "分母", path, required=False)
    if bool(names) == bool(numerator and denominator) or bool(numerator) != bool(denominator):
        doc.fail(path, "应填写「县级指标」（直接填报的比例），或同时填写「分子」和「分母」，二者选一")
    return Condition(kind, label, names=names, numerator=numerator, denominator=denominator,
                     at_least=doc.ratio(node, "不低于", path))


def _school_check_params(doc: _Doc, kind: str, node: dict, path: str) -> dict[str, Any]:
    if kind == "专用教室":
        doc.keys(node, path, ("类型", "每多少个班级", *ROOM_MINIMA, "办学类型", RELAXED_KEY))
        types = doc.names(node, "办学类型", path)
        _check_types(doc, types, _join(path, "办学类型"))
        per = doc.number(node, "每多少个班级", path)
        if per <= 0:
            doc.fail(_join(path, "每多少个班级"), "应大于0")
        params = {"classes_per_room": per, "types": types, "relaxed": None,
                  **{field: doc.number(node, key, path) for key, field in ROOM_MINIMA.items()}}
        relaxed = doc.mapping(node, RELAXED_KEY, path, required=False)
        if relaxed is not None:
            where = _join(path, RELAXED_KEY)
            doc.keys(relaxed, where, (BUILT_BEFORE, *ROOM_MINIMA))
            bounds = {key: (key, params[field], "平方米") for key, field in ROOM_MINIMA.items() if key in relaxed}
            params["relaxed"] = _relaxation(doc, relaxed, where, relaxed, where, bounds, larger=False)
        return params
    if kind == "小规模学校经费":
        doc.keys(node, path, ("类型", "学生数少于", "学校范围", "县级指标"))
        scopes = []
        for i, raw in enumerate(doc.items(node, "学校范围", path)):
            where = _nth(_join(path, "学校范围"), i)
            doc.keys(raw, where, ("办学类型", "城乡分类"))
            school_type = doc.choice(raw, "办学类型", where, SCHOOL_TYPES)
            area = doc.choice(raw, "城乡分类", where, URBAN_RURAL, required=False)
            scopes.append((school_type, area))
        return {"below": doc.number(node, "学生数少于", path), "scopes": tuple(scopes),
                "names": doc.names(node, "县级指标", path)}
    if kind == "学校比例":
        return _school_ratio_params(doc, node, path)
    doc.keys(node, path, ("类型",))
    return {}


def _school_ratio_params(doc: _Doc, node: dict, path: str) -> dict[str, Any]:
    """Every school in scope: 分子 / 分母 (columns of 学校) ≥ 不低于; the county fallbacks when not filled."""
    doc.keys(node, path, ("类型", "名称", "分子", "分母", "不低于", "办学类型", "未达标学校数"))
    columns = {}
    for key in ("分子", "分母"):
        column = doc.text(node, key, path)
        if column not in _SCHOOL_COLUMNS:
            doc.fail(_join(path, key), f"中的「{column}」不是「学校」工作表的数值列")
        columns[key] = column
    types = doc.names(node, "办学类型", path)
    _check_types(doc, types, _join(path, "办学类型"))
    label, at_least = doc.text(node, "名称", path), doc.ratio(node, "不低于", path)
    # the same two figures summed over the county, read from 县级指标 when the schools' columns are empty
    county = Condition("县级比例", label, numerator=(columns["分子"],), denominator=(columns["分母"],),
                       at_least=at_least)
    return {"label": label, "numerator": columns["分子"], "denominator": columns["分母"], "at_least": at_least,
            "types": types, "county": county, "names": doc.names(node, "未达标学校数", path, required=False)}


def _vetoes(doc: _Doc, raw: dict, key: str, actions: tuple[str, ...] | None) -> tuple[Veto, ...]:
    out = []
    for i, node in enumerate(doc.items(raw, key, "", required=False)):
        where = _nth(key, i)
        allowed = ("编号", "名称", "县级指标", "各项县级指标") + (("处理",) if actions else ())
        doc.keys(node, where, allowed)
        action = doc.choice(node, "处理", where, actions) if actions else "不予认定"
        out.append(Veto(doc.text(node, "编号", where), doc.text(node, "名称", where),
                        _veto_figures(doc, node, where), action))
    return tuple(out)


def _veto_figures(doc: _Doc, node: dict, path: str) -> tuple[tuple[str, ...], ...]:
    """「县级指标」: one figure (a name or its accepted names); 「各项县级指标」: several figures, each
    a name or a list of accepted names — the case exists if any of them is above 0."""
    single = doc.names(node, "县级指标", path, required=False)
    several = doc.items(node, "各项县级指标", path, required=False)
    if single and several:
        doc.fail(path, "「县级指标」和「各项县级指标」只能填写一个")
    where = _join(path, "各项县级指标")
    figures = tuple(doc.names({"名称": entry}, "名称", _nth(where, i)) for i, entry in enumerate(several))
    return figures or ((single,) if single else ())


def _preschool(doc: _Doc, raw: dict, source: str):
    from reportgen.systems.preschool import build

    return build(doc, raw, source)


# ---------------------------------------------------------------- basic

def _basic(doc: _Doc, raw: dict, source: str) -> BasicSystem:
    doc.keys(raw, "", ("体系", "名称", "文号", "校际均衡"))
    balance = _balance(doc, doc.mapping(raw, "校际均衡", ""), "校际均衡", with_standards=False)
    if balance.composite_max is None:
        doc.fail("校际均衡 › 综合差异系数上限", "缺失")
    return BasicSystem(source, doc.text(raw, "名称", ""), doc.text(raw, "文号", "", required=False) or "",
                       balance)


# ---------------------------------------------------------------- duty

_DUTY_KEYS = ("体系", "名称", "总分", "不适用测评点", "等级", "加分上限", "一级指标", "加分项目",
              "否决与降等", "经费")


def _duty(doc: _Doc, raw: dict, source: str) -> DutySystem:
    doc.keys(raw, "", _DUTY_KEYS)
    total = doc.number(raw, "总分", "")
    domains, points = _domains(doc, raw)
    scored = sum(p.max_score for p in points)
    if not math.isclose(scored, total, abs_tol=1e-9):
        doc.fail("一级指标", f"各测评点分值合计为{scored:g}分，与「总分」{total:g}分不符")
    bonus = _bonus(doc, raw)
    ids = [p.id for p in points] + [b.id for b in bonus]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        doc.fail("一级指标", f"中的测评点编号「{duplicate}」重复（编号在测评点和加分项目中应唯一）")
    return DutySystem(
        source=source, name=doc.text(raw, "名称", ""), total=total,
        not_applicable=doc.choice(raw, "不适用测评点", "", NOT_APPLICABLE_MODES, required=False) or NOT_APPLICABLE_MODES[0],
        grades=_grades(doc, raw), bonus_cap=doc.number(raw, "加分上限", "", required=False) or 0.0,
        domains=domains, points=points, bonus=bonus,
        vetoes=_vetoes(doc, raw, "否决与降等", actions=VETO_ACTIONS),
        funding_keys=_funding_keys(doc, raw))


def _domains(doc: _Doc, raw: dict) -> tuple[tuple[Domain, ...], tuple[DutyPoint, ...]]:
    domains, points = [], []
    for i, node in enumerate(doc.items(raw, "一级指标", "")):
        where = _nth("一级指标", i)
        doc.keys(node, where, ("名称", "分值", "二级指标"))
        name, max_score = doc.text(node, "名称", where), doc.number(node, "分值", where)
        subs = []
        for j, sub in enumerate(doc.items(node, "二级指标", where)):
            sub_where = _nth(_join(where, "二级指标"), j)
            doc.keys(sub, sub_where, ("名称", "分值", "测评点"))
            sub_name, sub_score = doc.text(sub, "名称", sub_where), doc.number(sub, "分值", sub_where)
            own = [_point(doc, p, _nth(_join(sub_where, "测评点"), k), name, sub_name)
                   for k, p in enumerate(doc.items(sub, "测评点", sub_where))]
            _check_sum(doc, sub_where, sub_score, sum(p.max_score for p in own), "测评点")
            subs.append((sub_name, sub_score))
            points += own
        _check_sum(doc, where, max_score, sum(s for _, s in subs), "二级指标")
        domains.append(Domain(name, max_score, tuple(subs)))
    return tuple(domains), tuple(points)


def _check_sum(doc: _Doc, where: str, declared: float, found: float, parts: str) -> None:
    if not math.isclose(declared, found, abs_tol=1e-9):
        doc.fail(_join(where, "分值"), f"为{declared:g}分，但所属{parts}分值合计为{found:g}分")


def _point(doc: _Doc, node: dict, path: str, level1: str, level2: str) -> DutyPoint:
    doc.keys(node, path, ("编号", "测评点", "分值", "评分细则", "计算"))
    max_score = doc.number(node, "分值", path)
    rule_node = doc.mapping(node, "计算", path, required=False)
    rule = None if rule_node is None else _rule(doc, rule_node, _join(path, "计算"), max_score)
    return DutyPoint(id=doc.text(node, "编号", path), level1=level1, level2=level2,
                     text=doc.text(node, "测评点", path), max_score=max_score,
                     criteria=doc.text(node, "评分细则", path, required=False) or "", rule=rule)


def _rule(doc: _Doc, node: dict, path: str, max_score: float) -> ScoringRule:
    doc.keys(node, path, ("依据", "规则", "每项扣", "最多扣", "扣", "未达标得分"))
    measure = doc.text(node, "依据", path)
    kind = measure_kind(measure)
    if kind is None:
        doc.fail(_join(path, "依据"), f"「{measure}」不是可计算的结果，可用的有：{'、'.join(DUTY_MEASURES)}，"
                                      f"以及 政府保障程度.<编号>、教育质量.<编号>")
    rule = doc.choice(node, "规则", path, tuple(SCORING_RULES))
    if kind not in SCORING_RULES[rule]:
        doc.fail(_join(path, "规则"), f"「{rule}」需要计数类的依据，「{measure}」只有达标与否")
    per_item = doc.number(node, "每项扣", path, required=rule == "每项扣分")
    deduction = doc.number(node, "扣", path, required=rule == "有则扣分", maximum=max_score)
    fail_score = doc.number(node, "未达标得分", path, required=False, maximum=max_score) or 0.0
    return ScoringRule(measure, rule, per_item, doc.number(node, "最多扣", path, required=False),
                       deduction, fail_score)


def measure_kind(measure: str) -> str | None:
    """"count" or "pass" for a known 依据 name, None when unknown."""
    if measure in DUTY_MEASURES:
        return DUTY_MEASURES[measure]
    prefix = next((p for p in ITEM_MEASURE_PREFIXES if measure.startswith(p)), None)
    return "pass" if prefix and len(measure) > len(prefix) else None


def _grades(doc: _Doc, raw: dict) -> tuple[tuple[str, float], ...]:
    grades = []
    for i, node in enumerate(doc.items(raw, "等级", "")):
        where = _nth("等级", i)
        doc.keys(node, where, ("名称", "最低分"))
        grades.append((doc.text(node, "名称", where), doc.number(node, "最低分", where)))
    minima = [m for _, m in grades]
    if minima != sorted(minima, reverse=True) or len(set(minima)) != len(minima):
        doc.fail("等级", "应按最低分从高到低排列，且最低分互不相同")
    if minima[-1] > 0:
        doc.fail("等级", "最后一个等级的最低分应为0，使任何得分都有等级")
    return tuple(grades)


def _bonus(doc: _Doc, raw: dict) -> tuple[BonusItem, ...]:
    out = []
    for i, node in enumerate(doc.items(raw, "加分项目", "", required=False)):
        where = _nth("加分项目", i)
        doc.keys(node, where, ("编号", "名称", "分值", "评分细则"))
        out.append(BonusItem(doc.text(node, "编号", where), doc.text(node, "名称", where),
                             doc.number(node, "分值", where),
                             doc.text(node, "评分细则", where, required=False) or ""))
    return tuple(out)


def _funding_keys(doc: _Doc, raw: dict) -> dict[str, tuple[str, ...]]:
    node = doc.mapping(raw, "经费", "", required=False)
    if node is None:
        return {}
    doc.keys(node, "经费", ("三个增长",))
    growth = doc.mapping(node, "三个增长", "经费", required=False) or {}
    where = "经费 › 三个增长"
    doc.keys(growth, where, THREE_GROWTH_KEYS)
    return {key: doc.names(growth, key, where) for key in growth}


# ---------------------------------------------------------------- 测评点 sheet rows

AUTOMATIC = "自动"


def duty_point_rows(system: DutySystem | Scheme) -> list[dict[str, object]]:
    """Rows for the workbook's 测评点 sheet: every 测评点, then the 加分 items, 自评得分 left empty.

    计算方式 says which 自评得分 cells the data decide (自动) and which a person types (人工).
    """
    system = duty_view(system) if isinstance(system, Scheme) else system
    rows = [{"编号": p.id, "一级指标": p.level1, "二级指标": p.level2, "测评点": p.text,
             "分值": p.max_score, "自评得分": None, "得失分说明": None, "适用": "是",
             "计算方式": AUTOMATIC if p.rule else MANUAL}
            for p in system.points]
    rows += [{"编号": b.id, "一级指标": BONUS_LEVEL1, "二级指标": None, "测评点": b.label,
              "分值": b.max_score, "自评得分": None, "得失分说明": None, "适用": "是", "计算方式": MANUAL}
             for b in system.bonus]
    return rows


BONUS_LEVEL1 = "加分项目"
_LEGACY_RULES = {"达标得分": "达标得分", "按项扣分": "每项扣分", "有则扣分": "有则扣分"}


def duty_view(scheme: Scheme) -> DutySystem:
    """A scheme seen as a 履职 system (测评点 = the leaves; 一级/二级指标 = the first two levels above)."""
    points = tuple(_duty_point(node, above) for node, above in scheme.leaves())
    domains = tuple(Domain(n.name, n.max_score, tuple((c.name, c.max_score) for c in n.children))
                    for n in scheme.tree)
    vetoes = tuple(Veto(v.id, v.name, ((v.condition.ref,),) if v.condition.kind == "县级指标" else (),
                        "一票否决" if v.effect == "不合格" else "降一等") for v in scheme.vetoes)
    return DutySystem(
        source=scheme.source, name=scheme.name, total=scheme.total, not_applicable=scheme.not_applicable,
        grades=scheme.grades or (("合格", scheme.total), ("不合格", 0.0)), bonus_cap=scheme.bonus_cap,
        domains=domains, points=points,
        bonus=tuple(BonusItem(b.id, b.name, b.max_score, b.criteria) for b in scheme.bonus),
        vetoes=vetoes, funding_keys=scheme.funding_keys, scheme=scheme)


def _duty_point(node: Node, above: tuple[Node, ...]) -> DutyPoint:
    names = [n.name for n in above]
    rule = node.rule
    scoring = None
    if rule is not None and not rule.manual:
        legacy = _LEGACY_RULES.get(rule.kind) if rule.condition is None else None
        scoring = ScoringRule(measure=rule.figure or (rule.condition.label or rule.condition.ref),
                              rule=legacy or rule.kind, per_item=rule.per_item, max_deduction=rule.max_deduction,
                              deduction=rule.deduction, fail_score=rule.fail_score, spec=rule)
    return DutyPoint(id=node.id, level1=names[0] if names else node.name,
                     level2=" › ".join(names[1:]) if len(names) > 1 else "",
                     text=node.name, max_score=node.max_score, criteria=node.criteria, rule=scoring)


for _kind, _builder in (("quality", _quality), ("basic", _basic), ("preschool", _preschool)):
    register_kind(_kind, KIND_LABELS[_kind], _classic(_kind, _builder))
register_kind("duty", KIND_LABELS["duty"], _build_duty)
register_kind("scheme", KIND_LABELS["scheme"], _build_scheme)
