// Provisioning console: shows times in the viewer's zone (UTC stays in the title), refreshes the live part of a
// job or rollout page from the console's own fragment until it reaches a final state, and asks an action's
// confirmation in a dialog on the page itself (the confirmation page's form, posted with its CSRF token), so the
// page stays and its live part shows the outcome. Without JavaScript the links open the confirmation pages.
// No request leaves the console.
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

  var refreshers = [];

  function poll(container) {
    var url = container.getAttribute('data-live-url');
    var interval = parseInt(container.getAttribute('data-live-interval'), 10) || 2000;
    function done() {
      var inner = container.firstElementChild;
      return inner && inner.getAttribute('data-live-done') === 'true';
    }
    function load() {
      return fetch(url, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html !== null) {
            container.innerHTML = html;
            localTimes(container);
          }
        })
        .catch(function () { /* keep the last content; try again */ });
    }
    function tick() {
      if (done()) {
        return;
      }
      load().then(function () { setTimeout(tick, interval); });
    }
    refreshers.push(load);
    setTimeout(tick, interval);
  }

  function dialog() {
    var d = document.getElementById('confirm-dialog');
    if (!d) {
      d = document.createElement('dialog');
      d.id = 'confirm-dialog';
      d.setAttribute('aria-labelledby', 'confirm-dialog-title');
      document.body.appendChild(d);
    }
    return d;
  }

  function parse(html) {
    return new DOMParser().parseFromString(html, 'text/html');
  }

  function show(d, main) {
    d.replaceChildren();
    Array.prototype.forEach.call(main.children, function (el) { d.appendChild(document.importNode(el, true)); });
    var title = d.querySelector('h1');
    if (title) {
      title.id = 'confirm-dialog-title';
    }
    if (!d.open) {
      d.showModal();
    }
  }

  function ask(link) {
    fetch(link.href, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) { return r.text().then(function (html) { return {ok: r.ok, doc: parse(html)}; }); })
      .then(function (answer) {
        var main = answer.doc.querySelector('main');
        if (!main) {
          window.location.href = link.href;
          return;
        }
        show(dialog(), main);
      })
      .catch(function () { window.location.href = link.href; });
  }

  function confirmInDialog(form, d) {
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {method: 'POST', credentials: 'same-origin', body: body,
      headers: {'Accept': 'text/html'}})
      .then(function (r) { return r.text().then(function (html) { return {r: r, html: html}; }); })
      .then(function (answer) {
        if (!answer.r.ok) {
          var main = parse(answer.html).querySelector('main');
          if (main) {
            show(d, main);
            return;
          }
        }
        d.close();
        var target = new URL(answer.r.url, window.location.href);
        if (answer.r.redirected && target.pathname !== window.location.pathname) {
          window.location.href = target.href; // e.g. a retry's new job
          return;
        }
        refreshers.forEach(function (load) { load(); });
      })
      .catch(function () { form.submit(); });
  }

  document.addEventListener('click', function (ev) {
    var el = ev.target instanceof Element ? ev.target : null;
    if (!el || typeof HTMLDialogElement !== 'function') {
      return;
    }
    var link = el.closest('a[data-confirm]');
    if (link) {
      ev.preventDefault();
      ask(link);
      return;
    }
    var back = el.closest('#confirm-dialog a[data-role=back]');
    if (back) {
      ev.preventDefault();
      dialog().close();
    }
  });

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    var d = document.getElementById('confirm-dialog');
    if (d && form instanceof HTMLFormElement && d.contains(form)) {
      ev.preventDefault();
      confirmInDialog(form, d);
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    localTimes(document);
    document.querySelectorAll('[data-live-url]').forEach(poll);
  });
})();
