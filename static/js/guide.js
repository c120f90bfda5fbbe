/* The concern guide (Bekymringsguide), progressively enhanced.
 *
 * Without this script the page is one form that posts to the server and shows the answer.
 * With it: one step at a time ("Næste" / "Tilbage", a step counter), and the answer comes from
 * the JSON endpoint (/api/route/) and is shown by cloning the page's <template> elements.
 * Data from the server is only ever put in the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  var form = document.querySelector(".guide-form");
  var vocabularyNode = document.getElementById("guide-vocabulary");
  if (!form || !vocabularyNode || !window.fetch || !("content" in document.createElement("template"))) {
    return;
  }
  var vocabulary = JSON.parse(vocabularyNode.textContent);
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-guide-step]"));
  var counter = form.querySelector("[data-guide-counter]");
  var nav = form.querySelector("[data-guide-nav]");
  var back = form.querySelector("[data-guide-back]");
  var next = form.querySelector("[data-guide-next]");
  var region = document.getElementById("guide-result");
  var printBlock = document.querySelector(".guide-print");
  var printButton = document.querySelector("[data-guide-print]");
  var current = 0;
  var isEnglish = (document.documentElement.lang || "da").indexOf("en") === 0;

  function stepText(index) {
    return (isEnglish ? "Step " : "Trin ") + (index + 1) + (isEnglish ? " of " : " af ") + steps.length;
  }

  function show(index, moveFocus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) {
      step.hidden = i !== current;
    });
    counter.textContent = stepText(current);
    back.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    if (moveFocus) {
      var heading = steps[current].querySelector("h2");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  function fill(root, slot, text) {
    var node = root.querySelector('[data-slot="' + slot + '"]');
    node.textContent = text;
    return node;
  }

  function clone(id) {
    return document.getElementById(id).content.firstElementChild.cloneNode(true);
  }

  function contactItem(contact) {
    var item = clone("guide-contact-template");
    fill(item, "name", contact.name);
    if (contact.phone) {
      var phone = fill(item, "phone", contact.phone);
      phone.setAttribute("href", "tel:" + contact.phone.replace(/\s+/g, ""));
    } else {
      item.querySelector('[data-slot="phone-line"]').remove();
    }
    if (contact.email) {
      var email = fill(item, "email", contact.email);
      email.setAttribute("href", "mailto:" + contact.email);
    } else {
      item.querySelector('[data-slot="email-line"]').remove();
    }
    if (contact.hours) {
      fill(item, "hours", contact.hours);
    } else {
      item.querySelector('[data-slot="hours-line"]').remove();
    }
    return item;
  }

  function addContacts(list, contacts) {
    contacts.forEach(function (contact) {
      list.appendChild(contactItem(contact));
    });
    if (!contacts.length) {
      list.remove();
    }
  }

  function renderDecision(decision, data) {
    var card = clone("guide-result-template");
    var byAction = {};
    decision.contacts.forEach(function (contact) {
      (byAction[contact.action] = byAction[contact.action] || []).push(contact);
    });
    var acute = decision.urgency === "acute";
    if (acute) {
      card.classList.add("guide-result-acute");
    }
    fill(card, "urgency-mark", acute ? "!" : "→");
    fill(card, "urgency", vocabulary.urgency[acute ? "acute" : decision.timing]);
    var first = decision.actions[0];
    if (first) {
      fill(card, "first-label", vocabulary.actions[first].label);
      fill(card, "first-description", vocabulary.actions[first].description);
      addContacts(card.querySelector('[data-slot="first-contacts"]'), byAction[first] || []);
    } else {
      card.querySelector('[data-slot="first"]').remove();
    }
    var rest = card.querySelector('[data-slot="rest"]');
    decision.actions.slice(1).forEach(function (code) {
      var step = clone("guide-step-template");
      fill(step, "label", vocabulary.actions[code].label);
      fill(step, "description", vocabulary.actions[code].description);
      addContacts(step.querySelector('[data-slot="contacts"]'), byAction[code] || []);
      rest.appendChild(step);
    });
    if (decision.actions.length < 2) {
      card.querySelector('[data-slot="rest-block"]').remove();
    }
    fill(card, "level", vocabulary.levels[decision.level]);
    fill(card, "explanation", decision.explanation);
    if (data.subject === "person" && data.age !== null) {
      fill(card, "age-note", vocabulary.age_note);
    } else {
      card.querySelector('[data-slot="age-note"]').remove();
    }
    var legal = card.querySelector('[data-slot="legal"]');
    decision.legal_basis.forEach(function (code) {
      var li = document.createElement("li");
      li.textContent = vocabulary.legal[code];
      legal.appendChild(li);
    });
    if (!decision.legal_basis.length) {
      card.querySelector('[data-slot="legal-block"]').remove();
    }
    var sources = card.querySelector('[data-slot="sources"]');
    decision.rules_fired.forEach(function (ruleId) {
      var li = document.createElement("li");
      li.textContent = (isEnglish ? "Rule " : "Regel ") + ruleId + ": " + vocabulary.rules[ruleId];
      sources.appendChild(li);
    });
    fill(card, "rules-version", decision.rules_version);
    return card;
  }

  function showInRegion(node) {
    region.replaceChildren(node);
    var heading = region.querySelector("h2");
    if (heading) {
      printBlock.hidden = false;
      heading.focus();
    } else {
      printBlock.hidden = true;
      node.setAttribute("tabindex", "-1");
      node.focus();
    }
    region.scrollIntoView({ block: "start" });
  }

  function showError(message) {
    var alert = clone("guide-error-template");
    fill(alert, "message", message);
    showInRegion(alert);
  }

  function concernData() {
    var data = new FormData(form);
    var band = data.get("age_band");
    return {
      municipality: data.get("municipality"),
      reporter: data.get("reporter"),
      subject: data.get("subject"),
      age: Object.prototype.hasOwnProperty.call(vocabulary.ages, band) ? vocabulary.ages[band] : null,
      signs: data.getAll("signs"),
      illegal_act: data.get("illegal_act"),
      danger_to_life: data.get("danger_to_life") === "yes",
      in_extremist_milieu: data.has("in_extremist_milieu"),
      wants_exit: data.has("wants_exit"),
      returnee: data.has("returnee"),
      within_opening_hours: data.get("within_opening_hours") === "yes"
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = concernData();
    fetch(form.getAttribute("data-api-url"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(data),
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (answer) {
        if (answer.ok) {
          showInRegion(renderDecision(answer.body, data));
        } else {
          showError(answer.body.error ? answer.body.error.message_da : "Der skete en fejl. Prøv igen.");
        }
      })
      .catch(function () {
        // The endpoint could not be reached: fall back to the page's own form handling.
        form.submit();
      });
  });

  back.addEventListener("click", function () {
    show(current - 1, true);
  });
  next.addEventListener("click", function () {
    show(current + 1, true);
  });
  printButton.addEventListener("click", function () {
    window.print();
  });

  nav.hidden = false;
  counter.hidden = false;
  if (region.querySelector(".guide-result")) {
    printBlock.hidden = false;
  }
  show(0, false);
})();
