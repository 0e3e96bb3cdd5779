"""``multigap explore`` served and used in headless Chromium (Debian's, driven by
Playwright through its executable path): the page comes up, moving the interband-g
slider changes the readout, and after 50 rapid slider moves the server still answers
and shows the last state. Skipped, with the reason, where no browser can be had.
"""

import re
import subprocess
import sys
import time
import urllib.request

import pytest

from browser import FLAGS, chromium, drag, free_port

pytestmark = pytest.mark.slow
pytest.importorskip("panel")

#: The controls' sliders (and their editable boxes) in page order; the interband g is the
#: ninth.
INTERBAND = 8


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "multigap.cli", "explore", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while not _answers(url):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the explore server did not come up"
        time.sleep(0.3)
    yield proc, url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    path = chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=list(FLAGS[1:]), headless=True)
        tab = browser.new_page(viewport={"width": 1500, "height": 1000})
        tab.goto(server[1])
        tab.wait_for_selector("text=Tc status", timeout=90_000)
        yield tab
        browser.close()


def _tc_shown(page) -> str:
    row = page.get_by_text(re.compile(r"^Tc \(fixed_mu\) \[K\]$")).locator("xpath=..")
    return row.inner_text().split()[-1]


def _settled(page, timeout: float = 120.0) -> str:
    """The map-state line once no newer map is on its way."""
    line = page.get_by_text(re.compile("map of state"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = line.inner_text()
        if "newer" not in text:
            return text
        page.wait_for_timeout(100)
    raise AssertionError("the map never settled")


def _quiet(page, seconds: float = 2.0, timeout: float = 120.0) -> None:
    """Wait until the map state and the interband box stay the same for ``seconds``."""
    box = page.locator("input").nth(INTERBAND)
    seen, since = None, time.monotonic()
    deadline = since + timeout
    while time.monotonic() < deadline:
        now = (_settled(page), box.input_value())
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page never settled")


def test_moving_the_interband_slider_changes_the_readout(page):
    handle = page.locator(".noUi-handle").nth(INTERBAND)
    assert handle.get_attribute("aria-valuenow") == "0.1"  # the interband g's default
    before = _tc_shown(page)
    drag(page, handle, 40)
    assert float(handle.get_attribute("aria-valuenow")) > 0.1
    deadline = time.monotonic() + 60
    while _tc_shown(page) == before:
        assert time.monotonic() < deadline, "the readout did not change"
        page.wait_for_timeout(100)


def test_fifty_rapid_moves_leave_a_responsive_server_showing_the_last_state(page, server):
    from multigap.config import Numerics
    from multigap.explore import Explorer

    handle = page.locator(".noUi-handle").nth(INTERBAND)
    first = int(re.search(r"state (\d+)", _settled(page)).group(1))
    for k in range(50):
        drag(page, handle, 6 if k % 2 == 0 else -4)
    assert _answers(server[1])  # the server kept serving through the burst
    deadline = time.monotonic() + 120  # the burst reaches the server, then settles
    while int(re.search(r"state (\d+)", _settled(page)).group(1)) <= first:
        assert time.monotonic() < deadline, "no newer state was ever shown"
        page.wait_for_timeout(200)
    _quiet(page)
    # the value the server holds, as its editable box shows it (the slider's track rounds)
    g_inter = float(page.locator("input").nth(INTERBAND).input_value())
    x = Explorer(g_inter=g_inter)
    assert x.config.numerics == Numerics.preset("map")
    deadline = time.monotonic() + 60
    while abs(float(_tc_shown(page)) - x.readout["Tc_K"]) > 1e-3 * x.readout["Tc_K"]:
        assert time.monotonic() < deadline, (_tc_shown(page), x.readout["Tc_K"])
        page.wait_for_timeout(100)


def test_binding_beyond_this_machine_is_said_out_loud():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "multigap.cli", "explore", "--host", "0.0.0.0", "--port",
         str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = proc.stderr.readline()
        assert "reachable from other machines" in line
    finally:
        proc.terminate()
        proc.wait(timeout=30)
