// The page's behaviour: uploads, timeline edits, the facts form, the build, the picture editor.
// Plain JavaScript, no build step, nothing loaded from elsewhere.
"use strict";

const csrf = document.body.dataset.csrf;

async function send(url, options) {
  const headers = Object.assign({ "X-CSRF-Token": csrf }, options.headers || {});
  const response = await fetch(url, Object.assign({}, options, { headers, credentials: "same-origin" }));
  let body = {};
  try { body = await response.json(); } catch (error) { body = { error: response.statusText }; }
  return { ok: response.ok, status: response.status, body };
}

function postJson(url, data) {
  return send(url, { method: "POST", body: JSON.stringify(data), headers: { "Content-Type": "application/json" } });
}

// Someone changed the folder or case.toml elsewhere: say so (never reload under the user's hands).
let pageSignature = document.body.dataset.signature;
let saving = false;
function acceptChange(signature) { pageSignature = signature; }
async function watchFolder() {
  try {
    const response = await fetch("/state", { credentials: "same-origin" });
    const state = await response.json();
    if (!saving && state.signature !== pageSignature) {
      document.getElementById("changed").hidden = false;
    }
  } catch (error) { /* the server stopped: nothing to do */ }
}
setInterval(watchFolder, 3000);
document.querySelectorAll("[data-reload]").forEach((button) => button.addEventListener("click", () => location.reload()));

async function refreshSignature() {
  const response = await fetch("/state", { credentials: "same-origin" });
  const state = await response.json();
  acceptChange(state.signature);
  return state;
}

// --- Evidence: uploads ---------------------------------------------------------
const fileInput = document.getElementById("files");
const drop = document.getElementById("drop");
const log = document.getElementById("upload-log");

async function upload(files) {
  saving = true;
  let added = 0;
  for (const file of files) {
    const line = document.createElement("li");
    line.textContent = file.name + " …";
    log.appendChild(line);
    try {
      const result = await send("/upload?name=" + encodeURIComponent(file.name), {
        method: "POST", body: file, headers: { "X-File-Modified": String(file.lastModified || "") },
      });
      line.textContent = result.body.message || result.body.error;
      line.className = result.ok ? "ok" : "failed";
      if (result.ok && result.body.added) added += 1;
    } catch (error) {
      line.textContent = file.name + ": " + error;
      line.className = "failed";
    }
  }
  saving = false;
  if (added) {
    // The page is drawn again with the new files; what was said about each one stays.
    const said = Array.from(log.children).map((line) => [line.textContent, line.className]);
    sessionStorage.setItem("upload-log", JSON.stringify(said));
    location.reload();
  } else {
    await refreshSignature();
  }
}

if (log && sessionStorage.getItem("upload-log")) {
  JSON.parse(sessionStorage.getItem("upload-log")).forEach(([text, kind]) => {
    const line = document.createElement("li");
    line.textContent = text;
    line.className = kind;
    log.appendChild(line);
  });
  sessionStorage.removeItem("upload-log");
}

if (fileInput) {
  fileInput.addEventListener("change", () => upload(Array.from(fileInput.files)));
  ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (event) => {
    if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
      event.preventDefault();
      drop.classList.add("over");
    }
  }));
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    upload(Array.from(event.dataTransfer.files));
  });
}

document.querySelectorAll("img[data-fallback]").forEach((image) => {
  image.addEventListener("error", () => image.classList.add("none"));
});

// --- Evidence: caption, date, place --------------------------------------------
async function saveExhibit(path, values, errorLine) {
  saving = true;
  const result = await postJson("/exhibit", Object.assign({ path }, values));
  saving = false;
  if (result.ok) { location.reload(); return; }
  if (errorLine) { errorLine.hidden = false; errorLine.textContent = result.body.error; }
}

document.querySelectorAll(".exhibit-form").forEach((form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const order = form.elements.order.value;
    saveExhibit(form.dataset.path, {
      caption: form.elements.caption.value,
      date: form.elements.date.value,
      order: order ? parseInt(order, 10) : null,
    }, form.querySelector(".error"));
  });
});

document.querySelectorAll("button.move").forEach((button) => {
  button.addEventListener("click", () => {
    const item = button.closest("li.exhibit");
    const number = parseInt(item.dataset.number, 10) + parseInt(button.dataset.move, 10);
    saveExhibit(item.dataset.path, { order: number }, item.querySelector(".error"));
  });
});

// Leaving a file out moves it into the hidden .left-out folder: asked first, undone with "Put back".
document.querySelectorAll("button.leave-out").forEach((button) => {
  button.addEventListener("click", async () => {
    if (!window.confirm(button.dataset.confirm)) return;
    const item = button.closest("li.exhibit");
    saving = true;
    const result = await postJson("/leave-out", { path: item.dataset.path });
    saving = false;
    if (result.ok) location.reload();
  });
});
document.querySelectorAll("button.put-back").forEach((button) => {
  button.addEventListener("click", async () => {
    saving = true;
    const result = await postJson("/put-back", { path: button.dataset.path });
    saving = false;
    if (result.ok) location.reload();
  });
});

// Dragging an exhibit onto another gives it that exhibit's place.
let dragged = null;
document.querySelectorAll("li.exhibit[draggable=true]").forEach((item) => {
  item.addEventListener("dragstart", (event) => {
    dragged = item;
    event.dataTransfer.setData("text/plain", item.dataset.path);
    item.classList.add("dragging");
  });
  item.addEventListener("dragend", () => item.classList.remove("dragging"));
  item.addEventListener("dragover", (event) => { if (dragged) event.preventDefault(); });
  item.addEventListener("drop", (event) => {
    if (!dragged || dragged === item) return;
    event.preventDefault();
    saveExhibit(dragged.dataset.path, { order: parseInt(item.dataset.number, 10) }, null);
  });
});

// --- Case facts ------------------------------------------------------------------
const caseForm = document.getElementById("case-form");
if (caseForm) {
  caseForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("case-status");
    caseForm.querySelectorAll(".error").forEach((line) => { line.hidden = true; line.textContent = ""; });
    caseForm.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
    saving = true;
    const result = await send("/case", { method: "POST", body: new FormData(caseForm) });
    saving = false;
    if (result.ok) {
      caseForm.elements.version.value = result.body.version;
      status.className = "ok";
      status.textContent = caseWords.saved;
      await refreshSignature();
      return;
    }
    status.className = "failed";
    if (result.body.changed) { status.textContent = caseWords.changed; return; }
    status.textContent = caseWords.error;
    showFieldError(result.body.field, result.body.error);
  });
  caseForm.querySelectorAll(".add-row").forEach((button) => button.addEventListener("click", () => addRow(button)));
}
const caseWords = caseForm ? JSON.parse(document.getElementById("case-words").innerHTML) : {};

function showFieldError(key, message) {
  let line = key && document.getElementById("e-" + key);
  if (!line && key) {
    // "order.charges[1]" names a whole row: show it at its first input.
    const field = document.querySelector("[data-field^='" + CSS.escape(key) + "']");
    line = field && field.querySelector(".error");
  }
  if (!line) { line = document.getElementById("case-status"); line.textContent = message; return; }
  line.hidden = false;
  line.textContent = message;
  const input = document.getElementById("f-" + key);
  if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
  else line.scrollIntoView({ block: "center" });
}

function addRow(button) {
  const rows = button.closest(".rows");
  const last = rows.querySelectorAll(".row");
  const template = last[last.length - 1];
  const number = parseInt(template.dataset.row, 10) + 1;
  const copy = template.cloneNode(true);
  copy.dataset.row = String(number);
  const rename = (text) => text.replace(/\[(\d+)\]/, "[" + number + "]");
  copy.querySelectorAll("[id], [name], [for], [aria-describedby], [data-field]").forEach((element) => {
    ["id", "name", "for", "aria-describedby", "data-field"].forEach((attribute) => {
      if (element.hasAttribute(attribute)) element.setAttribute(attribute, rename(element.getAttribute(attribute)));
    });
    if (element.tagName === "INPUT" || element.tagName === "TEXTAREA") element.value = "";
  });
  copy.querySelectorAll("input[type=hidden], .inferred").forEach((element) => element.remove());
  button.before(copy);
  const first = copy.querySelector("input, select, textarea");
  if (first) first.focus();
}

// --- Build -----------------------------------------------------------------------
const buildButton = document.getElementById("build");
if (buildButton) {
  const result = document.getElementById("result");
  const words = JSON.parse(result.dataset.words);
  let shownFinish = null;
  const show = (state) => {
    const progress = document.getElementById("build-progress");
    const status = document.getElementById("build-status");
    const error = document.getElementById("build-error");
    buildButton.disabled = state.status === "running";
    progress.hidden = state.status !== "running";
    if (state.status === "running") {
      const bar = document.getElementById("build-bar");
      bar.max = Math.max(state.total, 1);
      bar.value = state.done;
      document.getElementById("build-step").textContent = state.step;
      status.textContent = words.running;
    }
    if (state.status === "failed") {
      status.textContent = "";
      error.hidden = false;
      error.replaceChildren();
      const title = document.createElement("p");
      title.textContent = words.failed;
      error.appendChild(title);
      state.error.forEach((text) => { const line = document.createElement("p"); line.textContent = text; error.appendChild(line); });
    } else {
      error.hidden = true;
    }
    if (state.status === "done" && shownFinish !== state.finished_at) {
      shownFinish = state.finished_at;
      status.textContent = words.done.replace("{pages}", state.page_count);
      result.hidden = false;
      const pages = document.getElementById("pages");
      pages.replaceChildren();
      for (let number = 1; number <= state.pages; number += 1) {
        const item = document.createElement("li");
        const image = document.createElement("img");
        image.src = "/pages/" + number + ".png?t=" + state.finished_at;
        image.alt = words.page.replace("{number}", number);
        image.loading = number <= 2 ? "eager" : "lazy";
        item.appendChild(image);
        pages.appendChild(item);
      }
      const notes = document.getElementById("build-notes");
      notes.replaceChildren();
      state.notes.forEach((text) => { const line = document.createElement("li"); line.textContent = text; notes.appendChild(line); });
      document.getElementById("build-notes-box").hidden = !state.notes.length;
      document.getElementById("download-manifest").hidden = !state.manifest;
    }
  };
  const poll = async () => {
    const response = await fetch("/build/state", { credentials: "same-origin" });
    const state = await response.json();
    show(state);
    if (state.status === "running") setTimeout(poll, 400);
  };
  buildButton.addEventListener("click", async () => {
    const started = await postJson("/build", { pdfa: document.getElementById("build-pdfa").checked });
    show(started.body);
    if (started.body.started) setTimeout(poll, 300);
    else if (started.body.status === "done") document.getElementById("build-status").textContent = words.unchanged;
  });
  const initial = JSON.parse(result.dataset.state);
  show(initial);
  if (initial.status === "running") poll();
}

// --- Picture editor --------------------------------------------------------------
const editor = document.getElementById("editor");
if (editor) pictureEditor(editor);

function pictureEditor(root) {
  const width = parseFloat(root.dataset.width);
  const height = parseFloat(root.dataset.height);
  const words = JSON.parse(document.getElementById("words").innerHTML);
  const stage = document.getElementById("stage");
  const layer = document.getElementById("boxes");
  const list = document.getElementById("box-list");
  const stored = JSON.parse(root.dataset.marks);
  const toBox = (value) => {
    if (!Array.isArray(value)) return null;
    return value.map((v, i) => {
      if (typeof v === "string" && v.endsWith("%")) return parseFloat(v) / 100 * (i % 2 === 0 ? width : height);
      return Number(v);
    });
  };
  let marks = [];
  (stored.redact || []).forEach((b) => marks.push({ tool: "redact", box: toBox(b), label: "" }));
  (stored.highlight || []).forEach((h) => {
    if (Array.isArray(h)) marks.push({ tool: "rectangle", box: toBox(h), label: "" });
    else marks.push({ tool: h.shape === "ellipse" ? "ellipse" : "rectangle", box: toBox(h.box), label: h.label || "" });
  });
  if (stored.crop) marks.push({ tool: "crop", box: toBox(stored.crop), label: "" });
  const history = [];
  let dirty = false;
  const remember = () => { history.push(JSON.stringify(marks)); dirty = true; };

  const scale = () => stage.querySelector("img").getBoundingClientRect().width / width;
  const tool = () => root.querySelector("input[name=tool]:checked").value;

  function draw() {
    drawBoxes();
    drawList();
  }

  function drawBoxes() {
    const s = scale();
    layer.replaceChildren();
    layer.classList.toggle("result", document.getElementById("show-result").checked);
    marks.forEach((mark, index) => {
      const [x, y, w, h] = mark.box;
      const element = document.createElement("div");
      element.className = "mark " + mark.tool;
      element.style.left = x * s + "px";
      element.style.top = y * s + "px";
      element.style.width = w * s + "px";
      element.style.height = h * s + "px";
      if (mark.label) { const tag = document.createElement("span"); tag.textContent = mark.label; element.appendChild(tag); }
      element.dataset.index = index;
      layer.appendChild(element);
    });
  }

  // The list is drawn again only when boxes come or go, so the focus stays in its inputs.
  function drawList() {
    list.replaceChildren();
    marks.forEach((mark, index) => {
      const item = document.createElement("li");
      const title = document.createElement("span");
      title.textContent = words[mark.tool] + (mark.label ? " “" + mark.label + "”" : "");
      item.appendChild(title);
      ["x", "y", "width", "height"].forEach((name, i) => {
        const label = document.createElement("label");
        label.textContent = words[name] + " ";
        const input = document.createElement("input");
        input.type = "number";
        input.min = "0";
        input.value = Math.round(mark.box[i]);
        input.setAttribute("aria-label", words[mark.tool] + " " + (index + 1) + ": " + words[name]);
        input.addEventListener("change", () => { remember(); mark.box[i] = Math.max(0, parseFloat(input.value) || 0); drawBoxes(); });
        label.appendChild(input);
        item.appendChild(label);
      });
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = words.remove;
      remove.setAttribute("aria-label", words.remove + ": " + words[mark.tool] + " " + (index + 1));
      remove.addEventListener("click", () => { remember(); marks.splice(index, 1); draw(); });
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  let start = null;
  let current = null;
  const point = (event) => {
    const rect = stage.querySelector("img").getBoundingClientRect();
    const s = scale();
    return [
      Math.min(Math.max((event.clientX - rect.left) / s, 0), width),
      Math.min(Math.max((event.clientY - rect.top) / s, 0), height),
    ];
  };
  stage.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    stage.setPointerCapture(event.pointerId);
    start = point(event);
    remember();
    const kind = tool();
    if (kind === "crop") marks = marks.filter((m) => m.tool !== "crop");
    current = { tool: kind, box: [start[0], start[1], 0, 0], label: kind === "rectangle" || kind === "ellipse" ? document.getElementById("mark-label").value : "" };
    marks.push(current);
  });
  stage.addEventListener("pointermove", (event) => {
    if (!current) return;
    const [x, y] = point(event);
    current.box = [Math.min(x, start[0]), Math.min(y, start[1]), Math.abs(x - start[0]), Math.abs(y - start[1])];
    drawBoxes();
  });
  const finish = () => {
    if (!current) return;
    if (current.box[2] < 3 || current.box[3] < 3) { marks.splice(marks.indexOf(current), 1); history.pop(); }
    current = null;
    draw();
  };
  stage.addEventListener("pointerup", finish);
  stage.addEventListener("pointercancel", finish);

  document.getElementById("add-box").addEventListener("click", () => {
    remember();
    const kind = tool();
    marks.push({ tool: kind, box: [Math.round(width / 4), Math.round(height / 4), Math.round(width / 2), Math.round(height / 8)], label: document.getElementById("mark-label").value });
    draw();
    const inputs = list.querySelectorAll("input");
    if (inputs.length) inputs[inputs.length - 4].focus();
  });
  document.getElementById("undo").addEventListener("click", () => {
    if (history.length) { marks = JSON.parse(history.pop()); draw(); }
  });
  document.getElementById("show-result").addEventListener("change", drawBoxes);
  window.addEventListener("resize", drawBoxes);
  stage.querySelector("img").addEventListener("load", draw);
  if (stage.querySelector("img").complete) draw();
  window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); event.returnValue = words.confirm_leave; } });

  document.getElementById("save-marks").addEventListener("click", async () => {
    const round = (box) => box.map((v) => Math.round(v));
    const body = {
      path: root.dataset.path,
      version: root.dataset.version,
      redact: marks.filter((m) => m.tool === "redact").map((m) => round(m.box)),
      highlight: marks.filter((m) => m.tool === "rectangle" || m.tool === "ellipse").map((m) => ({ box: round(m.box), shape: m.tool, label: m.label })),
      crop: (marks.find((m) => m.tool === "crop") || { box: null }).box,
    };
    if (body.crop) body.crop = round(body.crop);
    saving = true;
    const result = await postJson("/marks", body);
    saving = false;
    const status = document.getElementById("marks-status");
    if (result.ok) {
      root.dataset.version = result.body.version;
      dirty = false;
      status.textContent = words.saved;
      status.className = "ok";
      document.getElementById("result-picture").src = "/result/" + encodeURIComponent(root.dataset.path) + "?v=" + result.body.version;
      await refreshSignature();
    } else {
      status.textContent = result.body.error;
      status.className = "failed";
    }
  });
}
