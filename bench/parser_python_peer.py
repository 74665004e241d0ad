#!/usr/bin/python3
"""Python peer of the exposition parser benchmark: Debian's prometheus_client parser.

  parser_python_peer.py bench FILE SECONDS   prints "<MB/s> <samples>" (CPU time) for repeated parses
  parser_python_peer.py json FILE            prints the page in `healthdeck scrape --json` shape
"""
import json
import math
import sys
import time

from prometheus_client.parser import text_string_to_metric_families


def parse_all(text):
    samples = 0
    for family in text_string_to_metric_families(text):
        samples += len(family.samples)
    return samples


def bench(path, seconds):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    size = len(text.encode("utf-8"))
    runs = 0
    samples = 0
    # CPU time, like the Google Benchmark figures it is compared with: a busy machine
    # slows every parser's wall clock but not the work each one does.
    start = time.process_time()
    while True:
        samples = parse_all(text)
        runs += 1
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            break
    print(f"{size * runs / elapsed / 1e6:.1f} {samples}")


def value(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return v


def dump(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    families = []
    for family in text_string_to_metric_families(text):
        samples = []
        for s in family.samples:
            entry = {"name": s.name, "labels": dict(s.labels), "value": value(s.value)}
            if s.timestamp is not None:
                entry["timestamp_ms"] = round(float(s.timestamp) * 1000)
            samples.append(entry)
        families.append({"name": family.name, "type": family.type,
                         "help": family.documentation, "samples": samples})
    json.dump({"families": families}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "bench":
        bench(sys.argv[2], float(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "json":
        dump(sys.argv[2])
    else:
        sys.exit(__doc__)
