/* convlib's explorers on the book site, with no kernel: the same controls as in JupyterLab
   (PyTorch's names), over tables of every state that the book build made with convlib itself
   (book/explorer_tables.py). Moving a control clamps the values as convlib.display.settling
   does, with the bounds the table lists, then shows that state's picture (SVG drawn by
   convlib.display.painter), readout and agreement line. Nothing here draws or computes: it looks up.

   A page holds <div class="convlib-static-explorer" data-table="NAME" data-values="{...}"> with
   the saved picture, readout and agreement line in it, and a script that adds the table NAME to
   window.convlibTables and calls window.convlibStart. Plain JavaScript, no framework, no request
   of its own. */
(function () {
  "use strict";

  const PLAY_INTERVAL = 900;   // milliseconds, as the kernel's Play button

  function keyOf(values, names) {
    return names.map((name) => String(values[name])).join(",");
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  class StaticExplorer {
    constructor(root, table, number) {
      this.root = root;
      this.table = table;
      this.id = `convlib-explorer-${number}`;
      this.kinds = Object.fromEntries(table.controls.map((c) => [c.name, c]));
      this.free = table.order.slice(0, table.order.length - table.bounds.length);
      this.values = JSON.parse(root.dataset.values);
      this.picture = root.querySelector(".convlib-picture");
      this.readout = root.querySelector(".convlib-readout");
      this.agreement = root.querySelector(".convlib-agreement");
      this.inputs = {};
      this.timer = null;
      root.querySelector(".convlib-controls").replaceChildren(...this.build());
      this.set({});
      root.classList.add("convlib-live");
    }

    /* convlib.display.settling's settle: each bounded control clamped to its bound in this setting,
       in order; free sliders to their own range. Returns [values, ranges]. */
    settle(values) {
      const ranges = {};
      for (const c of this.table.controls) {
        if (c.kind === "slider") {
          ranges[c.name] = [c.low, c.high];
        } else {
          ranges[c.name] = c.options.length ? c.options : [values[c.name]];
        }
      }
      let known = this.free.length;
      for (const [name, bounds] of this.table.bounds) {
        const top = bounds[keyOf(values, this.table.order.slice(0, known))];
        if (top === undefined) break;
        if (this.kinds[name].kind === "slider") {
          values[name] = Math.min(Math.max(values[name], top[0]), top[1]);
        } else if (!top.includes(values[name])) {
          values[name] = top[top.length - 1];
        }
        ranges[name] = top;
        known += 1;
      }
      for (const name of this.free) {
        const c = this.kinds[name];
        if (c.kind === "slider") values[name] = Math.min(Math.max(values[name], c.low), c.high);
      }
      return [values, ranges];
    }

    build() {
      const row = [];
      for (const c of this.table.controls) {
        const id = `${this.id}-${c.name}`;
        if (c.kind === "slider") {
          const input = element("input", {type: "range", id, step: 1, min: c.low, max: c.high,
                                          name: c.name});
          const shown = element("output", {for: id, class: "convlib-value"});
          input.addEventListener("input", () => this.set({[c.name]: Number(input.value)}));
          this.inputs[c.name] = {input, shown};
          row.push(element("div", {class: "convlib-control convlib-slider"},
                           [element("label", {for: id, text: c.name}), input, shown]));
        } else if (c.kind === "toggle") {
          const buttons = c.options.map((option) => {
            const button = element("button", {type: "button", "data-value": option,
                                              text: option});
            button.addEventListener("click", () => this.set({[c.name]: option}));
            return button;
          });
          this.inputs[c.name] = {buttons};
          row.push(element("div", {class: "convlib-control convlib-toggle", role: "group",
                                   "aria-label": c.name},
                           [element("span", {class: "convlib-name", text: c.name}), ...buttons]));
        } else {
          const select = element("select", {id, name: c.name});
          select.addEventListener("change", () => {
            const option = select.options[select.selectedIndex];
            this.set({[c.name]: JSON.parse(option.dataset.value)});
          });
          this.inputs[c.name] = {select};
          row.push(element("div", {class: "convlib-control convlib-dropdown"},
                           [element("label", {for: id, text: c.name}), select]));
        }
      }
      if (this.table.play) {
        this.playButton = element("button", {type: "button", class: "convlib-play",
                                              "aria-label": `play ${this.table.play}`,
                                              "aria-pressed": "false", text: "▶"});
        this.playButton.addEventListener("click", () => this.play());
        row.push(element("div", {class: "convlib-control"}, [this.playButton]));
      }
      return row;
    }

    /* Set some controls, let the others' ranges follow, show the state. */
    set(changes) {
      const [values, ranges] = this.settle({...this.values, ...changes});
      const state = this.table.states[keyOf(values, this.table.order)];
      if (state === undefined) {
        throw new Error(`convlib explorer ${this.table.explorer}: no state ${keyOf(values, this.table.order)}`);
      }
      this.values = values;
      this.ranges = ranges;
      for (const c of this.table.controls) this.show(c, values[c.name], ranges[c.name]);
      this.paint(state);
    }

    show(c, value, range) {
      const shown = this.inputs[c.name];
      if (c.kind === "slider") {
        shown.input.min = range[0];
        shown.input.max = range[1];
        shown.input.value = value;
        shown.input.setAttribute("aria-valuetext", `${c.name} ${value}`);
        shown.shown.textContent = value;
      } else if (c.kind === "toggle") {
        for (const button of shown.buttons) {
          button.setAttribute("aria-pressed", String(button.dataset.value === String(value)));
        }
      } else {
        const wanted = range.map((option) => JSON.stringify(option)).join(" ");
        if (shown.select.dataset.options !== wanted) {
          shown.select.replaceChildren(...range.map((option) =>
            element("option", {"data-value": JSON.stringify(option), text: option})));
          shown.select.dataset.options = wanted;
        }
        shown.select.selectedIndex = range.findIndex((option) => option === value);
      }
    }

    paint(state) {
      const [blocks, sentences, agreement] = state;
      const texts = this.table.texts;
      this.picture.innerHTML = blocks.map((block) =>
        this.table.blocks[block].map((text) => texts[text]).join("")).join("");
      this.readout.replaceChildren(...sentences.map((s) => element("div", {text: texts[s]})));
      this.agreement.innerHTML = texts[agreement];
      this.root.dispatchEvent(new CustomEvent("convlib-painted", {detail: this.values}));
    }

    /* The Play button: the played slider steps through its range (from its start if at its
       end), one step every PLAY_INTERVAL ms, and stops at its end or when pressed again. */
    play() {
      const name = this.table.play;
      if (this.timer !== null) return this.stop();
      if (this.values[name] >= this.ranges[name][1]) this.set({[name]: this.ranges[name][0]});
      this.playButton.setAttribute("aria-pressed", "true");
      this.playButton.textContent = "❚❚";
      this.timer = setInterval(() => {
        if (this.values[name] >= this.ranges[name][1]) return this.stop();
        this.set({[name]: this.values[name] + 1});
      }, PLAY_INTERVAL);
    }

    stop() {
      clearInterval(this.timer);
      this.timer = null;
      this.playButton.setAttribute("aria-pressed", "false");
      this.playButton.textContent = "▶";
    }
  }

  /* Make every explorer of the page whose table has loaded live (once each). The tables' scripts
     call this too, so the order in which scripts run does not matter. */
  function start() {
    const tables = window.convlibTables || {};
    document.querySelectorAll(".convlib-static-explorer").forEach((root, number) => {
      if (!root.convlibExplorer && tables[root.dataset.table]) {
        root.convlibExplorer = new StaticExplorer(root, tables[root.dataset.table], number);
      }
    });
  }

  window.convlibStart = start;
  document.addEventListener("DOMContentLoaded", start);
  start();
  window.addEventListener("load", () => {
    document.querySelectorAll(".convlib-static-explorer:not(.convlib-live)").forEach((root) =>
      console.error(`convlib: the table ${root.dataset.table} did not load`));
  });
})();
