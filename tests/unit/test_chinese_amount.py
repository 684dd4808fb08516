"""The amount in Chinese capitals: cases written out by hand from the 中文大写金额 rules."""

from __future__ import annotations

import pytest

from jxc_desktop.domain.chinese_amount import amount_in_capitals
from jxc_desktop.domain.errors import ValidationError

CASES = [
    (0, "零元整"),
    (5, "伍分"),
    (50, "伍角"),
    (55, "伍角伍分"),
    (100, "壹元整"),
    (105, "壹元零伍分"),
    (1000, "壹拾元整"),
    (1005, "壹拾元零伍分"),
    (1510, "壹拾伍元壹角"),
    (10050, "壹佰元伍角"),
    (100406, "壹仟零肆元零陆分"),
    (101000, "壹仟零壹拾元整"),
    (123456, "壹仟贰佰叁拾肆元伍角陆分"),
    (168032, "壹仟陆佰捌拾元叁角贰分"),
    (1000000, "壹万元整"),
    (10000000, "壹拾万元整"),
    (10001000, "壹拾万零壹拾元整"),
    (10500000, "壹拾万伍仟元整"),
    (100000100, "壹佰万零壹元整"),
    (1001000000, "壹仟零壹万元整"),
    (10000000000, "壹亿元整"),
    (10000000100, "壹亿零壹元整"),
    (10001000000, "壹亿零壹万元整"),
    (10000100000, "壹亿零壹仟元整"),
    (11000010000, "壹亿壹仟万零壹佰元整"),
    (20000000010, "贰亿元壹角"),
    (99999999999999, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    (-500, "负伍元整"),
    (-123456, "负壹仟贰佰叁拾肆元伍角陆分"),
    (-5, "负伍分"),
]


@pytest.mark.parametrize(("fen", "text"), CASES)
def test_capitals(fen: int, text: str) -> None:
    assert amount_in_capitals(fen) == text


@pytest.mark.parametrize("bad", [1.5, True, "100", 10**14, -(10**14)])
def test_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        amount_in_capitals(bad)  # type: ignore[arg-type]
