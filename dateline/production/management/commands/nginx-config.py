"""Write nginx.conf for the production tier (see dateline.production.nginx)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dateline.production.nginx import PURGE_MODULE, NginxSite


class Command(BaseCommand):
    help = (
        "Write nginx.conf: TLS, a page cache in front of the app that the app purges (kept 1 s "
        "at most), the stream to Pushpin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.VAR_DIR) / "nginx"))
        parser.add_argument(
            "--app",
            action="append",
            default=[],
            help="An app server, host:port (repeat for several; default 127.0.0.1:8001).",
        )
        parser.add_argument("--pushpin", default="127.0.0.1:7999", help="Pushpin's HTTP address.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--http-port", type=int, default=8080)
        parser.add_argument("--https-port", type=int, default=8443)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--microcache", type=int, default=1, help="Seconds nginx keeps a page.")
        parser.add_argument(
            "--purge-port",
            type=int,
            default=8081,
            help="Port of the purge server on 127.0.0.1 (the app's PAGE_CACHE_NGINX_PURGE_URL).",
        )
        parser.add_argument(
            "--purge-module", default=str(PURGE_MODULE), help="ngx_cache_purge's module file."
        )
        parser.add_argument("--certificate", required=True)
        parser.add_argument("--certificate-key", required=True)
        parser.add_argument(
            "--user", default="", help="The user of nginx's workers, when nginx starts as root."
        )
        parser.add_argument("--daemon", action="store_true", help="Let nginx go to the background.")

    def handle(self, *args, **options):
        apps = options["app"] or ["127.0.0.1:8001"]
        for address in [*apps, options["pushpin"]]:
            host, _, port = address.rpartition(":")
            if not host or not port.isdigit():
                raise CommandError(f"{address!r} is not host:port.")
        for name in ("certificate", "certificate_key"):
            if not Path(options[name]).is_file():
                raise CommandError(f"--{name.replace('_', '-')} {options[name]}: no such file.")
        if not Path(options["purge_module"]).is_file():
            raise CommandError(
                f"{options['purge_module']}: no such file: nginx's cache purge module is needed "
                "(apt-get install libnginx-mod-http-cache-purge)."
            )
        if options["microcache"] < 1:
            raise CommandError("--microcache must be at least 1 second.")
        site = NginxSite(
            directory=Path(options["dir"]).resolve(),
            app_servers=apps,
            pushpin=options["pushpin"],
            static_root=Path(settings.STATIC_ROOT),
            media_root=Path(settings.MEDIA_ROOT),
            certificate=Path(options["certificate"]).resolve(),
            certificate_key=Path(options["certificate_key"]).resolve(),
            host=options["host"],
            http_port=options["http_port"],
            https_port=options["https_port"],
            workers=options["workers"],
            microcache_seconds=options["microcache"],
            purge_port=options["purge_port"],
            purge_module=Path(options["purge_module"]),
            daemon=options["daemon"],
            user=options["user"],
        )
        conf = site.write()
        self.stdout.write(
            f"Wrote {conf}. Check it with: nginx -t -c {conf}\n"
            f"The app's workers purge it with PAGE_CACHE_NGINX_PURGE_URL={site.purge_url}"
        )
