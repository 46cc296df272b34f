// Reordering the agenda plan by dragging: progressive enhancement (the Move up and Move down
// buttons do the same without JavaScript). Dragging only moves rows and renumbers their hidden
// position inputs; the organiser saves as usual.
const table = document.querySelector("[data-agenda-plan]");
const body = table && table.tBodies[0];
if (body && "draggable" in document.createElement("tr")) {
  const status = document.getElementById("plan-status");
  for (const hint of document.querySelectorAll("[data-drag-hint]")) hint.hidden = false;
  let dragged = null;
  const renumber = () => {
    [...body.rows].forEach((row, index) => { row.querySelector("[data-position]").value = String(index); });
    if (status) status.textContent = "Order changed. Save the plan to keep it and to see the new times.";
  };
  for (const row of body.rows) {
    const handle = document.createElement("span");
    handle.className = "cluster-agenda-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.title = "Drag to move";
    handle.textContent = "⠿";
    row.querySelector(".cluster-agenda-order").prepend(handle);
    // Only the handle starts a drag, so that text in the row's inputs can still be selected.
    handle.addEventListener("pointerdown", () => { row.draggable = true; });
    handle.addEventListener("pointerup", () => { row.draggable = false; });
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.slotId);
      row.classList.add("cluster-agenda-dragging");
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("cluster-agenda-dragging");
      row.draggable = false;
      dragged = null;
      renumber();
    });
    row.addEventListener("dragover", (event) => {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      body.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? row.nextSibling : row);
    });
    row.addEventListener("drop", (event) => event.preventDefault());
  }
}
