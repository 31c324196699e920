"""Foreign certificates kept before #30 held their tags as the issuer sent them (text pairs);
they are numbers now, as everywhere else. Their keys are linked, and every key the platform
handed over before stays waiting until the province administrator pins it (0014's default)."""

import base64
import json

from django.db import migrations


def _number(value):
    text = str(value)
    return int(text) if text.isdigit() and len(text) <= 15 else None


def tags_as_numbers(apps, schema_editor):
    ForeignCertificate = apps.get_model("quarantine", "ForeignCertificate")
    ProvinceKey = apps.get_model("quarantine", "ProvinceKey")
    keys = {k.kid: k for k in ProvinceKey.objects.all()}
    for certificate in ForeignCertificate.objects.all():
        pairs = []
        for pair in certificate.tags if isinstance(certificate.tags, list) else []:
            numbers = [_number(n) for n in pair] if isinstance(pair, list) else []
            if len(numbers) == 2 and None not in numbers and numbers[0] <= numbers[1]:
                pairs.append(numbers)
        certificate.tags = pairs
        kid = _kid(certificate.payload)
        certificate.key = keys.get(kid)
        certificate.save(update_fields=["tags", "key"])


def _kid(payload):
    body = payload.partition(".")[0]
    try:
        fields = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return ""
    return str(fields.get("kid", "")) if isinstance(fields, dict) else ""


class Migration(migrations.Migration):
    dependencies = [("quarantine", "0014_key_trust")]

    operations = [migrations.RunPython(tags_as_numbers, migrations.RunPython.noop)]
