"""The explorers on the book site, with no kernel: every explorer of every chapter page is live,
each control moves by keyboard and pointer, and what the page then shows (picture, readout,
agreement line, values, ranges) is what convlib's own explorer shows for the same values.

The site is served on 127.0.0.1 with every other request blocked (conftest.offline_page); the
kernel's explorer is made here, in the test, from the chapter's saved output, exactly as the
book build makes it (book/explorer_tables.make).
"""
import json
import random
import sys

import pytest
from conftest import ROOT

sys.path[:0] = [str(ROOT / "book"), str(ROOT / ".ci")]
import explorer_tables  # noqa: E402
from build_chapters import chapters  # noqa: E402

from convlib.display.widget import readout  # noqa: E402
from convlib.display.states import enumerate_states  # noqa: E402

CHAPTERS = chapters()
PAINTED = 30_000   # milliseconds: how long a page may take to make its explorers live


def kernel_explorers(path):
    """The chapter's explorers, made again from its saved outputs, in page order."""
    return [explorer_tables.make(origin) for _, _, origin in explorer_tables.origins(path)]


def open_chapter(page, served, path):
    """The chapter's page, loaded, with every explorer live; their root elements."""
    page.goto(served + f"{path.stem}.html", wait_until="load")
    roots = page.locator(".convlib-static-explorer")
    page.wait_for_function("() => [...document.querySelectorAll('.convlib-static-explorer')]"
                           ".every(e => e.classList.contains('convlib-live'))", timeout=PAINTED)
    return roots


SHOWN = """(root, expected) => {
    // What a static explorer shows, and whether its picture and agreement line are the DOM of
    // the SVG and HTML `expected` gives (as the browser parses both).
    const x = root.convlibExplorer, parsed = document.createElement('div');
    const picture = root.querySelector('.convlib-picture');
    const shown = {values: {...x.values}, ranges: JSON.parse(JSON.stringify(x.ranges)),
                   readout: [...root.querySelectorAll('.convlib-readout > div')].map(d => d.textContent)};
    if (expected) {
        parsed.innerHTML = expected.svg;
        shown.samePicture = picture.children.length === 1
                            && picture.firstElementChild.isEqualNode(parsed.firstElementChild);
        parsed.innerHTML = expected.agreement;
        shown.sameAgreement = root.querySelector('.convlib-agreement').innerHTML === parsed.innerHTML;
    }
    return shown;
}"""


def shown(root, view=None):
    """What a static explorer shows: its values, each control's range, its readout, and (given
    the kernel's view) whether its picture and agreement line are the view's."""
    expected = view and {"svg": view.picture.svg, "agreement": view.agreement}
    return root.evaluate(SHOWN, expected)


def assert_as_in_the_kernel(root, explorer, asked):
    """The page shows what the kernel's explorer shows for the values `asked` once the kernel
    has clamped them: the same values and ranges, picture, readout and agreement line."""
    view = explorer.view_of(asked)
    assert not view.message
    now = shown(root, view)
    assert now["values"] == view.values
    assert now["samePicture"] and now["sameAgreement"], view.values
    assert now["readout"] == list(view.sentences)
    assert {name: tuple(r) for name, r in now["ranges"].items()} == \
        {name: tuple(r) for name, r in view.ranges.items()}
    return now


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_explorer_is_live_and_moves_by_keyboard_and_pointer(served, offline_page, path):
    """Each slider: a key press (up, or down at its end) and a click at each end of its track;
    each toggle button clicked; each drop-down option chosen; the Play button steps its slider.
    After each, the page shows the kernel's view of its values."""
    page, problems = offline_page
    explorers = kernel_explorers(path)
    roots = open_chapter(page, served, path)
    assert roots.count() == len(explorers) >= 1
    for n, explorer in enumerate(explorers):
        root = roots.nth(n)
        root.scroll_into_view_if_needed()
        now = assert_as_in_the_kernel(root, explorer, explorer.values)   # the saved start
        for name, kind in explorer.spec.controls.items():
            for value, act in actions(page, root, name, kind, now):
                asked = {**now["values"], name: value}
                act()
                now = assert_as_in_the_kernel(root, explorer, asked)
                assert now["values"][name] == value
        if explorer.spec.play:
            play_steps(root, explorer)
    assert not problems, "\n".join(problems)


def actions(page, root, name, kind, now):
    """(value, act) for each way of moving a control that the test tries, in turn, from what the
    page shows `now`: a slider's arrow key (up, or down at its end), then a drag with the pointer
    past the end of its track it is further from; each toggle button; each drop-down option."""
    if hasattr(kind, "high"):   # a slider
        slider = root.locator(f"input[name='{name}']")
        value, (low, high) = now["values"][name], now["ranges"][name]
        if low == high:
            return
        key, value = ("ArrowRight", value + 1) if value < high else ("ArrowLeft", value - 1)
        yield value, lambda: slider.press(key)
        end = high - value < value - low   # 1: the low end is further

        def drag():   # press on the track, drag past its end, let go
            box = slider.bounding_box()
            y = box["y"] + box["height"] / 2
            page.mouse.move(box["x"] + box["width"] / 2, y)
            page.mouse.down()
            page.mouse.move(box["x"] + (-40 if end else box["width"] + 40), y, steps=3)
            page.mouse.up()
        yield (low if end else high), drag
    elif kind.kind == "toggle":
        for option in kind.options:
            yield option, root.locator(f"[aria-label='{name}'] button[data-value='{option}']").click
    else:
        select = root.locator(f"select[name='{name}']")
        for option in list(now["ranges"][name]):
            yield option, lambda option=option: select.select_option(label=str(option))


def play_steps(root, explorer):
    """From the saved start (the other sliders may have left the played one a range of one
    value), play from the start of the played slider: it steps up by one, then Pause stops it."""
    name = explorer.spec.play
    root.evaluate("(root, values) => root.convlibExplorer.set(values)", explorer.values)
    now = shown(root)
    low, high = now["ranges"][name]
    assert low < high, "nothing to play"
    start = {**now["values"], name: low}
    root.evaluate("(root, values) => root.convlibExplorer.set(values)", start)
    root.locator(".convlib-play").click()
    root.evaluate(f"""(root) => new Promise(done => root.addEventListener('convlib-painted',
        e => {{ if (e.detail.{name} === {start[name]} + 1) done(); }}))""")
    root.locator(".convlib-play").click()   # pause
    assert root.locator(".convlib-play").get_attribute("aria-pressed") == "false"
    assert_as_in_the_kernel(root, explorer, {**start, name: start[name] + 1})


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_same_picture_everywhere(served, offline_page, path, sample=12):
    """For a sample of every explorer's states (its first, its last and random ones between):
    the site's picture and readout are the kernel explorer's for the same values."""
    page, problems = offline_page
    explorers = kernel_explorers(path)
    roots = open_chapter(page, served, path)
    chosen = random.Random(path.stem)
    for n, explorer in enumerate(explorers):
        listing = enumerate_states(explorer).values
        picked = [listing[0], listing[-1]] + chosen.sample(listing, min(sample, len(listing)))
        views = [explorer.view_of(values) for values in picked]
        found = roots.nth(n).evaluate("""(root, [states, show]) => states.map(([values, expected]) => {
            root.convlibExplorer.set(values);
            return (0, eval)(show)(root, expected);
        })""", [[[v.values, {"svg": v.picture.svg, "agreement": v.agreement}] for v in views],
                SHOWN])
        for view, now in zip(views, found):
            assert now["values"] == view.values
            assert now["samePicture"] and now["sameAgreement"], view.values
            assert readout(now["readout"]) == readout(view.sentences)
    assert not problems, "\n".join(problems)
