"""Synthetic attendance figures for demonstrations, in PED's shape.

No public file gives New Mexico's chronic absence by school, student
group and grade, so the demo generates it. Each school's numbers come
from a random.Random seeded with its NCES id and the year, so the same
database gets the same figures on every run.

The figures follow the published statewide rates (see TARGET_RATES) and
the published pattern: higher for American Indian students, students
with disabilities, English learners and homeless students, higher in
kindergarten and high school, and lowest in the upper elementary grades.

Every row is stored with source="synthetic" and must be labelled as
synthetic demo data wherever it shows. The whole-school row (group and
grade empty) is the "ALL" group's row, so no separate ALL row is stored.
"""

import math
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from aip.models import GradeLevel, StudentGroup
from aip.reference import grades_offered

SOURCE = "synthetic"
CURRENT_PERIOD = "80day"
PAST_PERIOD = "eoy"
DAYS_IN_PERIOD = {CURRENT_PERIOD: (78, 80), PAST_PERIOD: (172, 178)}

# Statewide chronic absence (%) by the school year's first calendar year.
# 2021-22 to 2023-24 are PED's published rates; 2024-25 onward is this
# demo's assumption of a slow decline of about a point a year.
TARGET_RATES = {2021: 40.7, 2022: 39.2, 2023: 32.8,
                2024: 31.0, 2025: 30.0, 2026: 29.0}
DECLINE_PER_YEAR = 1.0
FLOOR_RATE = 20.0

# (Share of students, relative risk of chronic absence) per group. Sex
# and race groups partition the students, so their risks move chronic
# absence between them. Programs are subsets, so their risks scale the
# school's rate.
SEX = {"F": (0.485, 0.97), "M": (0.515, 1.03)}
RACE = {"H": (0.62, 1.02), "C": (0.21, 0.85), "I": (0.105, 1.3),
        "B": (0.02, 1.05), "A": (0.015, 0.6), "P": (0.002, 1.1),
        "MR": (0.028, 0.95)}
PROGRAMS = {"ED": (0.72, 1.12), "SD": (0.17, 1.3), "EL": (0.15, 1.15),
            "HL": (0.03, 1.6), "FC": (0.005, 1.45), "MC": (0.02, 0.85),
            "MG": (0.004, 1.3)}
GRADE_RISK = {"PK": 1.3, "KF": 1.2, "01": 1.02, "02": 0.93, "03": 0.88,
              "04": 0.84, "05": 0.84, "06": 0.9, "07": 0.98, "08": 1.02,
              "09": 1.12, "10": 1.18, "11": 1.25, "12": 1.35}
# About the enrollment-weighted mean of GRADE_RISK over the shipped
# schools, so that grade mix moves schools around the statewide rate
# without moving the statewide rate itself.
GRADE_RISK_MEAN = 1.045

# Enrollment (low, high, mode) by school type for a school in a large
# district; schools of small districts are smaller (SMALL_LEA_FACTORS).
ENROLLMENT = {"early": (40, 150, 80), "elementary": (200, 600, 300),
              "middle": (200, 800, 400), "high": (300, 1500, 400),
              "combined": (80, 600, 180)}
SMALL_LEA_FACTORS = ((3, 0.4), (8, 0.7))
ENROLLMENT_DECLINE = 0.01  # per year, as statewide enrollment has fallen


def target_rate(start_year):
    """Return the statewide chronic-absence rate (%) for a school year."""
    if start_year in TARGET_RATES:
        return TARGET_RATES[start_year]
    first, last = min(TARGET_RATES), max(TARGET_RATES)
    if start_year < first:
        return TARGET_RATES[first]
    decline = DECLINE_PER_YEAR * (start_year - last)
    return max(FLOOR_RATE, TARGET_RATES[last] - decline)


def rate_of(chronic, enrollment):
    """Return chronic / enrollment as a percentage with one decimal."""
    value = Decimal(100 * chronic) / Decimal(enrollment)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def apportion(total, weights, caps):
    """Split total into integers roughly in proportion to weights.

    No share exceeds its cap, and the shares add up to total (or to the
    sum of the caps when that is smaller), by largest remainder.
    """
    total = min(total, sum(caps))
    result = [0] * len(weights)
    active = [i for i, cap in enumerate(caps) if cap > 0]
    while total > 0 and active:
        live = {i: weights[i] for i in active}
        if not any(live.values()):
            live = dict.fromkeys(active, 1)
        weight_sum = sum(live.values())
        exact = {i: total * live[i] / weight_sum for i in active}
        full = [i for i in active if exact[i] >= caps[i] - result[i]]
        if not full:
            floors = {i: math.floor(exact[i]) for i in active}
            left = total - sum(floors.values())
            by_remainder = sorted(active, key=lambda i: floors[i] - exact[i])
            for i in active:
                result[i] += floors[i]
            for i in by_remainder[:left]:
                result[i] += 1
            break
        for i in full:
            total -= caps[i] - result[i]
            result[i] = caps[i]
            active.remove(i)
    return result


class Row:
    """The integer counts of one attendance row; they add field by field."""

    FIELDS = ("enrollment", "tier1_students", "tier2_students",
              "tier3_students", "tier4_students", "days_enrolled",
              "days_present", "days_excused", "days_unexcused")

    def __init__(self, **counts):
        for name in self.FIELDS:
            setattr(self, name, counts.get(name, 0))

    def add(self, other):
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def chronically_absent(self):
        return self.tier3_students + self.tier4_students

    def as_figure(self, organisation_id, year_id, period, group_id,
                  grade_id):
        values = {name: getattr(self, name) for name in self.FIELDS}
        values.update(
            organisation=organisation_id, school_year=year_id, period=period,
            group=group_id, grade=grade_id, source=SOURCE,
            chronically_absent=self.chronically_absent,
            chronic_absence_rate=rate_of(self.chronically_absent,
                                         self.enrollment))
        return values


class SchoolProfile:
    """The traits of a school that stay the same from year to year."""

    def __init__(self, school, grades, lea_size, tiers):
        key = school.nces_id or f"id{school.id}"
        self.key = key
        self.grades = [grade.code for grade in grades]
        rng = random.Random(f"aip-demo:{key}")
        low, high, mode = ENROLLMENT[school_type(self.grades)]
        factor = next((f for size, f in SMALL_LEA_FACTORS
                       if lea_size <= size), 1.0)
        self.enrollment = rng.triangular(low, high, mode) * factor
        self.grade_weights = [rng.uniform(0.85, 1.15)
                              * (0.5 if code == "PK" else 1.0)
                              for code in self.grades]
        self.race_shares = _dirichlet(
            rng, [share for share, _ in RACE.values()], 6)
        self.female_share = rng.uniform(0.46, 0.51)
        self.program_shares = {code: share * rng.uniform(0.5, 1.5)
                               for code, (share, _) in PROGRAMS.items()}
        self.effect = math.exp(rng.gauss(-0.03, 0.25))
        mix = sum(weight * GRADE_RISK[code] for code, weight
                  in zip(self.grades, self.grade_weights))
        self.grade_mix = mix / sum(self.grade_weights) / GRADE_RISK_MEAN
        self.absence = [_absence_share(rng, tier) for tier in tiers]
        self.excused_share = rng.uniform(0.35, 0.55)


def school_type(grades):
    """Return early, elementary, middle, high or combined for a span."""
    order = list(GRADE_RISK)
    if not grades:
        return "early"
    low, high = order.index(grades[0]), order.index(grades[-1])
    if high <= order.index("KF"):
        return "early"
    if low >= order.index("09"):
        return "high"
    if high <= order.index("06"):
        return "elementary"
    if low >= order.index("05"):
        return "middle"
    return "combined"


def _dirichlet(rng, means, concentration):
    draws = [rng.gammavariate(mean * concentration, 1) for mean in means]
    total = sum(draws)
    return [draw / total for draw in draws]


def _absence_share(rng, tier):
    """Return the share of days a student of this tier misses on average."""
    lower = float(tier.lower) / 100
    if tier.upper is None:
        return lower * rng.uniform(1.3, 1.7)
    upper = float(tier.upper) / 100
    return lower + (upper - lower) * rng.uniform(0.3, 0.7)


def school_figures(profile, start_year, period):
    """Return {(group code, grade code): Row} for one school and year."""
    rng = random.Random(f"aip-demo:{profile.key}:{start_year}")
    years_on = start_year - min(TARGET_RATES)
    enrollment = max(len(profile.grades), round(
        profile.enrollment * (1 - ENROLLMENT_DECLINE) ** years_on
        * rng.uniform(0.96, 1.04)))
    rate = (target_rate(start_year) / 100 * profile.effect
            * profile.grade_mix * rng.uniform(0.93, 1.07))
    rate = min(rate, 0.9)
    chronic = round(enrollment * rate)
    severe_share = min(0.6, max(0.2, 0.25 + 0.6 * (rate - 0.2)))
    severe = round(chronic * severe_share)
    at_risk = round((enrollment - chronic) * min(0.55, 0.2 + rate))
    days = rng.randint(*DAYS_IN_PERIOD[period])
    day_counts = _day_counts(profile, days)

    whole = (enrollment, chronic, severe, at_risk)
    figures = {(None, None): _row(*whole, day_counts)}
    partitions = [
        ([(None, code) for code in profile.grades], profile.grade_weights,
         [GRADE_RISK[code] for code in profile.grades]),
        ([(code, None) for code in SEX],
         [profile.female_share, 1 - profile.female_share],
         [risk for _, risk in SEX.values()]),
        ([(code, None) for code in RACE], profile.race_shares,
         [risk for _, risk in RACE.values()]),
    ]
    for keys, shares, risks in partitions:
        rows = _partition(whole, shares, risks, day_counts)
        figures.update(zip(keys, rows))
    for code, (_, risk) in PROGRAMS.items():
        count = round(enrollment * profile.program_shares[code]
                      * rng.uniform(0.9, 1.1))
        group_rate = min(0.95, rate * risk)
        group_chronic = round(count * group_rate)
        figures[(code, None)] = _row(
            count, group_chronic, round(group_chronic * severe_share),
            round((count - group_chronic) * min(0.55, 0.2 + group_rate)),
            day_counts)
    return {key: row for key, row in figures.items() if row.enrollment > 0}


def _day_counts(profile, days):
    """Return per tier (days enrolled, absent, excused) for one student."""
    counts = []
    for share in profile.absence:
        absent = min(days, round(days * share))
        counts.append((days, absent, round(absent * profile.excused_share)))
    return counts


def _partition(whole, shares, risks, day_counts):
    """Split a whole-school row into rows that add up to it exactly."""
    enrollment, chronic, severe, at_risk = whole
    sizes = apportion(enrollment, shares, [enrollment] * len(shares))
    chronics = apportion(chronic, [n * r for n, r in zip(sizes, risks)],
                         sizes)
    severes = apportion(severe, [c * r for c, r in zip(chronics, risks)],
                        chronics)
    rest = [n - c for n, c in zip(sizes, chronics)]
    at_risks = apportion(at_risk, [n * r for n, r in zip(rest, risks)],
                         rest)
    return [_row(*counts, day_counts)
            for counts in zip(sizes, chronics, severes, at_risks)]


def _row(enrollment, chronic, severe, at_risk, day_counts):
    tiers = (enrollment - chronic - at_risk, at_risk, chronic - severe,
             severe)
    row = Row(enrollment=enrollment, tier1_students=tiers[0],
              tier2_students=tiers[1], tier3_students=tiers[2],
              tier4_students=tiers[3])
    for students, (enrolled, absent, excused) in zip(tiers, day_counts):
        row.days_enrolled += students * enrolled
        row.days_present += students * (enrolled - absent)
        row.days_excused += students * excused
        row.days_unexcused += students * (absent - excused)
    return row


def generate(schools, years, tiers):
    """Yield figure dicts for each school, its LEA and each year.

    schools are open school Organisations with their parent loaded;
    years are (SchoolYear, period) pairs; tiers come from the registry.
    """
    groups = {group.code: group.id for group in StudentGroup.select()}
    grade_ids = {grade.code: grade.id for grade in GradeLevel.select()}
    lea_sizes = defaultdict(int)
    spans = {}
    for school in schools:
        lea_sizes[school.parent_id] += 1
        span = (school.lowest_grade, school.highest_grade)
        if span not in spans:
            spans[span] = grades_offered(school)
    profiles = [
        (school, SchoolProfile(
            school, spans[(school.lowest_grade, school.highest_grade)],
            lea_sizes[school.parent_id], tiers))
        for school in schools]
    for year, period in years:
        totals = defaultdict(lambda: Row())
        for school, profile in profiles:
            figures = school_figures(profile, year.start_year, period)
            for (group, grade), row in figures.items():
                totals[(school.parent_id, group, grade)].add(row)
                yield row.as_figure(school.id, year.id, period,
                                    groups.get(group), grade_ids.get(grade))
        for (lea_id, group, grade), row in totals.items():
            yield row.as_figure(lea_id, year.id, period, groups.get(group),
                                grade_ids.get(grade))
