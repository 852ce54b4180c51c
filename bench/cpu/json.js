// JSON.stringify / JSON.parse of a mid-sized document, many times.
const doc = {
  users: Array.from({ length: 2000 }, (_, i) => ({
    id: i,
    name: `user${i}`,
    email: `user${i}@example.com`,
    tags: ['a', 'b', 'c'].map((t) => t + i),
    active: i % 2 === 0,
    score: i * 1.5,
  })),
};
let bytes = 0;
for (let i = 0; i < 40; i++) {
  const text = JSON.stringify(doc);
  bytes += text.length;
  const back = JSON.parse(text);
  if (back.users.length !== 2000) throw new Error('wrong result');
}
if (bytes === 0) throw new Error('wrong result');
