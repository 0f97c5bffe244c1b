"""Student groups, grade levels and school years every plan refers to."""

from aip.models import GradeLevel, SchoolYear, StudentGroup

# (code, name, category). Codes follow PED's attendance tables where PED
# has one (F, M, ED, H, I, A, B, C, SD, EL); the rest are this app's.
STUDENT_GROUPS = (
    ("ALL", "All students", "All"),
    ("F", "Female", "Sex"),
    ("M", "Male", "Sex"),
    ("ED", "Economically disadvantaged", "Economic status"),
    ("H", "Hispanic", "Race/ethnicity"),
    ("I", "American Indian or Alaska Native", "Race/ethnicity"),
    ("A", "Asian", "Race/ethnicity"),
    ("B", "Black or African American", "Race/ethnicity"),
    ("C", "Caucasian", "Race/ethnicity"),
    ("P", "Native Hawaiian or Pacific Islander", "Race/ethnicity"),
    ("MR", "Multiracial", "Race/ethnicity"),
    ("SD", "Students with disabilities", "Program"),
    ("EL", "English learners", "Program"),
    ("HL", "Homeless", "Program"),
    ("FC", "Foster care", "Program"),
    ("MC", "Military-connected", "Program"),
    ("MG", "Migrant", "Program"),
)

GRADE_LEVELS = (
    ("PK", "Pre-K"), ("KF", "Kindergarten"), ("01", "Grade 1"),
    ("02", "Grade 2"), ("03", "Grade 3"), ("04", "Grade 4"),
    ("05", "Grade 5"), ("06", "Grade 6"), ("07", "Grade 7"),
    ("08", "Grade 8"), ("09", "Grade 9"), ("10", "Grade 10"),
    ("11", "Grade 11"), ("12", "Grade 12"),
)

# Grade names used by the NCES directory, mapped to GRADE_LEVELS codes.
NCES_GRADE_CODES = {
    "Pre-K": "PK", "Kindergarten": "KF",
    **{str(number): f"{number:02d}" for number in range(1, 13)},
}


def ensure_lookup_rows():
    """Create any missing student groups and grade levels."""
    for position, (code, name, category) in enumerate(STUDENT_GROUPS):
        StudentGroup.get_or_create(
            code=code,
            defaults={"name": name, "category": category,
                      "position": position})
    for position, (code, name) in enumerate(GRADE_LEVELS):
        GradeLevel.get_or_create(code=code,
                                 defaults={"name": name, "position": position})


def school_year_name(start_year):
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def ensure_school_years(current_start_year, previous=2):
    """Create the current school year and the previous ones it compares to."""
    SchoolYear.update(is_current=False).execute()
    for start in range(current_start_year - previous, current_start_year + 1):
        year, _ = SchoolYear.get_or_create(
            start_year=start, defaults={"name": school_year_name(start)})
        if start == current_start_year:
            year.is_current = True
            year.save()


def grades_offered(school):
    """Return the GradeLevel rows from a school's lowest to highest grade."""
    levels = list(GradeLevel.select().order_by(GradeLevel.position))
    codes = [level.code for level in levels]
    low = NCES_GRADE_CODES.get(school.lowest_grade or "", "PK")
    high = NCES_GRADE_CODES.get(school.highest_grade or "", "12")
    if low not in codes or high not in codes:
        return levels
    return levels[codes.index(low):codes.index(high) + 1]
