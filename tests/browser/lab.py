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


def run_all_cells(page, seconds=180):
    """Run > Run All Cells from the menu bar, then wait until no prompt shows [*] and the kernel is idle."""
    page.locator(".jp-NotebookPanel .jp-Cell").first.click()
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
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


def slider(page, explorer, description):
    """The slider labelled `description` inside the explorer-th explorer on the page."""
    box = page.locator(".jp-OutputArea .widget-vbox.convlib-explorer").nth(explorer)
    return box.locator(".widget-slider, .widget-hslider").filter(has=page.locator(f"label:text-is('{description}')"))


def set_slider_by_readout(page, slider_box, value):
    """Type a value into the slider's readout and press Enter, as a user can."""
    readout = slider_box.locator(".widget-readout")
    readout.click()
    readout.press("Control+A")
    readout.type(str(value))
    readout.press("Enter")


def press_slider_key(slider_box, key, times=1):
    """Focus the slider handle and press an arrow key, as a keyboard user does."""
    handle = slider_box.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)
