import pytest

from correspondence.records.errors import InvalidInput
from correspondence.records.vocabulary import AreaKind, Grade


@pytest.mark.parametrize("text", ["Requires Improvement", "requires-improvement", "REQUIRES_IMPROVEMENT", " requires  improvement "])
def test_grades_are_normalised_whatever_their_case(text):
    assert Grade.parse(text) is Grade.REQUIRES_IMPROVEMENT


def test_unknown_grade_lists_the_choices():
    with pytest.raises(InvalidInput) as caught:
        Grade.parse("greatish", field="overall_grade")
    message = str(caught.value)
    assert message.startswith("overall_grade: unknown grade 'greatish'")
    assert "outstanding, good, adequate, requires improvement, inadequate" in message


def test_plural_section_names_are_understood():
    assert AreaKind.parse("Areas for improvement") is AreaKind.AREA_FOR_IMPROVEMENT
    assert AreaKind.parse("causes of concern") is AreaKind.CAUSE_OF_CONCERN
