"""The version of ocspkit (the same as pyproject.toml's), in a module anything may import."""

__version__ = "0.1.0"
