"""Jilin's defaults, loaded by a data migration and again by tests after a database is emptied.
The province edits them afterwards."""

from __future__ import annotations

from typing import Any

DISEASES = [
    ("fmd_o", "口蹄疫（O型）"),
    ("fmd_a", "口蹄疫（A型）"),
    ("ppr", "小反刍兽疫"),
    ("brucellosis", "布鲁氏菌病"),
]
# FMD type O for pigs, cattle, sheep; type A for all cattle; PPR for sheep and goats. Brucellosis
# becomes compulsory county by county, where a county vaccinates.
COMPULSORY = [
    ("pig", "fmd_o"),
    ("cattle", "fmd_o"),
    ("cattle", "fmd_a"),
    ("sheep", "fmd_o"),
    ("sheep", "ppr"),
]
VACCINES = [
    ("猪口蹄疫O型灭活疫苗", ["fmd_o"], "inactivated", "中牧实业股份有限公司", 180, "pig"),
    (
        "口蹄疫O型、A型二价灭活疫苗",
        ["fmd_o", "fmd_a"],
        "inactivated",
        "中农威特生物科技股份有限公司",
        180,
        "cattle,sheep",
    ),
    (
        "口蹄疫O型合成肽疫苗",
        ["fmd_o"],
        "subunit",
        "申联生物医药（上海）股份有限公司",
        180,
        "pig,cattle,sheep",
    ),
    ("小反刍兽疫活疫苗（Clone9株）", ["ppr"], "live", "中国兽医药品监察所", 1095, "sheep"),
    (
        "布鲁氏菌病活疫苗（S2株）",
        ["brucellosis"],
        "live",
        "哈尔滨维科生物技术有限公司",
        1095,
        "cattle,sheep",
    ),
]


def load(disease_model: Any, compulsory_model: Any, vaccine_model: Any) -> None:
    """Create what is missing; takes the model classes so that a migration can pass its own."""
    for code, name in DISEASES:
        disease_model.objects.get_or_create(code=code, defaults={"name": name})
    for species, disease in COMPULSORY:
        compulsory_model.objects.get_or_create(species=species, disease_id=disease, county_code="")
    for name, diseases, kind, manufacturer, days, species in VACCINES:
        vaccine, _created = vaccine_model.objects.get_or_create(
            name=name,
            manufacturer=manufacturer,
            defaults={"kind": kind, "protection_days": days, "species": species},
        )
        vaccine.diseases.set(diseases)
