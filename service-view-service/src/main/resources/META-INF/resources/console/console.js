// LogiSync ops console: plain JavaScript, no build step. It calls only service-view-service's own API
// (same origin) with the bearer token the user pasted, kept in sessionStorage (this tab only).
// Every text from the API is put into the page as text (textContent), never as HTML.
(function () {
  "use strict";
  var TOKEN_KEY = "logisync.console.token";
  var view = document.getElementById("view");
  var signIn = document.getElementById("sign-in");
  var nav = document.getElementById("nav");
  var signOut = document.getElementById("sign-out");
  var status = document.getElementById("status");

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "on") { Object.keys(attrs.on).forEach(function (e) { node.addEventListener(e, attrs.on[e]); }); }
      else if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) { continue; }
      if (Array.isArray(c)) { c.forEach(function (x) { if (x) { node.appendChild(x); } }); }
      else { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); }
    }
    return node;
  }

  function say(text, error) {
    status.textContent = text || "";
    status.className = error ? "status error" : "status";
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function api(method, path, body) {
    var headers = { "Authorization": "Bearer " + token(), "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (t) {
          var json = null;
          try { json = t ? JSON.parse(t) : null; } catch (e) { json = null; }
          if (r.status === 401) {
            sessionStorage.removeItem(TOKEN_KEY);
            showSignIn("Your token was refused (401): sign in again.");
            throw { handled: true };
          }
          if (!r.ok) { throw { status: r.status, problem: json }; }
          return json;
        });
      });
  }

  function failed(what) {
    return function (e) {
      if (e && e.handled) { return; }
      if (e && e.status === 403) { say(what + ": your token has no role for this (403).", true); return; }
      var detail = e && e.problem && (e.problem.detail || e.problem.title);
      say(what + " failed" + (e && e.status ? " (" + e.status + ")" : "") + (detail ? ": " + detail : ""), true);
    };
  }

  function age(iso) {
    if (!iso) { return ""; }
    var s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 120) { return Math.round(s) + " s"; }
    if (s < 7200) { return Math.round(s / 60) + " min"; }
    if (s < 172800) { return Math.round(s / 3600) + " h"; }
    return Math.round(s / 86400) + " d";
  }

  function time(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : ""; }

  function page(title) {
    view.replaceChildren();
    var h = el("h2", { id: "view-title", tabindex: "-1", text: title });
    view.appendChild(h);
    view.hidden = false;
    h.focus();
    document.title = title + " · LogiSync ops console";
    return view;
  }

  function table(caption, headers, rows) {
    return el("table", null, el("caption", { "class": "visually-hidden", text: caption }),
      el("thead", null, el("tr", null, headers.map(function (h) { return el("th", { scope: "col", text: h }); }))),
      el("tbody", null, rows.map(function (cells) {
        return el("tr", null, cells.map(function (c) { return el("td", null, c === null || c === undefined ? "" : c); }));
      })));
  }

  function shipmentLink(id) { return el("a", { href: "#/shipment/" + encodeURIComponent(id), text: id }); }

  // ------------------------------------------------------------------ sections

  var STAGES = ["ORDER_RELEASED", "DISPATCH_ACCEPTED", "PICKED_UP", "DELIVERED", "POD_RECEIVED", "BILLING_ELIGIBLE",
    "INVOICE_REQUESTED", "INVOICE_ISSUED", "CRM_VIEW_UPDATED", "DISPATCH_FAILED", "ORDER_CANCELLED"];

  function spark(values, label) {
    var max = Math.max.apply(null, values.concat([1]));
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "spark");
    svg.setAttribute("width", "180");
    svg.setAttribute("height", "32");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label + ": " + values.join(", ") + " per 5 minutes, oldest first");
    values.forEach(function (v, i) {
      var r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      var h = Math.round(30 * v / max);
      r.setAttribute("x", String(i * 15));
      r.setAttribute("y", String(31 - h));
      r.setAttribute("width", "12");
      r.setAttribute("height", String(Math.max(h, v > 0 ? 1 : 0)));
      svg.appendChild(r);
    });
    return svg;
  }

  function overview() {
    say("Loading the overview…");
    api("GET", "/api/v1/transactions/summary").then(function (s) {
      var v = page("Overview");
      v.appendChild(el("p", { text: "Shipments that completed each stage, as of " + time(s.at) + "." }));
      v.appendChild(el("ul", { "class": "cards", id: "stage-counts" }, STAGES.map(function (st) {
        return el("li", { "class": "card", "data-stage": st }, el("span", { "class": "n", text: String(s.stages[st] || 0) }),
          el("span", { "class": "label", text: st.replace(/_/g, " ").toLowerCase() }));
      })));
      var stuckTotal = Object.keys(s.stuck).reduce(function (a, k) { return a + s.stuck[k]; }, 0);
      v.appendChild(el("h3", { text: "Stuck: " + stuckTotal }));
      v.appendChild(el("ul", { "class": "cards", id: "stuck-counts" }, Object.keys(s.stuck).map(function (r) {
        return el("li", { "class": "card" + (s.stuck[r] > 0 ? " alert" : ""), "data-reason": r },
          el("span", { "class": "n", text: String(s.stuck[r]) }),
          el("a", { "class": "label", href: "#/stuck", text: r.replace(/_/g, " ").toLowerCase() }));
      })));
      var dlqs = s.deadLetterTopics || {};
      v.appendChild(el("h3", { text: "Dead-letter topics" }));
      v.appendChild(el("ul", { "class": "cards", id: "dlq-depths" }, Object.keys(dlqs).map(function (t) {
        return el("li", { "class": "card" + (dlqs[t] > 0 ? " alert" : ""), "data-dlq": t },
          el("span", { "class": "n", text: String(dlqs[t]) }), el("span", { "class": "label", text: t }));
      })));
      v.appendChild(el("h3", { text: "Stage completions in the last hour" }));
      v.appendChild(table("Stage completions per 5 minutes over the last hour", ["Stage", "Last hour", "Per 5 minutes"],
        STAGES.map(function (st) {
          var values = s.lastHour[st] || [];
          var sum = values.reduce(function (a, b) { return a + b; }, 0);
          return [st, String(sum), spark(values, st)];
        })));
      say("");
    }).catch(failed("The overview"));
  }

  function stuck() {
    say("Loading stuck shipments…");
    api("GET", "/api/v1/transactions/stuck?limit=200").then(function (s) {
      var v = page("Stuck shipments");
      if (!s.items.length) { v.appendChild(el("p", { text: "Nothing is stuck." })); }
      else {
        v.appendChild(table("Stuck shipments, longest stuck first", ["Shipment", "Reason", "What", "For", "Since"],
          s.items.map(function (x) {
            return [x.shipmentId ? shipmentLink(x.shipmentId) : "(no shipment)", x.reason, x.detail, age(x.since), time(x.since)];
          })));
      }
      say(s.count + " stuck");
    }).catch(failed("The stuck list"));
  }

  function search(prefill, message) {
    var v = page("Find a shipment");
    var input = el("input", { type: "text", id: "key", name: "key", required: "required", autocomplete: "off",
      "aria-describedby": "key-help" });
    if (prefill) { input.value = prefill; }
    var form = el("form", { id: "search-form", role: "search", on: { submit: function (e) {
      e.preventDefault();
      var key = input.value.trim();
      if (!key) { return; }
      say("Looking up " + key + "…");
      api("GET", "/api/v1/shipments/lookup?key=" + encodeURIComponent(key)).then(function (c) {
        location.hash = "#/shipment/" + encodeURIComponent(c.shipmentId);
      }).catch(function (err) {
        if (err && err.status === 404) { say("No shipment is known by " + key + ".", true); return; }
        if (err && err.status === 422 && err.problem && err.problem.shipmentIds) {
          search(key, err.problem.shipmentIds);
          say(key + " names several shipments: pick one.");
          return;
        }
        failed("The lookup")(err);
      });
    } } },
      el("label", { "for": "key", text: "Business key" }),
      el("p", { id: "key-help", text: "Shipment id, order id, load id, invoice id, BOL, PRO or PO number." }),
      input, el("button", { type: "submit", text: "Find" }));
    v.appendChild(form);
    if (Array.isArray(message)) {
      v.appendChild(el("ul", { id: "candidates" }, message.map(function (id) { return el("li", null, shipmentLink(id)); })));
    }
    input.focus();
  }

  function resolveForm(task, shipmentId) {
    var id = "resolution-" + task.taskId.replace(/[^A-Za-z0-9_-]/g, "_");
    var text = el("input", { type: "text", id: id, name: "resolution", required: "required" });
    return el("form", { "class": "resolve", "data-task": task.taskId, on: { submit: function (e) {
      e.preventDefault();
      if (!text.value.trim()) { return; }
      say("Resolving " + task.taskId + "…");
      api("POST", "/api/v1/service-tasks/" + encodeURIComponent(task.taskId) + "/resolve", { resolution: text.value.trim() })
        .then(function (t) { say(task.taskId + " is " + t.status + " (by " + t.resolvedBy + ")."); shipment(shipmentId, true); })
        .catch(failed("Resolving the task"));
    } } }, el("label", { "for": id, text: "Resolution" }), text, el("button", { type: "submit", text: "Resolve task" }));
  }

  function shipment(id, keepStatus) {
    if (!keepStatus) { say("Loading " + id + "…"); }
    api("GET", "/api/v1/shipments/" + encodeURIComponent(id)).then(function (c) {
      var v = page("Shipment " + c.shipmentId);
      var trace = (c.stages || []).map(function (s) { return s.traceId; }).filter(Boolean)[0];
      v.appendChild(el("dl", { "class": "facts", id: "facts" },
        el("dt", { text: "Status" }), el("dd", { id: "case-status", text: (c.status || "not reported yet") + (c.statusAt ? " at " + time(c.statusAt) : "") }),
        el("dt", { text: "Order" }), el("dd", { text: c.orderId || "" }),
        el("dt", { text: "Customer" }), el("dd", { text: c.customerId || "" }),
        el("dt", { text: "Load" }), el("dd", { text: (c.dispatch && c.dispatch.loadId) || "" }),
        el("dt", { text: "Carrier" }), el("dd", { text: (c.dispatch && c.dispatch.carrier) || "" }),
        el("dt", { text: "Route" }), el("dd", { text: c.route ? (c.route.pickup || "?") + " → " + (c.route.delivery || "?") : "" }),
        el("dt", { text: "ETA" }), el("dd", { text: time(c.eta) || "unknown" }),
        el("dt", { text: "Trace id" }), el("dd", { "class": "mono", id: "trace-id", text: trace || "" })));
      var cols = el("div", { "class": "grid2" });
      cols.appendChild(el("div", null, el("h3", { text: "Stages" }), table("Stages", ["Stage", "Completed", "By"],
        (c.stages || []).map(function (s) { return [s.stage, time(s.completedAt), s.service]; }))));
      var pod = c.pod ? "Signed by " + c.pod.signedBy + " at " + time(c.pod.signedAt) + (c.pod.documentRef ? " (" + c.pod.documentRef + ")" : "") : "No POD yet";
      var billing = c.billing || {};
      cols.appendChild(el("div", null, el("h3", { text: "Proof of delivery" }), el("p", { id: "pod", text: pod }),
        el("h3", { text: "Billing: " + (billing.state || "open") + (billing.total ? " " + billing.total + " " + (billing.currency || "") : "") }),
        el("ul", { id: "checklist" }, (billing.checklist || []).map(function (k) {
          return el("li", { "class": k.met ? "met" : "unmet" }, (k.met ? "✓ " : "✗ ") + k.rule + (k.detail ? ": " + k.detail : ""));
        }))));
      v.appendChild(cols);
      v.appendChild(el("h3", { text: "Milestones" }));
      v.appendChild(table("Milestones, oldest first", ["Milestone", "Event time", "Reason", "POD", "Where", "Source", "Received"],
        (c.milestones || []).map(function (m) {
          return [m.milestone + (m.voided ? " (voided)" : ""), time(m.eventTime),
            m.reason ? m.reason.code + (m.reason.sourceCode ? " (" + m.reason.sourceCode + ")" : "") : "",
            m.pod ? m.pod.signedBy + (m.pod.verified ? "" : " (unverified" + (m.pod.unverifiedReason ? ": " + m.pod.unverifiedReason : "") + ")") : "",
            m.location || "", (m.source || "") + (m.partnerId ? " " + m.partnerId : ""), time(m.receivedAt)];
        })));
      if ((billing.accessorials || []).length) {
        v.appendChild(el("h3", { text: "Accessorials" }));
        v.appendChild(table("Accessorials", ["Charge", "Quantity", "Status", "Decided by", "Why"],
          billing.accessorials.map(function (a) {
            return [a.chargeCode + " " + a.accessorialId, a.quantity + " " + (a.unit || ""), a.status, a.decidedBy || "", a.reason || ""];
          })));
      }
      if ((billing.documents || []).length) {
        v.appendChild(el("h3", { text: "Invoice documents" }));
        v.appendChild(table("Invoice documents", ["Kind", "State", "ERP id", "Total"],
          billing.documents.map(function (d) { return [d.kind, d.state, d.erpDocumentId || "", (d.total || "") + " " + (d.currency || "")]; })));
      }
      v.appendChild(el("h3", { text: "Service tasks" }));
      var tasks = c.serviceTasks || [];
      if (!tasks.length) { v.appendChild(el("p", { text: "No service task." })); }
      tasks.forEach(function (t) {
        var box = el("div", { "class": "task", "data-task": t.taskId },
          el("p", null, el("strong", { text: t.reason + " · " + t.severity + " · " }), el("span", { "class": "task-status", text: t.status })),
          el("p", { text: t.detail || "" }),
          t.status === "RESOLVED" ? el("p", { text: "Resolved by " + t.resolvedBy + ": " + (t.resolution || "") }) : resolveForm(t, c.shipmentId));
        v.appendChild(box);
      });
      if (!keepStatus) { say(""); }
    }).catch(function (e) {
      if (e && e.status === 404) { page("Shipment " + id); say("No shipment " + id + " is known.", true); return; }
      failed("The shipment")(e);
    });
  }

  function dlq() {
    say("Loading dead letters…");
    api("GET", "/api/v1/ops/view/dlq?limit=100").then(function (p) {
      var v = page("Dead letters of service-view-service");
      var items = p.items || [];
      if (!items.length) { v.appendChild(el("p", { text: "No dead letters." })); say(""); return; }
      v.appendChild(table("Dead-lettered records", ["Record", "Shipment", "Reason", "At", "Redrive"], items.map(function (d) {
        var done = d.redrive && d.redrive.outcome === "REDRIVEN";
        return [d.dlqTopic + "-" + d.partition + "@" + d.offset, d.key ? shipmentLink(d.key) : "", d.reason || "", time(d.deadLetteredAt),
          done ? "redriven by " + d.redrive.by : el("button", { type: "button", "class": "secondary", text: "Redrive", on: { click: function () {
            api("POST", "/api/v1/ops/view/dlq/" + encodeURIComponent(d.dlqTopic) + "/" + d.partition + "/" + d.offset + "/redrive")
              .then(function (r) { say("Redrive: " + ((r.redrive && r.redrive.outcome) || "done")); dlq(); })
              .catch(failed("The redrive"));
          } } })];
      })));
      say(items.length + " dead letters");
    }).catch(failed("The dead letters"));
  }

  // ------------------------------------------------------------------ routing and sign-in

  function showSignIn(message) {
    nav.hidden = true;
    signOut.hidden = true;
    view.hidden = true;
    signIn.hidden = false;
    say(message || "", Boolean(message));
    document.getElementById("token").focus();
  }

  function route() {
    if (!token()) { showSignIn(location.hash && location.hash !== "#/overview" ? "Sign in to see this page." : ""); return; }
    signIn.hidden = true;
    nav.hidden = false;
    signOut.hidden = false;
    var parts = (location.hash || "#/overview").slice(2).split("/");
    var section = parts[0] || "overview";
    Array.prototype.forEach.call(nav.querySelectorAll("a"), function (a) {
      if (a.getAttribute("data-section") === section) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
    });
    if (section === "stuck") { stuck(); }
    else if (section === "search") { search(); }
    else if (section === "dlq") { dlq(); }
    else if (section === "shipment" && parts[1]) { shipment(decodeURIComponent(parts[1])); }
    else { overview(); }
  }

  // The overview is live: read again every 30 s while it is shown (not when the tab is hidden).
  setInterval(function () {
    if (token() && !document.hidden && (location.hash || "#/overview") === "#/overview"
        && document.activeElement && document.activeElement.tagName !== "INPUT") {
      overviewQuiet();
    }
  }, 30000);

  function overviewQuiet() {
    api("GET", "/api/v1/transactions/summary").then(function (s) {
      Object.keys(s.stages).forEach(function (st) {
        var n = document.querySelector("#stage-counts [data-stage=" + st + "] .n");
        if (n) { n.textContent = String(s.stages[st]); }
      });
      Object.keys(s.stuck).forEach(function (r) {
        var n = document.querySelector("#stuck-counts [data-reason=" + r + "] .n");
        if (n) { n.textContent = String(s.stuck[r]); n.parentNode.className = "card" + (s.stuck[r] > 0 ? " alert" : ""); }
      });
    }).catch(function () { /* the next refresh tries again */ });
  }

  document.getElementById("sign-in-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var t = document.getElementById("token").value.trim().replace(/^Bearer\s+/i, "");
    if (!t) { return; }
    sessionStorage.setItem(TOKEN_KEY, t);
    document.getElementById("token").value = "";
    if (!location.hash) { location.hash = "#/overview"; } else { route(); }
  });
  signOut.addEventListener("click", function () { sessionStorage.removeItem(TOKEN_KEY); showSignIn("Signed out."); });
  window.addEventListener("hashchange", route);
  route();
}());
