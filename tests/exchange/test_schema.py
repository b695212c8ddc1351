"""The published schema: valid draft 2020-12, and its code lists are the models' code lists."""

import jsonschema

from hemkommun.access.models import Share
from hemkommun.casework.models import Assessment, IntegrationPlan, Party, PlanGoal, PlanMeasure, Referral
from hemkommun.clients.codes import LanguageLevel, ResidenceGround
from hemkommun.exchange.record import schema


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _enum(*path) -> set:
    node = schema()
    for part in path:
        node = node[part]
    return set(node["enum"]) - {""}


def test_code_lists_follow_the_models():
    props = schema()["properties"]
    assert _enum("properties", "client", "properties", "residence_ground") == set(ResidenceGround.values)
    assessment = props["assessments"]["items"]["properties"]
    assert set(assessment["status"]["enum"]) == set(Assessment.Status.values)
    assert set(assessment["education_level"]["enum"]) == set(Assessment.EducationLevel.values)
    assert set(assessment["languages"]["items"]["properties"]["level"]["enum"]) == set(LanguageLevel.values)
    plan = props["plans"]["items"]["properties"]
    assert set(plan["status"]["enum"]) == set(IntegrationPlan.Status.values)
    assert set(plan["goals"]["items"]["properties"]["kind"]["enum"]) == set(PlanGoal.Kind.values)
    assert set(plan["measures"]["items"]["properties"]["status"]["enum"]) == set(PlanMeasure.Status.values)
    assert set(plan["responsibilities"]["items"]["properties"]["party"]["enum"]) == set(Party.values)
    referral = props["referrals"]["items"]["properties"]
    assert set(referral["kind"]["enum"]) == set(Referral.Kind.values)
    assert set(referral["status"]["enum"]) == set(Referral.Status.values)
    assert set(referral["scope"]["enum"]) == set(Share.Scope.values)


def test_every_property_is_described():
    def walk(node, path):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert "description" in sub or "$ref" in sub, f"{path}/{name}"
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, path)

    walk(schema(), "")
