"""Staff roles: scoped to an organisation, a region (and below) or the platform; default deny."""

import pytest

from yiwang.accounts.models import User
from yiwang.accounts.permissions import (
    PermissionDenied,
    Role,
    grant_role,
    has_role,
    organizations_for,
    require_role,
    revoke_role,
)
from yiwang.core.models import AuditEvent
from yiwang.regions.tests.factories import OrganizationFactory, ensure_region

pytestmark = pytest.mark.django_db

HAISHU = "330203000000"
YUYAO = "330281000000"
NINGBO = "330200000000"


@pytest.fixture
def orgs():
    ensure_region(HAISHU)
    ensure_region(YUYAO)
    return {
        "haishu": OrganizationFactory(region=HAISHU),
        "haishu2": OrganizationFactory(region=HAISHU),
        "yuyao": OrganizationFactory(region=YUYAO),
    }


def staff(name="clerk"):
    return User.objects.create_user(name, "Pass-2026-x", kind="staff", name="王五")


def test_no_role_means_no_access(orgs):
    clerk = staff()
    assert has_role(clerk, Role.WINDOW_CLERK, orgs["haishu"]) is False
    assert list(organizations_for(clerk, Role.WINDOW_CLERK)) == []
    with pytest.raises(PermissionDenied, match="您没有窗口受理员权限"):
        require_role(clerk, Role.WINDOW_CLERK, orgs["haishu"])


def test_organisation_role_covers_that_organisation_only(orgs):
    clerk = staff()
    grant_role(clerk, Role.WINDOW_CLERK, organization=orgs["haishu"])
    assert has_role(clerk, Role.WINDOW_CLERK, orgs["haishu"]) is True
    assert has_role(clerk, Role.WINDOW_CLERK, orgs["haishu2"]) is False
    assert has_role(clerk, Role.WINDOW_CLERK, orgs["yuyao"]) is False
    assert has_role(clerk, Role.REVIEWER, orgs["haishu"]) is False
    assert list(organizations_for(clerk, Role.WINDOW_CLERK)) == [orgs["haishu"]]


def test_region_role_covers_the_region_and_below(orgs):
    from yiwang.regions.models import Region

    supervisor = staff("sup")
    grant_role(supervisor, Role.SUPERVISOR, region=Region.objects.get(code=NINGBO))
    assert has_role(supervisor, Role.SUPERVISOR, orgs["haishu"]) is True
    assert has_role(supervisor, Role.SUPERVISOR, orgs["yuyao"]) is True
    assert has_role(supervisor, Role.SUPERVISOR, region=HAISHU) is True
    assert has_role(supervisor, Role.SUPERVISOR, region="330000000000") is False
    assert set(organizations_for(supervisor, Role.SUPERVISOR)) >= {
        orgs["haishu"],
        orgs["yuyao"],
    }

    county = staff("county")
    grant_role(county, Role.SUPERVISOR, region=Region.objects.get(code=HAISHU))
    assert has_role(county, Role.SUPERVISOR, orgs["yuyao"]) is False
    assert set(organizations_for(county, Role.SUPERVISOR)) == {orgs["haishu"], orgs["haishu2"]}


def test_superuser_gets_no_role_implicitly(orgs):
    root = User.objects.create_superuser("root", "", "Pass-2026-x")
    assert has_role(root, Role.CATALOG_REVIEWER, orgs["haishu"]) is False


def test_revoked_and_disabled_lose_the_role(orgs):
    clerk = staff()
    assignment = grant_role(clerk, Role.WINDOW_CLERK, organization=orgs["haishu"])
    assert grant_role(clerk, Role.WINDOW_CLERK, organization=orgs["haishu"]) == assignment
    revoke_role(assignment)
    assert has_role(clerk, Role.WINDOW_CLERK, orgs["haishu"]) is False

    other = staff("other")
    grant_role(other, Role.WINDOW_CLERK, organization=orgs["haishu"])
    other.is_active = False
    other.save()
    assert has_role(other, Role.WINDOW_CLERK, orgs["haishu"]) is False


def test_grants_and_revocations_are_audited(orgs):
    clerk = staff()
    assignment = grant_role(clerk, Role.WINDOW_CLERK, organization=orgs["haishu"])
    revoke_role(assignment)
    actions = list(
        AuditEvent.objects.filter(object_type="user", object_id=str(clerk.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["account.role_grant", "account.role_revoke"]


def test_a_catalogue_role_opens_the_admin_and_a_window_role_does_not(orgs):
    clerk, editor = staff("clerk"), staff("editor")
    grant_role(clerk, Role.WINDOW_CLERK, organization=orgs["haishu"])
    grant_role(editor, Role.CATALOG_EDITOR, organization=orgs["haishu"])
    clerk.refresh_from_db()
    editor.refresh_from_db()
    assert (clerk.is_staff, editor.is_staff) == (False, True)
