"""The usual categories, which administrators then edit in /admin/ (问题类别)."""

from django.db import migrations

PROJECT = ["用地", "规划", "环评", "资金", "拆迁", "手续审批", "水电气暖", "施工", "政策", "其他"]
ENVIRONMENT = ["水", "大气", "土壤", "生态", "噪声", "固体废物"]


def seed(apps, schema_editor):
    Category = apps.get_model("problems", "ProblemCategory")
    for order, name in enumerate(PROJECT, start=1):
        Category.objects.get_or_create(name=name, defaults={"group": "project", "sort_order": order * 10})
    for order, name in enumerate(ENVIRONMENT, start=1):
        Category.objects.get_or_create(name=name, defaults={"group": "environment", "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
