"""One figure of issue 12, printed beside its target with a pass/fail mark.

Every benchmark that measures one of issue 12's targets returns ``Figure``s from
a ``figures(...)`` function, so ``benchmarks/issue12.py`` can run them all and
print one table; run alone, each benchmark prints its own with ``print_figures``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """A measured figure and its target. ``higher_is_better`` says which way the
    target points: ``value >= target`` passes when True, ``value <= target`` when False.
    ``detail`` names the baseline of a ratio and the seconds behind it."""

    name: str
    value: float
    unit: str  # "x faster", "x its time", "s", "MB", "x (last/first)"
    target: float
    higher_is_better: bool
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        sign = ">=" if self.higher_is_better else "<="
        mark = "PASS" if self.passed else "FAIL"
        text = f"{self.name:58} {self.value:8.2f} {self.unit:14} target {sign} {self.target:g}  {mark}"
        return f"{text}   ({self.detail})" if self.detail else text


def print_figures(figures: list[Figure]) -> None:
    for figure in figures:
        print(figure.line())
