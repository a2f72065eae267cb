"""A learner's first screen: JupyterLab as the README's setup command starts it, in a fresh HOME,
on the index chapter. Nothing covers the chapter, its explorer shows its saved picture, and
JupyterLab will save the explorers' widget state with the notebook: the settings come from
convlib's own install (binder/overrides.json), as they do on Binder."""
import json
import time

from conftest import LAUNCH, SCREENSHOTS
from lab import explorer_pictures, lab_setting, menu, saved_pictures, wait_for_notebook

NEWS = "Would you like to get notified about official Jupyter news?"
NOTIFICATIONS = "@jupyterlab/apputils-extension:notification"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def test_the_first_screen_is_the_chapter_alone(page, first_lab):
    page.goto(first_lab.opens.as_uri())   # the page the setup command opens: it leads to the chapter
    wait_for_notebook(page)      # its cells shown, its kernel started and idle
    assert saved_pictures(page, at_least=1)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "first_screen.png"))
    assert page.get_by_text(NEWS).count() == 0
    assert page.locator(".Toastify__toast").count() == 0, "a notification covers the chapter"
    assert page.locator(".jp-Dialog").count() == 0, "a dialog covers the chapter"
    lab = first_lab.lab
    # The prompt and the requests behind it are off, not just late; and a slow kernel start
    # shows no 'Select Kernel' dialog: the chapter's own kernel starts.
    assert lab_setting(lab, NOTIFICATIONS, "fetchNews") == "false"
    assert lab_setting(lab, NOTIFICATIONS, "checkForUpdates") is False
    assert lab_setting(lab, "@jupyterlab/notebook-extension:tracker", "autoStartDefaultKernel") is True
    assert lab_setting(lab, "@jupyter-widgets/jupyterlab-manager:plugin", "saveState") is True


def test_a_notebook_saved_there_keeps_its_widget_state(page, first_lab):
    """Run the index and save it (Ctrl+S): the file then holds its explorer's widget state, so
    GitHub and nbviewer can show the explorer of a notebook a learner saved."""
    page.goto(first_lab.opens.as_uri())
    wait_for_notebook(page)
    menu(page, "Run", "Run All Cells")
    explorer_pictures(page, at_least=1)   # the live explorer, drawn by the kernel
    page.locator(".jp-NotebookPanel .jp-Cell").first.click()
    page.keyboard.press("Control+s")
    saved = first_lab.folder / LAUNCH
    deadline = time.monotonic() + 60
    while WIDGET_STATE not in json.loads(saved.read_text())["metadata"].get("widgets", {}):
        assert time.monotonic() < deadline, "no widget state saved within 60 s"
        time.sleep(0.3)
    state = json.loads(saved.read_text())["metadata"]["widgets"][WIDGET_STATE]["state"]
    assert any(model["model_name"] == "IntSliderModel" for model in state.values())
