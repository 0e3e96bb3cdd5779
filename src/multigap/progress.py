"""Progress bars for long work: shown on a terminal only, never written into logs.

Every long-running library call takes ``progress`` (default False); the command line
asks for bars, and tqdm leaves them out by itself where stderr is not a terminal
(``disable=None``), so that a redirected run writes no carriage-return lines.
"""

from __future__ import annotations

from typing import Any

__all__ = ["progress_bar"]


def progress_bar(total: int | None, desc: str, show: bool, unit: str = "it") -> Any:
    """A tqdm bar on stderr: on a terminal when ``show`` is true, else a silent one.

    Parameters
    ----------
    total : int or None
        Steps expected (None: a counter without an ETA).
    desc : str
        What the bar says it is computing.
    show : bool
        False always hides the bar; True shows it only where stderr is a terminal.
    unit : str
        The name of one step.
    """
    from tqdm.auto import tqdm

    return tqdm(
        total=total, desc=desc, unit=unit, disable=None if show else True, dynamic_ncols=True
    )
