"""The solvers on the pairing kernel: Tc, gaps at any T with the number equation, the
model that holds one geometry with its caches, its results, and finite temperature.
"""
