"""Account mail sent from a background thread, so that a request costs the same whether it
sends a mail or not, and however slow the mail server is.

Sign-up and password reset answer the same page for an address that has an account and one
that has not, and each sends one mail (a confirmation, or "you already have an account"; a
reset link, or "no account here"). Sending it while the reader waits made the two paths take
measurably different times, which told an attacker which addresses have accounts. Mail is
rendered in the request (in the reader's language) and handed to one worker thread per
process that sends it. A failed send is logged; mail still queued
when the process exits is sent first (for up to DRAIN_SECONDS).

``ACCOUNT_MAIL_IN_BACKGROUND`` (on unless testing) turns the thread off: mail is then sent
in the request, as tests that read ``mail.outbox`` at once expect.
"""

import atexit
import logging
import queue
import threading

from django.conf import settings

logger = logging.getLogger(__name__)

DRAIN_SECONDS = 10
_queue: "queue.Queue" = queue.Queue()
_worker: threading.Thread | None = None
_lock = threading.Lock()


def send_later(message) -> None:
    """Send the EmailMessage ``message`` from the background (or now, see above). It is
    rendered already: what it says does not depend on the transaction's outcome."""
    if not getattr(settings, "ACCOUNT_MAIL_IN_BACKGROUND", True):
        message.send()
        return
    _queue.put(message)
    _start_worker()


def _start_worker() -> None:
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="account-mail", daemon=True)
            _worker.start()


def _work() -> None:
    while True:
        message = _queue.get()
        try:
            message.send()
        except Exception:
            logger.exception("An account mail to %s could not be sent", message.to)
        finally:
            _queue.task_done()


def wait(timeout: float = DRAIN_SECONDS) -> bool:
    """Wait until every queued mail has been handed to the mail backend; return whether it
    was, within ``timeout`` seconds."""
    done = threading.Event()

    def join():
        _queue.join()
        done.set()

    threading.Thread(target=join, daemon=True).start()
    return done.wait(timeout)


@atexit.register
def _drain_at_exit() -> None:
    if _worker is not None and _worker.is_alive():
        wait(DRAIN_SECONDS)
