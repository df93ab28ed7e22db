"""A bare ASGI application answering every request with the bytes of one file (the path in
DATELINE_BENCH_FILE): what an application server costs without any application."""

import os
from pathlib import Path

BODY = Path(os.environ["DATELINE_BENCH_FILE"]).read_bytes()
HEADERS = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"content-length", str(len(BODY)).encode()),
]


async def application(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
