// The home page of dossier app: make a case, open it, stop the program.
// Plain JavaScript, no build step, nothing loaded from elsewhere.
"use strict";

const csrf = document.body.dataset.csrf;

// The server stops by itself when no page of it asks anything for a while: say we are here.
setInterval(() => { fetch("/alive", { credentials: "same-origin" }).catch(() => {}); }, 20000);

const form = document.getElementById("new-case");
const input = document.getElementById("case-name");
const error = document.getElementById("case-name-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  input.removeAttribute("aria-invalid");
  let answer = {};
  let ok = false;
  try {
    const response = await fetch("/cases", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Content-Type": "application/json" },
      body: JSON.stringify({ name: input.value }),
    });
    ok = response.ok;
    answer = await response.json();
  } catch (failure) {
    answer = { error: document.body.dataset.unreachable };
  }
  if (ok && answer.address) {
    location.href = answer.address;
    return;
  }
  error.textContent = answer.error || "?";
  input.setAttribute("aria-invalid", "true");
  input.focus();
});

document.getElementById("stop").addEventListener("click", async () => {
  if (!confirm(document.body.dataset.confirmStop)) return;
  try {
    await fetch("/stop", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
  } catch (failure) { /* already stopped */ }
  document.getElementById("running").hidden = true;
  const stopped = document.getElementById("stopped");
  stopped.hidden = false;
  stopped.setAttribute("tabindex", "-1");
  stopped.focus();
});
