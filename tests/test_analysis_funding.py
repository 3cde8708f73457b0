"""两个只增不减 per level and 三个增长 (standards §5)."""
from __future__ import annotations

import pytest

from fixtures.analysis_frames import county_rows, school, workspace
from reportgen.analysis.county import County
from reportgen.analysis.funding import funding, three_growth
from reportgen.systems.indicators import load_system

DUTY = load_system("duty", "履职评价示例")


def spend(year: int, level: str, wan: float, pupils: float | None) -> dict:
    return {"年度": year, "学段": level, "一般公共预算教育支出": wan, "在校生数": pupils}


def analyse(rows: list[dict], county: list[dict] = (), year: int = 2025) -> dict:
    ws = workspace([school("0000000001")], funding=rows, county=list(county))
    return funding(ws.funding, County(ws.county), DUTY, year, None)


def test_growth_per_pupil_and_failing_years():
    result = analyse([spend(2025, "合计", 105.0, 1000), spend(2023, "合计", 100.0, 1000),
                      spend(2024, "合计", 99.0, 900)])
    entries = result["by_level"]["合计"]
    assert [e["year"] for e in entries] == [2023, 2024, 2025] and result["years"] == [2023, 2024, 2025]
    assert entries[0]["spending_growth"] is None and "2022" in entries[0]["reason"]
    assert entries[1]["spending_growth"] == pytest.approx(-0.01)
    assert entries[1]["per_pupil"] == pytest.approx(1100.0)       # 99万元 / 900 人
    assert entries[1]["per_pupil_growth"] == pytest.approx(0.1)
    assert entries[2]["per_pupil_growth"] == pytest.approx(1050 / 1100 - 1)
    test = result["two_no_decrease"]
    assert (test["spending_ok"], test["per_pupil_ok"]) == (False, False)
    assert test["spending_failing_years"] == [2024] and test["per_pupil_failing_years"] == [2025]
    assert test["failing_years"] == [2024, 2025]
    assert result["current"] == {"year": 2025, "spending_growth": pytest.approx(105 / 99 - 1),
                                 "per_pupil_growth": pytest.approx(1050 / 1100 - 1), "spending_ok": True,
                                 "per_pupil_ok": False, "reason": None}


def test_equal_spending_is_not_a_decrease():
    result = analyse([spend(2024, "合计", 100.0, 1000), spend(2025, "合计", 100.0, 1000)])
    assert result["two_no_decrease"]["spending_ok"] is True and result["two_no_decrease"]["failing_years"] == []


def test_per_level_and_gap_years():
    result = analyse([spend(2023, "合计", 100.0, 10), spend(2025, "合计", 90.0, 10),
                      spend(2024, "小学", 50.0, 5), spend(2025, "小学", 55.0, 5)])
    assert result["two_no_decrease"]["spending_ok"] is None  # 2023 → 2025 are not consecutive
    assert result["two_no_decrease"]["reason"]
    assert result["two_no_decrease_by_level"]["小学"]["spending_ok"] is True
    assert list(result["by_level"]) == ["合计", "小学"]


def test_missing_pupils_leave_per_pupil_null():
    result = analyse([spend(2024, "合计", 100.0, None), spend(2025, "合计", 110.0, 1000)])
    entry = result["by_level"]["合计"][1]
    assert entry["per_pupil_growth"] is None and "在校生数" in entry["reason"]
    assert result["two_no_decrease"]["per_pupil_ok"] is None and result["two_no_decrease"]["spending_ok"] is True


def test_no_total_rows():
    result = analyse([spend(2024, "小学", 100.0, 10), spend(2025, "小学", 110.0, 10)])
    assert result["two_no_decrease"]["spending_ok"] is None and "合计" in result["two_no_decrease"]["reason"]


PAY = {"教师平均工资收入": (11.86, "万元"), "上年教师平均工资收入": (114100.0, "元"),
       "义务教育生均公用经费": (880, "元"), "上年义务教育生均公用经费": (850, "元")}
TOTALS = [{"year": 2025, "per_pupil_growth": 0.0489, "reason": None}]


def test_three_growth_from_rates_and_from_amounts():
    rates = County(workspace(county=county_rows({"教育财政拨款增长率": (5.0, "%"),
                                                 "财政经常性收入增长率": (3.0, "%"), **PAY})).county)
    result = three_growth(rates, DUTY, TOTALS, 2025)
    assert (result["appropriation_growth"], result["revenue_growth"], result["ok"]) == (0.05, 0.03, True)
    amounts = County(workspace(county=county_rows({
        "教育财政拨款": (102.0, "万元"), "上年教育财政拨款": (100.0, "万元"),
        "财政经常性收入": (1040.0, "万元"), "上年财政经常性收入": (1000.0, "万元"), **PAY})).county)
    result = three_growth(amounts, DUTY, TOTALS, 2025)
    assert result["appropriation_growth"] == pytest.approx(0.02) and result["ok"] is False
    assert "未高于" in result["reason"]


def test_three_growth_tests_all_three_growths():
    """教育法: 拨款 above 经常性收入, 生均教育费用 growing, 教师工资 and 生均公用经费 growing (issue 14)."""
    county = {"教育财政拨款增长率": (5.0, "%"), "财政经常性收入增长率": (3.0, "%"), **PAY}
    result = three_growth(County(workspace(county=county_rows(county)).county), DUTY, TOTALS, 2025)
    assert result["ok"] is True and [p["ok"] for p in result["parts"]] == [True, True, True]
    assert result["reason"] == ("教育财政拨款增长5.00%，高于财政经常性收入增长3.00%；"
                                "2025年生均一般公共预算教育支出比上年增长4.89%；"
                                "教师平均工资收入比上年增长3.94%，生均公用经费比上年增长3.53%")
    assert result["salary_growth"] == pytest.approx(11.86 / 11.41 - 1)   # 上年 in 元 converted to 万元
    falling = [{"year": 2025, "per_pupil_growth": -0.012, "reason": None}]
    result = three_growth(County(workspace(county=county_rows(county)).county), DUTY, falling, 2025)
    assert result["ok"] is False and "2025年生均一般公共预算教育支出比上年下降1.20%，未实现逐步增长" in result["reason"]
    county["上年义务教育生均公用经费"] = (900, "元")
    result = three_growth(County(workspace(county=county_rows(county)).county), DUTY, TOTALS, 2025)
    assert result["ok"] is False and "生均公用经费比上年下降2.22%，未实现逐步增长" in result["reason"]


def test_three_growth_names_each_missing_figure():
    county = {"教育财政拨款增长率": (5.0, "%"), "财政经常性收入增长率": (3.0, "%"), "教师平均工资收入": (11.86, "万元")}
    result = three_growth(County(workspace(county=county_rows(county)).county), DUTY, [], 2025)
    assert result["ok"] is None and [p["ok"] for p in result["parts"]] == [True, None, None]
    assert "经费工作表中没有2025年度「合计」的数据" in result["reason"]
    assert "「教师平均工资收入增长率」（或「教师平均工资收入」和「上年教师平均工资收入」）" in result["reason"]
    assert "「生均公用经费增长率」（或「义务教育生均公用经费」和「上年义务教育生均公用经费」）" in result["reason"]


def test_three_growth_missing_data_is_null_with_reason():
    result = three_growth(County(workspace().county), DUTY, [], 2025)
    assert result["ok"] is None and "教育财政拨款增长率" in result["reason"]


# ---------------------------------------------------------------- mix effect (issue 14)

def two_years(before: dict[str, tuple[float, float]], now: dict[str, tuple[float, float]]) -> list[dict]:
    """经费 rows for 2024 and 2025: {学段: (万元, 在校生数)} each year."""
    return [spend(y, level, wan, pupils) for y, rows in ((2024, before), (2025, now))
            for level, (wan, pupils) in rows.items()]


def test_mix_effect_from_pupils_moving_to_the_cheaper_level():
    # 学前 5000→5500 元 (+10%), 小学 10000→10500 元 (+5%); 学前 goes from half to two thirds of the pupils,
    # so the total falls from 7500 to 7166.67 元 although both levels rise; 合计 is exactly the levels' sum.
    result = analyse(two_years({"合计": (150.0, 200), "学前": (50.0, 100), "小学": (100.0, 100)},
                               {"合计": (215.0, 300), "学前": (110.0, 200), "小学": (105.0, 100)}))
    [mix] = result["mix_effects"]
    assert mix["year"] == 2025 and mix["proven"] and mix["levels"] == ["学前", "小学"]
    assert mix["per_pupil_growth"] == pytest.approx(215e4 / 300 / 7500 - 1)
    assert mix["within"] == pytest.approx(0.5 * 500 + 0.5 * 500)             # Σ s₀·Δp
    assert mix["structure"] == pytest.approx((2 / 3 - 0.5) * 5500 + (1 / 3 - 0.5) * 10500)
    assert mix["unassigned"] == pytest.approx(0.0)
    assert mix["within"] + mix["structure"] + mix["unassigned"] == pytest.approx(mix["per_pupil_change"])
    assert mix["main"] == "structure" and mix["falling"] == ["structure"] and mix["named"] == ["学前"]
    assert mix["shares"]["学前"] == pytest.approx([0.5, 2 / 3])


def test_mix_effect_from_spending_held_beyond_the_levels():
    # same pupils, both levels up 10%, but the 合计 row held 60万元 beyond the levels before and 0 now
    result = analyse(two_years({"合计": (210.0, 200), "学前": (50.0, 100), "小学": (100.0, 100)},
                               {"合计": (165.0, 200), "学前": (55.0, 100), "小学": (110.0, 100)}))
    [mix] = result["mix_effects"]
    assert mix["unassigned_spending"] == pytest.approx([60.0, 0.0])
    assert mix["unassigned"] == pytest.approx(-60e4 / 200) and mix["structure"] == pytest.approx(0.0)
    assert mix["main"] == "unassigned" and mix["falling"] == ["unassigned"] and mix["named"] == []
    assert mix["within"] + mix["structure"] + mix["unassigned"] == pytest.approx(mix["per_pupil_change"])


def test_no_mix_effect_when_the_total_rises_or_a_level_falls():
    rising = analyse(two_years({"合计": (150.0, 200), "学前": (50.0, 100), "小学": (100.0, 100)},
                               {"合计": (160.0, 200), "学前": (55.0, 100), "小学": (105.0, 100)}))
    assert rising["mix_effects"] == []
    one_falls = analyse(two_years({"合计": (150.0, 200), "学前": (50.0, 100), "小学": (100.0, 100)},
                                  {"合计": (140.0, 200), "学前": (45.0, 100), "小学": (95.0, 100)}))
    assert one_falls["by_level"]["合计"][1]["per_pupil_growth"] < 0 and one_falls["mix_effects"] == []
    no_levels = analyse(two_years({"合计": (150.0, 200)}, {"合计": (140.0, 200)}))
    assert no_levels["mix_effects"] == []


def test_mix_effect_is_only_stated_when_the_levels_pupils_add_up():
    # 合计 counts 50 pupils no level has: the fall is a fact, its cause cannot be split
    result = analyse(two_years({"合计": (150.0, 250), "学前": (50.0, 100), "小学": (100.0, 100)},
                               {"合计": (150.0, 300), "学前": (55.0, 100), "小学": (105.0, 100)}))
    [mix] = result["mix_effects"]
    assert mix["proven"] is False and "structure" not in mix and "main" not in mix


def test_example_county_2023_mix_effect_is_mostly_spending_beyond_the_levels(example_analysis):
    [mix] = example_analysis["funding"]["mix_effects"]
    assert mix["year"] == 2023 and mix["proven"] and mix["main"] == "unassigned" and mix["named"] == ["学前"]
    assert mix["unassigned_spending"] == pytest.approx([5885.75, 2834.48])
    assert mix["structure"] < 0 and mix["within"] > 0
    assert mix["within"] + mix["structure"] + mix["unassigned"] == pytest.approx(mix["per_pupil_change"])


def test_no_mix_effect_when_a_level_lacks_the_year_before():
    rows = two_years({"合计": (150.0, 200), "学前": (50.0, 100), "小学": (100.0, 100)},
                     {"合计": (150.0, 250), "学前": (55.0, 100), "小学": (105.0, 100)})
    result = analyse(rows + [spend(2025, "初中", 10.0, 50)])
    assert result["by_level"]["合计"][1]["per_pupil_growth"] < 0 and result["mix_effects"] == []
