"""The window registration page: a repeated 发送验证码 keeps the code step."""

import pytest

from yiwang.accounts.models import User
from yiwang.accounts.tests.staff_helpers import sign_in_staff, world_fixture  # noqa: F401
from yiwang.core.identifiers import generate_person_id
from yiwang.notifications.testing import sms_codes

pytestmark = pytest.mark.django_db

URL = "/backoffice/window/register/"


def test_a_second_send_within_the_interval_still_shows_the_code_step(world, client):
    clerk = sign_in_staff(client, world.haishu.clerk)
    data = {
        "post": f"{world.haishu.organization.pk}:{world.haishu.window.pk}",
        "name": "赵六",
        "id_number": generate_person_id(region="330203"),
        "phone": "13655550003",
        "id_card_checked": "1",
        "action": "send",
    }
    first = clerk.post(URL, data)
    assert first.status_code == 200
    code = sms_codes("13655550003")[-1]

    again = clerk.post(URL, {**data, "name": "赵六六"})  # the clerk corrected the name
    assert again.status_code == 429
    text = again.content.decode()
    assert "验证码已发送，请60秒后再重新获取" in text
    assert 'name="sms_code"' in text
    assert 'value="complete"' in text
    assert 'value="赵六六"' in text
    assert f'value="{data["id_number"]}"' in text
    assert len(sms_codes("13655550003")) == 1

    done = clerk.post(URL, {**data, "name": "赵六六", "sms_code": code, "action": "complete"})
    assert done.status_code == 302
    assert User.objects.by_id_number(data["id_number"]).get().name == "赵六六"
