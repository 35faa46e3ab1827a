"""Benchmarks of the places where a clerk waits; `python -m benchmarks` runs them all."""
