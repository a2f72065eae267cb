/* The chapters' exercises, answered on the book site. Each exercise cell's output holds
   <div class="convlib-exercise" data-key="04.1" data-kind="answer|implement" data-chapter="...">
   with an answer box (or a code box holding the plain-Python template) and Check, Reveal and
   Reset buttons (book/build_book.py writes it). Every verdict, hint, failing case, refusal and
   reveal is the text of convlib's graders (convlib/grading/page.py), run by the page's Python in
   a Web Worker (convlib-python-worker.mjs) that starts only when a reader first touches an
   exercise. What a reader typed, and whether they have tried, is kept in localStorage across
   reloads; Reset forgets one exercise. */
(function () {
  "use strict";

  const STORE = "convlib-exercise:";     // + key: {text, tried}
  const RUNS_READERS_CODE = new Set(["check", "check_function"]);   // what tooLong applies to
  // The worker script sits beside this one in the site's _static/.
  const WORKER = new URL("convlib-python-worker.mjs", document.currentScript.src);

  /* One Python for the page, started on first use; call() sends one request. */
  const python = {
    worker: null,
    answered: false,   // whether this worker's Python has answered yet (has loaded)
    next: 0,
    waiting: new Map(),
    tooLong: 15000,    // ms a reader's answer or function may run before the worker is stopped

    start() {
      if (this.worker) return;
      this.worker = new Worker(WORKER, {type: "module"});
      this.worker.onmessage = (event) => {
        this.answered = true;
        const pending = this.waiting.get(event.data.id);
        if (!pending) return;
        this.waiting.delete(event.data.id);
        clearTimeout(pending.timer);
        if (event.data.error !== undefined) pending.reject(new Error(event.data.error));
        else pending.resolve({right: event.data.right, message: event.data.message,
                              tried: event.data.tried});
      };
      // What was tried before a reload is a try for this page's Python too.
      for (const root of document.querySelectorAll(".convlib-exercise")) {
        if (saved(root.dataset.key).tried) this.call(root.dataset.chapter, "mark_tried",
                                                     root.dataset.key);
      }
    },

    /* A promise of {right, message, tried}. A learner's answer or function that never returns
       stops the worker after tooLong ms of running (Python's first load is not counted); the
       next call starts a new one. */
    async call(chapter, op, key, text) {
      if (RUNS_READERS_CODE.has(op) && !this.answered) await this.send(null, "start");
      return this.send(chapter, op, key, text);
    },

    send(chapter, op, key, text) {
      this.start();
      const id = this.next++;
      return new Promise((resolve, reject) => {
        const timer = RUNS_READERS_CODE.has(op) ? setTimeout(() => {
          this.waiting.delete(id);   // this call's own reason, not stop()'s
          this.stop();
          reject(new Error(`what you wrote ran for more than ${this.tooLong / 1000} s and was `
                           + "stopped"));
        }, this.tooLong) : null;
        this.waiting.set(id, {resolve, reject, timer});
        this.worker.postMessage({id, chapter, op, key, text});
      });
    },

    stop() {
      this.worker.terminate();
      this.worker = null;
      this.answered = false;
      for (const pending of this.waiting.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error("the page's Python was restarted"));
      }
      this.waiting.clear();
    },
  };

  function saved(key) {
    try {
      return JSON.parse(localStorage.getItem(STORE + key)) || {};
    } catch (error) {
      return {};
    }
  }

  function save(key, changes) {
    try {
      localStorage.setItem(STORE + key, JSON.stringify({...saved(key), ...changes}));
    } catch (error) {
      // Storage refused (private mode, full): the page still grades, it only forgets on reload.
    }
  }

  class Exercise {
    constructor(root) {
      this.root = root;
      this.key = root.dataset.key;
      this.chapter = root.dataset.chapter;
      this.box = root.querySelector(".convlib-answer");
      this.verdict = root.querySelector(".convlib-verdict");
      this.template = this.box.defaultValue;
      const kept = saved(this.key);
      if (typeof kept.text === "string") this.box.value = kept.text;
      this.box.addEventListener("input", () => save(this.key, {text: this.box.value}));
      this.box.addEventListener("keydown", (event) => {
        if ((event.key === "Enter" && (event.ctrlKey || event.metaKey))
            || (event.key === "Enter" && this.box.tagName === "INPUT")) {
          event.preventDefault();
          this.check();
        }
      });
      root.querySelector(".convlib-check").addEventListener("click", () => this.check());
      root.querySelector(".convlib-reveal").addEventListener("click", () => this.reveal());
      root.querySelector(".convlib-reset").addEventListener("click", () => this.reset());
      // Python starts loading as soon as a reader reaches for an exercise, not before.
      for (const reached of ["focusin", "pointerenter", "pointerdown"]) {
        root.addEventListener(reached, () => python.start(), {once: true});
      }
      root.classList.add("convlib-live");
    }

    async ask(op, text) {
      this.root.setAttribute("aria-busy", "true");
      this.verdict.className = "convlib-verdict";
      if (!python.answered) this.verdict.textContent = "Starting the page's Python (the first time "
                                                     + "takes a few seconds)...";
      try {
        const found = await python.call(this.chapter, op, this.key, text);
        this.show(found);
        return found;
      } catch (error) {
        this.show({right: false, message: `The page's Python could not answer: ${error.message}`});
        return null;
      } finally {
        this.root.removeAttribute("aria-busy");
      }
    }

    show(found) {
      this.verdict.textContent = found.message;
      const mark = {true: " convlib-right", false: " convlib-wrong"}[found.right] || "";
      this.verdict.className = "convlib-verdict" + mark;
      this.root.dispatchEvent(new CustomEvent("convlib-verdict", {detail: found}));
    }

    async check() {
      const op = this.root.dataset.kind === "implement" ? "check_function" : "check";
      const found = await this.ask(op, this.box.value);
      // A try (right or wrong, not an empty box or the template as given) unlocks Reveal, also
      // after a reload.
      if (found && found.tried) save(this.key, {text: this.box.value, tried: true});
    }

    reveal() {
      return this.ask("reveal");
    }

    reset() {
      try {
        localStorage.removeItem(STORE + this.key);
      } catch (error) {
        // nothing kept
      }
      this.box.value = this.template;
      this.verdict.textContent = "";
      this.verdict.className = "convlib-verdict";
      this.box.focus();
    }
  }

  function start() {
    document.querySelectorAll(".convlib-exercise:not(.convlib-live)").forEach((root) => {
      root.convlibExercise = new Exercise(root);
    });
  }

  window.convlibPython = python;   // for the tests and the benchmark: one Python per page
  document.addEventListener("DOMContentLoaded", start);
  if (document.readyState !== "loading") start();
})();
