#!/usr/bin/python3
"""Exposition parser throughput, side by side in one run.

  bench/parser_compare.py [BUILD_DIR] [--seconds S]

Runs BUILD_DIR/bench/parser_bench (memchr split, healthdeck cold and warm parse) and the
peers on the same bytes: Python's prometheus_client (python3-prometheus-client) and Go's
expfmt.TextParser (golang-go + golang-github-prometheus-common-dev, built offline). Missing
Debian packages are installed with apt-get when running as root. Prints MB/s per parser
(bytes per CPU second everywhere, so a busy machine does not skew the comparison) and the
ratios of the warm (interned) healthdeck parse to every other column.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GO_LIB = "/usr/share/gocode/src/github.com/prometheus/common/expfmt"


def ensure_packages(packages, present):
    if present():
        return True
    if os.geteuid() != 0:
        print(f"missing: sudo apt-get install -y {' '.join(packages)}", file=sys.stderr)
        return False
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                   check=False, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                   stdout=subprocess.DEVNULL)
    return present()


def run_healthdeck(binary, seconds):
    out = subprocess.run([binary, "--benchmark_format=json", f"--benchmark_min_time={seconds}"],
                         check=True, capture_output=True, text=True).stdout
    results = {}
    for b in json.loads(out)["benchmarks"]:
        kind, payload = b["name"].split("/")[:2]
        results[(kind, payload)] = b["bytes_per_second"] / 1e6
    return results


def run_peer(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0])


def main():
    args = sys.argv[1:]
    seconds = 2.0
    if "--seconds" in args:
        i = args.index("--seconds")
        seconds = float(args[i + 1])
        del args[i:i + 2]
    build = args[0] if args else os.path.join(ROOT, "build")
    binary = os.path.join(build, "bench", "parser_bench")
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} not built: cmake --build {build} --target parser_bench")

    tmp = tempfile.mkdtemp(prefix="healthdeck-parser-bench-")
    try:
        synthetic = os.path.join(tmp, "synthetic_10MB.prom")
        subprocess.run([binary, "--write-synthetic", synthetic], check=True,
                       stdout=subprocess.DEVNULL)
        payloads = {"node_exporter": os.path.join(ROOT, "tests", "data", "node_exporter.prom"),
                    "synthetic_10MB": synthetic}

        hd = run_healthdeck(binary, seconds)

        have_python = ensure_packages(
            ["python3-prometheus-client"],
            lambda: subprocess.run(["/usr/bin/python3", "-c", "import prometheus_client"],
                                   capture_output=True).returncode == 0)
        go_peer = os.path.join(tmp, "parser_go_peer")
        have_go = ensure_packages(["golang-go", "golang-github-prometheus-common-dev"],
                                  lambda: shutil.which("go") and os.path.isdir(GO_LIB))
        if have_go:
            env = {**os.environ, "GO111MODULE": "off", "GOPATH": "/usr/share/gocode",
                   "GOCACHE": os.path.join(tmp, "gocache"), "GOFLAGS": ""}
            subprocess.run(["go", "build", "-o", go_peer,
                            os.path.join(HERE, "parser_go_peer", "main.go")], check=True, env=env)

        print(f"{'payload':16} {'memchr':>9} {'hd warm':>9} {'hd cold':>9} {'go':>8} "
              f"{'python':>8}   warm/go  warm/py  warm/memchr  cold/go   (MB/s)")
        for name, path in payloads.items():
            size = os.path.getsize(path)
            memchr = hd[("MemchrSplit", name)]
            warm = hd[("ParseWarm", name)]
            cold = hd[("ParseCold", name)]
            go = run_peer([go_peer, path, str(seconds)]) if have_go else float("nan")
            py = run_peer(["/usr/bin/python3", os.path.join(HERE, "parser_python_peer.py"),
                           "bench", path, str(seconds)]) if have_python else float("nan")
            print(f"{name:16} {memchr:9.0f} {warm:9.0f} {cold:9.0f} {go:8.1f} {py:8.1f}   "
                  f"{warm / go:7.1f}x {warm / py:7.1f}x {warm / memchr:11.3f} {cold / go:7.1f}x"
                  f"   ({size / 1e6:.2f} MB)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
