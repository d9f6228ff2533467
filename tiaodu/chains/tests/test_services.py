"""The chain services: every write validated, scoped and attributed; every bad input refused clearly."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiaodu.chains import services
from tiaodu.chains.choices import MemberRole
from tiaodu.chains.models import Chain, ChainProject, Member, Output, Segment
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.testing import OfficialFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Chain, Segment, Member, Output, ChainProject)]


def refused(call, field=None, text=None):
    before = counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert counts() == before
    error = info.value
    if field is not None:
        assert field in error.message_dict, error
    if text is not None:
        assert text in " ".join(error.messages)
    return error


def test_create_with_segments_in_order_and_history(chain_world):
    w = chain_world
    assert [s.name for s in w.segments_a] == ["原料", "加工", "应用"]
    assert [s.position for s in w.segments_a] == [1, 2, 3]
    assert w.chain_a.history.first().history_user == w.admin_a
    assert w.member_a.history.first().history_user == w.admin_a


def test_region_must_be_in_change_scope(chain_world):
    w = chain_world
    refused(lambda: services.chain_create(actor=w.admin_a, region=w.county_b, name="越界链"), "region")
    refused(lambda: services.chain_create(actor=w.leader, region=w.city, name="领导建链"), "region")
    refused(lambda: services.chain_update(actor=w.admin_a, chain=w.chain_b, name="改名"))
    refused(lambda: services.chain_update(actor=w.admin_a, chain=w.chain_a, region=w.county_b), "region")


def test_leader_and_department_must_be_visible(chain_world):
    w = chain_world

    def fresh():
        return Chain.objects.get(pk=w.chain_a.pk)

    refused(lambda: services.chain_update(actor=w.admin_a, chain=fresh(), leader=w.official_b), "leader")
    dept_b = OrganisationFactory(name="长子县工信局", region=w.county_b, kind=OrganisationKind.DEPARTMENT)
    refused(lambda: services.chain_update(actor=w.admin_a, chain=fresh(), department=dept_b), "department")
    refused(
        lambda: services.chain_update(actor=w.admin_a, chain=fresh(), department=w.owner_org_a),
        "department",
        "牵头部门",
    )
    leader = OfficialFactory(name="壶关链长", region=w.county_a, organisation=w.chain_dept_a, title="副县长")
    services.chain_update(actor=w.admin_a, chain=fresh(), leader=leader)
    assert Chain.objects.get(pk=w.chain_a.pk).leader == leader


def test_duplicate_chain_name_in_region(chain_world):
    w = chain_world
    refused(
        lambda: services.chain_create(actor=w.admin_a, region=w.county_a, name="新链", segments=["甲", "乙", "甲"]),
        "segments",
        "甲",
    )
    refused(lambda: services.chain_create(actor=w.admin_a, region=w.county_a, name="壶关新材料产业链"))


def test_segments_add_rename_reorder_remove(chain_world):
    w = chain_world
    new = services.segment_add(actor=w.admin_a, chain=w.chain_a, name="回收")
    assert new.position == 4
    refused(lambda: services.segment_add(actor=w.admin_a, chain=w.chain_a, name="加工"), "name", "同名")
    refused(lambda: services.segment_add(actor=w.admin_a, chain=w.chain_a, name="  "), "name")
    services.segment_update(actor=w.admin_a, segment=new, name="循环利用")
    a, b, c = w.segments_a
    services.segments_reorder(actor=w.admin_a, chain=w.chain_a, order=[new.pk, a.pk, b.pk, c.pk])
    assert list(w.chain_a.segments.order_by("position").values_list("name", flat=True)) == [
        "循环利用",
        "原料",
        "加工",
        "应用",
    ]
    refused(lambda: services.segments_reorder(actor=w.admin_a, chain=w.chain_a, order=[a.pk, b.pk]), "order")
    refused(
        lambda: services.segments_reorder(actor=w.admin_a, chain=w.chain_a, order=[w.segment_b.pk, a.pk, b.pk, c.pk]),
        "order",
    )
    services.segment_move(actor=w.admin_a, segment=new, step=1)
    assert Segment.objects.get(pk=new.pk).position == 2
    services.segment_remove(actor=w.admin_a, segment=Segment.objects.get(pk=new.pk))
    assert list(w.chain_a.segments.order_by("position").values_list("position", flat=True)) == [1, 2, 3]


def test_segment_with_members_cannot_be_removed(chain_world):
    w = chain_world
    error = refused(lambda: services.segment_remove(actor=w.admin_a, segment=w.segments_a[0]))
    assert "1 家企业" in error.messages[0]
    refused(lambda: services.segment_remove(actor=w.admin_a, segment=w.segment_b))


def test_enterprise_twice_in_one_chain(chain_world):
    w = chain_world
    refused(
        lambda: services.member_add(
            actor=w.admin_a, chain=w.chain_a, segment=w.segments_a[2], organisation=w.owner_org_a
        ),
        "organisation",
        "只能出现一次",
    )


def test_segment_from_another_chain(chain_world):
    w = chain_world
    other = services.chain_create(actor=w.admin_a, region=w.county_a, name="壶关第二链", segments=["甲"])
    foreign = other.segments.get()
    org = OrganisationFactory(name="壶关某科技有限公司", region=w.county_a)
    refused(
        lambda: services.member_add(actor=w.admin_a, chain=w.chain_a, segment=foreign, organisation=org),
        "segment",
        "不属于该产业链",
    )
    refused(lambda: services.member_update(actor=w.admin_a, member=w.member_a, segment=foreign), "segment")
    refused(
        lambda: services.project_link(actor=w.admin_a, chain=w.chain_a, project=w.project_a2, segment=foreign),
        "segment",
    )


def test_only_visible_enterprises(chain_world):
    w = chain_world
    refused(
        lambda: services.member_add(actor=w.admin_a, chain=w.chain_a, segment=w.segments_a[1], organisation=w.org_b),
        "organisation",
    )
    refused(
        lambda: services.member_add(
            actor=w.admin_a, chain=w.chain_a, segment=w.segments_a[1], organisation=w.chain_dept_a
        ),
        "organisation",
        "企业",
    )
    refused(
        lambda: services.member_add(actor=w.admin_a, chain=w.chain_b, segment=w.segment_b, organisation=w.owner_org_a)
    )


def test_move_change_role_and_remove_member(chain_world):
    w = chain_world
    services.member_update(actor=w.admin_a, member=w.member_a, segment=w.segments_a[2], role=MemberRole.CORE)
    member = Member.objects.get(pk=w.member_a.pk)
    assert (member.segment, member.role) == (w.segments_a[2], MemberRole.CORE)
    refused(lambda: services.member_update(actor=w.admin_a, member=member, role="boss"), "role")
    refused(lambda: services.member_remove(actor=w.admin_a, member=w.member_b))
    pk = member.pk
    services.member_remove(actor=w.admin_a, member=member)
    assert not Member.objects.filter(pk=pk).exists()
    assert Member.history.filter(id=pk, history_type="-").get().history_user == w.admin_a


def test_output_set_and_bad_values(chain_world):
    w = chain_world
    out = services.output_set(actor=w.admin_a, chain=w.chain_a, year=2025, actual="1500", target="2000")
    assert out.pk == w.output_a.pk and out.actual == Decimal("1500")
    refused(lambda: services.output_set(actor=w.admin_a, chain=w.chain_a, year=2026, actual="-1"), "actual", "负数")
    refused(lambda: services.output_set(actor=w.admin_a, chain=w.chain_a, year=2026, target=Decimal("-5")), "target")
    refused(lambda: services.output_set(actor=w.admin_a, chain=w.chain_a, year=2026, actual="abc"), "actual")
    refused(lambda: services.output_set(actor=w.admin_a, chain=w.chain_a, year=1800, actual="1"), "year")
    refused(lambda: services.output_set(actor=w.admin_a, chain=w.chain_a, year=2026))
    refused(lambda: services.output_set(actor=w.admin_a, chain=w.chain_b, year=2026, actual="1"))
    assert Output.objects.get(pk=w.output_a.pk).actual == Decimal("1500")


def test_projects_link_and_unlink(chain_world):
    w = chain_world
    refused(lambda: services.project_link(actor=w.admin_a, chain=w.chain_a, project=w.project_b), "project")
    refused(lambda: services.project_link(actor=w.admin_a, chain=w.chain_a, project=w.project_a), "project", "已关联")
    link = services.project_link(actor=w.admin_a, chain=w.chain_a, project=w.project_a2)
    services.project_update(actor=w.admin_a, link=link, segment=w.segments_a[1])
    assert ChainProject.objects.get(pk=link.pk).segment == w.segments_a[1]
    refused(lambda: services.project_unlink(actor=w.admin_a, link=w.link_b))
    pk = link.pk
    services.project_unlink(actor=w.admin_a, link=link)
    assert not ChainProject.objects.filter(pk=pk).exists()


def test_city_admin_changes_both(chain_world):
    w = chain_world
    services.chain_update(actor=w.city_admin, chain=w.chain_b, description="市级统筹")
    assert Chain.objects.get(pk=w.chain_b.pk).description == "市级统筹"
