from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "yiwang.backoffice"
    label = "backoffice"
    verbose_name = "管理平台"
