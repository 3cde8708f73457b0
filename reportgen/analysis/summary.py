"""``summary_text``: the analysis result as a short Chinese summary for the terminal."""
from __future__ import annotations

from reportgen.analysis.common import FAIL, PASS, PENDING, change, pct


def summary_text(result: dict) -> str:
    lines = [f"{result['region']} {result['year']}年度 分析结果", ""]
    for title, block in (("一、优质均衡 资源配置", _quality), ("二、基本均衡 校际差异", _basic),
                         ("三、政府保障程度", lambda r: _items(r["guarantee"])),
                         ("四、教育质量", lambda r: _items(r["education_quality"])),
                         ("五、社会认可度与不予认定情形", _recognition), ("六、班额与校额", _sizes),
                         ("七、经费投入", _funding), ("八、履行教育职责评价（测评点得分）", _duty),
                         ("九、整改台账", _rectification)):
        lines += [title, *("  " + line for line in block(result)), ""]
    schemes = _schemes(result)
    if schemes:
        lines += ["十、评估方案", *("  " + line for line in schemes), ""]
    return "\n".join(lines).rstrip() + "\n"


def _schemes(result: dict) -> list[str]:
    """The verdict of every 评估方案 chosen besides the 履职 scheme (shown above)."""
    out = []
    for name, s in result.get("schemes", {}).items():
        if name == result["duty_scoring"]["system"]:
            continue
        out.append(f"{name}：总分{s['total']:g}分（满分{s['max']:g}），加分{s['bonus']:g}分，结论：{s['verdict']}"
                   + (f"，等级：{s['grade']}" if s["grade"] else ""))
        out += [f"  未通过：{f}" for f in s["failed_rules"]] + [f"  待定：{p}" for p in s["pending"]]
    return out


def _n(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _change(value: float | None) -> str:
    return "" if value is None else f"，{change(value)}"


def _quality(result: dict) -> list[str]:
    out = [f"指标体系：{result['systems']['quality']['name']}"]
    for key in ("primary", "junior"):
        s = result["quality_balance"][key]
        if not s["schools_in_scope"]:
            out.append(f"{s['section']}：没有纳入计算的学校")
            continue
        over = [f"{e['label']} {_n(e['cv'])}（>{e['cv_max']:g}）" for e in s["indicators"].values() if e["cv_ok"] is False]
        missing = [e["label"] for e in s["indicators"].values() if e["cv"] is None]
        limit = next(iter(s["indicators"].values()))["cv_max"]
        cv_text = ("差异系数超标：" + "；".join(over)) if over else f"{len(s['indicators'])}项差异系数均不高于{limit:.2f}"
        if missing:
            cv_text += f"；无法计算：{'、'.join(missing)}"
        out.append(f"{s['section']}：纳入{s['schools_in_scope']}所，综合差异系数{_n(s['composite_cv'])}；{cv_text}")
        out.append(f"    每校达标：{s['schools_ok']}所达标，{s['schools_failing']}所未达标"
                   + (f"，{s['schools_undetermined']}所数据不全" if s["schools_undetermined"] else ""))
    excluded = result["quality_balance"]["excluded"]
    if excluded:
        out.append(f"不参与计算的学校{len(excluded)}所")
    return out


def _basic(result: dict) -> list[str]:
    out = []
    for key in ("primary", "junior"):
        s = result["basic_balance"][key]
        verdict = "待说明" if s["ok"] is None else ("达标" if s["ok"] else "未达标")
        out.append(f"{s['section']}：综合差异系数{_n(s['composite_cv'])}（≤{s['composite_max']:.2f}），{verdict}"
                   + (f"；{s['reason']}" if s["reason"] else ""))
    return out


def _items(items: list[dict]) -> list[str]:
    counts = {k: sum(i["status"] == k for i in items) for k in (PASS, FAIL, PENDING)}
    out = [f"达标{counts[PASS]}项，未达标{counts[FAIL]}项，待说明{counts[PENDING]}项"]
    out += [f"未达标 {i['number'] or ''}. {i['reason']}" for i in items if i["status"] == FAIL]
    data_gaps = [i for i in items if i["status"] == PENDING and i["check"] != "说明"]
    out += [f"待说明 {i['number'] or ''}. {i['reason']}" for i in data_gaps]
    return out


def _recognition(result: dict) -> list[str]:
    social = result["social_recognition"]
    vetoes = result["vetoes"]
    found = [v["label"] for v in vetoes if v["triggered"]]
    open_ = sum(v["triggered"] is None for v in vetoes)
    return [f"社会认可度：{social['status']}；{social['reason']}",
            "不予认定情形：" + ("存在 " + "、".join(found) if found else "未发现")
            + (f"（{open_}项未填报）" if open_ else "")]


def _sizes(result: dict) -> list[str]:
    cs = result["class_size"]
    out = []
    if not cs["available"]:
        out.append(cs["reason"])
    else:
        for key in ("primary", "junior"):
            s = cs[key]
            out.append(f"{s['section']}{s['classes']}个班：超过{s['standard']:g}人{s['over_standard']}个"
                       f"（毕业年级{s['graduating_over_standard']}个），大班额{s['large_56_65']}个，"
                       f"超大班额{s['huge_66_plus']}个；下一年度预计超标准班额{s['next_year']['over_standard']}个")
    over = result["school_size"]["over_limit"]
    out.append(f"超规模学校{len(over)}所" + ("：" + "、".join(f"{s['name']}（{s['pupils']:g}人）" for s in over[:10]) if over else ""))
    return out


def _funding(result: dict) -> list[str]:
    f = result["funding"]
    if not f["years"]:
        return ["未填报经费工作表"]
    out = [f"年度：{f['years'][0]}—{f['years'][-1]}年"]
    for e in f["by_level"].get("合计", []):
        out.append(f"{e['year']}年：一般公共预算教育支出{_n(e['spending'], 2)}万元{_change(e['spending_growth'])}；"
                   f"生均{_n(e['per_pupil'], 2)}元{_change(e['per_pupil_growth'])}")
    t = f["two_no_decrease"]
    if t["spending_ok"] is None:
        out.append(f"两个只增不减：无法判断（{t['reason']}）")
    else:
        verdict = "均实现" if t["spending_ok"] and t["per_pupil_ok"] else "未全部实现"
        years = "、".join(map(str, t["failing_years"]))
        out.append(f"两个只增不减：{verdict}" + (f"（未实现年度：{years}）" if years else ""))
    out.append(f"三个增长：{f['three_growth']['reason']}")
    if f.get("training_budget"):
        out.append(f"教师培训经费：{f['training_budget']['reason']}")
    return out


def _duty(result: dict) -> list[str]:
    d = result["duty_scoring"]
    out = [f"指标体系：{d['system']}",
           f"自评得分{d['total']:.2f}分（满分{d['full_marks']:g}），加分{d['bonus']:g}分，最终{d['final']:.2f}分，等级：{d['grade']}",
           f"由数据计算的测评点{len(d['computed_points'])}个，不适用{len(d['not_applicable'])}个"]
    if d["missing"]:
        out.append(f"待填写自评得分的测评点{len(d['missing'])}个：{'、'.join(d['missing'])}")
    deducted = [p for p in d["points"] if p["score"] is not None and p["score"] < p["max_score"]]
    out += [f"测评点{p['id']}：{p['reason']}" for p in deducted if p["computed"]]
    if d["vetoes_pending"]:
        out.append(f"否决与降等情形待说明{len(d['vetoes_pending'])}项")
    out += [f"注意：{w}" for w in d["warnings"]]
    return out


def _rectification(result: dict) -> list[str]:
    r = result.get("rectification") or {}
    if not r.get("total"):
        return ["整改台账为空"]
    return [f"问题{r['total']}个：已完成{r['done']}个，整改中{r['in_progress']}个，未启动{r['not_started']}个，"
            f"长期坚持{r['long_term']}个；完成率{'—' if r['completion_rate'] is None else pct(r['completion_rate'])}；逾期{len(r['overdue'])}个"]
