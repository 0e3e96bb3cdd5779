"""multigap: resonant multigap superconductivity in superlattices of quantum wires."""

from multigap._version import __version__

__all__ = ["Model", "__version__"]


def __getattr__(name: str):
    """``multigap.Model`` without importing the solvers at ``import multigap`` (the CLI
    imports lazily what a command needs).
    """
    if name == "Model":
        from multigap.solvers.model import Model

        return Model
    raise AttributeError(f"module 'multigap' has no attribute {name!r}")
