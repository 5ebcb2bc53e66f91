"""Tests of host scripts and runbooks (a package, so its conftest has its own name)."""
