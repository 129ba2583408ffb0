// Release several numbers at once (deleteNumbers): the person types "release N numbers" exactly;
// Switchboard compares the text and refuses anything else before any DELETE is sent.
import { $, errorText, h, showModalError } from "./dom.js";
import { openModal, setupModal } from "./modal.js";

const phrase = (count) => `release ${count} numbers`;

export function setupBulkRelease(app) {
  const dialog = $("#bulk-release-modal");
  const confirm = $("#bulk-release-confirm");
  const submit = $("#bulk-release-submit");
  const list = $("#bulk-release-list");
  const progress = $("#bulk-release-progress");
  let chosen = [];
  let released = false;
  setupModal(dialog, {
    onClose: () => { if (released) app.refresh(); },
  });

  const shown = (n) => n.number ?? n.sipUri ?? n.id;

  $("#open-bulk-release").addEventListener("click", () => {
    chosen = app.numbers.filter((n) => app.selected.has(n.id));
    if (chosen.length === 0) return;
    app.clearMessages();
    released = false;
    $(".bulk-release-phrase", dialog).textContent = phrase(chosen.length);
    $("#bulk-release-title").textContent = `Release ${chosen.length} ${chosen.length === 1 ? "number" : "numbers"}`;
    list.replaceChildren(...chosen.map((n) => h("li", { "data-id": n.id },
      h("span", { class: "number" }, shown(n)), " ", h("span", { class: "friendly" }, n.name ?? ""), h("span", { class: "result" }))));
    confirm.value = "";
    confirm.disabled = false;
    submit.disabled = true;
    submit.hidden = false;
    progress.hidden = true;
    $("#bulk-release-cancel").textContent = "Cancel";
    openModal(dialog, confirm);
  });

  confirm.addEventListener("input", () => {
    submit.disabled = confirm.value.trim() === "";
    showModalError(dialog, "");
  });

  $("#bulk-release-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const typed = confirm.value.trim();
    if (!typed || submit.disabled) return;
    submit.disabled = true;
    showModalError(dialog, "");
    progress.hidden = false;
    $("progress", progress).value = 0;
    $(".text", progress).textContent = "Releasing…";
    let answered = false; // progress comes over another channel and may arrive after the reply
    try {
      const result = await app.rpc.call("deleteNumbers", { profile: app.profile, ids: chosen.map((n) => n.id), confirm: typed }, {
        onProgress: (v) => {
          if (answered) return;
          if (typeof v.percentage === "number") $("progress", progress).value = v.percentage;
          if (v.message) $(".text", progress).textContent = v.message;
        },
      });
      answered = true;
      released = true;
      for (const r of result.results) {
        const row = $(`li[data-id="${CSS.escape(r.id)}"]`, list);
        if (!row) continue;
        row.classList.add(r.ok ? "ok" : "failed");
        $(".result", row).replaceChildren(r.ok ? h("span", { class: "badge succeeded" }, "Released")
          : h("span", { class: "result-error" }, errorText(r.error)));
        if (r.ok) app.selected.delete(r.id);
      }
      $("progress", progress).value = 100;
      $(".text", progress).textContent = `Released ${result.released} of ${chosen.length}${result.failed ? `, ${result.failed} failed` : ""}.`;
      confirm.disabled = true;
      submit.hidden = true;
      $("#bulk-release-cancel").textContent = "Close";
      $("#bulk-release-cancel").focus();
      if (result.failed === 0) app.showSuccess(`Released ${result.released} ${result.released === 1 ? "number" : "numbers"}.`);
      else app.showError(`Released ${result.released} of ${chosen.length} numbers; ${result.failed} failed.`);
    } catch (error) {
      answered = true;
      progress.hidden = true;
      submit.disabled = false;
      showModalError(dialog, errorText(error));
      confirm.focus();
    }
  });
}
