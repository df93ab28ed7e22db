"""Write the configuration of Pushpin (and the zurl it needs) for the production tier's live
stream: Pushpin listens on 127.0.0.1, forwards every request to the app servers, holds the event
streams, and takes publishes from the app on its publish port, all signed with one secret key."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PUSHPIN_CONF = """\
# Written by `dateline pushpin-config`. Run: pushpin --config {dir}/pushpin.conf
[global]
include=/usr/lib/pushpin/internal.conf
rundir={dir}/run
ipc_prefix=pushpin-
port_offset=0
stats_connection_ttl=120

[runner]
services=condure,pushpin-proxy,pushpin-handler
http_port={host}:{http_port}
logdir={dir}/log
log_level=2
client_buffer_size=8192
client_maxconn={max_connections}
condure_bin=condure
zurl_bin=zurl

[proxy]
routesfile={dir}/routes
# Pushpin asks the app for missed events through zurl, which runs beside it (zurl.conf).
zurl_out_specs=ipc://{dir}/run/zurl-in
zurl_out_stream_specs=ipc://{dir}/run/zurl-in-stream
zurl_in_specs=ipc://{dir}/run/zurl-out
debug=false
auto_cross_origin=false
accept_x_forwarded_protocol=false
set_x_forwarded_protocol=proto-only
x_forwarded_for=
x_forwarded_for_trusted=
orig_headers_need_mark=
accept_pushpin_route=false
log_from=false
log_user_agent=false
# Requests Pushpin forwards carry a Grip-Sig signed with this key; the app trusts no other.
sig_iss=pushpin
sig_key={key}
upstream_key=
updates_check=off

[handler]
push_in_spec=tcp://127.0.0.1:{zmq_port}
push_in_sub_specs=tcp://127.0.0.1:{zmq_sub_port}
push_in_sub_connect=false
push_in_http_addr=127.0.0.1
push_in_http_port={publish_port}
push_in_http_max_headers_size=10000
push_in_http_max_body_size=1000000
stats_spec=ipc://{dir}/run/pushpin-stats
command_spec=tcp://127.0.0.1:{command_port}
# Fan-out is not throttled: one event reaches thousands of readers at once.
message_rate=100000
message_hwm=250000
message_wait=5000
id_cache_ttl=60
connection_subscription_max=20
subscription_linger=60
stats_subscription_ttl=60
stats_report_interval=10
stats_format=tnetstring
"""

ZURL_CONF = """\
# Written by `dateline pushpin-config`. Run: zurl --config {dir}/zurl.conf
[General]
in_spec=ipc://{dir}/run/zurl-in
in_stream_spec=ipc://{dir}/run/zurl-in-stream
out_spec=ipc://{dir}/run/zurl-out
# zurl only ever talks to the app servers on this machine.
defpolicy=deny
allow=127.0.0.1
max_open_requests=2000
buffer_size=200000
timeout=600
in_hwm=1000
out_hwm=1000
"""


class Command(BaseCommand):
    help = "Write pushpin.conf, routes and zurl.conf for the production tier's live stream."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=str(Path(settings.VAR_DIR) / "pushpin"),
            help="Where to write the files (default: the var directory's pushpin/).",
        )
        parser.add_argument(
            "--app",
            action="append",
            default=[],
            help="An app server, host:port (repeat for several; default 127.0.0.1:8000).",
        )
        parser.add_argument("--host", default="127.0.0.1", help="Address Pushpin listens on.")
        parser.add_argument("--http-port", type=int, default=7999)
        parser.add_argument("--publish-port", type=int, default=5561)
        parser.add_argument(
            "--zmq-port",
            type=int,
            default=5560,
            help="First of the three ZeroMQ ports Pushpin uses (this one and the next three).",
        )
        parser.add_argument("--max-connections", type=int, default=50000)
        parser.add_argument(
            "--key",
            default="",
            help="The signing key (default: PUSHPIN_KEY from the environment, else a new one "
            "kept in the directory's key file).",
        )

    def handle(self, *args, **options):
        directory = Path(options["dir"]).resolve()
        (directory / "run").mkdir(parents=True, exist_ok=True)
        (directory / "log").mkdir(parents=True, exist_ok=True)
        key = options["key"] or getattr(settings, "PUSHPIN_KEY", "") or self._stored_key(directory)
        if key == "changeme" or len(key) < 16:
            raise CommandError("The signing key must be a secret of at least 16 characters.")
        apps = options["app"] or ["127.0.0.1:8000"]
        for app in apps:
            host, _, port = app.rpartition(":")
            if not host or not port.isdigit():
                raise CommandError(f"--app {app!r} is not host:port.")
        values = {
            "dir": directory,
            "host": options["host"],
            "http_port": options["http_port"],
            "publish_port": options["publish_port"],
            "zmq_port": options["zmq_port"],
            "zmq_sub_port": options["zmq_port"] + 2,
            "command_port": options["zmq_port"] + 3,
            "max_connections": options["max_connections"],
            "key": key,
        }
        (directory / "pushpin.conf").write_text(PUSHPIN_CONF.format(**values))
        (directory / "pushpin.conf").chmod(0o600)
        (directory / "zurl.conf").write_text(ZURL_CONF.format(**values))
        # Every request goes to the app servers, in turn.
        (directory / "routes").write_text("* " + ",".join(apps) + "\n")
        self.stdout.write(f"Wrote pushpin.conf, routes and zurl.conf to {directory}.")
        self.stdout.write(
            "Run the app with:\n"
            f"  PUSHPIN_URL=http://127.0.0.1:{options['publish_port']} PUSHPIN_KEY=<the key>\n"
            f"Readers connect to http://{options['host']}:{options['http_port']}/."
        )

    def _stored_key(self, directory: Path) -> str:
        key_file = directory / "key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(32))
            key_file.chmod(0o600)
        return key_file.read_text().strip()
