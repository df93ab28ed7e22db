"""nginx as `make prod` configures it, alone on free ports (no app servers behind it), for the
tests of what it serves by itself: media and static files. ``fetch`` sends an address exactly
as written, which no HTTP client library does."""

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from dateline.production.nginx import PURGE_MODULE, NginxSite
from tests.conftest import free_port


def need_nginx() -> None:
    """Skip the test when nginx, its purge module or openssl is missing; fail under CI."""
    if not shutil.which("nginx") or not PURGE_MODULE.exists() or not shutil.which("openssl"):
        if os.environ.get("CI") == "true":
            pytest.fail("nginx with libnginx-mod-http-cache-purge and openssl are needed")
        pytest.skip("needs nginx with libnginx-mod-http-cache-purge, and openssl")


@contextlib.contextmanager
def running_nginx(base: Path, *, static_root: Path, media_root: Path):
    """Run nginx with its files under ``base``, serving ``static_root`` and ``media_root``;
    yield its NginxSite."""
    need_nginx()
    cert, key = base / "cert.pem", base / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout", str(key)]
        + ["-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = NginxSite(
        directory=base / "nginx",
        app_servers=[f"127.0.0.1:{free_port()}"],
        pushpin=f"127.0.0.1:{free_port()}",
        static_root=static_root,
        media_root=media_root,
        certificate=cert,
        certificate_key=key,
        http_port=free_port(),
        https_port=free_port(),
        purge_port=free_port(),
        workers=1,
        user="root" if os.geteuid() == 0 else "",
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(site.write()), "-p", str(site.directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", site.https_port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
                time.sleep(0.1)
        yield site
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(site: NginxSite, raw_path: str, encoding: str = "") -> tuple[int, dict[str, str], bytes]:
    """GET ``raw_path`` from nginx over TLS exactly as written (no client normalises it),
    accepting ``encoding`` if given; return the status, the headers (names in lower case) and
    the body."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    accept = f"Accept-Encoding: {encoding}\r\n" if encoding else ""
    request = f"GET {raw_path} HTTP/1.1\r\nHost: localhost\r\n{accept}Connection: close\r\n\r\n"
    with (
        socket.create_connection(("127.0.0.1", site.https_port), timeout=10) as plain,
        context.wrap_socket(plain, server_hostname="localhost") as tls,
    ):
        tls.sendall(request.encode("latin-1"))
        answer = b""
        while chunk := tls.recv(65536):
            answer += chunk
    head, _, content = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, content
