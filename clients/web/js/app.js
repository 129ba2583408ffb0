// The Phone Numbers page: wires the list, the messages, the profile switcher and the modals.
import { $, errorText, formatDate, h, providerLabel } from "./dom.js";
import { setupCreate } from "./create-modal.js";
import { setupHistory } from "./history-modal.js";
import { setupImport } from "./import-modal.js";
import { setupNumberActions } from "./number-modals.js";
import { setupSettings } from "./settings-modal.js";
import { RpcClient } from "./rpc.js";
import { defaultTransport } from "./transport.js";

const app = {
  rpc: new RpcClient(defaultTransport()),
  profile: sessionStorage.getItem("switchboard.profile") || "default",
  numbers: [],
  status: null,

  showSuccess(text) { banner("#success", text); banner("#error", ""); },
  showError(text) { banner("#error", text); banner("#success", ""); },
  clearMessages() { banner("#success", ""); banner("#error", ""); },
  refresh: () => loadNumbers(),
  reloadStatus: () => loadStatus(),
  switchProfile: (name, options) => switchProfile(name, options),
};

function banner(selector, text) {
  const el = $(selector);
  $(".text", el).textContent = text;
  el.hidden = !text;
}

for (const el of document.querySelectorAll(".banner .dismiss")) {
  el.addEventListener("click", () => { el.parentElement.hidden = true; });
}

// -- the list -------------------------------------------------------------------------------------

let loadSeq = 0;
async function loadNumbers() {
  const seq = ++loadSeq;
  const list = $("#numbers");
  const loading = $("#loading");
  const empty = $("#empty");
  loading.hidden = false;
  loading.textContent = "Loading phone numbers…";
  empty.hidden = true;
  $("#refresh").disabled = true;
  try {
    const result = await app.rpc.call("listNumbers", { profile: app.profile }, {
      onProgress: (v) => { if (v.message && seq === loadSeq) loading.textContent = `Loading phone numbers… ${v.message}`; },
    });
    if (seq !== loadSeq) return;
    app.numbers = result.numbers;
    renderNumbers();
  } catch (error) {
    if (seq !== loadSeq) return;
    app.numbers = [];
    list.replaceChildren();
    empty.hidden = false;
    const needsSetup = error.data?.kind === "credentials.missing";
    empty.replaceChildren(h("p", { class: "state-error" }, errorText(error)));
    if (needsSetup) empty.append(h("button", { type: "button", onclick: () => $("#open-settings").click() }, "Open API Configuration"));
  } finally {
    if (seq === loadSeq) {
      loading.hidden = true;
      $("#refresh").disabled = false;
    }
  }
}

function renderNumbers() {
  const list = $("#numbers");
  const empty = $("#empty");
  list.replaceChildren(...app.numbers.map(numberCard));
  empty.hidden = app.numbers.length > 0;
  if (app.numbers.length === 0) {
    empty.replaceChildren(h("p", {}, "No phone numbers yet. Import one from Twilio or create a free number."));
  }
}

function numberCard(n) {
  const shown = n.number ?? n.sipUri ?? n.id;
  return h("li", { class: "card", "data-id": n.id, "data-number": shown },
    h("div", { class: "card-main" },
      h("div", { class: "number" }, shown),
      h("div", { class: n.name ? "name" : "name unnamed" }, n.name ?? "Unnamed"),
      h("div", { class: "meta" },
        h("span", {}, `Created ${formatDate(n.createdAt)}`),
        n.assistantId ? h("span", {}, `Assistant ${n.assistantId}`) : null,
        n.fallbackDestination?.number ? h("span", {}, `Fallback ${n.fallbackDestination.number}`) : null),
    ),
    h("div", { class: "badges" },
      h("span", { class: `badge provider-${n.provider}` }, providerLabel(n.provider)),
      n.voiceOnly ? h("span", { class: "badge voice" }, "Voice Only") : null,
      n.status && n.status !== "active" ? h("span", { class: "badge status" }, n.status) : null),
    h("div", { class: "card-actions" },
      h("button", { type: "button", class: "secondary small", "data-action": "edit", "aria-label": `Edit ${shown}` }, "Edit"),
      h("button", { type: "button", class: "danger-outline small", "data-action": "release", "aria-label": `Release ${shown}` }, "Release")),
  );
}

// -- credentials and profiles ----------------------------------------------------------------------

async function loadStatus() {
  try {
    app.status = await app.rpc.call("getCredentialStatus", { profile: app.profile });
  } catch (error) {
    app.status = null;
    app.showError(errorText(error));
  }
  return app.status;
}

async function loadProfiles() {
  const select = $("#profile-select");
  let names = [];
  try {
    names = (await app.rpc.call("listProfiles")).profiles.map((p) => p.name);
  } catch (error) {
    app.showError(errorText(error));
  }
  if (!names.includes(app.profile)) names.push(app.profile);
  names.sort();
  select.replaceChildren(
    ...names.map((name) => h("option", { value: name, selected: name === app.profile }, name)),
    h("option", { value: "" }, "New profile…"),
  );
}

/** Shows `name`'s credentials and numbers; `keepMessages` leaves the current banner up. */
async function switchProfile(name, { keepMessages = false } = {}) {
  app.profile = name;
  sessionStorage.setItem("switchboard.profile", name);
  if (!keepMessages) app.clearMessages();
  await loadProfiles();
  await Promise.all([loadStatus(), loadNumbers()]);
}

$("#profile-select").addEventListener("change", (event) => {
  const name = event.target.value;
  if (name === "") {
    event.target.value = app.profile;
    app.openNewProfile();
    return;
  }
  switchProfile(name);
});

$("#refresh").addEventListener("click", () => { app.clearMessages(); loadNumbers(); });

setupImport(app);
setupCreate(app);
setupSettings(app);
setupNumberActions(app);
setupHistory(app);

loadProfiles();
loadStatus();
loadNumbers();
