"""`python -m benchmarks`: set up a throwaway demo site and run every benchmark against it."""

import os
import sys
import tempfile


def main() -> int:
    var = tempfile.mkdtemp(prefix="dateline-bench-")
    os.environ.update(
        DATELINE_VAR_DIR=var,
        DATELINE_DEMO="1",
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="dateline.config.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Setting up a demo site in {var} …", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load-demo", verbosity=0)
    from benchmarks import pages

    pages.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
