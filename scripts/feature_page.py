#!/usr/bin/env python3
"""The supported-features page: CUDA features x backends, generated from the conformance suite's own files.

    scripts/feature_page.py [--out FILE]                      write the page (default: docs/features.md)
    scripts/feature_page.py --check FILE                      fail if FILE is not what the sources give
    scripts/feature_page.py --results DIR --out FILE          the page plus this machine's results

Sources (all in tests/conformance/):
  features.txt        each feature with the conformance tests that prove it, and each backend's limits;
  known-failures.txt  the tests known to fail on a backend, with the reason;
  *.cu                the conformance tests themselves (TEST_P(Suite, Test)).

A feature is "yes" on a backend when none of its tests is a known failure there, and "partly" when some
are (the reasons are listed under the table).  --check also fails when a conformance test belongs to no
feature, when a pattern of features.txt or known-failures.txt matches no test, or when a line is malformed,
so the page cannot drift from the suite: the ctest docs.features runs it.

--results DIR takes the gtest XML files that scripts/conformance_report.py keeps (<backend>.xml in
<build>/conformance-results) and adds, per feature and backend, how many of its tests passed on this
machine (or why they were skipped).  Standard library only.
"""
import argparse
import fnmatch
import glob
import itertools
import os
import re
import sys
import xml.etree.ElementTree as ET

BACKENDS = ["cpu", "opencl", "hip", "cuda"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFORMANCE = os.path.join(ROOT, "tests", "conformance")
DEFAULT_OUT = os.path.join(ROOT, "docs", "features.md")

# How far each backend's support has been verified: what "yes" rests on.
VERIFIED = {
    "cpu": "runs the whole conformance suite in CI",
    "opencl": "runs the conformance suite in CI on PoCL's CPU device (an OpenCL 3.0 driver)",
    "hip": "code generation checked in CI (every kernel compiled for gfx90a and gfx1100, code objects "
           "checked with llvm-readelf and llvm-objdump) and the runtime side against a fake HIP runtime; "
           "**not yet run on an AMD GPU**",
    "cuda": "PTX of every kernel checked by `ptxas` where the Nvidia toolkit is installed, and the runtime "
            "side against a fake CUDA driver; **not yet run on an Nvidia GPU**",
}


# Backends whose conformance runs are on the device they target (the others: marked † in the tables).
RUN_ON_HARDWARE = {"cpu", "opencl"}


class SourceError(Exception):
    pass


def conformance_tests():
    """Suite.Test of every TEST_P in the conformance sources."""
    tests = []
    for path in sorted(glob.glob(os.path.join(CONFORMANCE, "*.cu"))):
        with open(path, encoding="utf-8") as f:
            for m in re.finditer(r"^TEST_P\(\s*(\w+)\s*,\s*(\w+)\s*\)", f.read(), re.M):
                tests.append(f"{m.group(1)}.{m.group(2)}")
    if not tests:
        raise SourceError(f"no TEST_P found in {CONFORMANCE}/*.cu")
    return tests


def read_features(path):
    features, limits, errors = [], [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            kind, _, rest = line.partition(" ")
            fields = [x.strip() for x in rest.split("|")]
            if kind == "feature" and len(fields) == 3 and all(fields):
                features.append({"area": fields[0], "name": fields[1], "patterns": fields[2].split(), "line": n})
            elif kind == "limit" and len(fields) == 3 and fields[0] in BACKENDS and all(fields):
                limits.append({"backend": fields[0], "area": fields[1], "text": fields[2]})
            else:
                errors.append(f"{os.path.basename(path)}:{n}: malformed line: {line[:80]}")
    return features, limits, errors


def read_known_failures(path):
    known, errors = [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) < 3:
                errors.append(f"{os.path.basename(path)}:{n}: malformed line: {line[:80]}")
                continue
            known.append({"backend": parts[0], "test": parts[1], "reason": parts[2], "line": n})
    return known, errors


def resolve(tests, features, known):
    """Each feature's tests; problems with the sources (unmatched patterns, tests in no feature)."""
    errors = []
    covered = set()
    for feat in features:
        feat["tests"] = []
        for p in feat["patterns"]:
            hits = [t for t in tests if fnmatch.fnmatchcase(t, p)]
            if not hits:
                errors.append(f"features.txt:{feat['line']}: '{p}' matches no conformance test")
            feat["tests"] += [t for t in hits if t not in feat["tests"]]
        covered.update(feat["tests"])
    for t in tests:
        if t not in covered:
            errors.append(f"conformance test {t} belongs to no feature in features.txt")
    for k in known:
        if not any(fnmatch.fnmatchcase(k["backend"], b) for b in BACKENDS):
            errors.append(f"known-failures.txt:{k['line']}: '{k['backend']}' names no backend")
        if not any(fnmatch.fnmatchcase(t, k["test"]) for t in tests):
            errors.append(f"known-failures.txt:{k['line']}: '{k['test']}' matches no conformance test")
    return errors


def known_reasons(known, backend, test):
    return [k["reason"] for k in known
            if fnmatch.fnmatchcase(backend, k["backend"]) and fnmatch.fnmatchcase(test, k["test"])]


def read_results(results_dir):
    """{backend: {Suite.Test: (status, message)}} from conformance_report.py's gtest XML files."""
    out = {}
    for backend in BACKENDS:
        path = os.path.join(results_dir, f"{backend}.xml")
        if not os.path.exists(path):
            continue
        res = {}
        for case in ET.parse(path).getroot().iter("testcase"):
            suite = case.get("classname", "").split("/")[-1]
            name = case.get("name", "").split("/")[0]
            if case.find("failure") is not None:
                res[f"{suite}.{name}"] = ("fail", case.find("failure").get("message", ""))
            elif case.find("skipped") is not None:
                msg = case.find("skipped").get("message", "") or (case.find("skipped").text or "")
                lines = [l for l in msg.splitlines() if l.strip() and not re.match(r"^\S+:\d+$", l.strip())]
                res[f"{suite}.{name}"] = ("skip", lines[0].strip() if lines else "skipped")
            else:
                res[f"{suite}.{name}"] = ("pass", "")
        out[backend] = res
    return out


def render(tests, features, limits, known, results=None):
    notes = []  # (backend, feature name, reasons)

    def note(reasons):
        text = "; ".join(dict.fromkeys(reasons))
        for i, t in enumerate(notes):
            if t == text:
                return i + 1
        notes.append(text)
        return len(notes)

    lines = [
        "# Supported CUDA features, per backend",
        "",
        "Generated by `scripts/feature_page.py` from `tests/conformance/features.txt` (each feature and the",
        "conformance tests that prove it), `tests/conformance/known-failures.txt` and the conformance tests",
        "themselves; the ctest `docs.features` regenerates it and fails when this page differs, so it cannot",
        "drift. \"yes\" means every test of the feature is expected to pass on the backend; \"partly\" means",
        "some are known failures there (the notes say why). Every conformance test is in at least one row.",
        "`make report` runs the suite on this machine's backends and writes the measured results next to",
        "these rows (`build/features.md`) and as a test-by-test matrix (`build/conformance-report.md`).",
        "The runtime API entry points themselves are listed in [runtime-api.md](runtime-api.md).",
        "",
        "How far each backend has been verified:",
        "",
    ]
    for b in BACKENDS:
        lines.append(f"- **{b}**: {VERIFIED[b]}.")
    lines += ["", "† Not yet run on the hardware it targets: \"yes\" there is what its code generation and runtime",
              "support, not a measured result.", ""]
    def cell(feat, b):
        tests = feat["tests"]
        reasons = [f"{t}: {r[0]}" for t in tests for r in [known_reasons(known, b, t)] if r]
        if not reasons:
            text = "yes"
        elif len(reasons) == len(tests):
            text = f"no[^{note(reasons)}]"
        else:
            text = f"partly ({len(tests) - len(reasons)}/{len(tests)})[^{note(reasons)}]"
        if results is None or b not in results:
            return text
        got = [results[b].get(t) for t in tests]
        passed = sum(1 for g in got if g and g[0] == "pass")
        failed = sum(1 for g in got if g and g[0] == "fail")
        skipped = [g[1] for g in got if g and g[0] == "skip" and not g[1].startswith("known failure")]
        measured = f"{passed}/{len(tests)} pass here"
        if failed:
            measured += f", **{failed} FAIL**"
        if skipped and passed == 0:
            measured = f"not run here[^{note([f'{b} on this machine: ' + skipped[0]])}]"
        return f"{text}; {measured}"

    header = "| Feature | Tests | " + " | ".join(b + ("" if b in RUN_ON_HARDWARE else " †") for b in BACKENDS) + " |"
    for area, group in itertools.groupby(features, key=lambda f: f["area"]):
        lines += [f"## {area}", "", header, "|" + "---|" * (len(BACKENDS) + 2)]
        for feat in group:
            lines.append(f"| {feat['name']} | {len(feat['tests'])} | " + " | ".join(cell(feat, b) for b in BACKENDS) + " |")
        lines.append("")
    lines += ["## Limits of each backend's device code", ""]
    for b in BACKENDS:
        for lim in limits:
            if lim["backend"] == b:
                lines.append(f"- **{b}** ({lim['area']}): {lim['text']}.")
    if not any(l["backend"] == "cpu" for l in limits):
        lines.append("- **cpu**: none known; it is the reference backend.")
    lines += ["", f"{len(tests)} conformance tests in {len(features)} features.", ""]
    for i, text in enumerate(notes, 1):
        lines.append(f"[^{i}]: {text}")
    if notes:
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=None, help="where to write the page (default: docs/features.md)")
    ap.add_argument("--check", metavar="FILE", help="compare FILE with the page the sources give")
    ap.add_argument("--results", metavar="DIR", help="conformance-results directory of conformance_report.py")
    args = ap.parse_args()
    try:
        tests = conformance_tests()
        features, limits, errors = read_features(os.path.join(CONFORMANCE, "features.txt"))
        known, kerrors = read_known_failures(os.path.join(CONFORMANCE, "known-failures.txt"))
    except (OSError, SourceError, ET.ParseError) as e:
        print(f"feature_page: {e}", file=sys.stderr)
        return 1
    errors += kerrors + resolve(tests, features, known)
    for e in errors:
        print(f"feature_page: {e}", file=sys.stderr)
    if args.check:
        page = render(tests, features, limits, known)
        try:
            with open(args.check, encoding="utf-8") as f:
                current = f.read()
        except OSError as e:
            print(f"feature_page: {e}", file=sys.stderr)
            return 1
        if current != page:
            print(f"feature_page: {args.check} is out of date: run python3 scripts/feature_page.py", file=sys.stderr)
            errors.append("stale")
        if errors:
            print("FAIL")
            return 1
        print(f"features page: {len(tests)} conformance tests in {len(features)} features, up to date: PASS")
        return 0
    if errors:
        return 1
    results = read_results(args.results) if args.results else None
    out = args.out or DEFAULT_OUT
    with open(out, "w", encoding="utf-8") as f:
        f.write(render(tests, features, limits, known, results))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
