#!/usr/bin/env python3
"""Re-writes a UTF-8 CSV table the way a spreadsheet export on a Chinese
Windows machine would: canonical Chinese headers (from a pack's level file),
yes/no as 是/否, percentage columns with a '%' sign, CRLF line ends, and
the chosen encoding (gb18030, or utf-8 with a BOM).

  tools/make-export.py LEVEL_YAML IN_CSV OUT_CSV [--encoding gb18030|utf-8-sig]

Used to build the export fixtures; the check must give the same per-unit
results for the export as for the original.
"""
import csv, io, sys
import yaml

def main():
    args = sys.argv[1:]
    enc = 'gb18030'
    if '--encoding' in args:
        i = args.index('--encoding')
        enc = args[i + 1]
        del args[i:i + 2]
    level_yaml, src, dst = args
    level = yaml.safe_load(open(level_yaml, encoding='utf-8'))
    inds = {i['id']: i for i in level['indicators']}
    rows = list(csv.reader(open(src, encoding='utf-8', newline='')))
    header = rows[0]
    out = io.StringIO()
    w = csv.writer(out, lineterminator='\r\n')
    w.writerow([inds[h].get('zh', h) if h in inds else h for h in header])
    for row in rows[1:]:
        cells = []
        for h, v in zip(header, row):
            ind = inds.get(h, {})
            if ind.get('type') == 'bool' and v in ('yes', 'no'):
                v = '是' if v == 'yes' else '否'
            elif ind.get('unit') == 'percent' and v not in ('', 'NA', '-'):
                v = v + '%'
            cells.append(v)
        w.writerow(cells)
    open(dst, 'wb').write(out.getvalue().encode(enc))

if __name__ == '__main__':
    main()
