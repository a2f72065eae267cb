"""The exercises on the book site, in Chromium: how long the page's Python takes to load, and
Check -> verdict once it has.

Builds the site (or takes a built one), serves it on 127.0.0.1 and opens a chapter page. It
measures, in the page:
  - first load: from a reader's first Check (no Python in the page yet: the Web Worker starts
    then) to its verdict shown, which is Pyodide loading from the site's own files, the graders
    imported and the first check run; once per fresh browser, `--loads` times;
  - Check -> verdict: from the Check button's click to the verdict shown (the worker's round
    trip, the grader, the text set), for each exercise of the page in turn, `--checks` times:
    a wrong answer in each answer box, each implement-it's model solution (all its cases run).
Prints, after the date, the cores and the load average, p50 and p95 of each (targets: first load
<= 8 s, Check -> verdict p95 <= 100 ms).

    python benchmarks/bench_site_exercises.py [SITE_FOLDER] [--page 04_direct] [--loads 3]
                                              [--checks 200]
"""
import argparse
import datetime
import os

import numpy as np
from bench_site import served_site

TIMED_CHECK = """async (root) => {
    const start = performance.now();
    const shown = new Promise(done => root.addEventListener('convlib-verdict', done, {once: true}));
    root.querySelector('.convlib-check').click();
    await shown;
    return performance.now() - start;
}"""


def first_loads(playwright, url, loads):
    times = []
    for _ in range(loads):
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url, wait_until="load")
        times.append(page.locator(".convlib-exercise").first.evaluate(TIMED_CHECK))
        browser.close()
    return np.array(times) / 1000


def checks(playwright, url, count):
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page()
    page.goto(url, wait_until="load")
    roots = page.locator(".convlib-exercise").all()
    roots[0].evaluate(TIMED_CHECK)   # Python loaded
    table = page.evaluate("async (chapter) => (await fetch(`_static/exercises/${chapter}.json`))"
                          ".json()", roots[0].get_attribute("data-chapter"))
    for root in roots:   # a wrong answer in each answer box; each function its model solution
        entry = table[root.get_attribute("data-key")]
        root.locator(".convlib-answer").fill(
            entry["solution"] if entry["kind"] == "implement" else "[1, 2, 3]")
    times = [roots[n % len(roots)].evaluate(TIMED_CHECK) for n in range(count)]
    browser.close()
    return np.array(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site", nargs="?")
    parser.add_argument("--page", default="04_direct")
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--checks", type=int, default=200)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with served_site(args.site) as base, sync_playwright() as playwright:
        url = base + f"{args.page}.html"
        loads = first_loads(playwright, url, args.loads)
        check = checks(playwright, url, args.checks)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"{now}, {os.cpu_count()} cores, load average {load} (1, 5, 15 min)\n")
    print(f"page {args.page}.html")
    print(f"{'measure':<40}{'runs':>6}{'p50':>9}{'p95':>9}  target")
    print(f"{'first load of Python, to a verdict (s)':<40}{len(loads):>6}"
          f"{np.percentile(loads, 50):>9.2f}{np.percentile(loads, 95):>9.2f}  p95 <= 8 s")
    print(f"{'Check -> verdict, Python loaded (ms)':<40}{len(check):>6}"
          f"{np.percentile(check, 50):>9.1f}{np.percentile(check, 95):>9.1f}  p95 <= 100 ms")


if __name__ == "__main__":
    main()
