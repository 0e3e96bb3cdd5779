"""multigap: resonant multigap superconductivity in superlattices of quantum wires."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("multigap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["Model", "__version__"]


def __getattr__(name: str):
    """``multigap.Model`` without importing the solvers at ``import multigap`` (the CLI
    imports lazily what a command needs)."""
    if name == "Model":
        from .model import Model

        return Model
    raise AttributeError(f"module 'multigap' has no attribute {name!r}")
