// Operations history: the profile's ledger from listOperations, newest first.
import { $, errorText, formatTime, h, showModalError } from "./dom.js";
import { openModal, setupModal } from "./modal.js";

export function setupHistory(app) {
  const dialog = $("#history-modal");
  const list = $("#history-list");
  setupModal(dialog);

  $("#open-history").addEventListener("click", async () => {
    list.replaceChildren();
    $("#history-empty").hidden = true;
    $("#history-loading").hidden = false;
    openModal(dialog);
    try {
      const { operations } = await app.rpc.call("listOperations", { profile: app.profile, limit: 100 });
      list.replaceChildren(...operations.map((op) =>
        h("li", { class: `op ${op.outcome}` },
          h("span", { class: "op-what" }, `${op.method} ${op.target}`),
          h("span", { class: `badge ${op.outcome}` }, op.outcome),
          h("span", { class: "op-when" }, formatTime(op.at)),
          op.errorKind || op.detail ? h("span", { class: "op-detail" }, [op.errorKind, op.detail].filter(Boolean).join(": ")) : null)));
      $("#history-empty").hidden = operations.length > 0;
    } catch (error) {
      showModalError(dialog, errorText(error));
    } finally {
      $("#history-loading").hidden = true;
    }
  });
}
