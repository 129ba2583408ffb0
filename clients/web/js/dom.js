// Small DOM and formatting helpers shared by the page's views.

export const $ = (selector, root = document) => root.querySelector(selector);

/** Creates an element: h("li", {class: "card"}, child, "text", …). Text is never parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) + " UTC";
}

export const providerLabel = (provider) =>
  ({ twilio: "Twilio", vapi: "Vapi", vonage: "Vonage", telnyx: "Telnyx", "byo-phone-number": "BYO" })[provider] ?? provider;

/** Shows `message` in a modal's error line (or hides it when empty). */
export function showModalError(dialog, message) {
  const line = dialog.querySelector(".modal-error");
  line.textContent = message ?? "";
  line.hidden = !message;
}

/** A message for any failure: the server's own text for RPC errors. */
export const errorText = (error) => error?.message || String(error);
