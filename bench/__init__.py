"""Benchmarks: each bench_*.py measures one thing against a baseline taken in the same run."""

import os

# The app logs one line per request: measured in-process, that would flood the figures' output.
# Servers loaded for a figure (bench.kit.server_env) log as in production, to a file.
os.environ.setdefault("PLAIDOYER_LOG_LEVEL", "WARNING")
