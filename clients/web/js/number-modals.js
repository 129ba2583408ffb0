// Per-number actions: rename and route to an assistant (updateNumber), release with the number
// typed back (deleteNumber).
import { $, errorText, showModalError } from "./dom.js";
import { closeModal, openModal, setupModal } from "./modal.js";

export function setupNumberActions(app) {
  const edit = $("#edit-modal");
  const release = $("#release-modal");
  const confirm = $("#release-confirm");
  let current = null;
  setupModal(edit);
  setupModal(release);

  const shown = (n) => n.number ?? n.sipUri ?? n.id;

  $("#numbers").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const id = button.closest("li").dataset.id;
    current = app.numbers.find((n) => n.id === id);
    if (!current) return;
    app.clearMessages();
    if (button.dataset.action === "edit") {
      $(".edit-number", edit).textContent = shown(current);
      $("#edit-name").value = current.name ?? "";
      $("#edit-assistant").value = current.assistantId ?? "";
      openModal(edit, $("#edit-name"));
    } else {
      $(".release-number", release).textContent = shown(current);
      confirm.value = "";
      $("#release-submit").disabled = true;
      openModal(release, confirm);
    }
  });

  $("#edit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const params = { profile: app.profile, id: current.id };
    const name = $("#edit-name").value.trim();
    const assistant = $("#edit-assistant").value.trim();
    if (name !== (current.name ?? "")) params.name = name === "" ? null : name;
    if (assistant !== (current.assistantId ?? "")) params.assistantId = assistant === "" ? null : assistant;
    if (Object.keys(params).length === 2) {
      closeModal(edit);
      return;
    }
    try {
      const number = await app.rpc.call("updateNumber", params);
      closeModal(edit);
      app.showSuccess(`Saved ${shown(number)}.`);
      app.refresh();
    } catch (error) {
      showModalError(edit, errorText(error));
    }
  });

  confirm.addEventListener("input", () => {
    $("#release-submit").disabled = confirm.value.trim() === "";
    showModalError(release, "");
  });

  $("#release-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const typed = confirm.value.trim();
    if (!typed) return;
    try {
      const number = await app.rpc.call("deleteNumber", { profile: app.profile, id: current.id, confirm: typed });
      closeModal(release);
      app.showSuccess(`Released ${shown(number)}.`);
      app.refresh();
    } catch (error) {
      showModalError(release, errorText(error));
    }
  });
}
