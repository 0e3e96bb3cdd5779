"""multigap: resonant multigap superconductivity in superlattices of quantum wires."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("multigap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"
