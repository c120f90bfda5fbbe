"""Snippet choosers for municipal data that only people with a permission on the model can open.

Wagtail's snippet chooser lists every row of its model to anyone who may use the admin at all (a chooser is
meant for editing whatever refers to the model). Departments and training targets each belong to one
municipality: a coordinator, who uses the admin only for the menu entry to their certificates, would see
every other municipality's rows there. These choosers answer like the model's own listing instead: only
with one of its add/change/delete/view permissions (the administrators, see ``learning.roles``); anyone
else gets the admin's "permission denied".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import chooser

MODEL_ACTIONS = ("add", "change", "delete", "view")


class ModelPermissionRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        policy = ModelPermissionPolicy(self.model_class)
        if not policy.user_has_any_permission(request.user, MODEL_ACTIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ChooseView(ModelPermissionRequiredMixin, chooser.ChooseView):
    pass


class ChooseResultsView(ModelPermissionRequiredMixin, chooser.ChooseResultsView):
    pass


class ChosenView(ModelPermissionRequiredMixin, chooser.SnippetChosenView):
    pass


class ChosenMultipleView(ModelPermissionRequiredMixin, chooser.SnippetChosenMultipleView):
    pass


class CreateView(ModelPermissionRequiredMixin, chooser.SnippetCreateView):
    pass


class PermissionRequiredSnippetChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView
