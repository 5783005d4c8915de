from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yiwang.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from yiwang.notifications import checks  # noqa: F401  (registers the system checks)
