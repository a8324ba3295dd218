"""Times the seed guide's Python handler (section 6 of the guide) the same way bench/warm-child.mjs times ours:
the guide's test event, warm, one invocation at a time, against the loopback receiver in DOORAY_HOOK_URL.
Its prints go to /dev/null, as the Node child's log lines do. Prints one JSON line: {"python": version, "times": [ms, ...]}."""
import json
import os
import platform
import sys
import time
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(__file__))
import guide_lambda_function as guide  # noqa: E402

EVENT = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "sns", "guide-test-event.json")))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 400
sink = open(os.devnull, "w")
times = []
with redirect_stdout(sink):
    for _ in range(300):
        guide.lambda_handler(EVENT, None)
    for _ in range(runs):
        start = time.perf_counter()
        result = guide.lambda_handler(EVENT, None)
        times.append((time.perf_counter() - start) * 1000)
        assert result["statusCode"] == 200, result
print(json.dumps({"python": platform.python_version(), "times": times}))
