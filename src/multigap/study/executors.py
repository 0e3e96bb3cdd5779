"""Where the tasks of a study run: in this process, on a local process pool, or on Dask.

One interface serves every study (a sweep's columns, a design's candidates)::

    with Executor("processes", workers=2) as run:
        for item, result in run.map(task, items):  # as they finish
            ...

A task is a module-level function called as ``task(*item)``, so that it can be sent to
a worker process or a Dask cluster by reference. The local pool is started once per
``with`` block and its workers exit when the parent dies; a Dask scheduler is reached
(with a hard timeout) when the block is entered, before any work is shown as started.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from multigap.errors import MultigapError, ParameterError

__all__ = [
    "Executor",
    "EXECUTORS",
    "check_executor",
    "dask_client",
    "one_blas_thread",
    "watch_parent",
]

#: The kinds of executor.
EXECUTORS = ("serial", "processes", "dask")


def watch_parent(parent: int) -> None:
    """Pool-worker initializer: exit when the parent process is gone (SIGKILL included),
    instead of waiting for work forever.
    """
    import threading
    import time

    def watch():
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True).start()


_CONTROLLER: list = []  # this process's threadpool controller, made at its first task


def one_blas_thread():
    """A context in which BLAS runs on one thread: a task's matrices are small, so BLAS
    threads only contend with the other workers (2 workers × 2 threads on 2 cores ran 7×
    slower), and one thread keeps every executor's arithmetic identical.

    The process's BLAS libraries (NumPy's and SciPy's) are looked up once, at the first
    call (a ``threadpool_limits`` block reads them again at each entry: ~2 ms, a sixth
    of a Tc-map column).
    """
    from threadpoolctl import ThreadpoolController

    if not _CONTROLLER:
        import scipy.linalg  # noqa: F401  (loads SciPy's own BLAS, so that it is limited too)

        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


_ADDRESS = re.compile(r"^(tcp|tls|ws|wss)://[A-Za-z0-9_.\-\[\]:]+:(\d{1,5})$")


def check_executor(executor, workers, scheduler, connect_timeout) -> None:
    """Refuse an unknown executor or bad worker settings before any work starts."""
    if executor not in ("serial", "processes", "dask"):
        raise ParameterError("executor", executor, "serial, processes or dask")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ParameterError("workers", workers, "an integer >= 1")
    if scheduler is not None:
        m = _ADDRESS.match(str(scheduler))
        if not m or not 0 < int(m.group(2)) < 65536:
            raise ParameterError(
                "scheduler",
                scheduler,
                "a Dask scheduler address PROTOCOL://HOST:PORT, e.g. tcp://127.0.0.1:8786",
            )
    if not (isinstance(connect_timeout, (int, float)) and 0 < connect_timeout <= 3600):
        raise ParameterError("connect_timeout", connect_timeout, "seconds in (0, 3600]")


def dask_client(scheduler, workers, connect_timeout):
    """A Dask client: connected to ``scheduler``, or a local cluster of ``workers``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MultigapError(
            "the dask executor needs the optional extra: pip install -e '.[dask]'"
        ) from None
    if not scheduler:
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        return Client(cluster), cluster
    # Client's own timeout covers the TCP connection, not a peer that accepts it and then
    # never answers the handshake (a web server, say): connect in a daemon thread and stop
    # waiting after connect_timeout
    import threading

    outcome: dict = {}

    def connect():
        try:
            outcome["client"] = Client(scheduler, timeout=f"{connect_timeout}s")
        except BaseException as exc:  # OSError, TimeoutError, a proxy's garbage …
            outcome["error"] = exc

    thread = threading.Thread(target=connect, daemon=True, name="multigap-dask-connect")
    thread.start()
    thread.join(connect_timeout + 1.0)
    if "client" in outcome:
        return outcome["client"], None
    exc = outcome.get("error")
    why = "no answer" if exc is None else f"{type(exc).__name__}: {str(exc)[:120] or 'no answer'}"
    raise MultigapError(
        f"could not reach a Dask scheduler at {scheduler} within {connect_timeout:g} s ({why})"
    )


class Executor:
    """Run tasks serially, on a local process pool or on Dask (see the module docstring).

    Parameters
    ----------
    kind : {"serial", "processes", "dask"}
    workers : int, optional
        Processes of the local pool or of a local Dask cluster (default: all cores).
    scheduler : str, optional
        Address of an existing Dask scheduler, e.g. ``tcp://host:8786``.
    connect_timeout : float
        Seconds to wait for a Dask scheduler.
    max_workers : int, optional
        At most this many pool processes (the number of tasks, when it is known).
    """

    def __init__(
        self,
        kind: str = "serial",
        workers: int | None = None,
        scheduler: str | None = None,
        connect_timeout: float = 15.0,
        max_workers: int | None = None,
    ):
        check_executor(kind, workers, scheduler, connect_timeout)
        self.kind, self.workers, self.scheduler = kind, workers, scheduler
        self.connect_timeout = connect_timeout
        self.max_workers = max_workers
        self._pool: ProcessPoolExecutor | None = None
        self._dask = None

    def __enter__(self) -> Executor:
        if self.kind == "processes":
            n = self.workers or os.cpu_count() or 1
            self._pool = ProcessPoolExecutor(
                max_workers=max(1, min(n, self.max_workers or n)),
                initializer=watch_parent,
                initargs=(os.getpid(),),
            )
        elif self.kind == "dask":
            self._dask = dask_client(self.scheduler, self.workers, self.connect_timeout)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._dask is not None:
            client, cluster = self._dask
            client.close()
            if cluster is not None:
                cluster.close()
            self._dask = None

    def map(self, task: Callable, items: Iterable[tuple]) -> Iterator[tuple]:
        """Yield ``(item, task(*item))`` for every item, in the order they finish."""
        items = list(items)
        if self.kind == "serial":
            for item in items:
                yield item, task(*item)
        elif self.kind == "processes":
            if self._pool is None:
                raise MultigapError("Executor.map outside its with block")
            futures = {self._pool.submit(task, *item): item for item in items}
            for fut in as_completed(futures):
                yield futures[fut], fut.result()
        else:
            from distributed import as_completed as dask_completed

            if self._dask is None:
                raise MultigapError("Executor.map outside its with block")
            client = self._dask[0]
            futures = [client.submit(task, *item, pure=False) for item in items]
            index = {f.key: item for f, item in zip(futures, items)}
            for fut in dask_completed(futures):
                yield index[fut.key], fut.result()
