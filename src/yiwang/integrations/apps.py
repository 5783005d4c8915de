from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "yiwang.integrations"
    label = "integrations"
    verbose_name = "外部系统与基础库"
