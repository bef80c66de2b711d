#!/usr/bin/env python3
"""Unit test of the conformance report generator (scripts/conformance_report.py).

    report_test.py [PATH/TO/conformance_report.py]

1. --from-results on tests/conformance/report-fixture (2 backends x 3 tests, gtest JSON and XML): the
   Markdown must have the expected cells and reasons, the HTML the same cells, colour classes and no
   external assets.
2. The run mode against a fake build tree (bin/cuport-conformance and bin/cuport-info are small Python
   programs that act like gtest and cuport-info): a backend without a device, a test that crashes the suite
   (recorded as a failure, the rest rerun), a test that hangs (stopped after --timeout), and the
   environment the suite runs in.
3. Exit status 1, and no report, when there is no suite to run.
"""
import html.parser
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "conformance_report.py")
FIXTURE = os.path.join(HERE, "report-fixture")


def run_script(*args, env=None):
    p = subprocess.run([sys.executable, SCRIPT] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300, check=False, env=dict(os.environ, **(env or {})))
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class HtmlChecker(html.parser.HTMLParser):
    """Collects the cells' (class, text, title) and checks that tags nest and nothing is loaded."""

    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.cells, self.errors, self._cell = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "link", "img", "iframe") or "src" in attrs:
            self.errors.append("external or active content: <%s>" % tag)
        if "href" in attrs and not attrs["href"].startswith("#"):
            self.errors.append("link out of the page: %s" % attrs["href"])
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "td":
            self._cell = [attrs.get("class", ""), "", attrs.get("title")]

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
        else:
            self.stack.pop()
        if tag == "td" and self._cell:
            self.cells.append(tuple(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data


FAKE_SUITE = textwrap.dedent("""\
    #!{python}
    # A stand-in for cuport-conformance: three backends x three tests, gtest's command line and XML output.
    import fnmatch, os, signal, sys, time
    from xml.sax.saxutils import quoteattr
    TESTS = [("LaunchTest", "Basic"), ("LaunchTest", "Crash"), ("WarpTest", "Slow")]
    BACKENDS = ["cpu", "opencl", "hip"]
    args = dict(a.split("=", 1) if "=" in a else (a, "") for a in sys.argv[1:])
    if "--gtest_list_tests" in args:
        for suite in ("LaunchTest", "WarpTest"):
            print("Backends/%s." % suite)
            for s, t in TESTS:
                for b in BACKENDS:
                    if s == suite:
                        print("  %s/%s  # GetParam() = \\"%s\\"" % (t, b, b))
        sys.exit(0)
    if os.environ.get("CUPORT_BACKEND") != "all":
        print("CUPORT_BACKEND is %r, expected all" % os.environ.get("CUPORT_BACKEND"))
        sys.exit(3)
    positive, _, negative = args.get("--gtest_filter", "*").partition("-")
    if positive == "*/" + os.environ.get("FAKE_DIE_AT_START", "-"):
        os.abort()
    def selected(name):
        return (any(fnmatch.fnmatchcase(name, p) for p in positive.split(":"))
                and not any(fnmatch.fnmatchcase(name, p) for p in negative.split(":") if p))
    cases = []
    for suite, test in TESTS:
        for backend in BACKENDS:
            name = "Backends/%s.%s/%s" % (suite, test, backend)
            if not selected(name):
                continue
            print("[ RUN      ] " + name, flush=True)
            body = ""
            if backend == "hip":
                body = ('<skipped message="x"><![CDATA[/src/cuport_test.h:31\\n'
                        "backend 'hip' unavailable: no HIP device: fake]]></skipped>")
                print("[  SKIPPED ] " + name)
            elif test == "Crash" and backend == "opencl":
                os.kill(os.getpid(), signal.SIGSEGV)
            elif test == "Slow" and backend == "cpu":
                time.sleep(60)
            elif test == "Slow":
                body = '<failure message="m" type=""><![CDATA[/src/warp_test.cu:7\\nExpected: 1 < 2]]></failure>'
                print("[  FAILED  ] " + name)
            else:
                print("[       OK ] " + name)
            cases.append('<testcase name="%s/%s" classname="Backends/%s" status="run" result="%s" time="0.01">'
                         "%s</testcase>" % (test, backend, suite,
                                            "skipped" if "skipped" in body else "completed", body))
    out = args["--gtest_output"].split(":", 1)[1]
    with open(out, "w") as f:
        f.write('<?xml version="1.0"?><testsuites><testsuite name="Backends">%s</testsuite></testsuites>'
                % "".join(cases))
    sys.exit(1 if any("<failure" in c for c in cases) else 0)
    """)

FAKE_INFO = textwrap.dedent("""\
    #!{python}
    print("4 backend(s) requested:")
    print("Backend cpu: loaded, 1 device")
    print("Backend opencl: loaded, 1 device")
    print("Backend hip: not loaded (no HIP device: fake)")
    print('Device 0: "fake CPU" (backend cpu)')
    print('Device 1: "fake OpenCL device" (backend opencl)')
    """)


class FromResults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.rc, cls.out, cls.err = run_script("--from-results", FIXTURE, "--out-dir", cls.tmp.name)
        cls.md_path = os.path.join(cls.tmp.name, "conformance-report.md")
        cls.html_path = os.path.join(cls.tmp.name, "conformance-report.html")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_exit_status_and_summary(self):
        self.assertEqual(self.rc, 0, self.err)
        self.assertIn("conformance report: " + self.md_path, self.out)
        self.assertIn("conformance report: " + self.html_path, self.out)
        self.assertRegex(self.out, r"\n  cpu +2 pass, 1 fail \(0\.4 s\)\n")
        self.assertRegex(self.out, r"\n  opencl +1 pass, 0 fail, 1 known failure, 1 skip \(0\.2 s\)\n")

    def test_markdown_cells(self):
        md = read(self.md_path)
        for line in [
            "| Test | cpu | opencl |",
            "| **LaunchTest** (2) | *1 PASS, 1 FAIL* | *1 PASS, 1 SKIP* |",
            "| LaunchTest.OneDimensional | PASS | PASS |",
            "| LaunchTest.MaximalBlock | **FAIL** [1] | SKIP [2] |",
            "| **WarpTest** (1) | *1 PASS* | *1 known failure* |",
            "| WarpTest.ShuffleModes | PASS | known failure [3] |",
            "1. FAIL: launch_test.cu:57: Expected equality of these values: out[i] Which is: 0 i Which is: 1023",
            "2. SKIP: the device has no block of 1024 threads (max 256)",
            "3. known failure on opencl: shuffles \\| need subgroups (fixture)",
            '| cpu | loaded, 1 device: "cuport CPU (Fixture CPU)" | 2 | 1 | 0 | 0 | 0 | 0.4 s |',
            '| opencl | loaded, 1 device: "fixture OpenCL device" | 1 | 0 | 1 | 1 | 0 | 0.2 s |',
            "- Date: 2026-01-05 10:00:00 UTC",
            "- Machine: Linux fixture 6.1.0 x86_64; CPU: Fixture CPU, 2 cores",
        ]:
            self.assertIn(line + "\n", md)
        # Every table row has as many cells as the header.
        for row in (r for r in md.splitlines() if r.startswith("| ") and "Test" not in r[:7]):
            cells = row.replace("\\|", "").count("|") - 1
            self.assertIn(cells, (3, 8), row)

    def test_html_cells(self):
        page = read(self.html_path)
        checker = HtmlChecker()
        checker.feed(page)
        checker.close()
        self.assertEqual(checker.errors, [])
        self.assertEqual(checker.stack, [])
        self.assertIn("<style>", page)
        cells = checker.cells
        self.assertIn(("pass", "PASS", None), cells)
        self.assertIn(("fail", "FAIL [1]", "launch_test.cu:57: Expected equality of these values: out[i] Which "
                                           "is: 0 i Which is: 1023"), cells)
        self.assertIn(("skip", "SKIP [2]", "the device has no block of 1024 threads (max 256)"), cells)
        self.assertIn(("known", "known failure [3]", "known failure on opencl: shuffles | need subgroups "
                                                     "(fixture)"), cells)
        self.assertIn('<li id="reason-2" class="skip">SKIP: the device has no block of 1024 threads (max 256)'
                      "</li>", page)
        self.assertIn('href="#reason-3"', page)


class RunMode(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = os.path.join(self.tmp.name, "build")
        os.makedirs(os.path.join(self.build, "bin"))
        for name, text in (("cuport-conformance", FAKE_SUITE), ("cuport-info", FAKE_INFO)):
            path = os.path.join(self.build, "bin", name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("{python}", sys.executable))
            os.chmod(path, 0o755)

    def tearDown(self):
        self.tmp.cleanup()

    def test_crash_hang_and_unavailable_backend(self):
        started = time.monotonic()
        rc, out, err = run_script(self.build, "--timeout", "5")
        self.assertEqual(rc, 0, out + err)
        # The hung test was killed at the timeout (it sleeps for 60 s).
        self.assertLess(time.monotonic() - started, 40)
        md = read(os.path.join(self.build, "conformance-report.md"))
        self.assertTrue(os.path.getsize(os.path.join(self.build, "conformance-report.html")) > 0)
        self.assertIn("| Test | cpu | opencl | hip |\n", md)
        self.assertIn("| LaunchTest.Basic | PASS | PASS | SKIP [1] |\n", md)
        self.assertIn("| LaunchTest.Crash | PASS | **FAIL** [2] | SKIP [1] |\n", md)
        self.assertIn("| WarpTest.Slow | **FAIL** [3] | **FAIL** [4] | SKIP [1] |\n", md)
        self.assertIn("1. SKIP: backend 'hip' unavailable: no HIP device: fake\n", md)
        self.assertIn("2. FAIL: the suite died in this test: killed by SIGSEGV\n", md)
        self.assertIn("3. FAIL: timed out (the backend's run was stopped after 5 s)\n", md)
        self.assertIn("4. FAIL: warp_test.cu:7: Expected: 1 &lt; 2\n", md)
        self.assertIn('| cpu | loaded, 1 device: "fake CPU" | 2 | 1 | 0 | 0 | 0 |', md)
        self.assertIn("| hip | not loaded (no HIP device: fake) | 0 | 0 | 0 | 3 | 0 |", md)
        self.assertIn("- cpu: timed out (the backend's run was stopped after 5 s) in Backends/WarpTest.Slow/cpu; "
                      "run again without it\n", md)
        self.assertIn("- opencl: the suite died: killed by SIGSEGV in Backends/LaunchTest.Crash/opencl; run again "
                      "without it\n", md)
        self.assertRegex(out, r"\n  cpu +2 pass, 1 fail \(")
        self.assertRegex(out, r"\n  hip +0 pass, 0 fail, 3 skip \(")
        results = os.path.join(self.build, "conformance-results")
        for name in ("cpu.xml", "opencl.xml", "hip.xml", "meta.json", "opencl.died-1.log"):
            self.assertTrue(os.path.isfile(os.path.join(results, name)), name)
        # The saved results make the same report.
        rc, _, err = run_script("--from-results", results, "--out-dir", self.tmp.name)
        self.assertEqual(rc, 0, err)
        again = read(os.path.join(self.tmp.name, "conformance-report.md"))
        strip = lambda text: [l for l in text.splitlines() if not l.startswith("- Produced by")]
        self.assertEqual(strip(again), strip(md))

    def test_suite_dies_outside_a_test(self):
        rc, out, err = run_script(self.build, "--backends", "hip,opencl", env={"FAKE_DIE_AT_START": "opencl"})
        self.assertEqual(rc, 0, out + err)
        md = read(os.path.join(self.build, "conformance-report.md"))
        self.assertIn("| LaunchTest.Basic | SKIP [1] | not run [2] |\n", md)
        self.assertIn("2. not run: the suite did not finish: the suite died: killed by SIGABRT outside any test\n",
                      md)
        self.assertIn("- opencl: the suite died: killed by SIGABRT outside any test\n", md)
        self.assertIn("| opencl | loaded, 1 device: \"fake OpenCL device\" | 0 | 0 | 0 | 0 | 3 |", md)
        # No backend ran at all: no report, exit status 1.
        os.remove(os.path.join(self.build, "conformance-report.md"))
        rc, out, err = run_script(self.build, "--backends", "opencl", env={"FAKE_DIE_AT_START": "opencl"})
        self.assertEqual(rc, 1, out + err)
        self.assertIn("produced no results on any backend", err)
        self.assertFalse(os.path.exists(os.path.join(self.build, "conformance-report.md")))

    def test_out_dir_and_backends(self):
        out_dir = os.path.join(self.tmp.name, "elsewhere")
        rc, out, err = run_script(self.build, "--out-dir", out_dir, "--backends", "hip")
        self.assertEqual(rc, 0, err)
        self.assertTrue(os.path.isfile(os.path.join(out_dir, "conformance-report.md")))
        self.assertFalse(os.path.exists(os.path.join(self.build, "conformance-report.md")))
        self.assertIn("| Test | hip |\n", read(os.path.join(out_dir, "conformance-report.md")))

    def test_no_suite(self):
        os.remove(os.path.join(self.build, "bin", "cuport-conformance"))
        rc, out, err = run_script(self.build)
        self.assertEqual(rc, 1)
        self.assertIn("cuport-conformance not found", err)
        self.assertFalse(os.path.exists(os.path.join(self.build, "conformance-report.md")))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].endswith(".py"):
        SCRIPT = sys.argv.pop(1)
    unittest.main(verbosity=2)
