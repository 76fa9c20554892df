#!/usr/bin/python3
"""The household check of the exitcheck benchmark, written with pandas.

    /usr/bin/python3 bench/pandas_check.py DATADIR OUTDIR

Reads DATADIR/household.csv and DATADIR/village.csv and writes
  OUTDIR/households.csv  household_id,village_id,status,claim,not_met
  OUTDIR/villages.csv    village_id,poverty_rate   (empty rate = unknown)

The twelve household targets of the Gansu pack for 2016 (poverty_line 2952,
province_rural_income 7457), vectorised. Numbers are read into pandas'
nullable Float64 dtype and yes/no into the nullable 'boolean' dtype, whose
&, | and ~ are Kleene's three-valued logic, as in exitcheck: False & NA is
False, True & NA is NA, ~NA is NA. Missing cells (empty, NA, N/A, -) are NA.
"""
import sys

import numpy as np
import pandas as pd

POVERTY_LINE = 2952.0
PROVINCE_RURAL_INCOME = 7457.0
MISSING = ["", "NA", "Na", "nA", "na", "N/A", "N/a", "n/A", "n/a", "-"]

TEXT = ["household_id", "village_id"]
NUMBER = ["members", "income_per_capita", "consumption_per_capita",
          "house_area_per_capita", "school_dropouts", "main_laborers",
          "laborers_trained", "ncms_enrolled", "pension_eligible",
          "pension_enrolled"]
BOOL = ["claimed_exit", "house_safe", "safe_water", "tap_water_feasible",
        "tap_water", "income_source", "toilet", "phone", "radio_tv",
        "internet", "debt_illness", "debt_schooling", "debt_marriage"]
TARGETS = [f"H{i:02d}" for i in range(1, 13)]


def yes_no(s):
    """yes -> True, no -> False, anything else (missing) -> NA."""
    yes = (s == "yes").to_numpy(dtype=bool)
    known = yes | (s == "no").to_numpy(dtype=bool)
    return pd.Series(pd.arrays.BooleanArray(yes, ~known), index=s.index)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: pandas_check.py DATADIR OUTDIR")
    data, out = sys.argv[1], sys.argv[2]

    dtypes = {c: "string" for c in TEXT}
    dtypes.update({c: "Float64" for c in NUMBER})
    dtypes.update({c: "category" for c in BOOL})
    df = pd.read_csv(f"{data}/household.csv", usecols=TEXT + NUMBER + BOOL,
                     dtype=dtypes, na_values=MISSING, keep_default_na=False,
                     engine="c")
    b = {c: yes_no(df[c]) for c in BOOL}
    n = df

    t = pd.DataFrame({
        "H01": (n.income_per_capita > POVERTY_LINE) & (n.income_per_capita >= PROVINCE_RURAL_INCOME),
        "H02": b["house_safe"] & (n.house_area_per_capita >= 30),
        "H03": b["safe_water"] & (~b["tap_water_feasible"] | b["tap_water"]),
        "H04": n.school_dropouts == 0,
        "H05": n.laborers_trained >= n.main_laborers,
        "H06": b["income_source"],
        "H07": n.ncms_enrolled >= n.members,
        "H08": n.pension_enrolled >= n.pension_eligible,
        "H09": b["toilet"],
        "H10": b["phone"] & b["radio_tv"] & b["internet"],
        "H11": ~b["debt_illness"] & ~b["debt_schooling"] & ~b["debt_marriage"],
        "H12": n.consumption_per_capita >= POVERTY_LINE,
    })
    meets = t["H01"]
    for k in TARGETS[1:]:
        meets = meets & t[k]
    passed = meets.fillna(False).to_numpy(dtype=bool)
    failed = (~meets).fillna(False).to_numpy(dtype=bool)
    claims = b["claimed_exit"].fillna(False).to_numpy(dtype=bool)

    status = np.where(passed, "pass", np.where(failed, "fail", "unknown"))
    claim = np.where(~claims, "none",
                     np.where(passed, "supported",
                              np.where(failed, "wrong_exit", "unsupported")))

    # Ids of the targets not met, space-separated: a 12-bit code per
    # household looked up in the table of all 4096 lists.
    code = np.zeros(len(df), dtype=np.int64)
    for i, k in enumerate(TARGETS):
        code |= (~t[k]).fillna(False).to_numpy(dtype=bool).astype(np.int64) << i
    lists = np.array([" ".join(k for i, k in enumerate(TARGETS) if c >> i & 1)
                      for c in range(1 << len(TARGETS))], dtype=object)
    not_met = lists[code]

    pd.DataFrame({"household_id": df.household_id, "village_id": df.village_id,
                  "status": status, "claim": claim, "not_met": not_met}
                 ).to_csv(f"{out}/households.csv", index=False)

    # People still poor: members of households that are not (claiming and
    # supported). One such household with unknown members makes the sum unknown.
    poor = ~(claims & passed)
    members = df.members[poor]
    g = pd.DataFrame({"village_id": df.village_id[poor],
                      "people": members.fillna(0).astype("float64"),
                      "unknown": members.isna()}).groupby("village_id", sort=False)
    people = g.people.sum()
    people[g.unknown.any()] = np.nan
    listed = pd.Index(df.village_id.unique())

    v = pd.read_csv(f"{data}/village.csv", usecols=["village_id", "population"],
                    dtype={"village_id": "string", "population": "float64"},
                    na_values=MISSING, keep_default_na=False)
    vid = v.village_id
    has_poor = vid.isin(people.index).to_numpy()
    vp = np.where(has_poor, people.reindex(vid).to_numpy(dtype=float), 0.0)
    pop = v.population.to_numpy(dtype=float)
    ok = vid.isin(listed).to_numpy() & (pop != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(ok, vp / pop * 100, np.nan)
    pd.DataFrame({"village_id": v.village_id, "poverty_rate": rate}).to_csv(
        f"{out}/villages.csv", index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
