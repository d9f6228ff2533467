from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("chains/", views.ChainListView.as_view(), name="chain_list"),
    path("chains/add/", views.ChainAddView.as_view(), name="chain_add"),
    path("chains/<int:pk>/", views.ChainDetailView.as_view(), name="chain_detail"),
    path("chains/<int:pk>/map.json", views.ChainMapJsonView.as_view(), name="chain_map_json"),
    path("chains/<int:pk>/edit/", views.ChainEditView.as_view(), name="chain_edit"),
    path("chains/<int:pk>/enterprises/", views.MemberRowsView.as_view(), name="member_rows"),
    path("chains/<int:pk>/projects/", views.ProjectRowsView.as_view(), name="project_rows"),
    path("chains/<int:pk>/outputs/", views.OutputRowsView.as_view(), name="output_rows"),
    path("chains/<int:pk>/segments/add/", views.SegmentAddView.as_view(), name="segment_add"),
    path("chains/<int:pk>/enterprises/add/", views.MemberAddView.as_view(), name="member_add"),
    path("chains/<int:pk>/outputs/set/", views.OutputSetView.as_view(), name="output_set"),
    path("chains/<int:pk>/projects/add/", views.ProjectLinkView.as_view(), name="project_link"),
    path("chains/segments/<int:pk>/edit/", views.SegmentEditView.as_view(), name="segment_edit"),
    path("chains/segments/<int:pk>/move/", views.SegmentMoveView.as_view(), name="segment_move"),
    path("chains/segments/<int:pk>/remove/", views.SegmentRemoveView.as_view(), name="segment_remove"),
    path("chains/enterprises/<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("chains/enterprises/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    path("chains/projects/<int:pk>/remove/", views.ProjectUnlinkView.as_view(), name="project_unlink"),
]
