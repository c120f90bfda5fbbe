/*
 * H5P.ForebygCheck 1.0: a knowledge check with one correct answer.
 *
 * Written for Forebyg. Renders with plain DOM calls and textContent only (never innerHTML), so
 * content text can never become markup. Reports through H5P's own EventDispatcher:
 *   answered  (result.score, result.success) every time the learner checks an answer
 *   completed (result.score, result.success) after that
 */
var H5P = H5P || {};

H5P.ForebygCheck = (function (EventDispatcher) {
  "use strict";

  var DEFAULT_L10N = {
    checkAnswer: "Tjek svar",
    tryAgain: "Prøv igen",
    correct: "Rigtigt.",
    wrong: "Ikke rigtigt.",
    chooseAnswer: "Vælg et svar, før du tjekker."
  };
  var counter = 0;

  function ForebygCheck(params, contentId) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.l10n = Object.assign({}, DEFAULT_L10N, this.params.l10n || {});
    this.answers = Array.isArray(this.params.answers) ? this.params.answers : [];
    this.score = 0;
    this.answered = false;
    this.instanceId = "forebyg-check-" + contentId + "-" + (counter += 1);
  }

  ForebygCheck.prototype = Object.create(EventDispatcher.prototype);
  ForebygCheck.prototype.constructor = ForebygCheck;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  ForebygCheck.prototype.attach = function ($container) {
    var self = this;
    var container = $container && $container.get ? $container.get(0) : $container;
    container.classList.add("h5p-forebyg-check");
    container.textContent = "";

    // No <form>: the player runs in a sandbox without allow-forms, where a form submission is blocked.
    var form = element("div", "fc-form");
    var fieldset = element("fieldset", "fc-fieldset");
    var legend = element("legend", "fc-question", this.params.question || "");
    fieldset.appendChild(legend);

    this.inputs = [];
    this.answers.forEach(function (answer, index) {
      var id = self.instanceId + "-answer-" + index;
      var row = element("div", "fc-answer");
      var input = element("input");
      input.type = "radio";
      input.name = self.instanceId;
      input.id = id;
      input.value = String(index);
      var label = element("label", "fc-answer-label", answer.text || "");
      label.htmlFor = id;
      row.appendChild(input);
      row.appendChild(label);
      fieldset.appendChild(row);
      self.inputs.push(input);
    });
    form.appendChild(fieldset);

    this.button = element("button", "fc-button", this.l10n.checkAnswer);
    this.button.type = "button";
    form.appendChild(this.button);

    // Announced by screen readers; the verdict is written out in words, never shown by colour alone.
    this.feedback = element("div", "fc-feedback");
    this.feedback.setAttribute("role", "status");
    this.feedback.setAttribute("aria-live", "polite");
    form.appendChild(this.feedback);

    this.button.addEventListener("click", function () {
      if (self.answered && !self.isCorrect) {
        self.resetTask();
        return;
      }
      self.check();
    });
    container.appendChild(form);
    this.form = form;
  };

  ForebygCheck.prototype.selectedIndex = function () {
    for (var i = 0; i < this.inputs.length; i += 1) {
      if (this.inputs[i].checked) {
        return i;
      }
    }
    return -1;
  };

  ForebygCheck.prototype.check = function () {
    var index = this.selectedIndex();
    this.feedback.textContent = "";
    this.feedback.className = "fc-feedback";
    if (index < 0) {
      this.feedback.textContent = this.l10n.chooseAnswer;
      this.feedback.classList.add("fc-feedback-missing");
      return;
    }
    var answer = this.answers[index] || {};
    this.isCorrect = answer.correct === true;
    this.answered = true;
    this.score = this.isCorrect ? 1 : 0;

    var verdict = element("strong", "fc-verdict", this.isCorrect ? this.l10n.correct : this.l10n.wrong);
    this.feedback.appendChild(verdict);
    if (answer.feedback) {
      this.feedback.appendChild(document.createTextNode(" " + answer.feedback));
    }
    this.feedback.classList.add(this.isCorrect ? "fc-feedback-correct" : "fc-feedback-wrong");
    this.inputs.forEach(function (input) {
      input.disabled = true;
    });
    if (this.isCorrect) {
      this.button.hidden = true;
    } else {
      this.button.textContent = this.l10n.tryAgain;
    }

    this.triggerXAPIScored(this.score, 1, "answered", true, this.isCorrect);
    this.triggerXAPIScored(this.score, 1, "completed", true, this.isCorrect);
    this.trigger("resize");
  };

  // The H5P question contract, so hosts and containers can ask for the state.
  ForebygCheck.prototype.getScore = function () {
    return this.score;
  };
  ForebygCheck.prototype.getMaxScore = function () {
    return 1;
  };
  ForebygCheck.prototype.getAnswerGiven = function () {
    return this.answered;
  };
  ForebygCheck.prototype.showSolutions = function () {
    var self = this;
    this.inputs.forEach(function (input, index) {
      if (self.answers[index] && self.answers[index].correct === true) {
        input.parentNode.classList.add("fc-answer-solution");
      }
    });
  };
  ForebygCheck.prototype.resetTask = function () {
    this.answered = false;
    this.isCorrect = false;
    this.score = 0;
    this.inputs.forEach(function (input) {
      input.disabled = false;
      input.checked = false;
      input.parentNode.classList.remove("fc-answer-solution");
    });
    this.feedback.textContent = "";
    this.feedback.className = "fc-feedback";
    this.button.hidden = false;
    this.button.textContent = this.l10n.checkAnswer;
    if (this.inputs.length) {
      this.inputs[0].focus();
    }
  };

  return ForebygCheck;
})(H5P.EventDispatcher);
