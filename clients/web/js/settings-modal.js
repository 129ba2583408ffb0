// API Configuration: write-only credential fields (only hints show after saving), Verify, and the
// New profile dialog.
import { $, errorText, formatTime, showModalError } from "./dom.js";
import { closeModal, openModal, setupModal } from "./modal.js";

const FIELDS = [
  ["vapiPrivateKey", "#cred-vapi"],
  ["twilioAccountSid", "#cred-sid"],
  ["twilioAuthToken", "#cred-token"],
  ["transferPhoneNumber", "#cred-transfer"],
];
const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function setupSettings(app) {
  const dialog = $("#settings-modal");
  const verifyBox = $("#verify-result");
  setupModal(dialog, { onClose: clearInputs });

  function clearInputs() {
    for (const [, selector] of FIELDS) $(selector).value = "";
  }

  function renderStatus(status) {
    $(".settings-profile", dialog).textContent = app.profile;
    for (const el of dialog.querySelectorAll(".cred-status")) {
      const field = status?.fields?.[el.dataset.field];
      if (!field?.set) el.textContent = "Not set";
      else if (field.corrupt) el.textContent = "Stored value is damaged: enter it again";
      else {
        const when = field.updatedAt ? ` · saved ${formatTime(field.updatedAt)}` : "";
        el.textContent = `Set${field.hint ? ` (${field.hint})` : ""}${when}`;
      }
    }
  }

  $("#open-settings").addEventListener("click", async () => {
    clearInputs();
    verifyBox.hidden = true;
    renderStatus(app.status);
    openModal(dialog);
    renderStatus(await app.reloadStatus());
  });

  $("#settings-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showModalError(dialog, "");
    const params = { profile: app.profile };
    for (const [field, selector] of FIELDS) {
      const value = $(selector).value.trim();
      if (value) params[field] = value;
    }
    if (Object.keys(params).length === 1) {
      showModalError(dialog, "Enter at least one value to save.");
      return;
    }
    try {
      const status = await app.rpc.call("setCredentials", params);
      clearInputs();
      app.status = status;
      renderStatus(status);
      app.showSuccess(`Credentials saved for profile ${app.profile}.`);
      await app.switchProfile(app.profile, { keepMessages: true });
      renderStatus(app.status);
    } catch (error) {
      showModalError(dialog, errorText(error));
    }
  });

  $("#verify").addEventListener("click", async () => {
    showModalError(dialog, "");
    verifyBox.hidden = false;
    verifyBox.textContent = "Checking…";
    try {
      const result = await app.rpc.call("verifyCredentials", { profile: app.profile });
      const line = (label, check) => `${label}: ${check.ok ? "OK" : check.error?.message ?? "not working"}`;
      verifyBox.textContent = `${line("Vapi", result.vapi)}\n${line("Twilio", result.twilio)}`;
      verifyBox.className = `verify ${result.vapi.ok && result.twilio.ok ? "ok" : "bad"}`;
    } catch (error) {
      verifyBox.hidden = true;
      showModalError(dialog, errorText(error));
    }
  });

  // -- New profile ---------------------------------------------------------------------------------
  const profileDialog = $("#profile-modal");
  setupModal(profileDialog);
  app.openNewProfile = () => {
    $("#profile-name").value = "";
    openModal(profileDialog, $("#profile-name"));
  };
  $("#profile-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("#profile-name").value.trim();
    if (!PROFILE_NAME.test(name)) {
      showModalError(profileDialog, "Use 1–64 letters, digits, dots, dashes or underscores.");
      return;
    }
    closeModal(profileDialog);
    await app.switchProfile(name);
    $("#open-settings").click();
  });
}
