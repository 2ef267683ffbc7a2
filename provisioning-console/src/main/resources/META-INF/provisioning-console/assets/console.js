// Provisioning console: shows times in the viewer's zone (UTC stays in the title), refreshes the live part of a
// job or rollout page from the console's own fragment until it reaches a final state, and asks an action's
// confirmation in a dialog on the page itself (the confirmation page's form, posted with its CSRF token), so the
// page stays and its live part shows the outcome. The live part follows the page's event stream where EventSource
// exists (data-live="stream": each message re-fetches the fragment) and polls the fragment otherwise or once the
// stream failed (data-live="poll"). Without JavaScript the links open the confirmation pages and the pages render
// fully. No request leaves the console.
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

  function done(container) {
    var inner = container.firstElementChild;
    return !!inner && inner.getAttribute('data-live-done') === 'true';
  }

  // Updates the live part in place: nodes that did not change stay (a screen reader announces only what changed and a
  // reference to an element stays valid); nodes of another kind are inserted or removed.
  function sameKind(a, b) {
    return a.nodeType === b.nodeType && a.nodeName === b.nodeName && (a.nodeType !== 1
      || (a.getAttribute('data-role') === b.getAttribute('data-role') && a.className === b.className));
  }

  function morph(from, to) {
    if (from.isEqualNode(to)) {
      return;
    }
    if (from.nodeType !== 1) {
      from.nodeValue = to.nodeValue;
      return;
    }
    Array.prototype.slice.call(from.attributes).forEach(function (a) {
      if (!to.hasAttribute(a.name)) {
        from.removeAttribute(a.name);
      }
    });
    Array.prototype.forEach.call(to.attributes, function (a) {
      if (from.getAttribute(a.name) !== a.value) {
        from.setAttribute(a.name, a.value);
      }
    });
    morphChildren(from, to);
  }

  function morphChildren(from, to) {
    var olds = Array.prototype.slice.call(from.childNodes);
    var j = 0;
    Array.prototype.forEach.call(to.childNodes, function (n) {
      var k = j;
      while (k < olds.length && !sameKind(olds[k], n)) {
        k++;
      }
      if (k < olds.length) {
        for (; j < k; j++) {
          from.removeChild(olds[j]);
        }
        morph(olds[j], n);
        j++;
      } else {
        from.insertBefore(document.importNode(n, true), j < olds.length ? olds[j] : null);
      }
    });
    for (; j < olds.length; j++) {
      from.removeChild(olds[j]);
    }
  }

  // Re-fetches the live fragment; calls made while one is under way run once more after it (one request at a time).
  function loader(container) {
    var url = container.getAttribute('data-live-url');
    var running = null;
    var again = false;
    function fetchOnce() {
      return fetch(url, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html !== null) {
            var fresh = document.createElement('template');
            fresh.innerHTML = html;
            morphChildren(container, fresh.content);
            localTimes(container);
          }
        })
        .catch(function () { /* keep the last content; try again */ });
    }
    function load() {
      if (running) {
        again = true;
        return running;
      }
      running = fetchOnce().then(function () {
        running = null;
        if (again) {
          again = false;
          return load();
        }
      });
      return running;
    }
    return load;
  }

  function poll(container, load) {
    var interval = parseInt(container.getAttribute('data-live-interval'), 10) || 2000;
    container.setAttribute('data-live', 'poll');
    function tick() {
      if (done(container)) {
        return;
      }
      load().then(function () { setTimeout(tick, interval); });
    }
    setTimeout(tick, interval);
  }

  // Follows the page's event stream: each message re-fetches the fragment. The server ends the stream after the
  // final status; any other end (an error, a refused or dropped connection) falls back to polling.
  function follow(container, load) {
    var url = container.getAttribute('data-live-stream');
    if (!url || typeof EventSource !== 'function') {
      return false;
    }
    var source;
    try {
      source = new EventSource(url, {withCredentials: true});
    } catch (e) {
      return false;
    }
    container.setAttribute('data-live', 'stream');
    var types = (container.getAttribute('data-live-events') || '').split(/\s+/).filter(Boolean);
    types.concat(['message']).forEach(function (type) {
      source.addEventListener(type, function () { load(); });
    });
    source.onerror = function () {
      source.close();
      load().then(function () {
        if (!done(container)) {
          poll(container, load);
        }
      });
    };
    return true;
  }

  function live(container) {
    var load = loader(container);
    refreshers.push(load);
    if (done(container)) {
      return;
    }
    if (!follow(container, load)) {
      poll(container, load);
    }
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
    document.querySelectorAll('[data-live-url]').forEach(live);
  });
})();
