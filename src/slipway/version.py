"""slipway's version, on the floor so any module may read it without importing the package
root (which re-exports the Python API)."""

__version__ = "0.1.0"
