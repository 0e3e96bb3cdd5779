"""Debian's headless Chromium for the tests that look at pages: the docs, the report and
the explore app. Nothing is downloaded; where no browser is installed the tests skip
and say why (CI installs Debian's ``chromium`` first).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

#: Where Debian puts it; CHROMIUM may name another binary.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")

#: Headless, and quiet on a machine without a network: no background connections.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str:
    """The browser's path, or skip the test with the reason."""
    import os

    wanted = os.environ.get("CHROMIUM")
    for name in (wanted,) if wanted else CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium here (Debian: apt-get install chromium); CI installs it")


def screenshot(url: str, out: Path, profile: Path, size=(1280, 900), wait_ms: int = 1500) -> Path:
    """A PNG of the page at ``url`` as headless Chromium renders it."""
    subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
         f"--virtual-time-budget={wait_ms}", f"--screenshot={out}", url],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out


def rendered_dom(url: str, profile: Path, wait_ms: int = 5000) -> str:
    """The page's DOM after its scripts ran (MathJax typesets formulas into it)."""
    done = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={wait_ms}",
         "--dump-dom", url],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done.stdout


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drag(page, handle, dx: float) -> None:
    """Drag a slider's handle (a Playwright locator) sideways by ``dx`` pixels."""
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=3)
    page.mouse.up()


def looks_rendered(png: Path, size=(1280, 900)) -> dict:
    """What a rendered page shows: its size, how much is not background, how many colours.

    A blank or unstyled page fails these: a page with text, a theme and images has ink
    over several per cent of its area and hundreds of colours.
    """
    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(png).convert("RGB")).astype(int)
    background = np.median(image.reshape(-1, 3), axis=0)
    ink = np.abs(image - background).sum(axis=2) > 60
    colours = len(np.unique(image.reshape(-1, 3)[::7], axis=0))
    return {"size": image.shape[1::-1], "ink": float(ink.mean()), "colours": colours}
