"""Benchmarks: our shop against a stock django-oscar shop, on one machine, in one run.

`make bench` (or `python -m bench --help`) runs them; see bench/README.md.
"""
