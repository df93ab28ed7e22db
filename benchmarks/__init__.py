"""Benchmarks run by `make bench`: each prints its figures as ratios against a baseline
measured in the same process, on the same machine, in the same run."""
