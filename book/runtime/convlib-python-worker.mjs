/* The page's Python, in a Web Worker: Pyodide (CPython compiled to WebAssembly, from the site's
   own _static/pyodide/, copied and checked by book/npm_packages.py) running convlib's graders
   (convlib/grading, plain Python, the very code the kernel grades with) over the chapter's
   exercise table that the book build computed with convlib and PyTorch.

   It starts when the page first sends it a message (convlib-exercises.js creates it only when a
   reader first touches an exercise), so a page that is only read never loads Python. Messages:
   {id, chapter, op, key, text}, op one of check, check_function, reveal, mark_tried (or start:
   Python loaded, nothing asked); the answer {id, right, message} is grading.page's, with tried
   (whether the exercise counts as tried, which unlocks Reveal), or {id, error} if Python itself
   failed. */
import { loadPyodide } from "./pyodide/pyodide.mjs";

const HERE = new URL(".", import.meta.url);

const GLUE = `
import json, sys
sys.path.insert(0, "/home/pyodide")
from grading.page import Page

_pages = {}


def _tuples(found):
    """book/exercise_tables.keeping_tuples, undone: {"tuple": [...]} is a tuple again."""
    return tuple(found["tuple"]) if found.keys() == {"tuple"} else found


def convlib_call(chapter, table, op, key, text):
    if chapter not in _pages:
        _pages[chapter] = Page(json.loads(table, object_hook=_tuples))
    page = _pages[chapter]
    method = getattr(page, op)
    found = (method(key) if text is None else method(key, text)) or {"right": None, "message": ""}
    return json.dumps({**found, "tried": key in page.session.tried})
`;

async function fetched(path) {
  const response = await fetch(new URL(path, HERE));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.text();
}

/* Python with the grading package in its file system and the glue above defined. */
async function start() {
  const [pyodide, sources] = await Promise.all([
    loadPyodide({indexURL: new URL("pyodide/", HERE).href}),
    fetched("python/grading.json").then(JSON.parse),
  ]);
  pyodide.FS.mkdirTree("/home/pyodide/grading");
  for (const [name, source] of Object.entries(sources)) {
    pyodide.FS.writeFile(`/home/pyodide/grading/${name}`, source);
  }
  pyodide.runPython(GLUE);
  return pyodide.globals.get("convlib_call");
}

const tables = {};
let ready = null;

self.onmessage = async (event) => {
  const {id, chapter, op, key, text} = event.data;
  try {
    ready = ready || start();
    if (op === "start") {   // only Python loaded, nothing asked
      await ready;
      self.postMessage({id, right: null, message: "", tried: false});
      return;
    }
    tables[chapter] = tables[chapter] || fetched(`exercises/${chapter}.json`);
    const [call, table] = await Promise.all([ready, tables[chapter]]);
    // undefined, not null, is None in Python (null is pyodide.ffi.jsnull)
    const found = JSON.parse(call(chapter, table, op, key, text ?? undefined));
    self.postMessage({id, right: found.right, message: found.message, tried: found.tried});
  } catch (error) {
    self.postMessage({id, error: String(error && error.message || error)});
  }
};
