"""An amount of money in Chinese capitals (大写金额), as written on a sales note or a cheque.

The rules are the People's Bank of China's for 中文大写金额 (支付结算办法, 附一): every digit in its
capital form (壹贰叁…, 拾佰仟, 万亿), 壹拾 never shortened to 拾; a run of zeros inside the number is
one 零; no 零 for zeros at the end of the yuan or before 角 (壹佰元伍角, the form the rules allow);
零 when 角 is zero but 分 is not (壹仟零肆元零陆分); 整 after an amount that ends at 元; a negative
amount starts with 负. Pure standard library: domain/ may import nothing else, which is also why this
is not cn2an (it would also bring PyYAML and `proces` for one small rule set).
"""

from __future__ import annotations

from jxc_desktop.domain.errors import ValidationError

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")  # inside a group of four digits
_GROUPS = ("", "万", "亿")  # groups of four digits, from the right
# Below 万亿 yuan: the three groups cover every amount a shop writes (MAX_FEN is 1 亿 yuan).
LIMIT_FEN = 10**12 * 100


def _yuan_capitals(yuan: int) -> str:
    """The whole yuan (> 0) in capitals, without 元."""
    digits = str(yuan)
    out: list[str] = []
    pending_zero = False
    count = len(digits)
    for i, ch in enumerate(digits):
        pos = count - 1 - i  # power of ten of this digit
        group, place = divmod(pos, 4)
        d = int(ch)
        if d == 0:
            pending_zero = bool(out)  # a zero after something written may need one 零 later
        else:
            if pending_zero:
                out.append("零")
                pending_zero = False
            out.append(DIGITS[d] + _PLACES[place])
        if place == 0 and group > 0:
            start = max(0, i - 3)
            if any(c != "0" for c in digits[start:i + 1]):
                out.append(_GROUPS[group])
                pending_zero = False  # zeros ending a group are not read: 壹拾万伍仟
    return "".join(out)


def amount_in_capitals(fen: int) -> str:
    """``123456`` fen -> ``壹仟贰佰叁拾肆元伍角陆分``; ``0`` -> ``零元整``; ``-500`` -> ``负伍元整``."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise ValidationError("Amount is not an amount of money")
    if abs(fen) >= LIMIT_FEN:
        raise ValidationError("Amount is too large")
    if fen == 0:
        return "零元整"
    sign = "负" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    jiao, fen_digit = divmod(cents, 10)
    text = _yuan_capitals(yuan) + "元" if yuan else ""
    if cents == 0:
        return sign + text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"  # 壹元零伍分: the 角 place is empty between written digits
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    return sign + text
