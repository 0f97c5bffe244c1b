"""Read the NCES directory files and load their organisations.

Rows are matched on NCES id, so loading again updates names, cities and
grade spans in place and never duplicates an organisation. Every
rejected row is reported with its file, line number and reason.
"""

import csv
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files

from aip.db import database
from aip.models import Organisation
from aip.models.organisations import CHARTER, DISTRICT, SCHOOL, STATE
from aip.reference import GRADE_LEVELS, NCES_GRADE_CODES

logger = logging.getLogger(__name__)

PED_NAME = "NEW MEXICO PUBLIC EDUCATION DEPARTMENT"
LEAS_FILE = "nm_leas_ccd_2019-20.csv"
SCHOOLS_FILE = "nm_schools_ccd_2019-20.csv"
LEA_COLUMNS = ("leaid", "lea_name", "lea_category_derived", "city")
SCHOOL_COLUMNS = ("ncessch", "leaid", "school_name", "city_location",
                  "lowest_grade_offered", "highest_grade_offered")

# Categories of the LEA file: the kind each one loads as, or None when it
# is skipped. State agencies load only when asked for.
BIE = "bie"
STATE_AGENCY = "state agency"
CATEGORIES = (
    ("School district", DISTRICT),
    ("State-chartered charter school", CHARTER),
    ("State-supported", STATE_AGENCY),
    ("BIE", BIE),
)
NO_GRADE = ("", "Not applicable")
GRADE_POSITIONS = {code: position
                   for position, (code, _) in enumerate(GRADE_LEVELS)}
LEA_ID = re.compile(r"35\d{5}")
SCHOOL_ID = re.compile(r"35\d{10}")
BATCH_SIZE = 200


def shipped_file(name):
    return files("aip.data") / name


class InvalidFile(Exception):
    """A file that cannot be read at all, such as one missing a column."""


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    rejected: list = field(default_factory=list)
    skipped_lea_ids: set = field(default_factory=set)

    def reject(self, path, line, reason):
        self.rejected.append((path.name, line, reason))


def load_reference(leas_path, schools_path, include_state_agencies=False):
    """Load PED, the LEAs and their schools; return a LoadReport."""
    report = LoadReport()
    leas = read_leas(leas_path, report, include_state_agencies)
    schools = read_schools(schools_path, report, leas)
    with database.atomic():
        _load_ped(report)
        _upsert(leas.values(), report)
        parent_ids = _ids_by_nces(leas)
        for row in schools:
            row["parent"] = parent_ids[row.pop("lea_nces_id")]
        _upsert(schools, report)
    logger.info("reference data loaded: %s; %s rejected rows",
                dict(report.counts), len(report.rejected))
    return report


def _rows(path, columns):
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in columns
                   if name not in (reader.fieldnames or [])]
        if missing:
            raise InvalidFile(f"{path.name} is missing the column(s) "
                              f"{', '.join(missing)}.")
        for row in reader:
            clean = {key: (value or "").strip()
                     for key, value in row.items() if key}
            yield reader.line_num, clean


def read_leas(path, report, include_state_agencies):
    """Return the valid LEA rows to load, keyed by NCES id."""
    leas = {}
    for line, row in _rows(path, LEA_COLUMNS):
        nces_id = row["leaid"]
        kind = _lea_kind(row["lea_category_derived"])
        if kind is None:
            report.reject(path, line, "unknown category "
                          f"{row['lea_category_derived']!r}")
        elif kind == BIE or (kind == STATE_AGENCY
                             and not include_state_agencies):
            report.skipped[kind] += 1
            report.skipped_lea_ids.add(nces_id)
        elif not LEA_ID.fullmatch(nces_id):
            report.reject(path, line, f"invalid NCES LEA id {nces_id!r}: "
                          "expected 7 digits starting with 35")
        elif not row["lea_name"]:
            report.reject(path, line, "missing LEA name")
        elif nces_id in leas:
            report.reject(path, line, f"duplicate NCES LEA id {nces_id}")
        else:
            leas[nces_id] = {
                "kind": DISTRICT if kind == STATE_AGENCY else kind,
                "nces_id": nces_id, "name": row["lea_name"],
                "city": row["city"], "state_code": row.get("state_code"),
            }
    return leas


def _lea_kind(category):
    for prefix, kind in CATEGORIES:
        if category.startswith(prefix):
            return kind
    return None


def read_schools(path, report, leas):
    """Return the valid school rows whose LEA is loaded."""
    schools = []
    seen = set()
    for line, row in _rows(path, SCHOOL_COLUMNS):
        if row["leaid"] in report.skipped_lea_ids:
            report.skipped["school"] += 1
            continue
        reason = _school_problem(row, seen)
        if reason is None and row["leaid"] not in leas:
            reason = (f"LEA {row['leaid']!r} is not in the LEA file or its "
                      "row was rejected")
        if reason:
            report.reject(path, line, reason)
            continue
        seen.add(row["ncessch"])
        schools.append({
            "kind": SCHOOL, "nces_id": row["ncessch"],
            "name": row["school_name"], "city": row["city_location"],
            "lea_nces_id": row["leaid"],
            "lowest_grade": _grade(row["lowest_grade_offered"]),
            "highest_grade": _grade(row["highest_grade_offered"]),
            "state_code": row.get("state_code"),
        })
    return schools


def _school_problem(row, seen):
    """Return why a school row is invalid, or None when it is valid."""
    nces_id = row["ncessch"]
    if not SCHOOL_ID.fullmatch(nces_id):
        return (f"invalid NCES school id {nces_id!r}: expected 12 digits "
                "starting with 35")
    if not nces_id.startswith(row["leaid"]):
        return (f"NCES school id {nces_id} does not start with its LEA id "
                f"{row['leaid']!r}")
    if nces_id in seen:
        return f"duplicate NCES school id {nces_id}"
    if not row["school_name"]:
        return "missing school name"
    low = row["lowest_grade_offered"]
    high = row["highest_grade_offered"]
    for value in (low, high):
        if value not in NO_GRADE and value not in NCES_GRADE_CODES:
            return (f"invalid grade {value!r}: expected Pre-K, "
                    "Kindergarten or 1 to 12")
    if (low in NO_GRADE) != (high in NO_GRADE):
        return "grade span has only one end"
    if low not in NO_GRADE and (grade_position(low) > grade_position(high)):
        return f"lowest grade {low} is above highest grade {high}"
    return None


def grade_position(nces_grade):
    """Return the order of an NCES grade name such as Pre-K or 9."""
    return GRADE_POSITIONS[NCES_GRADE_CODES[nces_grade]]


def _grade(value):
    return None if value in NO_GRADE else value


def _load_ped(report):
    ped = Organisation.get_or_none(Organisation.kind == STATE)
    if ped is None:
        Organisation.create(kind=STATE, name=PED_NAME)
        report.counts[(STATE, "created")] += 1
    else:
        report.counts[(STATE, "unchanged")] += 1


def _upsert(rows, report):
    """Create the rows whose NCES id is new and update the changed ones."""
    rows = list(rows)
    existing = {org.nces_id: org for org in Organisation.select().where(
        Organisation.nces_id.in_([row["nces_id"] for row in rows]))}
    new = []
    for row in rows:
        if not row.get("state_code"):
            row.pop("state_code", None)
        org = existing.get(row["nces_id"])
        if org is None:
            new.append(row)
            report.counts[(row["kind"], "created")] += 1
        elif _update(org, row):
            report.counts[(row["kind"], "updated")] += 1
        else:
            report.counts[(row["kind"], "unchanged")] += 1
    for start in range(0, len(new), BATCH_SIZE):
        batch = new[start:start + BATCH_SIZE]
        fields = sorted({key for row in batch for key in row})
        Organisation.insert_many(
            [tuple(row.get(key) for key in fields) for row in batch],
            fields=[getattr(Organisation, key) for key in fields],
        ).execute()


def _update(org, row):
    """Copy the file's values onto org; return whether any changed.

    The kind is left alone: an administrator may have corrected it.
    """
    changes = {}
    for key, value in row.items():
        current = org.parent_id if key == "parent" else getattr(org, key)
        if key not in ("kind", "nces_id") and current != value:
            changes[key] = value
    if changes:
        (Organisation.update(**changes)
         .where(Organisation.id == org.id)
         .execute())
    return bool(changes)


def _ids_by_nces(leas):
    query = (Organisation.select(Organisation.id, Organisation.nces_id)
             .where(Organisation.nces_id.in_(list(leas))))
    return {org.nces_id: org.id for org in query}
