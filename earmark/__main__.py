"""``earmark <command>``: the project's management commands without manage.py."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earmark.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["earmark", *sys.argv[1:]])


if __name__ == "__main__":
    main()
