"""Scenario and quiz-tree factories for the quizzes tests."""

from __future__ import annotations

from dataclasses import dataclass

import factory
from factory.django import DjangoModelFactory

from quizzes.models import FinalAssessmentPage, ModuleQuizPage, ModuleQuizScenario, ScenarioQuestion
from tests.courses.factories import Tree, build_tree, publish_child
from tests.factories import MunicipalityFactory

MUNICIPALITY_NAMES = {"koege": "Køge Kommune", "ishoej": "Ishøj Kommune", "roedovre": "Rødovre Kommune"}


def municipality(slug: str):
    return MunicipalityFactory(slug=slug, name=MUNICIPALITY_NAMES[slug])


class ScenarioFactory(DjangoModelFactory):
    """Default: Køge, employee, 15 years, three signs → notify_children_services only, not acute."""

    class Meta:
        model = ScenarioQuestion
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"scenarie-{n}")
    title = factory.Sequence(lambda n: f"Scenarie {n}")
    story = "En opdigtet elev har forandret sig over flere uger."
    municipality = factory.LazyFunction(lambda: municipality("koege"))
    subject = "person"
    age = 15
    reporter = "employee"
    signs = factory.LazyFunction(
        lambda: ["attitudes.rejects_democracy", "relations.dropped_friends", "behaviour.extremist_material"]
    )
    illegal_act = "none"
    source = "003 §3.2.3"


def acute_child(**kwargs) -> ScenarioQuestion:
    """Ishøj, 15, threat with danger to life → police_112 first, then notify_children_services."""
    kwargs.setdefault("municipality", municipality("ishoej"))
    return ScenarioFactory(illegal_act="suspected", danger_to_life=True, **kwargs)


def roedovre_two_signs(**kwargs) -> ScenarioQuestion:
    """Rødovre, 16, two signs → inform_leader, notify_children_services, local_prevention_unit."""
    kwargs.setdefault("municipality", municipality("roedovre"))
    return ScenarioFactory(
        age=16, signs=["attitudes.rejects_democracy", "relations.dropped_friends"], **kwargs
    )


def adult_koege(**kwargs) -> ScenarioQuestion:
    """Køge, 34, three signs → local_prevention_unit only."""
    return ScenarioFactory(age=34, **kwargs)


@dataclass
class QuizTree:
    tree: Tree
    quiz: ModuleQuizPage
    final: FinalAssessmentPage
    scenarios: list[ScenarioQuestion]

    @property
    def module(self):
        return self.tree.modules[0]


def build_quiz_tree(
    *, scenarios: list[ScenarioQuestion], modules: int = 1, question_count: int = 8
) -> QuizTree:
    tree = build_tree(modules=modules, lessons=1)
    quiz = ModuleQuizPage(title="Tjek din viden", slug="tjek-din-viden")
    for order, scenario in enumerate(scenarios):
        quiz.quiz_scenarios.add(ModuleQuizScenario(scenario=scenario, sort_order=order))
    quiz = publish_child(tree.modules[0], quiz)
    final = publish_child(
        tree.course,
        FinalAssessmentPage(
            title="Afsluttende prøve", slug="afsluttende-proeve", question_count=question_count
        ),
    )
    return QuizTree(tree=tree, quiz=quiz, final=final, scenarios=scenarios)
