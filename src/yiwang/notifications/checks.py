"""System checks (``yiwang check``, run at start-up): a misconfigured SMS gateway is reported
when the server starts, not when the first citizen waits for a code."""

from django.conf import settings
from django.core import checks


@checks.register()
def sms_gateway(app_configs, **kwargs):
    errors = []
    if settings.SMS_BACKEND == "http" and not settings.SMS_GATEWAY_URL:
        errors.append(
            checks.Error(
                "SMS_BACKEND=http 需要配置 SMS_GATEWAY_URL（短信网关地址）",
                id="notifications.E001",
            )
        )
    if settings.SMS_GATEWAY_TIMEOUT <= 0:
        errors.append(checks.Error("SMS_GATEWAY_TIMEOUT 必须大于 0", id="notifications.E002"))
    if settings.SMS_MAX_ATTEMPTS < 1:
        errors.append(checks.Error("SMS_MAX_ATTEMPTS 至少为 1", id="notifications.E003"))
    if settings.SMS_RETRY_SECONDS < 1:
        errors.append(checks.Error("SMS_RETRY_SECONDS 至少为 1", id="notifications.E004"))
    return errors
