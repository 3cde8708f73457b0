"""``explain`` for the 学前 figures (``preschool.*``) and the 普通高中 class sizes
(``class_size.senior.*``): the working from the 幼儿园 and 班级 rows to each figure."""
from __future__ import annotations

from typing import Any, Mapping, SupportsFloat

from reportgen.analysis.class_size import senior_classes
from reportgen.analysis.common import g, pct
from reportgen.analysis.county import County
from reportgen.analysis.preschool import kindergarten_classes
from reportgen.core.schema import GRADE_NAMES
from reportgen.systems.indicators import load_system

RATE_FIELDS = ("gross_enrolment_rate", "inclusive_coverage", "public_share")
TEACHER_FIELDS = ("children_per_teacher", "certified_rate")
CLASS_FIELDS = ("classes", "over_standard", "compliance_rate")
SENIOR_FIELDS = ("classes", "over_standard", "large_56_65", "huge_66_plus", "large_share", "huge_share",
                 "large_or_huge_share")
_LISTED = 200
_RATE_TEXT = {
    "gross_enrolment_rate": ("学前三年毛入园率", "在园幼儿数合计 ÷ 学前三年适龄儿童数"),
    "inclusive_coverage": ("普惠性幼儿园覆盖率", "（公办园 + 普惠性民办园）在园幼儿数 ÷ 在园幼儿数合计"),
    "public_share": ("公办园在园幼儿占比", "公办园在园幼儿数 ÷ 在园幼儿数合计"),
}


def preschool_figure_ids(result: Mapping[str, Any]) -> list[str]:
    block = result.get("preschool") or {}
    ids = [f"class_size.senior.{f}" for f in SENIOR_FIELDS] if "senior" in result.get("class_size", {}) else []
    if not block.get("available"):
        return ids
    ids += [f"preschool.{f}" for f in RATE_FIELDS + TEACHER_FIELDS]
    ids += [f"preschool.class_size.{f}" for f in CLASS_FIELDS] + ["preschool.social_recognition"]
    ids += [f"preschool.{key}.{i['id']}" for key in ("guarantee", "quality") for i in block[key]]
    ids += [f"preschool.kindergartens.{k['id']}" for k in block["kindergarten_list"]]
    return ids + [f"preschool.{key}" for key in _plain_figures(block)]


# Plain values of the block a report prints, read off the result: id (after "preschool.") → working.
_COUNTS = {"kindergartens": "幼儿园数（「幼儿园」工作表的行数）", "children": "在园幼儿数合计",
           "eligible_children": "学前三年适龄儿童数（「县级指标」工作表）", "teachers": "专任教师数合计",
           "certified_teachers": "持证专任教师数合计", "public_children": "公办园在园幼儿数",
           "inclusive_private_children": "普惠性民办园在园幼儿数",
           "non_inclusive_private_children": "非普惠性民办园在园幼儿数",
           "failing_kindergartens": "未达到逐园标准（每园口径的园指标、标准班额）的幼儿园数"}
_STATUS_WORDS = ("达标", "未达标", "待说明")
_KG_FIELDS = {"children": "在园幼儿数", "classes": "班级数", "oversize_classes": "超过标准班额的班级数"}


def _plain_figures(block: dict) -> dict[str, tuple[object, str]]:
    """id → (value, working) for the counts, thresholds and per-kindergarten values of the block."""
    out: dict[str, tuple[object, str]] = {}
    for key, rule in _COUNTS.items():
        value = block[key]
        out[key] = (len(value) if isinstance(value, list) else value, rule)
    for field in RATE_FIELDS:
        out[f"{field}_min"] = (block[f"{field}_min"], f"{_RATE_TEXT[field][0]}的标准（学前指标体系文件「普及普惠水平」）")
    for owner, part in block["by_ownership"].items():
        out[f"by_ownership.{owner}.kindergartens"] = (part["kindergartens"], f"「办园性质」为「{owner}」的幼儿园数")
        out[f"by_ownership.{owner}.children"] = (part["children"], f"「办园性质」为「{owner}」的幼儿园在园幼儿数之和")
    for grade, part in block["class_size"]["by_grade"].items():
        out[f"class_size.{grade}.classes"] = (part["classes"], f"「班级」工作表中幼儿园{grade}的个数")
        out[f"class_size.{grade}.over_standard"] = (part["over_standard"], f"幼儿园{grade}中学生数超过{g(part['standard'])}人的个数")
        out[f"class_size.{grade}.standard"] = (part["standard"], f"{grade}标准班额（学前指标体系文件「班额」）")
    for area in ("guarantee", "quality"):
        items = block[area]
        out[f"{area}.items"] = (len(items), "指标项数（学前指标体系文件）")
        for word in _STATUS_WORDS:
            names = [i["label"] for i in items if i["status"] == word]
            out[f"{area}.{word}"] = (len(names), f"结论为「{word}」的项数：{'、'.join(names) or '无'}")
    for kg in block["kindergarten_list"]:
        for field, label in _KG_FIELDS.items():
            out[f"kindergartens.{kg['id']}.{field}"] = (kg[field], f"{kg['name']}的{label}")
        for item_id, value in kg["values"].items():
            out[f"kindergartens.{kg['id']}.{item_id}"] = (value, f"{kg['name']}的{_item_label(block, item_id)}")
    return out


def _item_label(block: dict, item_id: str) -> str:
    item = next((i for i in block["guarantee"] + block["quality"] if i["id"] == item_id), None)
    return item["standard"] if item and item.get("standard") else item_id


def _plain_text(ws, block: dict, key: str) -> str | None:
    found = _plain_figures(block).get(key)
    if found is None:
        return None
    value, rule = found
    shown = _n(value)
    return f"数值：{shown}\n规则：{rule}\n数据：{ws.where('幼儿园')}"


def _n(value: object) -> str:
    return g(float(value)) if isinstance(value, SupportsFloat) else "（未填报）"


def preschool_trace(ws, result: dict, parts: list[str]) -> str | None:
    block = result.get("preschool")
    if not block:
        return None
    if not block["available"]:
        return block["reason"]
    key = ".".join(parts)
    if key in RATE_FIELDS:
        return _rate_text(ws, block, key)
    if key in TEACHER_FIELDS:
        return _teacher_text(ws, block, key)
    if len(parts) == 2 and parts[0] == "class_size" and parts[1] in CLASS_FIELDS:
        return _classes_text(ws, block, parts[1])
    if key == "social_recognition":
        return _item_text(ws, block["social_recognition"])
    if len(parts) == 2 and parts[0] in ("guarantee", "quality"):
        item = next((i for i in block[parts[0]] if i["id"] == parts[1]), None)
        if item is not None:
            return _item_text(ws, item)
    if len(parts) == 2 and parts[0] == "kindergartens":
        kg = next((k for k in block["kindergarten_list"] if k["id"] == parts[1]), None)
        if kg is not None:
            return _kindergarten_text(ws, kg)
    return _plain_text(ws, block, key)


def _rate_text(ws, block: dict, field: str) -> str:
    label, formula = _RATE_TEXT[field]
    value = block[field]
    lines = [f"{label} = {formula}",
             f"数据：{ws.where('幼儿园')}，列「办园性质」「在园幼儿数」（{block['kindergartens']}所幼儿园）"]
    lines += [f"  {owner}：{part['kindergartens']}所，在园幼儿{_n(part['children'])}人"
              for owner, part in block["by_ownership"].items()]
    lines.append(f"  在园幼儿数合计：{_n(block['children'])}人")
    if field == "gross_enrolment_rate":
        eligible = County(ws.county).find(_system(ws).eligible_names)
        lines.append(f"  {eligible.name}：{_n(eligible.value)}人（{ws.where('县级指标', eligible.row)}）"
                     if eligible else f"  {block['eligible_children_reason']}")
    verdict = block[f"{field}_ok"]
    shown = "无法计算" if value is None else pct(value)
    lines.append(f"结果：{shown}；标准 ≥{pct(block[f'{field}_min'])}，"
                 f"{'待定' if verdict is None else ('达标' if verdict else '未达标')}")
    return "\n".join(lines)


def _teacher_text(ws, block: dict, field: str) -> str:
    if field == "children_per_teacher":
        lines = ["每名专任教师在园幼儿数 = 在园幼儿数合计 ÷ 专任教师数合计",
                 f"  {_n(block['children'])} ÷ {_n(block['teachers'])} = {_n(block[field])}"]
    else:
        lines = ["专任教师持证率 = 持证专任教师数合计 ÷ 专任教师数合计（只计填报了持证专任教师数的幼儿园）",
                 f"  持证专任教师数合计 {_n(block['certified_teachers'])}，结果 "
                 f"{'无法计算' if block[field] is None else pct(block[field])}"]
    lines.append(f"数据：{ws.where('幼儿园')}，列「在园幼儿数」「专任教师数」「持证专任教师数」")
    return "\n".join(lines)


def _classes_text(ws, block: dict, field: str) -> str:
    sizes = block["class_size"]
    if sizes["reason"]:
        return sizes["reason"]
    standard = "、".join(f"{k}{g(v)}人" for k, v in sizes["standard"].items())
    lines = [f"幼儿园班额达标率 = 不超过标准班额的班级数 ÷ 班级数（标准：{standard}）",
             f"数据：{ws.where('班级')}，年级为小班、中班、大班、混龄班且学校标识码为幼儿园标识码的行",
             f"  班级{sizes['classes']}个，超过标准班额{sizes['over_standard']}个，"
             f"达标率 {pct(sizes['compliance_rate'])}"]
    lines += [f"  {grade}：{part['classes']}个，超标{part['over_standard']}个" for grade, part in sizes["by_grade"].items()]
    table = kindergarten_classes(ws.tables["班级"], ws.kindergartens, _system(ws))
    over = table[table["over"]]
    names = ws.kindergartens.set_index("幼儿园标识码")["幼儿园名称"]
    lines.append(f"超过标准班额的班级（{len(over)}个）：")
    lines += [f"  第{int(r['_row'])}行 {names.get(r['幼儿园标识码'])} {r['grade']}：{g(r['size'])}人"
              for _, r in over.head(_LISTED).iterrows()]
    return "\n".join(lines)


def _system(ws):
    return load_system("preschool", ws.settings.system("preschool"), ws.root)


def _item_text(ws, item: dict) -> str:
    lines = [item["label"], f"标准：{item.get('standard') or '—'}", f"结论：{item['status']}；{item['reason']}"]
    for cond in item.get("conditions", []):
        lines += [f"数据：{ws.where('县级指标', s['row'])}：{s['name']} = {g(s['value'])}{s['unit'] or ''}"
                  for s in cond.get("inputs", [])]
    for detail in item.get("details", [])[:_LISTED]:
        where = f"{ws.where('幼儿园', detail['row'])} " if detail.get("row") else ""
        value = f"：{g(detail['value'])}" if detail.get("value") is not None else ""
        lines.append(f"  {where}{detail.get('name') or detail.get('town')}{value}")
    if item.get("note"):
        lines.append(f"说明：{item['note']}")
    return "\n".join(lines)


def _kindergarten_text(ws, kg: dict) -> str:
    lines = [f"{kg['name']}（{kg['ownership']}，{ws.where('幼儿园', kg['row'])}）",
             f"在园幼儿{_n(kg['children'])}人，班级{_n(kg['classes'])}个，专任教师{_n(kg['teachers'])}人，"
             f"超过标准班额的班级{kg['oversize_classes']}个"]
    lines += [f"  {item_id}：{_n(value)}" for item_id, value in kg["values"].items()]
    if kg["failed"]:
        lines.append("未达到的标准：")
        lines += [f"  {f['label']}（{f['standard']}，实际{g(f['value'])}）" for f in kg["failed"]]
    else:
        lines.append("各项逐园标准均已达到")
    return "\n".join(lines)


def senior_trace(ws, result: dict, field: str) -> str | None:
    if field not in SENIOR_FIELDS:
        return None
    block = result["class_size"]["senior"]
    if block["reason"]:
        return f"普通高中{field}：{block['reason']}"
    rows = senior_classes(ws.tables["班级"], ws.schools)
    names = ws.schools.set_index("学校标识码")["学校名称"]
    rule = {"over_standard": rows["学生数"] > block["standard"],
            "large_56_65": (rows["学生数"] >= block["large_min"]) & (rows["学生数"] < block["huge_min"]),
            "huge_66_plus": rows["学生数"] >= block["huge_min"],
            "large_or_huge_share": rows["学生数"] >= block["large_min"]}
    picked = rows[rule.get(field.replace("large_share", "large_56_65").replace("huge_share", "huge_66_plus"),
                           rows["学生数"].notna())]
    value = block[field]
    lines = [f"普通高中班额 class_size.senior.{field} = {pct(value) if field.endswith('share') else g(value)}",
             f"数据：{ws.where('班级')}，年级为高一至高三、学校为高级中学/完全中学/十二年一贯制学校的行，"
             f"共{block['classes']}个班级；标准班额{g(block['standard'])}人，"
             f"大班额{g(block['large_min'])}人以上，超大班额{g(block['huge_min'])}人以上",
             f"符合条件的班级（{len(picked)}个）："]
    lines += [f"  第{int(r['_row'])}行 {names.get(r['学校标识码'])} {GRADE_NAMES[int(r['年级'])]}：{g(r['学生数'])}人"
              for _, r in picked.head(_LISTED).iterrows()]
    return "\n".join(lines)
