"""The ``tiaodu`` console script: everything ``manage.py`` does, installed on the PATH."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "tiaodu"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
