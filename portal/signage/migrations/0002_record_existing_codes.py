from django.db import migrations


def record_existing_codes(apps, schema_editor):
    """Codes given out before this table existed must never be issued again either."""
    DevicePage = apps.get_model("registry", "DevicePage")
    IssuedCode = apps.get_model("signage", "IssuedCode")
    existing = set(IssuedCode.objects.values_list("code", flat=True))
    IssuedCode.objects.bulk_create(
        IssuedCode(code=code)
        for code in DevicePage.objects.values_list("code", flat=True)
        if code and code not in existing
    )


class Migration(migrations.Migration):
    dependencies = [
        ("signage", "0001_initial"),
        ("registry", "0002_devicepage_retired_on"),
    ]

    operations = [migrations.RunPython(record_existing_codes, migrations.RunPython.noop)]
