"""The ``yiwang`` console script: Django's manage.py under the project's name.

``yiwang migrate``, ``yiwang demo``, ``yiwang validate uscc …`` and every other management
command run through here, so operators never need to know where manage.py lives.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(argv if argv is not None else sys.argv[1:])
    if args in (["--version"], ["version"]):
        # Django would print its own version here; operators ask which yiwang they run.
        import django

        from yiwang import __version__

        print(f"yiwang {__version__} (Django {django.get_version()})")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.conf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yiwang", *args])


if __name__ == "__main__":
    main()
