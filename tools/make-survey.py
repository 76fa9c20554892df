#!/usr/bin/env python3
"""Fills in a survey form for the demo: fixtures/demo/survey.csv.

Usage: tools/make-survey.py FORM.csv REGISTER_DIR OUT.csv

FORM is the form `exitcheck sample --form` wrote for the demo county;
each of its households gets the register's values (from
REGISTER_DIR/household.csv), then, chosen by a hash of its id so the
result is the same on every machine, what a field survey finds:
  - about one exited household in eight has an income below the 2016
    poverty line (2,952 yuan): a wrong exit;
  - two non-registered households have an income below the line: missed;
  - about one household in six reports an income 3% off the register's
    (within the pack's tolerance), one in ten 20% off (beyond it);
  - one household leaves the toilet cell empty (its status is undecided);
  - one registered household says it is not registered (a contradiction);
  - recognition: yes for most, no for about one in fifteen, no answer
    for about one in forty;
  - one drawn household is missing (not surveyed), and one row is added
    for a household that says it is registered but is not in the
    register.
The values are made up for the demo; nothing here describes a real
survey.
"""
import csv
import hashlib
import sys

form, regdir, out = sys.argv[1], sys.argv[2], sys.argv[3]
POVERTY_LINE = 2952.0

def h(s, salt):
    return int.from_bytes(hashlib.sha256((salt + "\x1f" + s).encode()).digest()[:8], "big") / 2**64

with open(regdir + "/household.csv", encoding="utf-8-sig", newline="") as f:
    reg = {r["household_id"]: r for r in csv.DictReader(f)}
with open(form, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]

# the form's Chinese headers -> the register's columns (the Gansu pack's)
ZH = {"户编号": "household_id", "村编号": "village_id", "县代码": "county_id", "人均可支配收入": "income_per_capita",
      "人均生活消费支出": "consumption_per_capita", "住房安全": "house_safe", "人均住房面积": "house_area_per_capita",
      "饮水安全": "safe_water", "具备通自来水条件": "tap_water_feasible", "通自来水": "tap_water",
      "辍学人数": "school_dropouts", "主要劳动力人数": "main_laborers", "受过培训的主要劳动力人数": "laborers_trained",
      "有增收门路": "income_source", "参加新农合人数": "ncms_enrolled", "符合新农保条件人数": "pension_eligible",
      "参加新农保人数": "pension_enrolled", "卫生厕所": "toilet", "通讯设备": "phone", "有线广播电视": "radio_tv",
      "互联网": "internet", "因病举债": "debt_illness", "因学举债": "debt_schooling", "因婚举债": "debt_marriage",
      "是否建档立卡户": "registered", "家庭人口": "members", "适龄儿童数": "school_age_children"}
col = {name: i for i, name in enumerate(header)}
out_rows = []
missed = 0
dropped = contradicted = emptied = False
for row in body:
    hid = row[col["户编号"]]
    r = reg[hid]
    if not dropped and h(hid, "drop") < 0.05:
        dropped = True           # not surveyed
        continue
    new = list(row)
    for name, i in col.items():
        c = ZH.get(name)
        if c and not new[i] and c in r:
            new[i] = r[c]
    exited = r["claimed_exit"] == "yes" or r["exit_year"] != ""
    inc = float(r["income_per_capita"]) if r["income_per_capita"] else None
    if inc is not None:
        if r["registered"] == "yes" and exited and h(hid, "wrong") < 0.125:
            inc = round(POVERTY_LINE * (0.75 + 0.2 * h(hid, "amount")), 1)
        elif r["registered"] == "no" and missed < 2:
            inc = round(POVERTY_LINE * (0.7 + 0.2 * h(hid, "amount")), 1)
            missed += 1
        elif h(hid, "off") < 0.1:
            inc = round(inc * 1.2, 1)
        elif h(hid, "near") < 0.17:
            inc = round(inc * 0.97, 1)
        new[col["人均可支配收入"]] = ("%.1f" % inc).rstrip("0").rstrip(".")
    if not emptied and exited and h(hid, "empty") < 0.2:
        new[col["卫生厕所"]] = ""
        emptied = True
    if not contradicted and r["registered"] == "yes" and not exited and h(hid, "contra") < 0.5:
        new[col["是否建档立卡户"]] = "no"
        contradicted = True
    u = h(hid, "recognition")
    new[col["认可"]] = "" if u < 0.025 else "no" if u < 0.09 else "yes"
    out_rows.append(new)
# a household that says it is registered and is not in the register
extra = list(out_rows[0])
extra[col["户编号"]] = out_rows[0][col["户编号"]][:9] + "9999"
extra[col["是否建档立卡户"]] = "yes"
out_rows.append(extra)
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("\ufeff")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    w.writerows(out_rows)
print(f"{out}: {len(out_rows)} rows ({missed} missed planted, dropped={dropped}, contradiction={contradicted})")
