// The household check of the exitcheck benchmark, written in DuckDB SQL.
//
//   node bench/duckdb_check.mjs DATADIR OUTDIR
//
// Reads DATADIR/household.csv and DATADIR/village.csv and writes
//   OUTDIR/households.csv  household_id,village_id,status,claim,not_met
//   OUTDIR/villages.csv    village_id,poverty_rate   (empty rate = unknown)
//
// The twelve household targets of the Gansu pack for 2016 (poverty_line 2952,
// province_rural_income 7457). SQL's NULL logic is the three-valued logic
// exitcheck uses: FALSE AND NULL is FALSE, TRUE AND NULL is NULL, NOT NULL is
// NULL. Missing cells (empty, NA, N/A, -) are NULL; yes/no are the booleans.
import { DuckDBInstance } from '@duckdb/node-api';

const [dataDir, outDir] = process.argv.slice(2);
if (!dataDir || !outDir) {
  console.error('usage: node duckdb_check.mjs DATADIR OUTDIR');
  process.exit(2);
}
const q = (s) => `'${s.replaceAll("'", "''")}'`;

// exitcheck's missing markers: empty, NA and N/A in any case, and '-'.
const NULLS = "['', 'NA', 'Na', 'nA', 'na', 'N/A', 'N/a', 'n/A', 'n/a', '-']";

const T = 'VARCHAR', N = 'DOUBLE', I = 'BIGINT', B = 'VARCHAR'; // B: yes/no, mapped below
const householdColumns = [
  ['household_id', T], ['village_id', T], ['county_id', T], ['year', I],
  ['members', I], ['claimed_exit', B], ['income_per_capita', N],
  ['consumption_per_capita', N], ['house_safe', B], ['house_area_per_capita', N],
  ['safe_water', B], ['tap_water_feasible', B], ['tap_water', B],
  ['school_age_children', I], ['school_dropouts', I], ['main_laborers', I],
  ['laborers_trained', I], ['income_source', B], ['ncms_enrolled', I],
  ['pension_eligible', I], ['pension_enrolled', I], ['toilet', B], ['phone', B],
  ['radio_tv', B], ['internet', B], ['debt_illness', B], ['debt_schooling', B],
  ['debt_marriage', B],
];
const columns = '{' + householdColumns.map(([c, t]) => `${q(c)}: ${q(t)}`).join(', ') + '}';
const hh = `${dataDir}/household.csv`, vv = `${dataDir}/village.csv`;

const sql = `
SET threads = 2;
CREATE MACRO yn(x) AS CASE x WHEN 'yes' THEN TRUE WHEN 'no' THEN FALSE END;

CREATE TEMP TABLE h AS
WITH t AS (
  SELECT household_id, village_id, members,
         coalesce(yn(claimed_exit), FALSE) AS claims,
         income_per_capita > 2952 AND income_per_capita >= 7457                     AS H01,
         yn(house_safe) AND house_area_per_capita >= 30                             AS H02,
         yn(safe_water) AND (NOT yn(tap_water_feasible) OR yn(tap_water))           AS H03,
         school_dropouts = 0                                                        AS H04,
         laborers_trained >= main_laborers                                          AS H05,
         yn(income_source)                                                          AS H06,
         ncms_enrolled >= members                                                   AS H07,
         pension_enrolled >= pension_eligible                                       AS H08,
         yn(toilet)                                                                 AS H09,
         yn(phone) AND yn(radio_tv) AND yn(internet)                                AS H10,
         NOT yn(debt_illness) AND NOT yn(debt_schooling) AND NOT yn(debt_marriage)  AS H11,
         consumption_per_capita >= 2952                                             AS H12
  FROM read_csv(${q(hh)}, header = true, delim = ',', quote = '"', escape = '"',
                auto_detect = false, nullstr = ${NULLS}, columns = ${columns})
)
SELECT household_id, village_id, members, claims,
       H01 AND H02 AND H03 AND H04 AND H05 AND H06 AND H07 AND H08 AND H09 AND H10 AND H11 AND H12 AS meets,
       concat_ws(' ',
         CASE WHEN NOT H01 THEN 'H01' END, CASE WHEN NOT H02 THEN 'H02' END,
         CASE WHEN NOT H03 THEN 'H03' END, CASE WHEN NOT H04 THEN 'H04' END,
         CASE WHEN NOT H05 THEN 'H05' END, CASE WHEN NOT H06 THEN 'H06' END,
         CASE WHEN NOT H07 THEN 'H07' END, CASE WHEN NOT H08 THEN 'H08' END,
         CASE WHEN NOT H09 THEN 'H09' END, CASE WHEN NOT H10 THEN 'H10' END,
         CASE WHEN NOT H11 THEN 'H11' END, CASE WHEN NOT H12 THEN 'H12' END) AS not_met
FROM t;

COPY (
  SELECT household_id, village_id,
         CASE WHEN meets THEN 'pass' WHEN NOT meets THEN 'fail' ELSE 'unknown' END AS status,
         CASE WHEN NOT claims THEN 'none' WHEN meets THEN 'supported'
              WHEN NOT meets THEN 'wrong_exit' ELSE 'unsupported' END AS claim,
         not_met
  FROM h
) TO ${q(outDir + '/households.csv')} (FORMAT csv, HEADER true);

-- People still poor: members of households that are not (claiming and
-- supported). One such household with unknown members makes the sum unknown.
COPY (
  WITH poor AS (
    SELECT village_id,
           CASE WHEN count(*) FILTER (WHERE members IS NULL) > 0 THEN NULL
                ELSE coalesce(sum(members), 0) END AS people
    FROM h
    WHERE NOT (claims AND meets IS TRUE)
    GROUP BY village_id
  ), listed AS (SELECT DISTINCT village_id FROM h)
  SELECT v.village_id,
         CASE WHEN l.village_id IS NULL OR v.population = 0 THEN NULL
              ELSE (CASE WHEN p.village_id IS NULL THEN 0 ELSE p.people END)::DOUBLE / v.population * 100
         END AS poverty_rate
  FROM read_csv(${q(vv)}, header = true, nullstr = ${NULLS},
                types = {'village_id': 'VARCHAR', 'population': 'DOUBLE'}) v
  LEFT JOIN listed l ON l.village_id = v.village_id
  LEFT JOIN poor p ON p.village_id = v.village_id
) TO ${q(outDir + '/villages.csv')} (FORMAT csv, HEADER true);
`;

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
await conn.run(sql);
conn.closeSync();
