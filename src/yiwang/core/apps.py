from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yiwang.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # before any URLconf is read: pages and API paths use <id:…>
        from yiwang.core import converters

        converters.register()
