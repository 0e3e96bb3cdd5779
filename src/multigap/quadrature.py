"""Composite Gauss–Legendre rules: plain, on given breakpoints, and graded.

The integrands of multigap have square-root and logarithmic endpoint
singularities (band edges, Fermi-contour tips, the kx band bottom). A
Gauss–Legendre rule on panels that shrink geometrically towards the singular
point converges for all of them; the panel count and order are explicit
parameters recorded in every output.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = [
    "gauss_legendre",
    "panels",
    "graded_breakpoints",
    "graded_unit_rule",
    "crossing_breakpoints",
]


@functools.cache
def _gl(order: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(order)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def gauss_legendre(a: float, b: float, order: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the *order*-point Gauss–Legendre rule on [a, b]."""
    x, w = _gl(order)
    h = 0.5 * (b - a)
    return a + h * (x + 1.0), h * w


def panels(breaks: np.ndarray, order: int) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre rule on the panels between sorted *breaks*.

    Parameters
    ----------
    breaks : array_like, shape (..., m)
        Sorted breakpoints along the last axis; zero-width panels get zero weight.
    order : int
        Nodes per panel.

    Returns
    -------
    nodes, weights : numpy.ndarray, shape (..., (m-1)*order)
    """
    breaks = np.asarray(breaks, dtype=float)
    x, w = _gl(order)
    a = breaks[..., :-1, None]
    h = 0.5 * (breaks[..., 1:, None] - a)
    nodes = a + h * (x + 1.0)
    weights = h * w
    shape = breaks.shape[:-1] + (-1,)
    return nodes.reshape(shape), weights.reshape(shape)


def graded_breakpoints(levels: int, ratio: float = 0.5) -> np.ndarray:
    """Breakpoints on [0, 1] graded geometrically towards 0: 0, r^L, ..., r, 1."""
    return np.concatenate(([0.0], ratio ** np.arange(levels, -1, -1, dtype=float)))


@functools.cache
def graded_unit_rule(levels: int, order: int, ratio: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre rule on [0, 1] graded geometrically towards 0."""
    nodes, weights = panels(graded_breakpoints(levels, ratio), order)
    nodes.setflags(write=False)
    weights.setflags(write=False)
    return nodes, weights


def crossing_breakpoints(
    lo: np.ndarray, hi: np.ndarray, centre: np.ndarray, width: np.ndarray, levels: int
) -> np.ndarray:
    """Breakpoints on [lo, hi] graded geometrically on both sides of *centre*.

    The panels next to *centre* have size *width* and grow by factors of 2
    outwards; breakpoints outside [lo, hi] are clipped to it (giving empty
    panels, which carry zero weight). Vectorised over leading axes.

    Parameters
    ----------
    lo, hi, centre, width : array_like
        Broadcastable arrays; *width* > 0.
    levels : int
        Number of panels on each side of the centre.

    Returns
    -------
    numpy.ndarray, shape (..., 2*levels + 4)
        Sorted breakpoints including lo and hi.
    """
    lo, hi, centre, width = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (lo, hi, centre, width))
    )
    steps = width[..., None] * (2.0 ** np.arange(levels) - 1.0 + 0.0)
    steps = np.concatenate([steps, np.full(width.shape + (1,), np.inf)], -1)
    c = np.clip(centre, lo, hi)[..., None]
    pts = np.concatenate(
        [lo[..., None], c - steps[..., 1:][..., ::-1], c, c + steps[..., 1:], hi[..., None]], -1
    )
    pts = np.clip(pts, lo[..., None], hi[..., None])
    return np.sort(pts, axis=-1)
