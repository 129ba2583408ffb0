// The Phone Numbers page: wires the list, the messages, the profile switcher and the modals.
import { $, errorText, formatDate, h, providerLabel } from "./dom.js";
import { setupBulkRelease } from "./bulk-release-modal.js";
import { setupCreate } from "./create-modal.js";
import { setupHistory } from "./history-modal.js";
import { setupImport } from "./import-modal.js";
import { setupNumberActions } from "./number-modals.js";
import { setupSettings } from "./settings-modal.js";
import { RpcClient } from "./rpc.js";
import { defaultTransport } from "./transport.js";
import { setupUsage } from "./usage.js";

const app = {
  rpc: new RpcClient(defaultTransport()),
  profile: sessionStorage.getItem("switchboard.profile") || "default",
  numbers: [],
  selected: new Set(),
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

// -- the list: filters (listNumbers runs them), selection for bulk release -------------------------------------------------------------------------------------

/** The filters set above the list, as listNumbers params (empty ones left out). */
function filters() {
  const params = {};
  const search = $("#search").value.trim();
  if (search) params.search = search;
  if ($("#filter-provider").value) params.provider = $("#filter-provider").value;
  if ($("#filter-status").value) params.status = $("#filter-status").value;
  return params;
}

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
    const result = await app.rpc.call("listNumbers", { profile: app.profile, ...filters() }, {
      onProgress: (v) => { if (v.message && seq === loadSeq) loading.textContent = `Loading phone numbers… ${v.message}`; },
    });
    if (seq !== loadSeq) return;
    app.numbers = result.numbers;
    renderNumbers();
    app.loadUsage();
  } catch (error) {
    if (seq !== loadSeq) return;
    app.numbers = [];
    list.replaceChildren();
    updateSelection();
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
  const visible = new Set(app.numbers.map((n) => n.id));
  for (const id of app.selected) if (!visible.has(id)) app.selected.delete(id);
  list.replaceChildren(...app.numbers.map(numberCard));
  empty.hidden = app.numbers.length > 0;
  if (app.numbers.length === 0) {
    const filtered = Object.keys(filters()).length > 0;
    empty.replaceChildren(h("p", {}, filtered ? "No phone numbers match these filters."
      : "No phone numbers yet. Import one from Twilio or create a free number."));
  }
  updateSelection();
}

/** Reflects `app.selected` in the "Select all" box and the "Release selected" button. */
function updateSelection() {
  const count = app.selected.size;
  const button = $("#open-bulk-release");
  button.disabled = count === 0;
  button.textContent = count ? `Release selected (${count})` : "Release selected";
  const all = $("#select-all");
  all.checked = count > 0 && count === app.numbers.length;
  all.indeterminate = count > 0 && count < app.numbers.length;
  all.disabled = app.numbers.length === 0;
}

function numberCard(n) {
  const shown = n.number ?? n.sipUri ?? n.id;
  return h("li", { class: "card", "data-id": n.id, "data-number": shown },
    h("input", { type: "checkbox", class: "select", "aria-label": `Select ${shown}`, checked: app.selected.has(n.id) }),
    h("div", { class: "card-main" },
      h("div", { class: "number" }, shown),
      h("div", { class: n.name ? "name" : "name unnamed" }, n.name ?? "Unnamed"),
      h("div", { class: "meta" },
        h("span", {}, `Created ${formatDate(n.createdAt)}`),
        n.assistantId ? h("span", {}, `Assistant ${n.assistantId}`) : null,
        n.fallbackDestination?.number ? h("span", {}, `Fallback ${n.fallbackDestination.number}`) : null),
      h("div", { class: "usage" }),
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

let searchTimer;
$("#search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(loadNumbers, 300);
});
for (const select of ["#filter-provider", "#filter-status"]) $(select).addEventListener("change", () => loadNumbers());

$("#numbers").addEventListener("change", (event) => {
  if (!event.target.matches("input.select")) return;
  const id = event.target.closest("li").dataset.id;
  if (event.target.checked) app.selected.add(id);
  else app.selected.delete(id);
  updateSelection();
});
$("#select-all").addEventListener("change", (event) => {
  app.selected = new Set(event.target.checked ? app.numbers.map((n) => n.id) : []);
  for (const box of document.querySelectorAll("#numbers input.select")) box.checked = event.target.checked;
  updateSelection();
});

setupImport(app);
setupCreate(app);
setupSettings(app);
setupNumberActions(app);
setupHistory(app);
setupUsage(app);
setupBulkRelease(app);

loadProfiles();
loadStatus();
loadNumbers();
