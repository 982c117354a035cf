"""The grammar of temporal expressions: one regex per kind of expression.

``ALTERNATIVES`` lists them as (name, pattern); each becomes a named group of one
alternation.  At one position the first alternative that matches wins, so the
order goes from the most specific reading to the least ("Friday, June 4" before
"Friday", "a year ago" before "a year", "the past three years" before "the past
year" before "the past").  ``date_triggers`` compiles the grammar into fast
scanners; ``date_rules`` reads what each alternative matched.
"""
from __future__ import annotations

from .date_lexicon import (
    DAY,
    DAY_WORD,
    DURATION_MOD,
    HY,
    MONTH,
    MONTH_FULL,
    NUMBER,
    S,
    SPELLED_YEAR,
    UNIT,
    UNIT_PL,
    UNIT_SG,
    VAGUE,
    WEEKDAY,
    WEEKDAY_PLURAL,
    YEAR,
    YEAR_OR_SHORT,
)

PART_OF_DAY = r"(?:morning|afternoon|evening|night|overnight)"
SEASON = r"(?:spring|summer|fall|autumn|winter)"
# "early June", "mid-June", "the end of June", "the first half of 2025"
PREMOD = (
    r"(?:(?:the" + S + r")?(?:early|late|mid|middle)(?:" + HY + r")"
    r"|the" + S + r"(?:beginning|end|middle|start|close|turn|first" + S + r"half"
    r"|second" + S + r"half|first" + S + r"week|last" + S + r"week|last" + S
    + r"days|first" + S + r"days|final" + S + r"days)" + S + r"of" + S + r")"
)
# "the end of next week": the edge keeps the value of the period it is part of
EDGE_OF = (
    r"(?:the" + S + r"(?:end|beginning|start|middle|close)" + S + r"of" + S + r")"
)
REL_MOD = (
    r"(?:(?:early|late|earlier|later|mid)(?:" + HY + r")(?:in" + S + r")?)"
)
DAY_LIST = (
    r"(?:" + DAY + r"(?:(?:" + S + r"?," + S + r"?" + DAY + r")*,?" + S
    + r"(?:and|or|to|through|until|till|&)" + S + DAY
    + r"|[ \t]*[-\u2013\u2014][ \t]*" + DAY + r")?)"
)
DAY_OF = r"(?:(?:" + DAY + r"|" + DAY_WORD + r")(?:" + S + r"of)?)"
DAY_OF_LIST = (
    r"(?:" + DAY_OF + r"(?:(?:" + S + r"?," + S + r"?" + DAY_OF + r")*,?" + S
    + r"(?:and|or|to|through|until|till|&)" + S + DAY_OF + r"|[ \t]*[-\u2013\u2014]"
    r"[ \t]*" + DAY_OF + r")?)"
)
WEEKDAY_PREFIX = r"(?:" + WEEKDAY + r"(?:" + S + r"?,)?" + S + r")"
CLOCK = (
    # "4 in the morning", "11:30 at night"
    r"(?:(?:1[0-2]|0?[1-9])(?::[0-5]\d)?" + S + r"(?:in" + S + r"the" + S
    + r"(?:morning|afternoon|evening)|at" + S + r"night)\b"
    r"|(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?" + S + r"?(?:a\.m\.|p\.m\.|a\.m|p\.m"
    r"|am\b|pm\b)|(?:[01]?\d|2[0-3]):[0-5]\d\b|noon\b|midday\b|midnight\b"
    r"|[0-2]\d[0-5]\d(?=" + S + r"?(?-i:GMT|UTC)\b)"
    r"|(?:[01]?\d)" + S + r"o'clock\b)"
)
_ZONES = (
    r"(?-i:GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|MSK|IST"
    r"|ET)\b"
)
TIMEZONE = (
    r"(?:" + S + r"?\(" + _ZONES + r"\)|" + S + r"?" + _ZONES + r"|" + S + r"local"
    + S + r"time\b)"
)
DAY_REF = r"(?:" + WEEKDAY + r"|today|yesterday|tomorrow|tonight)\b"
ORD_QUARTER = (
    r"(?:first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current"
    r"|past|previous|next|coming|same|year-earlier|year-ago|year" + HY + r"earlier"
    r"|year" + HY + r"ago)"
)
ORD_CENTURY = (
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth"
    r"|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty" + HY
    + r"first|twenty" + HY + r"second)"
)
REL_WORD = (
    r"(?:last|this(?:" + S + r"past|" + S + r"coming)?|next|past|coming|previous"
    r"|current|the" + S
    + r"(?:past|last|previous|coming|next|current|following|preceding|same))"
)
REF_UNIT = r"(?:day|morning|afternoon|evening|night|week|weekend|month|year)"
HOLIDAY = (
    r"(?:Christmas(?:" + S + r"(?:Day|Eve))?|New" + S + r"Year's(?:" + S
    + r"(?:Day|Eve))?|Easter(?:" + S + r"(?:Sunday|Monday))?|Good" + S + r"Friday"
    r"|Thanksgiving(?:" + S + r"Day)?|Independence" + S + r"Day|Election" + S
    + r"Day|Labor" + S + r"Day|Memorial" + S + r"Day|Valentine's" + S + r"Day"
    r"|Halloween|Boxing" + S + r"Day|Victory" + S + r"Day|Veterans" + S + r"Day"
    r"|(?:Holy|Easter)" + S + r"[Ww]eek|Palm" + S + r"Sunday|Ash" + S + r"Wednesday"
    r"|(?:Holy|Maundy)" + S
    + r"Thursday|Pentecost|(?:St\.?|Saint)" + S + r"Patrick's" + S + r"Day"
    r"|(?:International" + S + r")?Women's" + S + r"Day|Earth" + S + r"Day"
    r"|Bastille" + S + r"Day|Remembrance" + S + r"Day|Armistice" + S + r"Day)"
)

BARE_UNITS = (
    r"(?:years|months|weeks|decades|centuries|hours|days|minutes|seconds|nights)"
)

ALTERNATIVES: list[tuple[str, str]] = [
    ("iso_date", (
        r"\d{4}-[01]\d-[0-3]\d(?:T[0-2]\d:[0-5]\d(?::[0-5]\d)?)?(?![\d-])"
        r"|\d{4}/[01]?\d/[0-3]?\d(?![\d/])"
        r"|[0-3]?\d/[0-3]?\d/(?:\d{4}|\d\d)(?![\d/])"
        r"|[0-3]?\d\.[01]?\d\.\d{4}(?![\d.]\d)"
    )),
    # "Wednesday, June 4, 2025", "June 4-6", "May 24, 25, and 26"
    ("month_day", (
        r"(?:around" + S + r"|the" + S + r"week" + S + r"of" + S + r")?"
        + WEEKDAY_PREFIX + r"?" + MONTH + S + r"?" + DAY_LIST
        + r"(?:(?:" + S + r"?," + S + r"?|" + S + r")(?:of" + S + r")?"
        + YEAR_OR_SHORT + r")?"
    )),
    # "1 June 2025", "the 4th of June", "Wednesday, the 4th of June", "4-6 June"
    ("day_month", (
        WEEKDAY_PREFIX + r"?(?:the" + S + r")?" + DAY_OF_LIST + S + MONTH
        + r"(?:,?" + S + YEAR_OR_SHORT + r")?"
    )),
    ("month_year", (
        PREMOD + r"?" + MONTH + r"(?:(?:" + S + r"?,)?" + S + r"(?:of" + S + r")?(?:"
        + YEAR_OR_SHORT + r"|" + SPELLED_YEAR + r")|" + S + r"(?:this|last|next)" + S
        + r"year\b)"
    )),
    ("clock", (
        r"(?:around" + S + r")?" + CLOCK + TIMEZONE + r"?(?:" + S + r"?,?" + S + r"(?:"
        + DAY_REF + r"|" + MONTH + S + DAY + r"))?"
    )),
    # "three years ago", "a day earlier", "two days later"
    ("ago", (
        r"(?:" + DURATION_MOD + S + r")?(?:" + NUMBER + r"|" + VAGUE + r"|an?)"
        + HY + UNIT + r"(?:" + S + r"and" + S + r"a" + S + r"half)?(?:" + S + r"or"
        + S + r"so)?" + S
        + r"(?:ago|earlier|later|hence|from" + S + r"now|(?:before|after)(?!" + S
        + r"(?:the|a|an|his|her|its|their|he|she|it|they|we|i|you|this|that)\b))\b"
    )),
    ("set", (
        r"(?:every|each|per)" + S + r"(?:other" + S + r"|single" + S + r")?(?:(?:"
        + NUMBER + r"|few)" + S + r")?(?:" + UNIT + r"|" + WEEKDAY + r"|"
        + MONTH_FULL + r"|" + PART_OF_DAY + r"|" + SEASON + r"|weekend)\b"
        r"|(?:once|twice|(?:" + NUMBER + r"|several|many|a" + S + r"few|a" + S
        + r"couple" + S + r"of)" + S + r"times)" + S + r"(?:a|an|per|each|every)" + S
        + UNIT_SG + r"\b"
        r"|(?:day|night|week|month|year)" + S + r"after" + S
        + r"(?:day|night|week|month|year)\b"
        r"|weekends\b(?<=on weekends)"
        r"|(?:daily|weekly|monthly|quarterly|annually|yearly|hourly|nightly"
        r"|biweekly|bimonthly|semiannually|semi-annually|fortnightly)\b"
        r"|" + WEEKDAY_PLURAL + r"(?:" + S + r"(?:mornings|afternoons|evenings"
        r"|nights))?"
        r"|" + WEEKDAY + S + r"(?:mornings|afternoons|evenings|nights)\b"
    )),
    # "the past three years", "a 12-day war", "an hour and 15 minutes"
    ("duration", (
        # "a three-year period", "a 10-year term": the noun is part of it
        r"(?:an?|the)" + S + r"(?:" + NUMBER + r")" + HY + UNIT_SG + S
        + r"(?:period|term|span|stretch|stint)\b"
        r"|(?:" + DURATION_MOD + S + r")?(?:(?:the" + S + r")?(?:past|last|next"
        r"|first|previous|coming|following|final|remaining|initial|latest|same"
        r"|other|full|entire|whole)" + S + r")?(?:(?:" + NUMBER + r"|" + VAGUE
        + r"|an?|half" + S + r"an?|couple" + S + r"of)" + HY + r"(?:(?:more|trading"
        r"|business|working)" + S + r")?(?:" + UNIT
        + r"|quarters\b)(?![-\u2010-\u2014](?:earlier|ago)\b)(?:" + S + r"and"
        + S + r"a" + S + r"half\b|" + S + r"and" + S + r"(?:" + NUMBER
        + r"|an?)" + HY + UNIT + r")?(?:" + HY + r"(?:long|old)\b)?(?:" + S
        + r"or" + S + r"so\b)?)"
        r"|the" + S + r"(?:" + NUMBER + r")" + S + r"(?:months|weeks|years|days)\b"
        # "the past year and a half"
        r"|(?:the" + S + r")?(?:past|last|next|first|previous|coming|following"
        r"|final)" + S + UNIT_SG + S + r"and" + S + r"a" + S + r"half\b"
        # "six to eight weeks", "the next 12 to 18 months"
        r"|(?:(?:the" + S + r")?(?:past|last|next|coming|previous|first|final)" + S
        + r")?(?:" + NUMBER + r")" + S + r"(?:to|or)" + S + r"(?:" + NUMBER + r")"
        + HY + UNIT +
        r"|(?:the" + S + r")?(?:past|last|next|coming|previous|few|several|many"
        r"|recent|following)" + S + r"(?:few" + S + r"|several" + S + r")?"
        r"(?:years|months|weeks|days|decades|centuries|hours|quarters)\b"
        r"|(?:" + UNIT_PL + r"|" + UNIT_SG + r")[-\u2010-\u2014](?:long|old)\b"
        r"|(?:an?" + S + r")?half" + HY + r"(?:hour|day|year|century)\b"
        # "hours later", "in the days before the vote", "minutes after the blast"
        r"|(?:" + UNIT_PL + r")(?=" + S + r"(?:later|earlier|before|after)\b)"
    )),
    # "the third quarter", "third-quarter", "the year-ago quarter", "the first half"
    ("quarter", (
        r"(?:(?:the|its|their|this" + S + r"year's|last" + S + r"year's|next" + S
        + r"year's)" + S + r")?(?:(?:fiscal|calendar|same|comparable|corresponding"
        r"|year" + HY + r"(?:earlier|ago)|" + YEAR + r")" + S + r")*" + ORD_QUARTER
        + r"(?:" + HY + r"(?:fiscal|calendar)" + S + r"|" + HY + r")(?:quarter|half"
        r"|period)\b(?:(?:" + S + r"of|,)?" + S + YEAR + r"|" + S + r"of" + S
        + r"(?:this|last|next|the)" + S + r"year\b)?"
        r"|(?:the" + S + r")?(?:(?:comparable|corresponding|fiscal)" + S + r")*"
        r"(?:year-earlier|year-ago|latest|current|same|" + YEAR + r")" + S
        + r"(?:quarter|period)\b"
        r"|(?:the|that)" + S + r"quarter\b"
        r"|(?-i:Q[1-4])(?:" + S + r"?" + YEAR + r")?\b"
        r"|year" + HY + r"(?:earlier|ago)\b"
    )),
    ("decade", (
        r"(?:the" + S + r")?(?:(?:early|mid|late)(?:" + HY + r"))?(?:\d\d\d0'?s\b"
        r"|'\d0s\b)"
        r"|the" + S + r"(?:(?:early|mid|late)(?:" + HY + r"))?(?:\d0s\b|(?:nineteen"
        + HY + r")?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties"
        r"|nineties)\b)"
    )),
    ("spelled_year", (
        r"(?:the" + S + r"year" + S + r")?" + SPELLED_YEAR
    )),
    ("century", (
        r"(?:the" + S + r")?(?:(?:early|mid|late)(?:" + HY + r"))?" + ORD_CENTURY
        + HY + r"century\b|(?:this|last|the" + S + r"(?:last|past|previous|next"
        r"|current))" + S + r"century\b"
    )),
    # "the following day", "the next morning", "that same day"
    ("ref_unit", (
        r"(?:the|that)" + S + r"(?:(?:following|next|previous|preceding|same"
        r"|prior)" + S + r")" + REF_UNIT + r"\b(?:" + S + r"or" + S + r"so\b)?"
        r"|(?:that|the)" + S + r"same" + S + REF_UNIT + r"\b"
        r"|the" + S + r"day" + S + r"(?:before|after)" + S + r"(?:yesterday"
        r"|tomorrow)\b"
        r"|(?:(?:earlier|later)" + S + r")?that" + S + r"(?:day|week|month|year)\b"
    )),
    # "last week", "earlier this month", "next Monday", "last May", "this summer"
    ("relative", (
        # "the end of this week", "early next year", "last fiscal year"
        r"(?:" + EDGE_OF + r"|" + REL_MOD + r")?" + REL_WORD + S + r"(?:fiscal" + S
        + r"(?=year|quarter))?(?:week(?:end)?|month|year|quarter|decade|" + SEASON
        + r")\b(?!" + HY + r"\d)(?:" + S + r"or" + S + r"so\b)?"
        r"|the" + S + r"weekend\b"
        r"|" + REL_MOD + r"?(?:last|this(?:" + S + r"past|" + S + r"coming)?|next"
        r"|past|coming)" + S + r"(?:"
        + MONTH_FULL + r"|" + WEEKDAY + r"(?:" + S + PART_OF_DAY + r")?)"
    )),
    ("day_word", (
        r"(?:(?:early|late|earlier|later)" + S + r")?(?:(?:yesterday|today"
        r"|tomorrow|tonight|last" + S + r"night|this" + S + r"(?:morning"
        r"|afternoon|evening))(?:" + S + PART_OF_DAY + r"\b)?|overnight"
        r"|(?:early|late|later|mid)" + HY + r"?(?:morning|afternoon|evening)"
        r"(?:" + S + r"(?:yesterday|today|tomorrow))?"
        # "in the morning": the morning of the day being talked about
        r"|the" + S + r"(?:morning(?<=in the morning)|evening(?<=in the evening)"
        r"|afternoon(?<=in the afternoon)))\b"
    )),
    # "earlier Friday": TimeML leaves the modifier out; the handler still reads it
    ("weekday", WEEKDAY + r"(?:" + S + PART_OF_DAY + r")?\b"),
    ("year", (
        r"(?:(?:fiscal|calendar|the" + S + r"year|" + SEASON + r"|the" + S
        + SEASON + S + r"of)(?:" + HY + r")|" + PREMOD + r")?(?:" + YEAR
        + r"(?:[-\u2013](?:" + YEAR + r"|\d\d\b))?|(?<=fiscal )'\d\d\b)"
    )),
    # "by the end of the year", "year-end", "for the year ended June 30"
    ("period_ref", (
        r"the" + S + r"(?:end|beginning|start|middle|close)" + S + r"of" + S
        + r"the" + S + r"(?:year|month|week|day)\b"
        r"|(?:around" + S + r")?year(?:'s)?" + HY + r"end\b"
        r"|(?:earlier|later)" + S + r"in" + S + r"the" + S + r"(?:year|month|week)\b"
        r"|the" + S + r"day\b"
        # "for the week", "the month's gains" ("the week of May 6" is a date)
        r"|the" + S + r"(?:week|month)\b(?!" + S + r"of\b|[-\u2010-\u2014])"
        r"|the" + S + r"(?:(?:full|fiscal|calendar|latest" + S + r"fiscal)" + S
        + r")?year\b(?![-\u2010-\u2014'])"
        r"|the" + S + r"(?:near|short|long)" + S + r"term\b"
        r"|the" + S + r"(?:days|weeks|months|years)" + S + r"ahead\b"
        r"|a" + S + r"while\b|some" + S + r"time\b"
    )),
    ("month", PREMOD + r"?" + MONTH_FULL),
    ("season", (
        r"(?:" + PREMOD + r"|(?:the" + S + r"(?:early|late)" + S + r"))?"
        r"(?:the" + S + r")?" + SEASON + r"\b"
    )),
    ("holiday", r"(?-i:" + HOLIDAY + r")\b"),
    ("reference", (
        r"now\b|currently|at" + S + r"present\b|nowadays"
        r"|these" + S + r"days|at" + S + r"the" + S + r"moment|the" + S
        + r"(?:(?:near|distant|immediate|foreseeable)" + S + r")?future"
        r"|the" + S + r"(?:recent" + S + r")?past\b|(?:more" + S + r")?recently"
        r"|current\b|(?:the" + S + r")?(?:coming|next"
        r"|following)" + S + r"(?:days|weeks|months|years|decades)\b"
        r"|(?:years|months|weeks|days)" + S + r"to" + S + r"come\b"
    )),
    # plain "years", "decades", "weeks or months": only a duration after words
    # like "for" or "in"
    ("vague_unit", (
        BARE_UNITS + r"\b(?:" + S + r"or" + S + BARE_UNITS + r"\b)?"
    )),
]
