"""The test suite; `tests.factories` builds rows for the tests and for bench/."""
