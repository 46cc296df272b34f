// "Copy address" buttons: shown only where the clipboard can be used.
for (const button of document.querySelectorAll("[data-copy-target]")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copyTarget);
    const status = document.getElementById("copy-status");
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = "Address copied.";
    } catch {
      field.select();
      if (status) status.textContent = "Select the address and copy it.";
    }
  });
}
