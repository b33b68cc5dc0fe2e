#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    # A developer's `manage.py check` or `makemigrations` with no environment at all runs as the demo does.
    # The web (wsgi) and Celery processes never pass here, and a deployment sets DEBUG=0 in its environment
    # file, so production keeps failing loudly without SECRET_KEY.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
