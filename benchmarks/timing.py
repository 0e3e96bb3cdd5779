"""The benchmarks' shared timer (imported by the scripts beside it)."""

import statistics
import time


def timed(fn, repeat: int = 3):
    """The median wall time of ``repeat`` calls of ``fn`` (s), and its last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out
