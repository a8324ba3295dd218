"""Measures the seed guide's Python handler as bench/deployed-child.mjs measures ours: import + the first
invocation (cold: wall from before the import, CPU since the process started), then `runs` more after `warmup`
(warm: per-invocation wall times, CPU per invocation), and the peak RSS (KiB). Posts to DOORAY_HOOK_URL.
Usage: measure.py RUNS WARMUP. Prints one JSON line."""
import json
import os
import resource
import sys
import time
from contextlib import redirect_stdout

t0 = time.perf_counter()
sys.path.insert(0, os.path.dirname(__file__))
import guide_lambda_function as guide  # noqa: E402

EVENT = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "sns", "guide-test-event.json")))
runs, warmup = int(sys.argv[1]), int(sys.argv[2])


def cpu_ms():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return (u.ru_utime + u.ru_stime) * 1000


with redirect_stdout(open(os.devnull, "w")):
    assert guide.lambda_handler(EVENT, None)["statusCode"] == 200
    cold = {"wall": (time.perf_counter() - t0) * 1000, "cpu": cpu_ms()}
    warm = None
    if runs > 0:
        for _ in range(warmup):
            guide.lambda_handler(EVENT, None)
        times = []
        c0 = cpu_ms()
        for _ in range(runs):
            start = time.perf_counter()
            assert guide.lambda_handler(EVENT, None)["statusCode"] == 200
            times.append((time.perf_counter() - start) * 1000)
        warm = {"times": times, "cpu": (cpu_ms() - c0) / runs}
print(json.dumps({"cold": cold, "warm": warm, "maxRSS": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
