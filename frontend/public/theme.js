// Apply the saved theme before first paint (no flash). A classic script, loaded by
// index.html before the app: the Content-Security-Policy forbids inline scripts.
try {
  const saved = localStorage.getItem("drs-theme");
  if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
} catch {}
