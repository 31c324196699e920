# The shipped species (pig, cattle, sheep) are written after every migrate: see
# core.species.species_ship.
from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [("core", "0002_request_key")]

    operations = [
        migrations.CreateModel(
            name="Species",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=10, unique=True)),
                ("name", models.CharField(max_length=20, unique=True)),
                ("name_en", models.CharField(max_length=40)),
                ("unit", models.CharField(max_length=4)),
                ("aliases", models.CharField(blank=True, max_length=200)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ["position", "id"], "verbose_name_plural": "species"},
        ),
        migrations.CreateModel(
            name="SpeciesDigit",
            fields=[
                ("digit", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("species", models.ForeignKey(on_delete=models.deletion.PROTECT, related_name="digits", to="core.species")),
            ],
        ),
    ]
