"""The batched root finders against roots known exactly."""

import numpy as np

from multigap.roots import bracketed_root, expand_bracket, secant_steps


def _weak_coupling(lam_e, x_root):
    """λ(ln T) − 1 of weak-coupling BCS, λ_e ln(1.13ω̃/T) − 1, with a root at x_root and a
    gentle curvature: the shape the Tc search meets."""

    def f(x, i):
        return lam_e[i] * (x_root[i] - x) + 0.02 * (x_root[i] - x) ** 2 * np.sign(x_root[i] - x)

    return f


def test_secant_steps_settle_smooth_monotonic_roots_to_the_tolerance():
    rng = np.random.default_rng(3)
    m = 200
    lam_e, root = rng.uniform(0.1, 0.5, m), rng.uniform(-3.0, 6.0, m)
    f = _weak_coupling(lam_e, root)
    idx = np.arange(m)
    x1 = root + rng.uniform(-1.0, 1.0, m)
    x2 = x1 + f(x1, idx) / lam_e * 0.9  # the weak-coupling step, with a 10 % slope error
    x1, f1, x2, f2, done = secant_steps(
        f, x1, f(x1, idx), x2, f(x2, idx), xtol=1e-9, increasing=False, max_step=3.0
    )
    assert done.mean() > 0.95  # the rest go on to the bracketing search
    assert np.max(np.abs(x2[done] - root[done])) < 1e-9  # settled means within xtol


def test_secant_steps_refuse_what_a_bracket_must_decide():
    """A wrong-signed slope, a step beyond max_step or outside the bounds leaves the
    problem undone (for the bracketing search), never settled at a wrong x."""
    f = lambda x, i: np.tanh(x - 1.0)  # noqa: E731 - increasing, root at 1
    idx = np.arange(3)
    x1, x2 = np.array([0.0, -8.0, 0.5]), np.array([0.5, -7.9, 0.6])
    _, _, x, fx, done = secant_steps(
        f, x1, f(x1, idx), x2, f(x2, idx), xtol=1e-12, increasing=False, max_step=1.0
    )
    assert not done.any()  # told "decreasing": every secant slope has the wrong sign
    _, _, x, fx, done = secant_steps(
        f, x1, f(x1, idx), x2, f(x2, idx), xtol=1e-12, increasing=True, max_step=1.0, upper=0.9
    )
    assert not done.any() and np.all(x < 0.9)  # the far start needs long steps; bound
    a, b, fa, fb, found, _ = expand_bracket(f, x, fx, np.full(3, 0.1), limit=np.full(3, 5.0))
    root = bracketed_root(f, a, b, fa, fb, xtol=1e-12)
    assert found.all() and np.allclose(root.x, 1.0, atol=1e-12)
