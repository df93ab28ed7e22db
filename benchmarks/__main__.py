"""`python -m benchmarks [name …]`: run the benchmarks named (all of them when none is), those
that need one against a throwaway demo site set up first."""

import importlib
import os
import sys
import tempfile

# Each benchmark is a module of this package with a run() function; the value says whether it
# needs the demo site (and Django) set up before it runs.
BENCHMARKS = {
    "pages": True,
    "first_visit": True,
    "wire": False,
    "live": True,
    "prod": False,
    "stream_faults": False,  # benchmarks/stream_faults.py: the live stream under faults
    "scale": True,
    "lighthouse": True,  # benchmarks/lighthouse.py: Lighthouse 12 on the demo site
    "sqlite_writes": True,  # benchmarks/sqlite_writes.py: 50 readers writing while publishing
}


def set_up_site() -> None:
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
    # Pages name their static files by hashed names, which collectstatic makes (as in `make demo`).
    call_command("collectstatic", interactive=False, verbosity=0)


def main(names: list[str]) -> int:
    chosen = names or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"Unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}.")
        return 2
    if any(BENCHMARKS[name] for name in chosen):
        set_up_site()
    for name in chosen:
        importlib.import_module(f"benchmarks.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
