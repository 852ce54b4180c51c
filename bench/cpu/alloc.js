// Short-lived objects and arrays: the allocator and the young-generation GC.
class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
  add(o) {
    return new Point(this.x + o.x, this.y + o.y);
  }
}
let acc = new Point(0, 0);
for (let i = 0; i < 3_000_000; i++) acc = acc.add(new Point(i & 7, 1));
const lists = [];
for (let i = 0; i < 200; i++) lists.push(Array.from({ length: 5000 }, (_, j) => ({ j, s: 'v' + j })));
if (acc.y !== 3_000_000 || lists.length !== 200) throw new Error('wrong result');
