#!/usr/bin/env python3
"""Paired indexing runs, for figures this machine's noise does not swamp:
the two runs of a pair follow each other (their order alternates), so
both see the same phase of the machine, and each pair gives a ratio.

With one binary: its throughput with entity extraction on, as a fraction
of its throughput with it off (`--no-entities`), the figure of issue 4:

    python3 benches/paired.py 15 /tmp/news-100mb.jsonl ./target/release/gazette

With two binaries: the second's time as a fraction of the first's (below
1 is faster):

    python3 benches/paired.py 9 /tmp/news-100mb.jsonl /tmp/gazette-old ./target/release/gazette

Arguments after `--` go to every `gazette index` run. Prints the medians,
the ratio of the medians and the median of the per-pair ratios, by wall
and by CPU time.
"""
import shutil
import statistics
import subprocess
import sys
import tempfile


def run(command, collection, index):
    """Wall and CPU seconds of one `gazette index` run."""
    shutil.rmtree(index, ignore_errors=True)
    binary, *flags = command
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S", binary, "index", collection,
         "--index", index, "--quiet", *flags],
        capture_output=True, text=True, check=True)
    wall, user, system = map(float, result.stderr.strip().splitlines()[-1].split())
    return wall, user + system


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    if len(args) not in (3, 4):
        sys.exit(__doc__)
    runs, collection, binaries = int(args[0]), args[1], args[2:]
    if len(binaries) == 1:
        # Throughput ratio: time without entities over time with them.
        first = ("without entities", [binaries[0], "--no-entities", *extra])
        second = ("with entities", [binaries[0], *extra])
        title, invert = "throughput with entities / without", True
    else:
        first = (binaries[0], [binaries[0], *extra])
        second = (binaries[1], [binaries[1], *extra])
        title, invert = "time B / A", False
    times = {first[0]: [], second[0]: []}
    with tempfile.TemporaryDirectory() as scratch:
        index = f"{scratch}/index"
        for number in range(runs):
            order = [first, second] if number % 2 == 0 else [second, first]
            for label, command in order:
                times[label].append(run(command, collection, index))
    for tag, (label, _) in (("A", first), ("B", second)):
        walls = [wall for wall, _ in times[label]]
        cpus = [cpu for _, cpu in times[label]]
        print(f"{tag} {label}: wall median {statistics.median(walls):.2f} s "
              f"({' '.join(f'{w:.2f}' for w in walls)}), CPU median {statistics.median(cpus):.2f} s")
    for name, column in (("wall", 0), ("CPU", 1)):
        a = [t[column] for t in times[first[0]]]
        b = [t[column] for t in times[second[0]]]
        ratios = [(x / y) if invert else (y / x) for x, y in zip(a, b)]
        medians = statistics.median(a) / statistics.median(b) if invert \
            else statistics.median(b) / statistics.median(a)
        print(f"{title}, {name}: {medians:.3f} (ratio of medians); per pair median "
              f"{statistics.median(ratios):.3f}, {min(ratios):.3f} to {max(ratios):.3f} "
              f"({' '.join(f'{r:.3f}' for r in ratios)})")


if __name__ == "__main__":
    main()
