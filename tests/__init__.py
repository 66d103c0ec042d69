"""The harness's own tests, one sub-package per room (docs/ARCHITECTURE.md). Packages, so helper modules are
imported by their full name (`from tests.portal_mock.harness import Env`) and two rooms may both have a
`conftest.py` or a `support.py` without one shadowing the other on sys.path."""
