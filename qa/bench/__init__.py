"""Benchmarks: latency, cold start, build throughput, the scaling curve and the HTTP load test.

Takes the seeds (and SQuAD part A, and synthetic vectors for scale); gives
ratios measured in one interleaved run, written to eval/bench.md. Nothing
here is a timed assertion.
"""

from qa.bench.run import BenchOptions, run_bench

__all__ = ["BenchOptions", "run_bench"]
