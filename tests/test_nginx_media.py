"""nginx as `make prod` configures it serves the public copies of photos (renditions) and
nothing else under the media folder: no original upload by "..", encodings, doubled slashes
or symlinks placed in the renditions folder. Runs the real nginx on free ports."""

import os
import shutil
import socket
import ssl
import subprocess
import time

import pytest

from dateline.production.nginx import PURGE_MODULE, NginxSite
from tests.conftest import free_port
from tests.hostile.media_paths import ATTACK_PATHS, PUBLIC, SECRET, lay_out_media

pytestmark = pytest.mark.skipif(
    not shutil.which("nginx") or not PURGE_MODULE.exists() or not shutil.which("openssl"),
    reason="needs nginx with libnginx-mod-http-cache-purge, and openssl",
)


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    base = tmp_path_factory.mktemp("nginx-media")
    media = base / "media"
    lay_out_media(media)
    static = base / "static"
    static.mkdir()
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
        static_root=static,
        media_root=media,
        certificate=cert,
        certificate_key=key,
        http_port=free_port(),
        https_port=free_port(),
        purge_port=free_port(),
        workers=1,
        user="root" if os.geteuid() == 0 else "",
    )
    conf = site.write()
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(site.directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", site.https_port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
    yield site
    process.terminate()
    process.wait(timeout=10)


def fetch(site: NginxSite, raw_path: str) -> tuple[int, bytes]:
    """Send ``raw_path`` to nginx exactly as written (no client normalises it)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = f"GET {raw_path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    with (
        socket.create_connection(("127.0.0.1", site.https_port), timeout=10) as plain,
        context.wrap_socket(plain, server_hostname="localhost") as tls,
    ):
        tls.sendall(request.encode("latin-1"))
        answer = b""
        while chunk := tls.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_nginx_serves_a_rendition(nginx):
    assert fetch(nginx, "/media/images/harbour.fill-400x300.jpg") == (200, PUBLIC)


@pytest.mark.parametrize("address", ATTACK_PATHS)
def test_nginx_serves_nothing_else_under_media(nginx, address):
    status, body = fetch(nginx, address)
    # An address that nginx normalises out of /media/ goes to the app servers, which are not
    # running here (502); the app answers those by its own route (test_media_route.py).
    assert status in (400, 403, 404, 502)
    assert SECRET not in body
    assert b"root:" not in body
