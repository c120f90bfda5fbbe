"""The scenario question block for lessons: a practice question with immediate graded feedback."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.blocks import SnippetChooserBlock


class ScenarioQuestionBlock(SnippetChooserBlock):
    """One scenario from the bank, asked in the lesson. The answer is graded and recorded at once but
    never gates the lesson's or module's completion (the module quiz does that)."""

    def __init__(self, **kwargs):
        super().__init__("quizzes.ScenarioQuestion", **kwargs)

    def deconstruct(self):
        # The target model is fixed by the class, so it is not a constructor argument here.
        path, _args, kwargs = super().deconstruct()
        return path, (), kwargs

    def get_preview_value(self):
        from .models import ScenarioQuestion

        return ScenarioQuestion.objects.order_by("title").first()

    def get_context(self, value, parent_context=None):
        from .forms import ScenarioAnswerForm

        context = super().get_context(value, parent_context=parent_context)
        context["form"] = ScenarioAnswerForm(scenario=value) if value is not None else None
        return context

    class Meta:
        icon = "help"
        label = _("Scenarieopgave")
        template = "quizzes/blocks/scenario_question.html"
        description = _(
            "Et scenarie fra scenariebanken som øvelse: medarbejderen svarer og får straks begrundet feedback."
        )
