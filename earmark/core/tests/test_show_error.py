"""One refusal, shown on a web form: nothing the user must correct is hidden or misplaced."""

from __future__ import annotations

from django import forms

from earmark.core.errors import INVALID_INPUT, BusinessError, item
from earmark.core.forms import error_lines, show_error
from earmark.immunization.errors import IMMUNIZATION_REFUSED
from earmark.quarantine.errors import DECLARATION_REFUSED
from earmark.rollout.errors import ENABLEMENT_NOT_REQUESTED


class _Form(forms.Form):
    numbers = forms.CharField()
    phone = forms.CharField()


def _shown(error: BusinessError, **options: object) -> tuple[_Form, list[dict[str, object]]]:
    form = _Form({"numbers": "1", "phone": "2"})
    assert form.is_valid()
    rows = show_error(form, error, **options)  # type: ignore[arg-type]
    return form, rows


def test_fields_go_next_to_their_fields_and_unknown_ones_above_the_form() -> None:
    form, _rows = _shown(
        BusinessError(
            "未保存。",
            code=INVALID_INPUT,
            fields={"phone": "请输入11位手机号码。", "other": ["别的问题"]},
        )
    )
    assert form.errors["phone"] == ["请输入11位手机号码。"]
    assert form.non_field_errors() == ["别的问题"]


def test_tag_ranges_go_under_the_numbers_with_the_message_above() -> None:
    error = BusinessError(
        "免疫未能登记。",
        code=IMMUNIZATION_REFUSED,
        items=[
            item("122010200000001-122010200000002", "尚未发给您", count=2),
            item("", "超过存栏"),
        ],
    )
    form, _rows = _shown(error, items_field="numbers")
    assert form.errors["numbers"] == [
        "122010200000001-122010200000002：尚未发给您",
        "超过存栏",
    ]
    assert form.non_field_errors() == ["免疫未能登记。"]


def test_a_table_takes_the_ranges_and_the_form_keeps_the_general_problems() -> None:
    error = BusinessError(
        "申报未提交。",
        code=DECLARATION_REFUSED,
        items=[item("122010200000001", ["尚未佩戴"], count=1), item("", "存栏不足")],
    )
    form, rows = _shown(error, table=True)
    assert [row["ref"] for row in rows] == ["122010200000001"]
    assert form.non_field_errors() == ["存栏不足"]


def test_a_bare_refusal_shows_its_message_and_lines_list_everything() -> None:
    form, _rows = _shown(BusinessError("该县尚未申请启用。", code=ENABLEMENT_NOT_REQUESTED))
    assert form.non_field_errors() == ["该县尚未申请启用。"]
    error = BusinessError(
        "未保存。",
        code=INVALID_INPUT,
        fields={"phone": "错"},
        items=[item(3, "重复", field="name")],
    )
    assert error_lines(error) == ["phone：错", "3：重复"]
