// Import modal: voice Twilio numbers as a radio list (or checkboxes for several), a name with the
// 40-character limit, progress while several are imported.
import { $, errorText, h, showModalError } from "./dom.js";
import { closeModal, openModal, setupModal } from "./modal.js";
import { REQUEST_CANCELLED } from "./rpc.js";

export function setupImport(app) {
  const dialog = $("#import-modal");
  const list = $("#import-list");
  const several = $("#import-several");
  const name = $("#import-name");
  const submit = $("#import-submit");
  const progress = $("#import-progress");
  let numbers = [];
  let busy = false;

  let listing = null; // aborts the Twilio listing when the modal closes before it arrives
  setupModal(dialog, { onClose: () => listing?.abort() });

  const selected = () => [...list.querySelectorAll("input:checked")].map((el) => el.value);

  const update = () => {
    const count = selected().length;
    submit.disabled = busy || count === 0;
    submit.textContent = count > 1 ? `Import ${count} Numbers` : "Import Number";
    $("#import-name-label").textContent = several.checked ? "Name prefix (optional)" : "Name (optional)";
    $("#import-name-count").textContent = `${name.value.length}/40 characters`;
  };

  const render = () => {
    const type = several.checked ? "checkbox" : "radio";
    list.replaceChildren(...numbers.map((n) => {
      const id = `tw-${n.sid}`;
      return h("div", { class: n.imported ? "choice imported" : "choice" },
        h("input", { type, id, name: "twilio-number", value: n.sid, disabled: n.imported, onchange: update }),
        h("label", { for: id },
          h("span", { class: "number" }, n.phoneNumber),
          h("span", { class: "friendly" }, n.friendlyName),
          n.imported ? h("span", { class: "badge imported" }, "Already imported") : null));
    }));
    if (numbers.length === 0) list.replaceChildren(h("p", { class: "state" }, "No voice numbers in this Twilio account."));
    update();
  };

  several.addEventListener("change", render);
  name.addEventListener("input", update);

  $("#open-import").addEventListener("click", async () => {
    app.clearMessages();
    numbers = [];
    name.value = "";
    several.checked = false;
    progress.hidden = true;
    $("#import-list-wrap").hidden = true;
    $("#import-loading").hidden = false;
    update();
    openModal(dialog, several);
    const controller = new AbortController();
    listing = controller;
    try {
      const result = await app.rpc.call("listTwilio", { profile: app.profile }, { signal: controller.signal });
      if (controller.signal.aborted) return;
      numbers = result.numbers;
      $("#import-list-wrap").hidden = false;
      render();
      list.querySelector("input:not(:disabled)")?.focus();
    } catch (error) {
      if (error.code !== REQUEST_CANCELLED) showModalError(dialog, errorText(error));
    } finally {
      if (listing === controller) listing = null;
      $("#import-loading").hidden = true;
    }
  });

  $("#import-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const sids = selected();
    if (sids.length === 0 || busy) return;
    busy = true;
    update();
    showModalError(dialog, "");
    const label = name.value.trim() === "" ? "" : several.checked ? name.value : name.value.trim();
    try {
      if (sids.length === 1 && !several.checked) {
        const params = { profile: app.profile, sid: sids[0], idempotencyKey: `web-${crypto.randomUUID()}` };
        if (label) params.name = label;
        const number = await app.rpc.call("importNumber", params);
        closeModal(dialog);
        app.showSuccess(`Imported ${number.number}${number.name ? ` as "${number.name}"` : ""}.`);
      } else {
        progress.hidden = false;
        const bar = $("progress", progress);
        const text = $(".text", progress);
        bar.value = 0;
        text.textContent = `0 of ${sids.length}`;
        const params = { profile: app.profile, sids, idempotencyKey: `web-${crypto.randomUUID()}` };
        if (label) params.namePrefix = label;
        const result = await app.rpc.call("importNumbers", params, {
          onProgress: (v) => {
            if (typeof v.percentage === "number") bar.value = v.percentage;
            if (v.message) text.textContent = v.message;
          },
        });
        bar.value = 100;
        const failures = result.results.filter((r) => !r.ok);
        closeModal(dialog);
        const done = `Imported ${result.imported} of ${sids.length} numbers.`;
        if (failures.length === 0) app.showSuccess(done);
        else {
          const byNumber = new Map(numbers.map((n) => [n.sid, n.phoneNumber]));
          app.showError(`${done} ${failures.map((f) => `${byNumber.get(f.sid) ?? f.sid}: ${f.error.message}`).join(" ")}`);
        }
      }
      app.refresh();
    } catch (error) {
      showModalError(dialog, errorText(error));
    } finally {
      busy = false;
      update();
    }
  });
}
