#!/usr/bin/env python3
"""The conformance report: the conformance suite on every backend, as a test x backend matrix.

    scripts/conformance_report.py [BUILD_DIR] [--out-dir DIR] [--backends cpu,opencl,...]
                                  [--timeout SECONDS] [--max-reruns N] [--quiet]
    scripts/conformance_report.py --from-results DIR [--out-dir DIR]

Runs BUILD_DIR/bin/cuport-conformance (BUILD_DIR defaults to "build") once per backend, with
--gtest_filter='*/<backend>', and writes OUT_DIR/conformance-report.md and OUT_DIR/conformance-report.html
(OUT_DIR defaults to BUILD_DIR): one row per test, grouped by suite, one column per backend, each cell
PASS, FAIL, SKIP or "known failure", with the reason of every skip and known failure (gtest's skip
message: the backend's own reason when it has no device, the reason in tests/conformance/known-failures.txt
for a known failure) and the first failure message of every failure.  The header gives the date, the
machine, each backend's line from cuport-info, and the totals per backend.

Each backend runs with CUPORT_BACKEND=all, the suite's own default and what ctest runs, so a test sees the
same devices as under ctest.  The gtest results are kept in OUT_DIR/conformance-results/ (<backend>.xml,
<backend>.log, meta.json).  gtest's XML output is used because it carries the skip messages, which gtest's
JSON output only does from GoogleTest 1.15 on.  If the suite dies or hangs in a test (a crash, or more than
--timeout seconds for one backend), that test is recorded as a failure with the cause and the backend's run
is repeated without it (at most --max-reruns times).

--from-results DIR builds the report from saved results instead of running anything: DIR holds gtest
output files, XML (*.xml) or JSON (*.json, the format of --gtest_output=json), such as the
conformance-results directory of an earlier run, and optionally its meta.json.  Tests are attributed to
the backend of their name's "/<backend>" suffix.

Exit status: 0 when the report was written, whatever the test results (the report shows the failures);
1 when the suite could not be run on any backend or the results could not be read; 2 for a usage error.
Standard library only.
"""
import argparse
import datetime
import html
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

DEFAULT_BACKENDS = ["cpu", "opencl", "hip", "cuda"]
RESULTS_SUBDIR = "conformance-results"
REPORT_BASENAME = "conformance-report"

PASS, FAIL, SKIP, KNOWN, NOTRUN = "pass", "fail", "skip", "known", "notrun"
STATUS_ORDER = [PASS, FAIL, KNOWN, SKIP, NOTRUN]
LABEL = {PASS: "PASS", FAIL: "FAIL", SKIP: "SKIP", KNOWN: "known failure", NOTRUN: "not run"}
TOTAL_LABEL = {PASS: "pass", FAIL: "fail", KNOWN: "known failure", SKIP: "skip", NOTRUN: "not run"}
KNOWN_RE = re.compile(r"^known failure on \S+: ")
# gtest starts a skip or failure message with the location: "/path/to/file.cu:123" on a line of its own.
LOCATION_RE = re.compile(r"^(?P<path>[^\n]*?):(?P<line>\d+)$")
MAX_REASON = 600


class UsageError(Exception):
    pass


class Result:
    """One test on one backend."""

    def __init__(self, status, reason="", seconds=None):
        self.status, self.reason, self.seconds = status, reason, seconds


class Report:
    """The matrix: tests (suite, test) in first-seen order, backends in order, and their results."""

    def __init__(self):
        self.backends = []
        self.tests = []  # (suite, test)
        self.results = {}  # backend -> {(suite, test): Result}
        self.meta = {}
        self._keys = set()

    def add_backend(self, backend):
        if backend not in self.results:
            self.backends.append(backend)
            self.results[backend] = {}

    def add_test(self, suite, test):
        if (suite, test) not in self._keys:
            self._keys.add((suite, test))
            self.tests.append((suite, test))

    def add(self, backend, suite, test, result):
        self.add_backend(backend)
        self.add_test(suite, test)
        self.results[backend][(suite, test)] = result

    def get(self, backend, key):
        return self.results.get(backend, {}).get(key)

    def suites(self):
        order, grouped = [], {}
        for suite, test in self.tests:
            if suite not in grouped:
                order.append(suite)
                grouped[suite] = []
            grouped[suite].append(test)
        return [(suite, grouped[suite]) for suite in order]

    def totals(self, backend, keys=None):
        counts = {status: 0 for status in STATUS_ORDER}
        for key in keys if keys is not None else self.tests:
            result = self.get(backend, key)
            counts[result.status if result else NOTRUN] += 1
        return counts


# --- reading gtest results ------------------------------------------------------------------------------

def split_name(suite_name, test_name, default_backend):
    """("Backends/LaunchTest", "Basic/cpu") -> ("LaunchTest", "Basic", "cpu")."""
    suite = suite_name.split("/", 1)[1] if "/" in suite_name else suite_name
    if "/" in test_name:
        test, backend = test_name.rsplit("/", 1)
    else:
        test, backend = test_name, default_backend
    return suite, test, backend


def clean_message(message):
    """(basename:line of gtest's location line, or "", the rest of the message on one line)."""
    lines = [line.rstrip() for line in (message or "").strip().splitlines()]
    location = ""
    if lines and LOCATION_RE.match(lines[0]):
        m = LOCATION_RE.match(lines[0])
        location = "%s:%s" % (os.path.basename(m.group("path")), m.group("line"))
        lines = lines[1:]
    text = " ".join(line.strip() for line in lines if line.strip())
    return location, text


def shorten(text, limit=MAX_REASON):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def skip_result(message, seconds):
    _, text = clean_message(message)
    if not text:
        text = "skipped (gtest recorded no message)"
    return Result(KNOWN if KNOWN_RE.match(text) else SKIP, shorten(text), seconds)


def failure_result(messages, seconds):
    parts = []
    for message in messages:
        location, text = clean_message(message)
        parts.append(("%s: %s" % (location, text)) if location else text)
    reason = parts[0] if parts else "failed"
    if len(parts) > 1:
        reason += " (and %d more failure%s)" % (len(parts) - 1, "s" if len(parts) > 2 else "")
    return Result(FAIL, shorten(reason or "failed"), seconds)


def parse_seconds(value):
    try:
        return float(str(value).rstrip("s"))
    except (TypeError, ValueError):
        return None


def load_xml(path, report, default_backend):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    for suite_el in suites:
        for case in suite_el.iter("testcase"):
            suite, test, backend = split_name(case.get("classname") or suite_el.get("name", ""),
                                              case.get("name", ""), default_backend)
            seconds = parse_seconds(case.get("time"))
            failures = [f.text or f.get("message", "") for f in case.findall("failure")]
            failures += [e.text or e.get("message", "") for e in case.findall("error")]
            skipped = case.find("skipped")
            if failures:
                result = failure_result(failures, seconds)
            elif case.get("status") == "notrun" or case.get("result") == "suppressed":
                result = Result(NOTRUN, "disabled", seconds)
            elif skipped is not None or case.get("result") == "skipped":
                message = "" if skipped is None else (skipped.text or skipped.get("message", ""))
                result = skip_result(message, seconds)
            else:
                result = Result(PASS, "", seconds)
            report.add(backend, suite, test, result)


def load_json(path, report, default_backend):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for suite_el in data.get("testsuites", []):
        for case in suite_el.get("testsuite", []):
            suite, test, backend = split_name(case.get("classname") or suite_el.get("name", ""),
                                              case.get("name", ""), default_backend)
            seconds = parse_seconds(case.get("time"))
            failures = [f.get("failure", "") for f in case.get("failures", [])]
            result_word = str(case.get("result", "")).upper()
            if failures:
                result = failure_result(failures, seconds)
            elif str(case.get("status", "")).upper() == "NOTRUN" or result_word == "SUPPRESSED":
                result = Result(NOTRUN, "disabled", seconds)
            elif result_word == "SKIPPED":
                # GoogleTest >= 1.15 writes "skipped": [{"message": ...}]; older versions no message.
                messages = [s.get("message", "") for s in case.get("skipped", []) if isinstance(s, dict)]
                result = skip_result(messages[0] if messages else "", seconds)
            else:
                result = Result(PASS, "", seconds)
            report.add(backend, suite, test, result)


def load_results_dir(directory, report):
    """Every *.xml / *.json gtest file of `directory`, and its meta.json: the run's header, its test order
    and the results the runner itself recorded (tests that crashed or hung the suite, tests a backend's run
    never reached).  Returns the gtest files read."""
    meta_path = os.path.join(directory, "meta.json")
    if os.path.isfile(meta_path):
        with open(meta_path, encoding="utf-8") as f:
            report.meta = json.load(f)
    for backend in report.meta.get("backends", []):
        report.add_backend(backend)
    for name in report.meta.get("tests", []):
        report.add_test(*name.split(".", 1))
    names = sorted(n for n in os.listdir(directory)
                   if n != "meta.json" and n.endswith((".xml", ".json")))
    # Files named after a backend first, in the default backend order, so columns come in a stable order.
    rank = {b: i for i, b in enumerate(DEFAULT_BACKENDS)}
    names.sort(key=lambda n: (rank.get(os.path.splitext(n)[0], len(rank)), n))
    for name in names:
        path = os.path.join(directory, name)
        backend = os.path.splitext(name)[0]
        (load_xml if name.endswith(".xml") else load_json)(path, report, backend)
    for backend, results in report.meta.get("runner_results", {}).items():
        for name, (status, reason) in results.items():
            suite, test = name.split(".", 1)
            if status == NOTRUN and report.get(backend, (suite, test)) is not None:
                continue
            report.add(backend, suite, test, Result(status, reason))
    return names


# --- running the suite --------------------------------------------------------------------------------

def run_captured(cmd, env, timeout):
    try:
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, check=False)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)


def list_tests(binary, env):
    """The parameterized tests the binary has: [(suite, test, backend)] and the gtest full names."""
    rc, out = run_captured([binary, "--gtest_list_tests"], env, 120)
    if rc != 0:
        raise RuntimeError("%s --gtest_list_tests failed (%s): %s" % (binary, rc, out.strip()[-500:]))
    tests, suite_name = [], None
    for line in out.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            suite_name = line.split("#", 1)[0].strip().rstrip(".")
        elif suite_name:
            test_name = line.split("#", 1)[0].strip()
            tests.append(split_name(suite_name, test_name, "") + ("%s.%s" % (suite_name, test_name),))
    return tests


def backends_of(tests):
    seen = []
    for _, _, backend, _ in tests:
        if backend and backend not in seen:
            seen.append(backend)
    return seen or list(DEFAULT_BACKENDS)


def cuport_info(binary, env):
    """{backend: "loaded, 1 device: \"name\"" or the reason it is not loaded}, and an error or None."""
    if not os.path.isfile(binary):
        return {}, "%s not found" % binary
    rc, out = run_captured([binary], env, 120)
    if rc is None:
        return {}, out
    status, devices = {}, {}
    for line in out.splitlines():
        m = re.match(r"^Backend (\S+): (.*)$", line)
        if m:
            status[m.group(1)] = m.group(2).strip()
        m = re.match(r'^Device \d+: "(.*)" \(backend (\S+)\)', line)
        if m:
            devices.setdefault(m.group(2), []).append(m.group(1))
    for backend, names in devices.items():
        status[backend] = "%s: %s" % (status.get(backend, "loaded"), ", ".join('"%s"' % n for n in names))
    return status, (None if status else "cuport-info printed no backend (exit status %s)" % rc)


def running_test(log_text):
    """The test that was running when the log ends (started, never finished), or None."""
    current = None
    for line in log_text.splitlines():
        m = re.match(r"^\[ RUN      \] (\S+)", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^\[ +(OK|FAILED|SKIPPED) +\] (\S+)", line)
        if m and m.group(2) == current:
            current = None
    return current


def describe_exit(rc):
    if rc is None:
        return "did not finish"
    if rc < 0:
        try:
            return "killed by %s" % signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    if rc > 128 and rc - 128 < 65:
        try:
            return "exit status %d (%s)" % (rc, signal.Signals(rc - 128).name)
        except ValueError:
            pass
    return "exit status %d" % rc


def run_backend(binary, backend, results_dir, env, timeout, max_reruns, log):
    """Runs the suite on one backend.  Returns (xml path or None, {gtest name: Result} of the tests that
    crashed or hung the suite, the run's record for meta.json: attempts, seconds, problems)."""
    xml_path = os.path.join(results_dir, backend + ".xml")
    log_path = os.path.join(results_dir, backend + ".log")
    excluded, casualties, attempts, problems = [], {}, [], []
    started = time.monotonic()
    while True:
        if os.path.exists(xml_path):
            os.remove(xml_path)
        gtest_filter = "*/" + backend + ("-" + ":".join(excluded) if excluded else "")
        cmd = [binary, "--gtest_filter=" + gtest_filter, "--gtest_output=xml:" + xml_path,
               "--gtest_color=no"]
        t0 = time.monotonic()
        with open(log_path, "wb") as out:
            try:
                proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
            except OSError as e:
                problems.append("could not run %s: %s" % (binary, e))
                break
            try:
                rc = proc.wait(timeout=timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                timed_out = True
                try:  # The suite and whatever it forked (death tests): our child's own process group.
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    proc.kill()
                rc = proc.wait()
        seconds = time.monotonic() - t0
        attempts.append({"filter": gtest_filter, "exit": rc, "timed_out": timed_out,
                         "seconds": round(seconds, 1)})
        have_xml = os.path.isfile(xml_path)
        if not timed_out and rc in (0, 1) and have_xml:
            break
        if timed_out:
            cause = "timed out (the backend's run was stopped after %d s)" % timeout
        elif rc in (0, 1):
            cause = "the suite wrote no results (%s)" % describe_exit(rc)
        else:
            cause = "the suite died: %s" % describe_exit(rc)
        with open(log_path, encoding="utf-8", errors="replace") as f:
            culprit = running_test(f.read())
        if culprit is None:
            # Before the first test or after the last one; gtest wrote its results if it got that far.
            problems.append(cause + (" after its last test" if have_xml else " outside any test"))
            break
        reason = cause.replace("the suite died:", "the suite died in this test:")
        casualties[culprit] = Result(FAIL, reason, seconds)
        if len(excluded) >= max_reruns:
            problems.append("%s in %s; not run again (--max-reruns %d reached)" % (cause, culprit, max_reruns))
            break
        problems.append("%s in %s; run again without it" % (cause, culprit))
        excluded.append(culprit)
        # Keep the log of the run that died next to the final one.
        shutil.copyfile(log_path, os.path.join(results_dir, "%s.died-%d.log" % (backend, len(excluded))))
    for problem in problems:
        log("  %s: %s" % (backend, problem))
    record = {"attempts": attempts, "seconds": round(time.monotonic() - started, 1), "problems": problems}
    return (xml_path if os.path.isfile(xml_path) else None), casualties, record


def machine_description():
    u = platform.uname()
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "Hardware", "cpu model") and value.strip():
                    cpu = value.strip()
                    break
    except OSError:
        pass
    return {
        "uname": " ".join(x for x in (u.system, u.release, u.version, u.machine) if x),
        "cpu": cpu or platform.processor() or "unknown",
        "cores": os.cpu_count(),
    }


def source_commit(root):
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    try:
        p = subprocess.run(["git", "-C", root, "rev-parse", "--short=12", "HEAD"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return p.stdout.decode().strip() if p.returncode == 0 else ""


def run_suite(args, log):
    build = os.path.abspath(args.build_dir)
    binary = os.path.join(build, "bin", "cuport-conformance")
    if not os.path.isfile(binary) or not os.access(binary, os.X_OK):
        raise RuntimeError("%s not found: build the target cuport-conformance first" % binary)
    out_dir = os.path.abspath(args.out_dir or build)
    results_dir = os.path.join(out_dir, RESULTS_SUBDIR)
    os.makedirs(results_dir, exist_ok=True)
    env = dict(os.environ, CUPORT_BACKEND="all")
    env.pop("GTEST_FILTER", None)
    env.pop("GTEST_OUTPUT", None)

    tests = list_tests(binary, env)
    backends = args.backends.split(",") if args.backends else backends_of(tests)
    info, info_error = cuport_info(os.path.join(build, "bin", "cuport-info"), env)
    for stale in os.listdir(results_dir):
        if stale == "meta.json" or stale.endswith((".xml", ".json", ".log")):
            os.remove(os.path.join(results_dir, stale))

    meta = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": machine_description(),
        "source": source_commit(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        "binary": binary,
        "backends": backends,
        # Every test the binary lists is a row, even where a backend's run could not report it.
        "tests": [],
        "info": {b: info.get(b, info_error or "not listed by cuport-info") for b in backends},
        "runs": {},
        "runner_results": {},  # backend -> {Suite.Test: [status, reason]}
    }
    for suite, test, backend, _ in tests:
        if backend in backends and "%s.%s" % (suite, test) not in meta["tests"]:
            meta["tests"].append("%s.%s" % (suite, test))
    ran_any = False
    for backend in backends:
        log("running the conformance suite on %s ..." % backend)
        xml_path, casualties, record = run_backend(binary, backend, results_dir, env, args.timeout,
                                                   args.max_reruns, log)
        meta["runs"][backend] = record
        own = meta["runner_results"].setdefault(backend, {})
        for full, result in casualties.items():
            suite, test, _ = split_name(*full.split(".", 1), backend)
            own["%s.%s" % (suite, test)] = [result.status, result.reason]
        if xml_path or casualties:
            ran_any = True
        if not xml_path:
            # Whatever the backend's run did not report (loading skips the tests it did).
            note = "; ".join(record["problems"]) or "no results"
            for suite, test, b, _ in tests:
                if b == backend:
                    own.setdefault("%s.%s" % (suite, test), [NOTRUN, "the suite did not finish: " + note])
    with open(os.path.join(results_dir, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
    if not ran_any:
        raise RuntimeError("the conformance suite produced no results on any backend (logs in %s)"
                           % results_dir)
    # The report is made from the saved results, so that --from-results on them makes the same report.
    report = Report()
    load_results_dir(results_dir, report)
    return report, out_dir


# --- writing the report -------------------------------------------------------------------------------

class Notes:
    """Numbered reasons, each text once, in order of first use."""

    def __init__(self):
        self.items = []  # (status, text)
        self.index = {}

    def number(self, status, text):
        key = (status, text)
        if key not in self.index:
            self.items.append(key)
            self.index[key] = len(self.items)
        return self.index[key]


def cell_notes(report):
    notes, numbers = Notes(), {}
    for key in report.tests:
        for backend in report.backends:
            result = report.get(backend, key)
            if result and result.status != PASS:
                numbers[(backend, key)] = notes.number(result.status, result.reason or LABEL[result.status])
            elif result is None:
                numbers[(backend, key)] = notes.number(NOTRUN, "no result for this test on this backend")
    return notes, numbers


def suite_summary(counts):
    parts = []
    for status in STATUS_ORDER:
        if counts[status]:
            parts.append("%d %s" % (counts[status], LABEL[status]))
    return ", ".join(parts) or "none"


def suite_class(counts):
    """The colour of a suite's row: its worst result."""
    for status in (FAIL, NOTRUN, KNOWN, PASS):
        if counts[status]:
            return status
    return SKIP


def totals_line(counts):
    return ", ".join("%d %s%s" % (counts[s], TOTAL_LABEL[s], "s" if s == KNOWN and counts[s] != 1 else "")
                     for s in STATUS_ORDER if counts[s] or s in (PASS, FAIL))


def note_text(status, text):
    """A reason as the list below the table gives it: known failures already say so."""
    return text if status == KNOWN and KNOWN_RE.match(text) else "%s: %s" % (LABEL[status], text)


def header_facts(report, command):
    meta = report.meta
    machine = meta.get("machine", {})
    facts = [("Date", meta.get("date", "unknown"))]
    if machine:
        cores = machine.get("cores")
        facts.append(("Machine", "%s; CPU: %s%s" % (machine.get("uname", "?"), machine.get("cpu", "?"),
                                                    (", %s cores" % cores) if cores else "")))
    if meta.get("source"):
        facts.append(("Source", "commit " + meta["source"]))
    if command:
        facts.append(("Produced by", command))
    return facts


def backend_rows(report):
    rows = []
    runs = report.meta.get("runs", {})
    for backend in report.backends:
        counts = report.totals(backend)
        run = runs.get(backend, {})
        seconds = run.get("seconds")
        rows.append((backend, report.meta.get("info", {}).get(backend, ""), counts,
                     ("%.1f s" % seconds) if isinstance(seconds, (int, float)) else ""))
    return rows


def run_problems(report):
    """[(backend, problem)]: crashes, hangs and failed starts of the backends' runs."""
    runs = report.meta.get("runs", {})
    return [(b, p) for b in report.backends for p in runs.get(b, {}).get("problems", [])]


def md_escape(text):
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def write_markdown(report, command):
    notes, numbers = cell_notes(report)
    out = ["# cuport conformance report", ""]
    for name, value in header_facts(report, command):
        out.append("- %s: %s" % (name, md_escape(value)))
    out += ["", "## Backends", "",
            "| Backend | cuport-info | Pass | Fail | Known failures | Skip | Not run | Time |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for backend, info, counts, seconds in backend_rows(report):
        out.append("| %s | %s | %d | %d | %d | %d | %d | %s |" % (
            backend, md_escape(info), counts[PASS], counts[FAIL], counts[KNOWN], counts[SKIP],
            counts[NOTRUN], seconds))
    problems = run_problems(report)
    if problems:
        out += ["", "Problems while running the suite:", ""]
        out += ["- %s: %s" % (b, md_escape(p)) for b, p in problems]
    out += ["", "## Results", "",
            "One row per test (`Suite.Test`, as known-failures.txt names it), grouped by suite; a suite's row "
            "sums up its tests.  [n] refers to the reasons below the table.", "",
            "| Test | " + " | ".join(report.backends) + " |",
            "|---|" + "---|" * len(report.backends)]
    for suite, tests in report.suites():
        keys = [(suite, t) for t in tests]
        out.append("| **%s** (%d) | %s |" % (md_escape(suite), len(tests), " | ".join(
            "*%s*" % suite_summary(report.totals(b, keys)) for b in report.backends)))
        for test in tests:
            cells = []
            for backend in report.backends:
                result = report.get(backend, (suite, test))
                status = result.status if result else NOTRUN
                text = "**FAIL**" if status == FAIL else LABEL[status]
                if (backend, (suite, test)) in numbers:
                    text += " [%d]" % numbers[(backend, (suite, test))]
                cells.append(text)
            out.append("| %s.%s | %s |" % (md_escape(suite), md_escape(test), " | ".join(cells)))
    if notes.items:
        out += ["", "## Reasons", ""]
        for number, (status, text) in enumerate(notes.items, 1):
            out.append("%d. %s" % (number, md_escape(note_text(status, text))))
    out.append("")
    return "\n".join(out)


CSS = """
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #1b1f24; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #c8ccd1; padding: 3px 8px; vertical-align: top; }
th { background: #eef0f2; text-align: left; }
td.n { text-align: right; }
tr.suite th { background: #dfe3e8; }
tr.suite td { font-weight: 600; font-size: 0.9em; }
.pass { background: #d5f0d8; } .fail { background: #f7c6c4; } td.fail { font-weight: 600; }
.known { background: #fbe3b0; } .skip { background: #e4e6e9; color: #4a5058; } .notrun { background: #f2d9f0; }
td.name { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
sup a { text-decoration: none; }
ol.reasons li { margin: 0.3em 0; padding-left: 6px; background: none; color: inherit; border-left: 6px solid; }
ol.reasons li.pass { border-color: #d5f0d8; } ol.reasons li.fail { border-color: #f7c6c4; }
ol.reasons li.known { border-color: #fbe3b0; } ol.reasons li.skip { border-color: #e4e6e9; }
ol.reasons li.notrun { border-color: #f2d9f0; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border: 1px solid #c8ccd1; }
"""


def write_html(report, command):
    e = html.escape
    notes, numbers = cell_notes(report)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>cuport conformance report</title>", "<style>" + CSS + "</style></head><body>",
           "<h1>cuport conformance report</h1>", '<dl class="facts">']
    for name, value in header_facts(report, command):
        out.append("<dt>%s</dt><dd>%s</dd>" % (e(name), e(value)))
    out += ["</dl>", "<h2>Backends</h2>", "<table><tr><th>Backend</th><th>cuport-info</th><th>Pass</th>"
            "<th>Fail</th><th>Known failures</th><th>Skip</th><th>Not run</th><th>Time</th></tr>"]
    for backend, info, counts, seconds in backend_rows(report):
        out.append('<tr><th>%s</th><td>%s</td><td class="n">%d</td><td class="n%s">%d</td>'
                   '<td class="n">%d</td><td class="n">%d</td><td class="n">%d</td><td class="n">%s</td></tr>' % (
                       e(backend), e(info), counts[PASS], " fail" if counts[FAIL] else "", counts[FAIL],
                       counts[KNOWN], counts[SKIP], counts[NOTRUN], e(seconds)))
    out.append("</table>")
    problems = run_problems(report)
    if problems:
        out.append("<p>Problems while running the suite:</p><ul>")
        out += ['<li class="fail">%s: %s</li>' % (e(b), e(p)) for b, p in problems]
        out.append("</ul>")
    out += ["<h2>Results</h2>",
            '<p class="legend">' + "".join('<span class="%s">%s</span>' % (s, e(LABEL[s])) for s in STATUS_ORDER)
            + " [n]: the reason, listed below the table (and shown when the pointer rests on the cell).</p>",
            "<table><tr><th>Test</th>" + "".join("<th>%s</th>" % e(b) for b in report.backends) + "</tr>"]
    for suite, tests in report.suites():
        keys = [(suite, t) for t in tests]
        cells = []
        for backend in report.backends:
            counts = report.totals(backend, keys)
            cells.append('<td class="%s">%s</td>' % (suite_class(counts), e(suite_summary(counts))))
        out.append('<tr class="suite" id="suite-%s"><th>%s (%d)</th>%s</tr>' % (
            e(suite), e(suite), len(tests), "".join(cells)))
        for test in tests:
            cells = []
            for backend in report.backends:
                result = report.get(backend, (suite, test))
                status = result.status if result else NOTRUN
                number = numbers.get((backend, (suite, test)))
                if number:
                    reason = notes.items[number - 1][1]
                    cells.append('<td class="%s" title="%s">%s <sup><a href="#reason-%d">[%d]</a></sup></td>' % (
                        status, e(reason), e(LABEL[status]), number, number))
                else:
                    cells.append('<td class="%s">%s</td>' % (status, e(LABEL[status])))
            out.append('<tr><td class="name">%s.%s</td>%s</tr>' % (e(suite), e(test), "".join(cells)))
    out.append("</table>")
    if notes.items:
        out += ["<h2>Reasons</h2>", '<ol class="reasons">']
        for number, (status, text) in enumerate(notes.items, 1):
            out.append('<li id="reason-%d" class="%s">%s</li>' % (number, status, e(note_text(status, text))))
        out.append("</ol>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_atomically(path, text):
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Runs the conformance suite on every backend and writes a test x backend report "
                    "(Markdown and HTML).")
    parser.add_argument("build_dir", nargs="?", default="build",
                        help="the build tree with bin/cuport-conformance (default: build)")
    parser.add_argument("--out-dir", help="where to write conformance-report.{md,html} (default: the build "
                                          "tree; with --from-results, required)")
    parser.add_argument("--backends", help="comma-separated backends to run (default: all the suite has)")
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds one backend's run may take before the running test is blamed (600)")
    parser.add_argument("--max-reruns", type=int, default=3,
                        help="how many crashed or hung tests one backend may exclude and rerun without (3)")
    parser.add_argument("--from-results", metavar="DIR",
                        help="build the report from saved gtest XML/JSON results in DIR, run nothing")
    parser.add_argument("--quiet", action="store_true", help="print only the paths and the totals")
    args = parser.parse_args(argv)
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, flush=True))
    command = "scripts/conformance_report.py " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:]))

    try:
        if args.from_results:
            if not args.out_dir:
                raise UsageError("--from-results needs --out-dir")
            if not os.path.isdir(args.from_results):
                raise UsageError("%s is not a directory" % args.from_results)
            report = Report()
            if not load_results_dir(args.from_results, report) or not report.tests:
                raise RuntimeError("no gtest results (*.xml, *.json) in %s" % args.from_results)
            out_dir = os.path.abspath(args.out_dir)
        else:
            report, out_dir = run_suite(args, log)
    except UsageError as e:
        print("conformance_report: %s" % e, file=sys.stderr)
        return 2
    except (RuntimeError, OSError, ET.ParseError, ValueError) as e:
        print("conformance_report: %s" % e, file=sys.stderr)
        return 1

    os.makedirs(out_dir, exist_ok=True)
    paths = [os.path.join(out_dir, REPORT_BASENAME + ".md"), os.path.join(out_dir, REPORT_BASENAME + ".html")]
    write_atomically(paths[0], write_markdown(report, command.strip()))
    write_atomically(paths[1], write_html(report, command.strip()))
    for path in paths:
        if os.path.getsize(path) == 0:
            print("conformance_report: %s is empty" % path, file=sys.stderr)
            return 1
        print("conformance report: %s" % path)
    width = max(len(b) for b in report.backends)
    for backend in report.backends:
        line = "  %-*s %s" % (width, backend, totals_line(report.totals(backend)))
        seconds = report.meta.get("runs", {}).get(backend, {}).get("seconds")
        if isinstance(seconds, (int, float)):
            line += " (%.1f s)" % seconds
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
