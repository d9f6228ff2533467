from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("assessment/", views.SchemeListView.as_view(), name="scheme_list"),
    path("assessment/schemes/add/", views.SchemeFormView.as_view(), name="scheme_add"),
    path("assessment/schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
    path("assessment/schemes/<int:pk>/edit/", views.SchemeFormView.as_view(), name="scheme_edit"),
    path("assessment/schemes/<int:pk>/targets/", views.SchemeTargetsView.as_view(), name="scheme_targets"),
    path("assessment/schemes/<int:pk>/adjustments/", views.AdjustmentAddView.as_view(), name="adjustment_add"),
    path("assessment/adjustments/<int:pk>/remove/", views.AdjustmentRemoveView.as_view(), name="adjustment_remove"),
    path("assessment/schemes/<int:pk>/result/", views.ResultView.as_view(), name="result"),
    path("assessment/schemes/<int:pk>/publish/", views.ResultPublishView.as_view(), name="result_publish"),
    path("assessment/indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("assessment/indicators/add/", views.IndicatorFormView.as_view(), name="indicator_add"),
    path("assessment/indicators/<int:pk>/", views.IndicatorFormView.as_view(), name="indicator_edit"),
    path("assessment/actuals/", views.ActualListView.as_view(), name="actual_list"),
    path("assessment/actuals/add/", views.ActualAddView.as_view(), name="actual_add"),
    path("assessment/actuals/import/", views.ActualImportView.as_view(), name="actual_import"),
    path("assessment/actuals/<int:pk>/", views.ActualDetailView.as_view(), name="actual_detail"),
    path("assessment/actuals/<int:pk>/submit/", views.ActualStepView.as_view(step="submit"), name="actual_submit"),
    path("assessment/actuals/<int:pk>/accept/", views.ActualStepView.as_view(step="accept"), name="actual_accept"),
    path("assessment/actuals/<int:pk>/return/", views.ActualStepView.as_view(step="return"), name="actual_return"),
]
