"""load-reference on small files: validation, idempotency, updates."""

import pytest

from aip.models import Organisation

LEA_HEADER = "school_year,leaid,lea_name,lea_category_derived,n_schools,city"
SCHOOL_HEADER = ("school_year,ncessch,leaid,school_name,lea_name,"
                 "city_location,state,lowest_grade_offered,"
                 "highest_grade_offered,lea_category_derived")
LEAS = [
    "2019-20,3500180,BELEN CONSOLIDATED SCHOOLS,School district,2,BELEN",
    "2019-20,3500152,ESTANCIA VALLEY CLASSICAL ACADEMY,"
    "State-chartered charter school (own LEA),1,MORIARTY",
    "2019-20,3500014,NM SCHOOL FOR THE DEAF,"
    "State-supported / state agency,1,SANTA FE",
    "2019-20,5900028,SOME BIE SCHOOL,"
    "\"BIE (federal, Bureau of Indian Education)\",1,CROWNPOINT",
]
SCHOOLS = [
    "2019-20,350018000140,3500180,BELEN HIGH,B,BELEN,NM,9,12,x",
    "2019-20,350018000141,3500180,BELEN MIDDLE,B,BELEN,NM,7,8,x",
    "2019-20,350015200999,3500152,ESTANCIA VALLEY CLASSICAL ACADEMY,E,"
    "MORIARTY,NM,Kindergarten,12,x",
    "2019-20,350001400999,3500014,NMSD,N,SANTA FE,NM,Pre-K,12,x",
    "2019-20,590002800094,5900028,BIE SCHOOL,S,CROWNPOINT,NM,Pre-K,8,x",
]


def write(path, header, rows):
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


@pytest.fixture
def files(tmp_path):
    def make(leas=LEAS, schools=SCHOOLS):
        return ["--leas", str(write(tmp_path / "leas.csv", LEA_HEADER, leas)),
                "--schools",
                str(write(tmp_path / "schools.csv", SCHOOL_HEADER, schools))]
    return make


def load(runner, args):
    return runner.invoke(args=["aip", "load-reference", *args])


def test_load_reference_creates_organisations(runner, db, files):
    result = load(runner, files())

    assert result.exit_code == 0, result.output
    assert "district: 1 created, 0 updated, 0 unchanged" in result.output
    assert "charter: 1 created" in result.output
    assert "school: 3 created" in result.output
    assert "Skipped 1 Bureau of Indian Education schools" in result.output
    belen = Organisation.get(Organisation.nces_id == "3500180")
    high = Organisation.get(Organisation.nces_id == "350018000140")
    assert belen.kind == "district"
    assert belen.city == "BELEN"
    assert high.parent_id == belen.id
    assert (high.lowest_grade, high.highest_grade) == ("9", "12")
    assert Organisation.ped().name == "NEW MEXICO PUBLIC EDUCATION DEPARTMENT"


def test_load_reference_skips_bie_and_state_agencies(runner, db, files):
    load(runner, files())

    assert Organisation.get_or_none(Organisation.nces_id == "5900028") is None
    assert Organisation.get_or_none(Organisation.nces_id == "3500014") is None
    assert not Organisation.select().where(
        Organisation.nces_id == "590002800094").exists()


def test_load_reference_can_include_state_agencies(runner, db, files):
    result = load(runner, [*files(), "--include-state-agencies"])

    assert result.exit_code == 0, result.output
    agency = Organisation.get(Organisation.nces_id == "3500014")
    assert agency.kind == "district"
    assert Organisation.get(Organisation.nces_id == "350001400999").parent_id \
        == agency.id


def test_load_reference_twice_changes_nothing(runner, db, files):
    load(runner, files())
    before = [(org.id, org.name, org.parent_id)
              for org in Organisation.select().order_by(Organisation.id)]

    result = load(runner, files())

    after = [(org.id, org.name, org.parent_id)
             for org in Organisation.select().order_by(Organisation.id)]
    assert result.exit_code == 0
    assert "school: 0 created, 0 updated, 3 unchanged" in result.output
    assert after == before


def test_load_reference_updates_changed_rows(runner, db, files):
    load(runner, files())
    renamed = [SCHOOLS[0].replace("BELEN HIGH", "BELEN HIGH SCHOOL")
               .replace(",9,12,", ",10,12,"), *SCHOOLS[1:]]

    result = load(runner, files(schools=renamed))

    high = Organisation.get(Organisation.nces_id == "350018000140")
    assert "school: 0 created, 1 updated, 2 unchanged" in result.output
    assert high.name == "BELEN HIGH SCHOOL"
    assert high.lowest_grade == "10"
    assert Organisation.select().where(Organisation.kind == "school").count() \
        == 3


@pytest.mark.parametrize("row, reason", [
    ("2019-20,35001800014,3500180,SHORT ID,B,BELEN,NM,9,12,x",
     "line 2: invalid NCES school id '35001800014'"),
    ("2019-20,350099000140,3500180,WRONG LEA,B,BELEN,NM,9,12,x",
     "line 2: NCES school id 350099000140 does not start with its LEA id"),
    ("2019-20,350018000150,3500180,,B,BELEN,NM,9,12,x",
     "line 2: missing school name"),
    ("2019-20,350018000150,3500180,GRADE 13,B,BELEN,NM,9,13,x",
     "line 2: invalid grade '13'"),
    ("2019-20,350018000150,3500180,UPSIDE DOWN,B,BELEN,NM,12,9,x",
     "line 2: lowest grade 12 is above highest grade 9"),
    ("2019-20,350077000150,3500770,NO LEA,B,BELEN,NM,9,12,x",
     "line 2: LEA '3500770' is not in the LEA file"),
])
def test_load_reference_rejects_invalid_school(runner, db, files, row,
                                               reason):
    result = load(runner, files(schools=[row, *SCHOOLS]))

    assert result.exit_code == 1
    assert f"Rejected schools.csv {reason}" in result.output
    assert "1 rows were rejected" in result.output
    assert Organisation.select().where(Organisation.kind == "school").count() \
        == 3


def test_load_reference_rejects_invalid_lea(runner, db, files):
    leas = [*LEAS, "2019-20,350018,SHORT,School district,1,X",
            "2019-20,3500999,ODD,Private school,1,X",
            "2019-20,3500180,BELEN AGAIN,School district,2,BELEN"]

    result = load(runner, files(leas=leas))

    assert result.exit_code == 1
    assert "line 6: invalid NCES LEA id '350018'" in result.output
    assert "line 7: unknown category 'Private school'" in result.output
    assert "line 8: duplicate NCES LEA id 3500180" in result.output
    assert Organisation.get(Organisation.nces_id == "3500180").name == \
        "BELEN CONSOLIDATED SCHOOLS"


def test_load_reference_reports_missing_column(runner, db, tmp_path):
    leas = write(tmp_path / "leas.csv", "leaid,lea_name", ["3500180,B"])
    schools = write(tmp_path / "schools.csv", SCHOOL_HEADER, [])

    result = load(runner, ["--leas", str(leas), "--schools", str(schools)])

    assert result.exit_code == 1
    assert "leas.csv is missing the column(s) lea_category_derived, city" \
        in result.output
    assert Organisation.select().count() == 0


def test_load_reference_rejects_missing_file(runner, tmp_path):
    result = load(runner, ["--leas", str(tmp_path / "nope.csv")])

    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_load_reference_stores_state_code_column(runner, db, tmp_path):
    leas = write(tmp_path / "leas.csv", LEA_HEADER + ",state_code",
                 [LEAS[0] + ",005"])
    schools = write(tmp_path / "schools.csv", SCHOOL_HEADER + ",state_code",
                    [SCHOOLS[0] + ",005001"])

    result = load(runner, ["--leas", str(leas), "--schools", str(schools)])

    assert result.exit_code == 0, result.output
    assert Organisation.get(Organisation.nces_id == "3500180").state_code \
        == "005"
    assert Organisation.get(
        Organisation.nces_id == "350018000140").state_code == "005001"


def test_load_reference_without_state_code_leaves_it(runner, db, files):
    load(runner, files())
    Organisation.update(state_code="005").where(
        Organisation.nces_id == "3500180").execute()

    load(runner, files())

    assert Organisation.get(Organisation.nces_id == "3500180").state_code \
        == "005"
