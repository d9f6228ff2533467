#!/usr/bin/env python
"""Django's manage.py; the installed ``tiaodu`` command does the same."""

from tiaodu.__main__ import main

if __name__ == "__main__":
    main()
