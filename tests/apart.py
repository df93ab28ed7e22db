"""Run a coroutine from a synchronous test, whatever already runs in the test's thread."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_apart(coroutine):
    """Run ``coroutine`` to its end in a thread of its own and return its value (or raise its
    error): a browser test earlier in the run can leave Playwright's event loop running in the
    main thread, where asyncio.run() refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()
