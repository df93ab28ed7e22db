"""``python -m dateline.production [--load-demo]``: run the production tier (``make prod``)."""

import argparse
import sys

from dateline.production.tier import ProductionTier, Settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dateline.production", description=__doc__)
    parser.add_argument(
        "--load-demo", action="store_true", help="load the demo editions and stories first"
    )
    options = parser.parse_args(argv)
    settings = Settings.from_environment()
    tier = ProductionTier(settings)
    tier.start(load_demo=options.load_demo)
    tier.say(
        f"\n  Dateline (production tier) is at {settings.url}/ "
        f"(http://{settings.host}:{settings.http_port}/ redirects there)\n"
        f"  {settings.workers} uvicorn workers on 127.0.0.1:{settings.app_port}, Pushpin on "
        f"127.0.0.1:{settings.pushpin_port}, nginx with a {settings.microcache}s page cache.\n"
        f"  Logs: {settings.var / 'prod' / 'tier.log'}. Stop with Ctrl-C.\n"
    )
    return tier.run_until_stopped()


if __name__ == "__main__":
    sys.exit(main())
