"""Demo catalogue staff can sign in to the Django admin, where the catalogue is edited."""

import pytest

from yiwang.accounts.constants import Role
from yiwang.accounts.models import User
from yiwang.demo import people
from yiwang.demo.base import Tally
from yiwang.demo.people import STAFF, DemoStaff


def test_catalogue_editors_and_reviewers_are_admin_staff(db, monkeypatch):
    monkeypatch.setattr(
        people,
        "STAFF",
        (
            DemoStaff("root", "平台", ((Role.PLATFORM_ADMIN, None, None),), superuser=True),
            DemoStaff("editor", "编制", ((Role.CATALOG_EDITOR, None, None),)),
            DemoStaff("checker", "审核", ((Role.CATALOG_REVIEWER, None, None),)),
            DemoStaff("clerk", "窗口", ((Role.WINDOW_CLERK, None, None),)),
        ),
    )
    people._load_staff(Tally("演示工作人员账号", "个"))
    assert dict(User.objects.values_list("username", "is_staff")) == {
        "root": True,
        "editor": True,
        "checker": True,
        "clerk": False,
    }


@pytest.mark.parametrize(
    ("username", "admitted"),
    [("hs_market_editor", True), ("hs_market_checker", True), ("hs_window", False)],
)
def test_the_readme_catalogue_accounts_reach_the_admin(username, admitted):
    demo_staff = next(s for s in STAFF if s.username == username)
    assert (demo_staff.superuser or demo_staff.edits_catalogue) is admitted
