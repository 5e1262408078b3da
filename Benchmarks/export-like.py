"""Rewrites a perk-bench data set as a real point-of-sale/CRM export would look:
extra columns Perk does not know (card numbers, store ids, free-text notes with
commas, quotes, accents and Chinese), shuffled column order, customer ids without
zero padding, orders in time order rather than grouped by customer.

    python3 Benchmarks/export-like.py [SOURCE_DIR] [OUT_DIR]

SOURCE_DIR defaults to .build/perk-bench-data/c100000-o1000000-s42 (run perk-bench
once to create it); OUT_DIR to .build/perk-bench-data/export-like. Deterministic.
"""
import csv, os, random, sys
random.seed(5)
src = sys.argv[1] if len(sys.argv) > 1 else '.build/perk-bench-data/c100000-o1000000-s42'
out = sys.argv[2] if len(sys.argv) > 2 else '.build/perk-bench-data/export-like'
os.makedirs(out, exist_ok=True)
def unpad(i): return 'C'+str(int(i[1:])) if i.startswith('C') and i[1:].isdigit() else i
with open(src+'/customers.csv', newline='', encoding='utf-8') as f:
    r=csv.reader(f); h=next(r); rows=list(r)
extra=['loyalty_card','store_id','note']
hdr=h+extra; order=list(range(len(hdr))); random.shuffle(order)
ci=h.index('customer_id')
with open(os.path.join(out, 'customers.csv'),'w',newline='',encoding='utf-8') as f:
    w=csv.writer(f); w.writerow([hdr[k] for k in order])
    for row in rows:
        row=row[:]; row[ci]=unpad(row[ci])
        full=row+[str(6200000000000000+random.randrange(10**9)), str(random.randrange(1,400)), random.choice(['','vip "gold", see CRM','café crème; 少糖','n/a'])]
        w.writerow([full[k] for k in order])
with open(src+'/orders.csv', newline='', encoding='utf-8') as f:
    r=csv.reader(f); h=next(r); rows=list(r)
oi=h.index('ordered_at'); cu=h.index('customer_id')
rows.sort(key=lambda x: x[oi])
extra=['terminal','cashier','external_no','memo']
hdr=h+extra; order=list(range(len(hdr))); random.shuffle(order)
with open(os.path.join(out, 'orders.csv'),'w',newline='',encoding='utf-8') as f:
    w=csv.writer(f); w.writerow([hdr[k] for k in order])
    for row in rows:
        row=row[:]; row[cu]=unpad(row[cu])
        full=row+[str(random.randrange(1,9)), random.choice(['李娜','José','Anne-Marie','王伟']), str(random.randrange(10**12)), random.choice(['','no ice, "extra" boba','à emporter','外卖'])]
        w.writerow([full[k] for k in order])
