"""Answers for tests, built from the rules' own decision (right) or deliberately wrong."""

import datetime

from quizzes.services import AnswerInput, scenario_decision

ON = datetime.date(2026, 3, 2)


def right_answer(scenario) -> AnswerInput:
    _concern, decision = scenario_decision(scenario=scenario, on=ON)
    return AnswerInput(decision.actions[0], decision.actions[1:], decision.level, decision.urgency)


def right_post(scenario) -> dict[str, object]:
    answer = right_answer(scenario)
    data: dict[str, object] = {f"q{scenario.pk}-first_action": answer.first_action}
    data[f"q{scenario.pk}-actions"] = list(answer.actions)
    if scenario.ask_level:
        data[f"q{scenario.pk}-level"] = answer.level
    if scenario.ask_urgency:
        data[f"q{scenario.pk}-urgency"] = answer.urgency
    return data
