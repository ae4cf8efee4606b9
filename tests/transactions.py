"""Two real transactions at once: one held open at a model save, the other run against it."""

import threading
import time
from contextlib import contextmanager

from django.db import connection, connections
from django.db.models.signals import pre_save


def wait_until_another_transaction_waits_for_a_lock():
    """True once PostgreSQL shows a second transaction queued behind a row lock.

    SQLite's busy wait cannot be observed from outside, so there we only give the other
    request a moment to reach the database.
    """
    if connection.vendor != "postgresql":
        time.sleep(1)
        return True
    for _ in range(100):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@contextmanager
def held_at_save(model, thread_name):
    """While inside, the thread called `thread_name` stops at its first save of `model`,
    inside its transaction, until the block ends. Yields an event set once it is held."""
    held, release = threading.Event(), threading.Event()

    def hold(sender, instance, **kwargs):
        if threading.current_thread().name == thread_name:
            held.set()
            release.wait(timeout=30)

    pre_save.connect(hold, sender=model)
    try:
        yield held, release
    finally:
        release.set()
        pre_save.disconnect(hold, sender=model)


def run_in_thread(name, results, call):
    """Start `call` in a thread called `name`; its result lands in results[name]."""

    def run():
        try:
            results[name] = call()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread
