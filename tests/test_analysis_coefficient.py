"""The enrolment-weighted 差异系数 (standards §2): worked example and properties."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.analysis.coefficient import coefficient_table, difference_coefficient

# Published worked example (生均图书册数): pupils and books of five primary schools.
PUPILS = [45, 37, 89, 76, 55]
BOOKS = [279, 137, 935, 160, 402]


def test_published_worked_example():
    values = [b / p for b, p in zip(BOOKS, PUPILS)]
    result = difference_coefficient(values, PUPILS)
    assert result.mean == pytest.approx(1913 / 302)
    assert round(result.mean, 6) == 6.334437
    assert round(result.sd ** 2, 6) == 10.652787
    assert round(result.sd, 6) == 3.263861
    assert round(result.cv, 6) == 0.515257
    assert (result.schools, result.pupils) == (5, 302.0)


def test_worked_example_is_neither_unweighted_nor_sample_form():
    values = np.array([b / p for b, p in zip(BOOKS, PUPILS)])
    assert round(values.std() / values.mean(), 4) == 0.4888      # unweighted population
    assert round(values.std(ddof=1) / values.mean(), 4) == 0.5465  # unweighted sample
    assert round(difference_coefficient(values, PUPILS).cv, 4) == 0.5153


def test_two_schools_by_hand():
    # x̄ = (100·2 + 300·4)/400 = 3.5; S² = 0.25·2.25 + 0.75·0.25 = 0.75
    result = difference_coefficient([2.0, 4.0], [100, 300])
    assert result.mean == pytest.approx(3.5)
    assert result.sd == pytest.approx(math.sqrt(0.75))
    assert result.cv == pytest.approx(math.sqrt(0.75) / 3.5)


def test_zero_mean_has_no_coefficient():
    assert difference_coefficient([0.0, 0.0], [10, 20]).cv is None


@pytest.mark.parametrize("values, pupils", [([], []), ([1.0], [0]), ([float("nan")], [10]), ([1.0, 2.0], [10])])
def test_bad_input_is_refused(values, pupils):
    with pytest.raises(ValueError):
        difference_coefficient(values, pupils)


def test_table_matches_single_indicator_function():
    values = pd.DataFrame({"a": [b / p for b, p in zip(BOOKS, PUPILS)], "b": [1.0, 2.0, 3.0, 4.0, 5.0]})
    pupils = pd.Series(PUPILS, dtype=float)
    table = coefficient_table(values, pupils)
    for column in values:
        single = difference_coefficient(values[column], pupils)
        assert table.at[column, "cv"] == pytest.approx(single.cv)
        assert table.at[column, "mean"] == pytest.approx(single.mean)


def test_table_missing_value_gives_missing_coefficient():
    values = pd.DataFrame({"a": [1.0, float("nan")], "b": [1.0, 2.0]})
    table = coefficient_table(values, pd.Series([10.0, 20.0]))
    assert math.isnan(table.at["a", "cv"])
    assert not math.isnan(table.at["b", "cv"])


schools = st.lists(st.tuples(st.floats(0.1, 1e4), st.integers(1, 5000)), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(schools, st.floats(1e-3, 1e3))
def test_scaling_every_value_leaves_cv_unchanged(data, factor):
    values, pupils = zip(*data)
    base = difference_coefficient(values, pupils)
    scaled = difference_coefficient([v * factor for v in values], pupils)
    assert scaled.cv == pytest.approx(base.cv, rel=1e-6, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.01, 1e5), st.lists(st.integers(1, 5000), min_size=1, max_size=40))
def test_equal_schools_have_zero_cv(value, pupils):
    assert difference_coefficient([value] * len(pupils), pupils).cv == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 1e6), st.integers(1, 5000)), min_size=1, max_size=40))
def test_weighted_mean_is_total_resource_over_total_pupils(data):
    resources, pupils = zip(*data)
    result = difference_coefficient([r / p for r, p in data], pupils)
    assert result.mean == pytest.approx(sum(resources) / sum(pupils), rel=1e-9, abs=1e-12)
