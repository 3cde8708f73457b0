"""The 学前教育普及普惠 indicator system (kind ``preschool``) as data: rates, class sizes per
kindergarten class, and the 政府保障 / 保教质量 items with the checks the workbook can decide.

Loaded through ``indicators.load_system("preschool", ...)``; every threshold the analysis uses
comes from here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.core.schema import KINDERGARTEN_GRADES, KINDERGARTEN_OWNERSHIP
# Items have the quality system's shape (编号 as id, no 序号); file reading reuses its helpers.
from reportgen.systems.indicators import COUNTY_CHECKS, NARRATIVE, Item, _condition, _join, _nth

# Per-kindergarten measures a 园指标 item may name: measure → (numerator column, denominator column).
# A denominator of None means the column itself.
KINDERGARTEN_MEASURES: dict[str, tuple[str, str | None]] = {
    "每名专任教师在园幼儿数": ("在园幼儿数", "专任教师数"),
    "专任教师持证率": ("持证专任教师数", "专任教师数"),
    "生均占地面积": ("占地面积", "在园幼儿数"),
    "生均建筑面积": ("建筑面积", "在园幼儿数"),
    "生均室外游戏场地面积": ("室外游戏场地面积", "在园幼儿数"),
    "生均活动室面积": ("活动室面积", "在园幼儿数"),
    "生均公用经费": ("生均公用经费", None),
}
SCOPES = ("全县", "每园")
PRESCHOOL_CHECKS = ("乡镇公办中心园", "小区配套园", "园指标", "班额达标率")
RATES = ("学前三年毛入园率", "普惠性幼儿园覆盖率", "公办园在园幼儿占比")


@dataclass(frozen=True)
class PreschoolSystem:
    source: str
    name: str
    document: str
    rates: dict[str, float]                     # RATES → minimum
    eligible_names: tuple[str, ...]             # 县级指标 giving 学前三年适龄儿童数
    class_standard: dict[str, float]            # 小班/中班/大班/混龄班 → largest class
    social_recognition: Item
    guarantee: tuple[Item, ...]
    quality: tuple[Item, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return self.guarantee + self.quality


_KEYS = ("体系", "名称", "文号", "依据", "普及普惠水平", "适龄儿童", "班额", "社会认可度", "政府保障", "保教质量")


def build(doc, raw: dict, source: str) -> PreschoolSystem:
    """Type a parsed file (``doc`` is indicators._Doc, which names the file in every failure)."""
    doc.keys(raw, "", _KEYS)
    rates_node = doc.mapping(raw, "普及普惠水平", "")
    doc.keys(rates_node, "普及普惠水平", RATES)
    classes = doc.mapping(raw, "班额", "")
    doc.keys(classes, "班额", KINDERGARTEN_GRADES)
    guarantee = _items(doc, raw, "政府保障")
    quality = _items(doc, raw, "保教质量")
    ids = [i.id for i in guarantee + quality]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        doc.fail("政府保障/保教质量", f"中的编号「{duplicate}」重复")
    return PreschoolSystem(
        source=source, name=doc.text(raw, "名称", ""), document=doc.text(raw, "文号", "", required=False) or "",
        rates={r: doc.ratio(rates_node, r, "普及普惠水平") for r in RATES},
        eligible_names=doc.names(doc.mapping(raw, "适龄儿童", ""), "县级指标", "适龄儿童"),
        class_standard={g: doc.number(classes, g, "班额") for g in KINDERGARTEN_GRADES},
        social_recognition=_item(doc, {"编号": "social_recognition", **doc.mapping(raw, "社会认可度", "")}, "社会认可度"),
        guarantee=guarantee, quality=quality)


def _items(doc, raw: dict, key: str) -> tuple[Item, ...]:
    return tuple(_item(doc, node, _nth(key, i)) for i, node in enumerate(doc.items(raw, key, "")))


def _item(doc, node: dict, path: str) -> Item:
    doc.keys(node, path, ("编号", "名称", "计算", "说明"))
    base = dict(id=doc.text(node, "编号", path), label=doc.text(node, "名称", path),
                note=doc.text(node, "说明", path, required=False))
    check = doc.node(node, "计算", path)
    where = _join(path, "计算")
    if check == NARRATIVE:
        return Item(number=None, check=NARRATIVE, **base)
    if isinstance(check, list):
        return Item(number=None, check="县级", conditions=tuple(_condition(doc, c, _nth(where, i))
                                                           for i, c in enumerate(check)), **base)
    if not isinstance(check, dict):
        doc.fail(where, f"应为「{NARRATIVE}」或包含「类型」的计算规则")
    kind = doc.choice(check, "类型", where, PRESCHOOL_CHECKS + COUNTY_CHECKS)
    if kind in COUNTY_CHECKS:
        return Item(number=None, check="县级", conditions=(_condition(doc, check, where),), **base)
    return Item(number=None, check=kind, params=_params(doc, kind, check, where), **base)


def _params(doc, kind: str, node: dict, path: str) -> dict[str, Any]:
    if kind == "班额达标率":
        doc.keys(node, path, ("类型", "不低于"))
        return {"at_least": doc.ratio(node, "不低于", path)}
    if kind != "园指标":
        doc.keys(node, path, ("类型",))
        return {}
    doc.keys(node, path, ("类型", "指标", "不低于", "不超过", "办园性质", "口径", "达标园比例不低于"))
    measure = doc.choice(node, "指标", path, tuple(KINDERGARTEN_MEASURES))
    at_least = doc.number(node, "不低于", path, required=False)
    at_most = doc.number(node, "不超过", path, required=False)
    if (at_least is None) == (at_most is None):
        doc.fail(path, "应填写「不低于」或「不超过」，二者选一")
    ownership = doc.names(node, "办园性质", path, required=False) or KINDERGARTEN_OWNERSHIP
    unknown = [o for o in ownership if o not in KINDERGARTEN_OWNERSHIP]
    if unknown:
        doc.fail(f"{path} › 办园性质", f"中的「{unknown[0]}」不是办园性质，应为 {'、'.join(KINDERGARTEN_OWNERSHIP)}")
    scope = doc.choice(node, "口径", path, SCOPES, required=False) or "每园"
    share = doc.ratio(node, "达标园比例不低于", path, required=False)
    return {"measure": measure, "at_least": at_least, "at_most": at_most, "ownership": tuple(ownership),
            "scope": scope, "share_min": 1.0 if share is None else share}
