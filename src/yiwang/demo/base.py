"""The shape of ``yiwang demo``: a list of steps, each contributed by one app's loader.

A step is a function without arguments that loads its part of the demo province through the
app's services (upserting by natural keys, so running it again changes nothing) and returns one
:class:`Tally` per kind of row for the summary. ``yiwang.demo.steps.STEPS`` lists them in the
order they depend on each other; a later app adds its loader there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = ["Step", "Tally"]


@dataclass
class Tally:
    """How many rows of one kind a step handled, and how many of them it created or changed."""

    label: str  # "行政区划"
    unit: str  # "条"
    total: int = 0
    created: int = 0
    updated: int = 0

    def add(self, result) -> None:
        """Count an :class:`~yiwang.regions.services.UpsertResult` (or anything like it)."""
        self.total += 1
        self.created += bool(result.created)
        self.updated += bool(result.changed)

    def line(self) -> str:
        return f"{self.label} {self.total} {self.unit}（新增 {self.created}，更新 {self.updated}）"


@dataclass(frozen=True)
class Step:
    name: str  # shown with --only and in errors, e.g. "regions"
    description: str  # Chinese, shown while running
    run: Callable[[], Iterable[Tally]] = field(repr=False)
