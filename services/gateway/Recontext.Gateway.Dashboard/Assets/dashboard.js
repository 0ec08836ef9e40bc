// The dashboard's only script. Live pages: the server says (server-sent events) when the run shown moved on; the page
// then fetches itself again and swaps its live part, so curves and tables grow while the run trains. No framework, no
// script from elsewhere; a page without it still shows everything, just without updating itself.
(function () {
  "use strict";
  const source = document.body.dataset.live;
  if (!source || !window.EventSource) return;
  const events = new EventSource(source);
  let busy = false, again = false;

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (!response.ok) return;
      // DOMParser builds inert nodes: nothing in the fetched page runs.
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("live"), current = document.getElementById("live");
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || "0") + 1);
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  events.addEventListener("change", refresh);
  events.addEventListener("end", function () { events.close(); document.body.dataset.ended = "true"; refresh(); });
})();
