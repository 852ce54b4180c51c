// String building, splitting and regular expressions.
const words = [];
for (let i = 0; i < 200_000; i++) words.push('word' + (i % 1000));
const text = words.join(' ');
let count = 0;
for (let round = 0; round < 10; round++) {
  count += text.split(' ').length;
  count += (text.match(/word1\d\d\b/g) || []).length;
  count += text.replace(/o/g, '0').length;
}
const emails = Array.from({ length: 50_000 }, (_, i) => `name.${i}@host${i % 7}.example.org`);
const re = /^([\w.]+)@([\w]+)\.example\.org$/;
for (const e of emails) if (re.test(e)) count++;
if (count === 0) throw new Error('wrong result');
