"""Benchmarks of movegraph: load, extract and end-to-end (see bench/README.md)."""
