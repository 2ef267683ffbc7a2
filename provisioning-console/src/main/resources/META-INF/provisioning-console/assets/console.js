// Provisioning console: shows times in the viewer's zone (UTC stays in the title) and refreshes the live part of a
// job or rollout page from the console's own fragment until it reaches a final state. No other requests.
(function () {
  'use strict';

  function localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (el) {
      var d = new Date(el.getAttribute('datetime'));
      if (!isNaN(d.getTime())) {
        el.textContent = d.toLocaleString();
      }
    });
  }

  function poll(container) {
    var url = container.getAttribute('data-live-url');
    var interval = parseInt(container.getAttribute('data-live-interval'), 10) || 2000;
    function done() {
      var inner = container.firstElementChild;
      return inner && inner.getAttribute('data-live-done') === 'true';
    }
    function tick() {
      if (done()) {
        return;
      }
      fetch(url, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html !== null) {
            container.innerHTML = html;
            localTimes(container);
          }
        })
        .catch(function () { /* keep the last content; try again */ })
        .then(function () { setTimeout(tick, interval); });
    }
    setTimeout(tick, interval);
  }

  document.addEventListener('DOMContentLoaded', function () {
    localTimes(document);
    document.querySelectorAll('[data-live-url]').forEach(poll);
  });
})();
