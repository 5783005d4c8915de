"""Acting for an enterprise: the session key, checked again on every read."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from yiwang.accounts import services
from yiwang.accounts.constants import ACTING_ENTERPRISE_SESSION_KEY
from yiwang.accounts.models import Enterprise, Grant
from yiwang.core.errors import Forbidden
from yiwang.core.models import AuditEvent

from .enterprise_helpers import days, delegate, enterprise, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    rep = person("张三", 1)
    handler = person("孙经办", 3)
    company = enterprise(rep)
    level2 = delegate(company, rep, handler, "handler")
    return rep, handler, company, level2


def test_a_grantee_switches_and_the_session_remembers_the_enterprise(setup):
    _, handler, company, _ = setup
    session = SessionStore()

    services.switch_to_enterprise(session, handler, company, ip="192.0.2.1")

    assert session[ACTING_ENTERPRISE_SESSION_KEY] == company.pk
    assert services.acting_enterprise(session, handler) == company
    assert services.acting_role_label(handler, company) == "经办人"
    event = AuditEvent.objects.get(action="accounts.acting.started")
    assert (event.actor, event.acting_for, event.ip) == (
        f"user:{handler.pk}",
        f"enterprise:{company.uscc}",
        "192.0.2.1",
    )


def test_the_legal_representative_may_switch(setup):
    rep, _, company, _ = setup
    session = SessionStore()
    services.switch_to_enterprise(session, rep, company)
    assert services.acting_enterprise(session, rep) == company
    assert services.acting_role_label(rep, company) == "法定代表人"


def test_a_stranger_cannot_switch_and_the_session_is_unchanged(setup):
    _, _, company, _ = setup
    session = SessionStore()
    with pytest.raises(Forbidden) as caught:
        services.switch_to_enterprise(session, person("周五", 5), company)
    assert caught.value.message == (
        "您不是该企业的法定代表人，也没有有效的授权，不能以该企业身份办事"
    )
    assert ACTING_ENTERPRISE_SESSION_KEY not in session


@pytest.mark.parametrize("how", ["revoked", "expired", "disabled"])
def test_acting_ends_at_the_next_read_when_the_right_goes(setup, how):
    rep, handler, company, level2 = setup
    session = SessionStore()
    services.switch_to_enterprise(session, handler, company)

    if how == "revoked":
        services.revoke(level2, rep, "离职")
    elif how == "expired":
        Grant.objects.filter(pk=level2.pk).update(valid_from=days(-5), valid_until=days(-1))
    else:
        Enterprise.objects.filter(pk=company.pk).update(status=Enterprise.Status.DISABLED)

    assert services.acting_enterprise(session, handler) is None
    assert ACTING_ENTERPRISE_SESSION_KEY not in session


def test_switching_back_clears_the_key_and_is_audited(setup):
    _, handler, company, _ = setup
    session = SessionStore()
    services.switch_to_enterprise(session, handler, company)
    services.stop_acting(session, handler)
    assert services.acting_enterprise(session, handler) is None
    assert AuditEvent.objects.filter(action="accounts.acting.stopped").count() == 1
    services.stop_acting(session, handler)  # nothing to stop: no second event
    assert AuditEvent.objects.filter(action="accounts.acting.stopped").count() == 1


def test_actor_context_names_the_person_and_the_enterprise(setup):
    from django.contrib.auth.models import AnonymousUser

    _, handler, company, _ = setup
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = handler
    assert services.actor_context(request) == (f"user:{handler.pk}", "")
    services.switch_to_enterprise(request.session, handler, company)
    assert services.actor_context(request) == (f"user:{handler.pk}", f"enterprise:{company.uscc}")
    request.user = AnonymousUser()
    assert services.actor_context(request) == ("anonymous", "")
