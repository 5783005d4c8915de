"""The command is a list of named steps; --only runs some of them."""

import io

from django.core.management import call_command

from yiwang.demo.steps import STEPS
from yiwang.regions.models import Organization, Region


def test_steps_are_named_and_only_runs_the_chosen_ones(db):
    assert [step.name for step in STEPS][:4] == ["regions", "organizations", "halls", "stations"]
    names = [step.name for step in STEPS]
    assert names.index("stations") < names.index("baselib") < names.index("accounts")
    out = io.StringIO()
    call_command("demo", "--only", "regions", stdout=out)
    assert out.getvalue().splitlines()[0] == "行政区划 3306 条（新增 3306，更新 0）"
    assert (Region.objects.count(), Organization.objects.count()) == (3306, 0)
