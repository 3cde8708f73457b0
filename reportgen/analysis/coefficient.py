"""The enrolment-weighted 差异系数 (coefficient of variation) of standards §2.

    x̄ = Σ P_i·X_i / P        S = sqrt( Σ (P_i / P)·(X_i − x̄)² )        CV = S / x̄

P_i is the pupils of school i and P = Σ P_i. The population form (no n−1) is the one that
reproduces the published worked example (CV 0.515257).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Coefficient:
    """Weighted mean, weighted population SD and their ratio; ``cv`` is None when the mean is 0."""

    mean: float
    sd: float
    cv: float | None
    schools: int
    pupils: float


def difference_coefficient(values, pupils) -> Coefficient:
    """The 差异系数 of one indicator over schools; ``values`` and ``pupils`` are aligned sequences.

    Raises ``ValueError`` for missing values, non-positive pupils or no schools: callers decide
    what a gap means before calling.
    """
    x = np.asarray(values, dtype=float)
    p = np.asarray(pupils, dtype=float)
    if x.shape != p.shape or x.size == 0:
        raise ValueError(f"need equally long, non-empty values and pupils, got {x.shape} and {p.shape}")
    if np.isnan(x).any() or np.isnan(p).any() or (p <= 0).any():
        raise ValueError("values must be present and pupils positive")
    total = p.sum()
    mean = float((p * x).sum() / total)
    sd = math.sqrt(float(((p / total) * (x - mean) ** 2).sum()))
    return Coefficient(mean, sd, sd / mean if mean != 0 else None, int(x.size), float(total))


def coefficient_table(values: pd.DataFrame, pupils: pd.Series) -> pd.DataFrame:
    """Mean, SD and CV of every column of ``values`` at once (rows = schools).

    A column with any missing value gets NaN throughout; so does the CV of a zero mean.
    """
    total = pupils.sum()
    weights = pupils / total
    mean = values.mul(weights, axis=0).sum(skipna=False)
    sd = np.sqrt(values.sub(mean, axis=1).pow(2).mul(weights, axis=0).sum(skipna=False))
    cv = sd / mean.where(mean != 0)
    if values.empty:
        mean = sd = cv = pd.Series(np.nan, index=values.columns)
    return pd.DataFrame({"mean": mean, "sd": sd, "cv": cv})
