"""``yiwang worker``: run background tasks (django-tasks-db's ``db_worker``, in Chinese).

Before taking tasks it runs the outbox sweep once, so SMS left pending by a crash are queued
again whenever a worker (re)starts; for a worker that runs for weeks, schedule
``yiwang notifications retry`` every few minutes as well (cron or a systemd timer).
"""

from __future__ import annotations

from argparse import ArgumentTypeError

from django_tasks import task_backends
from django_tasks.exceptions import InvalidTaskBackendError
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands import db_worker

from yiwang.notifications import services

_HELP = {
    "--queue-name": "要处理的队列，多个以逗号分隔，'*' 表示全部（默认：%(default)s）",
    "--exclude-queues": "不处理的队列，多个以逗号分隔（仅与 --queue-name='*' 合用）",
    "--interval": "队列为空时，每隔多少秒再检查一次（默认：%(default)s）",
    "--batch": "处理完当前所有任务后退出（可与 --max-tasks 合用）",
    "--reload": "代码改动时自动重启（仅用于开发；默认随 DEBUG）",
    "--backend": "任务后端名称（默认：%(default)s）",
    "--no-startup-delay": "启动时不做随机的短暂等待",
    "--max-tasks": "执行这么多个任务后退出",
    "--worker-id": "工作进程标识，在所有工作进程中必须唯一（默认：随机生成）",
}


def _database_backend(name: str) -> str:
    try:
        backend = task_backends[name]
    except InvalidTaskBackendError:
        raise ArgumentTypeError(f"没有名为“{name}”的任务后端") from None
    if not isinstance(backend, DatabaseBackend):
        raise ArgumentTypeError(
            f"任务后端“{name}”不是数据库后端，无需 worker（见 TASKS_BACKEND 配置）"
        )
    return name


class Command(db_worker.Command):
    help = "运行后台任务处理进程（发送短信等）；启动时先把待发送的短信重新排队"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        for action in parser._actions:
            for option in action.option_strings:
                if option in _HELP:
                    action.help = _HELP[option]
            if "--backend" in action.option_strings:
                action.type = _database_backend

    def handle(self, *args, **options):
        queued = services.retry_due()
        if queued and options["verbosity"] >= 1:
            self.stdout.write(f"已重新排队待发送短信 {queued} 条")
        return super().handle(*args, **options)
