// Create modal: area code (three digits, the seed's message), name, fallback defaulting to the
// profile's transfer number.
import { $, errorText, showModalError } from "./dom.js";
import { closeModal, openModal, setupModal } from "./modal.js";

export const AREA_CODE_MESSAGE = "Valid 3-digit area code is required";

export function setupCreate(app) {
  const dialog = $("#create-modal");
  const area = $("#create-area");
  const areaError = $("#create-area-error");
  const name = $("#create-name");
  const fallback = $("#create-fallback");
  const submit = $("#create-submit");
  setupModal(dialog);

  const setAreaError = (on) => {
    areaError.hidden = !on;
    area.setAttribute("aria-invalid", on ? "true" : "false");
  };
  area.addEventListener("input", () => {
    setAreaError(false);
    showModalError(dialog, "");
  });

  $("#open-create").addEventListener("click", async () => {
    app.clearMessages();
    area.value = "";
    name.value = "";
    fallback.value = "";
    setAreaError(false);
    openModal(dialog, area);
    const status = app.status ?? await app.reloadStatus();
    if (!fallback.value) fallback.value = status?.fields?.transferPhoneNumber?.hint ?? "";
  });

  $("#create-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showModalError(dialog, "");
    const code = area.value.trim();
    if (!/^\d{3}$/.test(code)) {
      setAreaError(true);
      area.focus();
      return;
    }
    const params = { profile: app.profile, areaCode: code, idempotencyKey: `web-${crypto.randomUUID()}` };
    if (name.value.trim()) params.name = name.value.trim();
    if (fallback.value.trim()) params.fallbackNumber = fallback.value.trim();
    submit.disabled = true;
    submit.textContent = "Creating…";
    try {
      const number = await app.rpc.call("createNumber", params);
      closeModal(dialog);
      const note = number.status === "activating" ? " It is activating and will be ready in a few minutes." : "";
      app.showSuccess(`Created ${number.number}${number.name ? ` ("${number.name}")` : ""}.${note}`);
      app.refresh();
    } catch (error) {
      if (error.data?.field === "/areaCode") setAreaError(true);
      showModalError(dialog, errorText(error));
    } finally {
      submit.disabled = false;
      submit.textContent = "Create Number";
    }
  });
}
