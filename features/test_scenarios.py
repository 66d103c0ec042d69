"""Binds every Gherkin scenario under features/ as a pytest test (pytest-bdd's scenarios())."""

from pytest_bdd import scenarios

scenarios(".")
