// Modal dialogs: native <dialog> with a focus trap, Escape to close, and focus returned to the
// control that opened it.

const openers = new WeakMap();

function focusables(dialog) {
  return [...dialog.querySelectorAll("button, input, select, textarea, a[href], [tabindex]:not([tabindex='-1'])")]
    .filter((el) => !el.disabled && !el.hidden && el.offsetParent !== null);
}

/** Prepares a <dialog>: Tab/Shift+Tab cycle inside it, Escape and [data-close] close it. */
export function setupModal(dialog, { onClose } = {}) {
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const items = focusables(dialog);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener("cancel", (event) => { // Escape
    event.preventDefault();
    closeModal(dialog);
  });
  for (const button of dialog.querySelectorAll("[data-close]")) {
    button.addEventListener("click", () => closeModal(dialog));
  }
  dialog.addEventListener("close", () => {
    onClose?.();
    const opener = openers.get(dialog);
    if (opener?.isConnected) opener.focus();
  });
}

export function openModal(dialog, focusTarget) {
  openers.set(dialog, document.activeElement);
  const error = dialog.querySelector(".modal-error");
  if (error) { error.hidden = true; error.textContent = ""; }
  dialog.showModal();
  (focusTarget ?? focusables(dialog)[0])?.focus();
}

export function closeModal(dialog) {
  if (dialog.open) dialog.close();
}
