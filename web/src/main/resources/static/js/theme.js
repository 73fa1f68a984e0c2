// Applies the saved theme before the page paints (light, dark, or the system's).
(function () {
  var saved = null;
  try { saved = localStorage.getItem('cctracer-theme'); } catch (e) { /* storage off */ }
  var dark = saved ? saved === 'dark' : (window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
})();
