"""What a learner does in JupyterLab, as Playwright steps: open a chapter, run it, read what it shows.

Every step waits for the exact condition the tests then read (never for a fixed time), with
timeouts generous enough for a busy 2-core machine: CI and learners' laptops are both loaded.
"""
import json
import urllib.request
import warnings

from playwright.sync_api import TimeoutError as PlaywrightTimeout

SECONDS = 1000  # Playwright counts milliseconds
# A code cell's prompt once the kernel has answered it: `[12]:`. Cleared: `[ ]:`, queued/running: `[*]:`.
DONE_PROMPT = r"^\[\d+\]:$"


def go_to_notebook(page, lab, name):
    """Open notebooks/`name` in JupyterLab (a fresh workspace), as a learner's link does."""
    base, token = lab
    page.goto(f"{base}/lab/tree/{name}?token={token}&reset")


def wait_for_notebook(page, seconds=120):
    """Wait until the page shows the notebook's cells and its kernel is connected and idle."""
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=seconds * SECONDS)
    wait_for_kernel_idle(page, seconds)


def wait_for_kernel_idle(page, seconds=120):
    """Wait until the notebook's kernel is connected and idle, as the status bar says
    ("Python 3 (ipykernel) | Idle").

    Not the toolbar's execution indicator: its data-status starts as "idle" before any kernel
    exists, so on a loaded machine that wait passed at once, Run All Cells came while the kernel
    was still initializing, and JupyterLab 4.6 then runs nothing (it only shows a notification).
    """
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(item =>
                   item.title.startsWith('Change kernel for') && / \\| Idle$/.test(item.innerText.trim()))""",
        timeout=seconds * SECONDS)


def menu(page, name, item):
    """Choose `item` from the menu bar's `name` menu, as a user clicks it."""
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=name).click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def prompts_are(page, condition, seconds):
    """Wait until `condition` (JS, over the list of code-cell prompt texts) holds."""
    page.wait_for_function(
        f"""() => {{
              const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
                                 .map(p => p.innerText.trim());
              return prompts.length > 0 && ({condition})(prompts);
            }}""", timeout=seconds * SECONDS)


def run_all_cells(page, seconds=300, tries=3):
    """Edit > Clear Outputs of All Cells, then Run > Run All Cells, as a learner clicks them; wait
    until the kernel has answered every code cell (or an error stopped the run) and is idle.

    Clearing first makes "answered" visible: the saved notebook already shows [1], [2], ... and
    every output the tests then read comes from this run, not from the file. If Run All Cells
    still leaves every cell unqueued for a minute, the page is stuck: on a loaded machine it
    happened after JupyterLab shut down the kernel it had just started and started another
    (server log: "Kernel started: A", "Kernel shutdown: A", "Kernel started: B"). A learner then
    opens the notebook again, and so does this (up to `tries` times), with a warning.
    """
    for attempt in range(1, tries + 1):
        page.locator(".jp-NotebookPanel .jp-Cell").first.click()
        menu(page, "Edit", "Clear Outputs of All Cells")
        prompts_are(page, "ps => ps.every(p => p === '[ ]:')", 60)
        menu(page, "Run", "Run All Cells")
        try:  # started: some cell queued, running or answered
            prompts_are(page, f"ps => ps.some(p => p === '[*]:' || /{DONE_PROMPT}/.test(p))", 60)
            break
        except PlaywrightTimeout:
            if attempt == tries:
                raise
            warnings.warn(f"Run All Cells queued no cell of {page.url} within 60 s (attempt "
                          f"{attempt}); opening it again")
            reopen(page, seconds)
    # Done: every prompt numbered; or nothing queued any more and an error is on screen.
    prompts_are(page, f"""ps => ps.every(p => /{DONE_PROMPT}/.test(p))
                              || (!ps.includes('[*]:') && ps.some(p => /{DONE_PROMPT}/.test(p))
                                  && document.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))""",
                seconds)
    wait_for_kernel_idle(page, seconds)


def reopen(page, seconds=120):
    """Open the page's notebook again in a fresh workspace (as go_to_notebook does), leaving its
    unsaved changes (JupyterLab asks first), and wait for the notebook and an idle kernel.

    A fresh workspace, not a plain reload: every page of the session shares the server's default
    workspace, so a reload would also reopen the chapters other pages have open.
    """
    def leave(dialog):
        dialog.accept()

    page.on("dialog", leave)
    try:
        page.goto(page.url.split("?")[0] + "?reset")
    finally:
        page.remove_listener("dialog", leave)
    wait_for_notebook(page, seconds)


def error_outputs(page):
    """The text of every error or traceback shown in an output area."""
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    return [e for e in errors if "Traceback" in e or "Error" in e]


def lab_setting(lab, plugin, key):
    """A setting as JupyterLab's frontend composes it: the schema's default (which overrides.json
    replaces), unless the user's settings say otherwise. The key must be one JupyterLab knows:
    an override of an unknown key would only add a schema entry that nothing reads."""
    base, token = lab
    with urllib.request.urlopen(f"{base}/lab/api/settings/{plugin}?token={token}", timeout=30) as answer:
        answer = json.load(answer)
    assert "type" in answer["schema"]["properties"][key], f"{plugin} has no setting {key!r}"
    return answer["settings"].get(key, answer["schema"]["properties"][key]["default"])


# An explorer's saved picture as JupyterLab shows it before the cell runs (convlib.display.widget.saved_picture)
SAVED_PICTURE = ".jp-OutputArea-output[data-mime-type='text/html'] img[src^='data:image/svg+xml;']"


def saved_pictures(page, at_least, seconds=120):
    """The explorers' saved pictures on the page, as their alternative texts (their headings),
    once at least `at_least` of them have loaded and have a size."""
    page.wait_for_function(
        """([selector, n]) => [...document.querySelectorAll(selector)]
                                .filter(img => img.complete && img.naturalWidth > 0).length >= n""",
        arg=[SAVED_PICTURE, at_least], timeout=seconds * SECONDS)
    return page.locator(SAVED_PICTURE).evaluate_all("imgs => imgs.map(img => img.alt)")


PICTURE = ".jp-OutputArea .convlib-explorer .convlib-picture svg"


def explorer_pictures(page, at_least, seconds=120):
    """The drawn pictures (SVG in an HTML widget) of the explorers on the page, as their
    headings, once at least `at_least` of them are on the page."""
    page.wait_for_function("([selector, n]) => document.querySelectorAll(selector).length >= n",
                           arg=[PICTURE, at_least], timeout=seconds * SECONDS)
    return page.locator(PICTURE).evaluate_all("svgs => svgs.map(s => s.getAttribute('aria-label'))")


# ---------------------------------------------------------------------------------------------
# one explorer: its sliders, its picture and its readout

def explorer(page, n, root=None):
    """The n-th explorer on the page (0: the first) or under `root`, scrolled into view, drawn."""
    box = (root or page).locator(".jp-OutputArea .convlib-explorer").nth(n)
    box.scroll_into_view_if_needed()
    box.locator(".convlib-picture svg").wait_for()
    box.locator(".convlib-readout").wait_for()
    return box


def slider(box, description):
    """The slider labelled `description` in an explorer."""
    return box.locator(".widget-slider").filter(has=box.page.locator(f"label:text-is('{description}')"))


def readout(box):
    """The explorer's readout: its numbers in words."""
    return box.locator(".convlib-readout").inner_text()


def set_slider_by_readout(slider_box, value):
    """Type a value into the slider's readout and press Enter, as a user can."""
    field = slider_box.locator(".widget-readout")
    field.click()
    field.press("Control+A")
    field.press_sequentially(str(value))
    field.press("Enter")


def press_slider_key(slider_box, key, times=1):
    """Focus the slider handle and press an arrow key, as a keyboard user does."""
    handle = slider_box.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def redrawn(box, change, seconds=60):
    """Do `change` (a function), wait until the picture and the readout are both new; the readout.

    The kernel sends the new picture and the new readout as two messages: both must have arrived
    before the readout is read.
    """
    picture, text = box.locator(".convlib-picture"), box.locator(".convlib-readout")
    before = picture.inner_html(), readout(box)
    handles = picture.element_handle(), text.element_handle()
    change()
    handles[0].owner_frame().wait_for_function(
        """([picture, text, svg, said]) => picture.innerHTML !== svg && picture.querySelector('svg')
                                           && text.innerText !== said""",
        arg=[*handles, *before], timeout=seconds * SECONDS)
    return readout(box)
