"""Benchmarks: each bench_*.py measures one thing against a baseline taken in the same run."""
