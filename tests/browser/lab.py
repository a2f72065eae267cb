"""What a learner does in JupyterLab, as Playwright steps: open a chapter, run it, read what it shows."""
import time

RUNNING = "[*]:"


def open_notebook(page, lab, name):
    base, token = lab
    page.goto(f"{base}/lab/tree/{name}?token={token}&reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    wait_for_kernel_idle(page)


def wait_for_kernel_idle(page, seconds=120):
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', state="attached",
                           timeout=seconds * 1000)


def menu(page, name, item):
    """Choose `item` from the menu bar's `name` menu, as a user clicks it."""
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=name).click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all_cells(page, seconds=180):
    """Run > Run All Cells from the menu bar, then wait until no prompt shows [*] and the kernel is idle."""
    page.locator(".jp-NotebookPanel .jp-Cell").first.click()
    menu(page, "Run", "Run All Cells")
    deadline = time.monotonic() + seconds
    page.wait_for_timeout(500)
    while time.monotonic() < deadline:
        prompts = page.locator(".jp-Cell.jp-CodeCell .jp-InputPrompt").all_inner_texts()
        if prompts and all(p.strip() not in ("", RUNNING) for p in prompts):
            wait_for_kernel_idle(page)
            return
        page.wait_for_timeout(250)
    raise TimeoutError(f"cells still running after {seconds} s")


def error_outputs(page):
    """The text of every error or traceback shown in an output area."""
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    return [e for e in errors if "Traceback" in e or "Error" in e]


def explorer_images(page):
    """The rendered pictures (ipywidgets Image) of every explorer on the page, as their src URLs."""
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-OutputArea img.widget-image')]
                                      .every(img => img.complete && img.naturalWidth > 0)""")
    return page.locator(".jp-OutputArea img.widget-image").evaluate_all("imgs => imgs.map(i => i.src)")


# ---------------------------------------------------------------------------------------------
# one explorer: its sliders, its picture and its readout

def explorer(page, n):
    """The n-th explorer on the page (0: the first), scrolled into view."""
    box = page.locator(".jp-OutputArea .convlib-explorer").nth(n)
    box.scroll_into_view_if_needed()
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
    field.type(str(value))
    field.press("Enter")


def press_slider_key(slider_box, key, times=1):
    """Focus the slider handle and press an arrow key, as a keyboard user does."""
    handle = slider_box.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def redrawn(box, change, seconds=20):
    """Do `change` (a function), wait until the picture and the readout are new; the readout."""
    image = box.locator("img.widget-image")
    before = image.get_attribute("src"), readout(box)
    change()
    box.page.wait_for_function(
        """([img, text, src, said]) => img.src !== src && img.complete && img.naturalWidth > 0
                                       && text.innerText !== said""",
        arg=[image.element_handle(), box.locator(".convlib-readout").element_handle(), *before],
        timeout=seconds * 1000)
    return readout(box)
