// Drafts that survive a bad connection (docs/architecture.md, "Offline drafts"; the server side is
// congress/lib/offline.py). A <form data-draft="NAME"> keeps its text in localStorage under the user and the form's
// name while the deputy types; submitted without a connection it stays on the phone ("已保存在本机，联网后提交") and is
// sent when the connection is back, with a fresh CSRF token fetched first (the one in a kept page may be stale). The
// draft is deleted only when the server says it accepted it (the draft_accepted cookie after its redirect), and is put
// back into the form whenever the page is opened again. Chosen files cannot be kept: the page says so while offline.
// The script also registers the portal's service worker (static/js/sw.js) and asks it to keep the form pages.
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-worker]");
  var user = script && script.getAttribute("data-user");
  if (!user) {
    return;  // nobody logged in: nothing to keep
  }
  var PREFIX = "congress-draft:" + user + ":";
  var CACHE = "congress-offline-v1";  // the service worker reads the same cache
  var TOKEN = "draft_token";
  var ACCEPTED = "draft_accepted";
  var TEXT = {
    saved: "已保存在本机，联网后提交。",
    offline: "当前没有网络连接：填写的内容保存在本机，联网后自动提交。",
    photos: "照片需联网后重新选择（照片和附件不能保存在本机）。",
    restored: "已恢复本机保存的草稿。",
    sending: "已联网，正在提交本机保存的草稿……",
    login: "登录已过期：草稿仍保存在本机，请重新登录后再打开本页，草稿会自动提交。",
    failed: "暂时无法连接服务器：草稿仍保存在本机，联网后再次提交。",
    sentElsewhere: "本机保存的草稿已提交。",
    notSent: "本机保存的草稿未能提交，请打开表单检查后重新提交。"
  };

  // --- storage ---------------------------------------------------------------------------------------------------
  function read(key) {
    try {
      return JSON.parse(localStorage.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }

  function write(key, draft) {
    try {
      localStorage.setItem(key, JSON.stringify(draft));
      return true;
    } catch (e) {
      return false;  // storage full or disabled: the form still submits as usual
    }
  }

  function myDraftKeys() {
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        keys.push(key);
      }
    }
    return keys;
  }

  function newToken() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // The server accepted a draft (congress.lib.offline.accepted): delete it, and the cookie that said so.
  function forgetAccepted() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + ACCEPTED + "=([^;]*)"));
    if (!match) {
      return null;
    }
    var token = decodeURIComponent(match[1]);
    myDraftKeys().forEach(function (key) {
      var draft = read(key);
      if (draft && draft.token === token) {
        localStorage.removeItem(key);
      }
    });
    document.cookie = ACCEPTED + "=; Max-Age=0; path=/; SameSite=Lax";
    return token;
  }

  // --- form fields -----------------------------------------------------------------------------------------------
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== TOKEN && !el.disabled &&
        ["file", "submit", "button", "reset"].indexOf(el.type) < 0;
    });
  }

  function collect(form) {
    var values = [];
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) {
          values.push([el.name, el.value]);
        }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (option) {
          if (option.selected) {
            values.push([el.name, option.value]);
          }
        });
      } else {
        values.push([el.name, el.value]);
      }
    });
    return values;
  }

  function restore(form, values) {
    var byName = {};
    values.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    fields(form).forEach(function (el) {
      var got = byName[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = got.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (option) {
          option.selected = got.indexOf(option.value) >= 0;
        });
      } else if (got.length) {
        el.value = got[0];
      }
    });
  }

  function tokenInput(form, token) {
    var input = form.querySelector("input[name=" + TOKEN + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = TOKEN;
      form.appendChild(input);
    }
    input.value = token;
  }

  // --- what the page says ----------------------------------------------------------------------------------------
  function say(form, lines, kind) {
    var box = form.querySelector(".draft-status");
    if (!box) {
      box = document.createElement("div");
      box.className = "draft-status";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.className = "msg " + (kind || "warning");
      p.textContent = line;
      box.appendChild(p);
    });
  }

  function offlineLines(form, first) {
    var lines = [first];
    if (form.querySelector("input[type=file]")) {
      lines.push(TEXT.photos);
    }
    return lines;
  }

  // --- one form with data-draft ----------------------------------------------------------------------------------
  function Draft(form) {
    this.form = form;
    this.key = PREFIX + form.getAttribute("data-draft");
    this.sending = false;
  }

  Draft.prototype.save = function (pending) {
    var old = read(this.key) || {token: newToken()};
    var draft = {
      token: old.token, url: this.form.getAttribute("action") || location.pathname, values: collect(this.form),
      savedAt: new Date().toISOString(), pending: pending === undefined ? !!old.pending : pending
    };
    write(this.key, draft);
    tokenInput(this.form, draft.token);
    return draft;
  };

  Draft.prototype.start = function () {
    var self = this;
    var form = this.form;
    var draft = read(this.key);
    if (draft && draft.pending && document.querySelector(".msg.error")) {
      draft.pending = false;  // the server answered with this form and its errors: the deputy corrects and resends
      write(this.key, draft);
    }
    if (draft) {
      restore(form, draft.values);
      tokenInput(form, draft.token);
      say(form, draft.pending ? offlineLines(form, TEXT.saved) : [TEXT.restored], draft.pending ? "warning" : "");
    }
    if (!navigator.onLine) {
      say(form, offlineLines(form, draft && draft.pending ? TEXT.saved : TEXT.offline));
    }
    form.addEventListener("input", function () { self.save(); });
    form.addEventListener("change", function () { self.save(); });
    form.addEventListener("submit", function (event) {
      if (!navigator.onLine) {
        event.preventDefault();
        self.save(true);
        say(form, offlineLines(form, TEXT.saved));
      } else {
        // kept, and still to be sent, until the server's answer says it was accepted: if the connection fails on the
        // way (a weak signal the phone still calls online), the next visit to this page sends it again
        self.save(true);
      }
    });
    window.addEventListener("offline", function () {
      say(form, offlineLines(form, TEXT.offline));
    });
    window.addEventListener("online", function () { self.sendIfPending(); });
    this.sendIfPending();
  };

  // Back online with a draft waiting: fetch the form afresh for a current CSRF token, then submit the page's own form
  // (so chosen files go along if the page was never closed, and the server's answer shows as usual).
  Draft.prototype.sendIfPending = function () {
    var self = this;
    var form = this.form;
    var draft = read(this.key);
    if (!draft || !draft.pending || !navigator.onLine || this.sending) {
      return;
    }
    this.sending = true;
    say(form, [TEXT.sending], "");
    freshToken(draft.url).then(function (token) {
      var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
      csrf.value = token;
      self.save(false);  // not pending any more: a form the server refuses must not be sent again and again
      HTMLFormElement.prototype.submit.call(form);
    }).catch(function (error) {
      self.sending = false;
      say(form, [error.message === "login" ? TEXT.login : TEXT.failed]);
    });
  };

  function freshToken(url) {
    return fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (response) {
      if (response.redirected || response.status === 403) {
        throw new Error("login");
      }
      if (!response.ok) {
        throw new Error("server");
      }
      return response.text();
    }).then(function (html) {
      var input = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrfmiddlewaretoken]");
      if (!input) {
        throw new Error("login");
      }
      return input.value;
    });
  }

  // A draft left pending on another page of the portal: send it from here, by fetch, with a fresh token.
  function sendFromElsewhere(key, onPage) {
    var draft = read(key);
    if (!draft || !draft.pending || onPage[key] || !navigator.onLine) {
      return;
    }
    freshToken(draft.url).then(function (token) {
      var body = new FormData();
      draft.values.forEach(function (pair) { body.append(pair[0], pair[1]); });
      body.append("csrfmiddlewaretoken", token);
      body.append(TOKEN, draft.token);
      draft.pending = false;
      write(key, draft);
      return fetch(draft.url, {method: "POST", body: body, credentials: "same-origin"});
    }).then(function (response) {
      var accepted = forgetAccepted() === draft.token;
      notice(accepted ? TEXT.sentElsewhere : TEXT.notSent, accepted ? "" : "warning", accepted ? null : draft.url);
      return response;
    }).catch(function () { /* still offline or logged out: the draft stays, pending, for the next page */ });
  }

  function notice(text, kind, link) {
    var main = document.querySelector("main") || document.body;
    var p = document.createElement("p");
    p.className = "msg " + kind;
    p.setAttribute("role", "status");
    p.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = "打开表单";
      p.appendChild(document.createTextNode(" "));
      p.appendChild(a);
    }
    main.insertBefore(p, main.firstChild);
  }

  // --- the service worker and what it keeps ----------------------------------------------------------------------
  function keep(urls) {
    if (!window.caches) {
      return Promise.resolve();
    }
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        // what is kept already is refreshed by the service worker whenever the page asks for it: fetch only the rest
        return cache.match(url, {ignoreVary: true}).then(function (hit) {
          return hit ? null : fetch(url, {credentials: "same-origin"});
        }).then(function (response) {
          if (!response) {
            return null;
          }
          if (response.ok && !response.redirected) {
            return cache.put(url, response);
          }
          return null;
        }).catch(function () { return null; });
      }));
    });
  }

  function startWorker(forms) {
    var worker = script.getAttribute("data-worker");
    var scope = worker.replace(/[^/]*$/, "");
    if (!("serviceWorker" in navigator) || location.pathname.indexOf(scope) !== 0) {
      return;
    }
    navigator.serviceWorker.register(worker, {scope: scope}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      if (!navigator.onLine) {
        return null;
      }
      var urls = (script.getAttribute("data-keep") || "").split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet][href], script[src]"), function (el) {
        urls.push(el.getAttribute("href") || el.getAttribute("src"));
      });
      if (forms.length) {
        urls.push(location.pathname + location.search);
      }
      return keep(urls.filter(function (url, i) { return urls.indexOf(url) === i; }));
    }).then(function () {
      document.documentElement.setAttribute("data-offline-ready", "1");
    }).catch(function () { /* no service worker (an old browser, a private window): drafts still work */ });
  }

  // Logging out: drop the kept pages, so the next person on this phone does not see them. Drafts stay, under
  // their owner's key.
  document.addEventListener("submit", function (event) {
    var action = event.target.getAttribute("action") || "";
    if (/\/logout\/$/.test(action) && window.caches) {
      caches.delete(CACHE);
    }
  }, true);

  forgetAccepted();
  var onPage = {};
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-draft]"));
  forms.forEach(function (form) {
    var draft = new Draft(form);
    onPage[draft.key] = true;
    draft.start();
  });
  myDraftKeys().forEach(function (key) { sendFromElsewhere(key, onPage); });
  window.addEventListener("online", function () {
    myDraftKeys().forEach(function (key) { sendFromElsewhere(key, onPage); });
  });
  startWorker(forms);
})();
