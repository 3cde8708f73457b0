"""Indicator systems as data: the shipped files, user copies, and every kind of mistake in one."""
from __future__ import annotations

import ast
from importlib import resources
from pathlib import Path

import pytest
import yaml

from reportgen.core.errors import IndicatorSystemError
from reportgen.systems.indicators import DUTY_MEASURES, ITEM_MEASURE_PREFIXES, builtin_names, duty_point_rows, load_system

SYSTEMS = resources.files("reportgen") / "systems"


def test_builtin_systems_are_listed():
    assert builtin_names() == sorted(["优质均衡2017", "基本均衡2012", "履职评价示例", "学前普及普惠2020"])


def test_quality_2017_content():
    q = load_system("quality", "优质均衡2017")
    b = q.balance
    standards = {i.id: (i.standard["小学"], i.standard["初中"]) for i in b.indicators}
    assert standards == {
        "high_degree_teachers_per100": (4.2, 5.3), "backbone_teachers_per100": (1.0, 1.0),
        "pe_art_teachers_per100": (0.9, 0.9), "teaching_area_per_student": (4.5, 5.8),
        "sports_area_per_student": (7.5, 10.2), "equipment_value_per_student": (2000, 2500),
        "multimedia_rooms_per100": (2.3, 2.4)}
    assert b.cv_max == {"小学": 0.50, "初中": 0.45} and b.composite_max is None
    assert (b.per_school.min_met, b.per_school.floor_ratio) == (6, 0.85)
    assert b.split.weights == {"九年一贯制学校": {"小学": 1, "初中": 1.1}, "完全中学": {"初中": 1, "高中": 1.2},
                               "十二年一贯制学校": {"小学": 1, "初中": 1.1, "高中": 1.32}}
    assert set(b.split.columns) == {"教学及辅助用房面积", "体育运动场馆面积", "教学仪器设备值", "网络多媒体教室数",
                                    "计算机台数", "图书册数"}
    assert (b.scope.excluded_types, b.scope.small_site_min_pupils, b.scope.include_private) == \
        (("特殊教育学校", "职业学校"), 50, True)
    assert (len(q.guarantee), len(q.education_quality), len(q.vetoes)) == (15, 9, 6)
    assert q.social_recognition.conditions[0].at_least == 0.85
    assert (q.class_size.standard, q.class_size.large_min, q.class_size.large_max, q.class_size.huge_min) == \
        ({"小学": 45, "初中": 50}, 56, 65, 66)
    assert q.school_size.caps["小学"] == 2000 and q.school_size.caps["九年一贯制学校"] == 2500


def test_basic_2012_content():
    b = load_system("basic", "基本均衡2012").balance
    assert len(b.indicators) == 8 and b.composite_max == {"小学": 0.65, "初中": 0.55}
    assert "小学教学点" in b.scope.excluded_types and b.scope.include_private is False


def test_duty_example_content():
    d = load_system("duty", "履职评价示例")
    assert d.total == 100 and sum(p.max_score for p in d.points) == 100
    assert d.grades == (("优秀", 90), ("良好", 80), ("合格", 65), ("不合格", 0))
    assert d.bonus and d.bonus_cap > 0 and {v.action for v in d.vetoes} == {"一票否决", "降一等"}
    size = next(p for p in d.points if p.rule and p.rule.measure == "学校规模.超规模学校数")
    assert (size.rule.rule, size.rule.per_item) == ("每项扣分", 1)


def test_duty_example_documents_every_measure():
    text = (SYSTEMS / "履职评价示例.yaml").read_text(encoding="utf-8")
    header = text[: text.index("体系:")]
    for name in DUTY_MEASURES:
        assert name in header, name
    assert all(p in header for p in ITEM_MEASURE_PREFIXES)


def test_duty_point_rows():
    d = load_system("duty", "履职评价示例")
    rows = duty_point_rows(d)
    assert len(rows) == len(d.points) + len(d.bonus)
    assert list(rows[0]) == ["编号", "一级指标", "二级指标", "测评点", "分值", "自评得分", "得失分说明", "适用", "计算方式"]
    assert rows[0]["编号"] == "1" and rows[0]["自评得分"] is None and rows[0]["适用"] == "是"
    assert rows[-1]["一级指标"] == "加分项目"


def test_user_copy_relative_to_workspace(tmp_path):
    text = (SYSTEMS / "优质均衡2017.yaml").read_text(encoding="utf-8").replace("差异系数上限: {小学: 0.50, 初中: 0.45}",
                                                                           "差异系数上限: {小学: 0.55, 初中: 0.45}")
    (tmp_path / "体系").mkdir()
    (tmp_path / "体系" / "本省.yaml").write_text(text, encoding="utf-8")
    assert load_system("quality", "体系/本省.yaml", tmp_path).balance.cv_max["小学"] == 0.55


def edited(tmp_path: Path, name: str, change) -> Path:
    data = yaml.safe_load((SYSTEMS / f"{name}.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def set_in(path: list, value):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


@pytest.mark.parametrize("kind, name, change, words", [
    ("quality", "优质均衡2017", set_in(["资源配置", "差异系数上限", "小学"], "零点五"), ["资源配置 › 差异系数上限 › 小学", "应为数值"]),
    ("quality", "优质均衡2017", set_in(["资源配置", "差异系数上线"], 1), ["差异系数上线", "不是可用的项"]),
    ("quality", "优质均衡2017", set_in(["资源配置", "每校达标", "其余项不低于标准的"], 85), ["其余项不低于标准的", "0.85"]),
    ("quality", "优质均衡2017", set_in(["资源配置", "指标", 0, "分子"], "教师数"), ["分子", "教师数"]),
    ("quality", "优质均衡2017", set_in(["资源配置", "指标", 3, "分子"], "{学段}在校生"), ["分子"]),
    ("quality", "优质均衡2017", set_in(["资源配置", "拆分", "权重", "九年制"], {"小学": 1}), ["九年制", "办学类型"]),
    ("quality", "优质均衡2017", set_in(["政府保障程度", 10, "计算", 0, "类型"], "县级比率"), ["类型", "县级比例"]),
    ("quality", "优质均衡2017", set_in(["班额", "大班额", "最多"], 70), ["班额", "超大班额"]),
    ("quality", "优质均衡2017", set_in(["政府保障程度", 0, "说明项"], "布局合理"), ["第1项 › 说明项", "只用于有计算规则的指标"]),
    ("quality", "优质均衡2017", set_in(["教育质量", 3, "计算", "分母"], "公用经费"), ["教育质量 › 第4项 › 计算 › 分母", "公用经费"]),
    ("quality", "优质均衡2017", set_in(["不予认定情形", 3, "县级指标"], "编外教师数"),
     ["不予认定情形 › 第4项", "「县级指标」和「各项县级指标」只能填写一个"]),
    ("basic", "基本均衡2012", set_in(["校际均衡", "综合差异系数上限"], None), ["综合差异系数上限", "缺失"]),
    ("duty", "履职评价示例", set_in(["总分"], 120), ["总分", "100"]),
    ("duty", "履职评价示例", set_in(["指标", 0, "分值"], 16), ["指标 › 第1项（编号A1） › 分值", "16"]),
    ("duty", "履职评价示例", set_in(["指标", 0, "指标", 1, "指标", 1, "评分", "数据"], "学校规模.大校额"),
     ["数据", "学校规模.大校额"]),
    ("duty", "履职评价示例", set_in(["指标", 1, "指标", 0, "指标", 0, "评分", "方式"], "按项扣分"),
     ["按项扣分", "计数"]),
    ("duty", "履职评价示例", set_in(["等级", 0, "最低分"], 70), ["等级", "从高到低"]),
    ("duty", "履职评价示例", set_in(["体系"], "优质均衡"), ["体系", "履职评价"]),
])
def test_mistakes_name_the_file_and_key(tmp_path, kind, name, change, words):
    path = edited(tmp_path, name, change)
    with pytest.raises(IndicatorSystemError) as caught:
        load_system(kind, path.name, tmp_path)
    message = str(caught.value)
    assert "x.yaml" in message
    for word in words:
        assert word in message


def test_missing_file_lists_builtins(tmp_path):
    with pytest.raises(IndicatorSystemError, match="优质均衡2017") as caught:
        load_system("quality", "不存在.yaml", tmp_path)
    assert "不存在.yaml" in str(caught.value)


def test_broken_yaml(tmp_path):
    (tmp_path / "坏.yaml").write_text("体系: 优质均衡\n名称: [未闭合\n", encoding="utf-8")
    with pytest.raises(IndicatorSystemError, match="坏.yaml.*格式不正确"):
        load_system("quality", "坏.yaml", tmp_path)


def test_duty_link_to_unknown_quality_item(tmp_path):
    from reportgen.analysis import check_links

    path = edited(tmp_path, "履职评价示例", set_in(["指标", 2, "指标", 0, "指标", 0, "评分", "数据"],
                                                  "政府保障程度.teacher_pay"))
    duty = load_system("duty", path.name, tmp_path)
    with pytest.raises(IndicatorSystemError, match="teacher_pay.*teacher_salary"):
        check_links(duty, load_system("quality", "优质均衡2017"))


def _system_thresholds() -> set[float]:
    numbers: set[float] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in ("序号", "编号"):  # item numbers are not thresholds
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            numbers.add(float(node))

    for name in ("优质均衡2017", "基本均衡2012", "学前普及普惠2020", "履职评价示例", "方案/均衡发展合格县示例", "方案/基本均衡2012"):
        walk(yaml.safe_load((SYSTEMS / f"{name}.yaml").read_text(encoding="utf-8")))
    walk([m for _, m in load_system("duty", "履职评价示例").grades])
    return {n for n in numbers if not (n.is_integer() and n < 10) and n != 100}


def test_no_threshold_is_written_in_analysis_code():
    thresholds = _system_thresholds()
    assert {0.5, 0.45, 0.85, 45, 56, 66, 2000, 6000, 0.65} <= thresholds
    folder = Path(__file__).parents[1] / "reportgen" / "analysis"
    found = []
    for path in sorted(folder.glob("*.py")):
        if path.name == "rectification.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                    and not isinstance(node.value, bool) and float(node.value) in thresholds:
                found.append(f"{path.name}:{node.lineno} {node.value}")
    assert not found, f"thresholds belong in reportgen/systems/*.yaml: {found}"


def test_stated_halves_and_several_veto_figures_are_read():
    """说明项 names the stated half of items 8, 14, 15; a veto lists several figures (issue 14)."""
    quality = load_system("quality", "优质均衡2017")
    halves = {i.number: i.stated_part for i in quality.guarantee if i.stated_part}
    assert halves == {8: "按规定足额核定教师绩效工资总量", 14: "优质高中招生名额分配向农村初中倾斜", 15: "留守儿童关爱体系健全"}
    veto = next(v for v in quality.vetoes if v.id == "unfilled_posts")
    assert veto.figures == (("有编不补人数", "“有编不补”人数", "空编未补人数"), ("长期聘用编外教师数",))
    training = next(i for i in quality.education_quality if i.id == "training_budget")
    assert training.check == "学校比例" and training.params["at_least"] == 0.05


def test_every_new_county_figure_is_a_name_the_systems_read():
    """The loader warns about 县级指标 rows no system reads: the new figures must be among the read names."""
    from reportgen.loading.names import county_names_read

    read = county_names_read([load_system("quality", "优质均衡2017"), load_system("duty", "履职评价示例")])
    assert {"有编不补人数", "空编未补人数", "长期聘用编外教师数", "教师培训经费不足5%的学校数", "教师培训经费",
            "上年教师平均工资收入", "义务教育生均公用经费", "上年义务教育生均公用经费"} <= set(read)
