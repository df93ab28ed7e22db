"""The production tier on one machine, started and stopped as one: what ``make prod`` runs
(``python -m dateline.production``) and what the production tier's smoke test starts.

PostgreSQL, Redis, Pushpin (with its zurl) and nginx in front of uvicorn workers, with the
scheduler, the wire poller and the newsletter sender beside them, all configured from the
environment. PostgreSQL and Redis are used where they already answer; when they do not (and
are on this machine) they are started: PostgreSQL through ``pg_ctlcluster``, Redis as a child
with its files in the var directory. Nothing is downloaded. Everything started here is stopped
on Ctrl-C or SIGTERM, with a summary; services that were already running stay up.
"""

# This module starts fixed programs with arguments it builds itself.
# ruff: noqa: S603, S607

import os
import pwd
import resource
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dateline.production.nginx import PURGE_MODULE

BIN = Path(sys.executable).parent
LOCAL = {"127.0.0.1", "localhost", "::1"}
# Variables of a development or test shell that must not reach production processes.
UNSAFE_IN_PRODUCTION = frozenset(
    {
        "DATELINE_DEMO",
        "DEBUG",
        "DATELINE_TESTING",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
)
NEEDS = ("nginx", "pushpin", "zurl", "condure", "redis-server", "openssl")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw.strip() else default
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a number.") from None


@dataclass
class Settings:
    """Where everything listens, read from the environment (defaults in brackets)."""

    var: Path
    database_url: str
    redis_url: str
    host: str = "127.0.0.1"
    http_port: int = 8080  # HTTP_PORT: redirects to HTTPS
    https_port: int = 8443  # HTTPS_PORT: the site
    app_port: int = 8001  # APP_PORT: uvicorn
    workers: int = 2  # WEB_WORKERS: uvicorn worker processes (and nginx's)
    pushpin_port: int = 7999  # PUSHPIN_HTTP_PORT
    publish_port: int = 5561  # PUSHPIN_PUBLISH_PORT
    zmq_port: int = 5560  # PUSHPIN_ZMQ_PORT: this one and the next three
    microcache: int = 1  # NGINX_MICROCACHE seconds: the longest nginx keeps a page
    purge_port: int = 8081  # NGINX_PURGE_PORT: nginx's purge server, on 127.0.0.1
    workers_beside: list[str] = field(
        default_factory=lambda: [
            "run-scheduler",
            "poll-wire",
            "send-newsletters --watch",
        ]
    )

    @classmethod
    def from_environment(cls) -> "Settings":
        var = Path(os.environ.get("DATELINE_VAR_DIR") or Path.cwd() / "var").resolve()
        return cls(
            var=var,
            database_url=os.environ.get(
                "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dateline"
            ),
            redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            host=os.environ.get("LISTEN_HOST", "127.0.0.1"),
            http_port=_env_int("HTTP_PORT", 8080),
            https_port=_env_int("HTTPS_PORT", 8443),
            app_port=_env_int("APP_PORT", 8001),
            workers=_env_int("WEB_WORKERS", 2),
            pushpin_port=_env_int("PUSHPIN_HTTP_PORT", 7999),
            publish_port=_env_int("PUSHPIN_PUBLISH_PORT", 5561),
            zmq_port=_env_int("PUSHPIN_ZMQ_PORT", 5560),
            microcache=_env_int("NGINX_MICROCACHE", 1),
            purge_port=_env_int("NGINX_PURGE_PORT", 8081),
        )

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.https_port}"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def raise_open_files_limit() -> int:
    """Raise this process's soft limit of open files to its hard limit, for the processes it
    starts (each reader Pushpin holds is a file, and one more in zurl or the app while it
    opens); return the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def _kept_secret(path: Path) -> str:
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


class ProductionTier:
    def __init__(self, settings: Settings, *, out=sys.stdout):
        self.s = settings
        self.out = out
        self.dir = settings.var / "prod"
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.app: subprocess.Popen | None = None
        self.log = None

    # --- the parts

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def check_programs(self) -> None:
        missing = [program for program in NEEDS if shutil.which(program) is None]
        if missing:
            raise SystemExit(
                f"Missing: {', '.join(missing)} (apt-get install nginx-light pushpin "
                "redis-server openssl)."
            )
        if not PURGE_MODULE.is_file():
            # Without it nginx's cache could not be purged: a story would show up to the
            # microcache later through nginx, and a withdrawn one stay as long.
            raise SystemExit(
                f"Missing: nginx's cache purge module {PURGE_MODULE} "
                "(apt-get install libnginx-mod-http-cache-purge)."
            )

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in UNSAFE_IN_PRODUCTION}
        hosts = os.environ.get("ALLOWED_HOSTS", f"{self.s.host},localhost")
        env.update(
            DATELINE_VAR_DIR=str(self.s.var),
            DATABASE_URL=self.s.database_url,
            REDIS_URL=self.s.redis_url,
            PUSHPIN_URL=f"http://127.0.0.1:{self.s.publish_port}",
            PUSHPIN_KEY=os.environ.get("PUSHPIN_KEY") or _kept_secret(self.dir / "pushpin-key"),
            SECRET_KEY=os.environ.get("SECRET_KEY") or _kept_secret(self.dir / "secret-key"),
            ALLOWED_HOSTS=hosts,
            SITE_URL=os.environ.get("SITE_URL", self.s.url),
            CSRF_TRUSTED_ORIGINS=os.environ.get("CSRF_TRUSTED_ORIGINS", self.s.url),
            SERVE_MEDIA="0",
            BEHIND_PROXY="1",
            SECURE_SSL_REDIRECT="1",
            SECURE_COOKIES="1",
            SECURE_HSTS_SECONDS=os.environ.get("SECURE_HSTS_SECONDS", "31536000"),
            SECURE_HSTS_INCLUDE_SUBDOMAINS=os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1"),
            SECURE_HSTS_PRELOAD=os.environ.get("SECURE_HSTS_PRELOAD", "1"),
            PAGE_CACHE_NGINX_PURGE_URL=f"http://127.0.0.1:{self.s.purge_port}",
        )
        return env

    def dateline(self, *args: str, timeout: int = 600) -> str:
        result = subprocess.run(
            [str(BIN / "dateline"), *args],
            env=self.env,
            cwd=self.s.var,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise SystemExit(f"dateline {' '.join(args)} failed:\n{result.stderr.strip()}")
        return result.stdout

    def spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        process = subprocess.Popen(
            argv,
            env=self.env,
            cwd=self.s.var,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches this runner only; it stops the rest
        )
        self.children.append((name, process))
        return process

    def ensure_postgres(self) -> None:
        url = urlsplit(self.s.database_url)
        host, port = url.hostname or "127.0.0.1", url.port or 5432
        if not _answers(host, port):
            if host not in LOCAL or shutil.which("pg_lsclusters") is None:
                raise SystemExit(f"PostgreSQL does not answer at {host}:{port}.")
            clusters = subprocess.run(
                ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
            ).stdout.split("\n")
            match = [line.split() for line in clusters if line.split()[2:3] == [str(port)]]
            if not match:
                raise SystemExit(f"No PostgreSQL cluster on this machine uses port {port}.")
            version, name = match[0][:2]
            self.say(f"Starting PostgreSQL {version}/{name} (pg_ctlcluster) …")
            subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)
        self._create_database()

    def _create_database(self) -> None:
        import psycopg
        from psycopg import sql

        url = urlsplit(self.s.database_url)
        name = url.path.lstrip("/")
        conninfo = self.s.database_url.replace(url.path, "/postgres", 1)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                self.say(f"Creating the database {name} …")
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def ensure_redis(self) -> None:
        url = urlsplit(self.s.redis_url)
        host, port = url.hostname or "127.0.0.1", url.port or 6379
        if _answers(host, port):
            return
        if host not in LOCAL:
            raise SystemExit(f"Redis does not answer at {host}:{port}.")
        directory = self.dir / "redis"
        directory.mkdir(parents=True, exist_ok=True)
        self.say(f"Starting Redis on {host}:{port} …")
        self.spawn(
            "redis",
            [
                "redis-server",
                "--bind",
                host,
                "--port",
                str(port),
                "--dir",
                str(directory),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        self._wait_port(host, port, "Redis")

    def certificate(self) -> tuple[Path, Path]:
        given = os.environ.get("NGINX_CERTIFICATE"), os.environ.get("NGINX_CERTIFICATE_KEY")
        if all(given):
            return Path(given[0]), Path(given[1])
        tls = self.dir / "tls"
        tls.mkdir(parents=True, exist_ok=True)
        cert, key = tls / "cert.pem", tls / "key.pem"
        if not cert.exists():
            self.say("Making a self-signed certificate for 127.0.0.1 and localhost …")
            subprocess.run(
                [
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-days",
                    "825",
                    "-subj",
                    "/CN=localhost",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout",
                    str(key),
                    "-out",
                    str(cert),
                ],
                check=True,
                capture_output=True,
            )
            key.chmod(0o600)
        return cert, key

    def start_pushpin(self) -> None:
        directory = self.dir / "pushpin"
        self.dateline(
            "pushpin-config",
            "--dir",
            str(directory),
            "--app",
            f"127.0.0.1:{self.s.app_port}",
            "--http-port",
            str(self.s.pushpin_port),
            "--publish-port",
            str(self.s.publish_port),
            "--zmq-port",
            str(self.s.zmq_port),
        )
        self.spawn("zurl", ["zurl", f"--config={directory / 'zurl.conf'}"])
        self.spawn(
            "pushpin", ["pushpin", "--config", str(directory / "pushpin.conf"), "--merge-output"]
        )

    def start_nginx(self) -> None:
        cert, key = self.certificate()
        directory = self.dir / "nginx"
        self.dateline(
            "nginx-config",
            "--dir",
            str(directory),
            "--app",
            f"127.0.0.1:{self.s.app_port}",
            "--pushpin",
            f"127.0.0.1:{self.s.pushpin_port}",
            "--host",
            self.s.host,
            "--http-port",
            str(self.s.http_port),
            "--https-port",
            str(self.s.https_port),
            "--workers",
            str(self.s.workers),
            "--microcache",
            str(self.s.microcache),
            "--purge-port",
            str(self.s.purge_port),
            "--certificate",
            str(cert),
            "--certificate-key",
            str(key),
            # Started as root, nginx's workers would run as nobody, who may not read var/.
            *(["--user", pwd.getpwuid(os.getuid()).pw_name] if os.geteuid() == 0 else []),
        )
        conf = directory / "nginx.conf"
        # Pages kept by an nginx before this one were purged by workers that are gone.
        shutil.rmtree(directory / "cache", ignore_errors=True)
        (directory / "cache").mkdir()
        test = subprocess.run(
            ["nginx", "-t", "-q", "-c", str(conf), "-p", str(directory)],
            capture_output=True,
            text=True,
        )
        if test.returncode != 0:
            raise SystemExit(f"nginx refuses {conf}:\n{test.stderr.strip()}")
        self.spawn("nginx", ["nginx", "-c", str(conf), "-p", str(directory)])

    def start_app(self) -> None:
        self.app = self.spawn(
            "uvicorn",
            [
                str(BIN / "uvicorn"),
                "dateline.config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.s.app_port),
                "--workers",
                str(self.s.workers),
                "--no-access-log",
                "--proxy-headers",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ],
        )
        self._wait_port("127.0.0.1", self.s.app_port, "uvicorn", self.app)

    def stop_app(self) -> None:
        if self.app is not None:
            self._stop("uvicorn", self.app)
            self.children = [(n, p) for n, p in self.children if p is not self.app]
            self.app = None

    def restart_app(self) -> None:
        self.stop_app()
        self.start_app()

    def _stop_named(self, *names: str) -> None:
        for name, process in list(self.children):
            if name in names:
                self._stop(name, process)
                self.children.remove((name, process))

    def restart_pushpin(self) -> None:
        """Stop Pushpin (and its zurl) and start them again: every held stream is closed, and
        readers reconnect with the id of the last event they had."""
        self._stop_named("pushpin", "zurl")
        self.start_pushpin()
        self._wait_port("127.0.0.1", self.s.pushpin_port, "Pushpin")

    def kill_redis(self) -> None:
        """Kill the Redis this tier started (SIGKILL, as a crash would): for the fault runs."""
        for name, process in list(self.children):
            if name == "redis":
                process.kill()
                process.wait()
                self.children.remove((name, process))
                return
        raise RuntimeError("This tier did not start Redis: it cannot kill it.")

    def restart_nginx(self) -> None:
        """Stop nginx and start it again with the current settings (its cache starts empty)."""
        for name, process in list(self.children):
            if name == "nginx":
                self._stop(name, process)
                self.children.remove((name, process))
        self.start_nginx()
        self._wait_https()

    # --- the whole

    def start(self, *, load_demo: bool = False) -> None:
        self.check_programs()
        limit = raise_open_files_limit()
        if limit < 20_000:
            self.say(f"Open files limit {limit:,}: Pushpin holds fewer readers than that.")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.env = self.environment()
        self.log = (self.dir / "tier.log").open("a")
        try:
            self.ensure_postgres()
            self.ensure_redis()
            self.say("Migrating and collecting static files …")
            self.dateline("migrate", "--noinput")
            self.dateline("collectstatic", "--noinput")
            if load_demo:
                self.say("Loading the demo content …")
                self.dateline("load-demo", timeout=1800)  # minutes on a busy machine
            self.say("Checking the deployment (check --deploy) …")
            self.dateline("check", "--deploy", "--fail-level", "WARNING")
            (self.dir / "nginx").mkdir(parents=True, exist_ok=True)
            self.start_pushpin()
            self.start_app()
            for command in self.s.workers_beside:
                self.spawn(command.split()[0], [str(BIN / "dateline"), *command.split()])
            self.start_nginx()
            self._wait_https()
        except BaseException:
            self.stop()
            raise

    def _wait_port(self, host, port, name, process=None, deadline=60) -> None:
        limit = time.monotonic() + deadline
        while not _answers(host, port):
            if (process is not None and process.poll() is not None) or time.monotonic() > limit:
                raise SystemExit(f"{name} did not start on {host}:{port}: see {self.log.name}")
            time.sleep(0.2)

    def _wait_https(self, deadline=60) -> None:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        limit = time.monotonic() + deadline
        while True:
            try:
                urllib.request.urlopen(self.s.url + "/robots.txt", timeout=5, context=context)  # noqa: S310
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                if time.monotonic() > limit:
                    raise SystemExit(
                        f"nginx did not answer at {self.s.url}: see {self.log.name}"
                    ) from None
                time.sleep(0.3)

    def _stop(self, name: str, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop(self) -> None:
        for name, process in reversed(self.children):
            self._stop(name, process)
        if self.children:
            self.say(f"Stopped {', '.join(name for name, _ in reversed(self.children))}.")
        self.children = []
        if self.log is not None:
            self.log.close()
            self.log = None

    def run_until_stopped(self) -> int:
        """Wait until Ctrl-C, SIGTERM or a part stopping by itself; stop the rest."""
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append("SIGTERM"))
        try:
            while not stopping:
                for name, process in self.children:
                    if process.poll() is not None:
                        self.say(f"{name} stopped (exit {process.returncode}): see {self.log.name}")
                        stopping.append(name)
                time.sleep(0.5)
        except KeyboardInterrupt:
            stopping.append("Ctrl-C")
        self.stop()
        return 0 if stopping[0] in ("SIGTERM", "Ctrl-C") else 1
