#!/usr/bin/env python3
"""Compares two gazette binaries by paired indexing runs: A and B one after
the other (the order alternates), so that both runs of a pair see the same
phase of a noisy machine; prints the medians and each pair's B/A ratio of
wall and CPU time.

    python3 benches/paired.py 9 /tmp/gazette-old ./target/release/gazette /tmp/news-100mb.jsonl
    python3 benches/paired.py 9 OLD NEW FILE --no-entities

Extra arguments go to `gazette index`.
"""
import shutil
import statistics
import subprocess
import sys
import tempfile


def run(binary, collection, extra, index):
    shutil.rmtree(index, ignore_errors=True)
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S", binary, "index", collection,
         "--index", index, "--quiet", *extra],
        capture_output=True, text=True, check=True)
    wall, user, system = map(float, result.stderr.strip().splitlines()[-1].split())
    return wall, user + system


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    runs, first, second, collection = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    extra = sys.argv[5:]
    times = {first: [], second: []}
    with tempfile.TemporaryDirectory() as scratch:
        index = f"{scratch}/index"
        for number in range(runs):
            order = [first, second] if number % 2 == 0 else [second, first]
            for binary in order:
                times[binary].append(run(binary, collection, extra, index))
    for label, binary in (("A", first), ("B", second)):
        walls = [wall for wall, _ in times[binary]]
        cpus = [cpu for _, cpu in times[binary]]
        print(f"{label} {binary}: wall median {statistics.median(walls):.2f} s, "
              f"CPU median {statistics.median(cpus):.2f} s")
    for name, column in (("wall", 0), ("CPU", 1)):
        ratios = [b[column] / a[column] for a, b in zip(times[first], times[second])]
        print(f"B/A {name} per pair: median {statistics.median(ratios):.3f} "
              f"({' '.join(f'{r:.3f}' for r in ratios)})")


if __name__ == "__main__":
    main()
