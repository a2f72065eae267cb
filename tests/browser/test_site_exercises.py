"""The exercises on the book site: every exercise answered in the page, graded by the page's own
Python (Pyodide in a Web Worker, from the site's files) with convlib's graders, and each verdict
the kernel's.

Every answer exercise gets the answers tests/test_exercises.py lists (the answer, OTHER_RIGHT,
WRONG), typed as a reader would type them; every implement-it exercise its plain-Python model
solution and a wrong one. The page's verdict is compared with what `grade` and `grade_function`
print in this process for the same value. Most go through the page's worker API in one page, so
Python loads once; a few go through the real controls (typing, keys, Check, Reveal, Reset, a
reload).
"""
import ast
import contextlib
import gzip
import io
import sys

import pytest
from axe import violations
from conftest import ROOT, TIMEOUT, offline

sys.path[:0] = [str(ROOT / "tests"), str(ROOT / ".ci")]
import convlib.exercises as exercises  # noqa: E402
from build_chapters import chapters  # noqa: E402
from convlib.exercises import EXERCISES, grade, grade_function, revealed, table  # noqa: E402
from convlib.grading.values import as_lists, shown  # noqa: E402
from convlib.grading.verdicts import KERNEL, PAGE  # noqa: E402
from test_exercises import OTHER_RIGHT, WRONG, written  # noqa: E402

TABLE = table()
ANSWERS = sorted(k for k, e in TABLE.items() if e["kind"] == "answer")
IMPLEMENTS = sorted(k for k, e in TABLE.items() if e["kind"] == "implement")
CHAPTER = {path.stem[:2]: path.stem for path in chapters()}
SITE_BUDGET = 75e6            # bytes: the whole site
FIRST_LOAD_BUDGET = 2e6       # bytes gzipped: what a chapter page loads before any exercise
LATE = 3                      # the wrong function goes wrong from its third call on

CALLS = """async (asked) => {
    const found = [];
    for (const [chapter, op, key, text] of asked) {
        found.push(await window.convlibPython.call(chapter, op, key, text));
    }
    return found;
}"""


def kernel(function, key, *args):
    """(right, what it printed) of a kernel-side grader, in the page's words for how to reveal
    (Words: 'Reveal' for 'reveal("04.1")'; nothing else differs)."""
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        right = function(key, *args)
    return bool(right), said.getvalue().rstrip("\n").replace(KERNEL.reveal.format(key=key),
                                                             PAGE.reveal.format(key=key))


def offline_context(browser):
    """(context, page, problems): a page of its own, offline (conftest.offline), patient."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT * 1000)
    return (context, *offline(context.new_page()))


def asked(page, *requests):
    """The page's answers to (op, key, text) requests, in order: [{right, message, tried}]."""
    return page.evaluate(CALLS, [[CHAPTER[key[:2]], op, key, text] for op, key, text in requests])


@pytest.fixture(scope="module")
def python_page(browser, served):
    """(page, problems): a chapter page, offline, whose Python has loaded."""
    context, page, problems = offline_context(browser)
    page.goto(served + f"{CHAPTER['04']}.html", wait_until="load")
    asked(page, ("check", "04.1", ""))   # Python loaded; an empty box is no try
    try:
        yield page, problems
    finally:
        context.close()


@pytest.fixture(autouse=True)
def fresh_kernel():
    exercises.TRIED.clear()
    yield
    exercises.TRIED.clear()


@pytest.mark.parametrize("key", ANSWERS)
def test_every_answer_gets_the_kernels_verdict_in_the_page(python_page, key):
    """Typed as a reader types it (convlib.grading.values.shown), each answer gets in the page
    the verdict `grade` prints for it. Reveal refuses before a try; once a try is known (the page
    tells its Python of the tries kept across a reload: mark_tried) it shows what the kernel's
    reveal shows."""
    page, problems = python_page
    answer = EXERCISES[key].expected()
    right = [written(v, answer) for v in [answer, *OTHER_RIGHT[key]]]
    wrong = [written(v, answer) for v in WRONG[key]]
    texts = [shown(value) for value in right + wrong]
    before, _, after, *checked = asked(page, ("reveal", key, None), ("mark_tried", key, None),
                                       ("reveal", key, None),
                                       *[("check", key, text) for text in texts])
    assert before["message"].startswith(f"Try {key} first") and not before["tried"]
    is_right = [True] * len(right) + [False] * len(wrong)
    for value, text, found, should in zip(right + wrong, texts, checked, is_right):
        in_kernel = kernel(grade, key, ast.literal_eval(text))
        assert (found["right"], found["message"]) == in_kernel, text
        assert found["right"] == should == kernel(grade, key, value)[0], text
    assert after["message"] == revealed(key)
    assert not problems, "\n".join(problems)


def wrong_source(entry):
    """The model solution, wrapped to go wrong by one from its LATE-th call on."""
    name, parameters = entry["name"], ", ".join(entry["parameters"])
    return (entry["solution"] + OFF_BY_ONE + f"\n\n_right, _calls = {name}, []\n\n\n"
            f"def {name}({parameters}):\n    _calls.append(1)\n    found = _right({parameters})\n"
            f"    return found if len(_calls) < {LATE} else off_by_one(found)\n")


OFF_BY_ONE = '''

def off_by_one(found):
    """found with its first number one more."""
    if isinstance(found, (list, tuple)):
        return [off_by_one(found[0]), *found[1:]] if found else [1]
    return found + 1
'''
exec(OFF_BY_ONE)


def wrong_kernel(ex):
    """The kernel's model solution, wrong in the same way as wrong_source's."""
    calls = []

    def wrong(*args):
        calls.append(1)
        found = as_lists(ex.solution(*args))
        return found if len(calls) < LATE else off_by_one(found)   # noqa: F821 (exec above)
    wrong.__name__ = ex.solution.__name__
    return wrong


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_every_model_solution_passes_in_the_page_and_a_wrong_one_fails_as_in_the_kernel(
        python_page, key):
    page, problems = python_page
    entry, ex = TABLE[key], EXERCISES[key]
    template, before, model, wrong, after = asked(
        page, ("check_function", key, entry["template"]), ("reveal", key, None),
        ("check_function", key, entry["solution"]), ("check_function", key, wrong_source(entry)),
        ("reveal", key, None))
    assert template["message"].startswith("Not answered yet") and not template["tried"]
    assert before["message"].startswith(f"Try {key} first")
    assert model["right"] is True and model["message"] == kernel(grade_function, key,
                                                                 ex.solution)[1]
    right, said = kernel(grade_function, key, wrong_kernel(ex))
    # The page's hint is the plain-Python one where the kernel's names NumPy (plain_hint).
    in_kernel = right, said.replace(f"Hint: {ex.hint}\n", f"Hint: {entry['hint']}\n")
    assert (wrong["right"], wrong["message"]) == in_kernel
    assert not in_kernel[0] and "\nexpected: " in in_kernel[1]
    solution = entry["solution"].rstrip()
    assert after["message"].startswith(f"{key}, one way to write it:\n\n{solution}")
    first_case = revealed(key).split("\n\nIts first case: ")[1]
    assert after["message"].endswith(f"\n\nIts first case: {first_case}")
    assert not problems, "\n".join(problems)


def test_the_controls_by_keyboard_and_pointer_and_what_a_reload_keeps(browser, served):
    """Chapter 04's page: no Python until an exercise is touched; the explorers move while it
    loads; an answer typed and checked from the keyboard alone; Reveal refused, then shown;
    the code box's template, then the model solution; a reload keeps the answers and the try;
    Reset forgets one exercise."""
    context, page, problems = offline_context(browser)
    python = []
    page.on("request", lambda r: "/_static/pyodide/" in r.url and python.append(r.url))
    page.goto(served + f"{CHAPTER['04']}.html", wait_until="load")
    box = {key: page.locator(f"[data-key='{key}']") for key in ("04.1", "04.3", "04.5")}
    verdict = {key: root.locator(".convlib-verdict") for key, root in box.items()}
    assert not python and page.evaluate("window.convlibPython.worker") is None

    # Reveal before a try: refused (Python starts on that first touch). Meanwhile an explorer
    # still moves: its new picture comes before Python has answered.
    box["04.1"].locator(".convlib-reveal").click()
    slider = page.locator(".convlib-static-explorer input[type=range]").first
    slider.evaluate("s => { window.painted = false; s.closest('.convlib-static-explorer')"
                    ".addEventListener('convlib-painted', () => { window.painted = true; }); }")
    slider.focus()
    page.keyboard.press("ArrowRight" if slider.input_value() != slider.get_attribute("max")
                        else "ArrowLeft")
    page.wait_for_function("window.painted")
    assert verdict["04.1"].text_content().startswith("Starting the page's Python")
    page.wait_for_function("e => e.textContent.startsWith('Try 04.1 first')",
                           arg=verdict["04.1"].element_handle())

    # 04.3 from the keyboard alone: type, Enter checks; Tab to Reveal, Enter shows the answer.
    box["04.3"].locator("input").focus()
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expected = kernel(grade, "04.3", 4)[1]
    page.wait_for_function("([e, text]) => e.textContent === text",
                           arg=[verdict["04.3"].element_handle(), expected])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Reveal"
    page.keyboard.press("Enter")
    page.wait_for_function("([e, text]) => e.textContent === text",
                           arg=[verdict["04.3"].element_handle(), revealed("04.3")])
    found = violations(page)   # the controls with their verdicts shown
    assert not found, "\n".join(found)

    # 04.5: the code box holds the template; checked as given it is not answered; the model
    # solution, checked with Ctrl+Enter, is right.
    code = box["04.5"].locator("textarea")
    assert code.input_value() == TABLE["04.5"]["template"]
    assert "plain Python over lists" in box["04.5"].text_content()
    box["04.5"].locator(".convlib-check").click()
    page.wait_for_function("e => e.textContent.startsWith('Not answered yet')",
                           arg=verdict["04.5"].element_handle())
    code.fill(TABLE["04.5"]["solution"])
    code.press("Control+Enter")
    page.wait_for_function("e => e.textContent.startsWith('Right! (all ')",
                           arg=verdict["04.5"].element_handle())

    # Reset forgets 04.3 only; a reload keeps what was typed in the others and their tries (told
    # to the page's Python when it starts again, mark_tried: see
    # test_every_answer_gets_the_kernels_verdict_in_the_page), and loads no Python by itself.
    box["04.3"].locator(".convlib-reset").click()
    assert box["04.3"].locator("input").input_value() == "" and verdict["04.3"].text_content() == ""
    assert page.evaluate("localStorage.getItem('convlib-exercise:04.3')") is None
    box["04.1"].locator("input").fill("[3, 12, 9]")
    page.reload(wait_until="load")
    assert box["04.1"].locator("input").input_value() == "[3, 12, 9]"
    assert box["04.3"].locator("input").input_value() == ""
    assert code.input_value() == TABLE["04.5"]["solution"]
    assert page.evaluate("JSON.parse(localStorage.getItem('convlib-exercise:04.5')).tried")
    assert page.evaluate("window.convlibPython.worker") is None
    context.close()
    assert not problems, "\n".join(problems)


def check(page, key, text, verdict):
    """Type `text` in exercise `key`'s box, press Check, and wait until the page says `verdict`."""
    root = page.locator(f"[data-key='{key}']")
    root.locator(".convlib-answer").fill(text)
    root.locator(".convlib-check").click()
    page.wait_for_function("([e, text]) => e.textContent === text",
                           arg=[root.locator(".convlib-verdict").element_handle(), verdict])


def test_what_runs_too_long_is_stopped_and_the_pages_python_starts_again(browser, served):
    """The page runs what a reader writes, as the kernel does: an answer or a function that never
    returns stops the page's Python after its time (15 s; 2 s here), the reader is told so, and
    the next Check starts a new Python that grades as before."""
    context, page, problems = offline_context(browser)
    page.goto(served + f"{CHAPTER['04']}.html", wait_until="load")
    page.evaluate("window.convlibPython.tooLong = 2000")
    stopped = ("The page's Python could not answer: what you wrote ran for more than 2 s and was "
               "stopped")
    for key, text in (("04.1", "sum(range(10 ** 15))"), ("04.5", "while True:\n    pass\n")):
        check(page, key, text, stopped)
        assert page.evaluate("window.convlibPython.worker") is None
    answer = shown(EXERCISES["04.1"].expected())
    check(page, "04.1", answer, kernel(grade, "04.1", ast.literal_eval(answer))[1])
    context.close()
    assert not problems, "\n".join(problems)


def test_the_site_and_a_chapters_first_load_stay_small(site, served, browser):
    """The site folder is <= 75 MB; the heaviest chapter page loads <= 2 MB gzipped, none of it
    the page's Python (which loads on first use only)."""
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert size <= SITE_BUDGET, f"the site is {size / 1e6:.1f} MB"
    heaviest = max(chapters(), key=lambda p: (site / f"{p.stem}.html").stat().st_size + sum(
        t.stat().st_size for t in (site / "_static" / "explorers").glob("*.js")
        if t.name in (site / f"{p.stem}.html").read_text()))
    context, page, problems = offline_context(browser)
    loaded = []
    page.on("response", lambda r: loaded.append(r))
    page.goto(served + f"{heaviest.stem}.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    bodies = {r.url: r.body() for r in loaded if r.ok}
    context.close()
    assert not [url for url in bodies if "/_static/pyodide/" in url or "/_static/python/" in url]
    packed = sum(len(gzip.compress(body, 6)) for body in bodies.values())
    assert packed <= FIRST_LOAD_BUDGET, f"{heaviest.stem}: {packed / 1e6:.2f} MB gzipped"
    assert not problems, "\n".join(problems)
